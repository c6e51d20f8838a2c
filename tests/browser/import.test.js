// Importing a 任务分解表 through the pages in Debian's chromium (playwright-core), no script
// involved: the office chooses a sheet with bad rows and sees each problem under its row and no
// confirm button; then chooses the fixed sheet (written by exceljs), sees the four rows with
// their parent rows and deadlines, confirms, and lands on the list of imported items.  A
// screenshot of each preview goes to tests/artifacts/.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const ExcelJS = require('exceljs');
const { chromium } = require('playwright-core');
const { startServer } = require('../lib/server.js');

const ART = path.join(__dirname, '..', 'artifacts');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function sheet() {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('任务分解表');
  ws.addRow(['序号', '任务名称', '牵头单位', '完成时限', '反馈周期']);
  ws.addRow(['1', '汛前隐患排查', '应急管理局', new Date(Date.UTC(2030, 5, 30)), '每月']);
  ws.addRow(['1.1', '河道排查', '东城街道', new Date(Date.UTC(2030, 4, 31)), '每周']);
  ws.addRow(['1.2', '山塘排查', '古山镇', new Date(Date.UTC(2030, 4, 31)), '每周']);
  ws.addRow(['2', '低效用地摸底', '低效工业用地整治专班', new Date(Date.UTC(2030, 8, 30)), '季度']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

test('the office previews a sheet with problems, then imports the fixed one', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ demo: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const problems = [];
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  // the preview of a sheet with problems is answered 422, as every refused form is
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 422/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(s.url + '/login');
  await page.fill('#username', 'supervisor');
  await page.fill('#password', s.logins.supervisor);
  await page.click('button[type=submit]');
  await page.waitForURL(s.url + '/');

  await page.goto(s.url + '/import');
  await page.locator('input[name=file]').setInputFiles({ name: '分解表.csv', mimeType: 'text/csv',
    buffer: Buffer.from('序号,任务名称,牵头单位,完成时限\n1,甲,无此局,2030-02-30\n1.1,乙,应急管理局,\n') });
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  assert.equal(await page.locator('#import-problems').innerText(), '表格有问题，未导入；请修改后重新上传。问题数：2');
  assert.deepEqual(await page.locator('#import-preview tbody tr').first().locator('span.problem').allInnerTexts(),
    ['列 C 没有这个单位：无此局', '列 D 日期无效：2030-02-30']);
  assert.equal(await page.locator('#import-confirm').count(), 0);
  assert.equal(await page.locator('#import-preview tbody tr.bad').count(), 1, 'the row with problems is marked');
  await page.screenshot({ path: path.join(ART, 'import-problems.png'), fullPage: true });

  await page.goto(s.url + '/import');
  await page.locator('input[name=file]').setInputFiles({ name: '分解表.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await sheet() });
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  const rows = await page.locator('#import-preview tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 7).map((td) => td.textContent)));
  assert.deepEqual(rows, [
    ['2', '1', '汛前隐患排查', '应急管理局', '2030-06-30', '每月', ''],
    ['3', '1.1', '河道排查', '东城街道', '2030-05-31', '每周', '2'],
    ['4', '1.2', '山塘排查', '古山镇', '2030-05-31', '每周', '2'],
    ['5', '2', '低效用地摸底', '低效工业用地整治专班', '2030-09-30', '每季度', ''],
  ]);
  await page.screenshot({ path: path.join(ART, 'import-preview.png'), fullPage: true });
  await Promise.all([page.waitForURL(s.url + '/items?source=import'), page.click('#import-confirm')]);
  const body = await page.locator('main').innerText();
  for (const title of ['汛前隐患排查', '河道排查', '山塘排查', '低效用地摸底']) assert.match(body, new RegExp(title));
  assert.deepEqual(problems, []);
});
