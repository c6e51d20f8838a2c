// A supervisor turns a meeting report into drafts in Debian's chromium
// (playwright-core): opens 会议录入 from the navigation, pastes the seed, sees
// the cleaned text with every directive marked and the table of directives,
// keeps two of them (one with an edited title and deadline), creates them,
// lands on the meeting's page with both items marked in their paragraphs,
// and follows an item back to its paragraph (numbered from 1 on the pages).
// Also: a .txt chosen with the file picker fills the box (assets/intake.js),
// a .docx is left to go with the form and read by the server, and a file
// that is neither UTF-8 nor GB18030 is refused with its byte offset.  Screenshots, desk and phone, go to
// tests/artifacts/intake-*.png.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { startServer } = require('../lib/server.js');
const { makeDocx } = require('../lib/documents.js');

const ART = path.join(__dirname, '..', 'artifacts');
const SEED_FILE = path.join(__dirname, '..', 'intake', 'seed.txt');
const SEED = fs.readFileSync(SEED_FILE, 'utf8');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

test('a supervisor pastes the seed, keeps two directives, lands on the meeting', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ demo: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  const shot = (name, p = page) => p.screenshot({ path: path.join(ART, `intake-${name}.png`), fullPage: true });

  await page.goto(s.url + '/login');
  await page.fill('#username', 'supervisor');
  await page.fill('#password', s.logins.supervisor);
  await page.click('button[type=submit]');
  await page.waitForURL(s.url + '/');
  await page.click('nav.main a[href="/intake"]');
  assert.equal(await page.locator('main h1').textContent(), '会议录入');
  assert.equal(await page.locator('nav.main a.on').textContent(), '会议录入');
  assert.ok(await page.locator('.file-pick').isVisible(), 'the file picker shows');

  // A file that is not UTF-8 is refused in the page, naming the byte.
  const bad = path.join(s.dir, 'bad.txt');
  fs.writeFileSync(bad, Buffer.concat([Buffer.from('会议要求，'), Buffer.from([0xff])]));
  await page.setInputFiles('#file', bad);
  await page.locator('#file-error').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#file-error').textContent(), '文件不是 UTF-8 文本：第一个无效字节的位置是 15');
  // A .docx is left in the picker for the server, with a note saying so.
  const docx = path.join(s.dir, 'seed.docx');
  fs.writeFileSync(docx, makeDocx(SEED));
  await page.setInputFiles('#file', docx);
  await page.locator('#file-note').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#file-note').textContent(), '提交后由服务器读取：seed.docx (docx)');
  assert.equal(await page.evaluate(() => document.getElementById('file').files.length), 1);
  assert.ok(!(await page.locator('#file-error').isVisible()));
  // The seed as a file fills the box exactly.
  await page.setInputFiles('#file', SEED_FILE);
  await page.waitForFunction(() => document.getElementById('text').value.length > 1000);
  assert.equal(await page.inputValue('#text'), SEED.replace(/\r\n/g, '\n'));
  assert.ok(!(await page.locator('#file-error').isVisible()));
  assert.ok(!(await page.locator('#file-note').isVisible()));
  assert.equal(await page.evaluate(() => document.getElementById('file').files.length), 0);
  await shot('1-paste');

  await page.click('main button[type=submit]');
  await page.waitForURL(s.url + '/intake');
  assert.equal(await page.locator('main h1').textContent(), '核对要求');
  assert.equal(await page.locator('.cleaned mark').count(), 15);
  assert.equal(await page.locator('.cleaned p.para').count(), 21);
  // paragraphs are numbered for people from 1; the anchors keep the API's index
  assert.equal(await page.locator('#p0 a.pn').textContent(), '1');
  assert.equal(await page.locator('#p20 a.pn').textContent(), '21');
  assert.equal(await page.locator('table.intake tbody tr').count(), 15);
  assert.match(await page.locator('#d1').textContent(), /^2市委组织部、市委党校要把习近平总书记的要求/);
  // the lead unit is pre-selected from the units the text names
  const lead1 = await page.locator('select[name=u1] option:checked').textContent();
  assert.equal(lead1, '市委组织部');
  assert.equal(await page.locator('select[name=u5] option:checked').textContent(), '应急管理局');
  await shot('2-preview');

  // Keep directives 2 and 6; give the second a title and a deadline of its own.
  for (const box of await page.locator('input[name=pick]').all()) await box.uncheck();
  await page.check('input[name=pick][value="1"]');
  await page.check('input[name=pick][value="5"]');
  await page.fill('input[name=t5]', '时刻绷紧安全弦，坚持底线思维');
  await page.fill('input[name=d5]', '2026-12-31');
  await page.click('button.primary:has-text("创建选中事项")');
  await page.waitForURL(/\/meetings\/\d+$/);
  assert.equal(await page.locator('main h1').textContent(), '市委常委会（扩大）会议');
  const rows = page.locator('table.items tbody tr');
  assert.equal(await rows.count(), 2);
  assert.equal(await rows.nth(1).locator('td.t a').textContent(), '时刻绷紧安全弦，坚持底线思维');
  assert.equal(await rows.nth(1).locator('td.d').textContent(), '2026-12-31');
  assert.equal(await page.locator('.cleaned mark').count(), 2);
  await shot('3-meeting');

  // The item links back to its paragraph, which the page then highlights.
  await rows.nth(1).locator('td.t a').click();
  await page.waitForURL(/\/items\/\d+$/);
  assert.equal(await page.locator('h1.item-title').textContent(), '时刻绷紧安全弦，坚持底线思维');
  const back = page.locator('a.from-meeting');
  assert.match(await back.textContent(), /^市委常委会（扩大）会议 · ¶7$/);
  await shot('4-item');
  await back.click();
  await page.waitForURL(/\/meetings\/\d+#p6$/);
  assert.ok(await page.locator('#p6 mark').isVisible());
  assert.equal(await page.locator('#p6 a.pn').textContent(), '7');
  await shot('5-paragraph');

  // Phone width: the preview reads without sideways scrolling.
  const phone = await ctx.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(s.url + '/intake');
  await phone.fill('#text', SEED);
  await phone.click('main button[type=submit]');
  await phone.waitForURL(s.url + '/intake');
  const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `page is ${wide}px wide`);
  await shot('6-preview-phone', phone);
  assert.deepEqual(problems, []);
});
