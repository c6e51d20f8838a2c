// End-to-end test of the challenge (揭榜挂帅, docs/challenges.md) over the API, on
// whichever driver the suite runs on: the office posts a problem and publishes it on
// the public board; two applicants apply (one past the cap), a third too late; two
// reviewers score (the mean shown), the office awards; the winner's unit leads, its
// two milestones are supervised like tasks (one late and urged); the acceptance
// passes; two tranches are paid and a third beyond the reward is refused; the
// anonymous board shows no internal field; who sees which application.
// Two instances serve one database: A's clock is Monday 2030-03-04 (applications
// open until 2030-03-15), B's Wednesday 2030-03-20 (closed by the date).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server.js');

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let a, b, units, id, app1, app2;
const tok = {}; // tok[server][user]

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

const act = (s, token, item, body) => s.api('POST', `/api/v1/items/${item}/actions`, { token, body });
const get = (s, token, p) => s.api('GET', p, { token });

function addUser(s, name, unit, role) {
  const r = s.cli(['user', 'add', '--username', name, '--unit', unit, '--role', role, '--password-stdin'],
    { input: 'challenge-password-1\n' });
  assert.equal(r.status, 0, r.stderr);
}

before(async () => {
  a = await startServer({ env: { LUOSHI_NOW: '2030-03-04' } });
  b = await startServer({ db: a.db, init: false, env: { LUOSHI_NOW: '2030-03-20' } });
  addUser(a, 'ljj-app', 'ljj', 'applicant');
  addUser(a, 'qmgm-app', 'qmgm', 'applicant');
  addUser(a, 'hdkj-handler', 'hdkj', 'handler');
  for (const [name, s] of [['a', a], ['b', b]]) {
    tok[name] = {};
    for (const u of ['supervisor', 'leader', 'jiebang', 'yjj'])
      tok[name][u] = await s.login(u, a.logins[u]);
    for (const u of ['ljj-app', 'qmgm-app', 'hdkj-handler'])
      tok[name][u] = await s.login(u, 'challenge-password-1');
  }
  units = Object.fromEntries(must(await get(a, tok.a.supervisor, '/api/v1/units'), 200, 'units')
    .units.map((x) => [x.code, x.id]));
});

after(async () => {
  assert.equal(await b.stop(), 0, b.log().slice(-2000));
  assert.equal(await a.stop(), 0, a.log().slice(-2000));
});

const PUBLIC_KEYS = ['apply_until', 'awarded_on', 'disbursed_wan', 'expected_results', 'field', 'id',
  'max_per_applicant', 'owner_unit', 'phase', 'problem', 'progress', 'published_on', 'result', 'reward_wan',
  'status', 'time_frame', 'title', 'verified_on', 'winner'];

async function boardEntry(s) {
  const r = await fetch(s.url + '/api/v1/board'); // no login
  assert.equal(r.status, 200);
  const text = await r.text();
  const entry = JSON.parse(text).challenges.find((c) => c.id === id);
  return { entry, text };
}

test('create and publish: a draft is the office\'s, the published problem is on the public board', async () => {
  const sup = tok.a.supervisor;
  const bad = await a.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'challenge', title: '无榜金', problem: 'p', owner_unit_id: units.dldq, field: 'f',
    apply_until: '2030-03-15' } });
  assert.deepEqual([bad.status, bad.json.error.code], [422, 'missing_field']);
  const past = await a.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'challenge', title: '过期', problem: 'p', owner_unit_id: units.dldq, field: 'f', reward_wan: 1,
    apply_until: '2030-03-03' } });
  assert.deepEqual([past.status, past.json.error.code], [422, 'invalid_field']);
  const it = must(await a.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'challenge', title: '精密压铸件一体化成型工艺攻关', description: '内部审核意见：同意发榜（科技局）',
    problem: '大型薄壁压铸件一次成型合格率低于 80%，需攻克模具温控与真空压铸工艺。',
    owner_unit_id: units.dldq, field: '先进制造', reward_wan: 300, apply_until: '2030-03-15',
    max_per_applicant: 1, expected_results: '合格率 ≥95%，样件 500 件', time_frame: '揭榜后 12 个月',
    deadline: '2031-03-31' } }), 201, 'create');
  id = it.id;
  assert.deepEqual([it.status, it.lead_unit_id, it.challenge.phase, it.challenge.reward_wan,
    it.challenge.owner_unit, it.challenge.winner], ['draft', null, 'draft', 300, '东立电器有限公司', null]);
  assert.ok(it.allowed_actions.includes('publish'));
  assert.ok(!it.allowed_actions.includes('award') && !it.allowed_actions.includes('assign'));
  assert.equal((await boardEntry(a)).entry, undefined, 'a draft is not on the board');
  const early = await a.api('POST', `/api/v1/items/${id}/applications`, { token: tok.a.jiebang,
    body: { team: 't', plan: 'p', budget_wan: 1, members: ['甲'] } });
  assert.deepEqual([early.status, early.json.error.code], [404, 'not_found']);
  const assign = await act(a, sup, id, { action: 'assign', lead_unit_id: units.hdkj, deadline: '2031-03-31' });
  assert.equal(assign.status, 409, 'a challenge is assigned by its award only');

  const pub = must(await act(a, sup, id, { action: 'publish', note: '经内部审核发布' }), 200, 'publish');
  assert.deepEqual([pub.status, pub.challenge.phase, pub.challenge.published_on], ['draft', 'open', '2030-03-04']);
  assert.equal((await act(a, sup, id, { action: 'publish' })).status, 409, 'published once');
  const { entry } = await boardEntry(a);
  assert.deepEqual(Object.keys(entry).sort(), PUBLIC_KEYS);
  assert.deepEqual(entry, {
    id, title: '精密压铸件一体化成型工艺攻关', problem: '大型薄壁压铸件一次成型合格率低于 80%，需攻克模具温控与真空压铸工艺。',
    owner_unit: '东立电器有限公司', field: '先进制造', reward_wan: 300, apply_until: '2030-03-15',
    max_per_applicant: 1, expected_results: '合格率 ≥95%，样件 500 件', time_frame: '揭榜后 12 个月',
    phase: 'open', published_on: '2030-03-04', winner: null, awarded_on: null, status: 'draft', progress: 0,
    result: null, verified_on: null, disbursed_wan: 0,
  });
});

test('applications: the cap, the deadline, and each applicant sees only its own', async () => {
  const body = { team: '赫德科技压铸攻关组', plan: '模温机分区控制 + 真空阀改造，三阶段试制', budget_wan: 280,
    members: ['张工', '李工', '王博士'] };
  const one = must(await a.api('POST', `/api/v1/items/${id}/applications`, { token: tok.a.jiebang, body }),
    201, 'apply');
  app1 = one.id;
  assert.deepEqual([one.unit_id, one.unit, one.team, one.budget_wan, one.members, one.filed_on, one.reviews],
    [units.hdkj, '赫德科技有限公司', '赫德科技压铸攻关组', 280, ['张工', '李工', '王博士'], '2030-03-04', undefined]);
  const again = await a.api('POST', `/api/v1/items/${id}/applications`, { token: tok.a.jiebang, body });
  assert.deepEqual([again.status, again.json.error.code], [409, 'cap_reached']);
  for (const [bad, code] of [[{ ...body, budget_wan: -1 }, 'invalid_field'], [{ ...body, members: [] }, 'invalid_field'],
    [{ ...body, secret: 1 }, 'unknown_field'], [{ team: 't', plan: 'p', budget_wan: 1 }, 'missing_field']]) {
    const r = await a.api('POST', `/api/v1/items/${id}/applications`, { token: tok.a['ljj-app'], body: bad });
    assert.deepEqual([r.status, r.json.error.code], [422, code]);
  }
  const two = must(await a.api('POST', `/api/v1/items/${id}/applications`, { token: tok.a['ljj-app'],
    body: { team: '立久佳联合高校团队', plan: '产学研联合，半固态压铸', budget_wan: 295.5, members: ['赵教授', '钱工'] } }),
  201, 'apply 2');
  app2 = two.id;
  const by = await a.api('POST', `/api/v1/items/${id}/applications`, { token: tok.a.yjj, body });
  assert.equal(by.status, 403, 'a handler does not apply');

  const mine = must(await get(a, tok.a.jiebang, `/api/v1/items/${id}/applications`), 200, 'own');
  assert.deepEqual(mine.applications.map((x) => x.id), [app1]);
  const theirs = must(await get(a, tok.a['ljj-app'], `/api/v1/items/${id}/applications`), 200, 'own 2');
  assert.deepEqual(theirs.applications.map((x) => [x.id, x.budget_wan]), [[app2, 295.5]]);
  const none = must(await get(a, tok.a['qmgm-app'], `/api/v1/items/${id}/applications`), 200, 'none');
  assert.deepEqual(none.applications, []);
  const all = must(await get(a, tok.a.supervisor, `/api/v1/items/${id}/applications`), 200, 'all');
  assert.deepEqual(all.applications.map((x) => [x.id, x.unit, x.score_mean, x.reviews]),
    [[app1, '赫德科技有限公司', null, []], [app2, '立久佳运动器械有限公司', null, []]]);
  // an applicant sees the challenge it applied to, never its internal record
  must(await get(a, tok.a.jiebang, `/api/v1/items/${id}`), 200, 'item');
  assert.equal((await get(a, tok.a.jiebang, `/api/v1/items/${id}/events`)).status, 403);
  assert.equal((await get(a, tok.a['qmgm-app'], `/api/v1/items/${id}`)).status, 403);

  const review = await act(a, tok.a.supervisor, id, { action: 'review', application_id: app1, score: 90 });
  assert.deepEqual([review.status, review.json.error.code], [409, 'applications_open']);
  const award = await act(a, tok.a.supervisor, id, { action: 'award', application_id: app1 });
  assert.deepEqual([award.status, award.json.error.code], [409, 'applications_open']);

  const late = await b.api('POST', `/api/v1/items/${id}/applications`, { token: tok.b['qmgm-app'], body });
  assert.deepEqual([late.status, late.json.error.code], [409, 'applications_closed']);
  assert.equal((await boardEntry(b)).entry.phase, 'closed');
});

test('review and award: once per reviewer, the mean shown, the winner\'s unit leads', async () => {
  const sup = tok.b.supervisor, lead = tok.b.leader;
  // each reviewer's 待办 has the challenge until they have scored every application
  const toScore = async (t) => {
    const box = must(await get(b, t, '/api/v1/inbox'), 200, 'inbox');
    const counts = must(await get(b, t, '/api/v1/inbox/counts'), 200, 'counts').counts;
    return [box.to_score.map((x) => [x.id, x.kind, x.why && x.why.action]), counts.to_score];
  };
  assert.deepEqual(await toScore(sup), [[[id, 'challenge', 'apply']], 1]);
  assert.deepEqual(await toScore(lead), [[[id, 'challenge', 'apply']], 1]);
  assert.deepEqual(must(await get(a, tok.a.supervisor, '/api/v1/inbox'), 200, 'open').to_score, [], 'not while open');
  assert.deepEqual(must(await get(b, tok.b.yjj, '/api/v1/inbox'), 200, 'handler').to_score, []);
  for (const [t, app, score, comment] of [[sup, app1, 90, '方案扎实'], [sup, app2, 80, '预算偏高'],
    [lead, app1, 85, '同意']]) {
    must(await act(b, t, id, { action: 'review', application_id: app, score, comment }), 200, 'review');
  }
  assert.deepEqual(await toScore(sup), [[], 0]);
  assert.deepEqual(await toScore(lead), [[[id, 'challenge', 'apply']], 1]);
  must(await act(b, lead, id, { action: 'review', application_id: app2, score: 70, comment: '' }), 200, 'review');
  assert.deepEqual(await toScore(lead), [[], 0]);
  const twice = await act(b, sup, id, { action: 'review', application_id: app1, score: 10 });
  assert.deepEqual([twice.status, twice.json.error.code], [409, 'already_reviewed']);
  const high = await act(b, lead, id, { action: 'review', application_id: app1, score: 101 });
  assert.equal(high.status, 422);
  const other = await act(b, sup, id, { action: 'review', application_id: 999999, score: 50 });
  assert.equal(other.status, 422);
  assert.equal((await act(b, tok.b.yjj, id, { action: 'review', application_id: app1, score: 50 })).status, 403);
  const all = must(await get(b, sup, `/api/v1/items/${id}/applications`), 200, 'all');
  assert.deepEqual(all.applications.map((x) => [x.id, x.score_mean, x.reviews.map((r) => [r.reviewer, r.score, r.comment])]), [
    [app1, 87.5, [['督查室 王督查', 90, '方案扎实'], ['市领导 李书记', 85, '同意']]],
    [app2, 75, [['督查室 王督查', 80, '预算偏高'], ['市领导 李书记', 70, '']]],
  ]);
  const mine = must(await get(b, tok.b.jiebang, `/api/v1/items/${id}/applications`), 200, 'own');
  assert.equal(mine.applications[0].reviews, undefined, 'an applicant never sees the scores');
  assert.equal(mine.applications[0].score_mean, undefined);

  const won = must(await act(b, sup, id, { action: 'award', application_id: app1 }), 200, 'award');
  assert.deepEqual([won.status, won.lead_unit_id, won.deadline, won.challenge.phase, won.challenge.awarded_on,
    won.challenge.winner], ['assigned', units.hdkj, '2031-03-31', 'awarded', '2030-03-20',
    { application_id: app1, unit_id: units.hdkj, unit: '赫德科技有限公司' }]);
  assert.equal((await act(b, sup, id, { action: 'award', application_id: app2 })).status, 409);
  const { entry } = await boardEntry(b);
  assert.deepEqual([entry.phase, entry.winner, entry.awarded_on, entry.status],
    ['awarded', '赫德科技有限公司', '2030-03-20', 'assigned']);
  // the losing applicant still sees its own application and the challenge, not the winner's plan
  const lost = must(await get(b, tok.b['ljj-app'], `/api/v1/items/${id}/applications`), 200, 'lost');
  assert.deepEqual(lost.applications.map((x) => x.id), [app2]);
});

test('milestones are supervised like tasks; acceptance; tranches never above the reward', async () => {
  const sup = tok.b.supervisor, h = tok.b['hdkj-handler'];
  must(await act(b, h, id, { action: 'accept' }), 200, 'accept');
  const ms = [];
  for (const [title, deadline] of [['里程碑一：模具温控样机', '2030-03-18'], ['里程碑二：批量试制', '2030-09-30']]) {
    const m = must(await b.api('POST', '/api/v1/items', { token: sup, body: {
      kind: 'task', title, parent_id: id, lead_unit_id: units.hdkj, deadline } }), 201, 'milestone');
    must(await act(b, sup, m.id, { action: 'assign' }), 200, 'assign milestone');
    ms.push(m.id);
  }
  const m1 = must(await get(b, h, `/api/v1/items/${ms[0]}`), 200, 'm1');
  const m2 = must(await get(b, h, `/api/v1/items/${ms[1]}`), 200, 'm2');
  assert.deepEqual([m1.light, m2.light], ['red', 'green']);
  must(await act(b, sup, ms[0], { action: 'urge', text: '里程碑一已逾期，请加快进度' }), 200, 'urge');
  const ev = must(await get(b, sup, `/api/v1/items/${ms[0]}/events`), 200, 'events');
  assert.deepEqual(ev.events.filter((x) => x.action === 'urge').length, 1);
  must(await act(b, h, ms[1], { action: 'accept' }), 200, 'accept m2');
  must(await act(b, h, ms[1], { action: 'feedback', text: '试制过半', progress: 50 }), 200, 'feedback');
  assert.equal(must(await get(b, sup, `/api/v1/items/${id}`), 200, 'rolled').progress, 25);
  for (const m of ms) {
    if (m === ms[0]) must(await act(b, h, m, { action: 'accept' }), 200, 'accept m1');
    must(await act(b, h, m, { action: 'submit', text: '完成' }), 200, 'submit milestone');
    must(await act(b, sup, m, { action: 'verify' }), 200, 'verify milestone');
  }
  must(await act(b, h, id, { action: 'submit', text: '攻关完成，申请验收' }), 200, 'submit');
  const noResult = await act(b, sup, id, { action: 'verify', report: '报告' });
  assert.deepEqual([noResult.status, noResult.json.error.code], [422, 'missing_field']);
  const wrong = await act(b, sup, id, { action: 'verify', result: 'maybe', report: '报告' });
  assert.equal(wrong.status, 422);
  const done = must(await act(b, sup, id, { action: 'verify', result: 'pass',
    report: '专家组现场验收：合格率 96.2%，通过' }), 200, 'verify');
  assert.deepEqual([done.status, done.progress, done.challenge.result, done.challenge.verified_on],
    ['done', 100, 'pass', '2030-03-20']);

  must(await act(b, sup, id, { action: 'disburse', amount_wan: 200, note: '首期拨付' }), 200, 'tranche 1');
  const paid = must(await act(b, sup, id, { action: 'disburse', amount_wan: 100, note: '验收后拨付尾款' }), 200, 'tranche 2');
  assert.deepEqual([paid.challenge.disbursed_wan, paid.challenge.disbursements.map((d) => [d.amount_wan, d.note, d.paid_on])],
    [300, [[200, '首期拨付', '2030-03-20'], [100, '验收后拨付尾款', '2030-03-20']]]);
  const over = await act(b, sup, id, { action: 'disburse', amount_wan: 0.01 });
  assert.deepEqual([over.status, over.json.error.code], [409, 'reward_exceeded']);
  assert.equal((await act(b, h, id, { action: 'disburse', amount_wan: 1 })).status, 403, 'the office pays');

  const { entry, text } = await boardEntry(b);
  assert.deepEqual([entry.status, entry.progress, entry.result, entry.verified_on, entry.disbursed_wan, entry.winner],
    ['done', 100, 'pass', '2030-03-20', 300, '赫德科技有限公司']);
  for (const secret of ['内部审核意见', '赫德科技压铸攻关组', '模温机分区控制', '王博士', '295.5', '方案扎实',
    '督查室', '专家组现场验收', '首期拨付'])
    assert.ok(!text.includes(secret), `the public board shows no internal field: ${secret}`);
});

test('files on applications: the applicant uploads while open, the application carries them, few download them', async () => {
  const sup = tok.a.supervisor;
  const c = must(await a.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'challenge', title: '附件发榜：伺服电机控制器', problem: '低速转矩脉动大', owner_unit_id: units.dldq,
    field: '智能装备', reward_wan: 80, apply_until: '2030-03-12' } }), 201, 'create').id;
  const upload = (token, name, bytes) => a.api('POST', `/api/v1/items/${c}/attachments?name=${encodeURIComponent(name)}`,
    { token, raw: bytes, headers: { 'Content-Type': 'application/octet-stream' } });
  const draft = await upload(tok.a.jiebang, 'plan.png', PNG);
  assert.deepEqual([draft.status, draft.json.error.code], [404, 'not_found'], 'nothing to a draft');
  must(await act(a, sup, c, { action: 'publish' }), 200, 'publish');
  const f1 = must(await upload(tok.a.jiebang, '攻关方案.png', PNG), 201, 'upload 1');
  assert.deepEqual([f1.name, f1.mime, f1.bytes], ['攻关方案.png', 'image/png', PNG.length]);
  const f2 = must(await upload(tok.a['qmgm-app'], 'other.png', PNG), 201, 'upload 2');
  const exe = await upload(tok.a.jiebang, 'plan.pdf', PNG);
  assert.deepEqual([exe.status, exe.json.error.code], [415, 'file_type_mismatch'], 'the same type checks');
  assert.equal((await upload(tok.a.yjj, 'x.png', PNG)).status, 404, 'a handler of another unit');

  const body = { team: '赫德伺服组', plan: '电流环前馈补偿', budget_wan: 60, members: ['周工'] };
  const theirs = await a.api('POST', `/api/v1/items/${c}/applications`, { token: tok.a.jiebang,
    body: { ...body, attachment_ids: [f2.id] } });
  assert.deepEqual([theirs.status, theirs.json.error.code], [422, 'invalid_attachment'], 'another unit\'s file');
  const bad = await a.api('POST', `/api/v1/items/${c}/applications`, { token: tok.a.jiebang,
    body: { ...body, attachment_ids: 'x' } });
  assert.deepEqual([bad.status, bad.json.error.code], [422, 'invalid_field']);
  const filed = must(await a.api('POST', `/api/v1/items/${c}/applications`, { token: tok.a.jiebang,
    body: { ...body, attachment_ids: [f1.id] } }), 201, 'apply with a file');
  const record = { id: f1.id, name: '攻关方案.png', bytes: PNG.length, sha256: f1.sha256 };
  assert.deepEqual(filed.attachments, [record]);
  const again = await a.api('POST', `/api/v1/items/${c}/applications`, { token: tok.a['qmgm-app'],
    body: { ...body, attachment_ids: [f1.id] } });
  assert.deepEqual([again.status, again.json.error.code], [422, 'invalid_attachment'], 'carried once');
  const capped = await upload(tok.a.jiebang, 'more.png', PNG);
  assert.deepEqual([capped.status, capped.json.error.code], [409, 'cap_reached'], 'no files past the cap');
  assert.deepEqual(must(await get(a, tok.a.jiebang, `/api/v1/items/${c}/applications`), 200, 'own')
    .applications.map((x) => x.attachments), [[record]]);
  assert.deepEqual(must(await get(a, sup, `/api/v1/items/${c}/applications`), 200, 'all')
    .applications.map((x) => x.attachments), [[record]]);

  // the office, the reviewers (leaders) and the applicant's own unit download it; nobody else
  const got = [];
  for (const who of ['supervisor', 'leader', 'jiebang', 'hdkj-handler', 'ljj-app', 'qmgm-app', 'yjj'])
    got.push([who, (await get(a, tok.a[who], `/api/v1/attachments/${f1.id}`)).status]);
  assert.deepEqual(got, [['supervisor', 200], ['leader', 200], ['jiebang', 200], ['hdkj-handler', 200],
    ['ljj-app', 404], ['qmgm-app', 404], ['yjj', 404]]);
  const dl = await fetch(a.url + `/api/v1/attachments/${f1.id}`, { headers: { Authorization: 'Bearer ' + tok.a.jiebang } });
  assert.deepEqual(Buffer.from(await dl.arrayBuffer()), PNG);
  // qmgm's own upload, carried by no application yet: its unit and the office only
  assert.deepEqual([(await get(a, tok.a['qmgm-app'], `/api/v1/attachments/${f2.id}`)).status,
    (await get(a, sup, `/api/v1/attachments/${f2.id}`)).status,
    (await get(a, tok.a.jiebang, `/api/v1/attachments/${f2.id}`)).status], [200, 200, 404]);
  const ev = must(await get(a, sup, `/api/v1/items/${c}/events`), 200, 'events').events.find((x) => x.action === 'apply');
  assert.deepEqual(ev.data.attachments, [record], 'the apply event carries the file');

  // an applicant of a university (the demo's 永康职业技术学院) applies as an enterprise's does
  const uni = await a.login('gaoxiao', a.logins.gaoxiao);
  const u1 = must(await a.api('POST', `/api/v1/items/${c}/attachments?name=team.png`,
    { token: uni, raw: PNG, headers: { 'Content-Type': 'image/png' } }), 201, 'university upload');
  const byUni = must(await a.api('POST', `/api/v1/items/${c}/applications`, { token: uni,
    body: { team: '永康职院电机实验室', plan: '校企联合', budget_wan: 40, members: ['吴老师'], attachment_ids: [u1.id] } }),
  201, 'university applies');
  assert.deepEqual([byUni.unit_id, byUni.unit, byUni.attachments.map((f) => f.name)],
    [units.ykzy, '永康职业技术学院', ['team.png']]);
  assert.deepEqual([(await get(a, uni, `/api/v1/attachments/${u1.id}`)).status,
    (await get(a, uni, `/api/v1/attachments/${f1.id}`)).status], [200, 404]);

  must(await act(a, sup, c, { action: 'close_applications' }), 200, 'close');
  const late = await upload(tok.a.jiebang, 'late.png', PNG);
  assert.deepEqual([late.status, late.json.error.code], [409, 'applications_closed']);
});

test('the chain vouches for every step: luoshi verify passes', () => {
  const r = b.cli(['verify']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

// A cookie session on server s for user, and its pages' CSRF token.
async function session(s, user, password) {
  const r = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ username: user, password }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 303, 'login ' + user);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const html = await (await fetch(s.url + '/board', { headers: { Cookie: cookie } })).text();
  return { cookie, csrf: html.match(/name="csrf" value="([0-9a-f]{64})"/)[1] };
}

function post(s, sess, path, fields) {
  return fetch(s.url + path, { method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ ...fields, csrf: sess.csrf }).toString(),
    headers: { Cookie: sess.cookie, 'Content-Type': 'application/x-www-form-urlencoded' } });
}

test('the pages: every step of the office as a form, the applicant\'s form, both languages', async () => {
  const sup = tok.a.supervisor;
  const c = must(await a.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'challenge', title: '页面发榜：轴承钢热处理', problem: '热处理变形超差', owner_unit_id: units.jxj,
    field: '新材料', reward_wan: 50, apply_until: '2030-03-10', max_per_applicant: 2 } }), 201, 'create').id;
  const office = await session(a, 'supervisor', a.logins.supervisor);
  const page = await (await fetch(a.url + `/items/${c}`, { headers: { Cookie: office.cookie } })).text();
  assert.match(page, /name="action" value="publish"/);
  assert.match(page, new RegExp(`href="/board/${c}"`), 'the item page links to the challenge\'s page');
  let r = await post(a, office, `/items/${c}/act`, { action: 'publish', note: '页面发布' });
  assert.equal(r.status, 303);
  assert.equal(must(await get(a, sup, `/api/v1/items/${c}`), 200, 'item').challenge.phase, 'open');

  // the applicant files from the challenge's page; a second time is allowed (cap 2)
  const app = await session(a, 'jiebang', a.logins.jiebang);
  let html = await (await fetch(a.url + `/board/${c}`, { headers: { Cookie: app.cookie } })).text();
  assert.match(html, new RegExp(`<form method="post" action="/board/${c}/apply" enctype="multipart/form-data">`));
  assert.match(html, /<input id="attachment_ids" name="attachment_ids" type="file" multiple/);
  // multipart, with a file (no script): the application carries it
  const fd = new FormData();
  for (const [k, v] of Object.entries({ team: '页面团队', plan: '页面方案', budget_wan: '12.5', members: '甲\n乙',
    csrf: app.csrf })) fd.append(k, v);
  fd.append('attachment_ids', new Blob(['攻关方案要点\n'], { type: 'text/plain' }), '方案.txt');
  r = await fetch(a.url + `/board/${c}/apply`, { method: 'POST', redirect: 'manual', body: fd,
    headers: { Cookie: app.cookie } });
  assert.deepEqual([r.status, r.headers.get('location')], [303, `/board/${c}?filed=1`]);
  r = await post(a, app, `/board/${c}/apply`, { team: '页面团队', plan: '', budget_wan: '1', members: '甲' });
  assert.equal(r.status, 422, 'the plan is required');
  html = await r.text();
  assert.match(html, /role="alert"/);
  assert.match(html, /value="页面团队"/, 'the typed values stay');
  const apps = must(await get(a, tok.a.jiebang, `/api/v1/items/${c}/applications`), 200, 'apps').applications;
  assert.deepEqual(apps.map((x) => [x.team, x.budget_wan, x.members, x.attachments.map((f) => [f.name, f.bytes])]),
    [['页面团队', 12.5, ['甲', '乙'], [['方案.txt', 19]]]]);
  html = await (await fetch(a.url + `/board/${c}`, { headers: { Cookie: app.cookie } })).text();
  assert.match(html, new RegExp(`<a href="/attachments/${apps[0].attachments[0].id}" download>方案.txt</a>`));

  // close, review, award and disburse through the item page
  r = await post(a, office, `/items/${c}/act`, { action: 'close_applications' });
  assert.equal(r.status, 303);
  r = await post(a, office, `/items/${c}/act`, { action: 'review', application_id: String(apps[0].id), score: '88', comment: '好' });
  assert.equal(r.status, 303);
  html = await (await fetch(a.url + `/board/${c}`, { headers: { Cookie: office.cookie } })).text();
  assert.match(html, /评审平均分 <b>88\.0<\/b>/);
  assert.match(html, /督查室 王督查：88 · 好/);
  r = await post(a, office, `/items/${c}/act`, { action: 'award', application_id: String(apps[0].id), deadline: '2030-12-31' });
  assert.equal(r.status, 303);
  r = await post(a, office, `/items/${c}/act`, { action: 'disburse', amount_wan: '20', note: '首期' });
  assert.equal(r.status, 303);
  r = await post(a, office, `/items/${c}/act`, { action: 'disburse', amount_wan: '30.01' });
  assert.equal(r.status, 409);
  const done = must(await get(a, sup, `/api/v1/items/${c}`), 200, 'item');
  assert.deepEqual([done.status, done.lead_unit_id, done.challenge.disbursed_wan], ['assigned', units.hdkj, 20]);

  // the units page offers the kind university
  const admin = await session(a, 'admin', a.logins.admin);
  html = await (await fetch(a.url + '/admin/units', { headers: { Cookie: admin.cookie } })).text();
  assert.match(html, /<option value="university">高校<\/option>/);

  // the board in English, without a login, and the challenge's page for a visitor
  html = await (await fetch(a.url + '/board?lang=en')).text();
  assert.match(html, /<h1>Challenges<\/h1>/);
  assert.match(html, /<dt>Winner<\/dt><dd>赫德科技有限公司<\/dd>/);
  html = await (await fetch(a.url + `/board/${c}`)).text();
  assert.doesNotMatch(html, /页面团队|页面方案|首期|name="csrf"/);
  assert.equal((await fetch(a.url + '/board/999999')).status, 404);
});
