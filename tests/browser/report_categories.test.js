// The reporting page is built from each category's attributes — the same
// definitions Open311's service definition serves (issue 17, blocker 1):
//  - on a phone (390×844, zh-CN), a grid worker reports one hazard of EVERY
//    seeded category through the page: choosing the category shows exactly
//    its fields (label, required or optional, a list's values as choices) and
//    no other category's; the required ones are filled, the optional ones
//    where there are any, and what is stored is the category and those values;
//  - without script (javaScriptEnabled false), choosing 燃气 and pressing
//    "按所选类别更新表单" brings the gas fields by a round trip, typed text
//    kept; submitting 燃气 without its required field is refused by the
//    server in Chinese, and the form comes back with everything entered —
//    description, address and the photo (shown as kept) — and the photo kept
//    is the one stored, byte for byte;
//  - in English the same page labels the fields in English.
// Screenshots to tests/artifacts/report-cat-*.png.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { startServer } = require('../lib/server.js');
const { png } = require('../lib/png.js');

const ART = path.join(__dirname, '..', 'artifacts');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

async function login(ctx, s, user, next) {
  const page = await ctx.newPage();
  await page.goto(`${s.url}/login?next=${next}`);
  await page.fill('#username', user);
  await page.fill('#password', s.logins[user]);
  await Promise.all([page.waitForURL(s.url + next), page.click('button[type=submit]')]);
  return page;
}

// The fields the page shows for the chosen category: [{name, label, required, options}].
function shownFields(page) {
  return page.$$eval('fieldset.attrs:not([hidden]) :is(select, input, textarea)', (els) => els.map((el) => ({
    name: el.name,
    label: document.querySelector(`label[for="${el.id}"]`).firstChild.textContent.trim(),
    required: el.required,
    options: el.tagName === 'SELECT' ? [...el.options].map((o) => o.value).filter(Boolean) : null,
    disabled: el.closest('fieldset').disabled,
  })));
}

test('a grid worker reports one hazard of every category, each with its own fields', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ demo: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const problems = [];
  const all = (await s.api('GET', '/open311/v2/services.json')).json;
  // the enterprise requests' categories are services too (group enterprise), not hazards
  const services = all.filter((x) => x.group !== 'enterprise');
  assert.equal(services.length, 10, 'the ten seeded categories');
  assert.equal(all.length - services.length, 5, 'and the five request categories');
  const ctx = await browser.newContext({ ...PHONE, locale: 'zh-CN' });
  const page = await login(ctx, s, 'grid', '/report');
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  assert.deepEqual(await shownFields(page), [], 'no category chosen: no category fields');
  assert.equal(await page.locator('#refresh').count(), 0, 'with script the fields switch by themselves');
  const sup = await s.login('supervisor');
  let n = 0;
  for (const svc of services) {
    const def = (await s.api('GET', `/open311/v2/services/${svc.service_code}.json`)).json;
    await page.selectOption('#category', svc.service_code);
    const fields = await shownFields(page);
    assert.deepEqual(fields, def.attributes.map((a) => ({
      name: `attr.${svc.service_code}.${a.code}`, label: a.description, required: a.required,
      options: a.values ? a.values.map((v) => v.key) : null, disabled: false,
    })), `${svc.service_code}: the fields of its service definition`);
    const want = {};
    for (const a of def.attributes) {
      const value = a.values[a.values.length - 1].key; // the last choice, not a default
      await page.selectOption(`[name="attr.${svc.service_code}.${a.code}"]`, value);
      want[a.code] = value;
    }
    await page.fill('#description', `${svc.service_name}隐患，测试第 ${++n} 条`);
    await page.fill('#address', `东城街道 人民路 ${n} 号`);
    if (svc.service_code === 'gas') await page.screenshot({ path: path.join(ART, 'report-cat-1-gas.png'), fullPage: true });
    await Promise.all([page.waitForURL(/\/report\?done=\d+$/), page.click('form[action="/report"] button.primary')]);
    const id = Number(new URL(page.url()).searchParams.get('done'));
    const h = await s.api('GET', `/api/v1/hazards/${id}`, { token: sup });
    assert.equal(h.status, 200);
    assert.equal(h.json.hazard.category, svc.service_code);
    assert.deepEqual(h.json.hazard.attributes, want, `${svc.service_code}: the values chosen`);
    assert.equal(h.json.description, `${svc.service_name}隐患，测试第 ${n} 条`);
  }
  assert.equal(n, 10);
  const mine = await page.locator('.mine li').count();
  assert.equal(mine, 10);
  await page.screenshot({ path: path.join(ART, 'report-cat-2-ten.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('without script: the gas fields come by a round trip, a refusal keeps everything, the photo too', async (t) => {
  const s = await startServer({ demo: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const ctx = await browser.newContext({ ...PHONE, locale: 'zh-CN', javaScriptEnabled: false });
  const page = await login(ctx, s, 'grid', '/report');
  assert.equal(await page.isVisible('#refresh'), true, 'without script the button is there');
  await page.fill('#description', '小区门口液化气钢瓶露天堆放');
  await page.selectOption('#category', 'gas');
  assert.deepEqual(await shownFields(page), [], 'no script: nothing switches by itself');
  await Promise.all([page.waitForNavigation(), page.click('#refresh')]);
  assert.equal(await page.inputValue('#category'), 'gas');
  assert.equal(await page.inputValue('#description'), '小区门口液化气钢瓶露天堆放');
  assert.deepEqual((await shownFields(page)).map((f) => [f.name, f.label, f.required]),
    [['attr.gas.gas_type', '燃气种类', true]]);
  assert.equal(await page.locator('.alert').count(), 0, 'a round trip is not an error');
  await page.screenshot({ path: path.join(ART, 'report-cat-3-nojs-gas.png'), fullPage: true });

  // the server refuses gas without gas_type (the browser's own check is
  // bypassed, as an old phone might); everything comes back
  const photo = png(40, 30, [20, 120, 200]);
  await page.fill('#address', '东城街道 金城路 8 号');
  await page.setInputFiles('#photo', { name: 'gas.png', mimeType: 'image/png', buffer: photo });
  await page.$eval('form[action="/report"]', (f) => { f.noValidate = true; });
  await Promise.all([page.waitForNavigation(), page.click('form[action="/report"] button.primary')]);
  const alert = await page.textContent('.alert');
  assert.match(alert, /未能上报/);
  assert.match(alert, /燃气种类/);
  assert.doesNotMatch(alert, /attribute|required/);
  assert.equal(await page.inputValue('#category'), 'gas');
  assert.equal(await page.inputValue('#description'), '小区门口液化气钢瓶露天堆放');
  assert.equal(await page.inputValue('#address'), '东城街道 金城路 8 号');
  assert.match(await page.textContent('#kept'), /已保留刚才选择的照片.*1 KB/);
  assert.equal(Buffer.from(await page.inputValue('#photo_kept'), 'base64').equals(photo), true);
  await page.screenshot({ path: path.join(ART, 'report-cat-4-refused-kept.png'), fullPage: true });

  await page.selectOption('[name="attr.gas.gas_type"]', 'bottled');
  await Promise.all([page.waitForURL(/\/report\?done=\d+$/), page.click('form[action="/report"] button.primary')]);
  const id = Number(new URL(page.url()).searchParams.get('done'));
  const sup = await s.login('supervisor');
  const h = await s.api('GET', `/api/v1/hazards/${id}`, { token: sup });
  assert.deepEqual(h.json.hazard.attributes, { gas_type: 'bottled' });
  assert.equal(h.json.hazard.photos.length, 1);
  const img = await s.api('GET', h.json.hazard.photos[0].url, { token: sup });
  assert.equal(img.status, 200);
  const bytes = Buffer.from(await (await fetch(s.url + h.json.hazard.photos[0].url, { headers: { Authorization: 'Bearer ' + sup } })).arrayBuffer());
  assert.equal(bytes.equals(photo), true, 'the kept photo is the one stored');
});

test('the category fields in English', async (t) => {
  const s = await startServer({ demo: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await login(ctx, s, 'grid', '/report');
  await page.goto(s.url + '/report?lang=en');
  await page.selectOption('#category', 'fire');
  assert.equal(await page.textContent('fieldset.attrs:not([hidden]) legend'), 'Fire safety · Details');
  assert.match(await page.textContent('fieldset.attrs:not([hidden]) label'), /\(optional\)/);
  await page.screenshot({ path: path.join(ART, 'report-cat-5-en.png'), fullPage: true });
});
