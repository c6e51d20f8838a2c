// End-to-end tests of the enterprise request (企业诉求, docs/requests.md) over the API:
// filing by an enterprise and by the office, the category's deadline across 清明,
// the loop with the reply, the rating and redo, who sees and rates what, and the figures.
// The server's clock is fixed at Tuesday 2025-04-01 (LUOSHI_NOW); the demo city loads the
// official calendar (2025-04-04 to 04-06 清明节).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

let s, sup, qiye, qiye2, yjj, jxj, leader, units;

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

function act(token, id, body) {
  return s.api('POST', `/api/v1/items/${id}/actions`, { token, body });
}

// Filed by the office for the demo enterprise 青沐工贸 on the hotline, then done by 应急管理局.
async function doneRequest(category) {
  const it = must(await s.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'request', title: '诉求' + category, category, channel: '12345', requester_unit_id: units.qmgm } }),
  201, 'file');
  must(await act(sup, it.id, { action: 'assign', lead_unit_id: units.yjj }), 200, 'assign');
  must(await act(yjj, it.id, { action: 'accept' }), 200, 'accept');
  must(await act(yjj, it.id, { action: 'submit', reply: '已答复' }), 200, 'submit');
  must(await act(sup, it.id, { action: 'verify' }), 200, 'verify');
  return it.id;
}

async function redo(id) {
  must(await act(qiye, id, { action: 'rate', rating: 'unsatisfied', comment: '未解决' }), 200, 'rate');
  must(await act(sup, id, { action: 'redo', reason: '重办' }), 200, 'redo');
  must(await act(yjj, id, { action: 'accept' }), 200, 'accept again');
}

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: '2025-04-01' } });
  const r = s.cli(['user', 'add', '--username', 'qiye2', '--unit', 'ljj', '--role', 'reporter',
    '--password-stdin'], { input: 'Heron-Lake-7731\n' });
  assert.equal(r.status, 0, r.stderr);
  [sup, qiye, yjj, jxj, leader] = await Promise.all(
    ['supervisor', 'qiye', 'yjj', 'jxj', 'leader'].map((u) => s.login(u)));
  qiye2 = await s.login('qiye2', 'Heron-Lake-7731');
  const list = await s.api('GET', '/api/v1/units', { token: sup });
  units = Object.fromEntries(list.json.units.map((u) => [u.code, u.id]));
});
after(async () => {
  const code = await s.stop();
  assert.equal(code, 0, 'the server stops cleanly on SIGTERM\n' + s.log().slice(-3000));
});

test('the categories and their time limits in working days', async () => {
  const c = must(await s.api('GET', '/api/v1/requests/categories', { token: qiye }), 200, 'categories');
  assert.deepEqual(c.categories.map((k) => [k.code, k.name, k.limit_days]), [
    ['urgent', '紧急诉求', 0], ['consult', '政策咨询', 3], ['help', '求助', 5],
    ['complaint', '投诉', 13], ['suggestion', '意见建议', 13]]);
});

test('an enterprise files for itself, sees only its own, and rates the reply once', async () => {
  const it = must(await s.api('POST', '/api/v1/requests', { token: qiye, body: {
    title: '用电增容', description: '新厂房需要增容', category: 'consult' } }), 201, 'file');
  assert.equal(it.kind, 'request');
  assert.equal(it.status, 'draft');
  assert.equal(it.request.channel, 'web');
  assert.equal(it.request.requester_unit_id, units.qmgm);
  assert.equal(it.request.category, 'consult');
  assert.deepEqual(it.allowed_actions, []);

  // another enterprise, and a unit with no part in it, see nothing
  let r = await s.api('GET', `/api/v1/items/${it.id}`, { token: qiye2 });
  assert.equal(r.status, 403);
  r = await s.api('GET', '/api/v1/items?kind=request', { token: qiye2 });
  assert.equal(r.json.items.length, 0);
  r = await s.api('GET', '/api/v1/items?kind=request', { token: qiye });
  assert.ok(r.json.items.some((x) => x.id === it.id));
  // never for another enterprise, never the office's fields
  r = await s.api('POST', '/api/v1/requests', { token: qiye, body: {
    title: 'x', category: 'help', requester_unit_id: units.ljj } });
  assert.equal(r.status, 403);
  r = await s.api('POST', '/api/v1/requests', { token: qiye, body: { title: 'x', category: 'help', lead_unit_id: units.yjj } });
  assert.equal(r.status, 403);
  r = await s.api('POST', '/api/v1/requests', { token: qiye, body: { kind: 'task', title: 'x' } });
  assert.equal(r.status, 422);
  // a handler files nothing here
  r = await s.api('POST', '/api/v1/requests', { token: yjj, body: { title: 'x', category: 'help' } });
  assert.equal(r.status, 403);

  // assign: the deadline is the category's 3 working days, across 清明 (4 to 6 April)
  let item = must(await act(sup, it.id, { action: 'assign', lead_unit_id: units.yjj }), 200, 'assign');
  assert.equal(item.deadline, '2025-04-07');
  r = await act(jxj, it.id, { action: 'accept' });
  assert.equal(r.status, 403, 'a handler of another unit');
  must(await act(yjj, it.id, { action: 'accept' }), 200, 'accept');
  r = await act(yjj, it.id, { action: 'submit', text: '办完了' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'missing_field');
  r = await act(qiye, it.id, { action: 'rate', rating: 'satisfied' });
  assert.equal(r.status, 409, 'not before done');
  must(await act(yjj, it.id, { action: 'submit', reply: '已安排供电所上门' }), 200, 'submit');
  must(await act(sup, it.id, { action: 'verify' }), 200, 'verify');

  item = must(await s.api('GET', `/api/v1/items/${it.id}`, { token: qiye }), 200, 'read');
  assert.equal(item.request.reply, '已安排供电所上门');
  assert.equal(item.request.replied_on, '2025-04-01');
  assert.deepEqual(item.allowed_actions, ['rate']);
  r = await act(qiye2, it.id, { action: 'rate', rating: 'satisfied' });
  assert.equal(r.status, 403);
  r = await act(sup, it.id, { action: 'rate', rating: 'satisfied' });
  assert.equal(r.status, 403);
  item = must(await act(qiye, it.id, { action: 'rate', rating: 'basic', comment: '还可以更快' }), 200, 'rate');
  assert.equal(item.request.rating, 'basic');
  r = await act(qiye, it.id, { action: 'rate', rating: 'satisfied' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'already_rated');
  item = must(await act(sup, it.id, { action: 'follow_up', result: '电话回访，企业基本满意' }), 200, 'follow_up');
  assert.equal(item.request.follow_up, '电话回访，企业基本满意');
});

test('unsatisfied: redone for the same unit; the third redo lists it', async () => {
  const id = await doneRequest('help');
  let r = await act(sup, id, { action: 'redo', reason: 'x' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'not_unsatisfied');
  for (let i = 1; i <= 3; i++) {
    await redo(id);
    const it = must(await s.api('GET', `/api/v1/items/${id}`, { token: sup }), 200, 'read');
    assert.equal(it.request.redo_count, i);
    assert.equal(it.lead_unit_id, units.yjj);
    assert.equal(it.deadline, '2025-04-09', 'help: 5 working days after 1 April');
    const rec = must(await s.api('GET', `/api/v1/items/${id}/records`, { token: sup }), 200, 'records');
    assert.equal(rec.loop.escalation, i === 3 ? 'listed' : null);
    if (i < 3) {
      must(await act(yjj, id, { action: 'submit', reply: '再答复' + i }), 200, 'submit');
      must(await act(sup, id, { action: 'verify' }), 200, 'verify');
    }
  }
});

test('the figures per lead unit, exact on a hand-built set', async () => {
  const from = { from: '2025-04-01', to: '2025-04-01' };
  const before = must(await s.api('GET', `/api/v1/requests/stats?from=${from.from}&to=${from.to}&unit=${units.jxj}`,
    { token: sup }), 200, 'stats');
  assert.deepEqual(before.units, []);
  // 经信局 alone: a satisfied, a basic, an unrated, one redone twice then satisfied,
  // one redone three times (listed, open again)
  const ids = [];
  for (let i = 0; i < 5; i++) {
    const it = must(await s.api('POST', '/api/v1/items', { token: sup, body: {
      kind: 'request', title: '统计' + i, category: 'consult', channel: 'visit', requester_unit_id: units.qmgm } }), 201, 'file');
    must(await act(sup, it.id, { action: 'assign', lead_unit_id: units.jxj }), 200, 'assign');
    must(await act(jxj, it.id, { action: 'accept' }), 200, 'accept');
    must(await act(jxj, it.id, { action: 'submit', reply: '答复' }), 200, 'submit');
    must(await act(sup, it.id, { action: 'verify' }), 200, 'verify');
    ids.push(it.id);
  }
  must(await act(qiye, ids[0], { action: 'rate', rating: 'satisfied' }), 200, 'rate');
  must(await act(qiye, ids[1], { action: 'rate', rating: 'basic' }), 200, 'rate');
  for (const [id, times] of [[ids[3], 2], [ids[4], 3]])
    for (let i = 0; i < times; i++) {
      must(await act(qiye, id, { action: 'rate', rating: 'unsatisfied', comment: '不满意' }), 200, 'rate');
      must(await act(sup, id, { action: 'redo', reason: '重办' }), 200, 'redo');
      must(await act(jxj, id, { action: 'accept' }), 200, 'accept');
      if (id === ids[4] && i === times - 1) break;
      must(await act(jxj, id, { action: 'submit', reply: '再答复' }), 200, 'submit');
      must(await act(sup, id, { action: 'verify' }), 200, 'verify');
    }
  must(await act(qiye, ids[3], { action: 'rate', rating: 'satisfied' }), 200, 'rate');
  const st = must(await s.api('GET', `/api/v1/requests/stats?from=2025-04-01&to=2025-04-01&unit=${units.jxj}`,
    { token: leader }), 200, 'stats');
  assert.deepEqual(st.units, [{
    unit_id: units.jxj, unit: '经信局', received: 5, signed_on_time: 5, closed: 4, closed_on_time: 4,
    rated: 3, satisfied: 2, basic: 1, unsatisfied: 0, redone: 2, explained: 0, satisfaction: 100,
    rating_rate: 75, redo_rate: 50, on_time_rate: 100, avg_reply_days: 0 }]);
  assert.equal(st.total.received, 5);
  // 督查通报: the requests section is the same figures, for the unit and for the city
  const unitNotice = must(await s.api('GET', '/api/v1/notices?from=2025-04-01&to=2025-04-01&unit=jxj', { token: leader }), 200, 'notice');
  assert.deepEqual(unitNotice.requests, st);
  const cityNotice = must(await s.api('GET', '/api/v1/notices?from=2025-04-01&to=2025-04-01', { token: sup }), 200, 'notice');
  const cityStats = must(await s.api('GET', '/api/v1/requests/stats?from=2025-04-01&to=2025-04-01', { token: sup }), 200, 'stats');
  assert.deepEqual(cityNotice.requests, cityStats);
  assert.ok(cityNotice.requests.units.some((u) => u.unit === '经信局' && u.received === 5));
  const printed = await s.api('GET', '/api/v1/notices?from=2025-04-01&to=2025-04-01&unit=jxj&format=html', { token: sup });
  assert.equal(printed.status, 200);
  assert.ok(printed.text.includes('<section class="requests"><h3>五、企业诉求办理情况</h3>'));
  assert.ok(printed.text.includes('<tr><td>经信局</td><td class="num">5</td><td class="num">5</td><td class="num">4</td>' +
    '<td class="num">100.0%</td><td class="num">3</td><td class="num">100.0%</td><td class="num">75.0%</td>' +
    '<td class="num">50.0%</td><td class="num">0.0</td></tr>'));
  assert.ok(printed.text.includes('<tr class="total"><td>合计</td><td class="num">5</td>'), 'the total row\'s class is markup, not escaped text');
  const csv = await s.api('GET', '/api/v1/notices?from=2025-04-01&to=2025-04-01&unit=jxj&format=csv', { token: sup });
  assert.equal(csv.status, 200);
  assert.ok(csv.text.includes('\r\n企业诉求办理情况\r\n承办单位,受理,按时签收,办结,按期办结,已评价,满意,基本满意,不满意,重办,说明办结,' +
    '满意率(%),参评率(%),重办率(%),按期办结率(%),平均答复天数\r\n经信局,5,5,4,4,3,2,1,0,2,0,100.0,75.0,50.0,100.0,0.0\r\n' +
    '合计,5,5,4,4,3,2,1,0,2,0,100.0,75.0,50.0,100.0,0.0\r\n'));
  // the same figures on the page, for the office and the leaders
  const login = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ username: 'leader', password: s.logins.leader }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const html = await (await fetch(s.url + '/requests/stats?from=2025-04-01&to=2025-04-01',
    { headers: { Cookie: cookie } })).text();
  assert.match(html, /<tr><th scope="row">经信局<\/th><td>5<\/td><td>5<\/td><td>4<\/td><td>100\.0%<\/td><td>3<\/td><td>100\.0%<\/td><td>75\.0%<\/td><td>50\.0%<\/td><td>0\.0<\/td><\/tr>/);
  // the dashboard's tile: the city's figures this year, as the API counts them
  const year = must(await s.api('GET', '/api/v1/requests/stats?from=2025-01-01&to=2025-04-01', { token: sup }), 200, 'year').total;
  const pct = (v) => v === null ? '—' : v.toFixed(1) + '%';
  const dash = await pageAs('leader', '/dashboard');
  assert.ok(dash.includes('<section class="card request-tile"><h2>企业诉求办理（本年） <small>2025-01-01 – 2025-04-01</small></h2>' +
    `<dl class="figures"><div><dt>受理</dt><dd>${year.received}</dd></div><div><dt>办结</dt><dd>${year.closed}</dd></div>` +
    `<div><dt>满意率</dt><dd>${pct(year.satisfaction)}</dd></div><div><dt>参评率</dt><dd>${pct(year.rating_rate)}</dd></div>` +
    `<div><dt>重办率</dt><dd>${pct(year.redo_rate)}</dd></div><div><dt>平均答复天数</dt><dd>${year.avg_reply_days.toFixed(1)}</dd></div></dl>` +
    '<p class="more"><a href="/requests/stats?from=2025-01-01&amp;to=2025-04-01">诉求办理情况统计 →</a></p></section>'), 'the tile');
  assert.ok(year.received >= 5 && year.closed >= 4);
  assert.ok(!(await pageAs('yjj', '/dashboard')).includes('request-tile'), 'not for a handler');
  let r = await s.api('GET', '/api/v1/requests/stats', { token: qiye });
  assert.equal(r.status, 403);
  r = await s.api('GET', '/api/v1/requests/stats?from=2025-4-1', { token: sup });
  assert.equal(r.status, 422);
});

test('the enterprise sees its request, the reply and its rating, never the internal record', async () => {
  const { id } = must(await s.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'request', title: '诉求内部', category: 'help', channel: '12345', requester_unit_id: units.qmgm } }),
  201, 'file');
  must(await act(sup, id, { action: 'assign', lead_unit_id: units.yjj }), 200, 'assign');
  must(await act(yjj, id, { action: 'accept' }), 200, 'accept');
  must(await act(sup, id, { action: 'urge', text: '内部催办：王科长电话13800000000' }), 200, 'urge');
  must(await act(yjj, id, { action: 'submit', reply: '已答复' }), 200, 'submit');
  must(await act(sup, id, { action: 'verify' }), 200, 'verify');
  // the item itself, with the reply, is the enterprise's to read
  const it = must(await s.api('GET', `/api/v1/items/${id}`, { token: qiye }), 200, 'item');
  assert.equal(it.request.reply, '已答复');
  // its events, records and proof are the office's and the units'
  for (const p of ['events', 'records', 'proof']) {
    const r = await s.api('GET', `/api/v1/items/${id}/${p}`, { token: qiye });
    assert.equal(r.status, 403, p);
    assert.equal(r.json.error.code, 'forbidden', p);
    assert.equal(r.json.error.message, '事项的办理过程和记录属内部信息；诉求的状态和答复见事项本身。', p);
    // the office and the lead unit read them (a proof waits for the first checkpoint: 409)
    const ok = p === 'proof' ? 409 : 200;
    must(await s.api('GET', `/api/v1/items/${id}/${p}`, { token: sup }), ok, p + ' for the office');
    must(await s.api('GET', `/api/v1/items/${id}/${p}`, { token: yjj }), ok, p + ' for the lead unit');
  }
  // the item page has no timeline and no urge text; the reply is on the requests page
  const login = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ username: 'qiye', password: s.logins.qiye }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const page = await fetch(s.url + `/items/${id}`, { headers: { Cookie: cookie } });
  assert.equal(page.status, 200);
  const html = await page.text();
  const mine = await (await fetch(s.url + '/requests', { headers: { Cookie: cookie } })).text();
  assert.ok(mine.includes('<p class="reply"><b>答复：</b>已答复</p>'), 'the reply is on the requests page');
  assert.ok(!html.includes('内部催办'), 'no internal text');
  assert.ok(!html.includes('class="card events"'), 'no timeline');
  const office = await (await fetch(s.url + `/items/${id}`, {
    headers: { Cookie: (await fetch(s.url + '/login', { method: 'POST', redirect: 'manual',
      body: new URLSearchParams({ username: 'supervisor', password: s.logins.supervisor }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })).headers.get('set-cookie').split(';')[0] } })).text();
  assert.ok(office.includes('内部催办'), 'the office reads its timeline');
});

// A page as user sees it (logged in through the form).
async function pageAs(user, path) {
  const login = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ username: user, password: s.logins[user] }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  return (await fetch(s.url + path, { headers: { Cookie: cookie } })).text();
}

// The section of the /inbox page for list: its count and the ids it links to.
function inboxSection(html, list) {
  const m = html.match(new RegExp(`<section class="card inbox i-${list}"><h2>[^<]*<small>(\\d+)</small></h2>(.*?)</section>`));
  if (!m) return null;
  return { count: Number(m[1]), body: m[2] };
}

test('the 待办 page shows the request lists with their counts: to rate, to follow up, to answer', async () => {
  const done = await doneRequest('consult');
  // a request of 应急管理局 due today: to answer
  const { id: open } = must(await s.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'request', title: '诉求待答复', category: 'urgent', channel: 'phone', requester_unit_id: units.qmgm } }),
  201, 'file');
  must(await act(sup, open, { action: 'assign', lead_unit_id: units.yjj }), 200, 'assign');

  const lists = { qiye: 'to_rate', supervisor: 'to_follow_up', yjj: 'to_answer' };
  for (const [user, list] of Object.entries(lists)) {
    const token = { qiye, supervisor: sup, yjj }[user];
    const box = must(await s.api('GET', '/api/v1/inbox', { token }), 200, 'inbox');
    const want = box[list].map((x) => x.id);
    assert.ok(want.includes(list === 'to_answer' ? open : done), `${list} holds the request`);
    const sec = inboxSection(await pageAs(user, '/inbox'), list);
    assert.ok(sec, `${user} sees the section ${list}`);
    assert.equal(sec.count, want.length, `${list}: the count`);
    const got = [...sec.body.matchAll(/<div class="what"><span class="light [^"]*"><i><\/i>[^<]*<\/span><a href="\/items\/(\d+)">/g)].map((x) => Number(x[1]));
    assert.deepEqual(got, want, `${list}: the entries`);
  }
  // the enterprise rates and the office follows up on the requests page's forms
  const q = await pageAs('qiye', '/inbox');
  assert.ok(q.includes(`<a class="button primary" href="/requests#req-${done}">办理</a>`));
  assert.ok(q.includes('<h2>待评价 <small>'));
  assert.ok(!q.includes('i-to_follow_up') && !q.includes('i-to_answer'), 'the office\'s and the units\' lists are not the enterprise\'s');
  assert.ok((await pageAs('qiye', '/requests')).includes(`<li class="request" id="req-${done}">`));
  const y = await pageAs('yjj', '/inbox');
  assert.ok(y.includes(`<a class="button primary" href="/items/${open}#act">答复</a>`));
  assert.ok(!y.includes('i-to_rate'), 'a handler rates nothing');
  // rated and followed up, it leaves both lists
  must(await act(qiye, done, { action: 'rate', rating: 'satisfied' }), 200, 'rate');
  assert.ok(!inboxSection(await pageAs('qiye', '/inbox'), 'to_rate').body.includes(`/items/${done}"`));
  must(await act(sup, done, { action: 'follow_up', result: '满意' }), 200, 'follow_up');
  assert.ok(!inboxSection(await pageAs('supervisor', '/inbox'), 'to_follow_up').body.includes(`/items/${done}"`));
});

test('admins edit and add categories; the office routes requests by category and the enterprise\'s town', async () => {
  const adm = await s.login('admin');
  const cats = (v) => v.categories.map((k) => [k.code, k.name, k.name_en, k.limit_days]);
  let r = await s.api('POST', '/api/v1/request-categories', { token: adm, body: { code: 'suggestion', limit_days: 10 } });
  assert.equal(r.status, 200, r.text);
  r = await s.api('POST', '/api/v1/request-categories', { token: adm, body: {
    code: 'permit', name: '审批服务', name_en: 'Permits', limit_days: 2 } });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(cats(r.json), [
    ['urgent', '紧急诉求', 'Urgent', 0], ['consult', '政策咨询', 'Consultation', 3], ['help', '求助', 'Help', 5],
    ['complaint', '投诉', 'Complaint', 13], ['suggestion', '意见建议', 'Suggestion', 10], ['permit', '审批服务', 'Permits', 2]]);
  assert.deepEqual(cats(must(await s.api('GET', '/api/v1/request-categories', { token: qiye }), 200, 'read')),
    cats(r.json));
  for (const [body, status] of [[{ code: 'Bad code', name: 'x', limit_days: 1 }, 422], [{ code: 'help', limit_days: 61 }, 422],
    [{ code: 'visit', name: '走访' }, 422], [{ code: 'help', limit_days: '5' }, 422]]) {
    r = await s.api('POST', '/api/v1/request-categories', { token: adm, body });
    assert.equal(r.status, status, JSON.stringify(body));
  }
  r = await s.api('POST', '/api/v1/request-categories', { token: sup, body: { code: 'help', limit_days: 1 } });
  assert.equal(r.status, 403, 'the office reads them, admins change them');
  // each change an event of the configuration chain, with its actor
  const h = must(await s.api('GET', '/api/v1/config-history?section=request_categories', { token: sup }), 200, 'history');
  assert.deepEqual(h.events.map((e) => [e.action, e.key, e.actor, e.changed]),
    [['add', 'permit', 'admin', ['limit_days', 'name', 'name_en', 'sort']], ['set', 'suggestion', 'admin', ['limit_days']]]);
  // a new category's limit sets the deadline: 2 working days after Tuesday 1 April
  const { id } = must(await s.api('POST', '/api/v1/requests', { token: qiye, body: { title: '办证', category: 'permit' } }), 201, 'file');
  const it = must(await act(sup, id, { action: 'assign', lead_unit_id: units.yjj }), 200, 'assign');
  assert.equal(it.deadline, '2025-04-03');

  // the page: admins change a row, supervisors read it
  const adminPage = await pageAs('admin', '/admin/request-categories');
  assert.match(adminPage, /<tr id="cat-permit"><td><code>permit<\/code><\/td><td colspan="4"><form method="post" action="\/admin\/request-categories" class="inline-row">/);
  assert.ok(adminPage.includes('name="limit_days" aria-label="答复时限（工作日）" type="number" min="0" max="60" required value="2"'));
  const supPage = await pageAs('supervisor', '/admin/request-categories');
  assert.ok(supPage.includes('<tr><td><code>permit</code></td><td>审批服务</td><td>Permits</td><td>2</td></tr>'));
  assert.ok(!supPage.includes('action="/admin/request-categories"'), 'no form for a supervisor');
  const login = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ username: 'admin', password: s.logins.admin }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const csrf = (await (await fetch(s.url + '/admin/request-categories', { headers: { Cookie: cookie } })).text())
    .match(/name="csrf" value="([0-9a-f]{64})"/)[1];
  const post = (form) => fetch(s.url + '/admin/request-categories', { method: 'POST', redirect: 'manual',
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, ...form }).toString() });
  r = await post({ code: 'permit', name: '审批服务', name_en: 'Permits', limit_days: '3' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/admin/request-categories');
  r = await post({ code: 'permit', name: '审批服务', name_en: 'Permits', limit_days: '99' });
  assert.equal(r.status, 422);
  assert.match(await r.text(), /<p class="alert" role="alert">未能保存：答复时限须为 0 到 60 个工作日。<\/p>/);
  const after = must(await s.api('GET', '/api/v1/request-categories', { token: sup }), 200, 'read');
  assert.deepEqual(cats(after).at(-1), ['permit', '审批服务', 'Permits', 3]);

  // routing: 投诉 from an enterprise in 东城街道 to 经信局, from anywhere else to 应急管理局
  const town = must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units').units.find((u) => u.code === 'dc').id;
  must(await s.api('POST', '/api/v1/request-routes', { token: sup, body: { category: 'complaint', area_unit_id: null, unit_id: units.yjj } }), 200, 'city rule');
  const routes = must(await s.api('POST', '/api/v1/request-routes', { token: sup, body: {
    category: 'complaint', area_unit_id: town, unit_id: units.jxj } }), 200, 'town rule');
  assert.deepEqual(routes.routes.map((x) => [x.category, x.area_unit_id, x.unit_name]),
    [['complaint', null, '应急管理局'], ['complaint', town, '经信局']]);
  r = await s.api('POST', '/api/v1/request-routes', { token: sup, body: { category: 'nope', unit_id: units.jxj } });
  assert.equal(r.status, 422);
  r = await s.api('POST', '/api/v1/request-routes', { token: qiye, body: { category: 'complaint', unit_id: units.jxj } });
  assert.equal(r.status, 403);
  const file = async (token, unit) => must(await s.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'request', title: '投诉路由', category: 'complaint', channel: 'phone', requester_unit_id: unit } }), 201, 'file').id;
  const inTown = await file(sup, units.qmgm);
  let got = must(await act(sup, inTown, { action: 'assign' }), 200, 'assign by the rule');
  assert.equal(got.lead_unit_id, units.jxj);
  const ev = must(await s.api('GET', `/api/v1/items/${inTown}/events`, { token: sup }), 200, 'events');
  assert.equal(ev.events.at(-1).data.routed_to, units.jxj);
  const elsewhere = await file(sup, units.ljj);
  got = must(await act(sup, elsewhere, { action: 'assign' }), 200, 'assign by the city rule');
  assert.equal(got.lead_unit_id, units.yjj);
  // a unit named wins over the rule
  const named = await file(sup, units.qmgm);
  got = must(await act(sup, named, { action: 'assign', lead_unit_id: units.yjj }), 200, 'assign named');
  assert.equal(got.lead_unit_id, units.yjj);
  // removed, the town's rule no longer applies
  must(await s.api('POST', '/api/v1/request-routes', { token: sup, body: { category: 'complaint', area_unit_id: town, unit_id: null } }), 200, 'remove');
  got = must(await act(sup, await file(sup, units.qmgm), { action: 'assign' }), 200, 'assign');
  assert.equal(got.lead_unit_id, units.yjj);
  const page = await pageAs('supervisor', '/admin/request-categories');
  assert.ok(page.includes('<tr><td>投诉</td><td>全市</td><td>应急管理局</td></tr>'));
});

test('the notice scope requests: every enterprise request, with the city\'s requests section', async () => {
  const q = '/api/v1/notices?from=2025-04-01&to=2025-04-01';
  const n = must(await s.api('GET', q + '&requests=1', { token: sup }), 200, 'notice');
  assert.deepEqual(n.scope, { unit: null, name: '企业诉求', requests: 1 });
  assert.deepEqual(n.requests, must(await s.api('GET', '/api/v1/requests/stats?from=2025-04-01&to=2025-04-01', { token: sup }), 200, 'stats'));
  // its items are the requests alone: a task assigned the same day does not count
  const city = must(await s.api('GET', q, { token: sup }), 200, 'city');
  const task = must(await s.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'task', title: '非诉求事项', lead_unit_id: units.jxj, deadline: '2025-04-30' } }), 201, 'task');
  must(await act(sup, task.id, { action: 'assign' }), 200, 'assign');
  const n2 = must(await s.api('GET', q + '&requests=1', { token: sup }), 200, 'notice');
  const city2 = must(await s.api('GET', q, { token: sup }), 200, 'city');
  assert.equal(city2.total.assigned, city.total.assigned + 1);
  assert.equal(n2.total.assigned, n.total.assigned, 'the task is not in the requests scope');
  const listed = must(await s.api('GET', '/api/v1/items?kind=request&limit=100', { token: sup }), 200, 'requests');
  const assignedToday = listed.items.filter((x) => x.lead_unit_id && x.status !== 'cancelled').length;
  assert.equal(n.total.assigned, assignedToday, 'every request assigned that day, and nothing else');
  for (const bad of ['&requests=2', '&requests=1&unit=jxj', '&requests=1&campaign=1'])
    assert.equal((await s.api('GET', q + bad, { token: sup })).status, 422, bad);
  const issued = await s.api('POST', '/api/v1/notices', { token: sup, body: { from: '2025-04-01', to: '2025-04-01', requests: 1 } });
  assert.equal(issued.status, 201, issued.text);
  const stored = must(await s.api('GET', `/api/v1/notices/${issued.json.id}`, { token: sup }), 200, 'issued');
  assert.deepEqual(stored.scope, { unit: null, name: '企业诉求', requests: 1 });
  assert.deepEqual(stored.requests, n2.requests);
});
