// Accessibility of the pages (WCAG 2.1 AA, GB/T 37668-2019) in Debian's
// chromium: axe-core (pinned in tests/package.json) over every page of every
// role at a desk (1366x900) and a phone (390x844), with zero violations of
// the WCAG 2.0/2.1 A and AA rules; a keyboard walk (the skip link is the
// first tab stop and lands in <main>, every focused element shows an outline
// that differs from what is behind it); and reflow at 320 px (no page scrolls
// sideways, the navigation wraps, unit names are shown whole).  Screenshots
// of each page at both sizes go to tests/artifacts/a11y-*.png.
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
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const DESK = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const NARROW = { width: 320, height: 640 };

// The pages each role reads; {item} and the like are filled from the demo city.
const PAGES = {
  supervisor: ['/', '/inbox', '/messages', '/items', '/items/{item}', '/items/{item}/tree', '/units',
    '/items/new', '/intake', '/notices', '/notices/{notice}', '/report', '/hazards', '/hazards/{hazard}',
    '/campaigns', '/campaigns/{campaign}', '/meetings/{meeting}', '/feedback', '/prefs',
    '/account/password', '/admin/keywords', '/admin/settings', '/admin/calendar',
    '/admin/deductions', '/admin/history', '/instructions', '/instructions/{ifile}'],
  admin: ['/', '/admin/channels', '/admin/outbox'],
  leader: ['/', '/notices', '/items', '/instructions', '/instructions/{ifile}'],
  yjj: ['/', '/dashboard', '/feedback', '/items', '/items/{own}'],
  grid: ['/', '/report'],
};

async function login(ctx, s, who) {
  const page = await ctx.newPage();
  await page.goto(s.url + '/login');
  await page.fill('#username', who);
  await page.fill('#password', s.logins[who]);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

// The ids the page list needs, read from the demo city through the API.
async function demoIds(s) {
  const token = await s.login('supervisor');
  const items = (await s.api('GET', '/api/v1/items?limit=100', { token })).json.items;
  const item = items.find((i) => i.status !== 'draft').id;
  const meeting = await s.api('GET', '/api/v1/meetings/1', { token }); /* the seed report */
  assert.equal(meeting.status, 200, meeting.text);
  const issued = await s.api('POST', '/api/v1/notices',
    { token, body: { from: '2025-01-01', to: '2025-12-31', unit: null } });
  assert.equal(issued.status, 201, issued.text);
  const campaigns = (await s.api('GET', '/api/v1/campaigns', { token })).json;
  const yjj = await s.login('yjj');
  const own = (await s.api('GET', '/api/v1/items?limit=100', { token: yjj })).json.items;
  const grid = await s.login('grid');
  const hazard = await s.api('POST', '/api/v1/hazards', { token: grid,
    body: { category: 'other', description: '井盖松动', address: '东城 人民路 9 号' } });
  assert.equal(hazard.status, 201, hazard.text);
  const ifile = await s.api('POST', '/api/v1/instruction-files', { token: await s.login('leader'),
    body: { number: '批〔2025〕1号', text: '请应急管理局牵头抓好燃气安全排查，月底前报进展。', issued_on: '2025-06-10' } });
  assert.equal(ifile.status, 201, ifile.text);
  return {
    ifile: ifile.json.id,
    item, own: own.find((i) => i.status !== 'draft').id, meeting: 1, notice: issued.json.id, hazard: hazard.json.id,
    campaign: (campaigns.campaigns || campaigns)[0] && (campaigns.campaigns || campaigns)[0].id,
  };
}

function fill(p, ids) {
  return p.replace(/\{(\w+)\}/g, (_, k) => {
    if (ids[k] === undefined) throw new Error(`the demo city has no ${k} for ${p}`);
    return ids[k];
  });
}

// axe over the page as it is: the violations of the WCAG A/AA rules, as text.
async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const r = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  }));
  return r.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

test('axe finds no WCAG 2.1 A/AA violation on any page, for any role, desk and phone', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ env: { LUOSHI_NOW: '2025-06-16' } });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const ids = await demoIds(s);
  const found = [];
  for (const size of [DESK, PHONE]) {
    const tag = size === DESK ? 'desk' : 'phone';
    const anon = await (await browser.newContext({ viewport: size, locale: 'zh-CN' })).newPage();
    await anon.goto(s.url + '/login');
    for (const v of await axe(anon)) found.push(`${tag} anonymous /login ${v}`);
    for (const [who, pages] of Object.entries(PAGES)) {
      const ctx = await browser.newContext({ viewport: size, locale: 'zh-CN' });
      const page = await login(ctx, s, who);
      for (const p of pages) {
        const url = fill(p, ids);
        const r = await page.goto(s.url + url);
        assert.equal(r.status(), 200, `${who} ${url}`);
        for (const v of await axe(page)) found.push(`${tag} ${who} ${url} ${v}`);
        // beyond axe's A/AA rules: every navigation landmark is named, no table header is empty
        const bare = await page.evaluate(() => [
          ...[...document.querySelectorAll('nav:not([aria-label])')].map((n) => `unlabelled nav.${n.className}`),
          ...[...document.querySelectorAll('th')].filter((th) => !th.textContent.trim()).map(() => 'empty th'),
        ]);
        for (const b of bare) found.push(`${tag} ${who} ${url} ${b}`);
        const name = `${who}${url.replace(/\//g, '-')}`.replace(/-$/, '');
        await page.screenshot({ path: path.join(ART, `a11y-${tag}-${name}.png`), fullPage: true });
      }
      await ctx.close();
    }
  }
  assert.deepEqual(found, []);
});

// The colour of the first ancestor (or the element) with a background, as rgb().
function focusFacts() {
  const el = document.activeElement;
  const cs = getComputedStyle(el);
  let bg = 'rgba(0, 0, 0, 0)';
  for (let n = el.parentElement; n; n = n.parentElement) {
    const b = getComputedStyle(n).backgroundColor;
    if (b !== 'rgba(0, 0, 0, 0)' && b !== 'transparent') { bg = b; break; }
  }
  const r = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''),
    text: (el.textContent || el.name || '').trim().slice(0, 20), inMain: !!el.closest('main'),
    style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), color: cs.outlineColor, bg,
    visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight + scrollY,
  };
}

test('keyboard: the skip link comes first and lands in main; every tab stop shows its focus', async (t) => {
  const s = await startServer({ env: { LUOSHI_NOW: '2025-06-16' } });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  for (const [who, pages] of [['supervisor', ['/', '/items', '/admin/keywords', '/report']], ['yjj', ['/', '/feedback']]]) {
    const ctx = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
    const page = await login(ctx, s, who);
    for (const p of pages) {
      await page.goto(s.url + p);
      await page.keyboard.press('Tab');
      const first = await page.evaluate(focusFacts);
      assert.equal(first.tag, 'a.skip', `${who} ${p}: the first tab stop`);
      assert.equal(first.text, '跳到正文');
      assert.ok(first.visible, `${who} ${p}: the skip link shows when focused`);
      let stops = 0;
      for (; stops < 60; stops++) { /* through the top bar into the page */
        await page.keyboard.press('Tab');
        const f = await page.evaluate(focusFacts);
        if (f.tag === 'body') break;
        const what = `${who} ${p} tab stop ${stops + 2} (${f.tag} "${f.text}")`;
        assert.notEqual(f.style, 'none', `${what}: has an outline`);
        assert.ok(f.width >= 2, `${what}: outline ${f.width}px`);
        assert.notEqual(f.color, f.bg, `${what}: outline ${f.color} on ${f.bg}`);
      }
      assert.ok(stops > 3, `${who} ${p}: ${stops} tab stops`);
      // the skip link moves focus to the main content
      await page.goto(s.url + p);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
      await page.keyboard.press('Tab');
      assert.equal((await page.evaluate(focusFacts)).inMain, true, `${who} ${p}: the next stop is in main`);
    }
    await ctx.close();
  }
});

test('the item filters apply on their button only: a changed select keeps the page and its focus', async (t) => {
  const s = await startServer({ env: { LUOSHI_NOW: '2025-06-16' } });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const page = await login(await browser.newContext({ viewport: DESK, locale: 'zh-CN' }), s, 'supervisor');
  await page.goto(s.url + '/items');
  await page.focus('select[name=light]');
  await page.keyboard.press('ArrowDown');
  await page.waitForTimeout(300);
  assert.equal(new URL(page.url()).search, '');
  assert.equal(await page.evaluate(() => document.activeElement.name), 'light');
  await Promise.all([page.waitForURL(/light=/), page.click('form.filters button[type=submit]')]);
  assert.notEqual(await page.inputValue('select[name=light]'), '');
});

test('reflow at 320 px: no page scrolls sideways, the navigation wraps, unit names are whole', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ env: { LUOSHI_NOW: '2025-06-16' } });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const ids = await demoIds(s);
  const wide = [];
  for (const [who, pages] of Object.entries(PAGES)) {
    const ctx = await browser.newContext({ viewport: NARROW, locale: 'zh-CN' });
    const page = await login(ctx, s, who);
    for (const p of pages) {
      const url = fill(p, ids);
      await page.goto(s.url + url);
      const m = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        nav: [...document.querySelectorAll('nav.main a')].filter((a) => a.getBoundingClientRect().right > innerWidth).length,
        cut: [...document.querySelectorAll('td.u')].filter((td) => td.scrollWidth > td.clientWidth).length,
        /* a data table may scroll inside its own box (WCAG 1.4.10 exempts two-dimensional tables) */
        wide: [...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > innerWidth + 1)
          .filter((e) => !e.parentElement.closest('.scroll, .notice table'))
          .slice(0, 3).map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : '')),
      }));
      if (m.scroll > 320 || m.nav || m.cut || m.wide.length)
        wide.push(`${who} ${url}: width ${m.scroll}, ${m.nav} nav links out, ${m.cut} unit names cut, ${m.wide.join(' ')}`);
      if (who === 'supervisor' && ['/', '/items', '/intake', '/notices'].includes(url))
        await page.screenshot({ path: path.join(ART, `a11y-320${url === '/' ? '-home' : url.replace(/\//g, '-')}.png`), fullPage: true });
    }
    await ctx.close();
  }
  assert.deepEqual(wide, []);
});
