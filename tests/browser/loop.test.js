// The supervision loop through the pages in Debian's chromium (playwright-core,
// never a downloaded browser): the supervisor assigns an item to 应急管理局 on
// its page; the bureau's handler (yjj) lands on the inbox, signs for it right
// in the list, files feedback with progress and the metric's value on the item
// page and again through batch feedback, and submits; a handler of another
// unit (jxj) can neither see nor open it; the supervisor finds it under 待销号
// and verifies it: 已办结.  Screenshots of each step, desk and phone, go to
// tests/artifacts/ (with LUOSHI_SCREENSHOT=FILE, also one desk view of the item
// in the middle of the loop).
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

// A browser context logged in as user, with every console error collected.
async function loggedIn(browser, s, user, problems, viewport = { width: 1280, height: 900 }) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`${user}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`${user}: ${e}`));
  await page.goto(s.url + '/login');
  await page.fill('#username', user);
  await page.fill('#password', s.logins[user]);
  await Promise.all([page.waitForURL(s.url + '/'), page.click('button[type=submit]')]);
  return page;
}

async function noSidewaysScroll(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what} scrolls sideways by ${overflow}px on a phone`);
}

test('an item goes round the loop through the pages: assign, accept, feedback, submit, verify', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ demo: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const problems = [];
  const sup = await s.login('supervisor');
  const units = (await s.api('GET', '/api/v1/units', { token: sup })).json.units;
  const unitId = (name) => units.find((u) => u.name === name).id;
  // A fresh draft with a metric, led for now by another unit: the page reassigns it.
  const created = await s.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'task', title: '排查辖区危化品企业安全隐患', description: '逐家排查，建立隐患台账。',
    lead_unit_id: unitId('经信局'), deadline: '2030-06-30', feedback_cycle: 'weekly',
    metric: { target: 30, unit: '家' } } });
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  const item = `/items/${id}`;

  // The supervisor assigns it to 应急管理局 with its own form.
  const boss = await loggedIn(browser, s, 'supervisor', problems);
  const shot = (page, name) => page.screenshot({ path: path.join(ART, `loop-${name}.png`), fullPage: true });
  await boss.goto(s.url + item);
  assert.equal(await boss.locator('.badges .status').textContent(), '待分派');
  const assign = boss.locator('details.a-assign');
  assert.equal(await assign.getAttribute('open'), '', 'the assign form opens by itself');
  await assign.locator('select[name=lead_unit_id]').selectOption({ label: '应急管理局' });
  await assign.locator('input[name=working_days]').fill('10');
  await Promise.all([boss.waitForURL(/\?done=assign$/), assign.locator('button[type=submit]').click()]);
  assert.equal(await boss.locator('.badges .status').textContent(), '已交办');
  assert.equal(await boss.locator('.acts .ok').textContent(), '已交办。');
  assert.equal(await boss.locator('dl.fields dd').nth(2).textContent(), '应急管理局');
  await shot(boss, '1-assigned');

  // The handler of 应急管理局 lands on the inbox and signs for it in the list.
  const yjj = await loggedIn(browser, s, 'yjj', problems);
  assert.equal(await yjj.locator('main h1').textContent(), '待办');
  const toAccept = yjj.locator(`.i-to_accept li:has(a[href="${item}"])`);
  assert.equal(await toAccept.count(), 1);
  await shot(yjj, '2-inbox');
  await Promise.all([yjj.waitForURL(s.url + '/inbox'), toAccept.locator('button:has-text("签收")').click()]);
  assert.equal(await yjj.locator(`.i-to_accept a[href="${item}"]`).count(), 0);
  assert.equal(await yjj.locator(`.i-to_report a[href="${item}"]`).count(), 1);

  // Feedback on the item page: text, progress and the metric's value.
  await yjj.goto(s.url + item);
  assert.equal(await yjj.locator('.badges .status').textContent(), '已签收');
  const fb = yjj.locator('details.a-feedback');
  await fb.locator('textarea[name=text]').fill('已排查 12 家，发现隐患 5 处，已整改 3 处。');
  await fb.locator('input[name=progress]').fill('40');
  await fb.locator('input[name=value]').fill('12');
  await Promise.all([yjj.waitForURL(/\?done=feedback$/), fb.locator('button[type=submit]').click()]);
  assert.equal(await yjj.locator('.badges .status').textContent(), '办理中');
  assert.equal(await yjj.locator('ol.records.fb li').count(), 1);
  assert.match(await yjj.locator('ol.records.fb li').textContent(), /40%.*12.*已排查 12 家/s);

  // A refused form comes back with the message and what was typed.
  const fb2 = yjj.locator('details.a-feedback');
  await fb2.locator('textarea[name=text]').fill('进度写错了');
  await fb2.locator('input[name=progress]').evaluate((el) => { el.removeAttribute('max'); });
  await fb2.locator('input[name=progress]').fill('140');
  await fb2.locator('button[type=submit]').click();
  await yjj.waitForLoadState();
  assert.equal(await yjj.locator('details.a-feedback[open] .alert').count(), 1);
  assert.equal(await yjj.inputValue('details.a-feedback textarea[name=text]'), '进度写错了');
  assert.equal(await yjj.locator('ol.records.fb li').count(), 1, 'nothing was recorded');
  problems.splice(0, problems.length, ...problems.filter((p) => !/status of 422/.test(p)));

  // Batch feedback: report once on the unit's open items; the others stay empty.
  await yjj.click('nav.main a[href="/feedback"]');
  assert.equal(await yjj.locator('main h1').textContent(), '批量反馈');
  const row = yjj.locator(`#row-${id}`);
  await row.locator('textarea').fill('已排查 24 家，隐患全部建档。');
  await row.locator(`input[name=p${id}]`).fill('80');
  await row.locator(`input[name=v${id}]`).fill('24');
  await shot(yjj, '3-batch-feedback');
  await Promise.all([yjj.waitForURL(/\/feedback\?filed=1$/), yjj.click('form.fb button[type=submit]')]);
  assert.match(await yjj.locator('.ok').textContent(), /1$/);

  // The item page in the middle of the loop, as the supervisor sees it.
  await boss.goto(s.url + item);
  assert.equal(await boss.locator('ol.records.fb li').count(), 2);
  assert.match(await boss.locator('.details dl.fields').textContent(), /80%/);
  await shot(boss, '4-in-progress');
  if (process.env.LUOSHI_SCREENSHOT) {
    await boss.screenshot({ path: process.env.LUOSHI_SCREENSHOT, fullPage: false });
  }

  // Submit with the completion report.
  await yjj.goto(s.url + item);
  const sub = yjj.locator('details.a-submit');
  await sub.locator('summary').click();
  await sub.locator('textarea[name=text]').fill('30 家企业全部排查完毕，隐患整改到位。');
  await Promise.all([yjj.waitForURL(/\?done=submit$/), sub.locator('button[type=submit]').click()]);
  assert.equal(await yjj.locator('.badges .status').textContent(), '已提交');

  // A handler of another unit sees nothing of it.
  const jxj = await loggedIn(browser, s, 'jxj', problems);
  assert.equal(await jxj.locator(`a[href="${item}"]`).count(), 0, 'not in the inbox');
  const denied = await jxj.goto(s.url + item);
  assert.equal(denied.status(), 403);
  await jxj.goto(s.url + '/items');
  assert.equal(await jxj.locator(`a[href="${item}"]`).count(), 0, 'not in the list');
  problems.splice(0, problems.length, ...problems.filter((p) => !/status of 403/.test(p)));

  // The supervisor finds it under 待销号 and verifies it.
  await boss.goto(s.url + '/inbox');
  const toVerify = boss.locator(`.i-to_verify li:has(a[href="${item}"])`);
  assert.equal(await toVerify.count(), 1);
  await shot(boss, '5-inbox-to-verify');
  await Promise.all([boss.waitForURL(s.url + item + '#act'), toVerify.locator('a.button').click()]);
  await Promise.all([boss.waitForURL(/\?done=verify$/), boss.click('details.a-verify button[type=submit]')]);
  assert.equal(await boss.locator('.badges .status').textContent(), '已办结');
  assert.equal(await boss.locator('.badges .light').textContent(), '已关闭');
  assert.match(await boss.locator('.details dl.fields').textContent(), /100%/);
  await shot(boss, '6-done');
  const events = (await s.api('GET', `/api/v1/items/${id}/events`, { token: sup })).json.events;
  assert.deepEqual(events.map((e) => e.action),
    ['create', 'assign', 'accept', 'feedback', 'feedback', 'submit', 'verify']);

  // On a phone the inbox, the item and the batch form read without sideways scrolling.
  const phone = await loggedIn(browser, s, 'yjj', problems, { width: 390, height: 844 });
  await noSidewaysScroll(phone, 'the inbox');
  await phone.screenshot({ path: path.join(ART, 'loop-7-inbox-phone.png'), fullPage: true });
  await phone.goto(s.url + item);
  await noSidewaysScroll(phone, 'the item page');
  await phone.screenshot({ path: path.join(ART, 'loop-8-item-phone.png'), fullPage: true });
  await phone.goto(s.url + '/feedback');
  await noSidewaysScroll(phone, 'the batch feedback');

  assert.deepEqual(problems, []);
  assert.equal(s.log().includes(' 500 '), false);
  await browser.close();
  assert.equal(await s.stop(), 0, s.log());
});
