// Stored XSS, in Debian's chromium (playwright-core): markup goes into every
// text field a user can set — item title and description, feedback, reasons
// (return, extension, cancel), urge and 批示 text, unit and user names, a
// meeting's text through intake, a hazard's description and address, a
// campaign's theme — and every page that shows them is opened.  On each page
// no script may have run (window.__x stays undefined, no dialog), no element
// or handler of a payload may exist in the DOM, no link may be a javascript:
// URL, and the payload must be there as text.  The context bypasses the
// Content-Security-Policy, so the pages' escaping is tested on its own and
// not only the CSP behind it.  Forms that show typed values again after a
// refusal (new item, intake preview) get the same check.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { chromium } = require('playwright-core');
const { startServer } = require('../lib/server.js');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// tag + markup that runs a script if any part of it reaches the page as HTML
const MARKUP = '<script>window.__x=1</script>"><img src=x onerror="window.__x=1">' +
  '\'><svg onload="window.__x=1"></svg></textarea></title>{{7*7}}';
const X = (tag) => `${tag}${MARKUP}`;
// names are short (a unit's at most 100 characters): the two that run scripts
const XS = (tag) => `${tag}<script>window.__x=1</script>"><img src=x onerror=window.__x=1>{{7*7}}`;
const JS = (tag) => `javascript:window.__x=1//${tag}`;

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

// What a page must not have, and the texts it must show.
async function checkPage(page, path, texts, problems) {
  const where = `${path}`;
  const dom = await page.evaluate(() => {
    const bad = [];
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.getAttributeNames())
        if (a.startsWith('on')) bad.push(`${el.tagName} ${a}`);
      if (el.tagName === 'SCRIPT' && !el.getAttribute('src')) bad.push('inline script');
      if (el.tagName === 'IMG' && el.getAttribute('src') === 'x') bad.push('img src=x');
      for (const a of ['href', 'src', 'action', 'formaction'])
        if (/^\s*javascript:/i.test(el.getAttribute(a) || '')) bad.push(`${el.tagName} ${a}=javascript:`);
    }
    return { x: window.__x, bad, text: document.body.innerText + '\n' + [...document.querySelectorAll('input,textarea')].map((e) => e.value).join('\n') };
  });
  assert.equal(dom.x, undefined, `${where}: a payload's script ran`);
  assert.deepEqual(dom.bad, [], `${where}: payload markup reached the DOM`);
  assert.deepEqual(problems.filter((p) => p.startsWith('dialog')), [], `${where}: a dialog opened`);
  for (const t of texts) assert.ok(dom.text.includes(t), `${where}: the text ${JSON.stringify(t.slice(0, 40))} is not shown`);
  assert.ok(!dom.text.includes('49') || !texts.length || dom.text.includes('{{7*7}}'), `${where}: a template was evaluated`);
}

test('markup in every user-set text field is shown as text on every page, and no script runs', async (t) => {
  const s = await startServer({ demo: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); assert.equal(await s.stop(), 0, s.log().slice(-2000)); });
  const admin = await s.login('admin');
  const sup = await s.login('supervisor');
  const leader = await s.login('leader');
  const grid = await s.login('grid');
  let u = Object.fromEntries(must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units').units.map((x) => [x.code, x.id]));

  // a unit and a user (the CLI is the only way to name a user) with markup names
  must(await s.api('POST', '/api/v1/units', { token: admin, body: { code: 'xss', name: XS('UNIT'), kind: 'department' } }), 201, 'unit');
  u = Object.fromEntries(must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units').units.map((x) => [x.code, x.id]));
  const add = s.cli(['user', 'add', '--username', 'xss', '--unit', 'xss', '--role', 'handler', '--name', XS('USER'),
    '--password-stdin'], { input: 'xss-password-1234\n' });
  assert.equal(add.status, 0, add.stderr);
  const xss = await s.login('xss', 'xss-password-1234');

  // item A: title, description, then the loop's texts on it
  const act = async (token, id, body, status = 200) => must(await s.api('POST', `/api/v1/items/${id}/actions`, { token, body }), status, body.action);
  const a = must(await s.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'task', title: X('TITLE'), description: JS('DESC') + '\n' + X('DESC'), lead_unit_id: u.xss,
    deadline: '2031-06-30', feedback_cycle: 'monthly' } }), 201, 'item a').id;
  await act(sup, a, { action: 'assign' });
  await act(xss, a, { action: 'accept' });
  await act(xss, a, { action: 'feedback', text: X('FEEDBACK'), progress: 20 });
  await act(xss, a, { action: 'request_extension', deadline: '2031-12-31', reason: X('EXTENSION') });
  await act(sup, a, { action: 'deny_extension', text: X('DENY') });
  await act(sup, a, { action: 'urge', text: X('URGE') });
  await act(sup, a, { action: 'escalate', level: 'key', text: X('ESCALATE') });
  await act(leader, a, { action: 'instruct', text: X('INSTRUCT') });
  const child = must(await s.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'task', title: X('CHILD'), parent_id: a, lead_unit_id: u.xss } }), 201, 'child').id;
  // item B returned with a reason, item C cancelled with one
  const b = must(await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title: 'XSS 退回', lead_unit_id: u.xss, deadline: '2031-06-30' } }), 201, 'b').id;
  await act(sup, b, { action: 'assign' });
  await act(xss, b, { action: 'return', reason: X('RETURN') });
  const c = must(await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title: 'XSS 撤销' } }), 201, 'c').id;
  await act(sup, c, { action: 'cancel', reason: X('CANCEL') });
  // a hazard from the grid: description and address; a campaign's theme; a meeting's text
  const h = must(await s.api('POST', '/api/v1/hazards', { token: grid, body: {
    category: 'fire', description: X('HAZDESC'), address: JS('ADDR') + X('ADDR') } }), 201, 'hazard').id;
  const camp = must(await s.api('POST', '/api/v1/campaigns', { token: sup, body: {
    theme: X('THEME'), month: '2031-01', categories: ['fire'], unit_ids: [u.dc] } }), 201, 'campaign').campaign.id;
  const meet = must(await s.api('POST', '/api/v1/meetings', { token: sup, body: {
    text: `市委召开常委会议${X('MEETING')}。会议要求，各部门要抓好安全生产${X('DIRECTIVE')}。`, items: [{ directive: 0 }] } }), 201, 'meeting');

  const browse = async (username, password, visits) => {
    const ctx = await browser.newContext({ bypassCSP: true, locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const problems = [];
    page.on('dialog', (d) => { problems.push('dialog: ' + d.message()); d.dismiss(); });
    await page.goto(s.url + '/login');
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.click('button[type=submit]');
    await page.waitForLoadState();
    for (const [path, texts] of visits) {
      const r = await page.goto(s.url + path);
      assert.equal(r.status(), 200, `${username} ${path}: ${r.status()}`);
      await checkPage(page, `${username} ${path}`, texts, problems);
    }
    return { ctx, page, problems };
  };

  const sp = await browse('supervisor', s.logins.supervisor, [
    ['/', []], ['/dashboard', []],
    ['/items', ['TITLE<script>']],
    ['/items?q=' + encodeURIComponent('TITLE<script>'), ['TITLE<script>']],
    [`/items/${a}`, ['TITLE<script>', 'DESC<script>', 'javascript:window.__x=1//DESC', 'FEEDBACK<script>',
      'EXTENSION<script>', 'DENY<script>', 'URGE<script>', 'ESCALATE<script>', 'INSTRUCT<script>', 'UNIT<script>']],
    [`/items/${a}/tree`, ['TITLE<script>', 'CHILD<script>']],
    [`/items/${child}`, ['CHILD<script>']],
    [`/items/${b}`, ['RETURN<script>']],
    [`/items/${c}`, ['CANCEL<script>']],
    ['/units', ['UNIT<script>']],
    ['/items/new', ['UNIT<script>']],
    ['/hazards', []],
    [`/items/${h}`, ['HAZDESC<script>', 'javascript:window.__x=1//ADDR']],
    ['/campaigns', ['THEME<script>']],
    [`/campaigns/${camp}`, ['THEME<script>']],
    [`/meetings/${meet.meeting_id}`, ['MEETING<script>', 'DIRECTIVE<script>']],
    [`/items/${meet.item_ids[0]}`, []],
    ['/inbox', ['RETURN<script>']], ['/messages', ['RETURN<script>']], ['/prefs', []],
    ['/notices', []], ['/intake', []],
  ]);
  // a notice of this month names the units: issue one and open it
  const today = new Date().toISOString().slice(0, 10);
  const n = must(await s.api('POST', '/api/v1/notices', { token: sup, body: { from: today.slice(0, 8) + '01', to: today } }), 201, 'notice').id;
  await sp.page.goto(`${s.url}/notices/${n}`);
  await checkPage(sp.page, `/notices/${n}`, [], sp.problems);

  // forms that show the typed text again after a refusal
  await sp.page.goto(s.url + '/items/new');
  await sp.page.fill('#title', X('NEWTITLE'));
  if (await sp.page.locator('#description').count()) await sp.page.fill('#description', X('NEWDESC'));
  await sp.page.fill('#deadline', '2025-02-30');
  await sp.page.click('main button[type=submit]');
  await sp.page.waitForLoadState();
  await checkPage(sp.page, '/items/new refused', [], sp.problems);
  assert.equal(await sp.page.inputValue('#title'), X('NEWTITLE'), 'the refused form keeps the title as typed');
  await sp.page.goto(s.url + '/intake');
  await sp.page.fill('textarea[name=text]', `市委召开常委会议。会议要求，各部门要抓好落实${X('INTAKE')}。`);
  await sp.page.click('main button[type=submit]');
  await sp.page.waitForLoadState();
  await checkPage(sp.page, '/intake preview', ['INTAKE<script>'], sp.problems);
  await sp.ctx.close();

  // the user with a markup name, on their own pages (the name is in the header)
  const xp = await browse('xss', 'xss-password-1234', [
    ['/', ['USER<script>']], ['/inbox', ['USER<script>']], ['/feedback', ['USER<script>', 'TITLE<script>']],
    [`/items/${a}`, ['USER<script>', 'FEEDBACK<script>']], ['/items', ['TITLE<script>']],
    ['/messages', ['USER<script>']],
  ]);
  await xp.ctx.close();
  // the grid worker's reporting page lists the hazard
  const gp = await browse('grid', s.logins.grid, [['/report', []], [`/items/${h}`, ['HAZDESC<script>']]]);
  await gp.ctx.close();
  const lp = await browse('leader', s.logins.leader, [[`/items/${a}`, ['INSTRUCT<script>']], ['/', []]]);
  await lp.ctx.close();
});
