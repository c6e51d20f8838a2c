// Every role's journey through the pages in Debian's chromium, at a desk
// (1366x900) and on a phone (390x844): the office (督查室), a handler (应急管理局),
// a leader, a grid worker and an enterprise each log in, land on their own
// page, and take their main action there — the office triages a reported
// hazard (photo, description and a proposed deadline on the card, the unit
// list filtered by typing) and reads the notice, the handler signs for an item
// in the 待办, the leader writes an instruction (批示), the grid worker reports a
// hazard, the enterprise files a request.  No page scrolls sideways on the
// phone, the notice included (issue 17).  Screenshots of every step go to
// build/screenshots/journey-{desk,phone}-*.png (not committed).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { startServer } = require('../lib/server.js');
const { png } = require('../lib/png.js');

const SHOTS = path.join(__dirname, '..', '..', 'build', 'screenshots');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const VIEWS = {
  desk: { viewport: { width: 1366, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
};

let s, browser, sup, units;
const problems = [];

test.before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  s = await startServer({ demo: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  sup = await s.login('supervisor');
  units = (await s.api('GET', '/api/v1/units', { token: sup })).json.units;
});
test.after(async () => {
  await browser.close();
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
  assert.deepEqual(problems, [], 'no console errors');
});

const unitId = (code) => units.find((u) => u.code === code).id;
async function api(token, method, p, body) {
  const r = await s.api(method, p, { token, body });
  assert.ok(r.status < 300, `${method} ${p}: ${r.status} ${r.text}`);
  return r.json;
}

// A page of view logged in as user; resolves once the login has landed.
async function login(view, user) {
  const ctx = await browser.newContext({ ...VIEWS[view], locale: 'zh-CN' });
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`${view} ${user}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`${view} ${user}: ${e}`));
  await page.goto(s.url + '/login');
  await page.fill('#username', user);
  await page.fill('#password', s.logins[user]);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  return page;
}

async function check(page, view, name) {
  await page.screenshot({ path: path.join(SHOTS, `journey-${view}-${name}.png`), fullPage: true });
  if (view !== 'phone') return;
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `${name}: ${wide}px wide on a 390 px phone`);
}

for (const view of Object.keys(VIEWS)) {
  test(`${view}: the office lands on the dashboard, triages a report and reads the notice`, async () => {
    const grid = await s.login('grid');
    const h = await api(grid, 'POST', '/api/v1/hazards', { category: 'fire', description: `${view}：楼道堆放纸箱`,
      address: '东城街道 金城路 9 号', attributes: { exit_blocked: 'yes' },
      photos: [png(64, 48, [200, 60, 40]).toString('base64')] });
    const page = await login(view, 'supervisor');
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(await page.textContent('main h1'), '驾驶舱');
    await check(page, view, 'office-1-dashboard');
    await page.goto(s.url + '/hazards');
    const card = page.locator('li.hazard', { has: page.locator(`a[href="/items/${h.id}"]`) });
    assert.equal(await card.locator('.desc').textContent(), `${view}：楼道堆放纸箱`);
    assert.equal(await card.locator('.thumb img').evaluate((img) => img.naturalWidth), 64, 'the report photo loads');
    assert.match(await card.locator('input[name=deadline]').inputValue(), /^\d{4}-\d\d-\d\d$/);
    // typing in the filter box narrows the unit list and chooses the match
    await card.locator('input.unit-filter').fill('西城');
    assert.equal(await card.locator('select[name=lead_unit_id]').inputValue(), String(unitId('xc')));
    await card.locator('input.unit-filter').fill('应急');
    assert.equal(await card.locator('select[name=lead_unit_id]').inputValue(), String(unitId('yjj')));
    await check(page, view, 'office-2-triage');
    await Promise.all([page.waitForNavigation(), card.locator('button[type=submit]').click()]);
    assert.equal((await api(sup, 'GET', `/api/v1/items/${h.id}`)).status, 'assigned');
    await page.goto(s.url + `/items/${h.id}`);
    assert.equal(await page.locator('details.a-assign').getAttribute('open'), null, 'reassigning is not the main step');
    assert.equal(await page.locator('details.a-assign summary').textContent(), '改派');
    await check(page, view, 'office-3-assigned');
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    await page.goto(s.url + `/notices?from=${today.slice(0, 4)}-01-01&to=${today}`);
    assert.equal(await page.locator('article.notice h1').textContent(), '督查通报');
    await check(page, view, 'office-4-notice');
    await page.context().close();
  });

  test(`${view}: a handler lands on the 待办 and signs for an item there`, async () => {
    const id = (await api(sup, 'POST', '/api/v1/items', { kind: 'task', title: `${view}：签收测试`,
      lead_unit_id: unitId('yjj'), deadline: '2030-06-30' })).id;
    await api(sup, 'POST', `/api/v1/items/${id}/actions`, { action: 'assign' });
    const page = await login(view, 'yjj');
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(await page.textContent('main h1'), '待办');
    await check(page, view, 'handler-1-inbox');
    const entry = page.locator('li', { has: page.locator(`a[href="/items/${id}"]`) }).first();
    await Promise.all([page.waitForNavigation(), entry.locator('button', { hasText: '签收' }).click()]);
    assert.equal((await api(sup, 'GET', `/api/v1/items/${id}`)).status, 'accepted');
    await page.goto(s.url + `/items/${id}`);
    assert.equal(await page.locator('details.a-feedback').getAttribute('open'), '', 'reporting progress is next');
    await check(page, view, 'handler-2-signed');
    await page.context().close();
  });

  test(`${view}: a leader lands on the dashboard and writes an instruction`, async () => {
    const id = (await api(sup, 'POST', '/api/v1/items', { kind: 'task', title: `${view}：批示测试`,
      lead_unit_id: unitId('yjj'), deadline: '2030-06-30' })).id;
    await api(sup, 'POST', `/api/v1/items/${id}/actions`, { action: 'assign' });
    const page = await login(view, 'leader');
    assert.equal(await page.textContent('main h1'), '驾驶舱');
    await check(page, view, 'leader-1-dashboard');
    await page.goto(s.url + `/items/${id}`);
    const form = page.locator('details.a-instruct');
    await form.locator('summary').click();
    await form.locator('textarea[name=text]').fill('要抓紧落实，月底前见成效');
    await Promise.all([page.waitForURL(/\?done=instruct$/), form.locator('button[type=submit]').click()]);
    assert.equal(await page.locator('.acts .ok').textContent(), '已批示。');
    await check(page, view, 'leader-2-instructed');
    await page.context().close();
  });

  test(`${view}: a grid worker lands on the report page and reports a hazard`, async () => {
    const page = await login(view, 'grid');
    assert.equal(new URL(page.url()).pathname, '/report');
    assert.equal(await page.textContent('main h1'), '隐患上报');
    assert.equal(await page.locator('nav.main a[href="/"]').count(), 0, 'no dashboard of zeros');
    await check(page, view, 'grid-1-report');
    await page.selectOption('#category', 'fire');
    await page.fill('#description', `${view}：配电箱旁堆放杂物`);
    await page.fill('#address', '东城街道 金城路 12 号');
    await page.setInputFiles('#photo', { name: 'site.png', mimeType: 'image/png', buffer: png(64, 48, [40, 120, 200]) });
    await Promise.all([page.waitForURL(/\/report\?done=\d+$/), page.click('form[action="/report"] button[type=submit]')]);
    assert.match(await page.textContent('.mine'), new RegExp(`${view}：配电箱旁堆放杂物|东城街道 金城路 12 号`));
    await check(page, view, 'grid-2-reported');
    await page.goto(s.url + '/inbox');
    assert.ok(await page.locator('h2', { hasText: '待核查' }).count() >= 1);
    await check(page, view, 'grid-3-inbox');
    await page.context().close();
  });

  test(`${view}: an enterprise lands on its requests and files one`, async () => {
    const page = await login(view, 'qiye');
    assert.equal(new URL(page.url()).pathname, '/requests');
    assert.equal(await page.textContent('main h1'), '企业诉求');
    await check(page, view, 'enterprise-1-requests');
    await page.selectOption('#category', 'help');
    await page.fill('#title', `${view}：用电增容`);
    await page.fill('#description', '新厂房需要增容到 2000 千伏安');
    await Promise.all([page.waitForURL(/\/requests\?done=\d+$/), page.click('form[action="/requests"] button[type=submit]')]);
    assert.match(await page.textContent('.requests'), new RegExp(`${view}：用电增容`));
    await check(page, view, 'enterprise-2-filed');
    await page.context().close();
  });
}
