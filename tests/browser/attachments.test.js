// Evidence through the pages in Debian's chromium (playwright-core): the bureau's handler (yjj)
// opens an accepted item, chooses two files in the feedback form's file input (no script
// involved: a multipart form) and sends; the timeline lists both with their sizes as download
// links, and the first downloads as itself.  A screenshot goes to tests/artifacts/.
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
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

test('a handler attaches two files to feedback on the item page; the timeline lists them', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ demo: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const problems = [];
  const sup = await s.login('supervisor'), yjj = await s.login('yjj');
  const units = (await s.api('GET', '/api/v1/units', { token: sup })).json.units;
  const created = await s.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'task', title: '汛前排查佐证', lead_unit_id: units.find((u) => u.code === 'yjj').id, deadline: '2030-06-30' } });
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  for (const [token, action] of [[sup, 'assign'], [yjj, 'accept']]) {
    const r = await s.api('POST', `/api/v1/items/${id}/actions`, { token, body: { action } });
    assert.equal(r.status, 200, r.text);
  }

  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(s.url + '/login');
  await page.fill('#username', 'yjj');
  await page.fill('#password', s.logins.yjj);
  await Promise.all([page.waitForURL(s.url + '/'), page.click('button[type=submit]')]);
  await page.goto(`${s.url}/items/${id}`);
  const form = page.locator('details.a-feedback form');
  await form.locator('textarea[name=text]').fill('已完成河道排查，附报告与清单');
  await form.locator('input[name=attachment_ids]').setInputFiles([
    { name: '排查报告.pdf', mimeType: 'application/pdf', buffer: PDF },
    { name: '隐患清单.txt', mimeType: 'text/plain', buffer: Buffer.from('1. 河堤裂缝\n'.repeat(200)) },
  ]);
  await Promise.all([page.waitForURL(new RegExp(`/items/${id}\\?done=feedback$`)), form.locator('button[type=submit]').click()]);
  const files = page.locator('ol.timeline li.a-feedback ul.files li');
  assert.deepEqual(await files.allInnerTexts(), ['排查报告.pdf 1 KB', '隐患清单.txt 4 KB']);
  await page.screenshot({ path: path.join(ART, 'attachments-feedback.png'), fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), files.first().locator('a').click()]);
  assert.equal(download.suggestedFilename(), '排查报告.pdf');
  assert.deepEqual(fs.readFileSync(await download.path()), PDF);
  assert.deepEqual(problems, []);
});
