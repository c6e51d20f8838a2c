// Down the chain of responsibility (issue 18): a unit sees, read-only, the
// items of the units below it in the unit tree; the lead unit's handler
// splits its item into sub-items for the units below it (转办/分办) and runs
// their loop itself; the parent's progress rolls up; the office sees the
// whole tree.  Runs on either driver (LUOSHI_TEST_PG).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

let s, sup, town, grid, u;
const PW = 'pw-chain-heron-71';

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}
const act = (token, id, body) => s.api('POST', `/api/v1/items/${id}/actions`, { token, body });
const get = (token, id) => s.api('GET', `/api/v1/items/${id}`, { token });
async function item(title, unit, deadline = '2030-06-30', extra = {}) {
  return must(await s.api('POST', '/api/v1/items', {
    token: sup, body: { kind: 'task', title, lead_unit_id: unit, deadline, ...extra },
  }), 201, 'item ' + title).id;
}
async function assigned(title, unit) {
  const id = await item(title, unit);
  must(await act(sup, id, { action: 'assign' }), 200, 'assign ' + title);
  return id;
}

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: '2030-01-06' } });
  sup = await s.login('supervisor');
  grid = await s.login('grid'); // the demo's reporter of 东城街道第一网格 (dc-01)
  const r = s.cli(['user', 'add', '--username', 'dch', '--unit', 'dc', '--role', 'handler',
    '--password-stdin'], { input: PW + '\n' });
  assert.equal(r.status, 0, r.stderr);
  town = await s.login('dch', PW);
  u = Object.fromEntries(must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units')
    .units.map((x) => [x.code, x.id]));
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

test('the unit tree: a town sees its grids\' items read-only; a grid sees neither its town\'s nor a sibling\'s or a cousin\'s', async () => {
  const ids = {};
  for (const code of ['dc', 'dc-01', 'dc-02', 'xc', 'xc-01']) ids[code] = await assigned(`树：${code} 的事项`, u[code]);
  const draft = await item('树：dc-01 的草稿', u['dc-01']);
  // the town's handler: own 200, its grids 200 (children), a sibling town and its grid (cousin) 403
  const seen = {};
  for (const [code, id] of Object.entries(ids)) seen[code] = (await get(town, id)).status;
  seen.draft = (await get(town, draft)).status;
  assert.deepEqual(seen, { dc: 200, 'dc-01': 200, 'dc-02': 200, xc: 403, 'xc-01': 403, draft: 403 });
  // the grid's reporter: its own 200; its parent town, its sibling grid, a cousin grid 403
  const gseen = {};
  for (const [code, id] of Object.entries(ids)) gseen[code] = (await get(grid, id)).status;
  assert.deepEqual(gseen, { dc: 403, 'dc-01': 200, 'dc-02': 403, xc: 403, 'xc-01': 403 });
  // read-only: the town may do nothing on its grid's item
  const child = must(await get(town, ids['dc-01']), 200, 'the grid item as the town');
  assert.deepEqual(child.allowed_actions, []);
  const refused = must(await act(town, ids['dc-01'], { action: 'accept' }), 403, 'the town accepts for its grid');
  assert.equal(refused.error.code, 'forbidden');
  // the events (the internal record) too, and the list
  assert.equal((await s.api('GET', `/api/v1/items/${ids['dc-01']}/events`, { token: town })).status, 200);
  const list = must(await s.api('GET', '/api/v1/items?q=' + encodeURIComponent('树：') + '&limit=100', { token: town }), 200, 'list');
  assert.deepEqual(list.items.map((x) => x.title).sort(), ['树：dc 的事项', '树：dc-01 的事项', '树：dc-02 的事项']);
  assert.equal(list.total_count, 3);
  // a pure grid reporter accepts a task given to its grid
  const gi = must(await get(grid, ids['dc-01']), 200, 'the grid\'s own item');
  assert.deepEqual(gi.allowed_actions, ['accept', 'return']);
  assert.equal(must(await act(grid, ids['dc-01'], { action: 'accept' }), 200, 'grid accepts').status, 'accepted');
});

test('转办: office → town → grid, carried to the end, the progress rolled up, the office sees the whole tree', async () => {
  const top = await assigned('三级：东城街道燃气安全排查', u.dc);
  // not before the town has accepted it
  let r = await s.api('POST', '/api/v1/items', { token: town, body: {
    kind: 'task', title: '一网格排查', parent_id: top, lead_unit_id: u['dc-01'], deadline: '2030-05-31' } });
  assert.equal(must(r, 409, 'split before accepting').error.code, 'invalid_status');
  must(await act(town, top, { action: 'accept' }), 200, 'the town accepts');
  // the refusals: not below the town, due after the item, no parent, not the town's item
  r = await s.api('POST', '/api/v1/items', { token: town, body: {
    kind: 'task', title: '越级', parent_id: top, lead_unit_id: u['xc-01'], deadline: '2030-05-31' } });
  assert.deepEqual([r.status, r.json.error.code, r.json.error.message, r.json.error.detail], [422, 'invalid_field',
    '分办事项只能交给本单位的下级单位或原事项的配合单位。',
    `a sub-item goes to a unit below yours or to a cooperating unit of item ${top}: unit ${u['xc-01']} is neither`]);
  r = await s.api('POST', '/api/v1/items', { token: town, body: {
    kind: 'task', title: '超期', parent_id: top, lead_unit_id: u['dc-01'], deadline: '2030-07-01' } });
  assert.deepEqual([r.status, r.json.error.code, r.json.error.message, r.json.error.detail], [422, 'invalid_field',
    '分办事项的期限不能晚于原事项的期限。', 'a sub-item is due no later than its item: 2030-07-01 is after 2030-06-30']);
  r = await s.api('POST', '/api/v1/items', { token: town, body: {
    kind: 'task', title: '无上级', lead_unit_id: u['dc-01'], deadline: '2030-05-31' } });
  assert.deepEqual([r.status, r.json.error.code, r.json.error.message], [403, 'forbidden',
    '只有牵头单位的承办人可以把本单位的事项分办（转办）给下级单位。']);
  const yjj = await s.login('yjj');
  r = await s.api('POST', '/api/v1/items', { token: yjj, body: {
    kind: 'task', title: '他单位', parent_id: top, lead_unit_id: u['dc-01'], deadline: '2030-05-31' } });
  assert.deepEqual([r.status, r.json.error.code, r.json.error.detail], [403, 'forbidden',
    `item ${top} is not led by your unit: only its lead unit's handler splits it`]);
  // the town splits it in two, one per grid, and assigns them itself
  const sub1 = must(await s.api('POST', '/api/v1/items', { token: town, body: {
    kind: 'task', title: '一网格排查', parent_id: top, lead_unit_id: u['dc-01'], deadline: '2030-05-31' } }), 201, 'sub 1');
  assert.deepEqual([sub1.status, sub1.parent_id, sub1.lead_unit_id], ['draft', top, u['dc-01']]);
  assert.deepEqual(sub1.allowed_actions, ['assign', 'cancel']);
  const sub2 = must(await s.api('POST', '/api/v1/items', { token: town, body: {
    kind: 'task', title: '二网格排查', parent_id: top, lead_unit_id: u['dc-02'], deadline: '2030-06-30' } }), 201, 'sub 2');
  // the grid does not see the draft; its sibling's sub-item never
  assert.equal((await get(grid, sub1.id)).status, 403);
  // assigning elsewhere is refused as creating would be
  r = await act(town, sub1.id, { action: 'assign', lead_unit_id: u.yjj });
  assert.deepEqual([r.status, r.json.error.message], [422, '分办事项只能交给本单位的下级单位或原事项的配合单位。']);
  for (const id of [sub1.id, sub2.id]) must(await act(town, id, { action: 'assign' }), 200, 'the town assigns');
  assert.equal((await get(grid, sub2.id)).status, 403);
  // the grid accepts, reports half way: the item is at 25 (two sub-items of weight 1)
  must(await act(grid, sub1.id, { action: 'accept' }), 200, 'the grid accepts');
  must(await act(grid, sub1.id, { action: 'feedback', text: '已排查一半', progress: 50 }), 200, 'feedback');
  assert.equal(must(await get(sup, top), 200, 'top').progress, 25);
  // the grid submits; the town, not the office, verifies; the item is at 50
  must(await act(grid, sub1.id, { action: 'submit', text: '排查完毕' }), 200, 'submit');
  // it waits in the town's 待办 (to_verify, counted), not in the grid's
  const box = must(await s.api('GET', '/api/v1/inbox', { token: town }), 200, 'the town\'s inbox');
  assert.deepEqual(box.to_verify.map((x) => [x.id, x.why.action, x.why.text]), [[sub1.id, 'submit', '排查完毕']]);
  const counts = must(await s.api('GET', '/api/v1/inbox/counts', { token: town }), 200, 'counts').counts;
  assert.equal(counts.to_verify, 1);
  assert.deepEqual(must(await s.api('GET', '/api/v1/inbox', { token: grid }), 200, 'grid inbox').to_verify, []);
  const waiting = must(await get(town, sub1.id), 200, 'the town on the submitted sub-item');
  assert.deepEqual(waiting.allowed_actions, ['verify', 'reject', 'cancel']);
  assert.equal(must(await act(town, sub1.id, { action: 'verify' }), 200, 'the town verifies').status, 'done');
  assert.equal(must(await get(sup, top), 200, 'top').progress, 50);
  // the town cancels the second (its own call), the rest rolls up to 100
  must(await act(town, sub2.id, { action: 'cancel', reason: '二网格无燃气用户' }), 200, 'cancel');
  const t = must(await get(town, top), 200, 'top as the town');
  assert.equal(t.progress, 100);
  // the office sees the whole tree; the town its own and its sub-items; the grid its branch
  const tree = must(await s.api('GET', `/api/v1/items/${top}/tree`, { token: sup }), 200, 'tree');
  assert.deepEqual(tree.tree.children.map((c) => [c.title, c.status, c.progress]),
    [['一网格排查', 'done', 100], ['二网格排查', 'cancelled', 0]]);
  const ttree = must(await s.api('GET', `/api/v1/items/${top}/tree`, { token: town }), 200, 'town tree');
  assert.equal(ttree.count, 3);
  // the town reports up; the office verifies: the lead unit stays accountable to the office
  must(await act(town, top, { action: 'submit', text: '两个网格均已完成' }), 200, 'the town submits');
  assert.equal(must(await act(town, top, { action: 'verify' }), 403, 'the town verifies its own').error.code, 'forbidden');
  assert.equal(must(await act(sup, top, { action: 'verify' }), 200, 'the office verifies').status, 'done');
  // the chain holds
  const v = s.cli(['verify']);
  assert.equal(v.status, 0, v.stdout + v.stderr);
});

test('the responsible leader: set at creation and at intake, shown, a filter, figures on the dashboard', async () => {
  const leader = await s.login('leader');
  const me = must(await s.api('GET', '/api/v1/me', { token: leader }), 200, 'me');
  const lid = me.user ? me.user.id : me.id;
  const yjjUser = must(await s.api('GET', '/api/v1/me', { token: await s.login('yjj') }), 200, 'yjj');
  const yid = yjjUser.user ? yjjUser.user.id : yjjUser.id;
  // a user who is not a leader is refused
  let r = await s.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'task', title: '领导：非领导', lead_unit_id: u.yjj, deadline: '2030-06-30', leader_id: yid } });
  assert.deepEqual([r.status, r.json.error.code, r.json.error.detail], [422, 'invalid_field', `user ${yid} is not a leader`]);
  const a = must(await s.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'task', title: '领导：甲', lead_unit_id: u.yjj, deadline: '2030-01-01', leader_id: lid } }), 201, 'a');
  assert.deepEqual([a.leader_id, a.leader], [lid, { id: lid, name: '市领导 李书记' }]);
  const b = await item('领导：乙（无领导）', u.yjj);
  // at intake: a meeting's item names its leader
  const m = must(await s.api('POST', '/api/v1/meetings', { token: sup, body: {
    text: '市委召开常委会议。会议要求，应急管理局要抓好安全生产。',
    items: [{ directive: 0, title: '领导：会议事项', lead_unit_id: u.yjj, deadline: '2030-06-30', leader_id: lid }] } }), 201, 'meeting');
  const c = m.item_ids[0];
  assert.equal(must(await get(sup, c), 200, 'c').leader_id, lid);
  // the filter
  const list = must(await s.api('GET', `/api/v1/items?leader=${lid}&q=${encodeURIComponent('领导：')}`, { token: sup }), 200, 'list');
  assert.deepEqual(list.items.map((x) => x.id), [c, a.id]);
  assert.equal(list.total_count, 2);
  assert.equal((await get(sup, b)).json.leader, null);
  // figures by leader: a open and overdue once assigned (today is 2030-01-06), c a draft
  must(await act(sup, a.id, { action: 'assign' }), 200, 'assign a');
  const cookie = await pageLogin('supervisor');
  const html = await (await fetch(s.url + '/dashboard', { headers: { Cookie: cookie } })).text();
  assert.match(html, new RegExp(`<a href="/items\\?leader=${lid}">市领导 李书记</a></td><td>1</td><td>1</td><td>0</td>`));
  // and the item page names the leader
  const page = await (await fetch(`${s.url}/items/${a.id}`, { headers: { Cookie: cookie } })).text();
  assert.match(page, /<dt>责任领导<\/dt><dd>市领导 李书记<\/dd>/);
});

async function pageLogin(user) {
  const body = new URLSearchParams({ username: user, password: s.logins[user] }).toString();
  const r = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual', body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 303);
  return r.headers.get('set-cookie').split(';')[0];
}

test('批示件: registered, turned into items, the result back to the leader, instruct again, closed, by month', async () => {
  const leader = await s.login('leader');
  const lid = must(await s.api('GET', '/api/v1/me', { token: leader }), 200, 'me');
  const leaderId = lid.user ? lid.user.id : lid.id;
  // registered by the leader (the leader by default); the number is unique
  const f = must(await s.api('POST', '/api/v1/instruction-files', { token: leader, body: {
    number: '批〔2030〕1号', text: '请应急管理局牵头抓好燃气安全排查。', issued_on: '2030-01-05', due: '2030-03-31' } }), 201, 'file');
  assert.deepEqual([f.number, f.leader, f.state, f.items, f.due], ['批〔2030〕1号', { id: leaderId, name: '市领导 李书记' }, 'open', [], '2030-03-31']);
  let r = await s.api('POST', '/api/v1/instruction-files', { token: sup, body: {
    number: '批〔2030〕1号', text: '重号', issued_on: '2030-01-05', leader_id: leaderId } });
  assert.deepEqual([r.status, r.json.error.code], [409, 'conflict']);
  r = await s.api('POST', '/api/v1/instruction-files', { token: sup, body: { number: '批〔2030〕2号', text: '无领导', issued_on: '2030-01-05' } });
  assert.deepEqual([r.status, r.json.error.code], [422, 'missing_field']);
  // closing with nothing done is refused
  r = await s.api('POST', `/api/v1/instruction-files/${f.id}/close`, { token: leader, body: {} });
  assert.deepEqual([r.status, r.json.error.code], [409, 'invalid_status']);
  // the office turns it into an item: a draft, source instruction, the leader as its leader
  const it = must(await s.api('POST', `/api/v1/instruction-files/${f.id}/items`, { token: sup, body: {
    title: '燃气安全排查（批示件）', lead_unit_id: u.yjj, deadline: '2030-03-31' } }), 201, 'spawn');
  assert.deepEqual([it.status, it.source, it.leader_id], ['draft', 'instruction', leaderId]);
  const yjj = await s.login('yjj');
  must(await act(sup, it.id, { action: 'assign' }), 200, 'assign');
  must(await act(yjj, it.id, { action: 'accept' }), 200, 'accept');
  must(await act(yjj, it.id, { action: 'submit', text: '排查完毕，整改 12 处' }), 200, 'submit');
  let inbox = must(await s.api('GET', '/api/v1/inbox', { token: leader }), 200, 'inbox');
  assert.deepEqual(inbox.instruction_results, []);
  must(await act(sup, it.id, { action: 'verify' }), 200, 'verify');
  // the result is back in the leader's 待办; the file is answered
  inbox = must(await s.api('GET', '/api/v1/inbox', { token: leader }), 200, 'inbox');
  assert.deepEqual(inbox.instruction_results.map((x) => [x.id, x.status, x.why.action]), [[it.id, 'done', 'verify']]);
  assert.equal(must(await s.api('GET', `/api/v1/instruction-files/${f.id}`, { token: leader }), 200, 'file').state, 'answered');
  // instruct again: a linked item, the file open again, the 待办 entry gone
  const again = must(await s.api('POST', `/api/v1/instruction-files/${f.id}/items`, { token: leader, body: {
    title: '燃气安全回头看', lead_unit_id: u.yjj, deadline: '2030-03-31' } }), 201, 'again');
  const f2 = must(await s.api('GET', `/api/v1/instruction-files/${f.id}`, { token: sup }), 200, 'file');
  assert.deepEqual([f2.state, f2.items.map((x) => [x.id, x.status])], ['open', [[it.id, 'done'], [again.id, 'draft']]]);
  assert.deepEqual(must(await s.api('GET', '/api/v1/inbox', { token: leader }), 200, 'inbox').instruction_results, []);
  must(await act(sup, again.id, { action: 'cancel', reason: '已并入原事项' }), 200, 'cancel');
  // another leader may not close it; its leader does
  const r2 = s.cli(['user', 'add', '--username', 'leader2', '--unit', 'swb', '--role', 'leader', '--password-stdin'], { input: PW + '\n' });
  assert.equal(r2.status, 0, r2.stderr);
  const other = await s.login('leader2', PW);
  r = await s.api('POST', `/api/v1/instruction-files/${f.id}/close`, { token: other, body: {} });
  assert.deepEqual([r.status, r.json.error.code], [403, 'forbidden']);
  const closed = must(await s.api('POST', `/api/v1/instruction-files/${f.id}/close`, { token: leader, body: {} }), 200, 'close');
  assert.equal(closed.state, 'closed');
  r = await s.api('POST', `/api/v1/instruction-files/${f.id}/items`, { token: sup, body: { title: '再批', lead_unit_id: u.yjj } });
  assert.deepEqual([r.status, r.json.error.code], [409, 'invalid_status']);
  // the monthly list
  must(await s.api('POST', '/api/v1/instruction-files', { token: leader, body: {
    number: '批〔2030〕9号', text: '二月的批示', issued_on: '2030-02-01' } }), 201, 'feb');
  const jan = must(await s.api('GET', '/api/v1/instruction-files?month=2030-01', { token: sup }), 200, 'january');
  assert.deepEqual(jan.instruction_files.map((x) => [x.number, x.state, x.items.length]), [['批〔2030〕1号', 'closed', 2]]);
  const all = must(await s.api('GET', '/api/v1/instruction-files', { token: leader }), 200, 'all');
  assert.deepEqual(all.instruction_files.map((x) => [x.number, x.state]), [['批〔2030〕1号', 'closed'], ['批〔2030〕9号', 'open']]);
  assert.equal((await s.api('GET', '/api/v1/instruction-files', { token: yjj })).status, 403);
  const v = s.cli(['verify']);
  assert.equal(v.status, 0, v.stdout + v.stderr);
});

test('the reassign form offers a delegator only the units the rule allows: below it, or cooperating on its item', async () => {
  const top = await item('改派：东城街道的任务', u.dc, '2030-06-30', { co_unit_ids: [u.xc] });
  must(await act(sup, top, { action: 'assign' }), 200, 'assign');
  must(await act(town, top, { action: 'accept' }), 200, 'accept');
  const sub = must(await s.api('POST', '/api/v1/items', { token: town, body: {
    kind: 'task', title: '改派：一网格', parent_id: top, lead_unit_id: u['dc-01'], deadline: '2030-05-31' } }), 201, 'sub').id;
  must(await act(town, sub, { action: 'assign' }), 200, 'the town assigns');
  const page = async (user, pw, id) => {
    const body = new URLSearchParams({ username: user, password: pw }).toString();
    const r = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual', body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(r.status, 303, 'login ' + user);
    const cookie = r.headers.get('set-cookie').split(';')[0];
    return (await fetch(`${s.url}/items/${id}`, { headers: { Cookie: cookie } })).text();
  };
  const options = (html) => {
    const form = html.match(/<details class="act a-assign"[\s\S]*?<\/details>/);
    assert.ok(form, 'the page has the reassign form');
    const sel = form[0].match(/<select[^>]*name="lead_unit_id"[\s\S]*?<\/select>/)[0];
    return [...sel.matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
  };
  // the town: its grids and the enterprises under it, and the item's cooperating town; never itself
  const below = ['dc-01', 'dc-02', 'qmgm', 'hdkj', 'xc'].map((c) => u[c]).sort((a, b) => a - b);
  assert.deepEqual(options(await page('dch', PW, sub)), below);
  // the office: every unit, as before
  const all = must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units').units.length;
  assert.equal(options(await page('supervisor', s.logins.supervisor, sub)).length, all);
});
