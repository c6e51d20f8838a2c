// A grid worker reports a hazard from a phone (390×844) in Debian's chromium:
// the position comes from the browser's geolocation (granted and faked by the
// test), a photo (a tiny PNG made here) is uploaded, a bad photo is refused
// with the form kept; "my reports" lists the report with its status; the
// office triages and assigns it on the triage page; the campaign page counts
// it.  Screenshots to tests/artifacts/report-*.png.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { chromium } = require('playwright-core');
const { startServer } = require('../lib/server.js');

const ART = path.join(__dirname, '..', 'artifacts');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// A w×h RGB PNG of one colour, written from scratch (signature, IHDR, IDAT, IEND).
function png(w, h, rgb) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(w).fill(rgb).flat())]);
  const raw = Buffer.concat(Array(h).fill(row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

test('a grid worker reports from a phone; the office triages; the campaign counts it', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ demo: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const ctx = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    locale: 'zh-CN', geolocation: { latitude: 28.8995, longitude: 120.0412 }, permissions: ['geolocation'],
  });
  const page = await ctx.newPage();
  const problems = [];
  // the refused form answers 422 on purpose; any other console error is a problem
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 422/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  const shot = (name) => page.screenshot({ path: path.join(ART, `report-${name}.png`), fullPage: true });
  const noSideScroll = async () => assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scroll at 390 px');

  await page.goto(s.url + '/login?next=/report');
  await page.fill('#username', 'grid');
  await page.fill('#password', s.logins.grid);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/report$/);
  assert.equal(await page.textContent('h1'), '隐患上报');
  await page.waitForFunction(() => document.getElementById('lat').value !== '');
  assert.equal(await page.inputValue('#lat'), '28.899500');
  assert.equal(await page.inputValue('#long'), '120.041200');
  assert.match(await page.textContent('#geo'), /已获取位置/);
  assert.match(await page.textContent('.mine'), /还没有上报/);
  await noSideScroll();
  await shot('1-form');

  // a file that is not an image is refused, and what was typed stays
  await page.selectOption('#category', 'fire');
  await page.fill('#description', '楼道内电动自行车违规充电');
  await page.fill('#address', '东城街道 金城路 3 号');
  await page.setInputFiles('#photo', { name: 'x.png', mimeType: 'image/png', buffer: Buffer.from('not a picture') });
  await page.click('form[action="/report"] button[type=submit]');
  assert.match(await page.textContent('.alert'), /JPEG 或 PNG/);
  assert.equal(await page.inputValue('#description'), '楼道内电动自行车违规充电');
  await shot('2-refused');

  await page.selectOption('#category', 'fire');
  const photo = png(64, 48, [200, 60, 40]);
  await page.setInputFiles('#photo', { name: 'site.png', mimeType: 'image/png', buffer: photo });
  await page.click('form[action="/report"] button[type=submit]');
  await page.waitForURL(/\/report\?done=\d+$/);
  const id = Number(new URL(page.url()).searchParams.get('done'));
  assert.match(await page.textContent('.ok'), new RegExp(`#${id}`));
  const mine = await page.textContent('.mine');
  assert.match(mine, /消防隐患：东城街道 金城路 3 号/);
  assert.match(mine, /待分派/);
  await noSideScroll();
  await shot('3-reported');
  // the report's own page opens for its reporter, with the photo it sent
  const resp = await Promise.all([page.waitForNavigation(), page.click('.mine a')]);
  assert.equal(resp[0].status(), 200);
  assert.match(page.url(), new RegExp(`/hazards/${id}$`));
  assert.match(await page.textContent('h1'), /消防隐患：东城街道 金城路 3 号/);
  assert.match(await page.textContent('main'), /28\.899500, 120\.041200/);
  assert.ok(await page.evaluate(() => { const i = document.querySelector('.photos img'); return i && i.complete && i.naturalWidth === 64; }), 'the photo shows');
  await noSideScroll();
  await shot('3b-hazard');
  await page.goBack();

  // what was stored: the position, the photo (byte for byte), the grid
  const sup = await s.login('supervisor');
  const h = await s.api('GET', `/api/v1/hazards/${id}`, { token: sup });
  assert.equal(h.json.hazard.lat, 28.8995);
  assert.equal(h.json.hazard.long, 120.0412);
  assert.equal(h.json.hazard.channel, 'web');
  assert.equal(h.json.hazard.photos.length, 1);
  const img = await page.request.get(s.url + h.json.hazard.photos[0].url);
  assert.equal(img.status(), 200);
  assert.equal(img.headers()['content-type'], 'image/png');
  assert.deepEqual(Buffer.from(await img.body()), photo);

  // the office triages and assigns it on the triage page (desk size)
  const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const office = await desk.newPage();
  office.on('pageerror', (e) => problems.push(String(e)));
  await office.goto(s.url + '/login?next=/hazards');
  await office.fill('#username', 'supervisor');
  await office.fill('#password', s.logins.supervisor);
  await office.click('button[type=submit]');
  await office.waitForURL(/\/hazards$/);
  const card = office.locator('li.hazard', { hasText: '东城街道 金城路 3 号' });
  assert.match(await card.textContent(), /路由建议: 应急管理局|路由建议：应急管理局|应急管理局/);
  await card.locator('input[name=deadline]').fill('2030-01-31');
  await office.screenshot({ path: path.join(ART, 'report-4-triage.png'), fullPage: true });
  await card.locator('button[type=submit]').click();
  await office.waitForURL(/\/hazards\?done=\d+$/);
  const after = await s.api('GET', `/api/v1/hazards/${id}`, { token: sup });
  assert.equal(after.json.status, 'assigned');
  assert.equal(after.json.lead_unit.code, 'yjj');
  assert.equal(after.json.deadline, '2030-01-31');

  // the grid worker reports the same again; the office marks it a duplicate
  const gridToken = await s.login('grid');
  const again = await s.api('POST', '/api/v1/hazards', { token: gridToken, body: { category: 'fire', description: '还是那辆电动车', address: '金城路 3 号楼道' } });
  assert.equal(again.status, 201);
  const dup = await s.api('POST', `/api/v1/items/${again.json.id}/actions`, { token: sup, body: { action: 'cancel', reason: '重复上报', duplicate_of: id } });
  assert.equal(dup.status, 200);

  // the grid worker sees the new status, and the duplicate follows its original;
  // the demo campaign (燃气与消防) counts the original only
  await page.goto(s.url + '/report');
  const rows = await page.locator('.mine li').allTextContents();
  assert.match(rows[0], new RegExp(`金城路 3 号楼道.*重复于 #${id}.*已交办`));
  assert.match(rows[1], /东城街道 金城路 3 号.*已交办/);
  await page.goto(s.url + '/campaigns');
  assert.match(await page.textContent('main'), /燃气与消防安全大整治/);
  await page.click('a:has-text("燃气与消防安全大整治")');
  assert.match(await page.textContent('main'), /东城街道第一网格/);
  await noSideScroll();
  await shot('5-campaign');
  // a major hazard, once assigned, shows its listing notice (挂牌督办)
  const major = await s.api('POST', '/api/v1/hazards', { token: sup, body: { category: 'hazchem', description: '危化品仓库超量储存', grid_unit_id: after.json.hazard.grid_unit_id } });
  const plan = { targets: '清理超量', measures: '转移至合规仓库', funds: '5 万元', responsible: '企业负责人', time_limit: '30 日', safety: '专人监护' };
  for (const body of [{ action: 'triage', level: 'major', deadline: '2030-02-28', plan }, { action: 'assign' }]) {
    const a = await s.api('POST', `/api/v1/items/${major.json.id}/actions`, { token: sup, body });
    assert.equal(a.status, 200, a.text);
  }
  await office.goto(`${s.url}/hazards/${major.json.id}`);
  const notice = await office.textContent('.listing');
  assert.match(notice, /重大事故隐患挂牌督办通知/);
  assert.match(notice, /应急管理局/);
  assert.match(notice, /2030-02-28/);
  assert.match(await office.textContent('main'), /转移至合规仓库/);
  await office.screenshot({ path: path.join(ART, 'report-5b-listing.png'), fullPage: true });

  // the office starts next month's campaign from the campaigns page
  await office.goto(s.url + '/campaigns');
  await office.fill('#theme', '粉尘涉爆专项整治');
  await office.fill('#month', '2030-05');
  await office.check('input[name=category][value=dust_explosion]');
  await office.check('label:has-text("东城街道") input[name=unit_id]');
  await Promise.all([office.waitForURL(/\/campaigns\/\d+$/), office.click('form[action="/campaigns"] button[type=submit]')]);
  assert.equal(await office.textContent('h1'), '粉尘涉爆专项整治');
  assert.match(await office.textContent('main'), /2030-05 · 领域: 粉尘涉爆/);
  await office.screenshot({ path: path.join(ART, 'report-6-new-campaign.png'), fullPage: true });
  const list = await s.api('GET', '/api/v1/campaigns', { token: sup });
  const made = list.json.campaigns.find((c) => c.theme === '粉尘涉爆专项整治');
  assert.deepEqual([made.month, made.categories], ['2030-05', ['dust_explosion']]);
  assert.equal(made.unit_ids.length, 1);
  assert.deepEqual(problems, []);
  await desk.close();
});
