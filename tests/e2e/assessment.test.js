// The 考核 (issue 23): the yearly score of each unit from the automatic
// entries the system already records and the office's own, with the year's
// rules on the configuration chain.  The server's clock is fixed at Monday
// 2025-03-03, so the demo city's start-up scheduler run has recorded exactly
// one deduction: 应急管理局's item overdue since Friday 2025-02-28 (-2).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { startServer } = require('../lib/server.js');

let s, adm, sup, lead, yjj, jxj, u;

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}
const year = (q = '', token = sup) => s.api('GET', '/api/v1/assessment?year=2025' + q, { token });
const add = (body, token = sup) => s.api('POST', '/api/v1/assessment/entries', { token, body });
async function cookieFor(username) {
  const r = await fetch(s.url + '/login', {
    method: 'POST', redirect: 'manual', body: new URLSearchParams({ username, password: s.logins[username] }),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 303);
  return r.headers.get('set-cookie').split(';')[0];
}
const page = async (p, who = 'supervisor') => {
  const r = await fetch(s.url + p, { headers: { Cookie: await cookieFor(who) }, redirect: 'manual' });
  return { status: r.status, text: await r.text() };
};
const brief = (v) => v.units.map((x) => `${x.unit_code} ${x.score} ${x.rank}/${x.rank_of}`);

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: '2025-03-03' } });
  adm = await s.login('admin');
  sup = await s.login('supervisor');
  lead = await s.login('leader');
  yjj = await s.login('yjj');
  jxj = await s.login('jxj');
  u = Object.fromEntries(must(await s.api('GET', '/api/v1/units', { token: sup }), 200, 'units')
    .units.map((x) => [x.code, x.id]));
  for (let k = 0; k < 100; k++) { // the start-up run of the scheduler
    const d = must(await s.api('GET', '/api/v1/deductions', { token: sup }), 200, 'ledger');
    if (d.count) break;
    await new Promise((res) => setTimeout(res, 50));
  }
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

test('assessment: the ledger\'s deduction, manual entries, a withdrawal and the evaluation make exact scores', async () => {
  let v = must(await year(), 200, 'year');
  assert.equal(v.year, 2025);
  const y = v.units.find((x) => x.unit_code === 'yjj');
  assert.deepEqual([y.score, y.base, y.deducted, y.added, y.evaluation, y.rank, y.rank_of], [98, 100, -2, 0, 0, 9, 9]);
  assert.deepEqual(y.entries.map((e) => [e.source, e.rule, e.points, e.ref, e.item_title, e.at]),
    [['auto', 'overdue', -2, '2025-02-28', '常态化开展各领域安全隐患排查整治，形成闭环', '2025-03-03T12:00:00+08:00']]);
  assert.deepEqual(v.units.map((x) => x.unit_kind), [...Array(9).fill('department'), ...Array(3).fill('taskforce'), ...Array(3).fill('town')],
    'departments, task forces and towns; no grids or enterprises');

  const d = must(await add({ unit_id: u.jxj, points: -3, reason: '未按时报送半年总结', item_id: y.entries[0].item_id }), 201, 'deduction');
  const b = must(await add({ unit_id: u.yjj, points: 2, reason: '经验做法被省厅推广' }), 201, 'bonus');
  must(await add({ unit_id: u.yjj, kind: 'evaluation', points: 15, reason: '年度领导评价' }, lead), 201, 'evaluation');
  const w = must(await add({ withdraws: b.id, reason: '重复加分' }), 201, 'withdrawal');
  let r = await add({ withdraws: b.id, reason: '再撤一次' });
  assert.deepEqual([r.status, r.json.error.code], [409, 'already_withdrawn']);
  r = await add({ unit_id: u.yjj, kind: 'evaluation', points: 10, reason: '再评一次' }, lead);
  assert.deepEqual([r.status, r.json.error.code], [409, 'evaluation_exists']);

  v = must(await year(), 200, 'year');
  // yjj 100 - 2 + 2 - 2 + 15 = 113; jxj 100 - 3 = 97
  assert.deepEqual(brief(v).slice(0, 9), ['yjj 113 1/9', 'dcs 100 2/9', 'dx 100 2/9', 'fgj 100 2/9', 'kjj 100 2/9',
    'swb 100 2/9', 'zgj 100 2/9', 'zzb 100 2/9', 'jxj 97 9/9']);
  const y2 = v.units[0];
  assert.deepEqual([y2.deducted, y2.added, y2.evaluation], [-2, 0, 15]);
  assert.deepEqual(y2.entries.map((e) => [e.source, e.rule, e.points, e.id || null, e.withdraws || null, e.withdrawn_by || null, e.actor || null]),
    [['auto', 'overdue', -2, null, null, null, null],
      ['manual', 'bonus', 2, b.id, null, w.id, 'supervisor'],
      ['manual', 'evaluation', 15, b.id + 1, null, null, 'leader'],
      ['manual', 'withdrawal', -2, w.id, b.id, null, 'supervisor']]);
  const j = v.units.find((x) => x.unit_code === 'jxj');
  assert.deepEqual(j.entries.map((e) => [e.id, e.rule, e.points, e.reason, e.item_id, e.item_title]),
    [[d.id, 'deduction', -3, '未按时报送半年总结', y.entries[0].item_id, '常态化开展各领域安全隐患排查整治，形成闭环']]);
  assert.deepEqual(brief(must(await year('', lead), 200, 'leader')), brief(v), 'a leader sees the same');
});

test('notice: its 考核 section says what GET /api/v1/assessment says — the year\'s scores and ranks, the period\'s entries', async () => {
  const n = must(await s.api('GET', '/api/v1/notices?from=2025-03-01&to=2025-03-31&format=json', { token: sup }), 200, 'notice');
  const y = must(await year(), 200, 'year');
  const m = must(await year('&period=month&n=3'), 200, 'March');
  const a = n.assessment;
  assert.deepEqual([a.year, a.from, a.to], [2025, '2025-03-01', '2025-03-03']);
  assert.deepEqual(a.units.map((x) => [x.unit_id, x.score, x.base, x.rank, x.rank_of]),
    y.units.map((x) => [x.unit_id, x.score, x.base, x.rank, x.rank_of]));
  assert.deepEqual(a.units.map((x) => x.entries), m.units.map((x) => x.entries));
  assert.deepEqual(a.units.map((x) => x.consequences), m.units.map((x) => x.consequences));
  const yj = a.units.find((x) => x.unit_code === 'yjj');
  assert.deepEqual([yj.score, yj.period_points, yj.entries.length], [113, 13, 4]);
  // a February notice: the same year's scores up to its end, nothing moved in it
  const f = must(await s.api('GET', '/api/v1/notices?from=2025-02-01&to=2025-02-28&format=json', { token: sup }), 200, 'Feb');
  assert.deepEqual([...new Set(f.assessment.units.map((x) => `${x.score} ${x.period_points} ${x.entries.length}`))], ['100 0 0']);
  // a unit's notice: its subtree's assessed units only
  const t = must(await s.api('GET', '/api/v1/notices?from=2025-03-01&to=2025-03-31&unit=yjj', { token: sup }), 200, 'unit');
  assert.deepEqual(t.assessment.units.map((x) => [x.unit_code, x.score, x.rank]), [['yjj', 113, 1]]);
  const h = await s.api('GET', '/api/v1/notices?from=2025-03-01&to=2025-03-31&format=html', { token: sup });
  assert.match(h.text, /<h3>附：2025年度考核情况<\/h3>/);
  assert.match(h.text, /<tr><td>应急管理局<\/td><td class="num">1\/9<\/td><td class="num">113<\/td><td class="num">13<\/td><\/tr>/);
  assert.match(h.text, /<tr><td>经信局<\/td><td>2025-03-03<\/td><td>扣分<\/td><td class="num">-3<\/td><td>常态化开展各领域安全隐患排查整治，形成闭环<\/td><td>未按时报送半年总结<\/td><\/tr>/);
  assert.match(h.text, /<p class="consequence">应急管理局：约谈（2025-03，亮灯事项 1 项）。<\/p>/);
  const c = await s.api('GET', '/api/v1/notices?from=2025-03-01&to=2025-03-31&format=csv', { token: sup });
  const lines = c.text.split('\r\n');
  const at = lines.indexOf('考核情况');
  assert.deepEqual(lines.slice(at, at + 3), ['考核情况', '单位,类别名次,同类单位数,得分,本期变动', '应急管理局,1,9,113,13']);
  assert.ok(lines.includes(`经信局,2025-03-03,扣分,-3,${yj.entries[0].item_id},未按时报送半年总结`));
  const x = await fetch(s.url + '/api/v1/notices?from=2025-03-01&to=2025-03-31&format=xlsx', { headers: { Authorization: 'Bearer ' + sup } });
  const file = path.join(s.dir, 'assess-notice.xlsx');
  fs.writeFileSync(file, Buffer.from(await x.arrayBuffer()));
  const unzip = (member) => execFileSync('unzip', ['-p', file, member]).toString('utf8');
  assert.deepEqual([...unzip('xl/workbook.xml').matchAll(/<sheet name="([^"]+)"/g)].map((m) => m[1]).at(-1), '考核情况');
  const row2 = unzip('xl/worksheets/sheet5.xml').match(/<row r="2"[^>]*>(.*?)<\/row>/)[1];
  assert.deepEqual([...row2.matchAll(/<c r="([B-E])2"[^>]*><v>([^<]*)<\/v>/g)].map((m) => m[1] + m[2]), ['B1', 'C9', 'D113', 'E13']);
});

test('dashboard: the 考核 card shows the lowest scores so far and this month\'s consequences', async () => {
  const d = await page('/dashboard');
  assert.equal(d.status, 200);
  const card = d.text.match(/<section class="card assessment-tile">.*?<\/section>/)[0];
  const lowest = [...card.matchAll(/<li><a href="\/assessment\?year=2025&amp;unit=(\d+)">([^<]+)<\/a> <b>([\d.-]+)<\/b><\/li>/g)]
    .map((x) => [Number(x[1]), x[2], Number(x[3])]);
  assert.deepEqual(lowest, [[u.jxj, '经信局', 97], [u.dcs, '督查室（督考办）', 100], [u.dx, '市委党校', 100]]);
  assert.match(card, /<h3>本月考核问责 <small>2025-03<\/small><\/h3><ul class="consequences"><li>应急管理局 <strong>约谈<\/strong> <small>2025-03<\/small><\/li><\/ul>/);
  const own = (await page('/dashboard', 'yjj')).text.match(/<section class="card assessment-tile">.*?<\/section>/)[0];
  assert.match(own, /<ol class="lowest"><li><a href="\/assessment\?year=2025&amp;unit=\d+">应急管理局<\/a> <b>113<\/b><\/li><\/ol>/);
});

test('assessment: a unit sees only its own; only the office adds entries, a leader only the evaluation', async () => {
  const own = must(await year('', yjj), 200, 'own');
  assert.deepEqual(own.units.map((x) => x.unit_code), ['yjj']);
  assert.deepEqual(must(await year(`&unit=${u.yjj}`, yjj), 200, 'own by id'), own);
  let r = await year(`&unit=${u.jxj}`, yjj);
  assert.deepEqual([r.status, r.json.error.code], [403, 'forbidden']);
  r = await add({ unit_id: u.jxj, points: -1, reason: 'x' }, yjj);
  assert.equal(r.status, 403);
  r = await add({ unit_id: u.jxj, points: -1, reason: 'x' }, lead);
  assert.deepEqual([r.status, r.json.error.code], [403, 'forbidden']);
  for (const [body, code] of [
    [{ unit_id: u.jxj, points: -1 }, 'missing_field'],
    [{ unit_id: u.jxj, points: -1, reason: '   ' }, 'missing_field'],
    [{ unit_id: u['dc-01'], points: -1, reason: 'x' }, 'invalid_field'],
    [{ unit_id: u.jxj, points: 0, reason: 'x' }, 'invalid_field'],
    [{ unit_id: u.jxj, points: -101, reason: 'x' }, 'invalid_field'],
    [{ unit_id: u.jxj, points: '-1', reason: 'x' }, 'invalid_field'],
    [{ unit_id: u.jxj, kind: 'no_substance', reason: 'x' }, 'missing_field'],
    [{ unit_id: u.jxj, points: -1, reason: 'x', item_id: 99999 }, 'invalid_field'],
    [{ unit_id: u.jxj, points: -1, reason: 'x', proof: 'y' }, 'invalid_field'],
    [{ unit_id: u.jxj, points: -1, reason: 'x', evidence: 7 }, 'invalid_field'],
  ]) {
    r = await add(body);
    assert.deepEqual([r.status, r.json.error.code], [422, code], JSON.stringify(body));
  }
  r = await add({ withdraws: 99999, reason: 'x' });
  assert.deepEqual([r.status, r.json.error.code], [404, 'not_found']);
  assert.equal((await s.api('GET', '/api/v1/assessment/rules', { token: yjj })).status, 403);
});

test('assessment rules: the admin sets a year\'s points, recorded on the configuration chain; the score follows', async () => {
  const before = must(await s.api('GET', '/api/v1/assessment/rules?year=2025', { token: sup }), 200, 'rules');
  assert.deepEqual(before.rules.map((x) => [x.rule, x.points, x.default, x.set]), [
    ['base', 100, 100, false], ['criticism_reds', 3, 3, false], ['escalation_general', 0, 0, false], ['escalation_key', -1, -1, false],
    ['escalation_listed', -2, -2, false], ['evaluation_max', 20, 20, false], ['late_feedback', null, null, false], ['late_signing', -1, -1, false],
    ['letter_yellows', 2, 2, false], ['no_substance', -5, -5, false], ['overdue', null, null, false],
    ['rejected', -1, -1, false], ['talk_reds', 1, 1, false], ['unsatisfied', -1, -1, false]]);
  let r = await s.api('POST', '/api/v1/assessment/rules', { token: sup, body: { year: 2025, rules: { overdue: -5 } } });
  assert.equal(r.status, 403);
  r = await s.api('POST', '/api/v1/assessment/rules', { token: adm, body: { year: 2025, rules: { overdue: 5 } } });
  assert.deepEqual([r.status, r.json.error.code], [422, 'invalid_field']);
  const set = must(await s.api('POST', '/api/v1/assessment/rules', { token: adm,
    body: { year: 2025, rules: { overdue: -5 } } }), 200, 'set');
  assert.deepEqual(set.rules.find((x) => x.rule === 'overdue'), { rule: 'overdue', points: -5, default: null, set: true, min: -100, max: 0 });
  const h = must(await s.api('GET', '/api/v1/config-history?section=settings', { token: sup }), 200, 'history');
  assert.deepEqual([h.events[0].actor, h.events[0].key, h.events[0].after], ['admin', 'assessment.2025.overdue', { value: '-5' }]);
  const y = must(await year(`&unit=${u.yjj}`), 200, 'year').units[0];
  assert.deepEqual([y.entries[0].rule, y.entries[0].points], ['overdue', -5]);
  assert.equal(y.score, 110); // 100 - 5 + 2 - 2 + 15
  const other = must(await s.api('GET', '/api/v1/assessment/rules?year=2024', { token: sup }), 200, '2024');
  assert.equal(other.rules.find((x) => x.rule === 'overdue').set, false);
  const v = s.cli(['verify']);
  assert.equal(v.status, 0, v.stdout + v.stderr);
});

test('assessment export: the ranking as CSV and XLSX', async () => {
  const r = await fetch(s.url + '/api/v1/assessment?year=2025&format=csv', { headers: { Authorization: 'Bearer ' + sup } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-disposition'), 'attachment; filename="assessment-2025.csv"');
  const body = Buffer.from(await r.arrayBuffer());
  assert.equal(body.subarray(0, 3).toString('hex'), 'efbbbf', 'a BOM for Excel');
  const lines = body.subarray(3).toString().split('\r\n');
  assert.equal(lines[0], '名次,单位,类别,基础分,扣分,加分,领导评价,得分');
  assert.equal(lines[1], '1,应急管理局,部门,100,-5,0,15,110');
  assert.equal(lines.at(-2), '1,西城街道,镇街,100,0,0,0,100');
  const x = await fetch(s.url + '/api/v1/assessment?year=2025&format=xlsx', { headers: { Authorization: 'Bearer ' + sup } });
  assert.equal(x.status, 200);
  const bytes = Buffer.from(await x.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  const r2 = await year('&format=pdf');
  assert.equal(r2.status, 422);
});

test('assessment periods: a month and a quarter sum only their entries; the months add up to the year', async () => {
  const y = must(await year(), 200, 'year');
  const m3 = must(await year('&period=month&n=3'), 200, 'March');
  const q1 = must(await year('&period=quarter&n=1'), 200, 'Q1');
  assert.deepEqual([y.period, y.from, y.to], ['2025', '2025-01-01', '2025-12-31']);
  assert.deepEqual([m3.period, m3.from, m3.to], ['2025-03', '2025-03-01', '2025-03-31']);
  assert.deepEqual([q1.period, q1.from, q1.to], ['2025-Q1', '2025-01-01', '2025-03-31']);
  // everything so far happened on 2025-03-03: March and Q1 are the year
  assert.deepEqual(m3.units, y.units);
  assert.deepEqual(q1.units, y.units);
  const feb = must(await year('&period=month&n=2'), 200, 'February');
  assert.deepEqual([...new Set(feb.units.map((x) => `${x.score} ${x.entries.length} ${x.rank}`))], ['100 0 1']);
  const q2 = must(await year(`&period=quarter&n=2&unit=${u.yjj}`, yjj), 200, 'Q2 own');
  assert.deepEqual(q2.units.map((x) => [x.unit_code, x.score, x.entries.length]), [['yjj', 100, 0]]);
  // an entry for 2024 made now counts on 2024's last day
  const e = must(await add({ unit_id: u.swb, points: -4, reason: '2024年度总结迟报', year: 2024 }), 201, '2024');
  const dec = must(await s.api('GET', `/api/v1/assessment?year=2024&period=month&n=12&unit=${u.swb}`, { token: sup }), 200, 'Dec');
  assert.deepEqual(dec.units[0].entries.map((x) => [x.id, x.points, x.at]), [[e.id, -4, '2025-03-03T12:00:00+08:00']]);
  assert.equal(dec.units[0].score, 96);
  const nov = must(await s.api('GET', `/api/v1/assessment?year=2024&period=quarter&n=3&unit=${u.swb}`, { token: sup }), 200, 'Q3');
  assert.equal(nov.units[0].score, 100);
  for (const q of ['&period=week', '&period=month', '&period=month&n=13', '&period=quarter&n=5', '&n=2', '&period=month&n=x']) {
    const r = await year(q);
    assert.deepEqual([r.status, r.json.error.code], [422, 'invalid_parameter'], q);
  }
  const csv = await fetch(s.url + '/api/v1/assessment?year=2025&period=month&n=2&format=csv', { headers: { Authorization: 'Bearer ' + sup } });
  assert.equal(csv.headers.get('content-disposition'), 'attachment; filename="assessment-2025-02.csv"');
  assert.equal((await csv.text()).split('\r\n')[1], '1,督查室（督考办）,部门,100,0,0,0,100');
  const p = await page('/assessment?year=2025&span=q1');
  assert.equal(p.status, 200);
  assert.match(p.text, /<h1>年度考核 <small>2025-Q1<\/small><\/h1>/);
  assert.match(p.text, /<option value="q1" selected>2025-Q1<\/option>/);
  assert.match(p.text, /href="\/api\/v1\/assessment\?year=2025&amp;period=quarter&amp;n=1&amp;format=csv"/);
  assert.match(p.text, /href="\/assessment\?year=2025&amp;span=q1&amp;unit=\d+">应急管理局<\/a>/);
  assert.equal((await page('/assessment?year=2025&span=m13')).status, 422);
});

test('luoshi assessment: show, add, withdraw and rules from the command line, as cli:LOGIN', async () => {
  let r = s.cli(['assessment', 'add', '--unit', 'zb-wjzh', '--points', '3', '--reason', '专班工作获省表彰', '--year', '2025']);
  assert.equal(r.status, 0, r.stderr);
  const id = Number(r.stdout.match(/^entry (\d+)\n$/)[1]);
  r = s.cli(['assessment', 'show', '--year', '2025', '--unit', 'zb-wjzh', '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const unit = JSON.parse(r.stdout).units[0];
  assert.deepEqual([unit.score, unit.rank, unit.rank_of], [103, 1, 3]);
  assert.match(unit.entries[0].actor, /^cli:/);
  r = s.cli(['assessment', 'withdraw', '--entry', String(id), '--reason', '表彰已撤回']);
  assert.equal(r.status, 0, r.stderr);
  r = s.cli(['assessment', 'withdraw', '--entry', String(id), '--reason', '再撤']);
  assert.deepEqual([r.status, r.stderr], [2, 'luoshi assessment withdraw: the entry is withdrawn already\n']);
  r = s.cli(['assessment', 'show', '--year', '2025']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^1 +zb-wjzh +100  五金产业转型升级指挥部$/m);
  assert.match(r.stdout, /^1 +yjj +110  应急管理局$/m);
  r = s.cli(['assessment', 'add', '--unit', 'dc-01', '--points', '-1', '--reason', 'x']);
  assert.equal(r.status, 2);
  r = s.cli(['assessment', 'rules', '--year', '2026', '--set', 'base=90']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).rules[0], { rule: 'base', points: 90, default: 100, set: true, min: 0, max: 1000 });
  const h = must(await s.api('GET', '/api/v1/config-history?section=settings', { token: sup }), 200, 'history');
  assert.deepEqual([h.events[0].key, h.events[0].actor.startsWith('cli:')], ['assessment.2026.base', true]);
  r = s.cli(['assessment', 'show', '--year', '2025', '--format', 'csv']);
  assert.equal(r.stdout.split('\r\n')[1], '1,应急管理局,部门,100,-5,0,15,110');
  r = s.cli(['assessment', 'show', '--year', '2025', '--period', 'month', '--n', '2', '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual([JSON.parse(r.stdout).period, [...new Set(JSON.parse(r.stdout).units.map((x) => x.score))]], ['2025-02', [100]]);
  r = s.cli(['assessment', 'show', '--year', '2025', '--period', 'week', '--n', '2']);
  assert.deepEqual([r.status, r.stderr], [2, 'luoshi assessment show: \'period\' must be year, month or quarter\n']);
  r = s.cli(['assessment', 'add', '--unit', 'zb-wjzh', '--points', '-1', '--reason', '证据在此', '--evidence', '会议纪要第7期']);
  assert.equal(r.status, 0, r.stderr);
  r = s.cli(['assessment', 'show', '--unit', 'zb-wjzh', '--format', 'json', '--year', '2025']);
  assert.equal(JSON.parse(r.stdout).units[0].entries.at(-1).evidence, '会议纪要第7期');
});

test('objections: a unit objects once to its own entry; the office accepts with a linked counter-entry or rejects with a reason', async () => {
  const swb = async () => must(await year(`&unit=${u.swb}`), 200, 'swb').units[0];
  const start = (await swb()).score;
  const e1 = must(await add({ unit_id: u.swb, points: -4, reason: '未按时报送材料', evidence: 'https://example.gov.cn/dc/2025-3.pdf' }), 201, 'e1').id;
  const e2 = must(await add({ unit_id: u.swb, points: -1, reason: '会议缺席', evidence: '永督〔2025〕3号' }), 201, 'e2').id;
  const ej = must(await add({ unit_id: u.jxj, points: -1, reason: '经信局的' }), 201, 'ej').id;
  const adm2 = adm; // the admin's unit is swb (市委办公室)
  let v = await swb();
  assert.deepEqual(v.entries.filter((x) => x.id >= e1).map((x) => [x.id, x.evidence, x.objection]),
    [[e1, 'https://example.gov.cn/dc/2025-3.pdf', null], [e2, '永督〔2025〕3号', null]]);
  const object = (id, body, token = adm2) => s.api('POST', `/api/v1/assessment/entries/${id}/objection`, { token, body });
  let r = await object(ej, { text: '不是我们的' });
  assert.deepEqual([r.status, r.json.error.code], [404, 'not_found'], 'another unit\'s entry');
  r = await object(e1, { text: '不是我们的' }, yjj);
  assert.deepEqual([r.status, r.json.error.code], [404, 'not_found'], 'a handler of another unit');
  r = await object(99999, { text: 'x' });
  assert.deepEqual([r.status, r.json.error.code], [404, 'not_found']);
  r = await object(e1, {});
  assert.deepEqual([r.status, r.json.error.code], [422, 'missing_field']);
  r = await object(e1, { text: 'x', points: 1 });
  assert.deepEqual([r.status, r.json.error.code], [422, 'invalid_field']);
  const o1 = must(await object(e1, { text: '材料已于3月1日报送，附回执' }), 201, 'objection').id;
  r = await object(e1, { text: '再提一次' });
  assert.deepEqual([r.status, r.json.error.code], [409, 'objection_exists']);
  const o2 = must(await object(e2, { text: '当天请假已报备' }), 201, 'objection 2').id;

  const list = (q = '', token = sup) => s.api('GET', '/api/v1/assessment/objections' + q, { token });
  const pending = must(await list('?status=pending'), 200, 'pending').objections;
  assert.deepEqual(pending.map((x) => [x.id, x.entry_id, x.unit_name, x.text, x.actor, x.status, x.entry.points, x.entry.reason]),
    [[o1, e1, '市委办公室', '材料已于3月1日报送，附回执', 'admin', 'pending', -4, '未按时报送材料'],
      [o2, e2, '市委办公室', '当天请假已报备', 'admin', 'pending', -1, '会议缺席']]);
  assert.deepEqual(must(await list('', yjj), 200, 'yjj').objections, [], 'a unit sees only its own');
  assert.equal((await list('?status=open')).status, 422);
  const box = must(await s.api('GET', '/api/v1/inbox', { token: sup }), 200, 'inbox');
  assert.deepEqual(box.objections.map((x) => x.id), [o1, o2]);
  const counts = must(await s.api('GET', '/api/v1/inbox/counts', { token: sup }), 200, 'counts');
  assert.equal(counts.counts.objections, 2);
  assert.deepEqual(must(await s.api('GET', '/api/v1/inbox', { token: yjj }), 200, 'yjj inbox').objections, []);

  const decide = (id, body, token = sup) => s.api('POST', `/api/v1/assessment/objections/${id}`, { token, body });
  assert.equal((await decide(o1, { decision: 'accept', reason: 'x' }, yjj)).status, 403);
  r = await decide(o1, { decision: 'maybe', reason: 'x' });
  assert.deepEqual([r.status, r.json.error.code], [422, 'invalid_field']);
  r = await decide(o1, { decision: 'accept' });
  assert.deepEqual([r.status, r.json.error.code], [422, 'missing_field']);
  const a1 = must(await decide(o1, { decision: 'accept', reason: '回执属实' }), 200, 'accept');
  assert.deepEqual([a1.status, a1.decision_reason, a1.decided_by, typeof a1.counter_entry_id], ['accepted', '回执属实', 'supervisor', 'number']);
  r = await decide(o1, { decision: 'reject', reason: '改主意' });
  assert.deepEqual([r.status, r.json.error.code], [409, 'objection_decided']);
  const j2 = must(await decide(o2, { decision: 'reject', reason: '未见请假记录' }), 200, 'reject');
  assert.deepEqual([j2.status, j2.decision_reason, j2.counter_entry_id], ['rejected', '未见请假记录', null]);

  v = await swb();
  assert.equal(v.score, start - 1, 'the accepted objection withdrew -4; the rejected -1 stands');
  const byId = Object.fromEntries(v.entries.filter((x) => x.id).map((x) => [x.id, x]));
  assert.deepEqual([byId[e1].withdrawn_by, byId[e1].objection], [a1.counter_entry_id,
    { id: o1, status: 'accepted', text: '材料已于3月1日报送，附回执', decision_reason: '回执属实' }]);
  const c = byId[a1.counter_entry_id];
  assert.deepEqual([c.rule, c.points, c.withdraws, c.reason, c.actor], ['withdrawal', 4, e1, `异议成立（第${e1}号记录）：回执属实`, 'supervisor']);
  assert.deepEqual(byId[e2].objection, { id: o2, status: 'rejected', text: '当天请假已报备', decision_reason: '未见请假记录' });
  r = await object(a1.counter_entry_id, { text: '撤销也不服' });
  assert.deepEqual([r.status, r.json.error.code], [422, 'invalid_field'], 'a withdrawal');
  const e3 = must(await add({ unit_id: u.swb, points: -2, reason: '又一条' }), 201, 'e3').id;
  must(await add({ withdraws: e3, reason: '录错' }), 201, 'withdraw e3');
  r = await object(e3, { text: '已撤销的' });
  assert.deepEqual([r.status, r.json.error.code], [409, 'already_withdrawn']);

  // the pages: the unit's form, the office's decisions and its 待办
  let p = await page(`/assessment?year=2025&unit=${u.swb}`, 'admin');
  assert.match(p.text, new RegExp(`<div class="objection accepted" id="objection-${o1}"><span class="badge">异议已采纳</span> <q>材料已于3月1日报送，附回执</q> <small>处理意见：回执属实</small></div>`));
  assert.match(p.text, /<small class="evidence">依据：<a href="https:\/\/example.gov.cn\/dc\/2025-3.pdf" rel="noopener noreferrer">https:\/\/example.gov.cn\/dc\/2025-3.pdf<\/a><\/small>/);
  assert.match(p.text, /<small class="evidence">依据：永督〔2025〕3号<\/small>/);
  const e4 = must(await add({ unit_id: u.swb, points: -3, reason: '第四条' }), 201, 'e4').id;
  p = await page(`/assessment?year=2025&unit=${u.swb}`, 'admin');
  assert.match(p.text, new RegExp(`<input type="hidden" name="entry" value="${e4}"><input name="text" required`));
  const sess = await cookieFor('admin');
  const form = await fetch(s.url + `/assessment?year=2025&unit=${u.swb}`, { headers: { Cookie: sess } });
  const csrf = (await form.text()).match(/name="csrf" value="([0-9a-f]+)"/)[1];
  r = await fetch(s.url + '/assessment/objection', { method: 'POST', redirect: 'manual',
    headers: { Cookie: sess, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, year: '2025', unit: String(u.swb), entry: String(e4), text: '页面提出的异议' }) });
  assert.deepEqual([r.status, r.headers.get('location')], [303, `/assessment?year=2025&unit=${u.swb}`]);
  const o4 = must(await list('?status=pending'), 200, 'pending').objections;
  assert.deepEqual(o4.map((x) => [x.entry_id, x.text]), [[e4, '页面提出的异议']]);
  p = await page('/assessment?year=2025');
  assert.match(p.text, new RegExp(`<section class="card inbox i-objections"><h2>考核异议待处理 <small>1</small></h2><ul class="inbox-list"><li><a href="/assessment\\?year=2025&amp;unit=${u.swb}#objection-${o4[0].id}">市委办公室 · 扣分 -3</a>`));
  p = await page(`/assessment?year=2025&unit=${u.swb}`);
  assert.match(p.text, new RegExp(`<input type="hidden" name="objection" value="${o4[0].id}"><input name="reason" required`));
  p = await page('/inbox');
  assert.match(p.text, /<section class="card inbox i-objections"><h2>考核异议待处理 <small>1<\/small><\/h2>/);

  const h = must(await s.api('GET', '/api/v1/config-history?section=objections', { token: sup }), 200, 'history');
  assert.deepEqual(h.events.slice(0, 3).map((x) => [x.action, x.key, x.after.status]),
    [['add', String(o4[0].id), 'pending'], ['decide', String(o2), 'rejected'], ['decide', String(o1), 'accepted']]);
  const vr = s.cli(['verify']);
  assert.equal(vr.status, 0, vr.stdout + vr.stderr);
});

test('dashboard: the 考核 card is kept between views and follows a new entry at once', async () => {
  const card = async () => (await page('/dashboard')).text.match(/<section class="card assessment-tile">.*?<\/section>/)[0];
  const first = await card();
  const before = Number(first.match(/unit=\d+">经信局<\/a> <b>([\d.-]+)<\/b>/)[1]);
  assert.equal(await card(), first, 'the same card again');
  must(await add({ unit_id: u.jxj, points: -5, reason: '整改材料弄虚作假' }), 201, 'deduction');
  const after = await card();
  assert.notEqual(after, first);
  assert.match(after, new RegExp(`<ol class="lowest"><li><a href="/assessment\\?year=2025&amp;unit=${u.jxj}">经信局</a> <b>${before - 5}</b></li>`));
});
