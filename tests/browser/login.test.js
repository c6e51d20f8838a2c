// A supervisor's path through the pages in Debian's chromium (playwright-core,
// never a downloaded browser): the login form refuses a wrong password, logs
// in, shows the dashboard with the same counts as the API, opens a red item
// with its timeline, switches to English, creates an item whose title is
// markup (it must show as text), and logs out.  Screenshots of each step,
// desk and phone, go to tests/artifacts/.
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

test('a supervisor logs in, reads the dashboard, opens an item, creates one, logs out', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ demo: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('dialog', (d) => { problems.push('dialog: ' + d.message()); d.dismiss(); });
  const shot = (name) => page.screenshot({ path: path.join(ART, `login-${name}.png`), fullPage: true });

  // Not logged in: the dashboard sends us to the login form.
  await page.goto(s.url + '/');
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(await page.locator('h1').textContent(), '登录');

  // A wrong password is refused with a message, and the user name stays.
  await page.fill('#username', 'supervisor');
  await page.fill('#password', 'not-the-password');
  await page.click('button[type=submit]');
  assert.equal(await page.locator('.alert').textContent(), '用户名或密码错误。');
  assert.equal(await page.inputValue('#username'), 'supervisor');
  await shot('1-wrong-password');
  assert.deepEqual(problems, ['Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
  problems.length = 0; /* that 401 was the point; from here on nothing may go wrong */

  // The right one lands on the dashboard, whose tiles match the API's counts.
  await page.fill('#password', s.logins.supervisor);
  await page.click('button[type=submit]');
  await page.waitForURL(s.url + '/');
  assert.equal(await page.locator('main h1').textContent(), '驾驶舱');
  assert.match(await page.locator('header .who').textContent(), /王督查/);
  const token = await s.login('supervisor');
  const all = (await s.api('GET', '/api/v1/items?limit=100', { token })).json.items;
  const count = (light) => all.filter((i) => i.light === light).length;
  const tile = async (cls) => Number(await page.locator(`.tile.${cls} b`).textContent());
  assert.equal(await tile('red'), count('red'));
  assert.equal(await tile('yellow'), count('yellow'));
  assert.equal(await tile('green'), count('green'));
  assert.equal(await tile('open'), all.length - count('none'));
  assert.equal(await tile('draft'), all.filter((i) => i.status === 'draft').length);
  assert.ok(all.every((i) => i.status !== 'draft' || i.light === 'none'), 'a draft has no light');
  assert.ok(count('red') > 0, 'the demo city has red items');
  await shot('2-dashboard');

  // Open the first red item from the attention list: its page and timeline.
  const red = page.locator('table.items tr:has(.l-red) td.t a').first();
  const title = await red.textContent();
  await red.click();
  await page.waitForURL(/\/items\/\d+$/);
  const id = Number(page.url().split('/').pop());
  const item = (await s.api('GET', `/api/v1/items/${id}`, { token })).json;
  assert.equal(item.title, title);
  assert.equal(await page.locator('h1.item-title').textContent(), title);
  assert.equal(await page.locator('.badges .light').textContent(), '红灯');
  assert.equal(await page.locator('dl.fields dd').nth(2).textContent(), item.lead_unit.name);
  const events = (await s.api('GET', `/api/v1/items/${id}/events`, { token })).json.events;
  assert.equal(await page.locator('ol.timeline li').count(), events.length);
  assert.ok(events.some((e) => e.action === 'assign'), 'a red item is assigned work');
  assert.equal(await page.locator('ol.timeline li .head b').first().textContent(), '创建');
  // one form per allowed action (a decision on an extension only while one waits)
  const forms = await page.locator('.acts input[name=action]').evaluateAll((l) => l.map((e) => e.value));
  assert.deepEqual(forms.sort(), item.allowed_actions.filter((a) => !/^(approve|deny)_extension$/.test(a)).sort());
  await shot('3-item');

  // English, via the switch; the choice sticks for the next page.
  await page.click('.lang a:has-text("English")');
  assert.equal(await page.locator('.events h2').textContent(), 'Timeline');
  assert.equal(await page.locator('.badges .light').textContent(), 'Red');
  await page.goto(s.url + '/items');
  assert.equal(await page.locator('main h1').evaluate((h) => h.firstChild.textContent.trim()), 'Items');
  // a filter applies on the button, never on a changed select (WCAG 3.2.2: no change of context on input)
  await page.selectOption('select[name=light]', 'red');
  assert.equal(new URL(page.url()).search, '');
  await Promise.all([page.waitForURL(/light=red/), page.click('form.filters button[type=submit]')]);
  assert.equal(await page.locator('table.items tbody tr').count(), count('red'));
  // the form's button sends every field, the empty ones too ("unit="): that means "any"
  await page.selectOption('select[name=light]', '');
  await Promise.all([page.waitForURL(/light=&/), page.click('form.filters button[type=submit]')]);
  await Promise.all([page.waitForURL(/q=%E5%BA%94/), page.fill('input[name=q]', '应').then(() => page.click('form.filters button[type=submit]'))]);
  assert.equal(await page.locator('table.items tbody tr').count(), all.filter((i) => /应/.test(i.title + i.description)).length);
  await shot('4-items-en');
  await page.click('.lang a:has-text("中文")');

  // A new item whose title is markup: created through the form, shown as text.
  const evil = '<script>alert(1)</script> & "引号"';
  await page.click('nav.main a[href="/items/new"]');
  await page.fill('#title', evil);
  await page.fill('#description', '第一行\n<b>第二行</b>');
  await page.selectOption('#lead_unit_id', { label: '应急管理局' });
  await page.fill('#deadline', '2030-06-30');
  await page.selectOption('#feedback_cycle', 'weekly');
  await page.click('form[action="/items/new"] button[type=submit]');
  await page.waitForURL(/\/items\/\d+$/);
  assert.equal(await page.locator('h1.item-title').textContent(), evil);
  assert.equal(await page.locator('.desc').textContent(), '第一行\n<b>第二行</b>');
  assert.equal(await page.locator('.badges .status').textContent(), '待分派');
  // the only script on the page is ours, from a file (the CSP forbids inline script)
  assert.deepEqual(await page.locator('script').evaluateAll((l) => l.map((e) => e.getAttribute('src'))),
    ['/static/app.js']);
  await shot('5-new-item');

  // On a phone the dashboard still reads: no sideways scrolling.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(s.url + '/');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the phone page scrolls sideways by ${overflow}px`);
  await shot('6-dashboard-phone');

  // Log out: the session is gone, pages ask for a login again.
  await page.click('form.logout button');
  await page.waitForURL(/\/login/);
  await page.goto(s.url + '/items');
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.deepEqual(problems, []);

  // A clean shutdown (under ASan, also: nothing leaked along the way).
  await browser.close();
  assert.equal(await s.stop(), 0, s.log());
});

// The login form sends the browser back to `next` only when it is a path on
// this site: never to another host, however the URL is disguised.
test('after login, next never leads off the site', async (t) => {
  const s = await startServer({ demo: true });
  t.after(() => s.stop());
  const cases = [
    ['/items?light=red', '/items?light=red'],
    ['//evil.example/', '/'],
    ['/\\evil.example/', '/'],
    ['/\t/evil.example/', '/'],
    ['https://evil.example/', '/'],
    ['/login', '/'],
  ];
  for (const [next, expect] of cases) {
    const body = new URLSearchParams({ username: 'supervisor', password: s.logins.supervisor, next });
    const r = await fetch(s.url + '/login', { method: 'POST', body, redirect: 'manual' });
    assert.equal(r.status, 303, next);
    assert.equal(r.headers.get('location'), expect, JSON.stringify(next));
    assert.match(r.headers.get('set-cookie'), /^luoshi_session=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Strict$/);
  }
});
