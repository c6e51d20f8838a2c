// The 待办 in Debian's chromium for three people: the office (督查室) sees the
// hazard a grid worker reported waiting for triage, the extension a bureau
// asked for with its reason and new deadline, and the submission to verify;
// the bureau's handler (yjj) lands on theirs and sees what the office
// rejected and why, the urge and the leader's instruction, with the counts in
// the navigation, reads their messages and marks them read, and chooses how
// to be reached; the grid worker finds the rectification waiting for their
// on-site check, also on a phone.  Screenshots go to tests/artifacts/.
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
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

async function loggedIn(browser, s, user, problems, viewport = { width: 1280, height: 900 }) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`${user}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`${user}: ${e}`));
  await page.goto(s.url + '/login');
  await page.fill('#username', user);
  await page.fill('#password', s.logins[user]);
  // a grid worker lands on the report page, everyone else here on "/"
  const home = user === 'grid' ? '/report' : '/';
  await Promise.all([page.waitForURL(s.url + home), page.click('button[type=submit]')]);
  return page;
}

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

// The entry of section list whose title is title.
const entry = (page, list, title) => page.locator(`section.i-${list} li`, { hasText: title });

test('the 待办 of the office, a handler and a grid worker say what waits and why', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ demo: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const problems = [];
  const [sup, yjj, grid, leader] = await Promise.all(['supervisor', 'yjj', 'grid', 'leader'].map((u) => s.login(u)));
  const units = Object.fromEntries(must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units')
    .units.map((u) => [u.code, u.id]));
  const act = async (token, id, body) => must(await s.api('POST', `/api/v1/items/${id}/actions`, { token, body }), 200, body.action);
  const task = async (title) => {
    const id = must(await s.api('POST', '/api/v1/items', { token: sup, body: {
      kind: 'task', title, lead_unit_id: units.yjj, deadline: '2030-12-31' } }), 201, 'create').id;
    await act(sup, id, { action: 'assign' });
    await act(yjj, id, { action: 'accept' });
    return id;
  };
  // the grid reports two hazards: one waits for triage, one is rectified and waits for the check
  const reported = must(await s.api('POST', '/api/v1/hazards', { token: grid, body: {
    category: 'fire', description: '5号楼消防通道堆放杂物', address: '东城街道 金城路 5 号' } }), 201, 'report');
  const fixed = must(await s.api('POST', '/api/v1/hazards', { token: grid, body: {
    category: 'fire', description: '7号楼灭火器过期', address: '东城街道 金城路 7 号' } }), 201, 'report 2');
  await act(sup, fixed.id, { action: 'triage', level: 'general', deadline: '2030-12-31' });
  await act(sup, fixed.id, { action: 'assign' });
  await act(yjj, fixed.id, { action: 'accept' });
  must(await fetch(`${s.url}/api/v1/items/${fixed.id}/photos?phase=after`, { method: 'POST',
    headers: { Authorization: 'Bearer ' + yjj, 'Content-Type': 'image/png' }, body: PNG })
    .then(async (r) => ({ status: r.status, text: await r.text() })), 201, 'after photo');
  await act(yjj, fixed.id, { action: 'submit', text: '灭火器已更换' });
  // a bureau's work: rejected, urged, instructed, an extension asked for, one submitted
  const rejected = await task('待办页面：危化品企业排查');
  await act(yjj, rejected, { action: 'submit', text: '已排查完毕' });
  await act(sup, rejected, { action: 'reject', reason: '佐证材料不全，请补充台账' });
  const urged = await task('待办页面：燃气管网巡查');
  await act(sup, urged, { action: 'urge', text: '请本周内报告进展' });
  const told = await task('待办页面：老旧小区消防改造');
  await act(leader, told, { action: 'instruct', text: '要把群众安全放在首位，尽快完成' });
  const ext = await task('待办页面：应急物资储备');
  await act(yjj, ext, { action: 'request_extension', deadline: '2031-03-31', reason: '物资招标尚未完成' });
  const done = await task('待办页面：应急演练');
  await act(yjj, done, { action: 'submit', text: '演练已完成' });

  // the office
  const office = await loggedIn(browser, s, 'supervisor', problems);
  const officeCounts = must(await s.api('GET', '/api/v1/inbox/counts', { token: sup }), 200, 'counts');
  await office.goto(s.url + '/inbox');
  assert.equal(await office.locator('nav.main a[href="/inbox"] .count').textContent(), String(officeCounts.total));
  assert.equal(await entry(office, 'to_triage', reported.title).count(), 1);
  const extension = entry(office, 'extensions', '待办页面：应急物资储备');
  assert.match(await extension.locator('.why').textContent(), /申请延期 应急管理局 陈科长 · .* · 新期限 2031-03-31物资招标尚未完成/);
  assert.equal(await entry(office, 'to_verify', '待办页面：应急演练').locator('.why q').textContent(), '演练已完成');
  await office.screenshot({ path: path.join(ART, 'inbox-office.png'), fullPage: true });
  await Promise.all([office.waitForURL(`${s.url}/items/${ext}#act`), extension.locator('a.button', { hasText: '审批' }).click()]);

  // the handler lands on their 待办
  const handler = await loggedIn(browser, s, 'yjj', problems);
  assert.equal(await handler.locator('main h1').textContent(), '待办');
  const yjjCounts = must(await s.api('GET', '/api/v1/inbox/counts', { token: yjj }), 200, 'counts');
  assert.equal(await handler.locator('nav.main a[href="/"] .count').textContent(), String(yjjCounts.total));
  assert.equal(await entry(handler, 'returned', '待办页面：危化品企业排查').locator('.why q').textContent(), '佐证材料不全，请补充台账');
  assert.equal(await entry(handler, 'urged', '待办页面：燃气管网巡查').locator('.why q').textContent(), '请本周内报告进展');
  assert.equal(await entry(handler, 'instructed', '待办页面：老旧小区消防改造').locator('.why q').textContent(), '要把群众安全放在首位，尽快完成');
  await handler.screenshot({ path: path.join(ART, 'inbox-handler.png'), fullPage: true });
  // their messages, then all read
  const unread = must(await s.api('GET', '/api/v1/messages', { token: yjj }), 200, 'messages').unread_count;
  assert.ok(unread >= 4);
  assert.equal(await handler.locator('nav.main a[href="/messages"] .count').textContent(), String(unread));
  await handler.click('nav.main a[href="/messages"]');
  assert.equal(await handler.locator('ul.messages li.unread', { hasText: '【被驳回】待办页面：危化品企业排查' }).locator('.text').textContent(), '佐证材料不全，请补充台账');
  await handler.screenshot({ path: path.join(ART, 'inbox-messages.png'), fullPage: true });
  await Promise.all([handler.waitForURL(s.url + '/messages'), handler.click('button:has-text("全部标为已读")')]);
  assert.equal(await handler.locator('ul.messages li.unread').count(), 0);
  assert.equal(await handler.locator('nav.main a[href="/messages"] .count').count(), 0);
  // how to be reached
  await handler.click('a.button:has-text("提醒方式")');
  await handler.fill('input[name=email]', 'chen@yjj.city.test');
  await handler.check('input[name=channel_email]');
  await handler.fill('input[name=quiet_start]', '22:00');
  await handler.fill('input[name=quiet_end]', '07:00');
  await Promise.all([handler.waitForURL(s.url + '/prefs?saved=1'), handler.click('button:has-text("保存")')]);
  assert.equal(await handler.locator('p.note').textContent(), '已保存。');
  assert.deepEqual(must(await s.api('GET', '/api/v1/me/prefs', { token: yjj }), 200, 'prefs'), {
    email: 'chen@yjj.city.test', mobile: '', channels: ['email'], events: '*',
    quiet_hours: { start: '22:00', end: '07:00' }, digest: false });

  // the grid worker, on a phone: the rectification to check on site
  const phone = await loggedIn(browser, s, 'grid', problems, { width: 390, height: 844 });
  await phone.goto(s.url + '/inbox');
  const check = entry(phone, 'to_check', fixed.title);
  assert.equal(await check.locator('.why q').textContent(), '灭火器已更换');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the grid's inbox scrolls sideways by ${overflow}px`);
  await phone.screenshot({ path: path.join(ART, 'inbox-grid-phone.png'), fullPage: true });
  await Promise.all([phone.waitForURL(`${s.url}/items/${fixed.id}#act`), check.locator('a.button').click()]);
  assert.deepEqual(problems, []);
});
