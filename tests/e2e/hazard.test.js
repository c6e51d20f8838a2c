// End-to-end tests of the hazard closed loop (隐患排查整治) over the API:
// reporting with photos, triage with routing proposals, the general and the
// major loop (plan, listing, delisting), the grid's on-site check, duplicates,
// routing history and campaign figures, against the real binary.  The clock is
// fixed at Monday 2025-03-10 (LUOSHI_NOW) so deadlines and months are exact.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

const TODAY = '2025-03-10';
// a 1×1 PNG and the smallest thing that passes as a JPEG (SOI … EOI)
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);
const PLAN = {
  targets: '消除瓶装液化气违规存放', measures: '清退气瓶，改用管道燃气',
  funds: '企业自筹 5 万元，报警器 10 台', responsible: '青沐工贸 法定代表人 张三',
  time_limit: '2025-04-30 前完成', safety: '整改期间停用厨房，配备灭火器与应急预案',
};

let s, sup, grid, qiye, yjj, jxj, u;

function act(token, id, body) {
  return s.api('POST', `/api/v1/items/${id}/actions`, { token, body });
}
function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}
async function report(token, body) {
  return must(await s.api('POST', '/api/v1/hazards', { token, body }), 201, 'report');
}
async function photo(token, id, phase, bytes, type) {
  const r = await fetch(`${s.url}/api/v1/items/${id}/photos?phase=${phase}`, {
    method: 'POST', headers: { Authorization: 'Bearer ' + token, 'Content-Type': type }, body: bytes,
  });
  return { status: r.status, json: await r.json() };
}
async function hazard(token, id) {
  return must(await s.api('GET', `/api/v1/hazards/${id}`, { token }), 200, 'get hazard');
}

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: TODAY } });
  [sup, grid, qiye, yjj, jxj] = await Promise.all(['supervisor', 'grid', 'qiye', 'yjj', 'jxj'].map((n) => s.login(n)));
  const list = await s.api('GET', '/api/v1/units', { token: sup });
  u = Object.fromEntries(list.json.units.map((x) => [x.code, x.id]));
});
after(async () => {
  const code = await s.stop();
  assert.equal(code, 0, 'the server stops cleanly\n' + s.log().slice(-3000));
});

test('categories are the seeded taxonomy with per-category attributes', async () => {
  const r = must(await s.api('GET', '/api/v1/hazard-categories', { token: grid }), 200, 'categories');
  assert.deepEqual(r.categories.map((c) => c.name),
    ['消防', '燃气', '用电', '危化品', '特种设备', '建筑施工', '道路交通', '有限空间', '粉尘涉爆', '其他']);
  const gas = r.categories.find((c) => c.code === 'gas');
  assert.equal(gas.attributes[0].code, 'gas_type');
  assert.equal(gas.attributes[0].required, true);
});

test('a general hazard goes the whole loop: report, triage, assign, rectify, rework, grid verifies', async () => {
  const h = await report(grid, {
    category: 'fire', description: '3号楼消防通道堆放杂物', address: '东城街道 金城路 3 号',
    lat: 28.9, long: 120.04, attributes: { exit_blocked: 'yes' }, photos: [PNG.toString('base64')],
  });
  assert.equal(h.kind, 'hazard');
  assert.equal(h.status, 'draft');
  assert.equal(h.source, 'report');
  assert.equal(h.title, '消防隐患：东城街道 金城路 3 号');
  assert.deepEqual(h.allowed_actions, []);
  assert.equal(h.hazard.grid_unit_id, u['dc-01']);
  assert.equal(h.hazard.proposed_unit_id, u.yjj);
  assert.equal(h.hazard.level, null);
  assert.equal(h.hazard.photos.length, 1);
  assert.equal(h.hazard.photos[0].mime, 'image/png');

  // the reporter sees it in lists; another reporter does not
  const mine = must(await s.api('GET', '/api/v1/items?kind=hazard', { token: grid }), 200, 'list');
  assert.ok(mine.items.some((i) => i.id === h.id));
  must(await s.api('GET', `/api/v1/hazards/${h.id}`, { token: qiye }), 403, 'qiye');

  let r = await act(sup, h.id, { action: 'assign' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'triage_required');
  const t = must(await act(sup, h.id, { action: 'triage', level: 'general', deadline: '2025-03-14' }), 200, 'triage');
  assert.equal(t.lead_unit_id, u.yjj, 'the routing proposal becomes the lead unit');
  assert.equal(t.deadline, '2025-03-14');
  assert.deepEqual(t.allowed_actions, ['assign', 'cancel', 'edit', 'triage']);
  must(await act(sup, h.id, { action: 'assign' }), 200, 'assign');
  must(await act(yjj, h.id, { action: 'accept' }), 200, 'accept');

  r = await act(yjj, h.id, { action: 'submit', text: '已清理' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'photo_required');
  r = await photo(grid, h.id, 'after', PNG, 'image/png');
  assert.equal(r.status, 403, 'the after-photo is the lead unit\'s');
  r = await photo(yjj, h.id, 'after', JPEG, 'image/jpeg');
  assert.equal(r.status, 201);
  const after = r.json;
  const sub = must(await act(yjj, h.id, { action: 'submit', text: '杂物已清理，通道畅通' }), 200, 'submit');
  assert.equal(sub.status, 'submitted');

  // the grid checks on site: not yet (rework), then yes
  const g = await hazard(grid, h.id);
  assert.deepEqual(g.allowed_actions, ['verify', 'reject']);
  assert.equal(g.hazard.acceptance_due, '2025-03-20');
  must(await act(grid, h.id, { action: 'reject', reason: '楼梯间仍有电动车' }), 200, 'reject');
  // the rework needs a new photo: the one from before the return does not do
  r = await act(yjj, h.id, { action: 'submit', text: '电动车已移走' });
  assert.equal(r.status, 409);
  assert.deepEqual([r.json.error.code, r.json.error.detail], ['photo_required',
    'the rectification was sent back: upload a new photo of the rectified site (phase after) before submitting again']);
  // the submit itself may carry the new photo (base64, as the item page sends it)
  r = await act(yjj, h.id, { action: 'submit', text: '电动车已移走', photos: ['bm90IGFuIGltYWdl'] });
  assert.deepEqual([r.status, r.json.error.code], [422, 'invalid_photo']);
  must(await act(yjj, h.id, { action: 'submit', text: '电动车已移走', photos: [PNG.toString('base64')] }), 200, 'resubmit');
  const done = must(await act(grid, h.id, { action: 'verify' }), 200, 'verify');
  assert.equal(done.status, 'done');
  const fin = await hazard(sup, h.id);
  assert.match(fin.hazard.closed_at, /^2025-03-10T\d\d:\d\d:\d\d(\.\d+)?\+08:00$/);
  assert.equal(fin.hazard.photos.length, 3);
  assert.deepEqual(fin.hazard.photos.map((p) => p.phase), ['report', 'after', 'after']);

  // photos are served with their type to those who see the hazard
  const img = await fetch(`${s.url}${after.url}`, { headers: { Authorization: 'Bearer ' + grid } });
  assert.equal(img.status, 200);
  assert.equal(img.headers.get('content-type'), 'image/jpeg');
  assert.deepEqual(Buffer.from(await img.arrayBuffer()), JPEG);
  const no = await fetch(`${s.url}${after.url}`, { headers: { Authorization: 'Bearer ' + qiye } });
  assert.equal(no.status, 404);
  const ev = must(await s.api('GET', `/api/v1/items/${h.id}/events`, { token: sup }), 200, 'events');
  // the upload is an event of its own, carrying the photo's SHA-256 (tamper evidence)
  assert.deepEqual(ev.events.map((e) => e.action),
    ['create', 'triage', 'assign', 'accept', 'photo', 'submit', 'reject', 'photo', 'submit', 'verify']);
  assert.equal(ev.events[7].data.phase, 'after');
  assert.equal(ev.events[7].data.sha256, require('node:crypto').createHash('sha256').update(PNG).digest('hex'));
  assert.equal(ev.events[8].data.after_photos, 2);
  assert.deepEqual(ev.events[4].data, { photo_id: after.id, phase: 'after', mime: 'image/jpeg',
    bytes: JPEG.length, sha256: require('node:crypto').createHash('sha256').update(JPEG).digest('hex') });
});

test('a major hazard needs the six-part plan before assignment, is listed and delisted', async () => {
  let r = await s.api('POST', '/api/v1/hazards', { token: qiye, body: { category: 'gas', description: '后厨违规存放液化气钢瓶 6 只' } });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'missing_attribute');
  const h = await report(qiye, { category: 'gas', description: '后厨违规存放液化气钢瓶 6 只', attributes: { gas_type: 'bottled' } });
  assert.equal(h.hazard.place_unit_id, u.qmgm);
  assert.equal(h.hazard.grid_unit_id, null);
  assert.equal(h.hazard.proposed_unit_id, u.yjj, 'no gas rule for 东城: the city-wide rule');

  must(await act(sup, h.id, { action: 'triage', level: 'major', deadline: '2025-04-30' }), 200, 'triage');
  r = await act(sup, h.id, { action: 'assign' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'plan_required');
  assert.match(r.json.error.detail, /targets, measures, funds, responsible, time_limit, safety/);
  must(await act(sup, h.id, { action: 'triage', plan: { targets: PLAN.targets, measures: PLAN.measures } }), 200, 'part plan');
  r = await act(sup, h.id, { action: 'assign' });
  assert.equal(r.status, 409);
  assert.match(r.json.error.detail, /missing: funds, responsible, time_limit, safety$/);
  r = await act(sup, h.id, { action: 'triage', plan: { ...PLAN, budget: 1 } });
  assert.equal(r.status, 422, 'the plan has six parts, no more');
  must(await act(sup, h.id, { action: 'triage', plan: PLAN }), 200, 'full plan');
  must(await act(sup, h.id, { action: 'assign' }), 200, 'assign');
  let hz = await hazard(sup, h.id);
  assert.ok(hz.hazard.listed_at, '挂牌督办 recorded');
  assert.deepEqual(hz.hazard.plan, PLAN);
  const rec = must(await s.api('GET', `/api/v1/items/${h.id}/records`, { token: sup }), 200, 'records');
  assert.equal(rec.escalations.length, 1);
  assert.equal(rec.escalations[0].level, 'listed');

  must(await act(yjj, h.id, { action: 'accept' }), 200, 'accept');
  assert.equal((await photo(yjj, h.id, 'after', PNG, 'image/png')).status, 201);
  must(await act(yjj, h.id, { action: 'submit', text: '钢瓶已清退，改用管道燃气' }), 200, 'submit');
  // qiye is the place, not the grid: it sees but does not verify
  const q = await hazard(qiye, h.id);
  assert.deepEqual(q.allowed_actions, []);
  must(await act(sup, h.id, { action: 'verify' }), 200, 'verify');
  hz = await hazard(sup, h.id);
  assert.equal(hz.status, 'done');
  assert.ok(hz.hazard.delisted_at, '摘牌 recorded');
  const ev = must(await s.api('GET', `/api/v1/items/${h.id}/events`, { token: sup }), 200, 'events');
  assert.equal(ev.events.find((e) => e.action === 'assign').data.listed, true);
  assert.equal(ev.events.find((e) => e.action === 'verify').data.delisted, true);
});

test('routing proposes by grid and town, recategorising re-routes, rules keep history', async () => {
  const h = await report(grid, { category: 'fire', description: '配电箱旁堆放纸箱' });
  let t = must(await act(sup, h.id, { action: 'triage', level: 'general' }), 200, 'triage');
  assert.equal(t.lead_unit_id, u.yjj);
  t = must(await act(sup, h.id, { action: 'triage', category: 'electric' }), 200, 'recategorise');
  assert.equal(t.lead_unit_id, u.jxj, '用电 in 东城 goes to 经信局');
  const ev = must(await s.api('GET', `/api/v1/items/${h.id}/events`, { token: sup }), 200, 'events');
  const last = ev.events[ev.events.length - 1];
  assert.equal(last.data.rerouted, true);
  // the default title follows the category (issue 17, defect 12)
  assert.deepEqual(last.data.before, { lead_unit_id: u.yjj, title: '消防隐患：配电箱旁堆放纸箱' });
  assert.deepEqual(last.data.after, { lead_unit_id: u.jxj, title: '用电隐患：配电箱旁堆放纸箱' });

  // a grid rule beats the town's; changing it keeps the old one as history
  let r = await s.api('POST', '/api/v1/hazard-routes', { token: grid, body: { category: 'road_traffic', area_unit_id: u['dc-02'], unit_id: u.zzb } });
  assert.equal(r.status, 403);
  must(await s.api('POST', '/api/v1/hazard-routes', { token: sup, body: { category: 'road_traffic', area_unit_id: u['dc-02'], unit_id: u.zzb } }), 200, 'route');
  must(await s.api('POST', '/api/v1/hazard-routes', { token: sup, body: { category: 'road_traffic', area_unit_id: u['dc-02'], unit_id: u.jxj } }), 200, 'route again');
  const cur = must(await s.api('GET', '/api/v1/hazard-routes', { token: sup }), 200, 'routes');
  const road = cur.routes.filter((x) => x.category === 'road_traffic');
  assert.deepEqual(road.map((x) => [x.area_unit_id, x.unit_code]), [[null, 'yjj'], [u['dc-02'], 'jxj']]);
  const hist = must(await s.api('GET', '/api/v1/hazard-routes?history=1', { token: sup }), 200, 'history');
  const old = hist.routes.filter((x) => x.category === 'road_traffic' && x.area_unit_id === u['dc-02']);
  assert.equal(old.length, 2);
  assert.equal(old[0].unit_code, 'zzb');
  assert.ok(old[0].valid_to);
  assert.equal(old[1].valid_to, null);
  const h2 = await report(sup, { category: 'road_traffic', description: '路口信号灯损坏', grid_unit_id: u['dc-02'] });
  assert.equal(h2.hazard.proposed_unit_id, u.jxj);
  r = await s.api('POST', '/api/v1/hazard-routes', { token: sup, body: { category: 'nope', unit_id: u.jxj } });
  assert.equal(r.status, 422);
});

test('a report marked as a duplicate is closed and linked to the original', async () => {
  const a = await report(grid, { category: 'construction', description: '工地脚手架无防护网', address: '东城 工地 A' });
  const b = await report(qiye, { category: 'construction', description: '隔壁工地脚手架没有防护网' });
  let r = await act(sup, b.id, { action: 'cancel', reason: '重复上报', duplicate_of: b.id });
  assert.equal(r.status, 422);
  must(await act(sup, b.id, { action: 'cancel', reason: '重复上报', duplicate_of: a.id }), 200, 'duplicate');
  const hb = await hazard(sup, b.id);
  assert.equal(hb.status, 'cancelled');
  assert.equal(hb.hazard.duplicate_of, a.id);
  const ha = await hazard(sup, a.id);
  assert.deepEqual(ha.hazard.duplicates, [b.id]);
  // a duplicate cannot be an original, and tasks have no duplicates
  const c = await report(grid, { category: 'construction', description: '又一次上报', address: '东城 工地 A' });
  r = await act(sup, c.id, { action: 'cancel', reason: '重复', duplicate_of: b.id });
  assert.equal(r.status, 422);
  const items = must(await s.api('GET', '/api/v1/items?kind=task&limit=1', { token: sup }), 200, 'tasks');
  r = await act(sup, items.items[0].id, { action: 'cancel', reason: 'x', duplicate_of: a.id });
  assert.equal(r.status, 422);
});

test('photos are checked: type, content and who may add them', async () => {
  const h = await report(grid, { category: 'other', description: '井盖缺失', address: '东城 人民路' });
  let r = await photo(grid, h.id, 'report', Buffer.from('GIF89a not an image'), 'image/png');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'invalid_photo');
  r = await fetch(`${s.url}/api/v1/items/${h.id}/photos`, { method: 'POST', headers: { Authorization: 'Bearer ' + grid, 'Content-Type': 'image/gif' }, body: 'GIF89a' });
  assert.equal(r.status, 415);
  r = await photo(grid, h.id, 'report', PNG, 'image/png');
  assert.equal(r.status, 201);
  // finding 9: a hazard the uploader cannot see is one that does not exist (404)
  r = await photo(qiye, h.id, 'report', PNG, 'image/png');
  assert.equal(r.status, 404);
  assert.equal(r.json.error.code, 'not_found');
  r = await photo(grid, h.id, 'before', PNG, 'image/png');
  assert.equal(r.status, 422);
  const big = Buffer.alloc(7 * 1024 * 1024, 0);
  r = await fetch(`${s.url}/api/v1/items/${h.id}/photos`, { method: 'POST', headers: { Authorization: 'Bearer ' + grid, 'Content-Type': 'image/png' }, body: big });
  assert.equal(r.status, 413);
  r = await s.api('POST', '/api/v1/hazards', { token: grid, body: { category: 'other', description: 'x', photos: ['aGVsbG8='] } });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'invalid_photo');
  r = await s.api('POST', '/api/v1/hazards', { token: grid, body: { category: 'nope', description: 'x' } });
  assert.equal(r.status, 404);
  r = await s.api('POST', '/api/v1/hazards', { token: yjj, body: { category: 'other', description: 'x' } });
  assert.equal(r.status, 403, 'handlers do not report');
});

test('a campaign counts its hazards exactly, by town and by grid', async () => {
  const c = must(await s.api('POST', '/api/v1/campaigns', { token: sup, body: {
    theme: '有限空间与粉尘涉爆专项整治', month: '2025-03', categories: ['confined_space', 'dust_explosion'], unit_ids: [u.dc],
  } }), 201, 'campaign');
  const id = c.campaign.id;
  const a = await report(grid, { category: 'dust_explosion', description: '除尘器积尘', address: '东城 园区 1' });
  const b = await report(qiye, { category: 'confined_space', description: '污水池作业无审批' });
  const x = await report(sup, { category: 'dust_explosion', description: '抛光车间积尘', grid_unit_id: u['xc-01'] });
  const d = await report(grid, { category: 'dust_explosion', description: '同一除尘器', address: '东城 园区 1' });
  assert.equal(a.hazard.campaign_id, id);
  assert.equal(b.hazard.campaign_id, id);
  assert.equal(x.hazard.campaign_id, null, '西城 is not a target unit');
  // a: fixed; b: overdue (deadline passed); d: duplicate of a (not counted)
  must(await act(sup, a.id, { action: 'triage', level: 'general', deadline: '2025-03-20' }), 200, 'triage a');
  must(await act(sup, a.id, { action: 'assign' }), 200, 'assign a');
  must(await act(yjj, a.id, { action: 'accept' }), 200, 'accept a');
  assert.equal((await photo(yjj, a.id, 'after', PNG, 'image/png')).status, 201);
  must(await act(yjj, a.id, { action: 'submit', text: '已清扫' }), 200, 'submit a');
  must(await act(grid, a.id, { action: 'verify' }), 200, 'verify a');
  must(await act(sup, b.id, { action: 'triage', level: 'general', deadline: '2025-03-07' }), 200, 'triage b');
  must(await act(sup, b.id, { action: 'assign' }), 200, 'assign b');
  must(await act(sup, d.id, { action: 'cancel', reason: '重复', duplicate_of: a.id }), 200, 'dup d');
  const tasks = must(await s.api('GET', '/api/v1/items?kind=task&limit=1', { token: sup }), 200, 'tasks');
  must(await s.api('POST', `/api/v1/campaigns/${id}/items`, { token: sup, body: { item_id: tasks.items[0].id } }), 200, 'attach');
  let r = await s.api('POST', `/api/v1/campaigns/${id}/items`, { token: sup, body: { item_id: tasks.items[0].id } });
  assert.equal(r.status, 409);

  // finding 9: the ids listed are those the reader may see; the office sees all four
  const all = must(await s.api('GET', `/api/v1/campaigns/${id}`, { token: sup }), 200, 'figures');
  assert.deepEqual(all.items, [tasks.items[0].id, a.id, b.id, d.id].sort((p, q) => p - q));
  const f = must(await s.api('GET', `/api/v1/campaigns/${id}`, { token: grid }), 200, 'figures');
  assert.deepEqual(f.figures, { found: 2, fixed: 1, overdue: 1, open: 1, major: 0 });
  assert.deepEqual(f.by_town, [{ unit_id: u.dc, name: '东城街道', found: 2, fixed: 1, overdue: 1, open: 1, major: 0 }]);
  assert.deepEqual(f.by_grid, [{ unit_id: u['dc-01'], name: '东城街道第一网格', found: 1, fixed: 1, overdue: 0, open: 0, major: 0 }]);
  assert.deepEqual(f.tasks, { total: 1, done: 0, overdue: 0 });
  // b is the enterprise's own report: the grid worker sees neither it nor the task
  assert.deepEqual(f.items, [a.id, d.id].sort((p, q) => p - q), 'only what the grid worker sees');
  const list = must(await s.api('GET', '/api/v1/campaigns', { token: grid }), 200, 'list');
  assert.deepEqual(list.campaigns.map((k) => k.theme), ['有限空间与粉尘涉爆专项整治', '燃气与消防安全大整治']);
  r = await s.api('POST', '/api/v1/campaigns', { token: sup, body: { theme: 'x', month: '2025-13', categories: ['gas'] } });
  assert.equal(r.status, 422);
});

test('triage refuses a bad deadline or lead unit with 422 and changes nothing', async () => {
  const h = await report(grid, { category: 'fire', description: '楼道堆放杂物' });
  const refused = async (body, detail, message) => {
    const r = await act(sup, h.id, { action: 'triage', ...body });
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.deepEqual(r.json.error, { code: 'invalid_field', message, detail });
  };
  await refused({ deadline: '2025-02-30' }, "'deadline' must be a real date as YYYY-MM-DD", '期限须为有效的日期（年-月-日）。');
  await refused({ deadline: 20250330 }, "'deadline' must be a real date as YYYY-MM-DD", '期限须为有效的日期（年-月-日）。');
  await refused({ lead_unit_id: 0 }, "'lead_unit_id' must be a positive integer id", '填写的内容有误：牵头单位。');
  await refused({ lead_unit_id: '3' }, "'lead_unit_id' must be a positive integer id", '填写的内容有误：牵头单位。');
  await refused({ lead_unit_id: 99999 }, 'no unit with id 99999', '没有这个单位。');
  await refused({ level: 'major', lead_unit_id: 99999 }, 'no unit with id 99999', '没有这个单位。');
  const hz = await hazard(sup, h.id);
  assert.equal(hz.status, 'draft');
  assert.equal(hz.hazard.level, null, 'a refused triage stores none of its fields');
  assert.equal(hz.lead_unit_id, null);
  const t = must(await act(sup, h.id, { action: 'triage', deadline: '2025-03-31', lead_unit_id: u.jxj }), 200, 'triage');
  assert.equal(t.lead_unit_id, u.jxj, 'a named lead unit beats the routing proposal');
  assert.equal(t.deadline, '2025-03-31');
});
