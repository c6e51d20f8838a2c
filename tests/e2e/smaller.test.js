// Issue 17's smaller defects, one named test each, against the real binary
// with cookie sessions (the clock fixed at Monday 2025-03-03): reporters land
// on their own matters, the grid's 待办 has 待核查, the triage queue shows the
// report and proposes a deadline, unit lists are grouped and searchable, a
// done action reads as a sentence, the reassign form steps aside once
// assigned, paragraphs count from 1, and no page says 链式哈希.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

const FORM = 'application/x-www-form-urlencoded';
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
let s, sup, unitOf;

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: '2025-03-03' } });
  sup = await s.login('supervisor');
  const units = (await s.api('GET', '/api/v1/units', { token: sup })).json.units;
  unitOf = (code) => units.find((u) => u.code === code).id;
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

async function session(user) {
  const r = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ username: user, password: s.logins[user] }).toString(),
    headers: { 'Content-Type': FORM } });
  assert.equal(r.status, 303);
  return { cookie: r.headers.get('set-cookie').split(';')[0] };
}
const get = (sess, p) => fetch(s.url + p, { headers: { Cookie: sess.cookie }, redirect: 'manual' });
const page = async (sess, p) => (await get(sess, p)).text();
function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

test('a grid reporter lands on the report page, an enterprise on its requests; neither has a dashboard link', async () => {
  for (const [who, where] of [['grid', '/report'], ['qiye', '/requests']]) {
    const sess = await session(who);
    const r = await get(sess, '/');
    assert.deepEqual([r.status, r.headers.get('location')], [303, where], who);
    const html = await page(sess, where);
    assert.ok(!html.includes('>驾驶舱<'), `${who}: no dashboard in the menu`);
    assert.match(html, /<a href="\/inbox"[^>]*>待办/);
  }
  // the office and a handler keep theirs
  assert.equal((await get(await session('supervisor'), '/')).status, 200);
  assert.equal((await get(await session('yjj'), '/')).status, 200);
});

test('the grid worker\'s 待办 has 待核查', async () => {
  const html = await page(await session('grid'), '/inbox');
  assert.match(html, /<h2>待核查 <small>0<\/small>/);
});

test('the triage queue shows the report\'s photo and description and proposes a deadline a week ahead', async () => {
  const grid = await s.login('grid');
  const h = must(await s.api('POST', '/api/v1/hazards', { token: grid, body: { category: 'fire',
    description: '楼道堆放<纸箱>', address: '东城 金城路 8 号', attributes: { exit_blocked: 'yes' }, photos: [PNG] } }), 201, 'report');
  const photo = must(await s.api('GET', `/api/v1/hazards/${h.id}`, { token: sup }), 200, 'hazard').hazard.photos[0].id;
  const html = await page(await session('supervisor'), '/hazards');
  assert.ok(html.includes(`<a class="thumb" href="/photos/${photo}"><img src="/photos/${photo}" alt="上报照片"></a><p class="desc">楼道堆放&lt;纸箱&gt;</p>`));
  assert.match(html, new RegExp(`<input id="deadline-${h.id}" name="deadline" type="date" value="2025-03-10" required>`));
});

test('unit lists are grouped by kind in tree order and carry the filter hint', async () => {
  const html = await page(await session('supervisor'), '/items/new');
  const sel = html.match(/<select id="lead_unit_id"[\s\S]*?<\/select>/)[0];
  assert.match(sel, /^<select id="lead_unit_id" name="lead_unit_id" required data-filter="输入名称筛选单位">/);
  const groups = [...sel.matchAll(/<optgroup label="([^"]+)">/g)].map((m) => m[1]);
  assert.deepEqual(groups, ['部门', '专班', '镇街', '网格', '企业', '高校']);
  // a grid follows its town's group, a task force under another is marked
  const grids = sel.match(/<optgroup label="网格">([\s\S]*?)<\/optgroup>/)[1];
  assert.match(grids, new RegExp(`<option value="${unitOf('dc-01')}">东城街道第一网格</option>`));
  // the triage form offers no grid and no enterprise
  const tri = await page(await session('supervisor'), '/hazards');
  const lead = tri.match(/<select id="lead-\d+"[\s\S]*?<\/select>/)[0];
  assert.deepEqual([...lead.matchAll(/<optgroup label="([^"]+)">/g)].map((m) => m[1]), ['部门', '专班', '镇街']);
});

test('a done action reads as a sentence, and once assigned the reassign form is closed and named 改派', async () => {
  const id = must(await s.api('POST', '/api/v1/items', { token: sup, body: { kind: 'task', title: '改派表单', lead_unit_id: unitOf('yjj'), deadline: '2025-06-30' } }), 201, 'create').id;
  let html = await page(await session('supervisor'), `/items/${id}`);
  assert.match(html, /<details class="act a-assign" open><summary>交办<\/summary>/);
  must(await s.api('POST', `/api/v1/items/${id}/actions`, { token: sup, body: { action: 'assign' } }), 200, 'assign');
  html = await page(await session('supervisor'), `/items/${id}?done=assign`);
  assert.match(html, /<p class="ok" role="status">已交办。<\/p>/);
  assert.match(html, /<details class="act a-assign"><summary>改派<\/summary>/);
  assert.match(html, /<button type="submit" class="primary">改派<\/button>/);
  html = await page(await session('supervisor'), `/items/${id}?done=assign&lang=en`);
  assert.match(html, /<p class="ok" role="status">Done: Assign\.<\/p>/);
  assert.match(html, /<details class="act a-assign"><summary>Reassign<\/summary>/);
});

test('paragraphs are counted from 1 on the item\'s timeline, as on the meeting page', async () => {
  const list = must(await s.api('GET', '/api/v1/items?source=meeting&limit=1', { token: sup }), 200, 'list').items;
  const id = list[0].id;
  const ev = must(await s.api('GET', `/api/v1/items/${id}/events`, { token: sup }), 200, 'events').events[0];
  const { id: meeting, paragraph } = ev.data.meeting;
  const html = await page(await session('supervisor'), `/items/${id}`);
  assert.ok(html.includes(`<a href="/meetings/${meeting}">#${meeting}</a> 第 ${paragraph + 1} 段`), 'the timeline');
  assert.ok(html.includes(`#p${paragraph}">`) && html.includes(`· ¶${paragraph + 1}</a>`), 'the field');
});

test('no page shows users 链式哈希 or 哈希链', async () => {
  const sess = await session('supervisor');
  for (const p of ['/notices', '/admin/history', '/dashboard']) {
    const html = await page(sess, p);
    assert.ok(!/链式哈希|哈希链|根哈希/.test(html), p);
  }
});
