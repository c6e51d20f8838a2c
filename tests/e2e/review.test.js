// Review before a unit reports (issue 18 part 5, docs/chain.md): a unit the
// office puts under review holds its clerks' feedback and submissions until
// the unit head approves them (then the office sees them) or sends them back
// with a reason.  Runs on either driver (LUOSHI_TEST_PG).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

let s, sup, clerk, clerk2, head, u;
const PW = 'pw-review-egret-58';

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}
const act = (token, id, body) => s.api('POST', `/api/v1/items/${id}/actions`, { token, body });
const get = (token, id) => s.api('GET', `/api/v1/items/${id}`, { token });
const decide = (token, id, body) => s.api('POST', `/api/v1/reviews/${id}`, { token, body });
const events = async (id) => must(await s.api('GET', `/api/v1/items/${id}/events`, { token: sup }), 200, 'events')
  .events.map((e) => [e.action, e.actor]);
const inbox = async (token) => must(await s.api('GET', '/api/v1/inbox', { token }), 200, 'inbox');

function addUser(name, roles) {
  const r = s.cli(['user', 'add', '--username', name, '--unit', 'jxj', '--role', roles, '--password-stdin'],
    { input: PW + '\n' });
  assert.equal(r.status, 0, r.stderr);
}

async function accepted(title) {
  const id = must(await s.api('POST', '/api/v1/items', {
    token: sup, body: { kind: 'task', title, lead_unit_id: u.jxj, deadline: '2030-06-30' },
  }), 201, 'item ' + title).id;
  must(await act(sup, id, { action: 'assign' }), 200, 'assign');
  must(await act(clerk, id, { action: 'accept' }), 200, 'accept');
  return id;
}

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: '2030-01-07' } });
  sup = await s.login('supervisor');
  addUser('jxclerk', 'handler');
  addUser('jxclerk2', 'handler');
  addUser('jxhead', 'handler,head');
  clerk = await s.login('jxclerk', PW);
  clerk2 = await s.login('jxclerk2', PW);
  head = await s.login('jxhead', PW);
  u = Object.fromEntries(must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units')
    .units.map((x) => [x.code, x.id]));
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

test('review off (the default): a clerk\'s feedback reaches the office at once, as before', async () => {
  const id = await accepted('审核：关闭时');
  const it = must(await act(clerk, id, { action: 'feedback', text: '已完成一半', progress: 50 }), 200, 'feedback');
  assert.equal(it.status, 'in_progress');
  assert.equal(it.progress, 50);
  assert.deepEqual(must(await s.api('GET', '/api/v1/units/review', { token: clerk }), 200, 'units').unit_ids, []);
  assert.deepEqual(must(await s.api('GET', '/api/v1/reviews', { token: head }), 200, 'reviews').reviews, []);
});

test('the office turns a unit\'s review on; nobody else may', async () => {
  const r = must(await s.api('POST', `/api/v1/units/${u.jxj}/review`, { token: head, body: { review_reports: true } }),
    403, 'a head sets it');
  assert.equal(r.error.code, 'forbidden');
  must(await s.api('POST', `/api/v1/units/${u.jxj}/review`, { token: sup, body: { review_reports: 'yes' } }),
    422, 'not a boolean');
  must(await s.api('POST', '/api/v1/units/999999/review', { token: sup, body: { review_reports: true } }),
    404, 'no such unit');
  assert.deepEqual(must(await s.api('POST', `/api/v1/units/${u.jxj}/review`, { token: sup, body: { review_reports: true } }),
    200, 'on'), { unit_id: u.jxj, review_reports: true });
  assert.deepEqual(must(await s.api('GET', '/api/v1/units/review', { token: clerk }), 200, 'units').unit_ids, [u.jxj]);
  // the configuration chain records it as a setting, by the office
  const chain = must(await s.api('GET', '/api/v1/config-history?section=settings', { token: sup }), 200, 'chain');
  const ev = chain.events.find((e) => e.key === 'unit.review_reports.jxj');
  assert.equal(ev.actor, 'supervisor');
  assert.deepEqual(ev.after, { value: '1' });
});

test('review on: a clerk\'s feedback waits; the office sees nothing; the head approves it once; a clerk cannot', async () => {
  const id = await accepted('审核：反馈');
  const before = await events(id);
  const held = must(await act(clerk, id, { action: 'feedback', text: '完成资料收集', progress: 40 }), 202, 'held');
  const rv = held.review;
  assert.deepEqual({ ...rv, id: undefined, written_at: undefined }, {
    id: undefined, item_id: id, title: '审核：反馈', unit_id: u.jxj, action: 'feedback', text: '完成资料收集',
    progress: 40, body: { action: 'feedback', text: '完成资料收集', progress: 40 },
    author: { id: rv.author.id, name: 'jxclerk' }, written_at: undefined, status: 'pending', reviewer: null,
    reviewed_at: null, reason: null,
  });
  // nothing of it on the item: the office sees the item as it was
  const it = must(await get(sup, id), 200, 'item');
  assert.equal(it.status, 'accepted');
  assert.equal(it.progress, 0);
  assert.deepEqual(await events(id), before);
  assert.deepEqual(must(await s.api('GET', '/api/v1/reviews', { token: sup }), 200, 'office').reviews, []);
  assert.deepEqual((await inbox(sup)).reviews, []);
  // the head's 待办 has it, counted; the clerk's own list shows it pending
  const hb = await inbox(head);
  assert.deepEqual(hb.reviews.map((x) => [x.id, x.status]), [[rv.id, 'pending']]);
  const counts = must(await s.api('GET', '/api/v1/inbox/counts', { token: head }), 200, 'counts');
  assert.equal(counts.counts.reviews, 1);
  assert.deepEqual(must(await s.api('GET', '/api/v1/reviews?status=pending', { token: clerk }), 200, 'own')
    .reviews.map((x) => x.id), [rv.id]);
  assert.deepEqual(must(await s.api('GET', '/api/v1/reviews', { token: clerk2 }), 200, 'another clerk').reviews, []);
  // the refusals: the author, another clerk, the office
  assert.equal(must(await decide(clerk, rv.id, { decision: 'approve' }), 403, 'own').error.code, 'review_own');
  assert.equal(must(await decide(clerk2, rv.id, { decision: 'approve' }), 403, 'clerk').error.code, 'forbidden');
  assert.equal(must(await decide(sup, rv.id, { decision: 'approve' }), 403, 'office').error.code, 'forbidden');
  assert.equal(must(await decide(head, rv.id, { decision: 'maybe' }), 422, 'bad').error.code, 'invalid_field');
  must(await decide(head, 999999, { decision: 'approve' }), 404, 'no such review');
  // approved: the feedback is the clerk's, taken now, after the head's approval event
  const done = must(await decide(head, rv.id, { decision: 'approve' }), 200, 'approve').review;
  assert.equal(done.status, 'approved');
  assert.deepEqual(done.reviewer, { id: done.reviewer.id, name: 'jxhead' });
  const after = must(await get(sup, id), 200, 'item after');
  assert.equal(after.status, 'in_progress');
  assert.equal(after.progress, 40);
  assert.deepEqual((await events(id)).slice(before.length), [['review_approve', 'jxhead'], ['feedback', 'jxclerk']]);
  const ev = must(await s.api('GET', `/api/v1/items/${id}/events`, { token: sup }), 200, 'events').events;
  assert.deepEqual(ev[ev.length - 2].data, { review_id: rv.id, action: 'feedback', author_id: rv.author.id });
  assert.equal(must(await decide(head, rv.id, { decision: 'approve' }), 409, 'twice').error.code, 'review_decided');
  assert.deepEqual((await inbox(head)).reviews, []);
});

test('review on: the head sends a submission back with a reason; the clerk resubmits; approved, the office verifies it', async () => {
  const id = await accepted('审核：提交');
  const rv = must(await act(clerk, id, { action: 'submit', text: '已办结' }), 202, 'held').review;
  assert.equal(must(await decide(head, rv.id, { decision: 'return' }), 422, 'no reason').error.code, 'missing_field');
  const back = must(await decide(head, rv.id, { decision: 'return', reason: '缺少验收材料' }), 200, 'return').review;
  assert.deepEqual([back.status, back.reason], ['returned', '缺少验收材料']);
  assert.equal(must(await get(sup, id), 200, 'item').status, 'accepted');
  const ev = must(await s.api('GET', `/api/v1/items/${id}/events`, { token: sup }), 200, 'events').events.at(-1);
  assert.deepEqual([ev.action, ev.actor, ev.data],
    ['review_return', 'jxhead', { review_id: rv.id, action: 'submit', author_id: rv.author.id, reason: '缺少验收材料' }]);
  assert.equal(must(await decide(head, rv.id, { decision: 'approve' }), 409, 'decided').error.code, 'review_decided');
  // the clerk's 待办 says why; writing again takes it off
  const cb = await inbox(clerk);
  assert.deepEqual(cb.reviews_returned.map((x) => [x.id, x.reason]), [[rv.id, '缺少验收材料']]);
  const again = must(await act(clerk, id, { action: 'submit', text: '已办结，附验收材料' }), 202, 'resubmit').review;
  assert.deepEqual((await inbox(clerk)).reviews_returned, []);
  must(await decide(head, again.id, { decision: 'approve' }), 200, 'approve');
  assert.equal(must(await get(sup, id), 200, 'item').status, 'submitted');
  assert.deepEqual((await inbox(sup)).to_verify.filter((x) => x.id === id).map((x) => x.status), ['submitted']);
  must(await act(sup, id, { action: 'verify' }), 200, 'verify');
});

test('review on: a refused report is refused when written, never held; the head\'s own reports go straight', async () => {
  const id = await accepted('审核：负责人');
  const bad = must(await act(clerk, id, { action: 'feedback', text: '超', progress: 150 }), 422, 'progress');
  assert.equal(bad.error.code, 'invalid_field');
  assert.equal(must(await act(clerk, id, { action: 'verify' }), 409, 'not the clerk\'s action').error.code,
    'invalid_transition');
  assert.deepEqual(must(await s.api('GET', '/api/v1/reviews?status=pending', { token: head }), 200, 'pending')
    .reviews.filter((x) => x.item_id === id), []);
  const it = must(await act(head, id, { action: 'feedback', text: '负责人直接反馈', progress: 30 }), 200, 'head');
  assert.equal(it.progress, 30);
  // accepting is not a report: never held
  const id2 = must(await s.api('POST', '/api/v1/items', {
    token: sup, body: { kind: 'task', title: '审核：签收', lead_unit_id: u.jxj, deadline: '2030-06-30' },
  }), 201, 'item').id;
  must(await act(sup, id2, { action: 'assign' }), 200, 'assign');
  assert.equal(must(await act(clerk, id2, { action: 'accept' }), 200, 'accept').status, 'accepted');
});

test('review on: batch feedback holds a clerk\'s reports and names them; the head\'s go straight', async () => {
  const a = await accepted('审核：批量一'), b = await accepted('审核：批量二');
  const r = must(await s.api('POST', '/api/v1/feedback', { token: clerk, body: { items: [
    { id: a, text: '批量一', progress: 20 }, { id: b, text: '批量二', progress: 30 }] } }), 200, 'batch');
  assert.deepEqual(r.items.map((x) => [x.id, x.progress]), [[a, 0], [b, 0]]);
  const held = must(await s.api('GET', '/api/v1/reviews?status=pending', { token: head }), 200, 'pending')
    .reviews.filter((x) => x.item_id === a || x.item_id === b);
  assert.deepEqual(r.held_review_ids, held.map((x) => x.id).sort((p, q) => p - q));
  assert.deepEqual(held.map((x) => [x.item_id, x.progress]).sort((p, q) => p[0] - q[0]), [[a, 20], [b, 30]]);
  const h = must(await s.api('POST', '/api/v1/feedback', { token: head, body: { items: [{ id: a, text: '负责人', progress: 25 }] } }),
    200, 'head batch');
  assert.deepEqual([h.items[0].progress, h.held_review_ids], [25, undefined]);
});

test('the CLI turns a unit\'s review on and off, as the system, on the configuration chain', async () => {
  const on = s.cli(['unit', 'review', '--code', 'zzb', '--on']);
  assert.deepEqual([on.status, on.stdout], [0, 'unit zzb: review on\n']);
  assert.deepEqual(must(await s.api('GET', '/api/v1/units/review', { token: sup }), 200, 'units').unit_ids.sort((a, b) => a - b),
    [u.jxj, u.zzb].sort((a, b) => a - b));
  const off = s.cli(['unit', 'review', '--code', 'zzb', '--off']);
  assert.deepEqual([off.status, off.stdout], [0, 'unit zzb: review off\n']);
  assert.deepEqual(must(await s.api('GET', '/api/v1/units/review', { token: sup }), 200, 'units').unit_ids, [u.jxj]);
  const bad = s.cli(['unit', 'review', '--code', 'nosuch', '--on']);
  assert.deepEqual([bad.status, bad.stderr], [1, 'luoshi unit review: no unit with code nosuch\n']);
  assert.equal(s.cli(['unit', 'review', '--code', 'zzb']).status, 2);
  const chain = must(await s.api('GET', '/api/v1/config-history?section=settings', { token: sup }), 200, 'chain');
  assert.deepEqual(chain.events.filter((e) => e.key === 'unit.review_reports.zzb').map((e) => e.after.value), ['0', '1']);
});

test('review off again: reports go straight; what was held stays for the head', async () => {
  const id = await accepted('审核：再关闭');
  const rv = must(await act(clerk, id, { action: 'feedback', text: '待审', progress: 10 }), 202, 'held').review;
  must(await s.api('POST', `/api/v1/units/${u.jxj}/review`, { token: sup, body: { review_reports: false } }), 200, 'off');
  assert.equal(must(await act(clerk, id, { action: 'feedback', text: '直接', progress: 20 }), 200, 'straight').progress, 20);
  must(await decide(head, rv.id, { decision: 'approve' }), 200, 'the held one');
  assert.equal(must(await get(sup, id), 200, 'item').progress, 10);
  assert.equal(s.cli(['verify']).status, 0);
});
