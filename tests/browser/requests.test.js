// An enterprise files a request (诉求) from a phone (390×844) in Debian's chromium, the
// office assigns it and the lead unit replies over the API, and the enterprise reads the
// reply and rates it on the same page; the office sees the rating.  Screenshots to
// tests/artifacts/requests-*.png.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { startServer } = require('../lib/server.js');

const ART = path.join(__dirname, '..', 'artifacts');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

test('an enterprise files a request from its phone, reads the reply and rates it', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ demo: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const ctx = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    locale: 'zh-CN',
  });
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 422/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  const shot = (name) => page.screenshot({ path: path.join(ART, `requests-${name}.png`), fullPage: true });
  const noSideScroll = async () => assert.ok(await page.evaluate(
    () => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scroll at 390 px');

  await page.goto(s.url + '/login?next=/requests');
  await page.fill('#username', 'qiye');
  await page.fill('#password', s.logins.qiye);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/requests$/);
  assert.equal(await page.textContent('h1'), '企业诉求');
  assert.match(await page.textContent('.mine'), /还没有诉求/);
  assert.equal(await page.locator('#requester_unit_id').count(), 0, 'an enterprise names no other');
  await noSideScroll();
  await shot('1-form');

  // a title left blank is refused by the browser; filled in, the request is filed
  await page.selectOption('#category', 'help');
  await page.fill('#title', '新厂房用电增容');
  await page.fill('#description', '新厂房 6 月投产，需要增容到 2000 千伏安');
  await page.click('form[action="/requests"] button[type=submit]');
  await page.waitForURL(/\/requests\?done=\d+$/);
  const id = Number(new URL(page.url()).searchParams.get('done'));
  assert.match(await page.textContent('.ok'), /已提交/);
  assert.match(await page.textContent('.requests'), /新厂房用电增容/);
  assert.match(await page.textContent('.requests'), /求助 · 青沐工贸有限公司/);
  await shot('2-filed');

  // the office assigns, 应急管理局 answers, the office verifies
  const sup = await s.login('supervisor'), yjj = await s.login('yjj');
  const units = (await s.api('GET', '/api/v1/units', { token: sup })).json.units;
  const act = async (token, body) => {
    const r = await s.api('POST', `/api/v1/items/${id}/actions`, { token, body });
    assert.equal(r.status, 200, r.text);
  };
  await act(sup, { action: 'assign', lead_unit_id: units.find((u) => u.code === 'yjj').id });
  await act(yjj, { action: 'accept' });
  await act(yjj, { action: 'submit', reply: '已联系供电公司，下周上门勘查' });
  await act(sup, { action: 'verify' });

  // the enterprise reads the reply and rates it: unsatisfied needs a comment, then it is rated
  await page.goto(s.url + '/requests');
  assert.match(await page.textContent('.reply'), /已联系供电公司，下周上门勘查/);
  await page.click('details.a-rate summary');
  await shot('3-rate');
  await page.check('input[name=rating][value=unsatisfied]');
  await page.click('details.a-rate button[type=submit]');
  assert.match(await page.textContent('.alert'), /comment|评价意见|必填|不能为空|缺少/);
  await page.click('details.a-rate summary');
  await page.check('input[name=rating][value=basic]');
  await page.fill('details.a-rate textarea[name=comment]', '希望更快');
  await page.click('details.a-rate button[type=submit]');
  await page.waitForURL(/\/requests\?done=/);
  assert.match(await page.textContent('.rating'), /基本满意/);
  assert.equal(await page.locator('details.a-rate').count(), 0, 'rated once');
  await noSideScroll();
  await shot('4-rated');

  const item = (await s.api('GET', `/api/v1/items/${id}`, { token: sup })).json;
  assert.equal(item.request.rating, 'basic');
  assert.equal(item.request.rating_comment, '希望更快');
  assert.deepEqual(problems, []);
});

test('the 待办 lists what to rate; an admin changes a category on its page, at 1366 and at 390 px', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ demo: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const problems = [];
  const open = async (user, width, height) => {
    const ctx = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN',
      ...(width < 500 ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}) });
    const page = await ctx.newPage();
    page.on('console', (m) => { if (m.type() === 'error' && !/status of 422/.test(m.text())) problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(s.url + '/login');
    await page.fill('#username', user);
    await page.fill('#password', s.logins[user]);
    await page.click('button[type=submit]');
    await page.waitForLoadState();
    return page;
  };
  const noSideScroll = async (page) => assert.ok(await page.evaluate(
    () => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scroll');

  // a request done for 青沐工贸 waits for its rating in the enterprise's 待办
  const sup = await s.login('supervisor'), yjj = await s.login('yjj');
  const units = (await s.api('GET', '/api/v1/units', { token: sup })).json.units;
  const it = (await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'request', title: '办证咨询',
    category: 'consult', channel: 'phone', requester_unit_id: units.find((u) => u.code === 'qmgm').id } })).json;
  for (const [token, body] of [[sup, { action: 'assign', lead_unit_id: units.find((u) => u.code === 'yjj').id }],
    [yjj, { action: 'accept' }], [yjj, { action: 'submit', reply: '已告知办理流程' }], [sup, { action: 'verify' }]]) {
    const r = await s.api('POST', `/api/v1/items/${it.id}/actions`, { token, body });
    assert.equal(r.status, 200, r.text);
  }
  const phone = await open('qiye', 390, 844);
  await phone.goto(s.url + '/inbox');
  assert.equal(await phone.textContent('section.i-to_rate h2'), '待评价 1');
  await noSideScroll(phone);
  await phone.screenshot({ path: path.join(ART, 'requests-5-inbox.png'), fullPage: true });
  await phone.click('section.i-to_rate a.button');
  await phone.waitForURL(new RegExp(`/requests#req-${it.id}$`));
  assert.equal(await phone.locator(`#req-${it.id} details.a-rate`).count(), 1, 'the rating form is there');

  // the admin's page: change 政策咨询 to 4 working days
  const desk = await open('admin', 1366, 900);
  await desk.goto(s.url + '/admin/request-categories');
  await desk.fill('#cat-consult input[name=limit_days]', '4');
  await desk.click('#cat-consult button[type=submit]');
  await desk.waitForURL(/\/admin\/request-categories$/);
  assert.equal(await desk.inputValue('#cat-consult input[name=limit_days]'), '4');
  await desk.screenshot({ path: path.join(ART, 'requests-6-categories.png'), fullPage: true });
  const cats = (await s.api('GET', '/api/v1/request-categories', { token: sup })).json.categories;
  assert.equal(cats.find((c) => c.code === 'consult').limit_days, 4);
  const small = await open('admin', 390, 844);
  await small.goto(s.url + '/admin/request-categories');
  await noSideScroll(small);
  await small.screenshot({ path: path.join(ART, 'requests-7-categories-phone.png'), fullPage: true });
  const dash = await open('supervisor', 1366, 900);
  await dash.goto(s.url + '/dashboard');
  assert.equal(await dash.locator('section.request-tile dl.figures > div').count(), 6);
  await dash.screenshot({ path: path.join(ART, 'requests-8-dashboard.png'), fullPage: true });
  assert.deepEqual(problems, []);
});
