// The hazard loop entirely in the browser, each step by the role that takes
// it (issue 17, blocker 2): the grid worker reports on a phone; the office
// triages and assigns on the triage page; the bureau's handler (yjj) signs
// for it, rectifies and submits with an after-photo on the item page
// (multipart, CSRF); the grid worker checks on site on the phone and sends it
// back (退回重办); the handler's resubmission without a new photo is refused
// (the photo from before the return does not count) and goes through with a
// new one; the grid worker verifies: 已办结.  The item page shows the photos
// by phase.  Screenshots to tests/artifacts/hazard-loop-*.png.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { startServer } = require('../lib/server.js');
const { png } = require('../lib/png.js');

const ART = path.join(__dirname, '..', 'artifacts');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const DESK = { viewport: { width: 1280, height: 900 } };

async function login(browser, s, user, size, problems) {
  const ctx = await browser.newContext({ ...size, locale: 'zh-CN' });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => problems.push(`${user}: ${e}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (409|422)/.test(m.text())) problems.push(`${user}: ${m.text()}`);
  });
  await page.goto(s.url + '/login');
  await page.fill('#username', user);
  await page.fill('#password', s.logins[user]);
  // a grid worker lands on the report page, everyone else here on "/"
  const home = user === 'grid' ? '/report' : '/';
  await Promise.all([page.waitForURL(s.url + home), page.click('button[type=submit]')]);
  return page;
}

const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');

test('a hazard goes round the loop in the browser: report, triage, assign, accept, submit with a photo, return, new photo, verify', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ demo: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const problems = [];
  const shot = (page, name) => page.screenshot({ path: path.join(ART, `hazard-loop-${name}.png`), fullPage: true });

  // 1. the grid worker reports from the phone
  const grid = await login(browser, s, 'grid', PHONE, problems);
  await grid.goto(s.url + '/report');
  await grid.selectOption('#category', 'fire');
  await grid.selectOption('[name="attr.fire.exit_blocked"]', 'yes');
  await grid.fill('#address', '东城街道 金城路 12 号');
  await grid.fill('#description', '12 号楼消防通道堆放纸箱，安全出口被堵');
  const before = png(48, 32, [180, 40, 30]);
  await grid.setInputFiles('#photo', { name: 'before.png', mimeType: 'image/png', buffer: before });
  await Promise.all([grid.waitForURL(/\/report\?done=\d+$/), grid.click('form[action="/report"] button.primary')]);
  const id = Number(new URL(grid.url()).searchParams.get('done'));
  const item = `${s.url}/items/${id}`;
  await shot(grid, '1-reported');

  // 2. the office triages and assigns it (desk)
  const boss = await login(browser, s, 'supervisor', DESK, problems);
  await boss.goto(s.url + '/hazards');
  const card = boss.locator('li.hazard', { hasText: '金城路 12 号' });
  await card.locator('input[name=deadline]').fill('2030-03-31');
  await Promise.all([boss.waitForURL(/\/hazards\?done=\d+$/), card.locator('button[type=submit]').click()]);
  await boss.goto(item);
  assert.equal(await boss.locator('.badges .status').textContent(), '已交办');
  await shot(boss, '2-assigned');

  // 3. the handler of 应急管理局 signs for it on the item page
  const yjj = await login(browser, s, 'yjj', DESK, problems);
  await yjj.goto(item);
  await Promise.all([yjj.waitForURL(/\?done=accept$/), yjj.click('form.act-button:has(input[value=accept]) button')]);
  assert.equal(await yjj.locator('.badges .status').textContent(), '已签收');

  // 4. rectified: the submit form takes the after-photo (multipart with CSRF)
  const form = yjj.locator('details.a-submit form');
  assert.equal(await form.getAttribute('enctype'), 'multipart/form-data');
  assert.equal(await form.locator('input[name=csrf]').count(), 1);
  assert.equal(await form.locator('input[type=file][name=photos][multiple]').count(), 1);
  if (!await yjj.locator('details.a-submit').getAttribute('open')) await yjj.click('details.a-submit summary');
  const first = png(48, 32, [40, 160, 60]);
  await form.locator('textarea[name=text]').fill('纸箱已清运，消防通道畅通');
  await form.locator('input[name=photos]').setInputFiles({ name: 'after1.png', mimeType: 'image/png', buffer: first });
  await shot(yjj, '3-submit-form');
  await Promise.all([yjj.waitForURL(/\?done=submit$/), form.locator('button[type=submit]').click()]);
  assert.equal(await yjj.locator('.badges .status').textContent(), '已提交');
  assert.deepEqual(await yjj.locator('.details .photos figcaption').allInnerTexts().then((l) => l.map((x) => x.split(' · ')[0])), ['上报时', '整改后']);
  await shot(yjj, '4-submitted');

  // 5. the grid worker checks on site and sends it back (phone)
  await grid.goto(item);
  assert.equal(await grid.locator('.details .photos img').count(), 2, 'the grid sees the after-photo');
  const reject = grid.locator('details.a-reject');
  await reject.locator('summary').click();
  await reject.locator('textarea[name=reason]').fill('楼梯间仍堆放纸箱');
  await shot(grid, '5-reject-form');
  await Promise.all([grid.waitForURL(/\?done=reject$/), reject.locator('button[type=submit]').click()]);
  assert.equal(await grid.locator('.badges .status').textContent(), '办理中');
  const overflow = await grid.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the item page scrolls sideways by ${overflow}px on a phone`);
  await shot(grid, '6-returned');

  // 6. resubmitting without a new photo is refused; the form says the photos must come again
  await yjj.goto(item);
  if (!await yjj.locator('details.a-submit').getAttribute('open')) await yjj.click('details.a-submit summary');
  const again = yjj.locator('details.a-submit form');
  await again.locator('textarea[name=text]').fill('楼梯间纸箱已清运');
  await again.locator('button[type=submit]').click();
  await yjj.waitForLoadState();
  assert.equal(await yjj.locator('details.a-submit[open] .alert').textContent(),
    '整改被退回过：请上传新拍的整改后现场照片再提交，退回前的照片不能再用。');
  assert.equal(await yjj.inputValue('details.a-submit textarea[name=text]'), '楼梯间纸箱已清运');
  assert.equal(await yjj.locator('details.a-submit small.again').textContent(), '照片没有保存，请重新选择。');
  assert.equal(await yjj.locator('.badges .status').textContent(), '办理中');
  await shot(yjj, '7-refused-old-photo');
  const second = png(48, 32, [30, 90, 200]);
  await yjj.locator('details.a-submit input[name=photos]').setInputFiles({ name: 'after2.png', mimeType: 'image/png', buffer: second });
  await Promise.all([yjj.waitForURL(/\?done=submit$/), yjj.click('details.a-submit button[type=submit]')]);
  assert.equal(await yjj.locator('.badges .status').textContent(), '已提交');

  // 7. the grid worker verifies on site: 已办结
  await grid.goto(item);
  await Promise.all([grid.waitForURL(/\?done=verify$/), grid.click('details.a-verify button[type=submit]')]);
  assert.equal(await grid.locator('.badges .status').textContent(), '已办结');
  await shot(grid, '8-done');

  // what was stored: three photos, the two after-photos byte for byte, each
  // vouched for by its own event ahead of its submit; the chain verifies
  const sup = await s.login('supervisor');
  const h = (await s.api('GET', `/api/v1/hazards/${id}`, { token: sup })).json;
  assert.deepEqual(h.hazard.photos.map((p) => p.phase), ['report', 'after', 'after']);
  const ev = (await s.api('GET', `/api/v1/items/${id}/events`, { token: sup })).json.events;
  assert.deepEqual(ev.map((e) => e.action),
    ['create', 'triage', 'assign', 'accept', 'photo', 'submit', 'reject', 'photo', 'submit', 'verify']);
  assert.deepEqual([ev[4].data.sha256, ev[7].data.sha256], [sha(first), sha(second)]);
  assert.equal(s.cli(['verify']).status, 0);
  assert.deepEqual(problems, []);
});
