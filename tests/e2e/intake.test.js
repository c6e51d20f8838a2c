// End-to-end tests of meeting intake's surfaces: POST /api/v1/intake on the
// seed, its errors, storing a meeting with chosen drafts (POST
// /api/v1/meetings, GET /api/v1/meetings/{id}), `luoshi import meeting`, the
// demo city's seed meeting, the pages /intake and /meetings/{id}, and a
// SIGTERM while long texts are read (the server drains them, then exits 0).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer } = require('../lib/server.js');

const SEED_FILE = path.join(__dirname, '../intake/seed.txt');
const SEED = fs.readFileSync(SEED_FILE, 'utf8');
const GOLDEN = JSON.parse(fs.readFileSync(path.join(__dirname, '../intake/seed.json'), 'utf8'));

let s, sup, units;
before(async () => {
  s = await startServer();
  sup = await s.login('supervisor');
  units = Object.fromEntries((await s.api('GET', '/api/v1/units', { token: sup })).json.units
    .map((u) => [u.name, u.id]));
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

const intake = (text, token = sup) => s.api('POST', '/api/v1/intake', { token, body: { text } });

test('the seed through POST /api/v1/intake: paragraphs, articles, directives', async () => {
  const r = await intake(SEED);
  assert.equal(r.status, 200);
  assert.equal(r.json.paragraphs.length, 21);
  assert.deepEqual(r.json.paragraphs, GOLDEN.paragraphs);
  assert.deepEqual(r.json.articles.map((a) => a.title),
    ['市委常委会传达学习习近平总书记重要讲话精神', '聚合一流创新要素 打造一流创新生态']);
  assert.equal(r.json.meetings[0].name, '市委常委会（扩大）会议');
  assert.equal(r.json.meetings[0].chair, '市委书记章旭升');
  assert.equal(r.json.directives.length, 15);
  const at = (d) => [d.text, d.paragraph, d.start, d.end, d.units];
  assert.deepEqual(r.json.directives.map(at), GOLDEN.directives.map(at));
  const [d0, d1] = r.json.directives;
  assert.match(d0.text, /^全市上下要学习好、贯彻好/);
  assert.deepEqual(d0.units, []);
  assert.deepEqual(d0.suggested_units, ['市委党校']);
  assert.deepEqual(d1.units, ['市委组织部', '市委党校']);
  assert.equal(d1.kind, 'task');
  assert.match(d1.deadline, /^\d{4}-04-04$/, '20 days after 3月15日');
});

test('suggestions come from the city\'s keyword table, with its unit names', async () => {
  const r = await intake(SEED);
  // the built-in table says 督查室 and 住建局; the demo city has 督查室（督考办） and no 住建局
  assert.deepEqual(GOLDEN.directives[4].suggested_units, ['发改局', '督查室']);
  assert.deepEqual(r.json.directives[4].suggested_units, ['发改局', '督查室（督考办）']);
  assert.deepEqual(GOLDEN.directives[13].suggested_units, ['科技局', '住建局']);
  assert.deepEqual(r.json.directives[13].suggested_units, ['科技局']);
});

test('invalid UTF-8 in the body is 400 naming where the bad byte is', async () => {
  const raw = Buffer.concat([Buffer.from('{"text":"abc你'), Buffer.from([0xff]), Buffer.from('好"}')]);
  const r = await s.api('POST', '/api/v1/intake',
    { token: sup, raw, headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_utf8');
  assert.equal(r.json.error.detail, 'the body is not valid UTF-8 at byte 15');
});

test('missing text is 422, a JSON body over 1 MB is 413, another type 415', async () => {
  let r = await s.api('POST', '/api/v1/intake', { token: sup, body: {} });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'missing_field');
  r = await s.api('POST', '/api/v1/intake', { token: sup, body: { text: 12 } });
  assert.equal(r.status, 422);
  r = await intake('会议要求，'.repeat(80000));
  assert.equal(r.status, 413);
  assert.equal(r.json.error.code, 'body_too_large');
  // a report comes as JSON, a form or a file of its own type (intake_files.test.js): not as an image
  r = await s.api('POST', '/api/v1/intake', { token: sup, raw: SEED, headers: { 'Content-Type': 'image/png' } });
  assert.equal(r.status, 415);
  assert.equal(r.json.error.code, 'unsupported_media_type');
});

test('leaders may read a report; handlers may not', async () => {
  assert.equal((await intake('会议要求，各部门要抓好落实。', await s.login('leader'))).status, 200);
  const r = await intake(SEED, await s.login('yjj'));
  assert.equal(r.status, 403);
});

test('a meeting with 3 chosen directives: 3 drafts linked to their paragraphs, events chained', async () => {
  const r = await s.api('POST', '/api/v1/meetings', {
    token: sup,
    body: {
      text: SEED,
      items: [
        { directive: 1 },
        { directive: 5, title: '绷紧安全弦', lead_unit_id: units['应急管理局'], deadline: '2026-12-31' },
        { directive: 9, co_unit_ids: [units['低效工业用地整治专班']] },
      ],
    },
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.item_ids.length, 3);
  assert.equal(r.headers.get('location'), `/api/v1/meetings/${r.json.meeting_id}`);
  const m = await s.api('GET', `/api/v1/meetings/${r.json.meeting_id}`, { token: sup });
  assert.equal(m.status, 200);
  assert.equal(m.json.name, '市委常委会（扩大）会议');
  assert.equal(m.json.chair, '市委书记章旭升');
  assert.equal(m.json.source_title, '市委常委会传达学习习近平总书记重要讲话精神');
  assert.equal(m.json.paragraphs.length, 21);
  assert.equal(m.json.paragraphs[4].text, GOLDEN.paragraphs[4]);
  assert.deepEqual(m.json.items.map((it) => [it.id, it.paragraph]),
    [[r.json.item_ids[0], 4], [r.json.item_ids[1], 6], [r.json.item_ids[2], 7]]);

  const items = await Promise.all(r.json.item_ids.map((id) => s.api('GET', `/api/v1/items/${id}`, { token: sup })));
  assert.deepEqual(items.map((it) => [it.json.status, it.json.source]), Array(3).fill(['draft', 'meeting']));
  assert.equal(items[0].json.title, '把习近平总书记的要求传达至每一位干部、每一位教师');
  assert.equal(items[0].json.lead_unit.name, '市委组织部');
  assert.deepEqual(items[0].json.co_unit_ids, [units['市委党校']]);
  assert.equal(items[1].json.title, '绷紧安全弦');
  assert.equal(items[1].json.deadline, '2026-12-31');
  // fields given replace the suggestion: the lead is suggested, the co units are as given
  assert.equal(items[2].json.lead_unit.name, '经信局');
  assert.deepEqual(items[2].json.co_unit_ids, [units['低效工业用地整治专班']]);

  const ev = await s.api('GET', `/api/v1/items/${r.json.item_ids[1]}/events`, { token: sup });
  assert.equal(ev.json.events.length, 1);
  assert.equal(ev.json.events[0].prev_hash, '');
  assert.deepEqual(ev.json.events[0].data.meeting, { id: r.json.meeting_id, paragraph: 6 });
  const v = s.cli(['verify']);
  assert.equal(v.status, 0, v.stderr);
});

test('a bad draft stores nothing: neither the meeting nor the other drafts', async () => {
  const before = await s.api('GET', '/api/v1/items?limit=1', { token: sup });
  let r = await s.api('POST', '/api/v1/meetings',
    { token: sup, body: { text: SEED, items: [{ directive: 0 }, { directive: 15 }] } });
  assert.equal(r.status, 422);
  assert.match(r.json.error.detail, /^items\[1\]: 'directive' must be an index below 15/);
  r = await s.api('POST', '/api/v1/meetings',
    { token: sup, body: { text: SEED, items: [{ directive: 0 }, { directive: 2, lead_unit_id: 99999 }] } });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.detail, 'items[1]: no unit with id 99999');
  r = await s.api('POST', '/api/v1/meetings',
    { token: sup, body: { text: SEED, items: [{ directive: 0, colour: 'red' }] } });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'unknown_field');
  const after = await s.api('GET', '/api/v1/items?limit=1', { token: sup });
  assert.equal(after.json.total_count, before.json.total_count);
  r = await s.api('GET', '/api/v1/meetings/999', { token: sup });
  assert.equal(r.status, 404);
});

test('the demo city holds the seed meeting with its 15 drafts', async () => {
  const m = await s.api('GET', '/api/v1/meetings/1', { token: sup });
  assert.equal(m.status, 200);
  assert.equal(m.json.name, '市委常委会（扩大）会议');
  assert.equal(m.json.items.length, 15);
  assert.ok(m.json.items.every((it) => it.status === 'draft'));
  // a handler sees the meeting text but none of the drafts, not even those
  // proposed for their unit: a draft is the office's until it is assigned
  const yjj = await s.login('yjj');
  let h = await s.api('GET', '/api/v1/meetings/1', { token: yjj });
  assert.equal(h.json.paragraphs.length, 21);
  assert.deepEqual(h.json.items, []);
  const units = (await s.api('GET', '/api/v1/units', { token: sup })).json.units;
  const yjjId = units.find((u) => u.code === 'yjj').id;
  const mine = m.json.items.filter((it) => it.lead_unit_id === yjjId);
  assert.equal(mine.length, 4);
  const a = await s.api('POST', `/api/v1/items/${mine[0].id}/actions`, { token: sup, body: { action: 'assign', deadline: '2030-06-30' } });
  assert.equal(a.status, 200, a.text);
  h = await s.api('GET', '/api/v1/meetings/1', { token: yjj });
  assert.deepEqual(h.json.items.map((it) => [it.id, it.paragraph]), [[mine[0].id, 6]]);
});

test('luoshi import meeting --dry-run --json matches the API and stores nothing', async () => {
  const api = await intake(SEED);
  const before = await s.api('GET', '/api/v1/items?limit=1', { token: sup });
  const c = s.cli(['import', 'meeting', SEED_FILE, '--dry-run', '--json']);
  assert.equal(c.status, 0, c.stderr);
  assert.deepEqual(JSON.parse(c.stdout), api.json);
  const after = await s.api('GET', '/api/v1/items?limit=1', { token: sup });
  assert.equal(after.json.total_count, before.json.total_count);
  const t = s.cli(['import', 'meeting', SEED_FILE, '--dry-run']);
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /^21 paragraphs, 2 articles, 1 meetings, 15 directives\n/);
  assert.match(t.stdout, /meeting: 市委常委会（扩大）会议, \d{4}-03-15, chaired by 市委书记章旭升/);
  assert.match(t.stdout, / {2}1\. \[paragraph 4\] 市委组织部、市委党校要把/);
});

test('luoshi import meeting stores the meeting and its drafts; the list shows them', async () => {
  const before = await s.api('GET', '/api/v1/items?limit=1', { token: sup });
  const c = s.cli(['import', 'meeting', SEED_FILE, '--json']);
  assert.equal(c.status, 0, c.stderr);
  const out = JSON.parse(c.stdout);
  assert.equal(out.item_ids.length, 15);
  const after = await s.api('GET', '/api/v1/items?limit=1', { token: sup });
  assert.equal(after.json.total_count, before.json.total_count + 15);
  const m = await s.api('GET', `/api/v1/meetings/${out.meeting_id}`, { token: sup });
  assert.deepEqual(m.json.items.map((it) => it.id), out.item_ids);
  const it = await s.api('GET', `/api/v1/items/${out.item_ids[14]}`, { token: sup });
  assert.equal(it.json.title, '强化主动服务、精准对接'); // the action clause, not the means-phrase 以感情留人
  assert.equal(it.json.source, 'meeting');
});

test('luoshi import meeting refuses invalid UTF-8 naming the byte offset', () => {
  const bad = path.join(s.dir, 'bad.txt');
  fs.writeFileSync(bad, Buffer.concat([Buffer.from('会议要求，'), Buffer.from([0xe4, 0x41])]));
  const c = s.cli(['import', 'meeting', bad, '--dry-run']);
  assert.equal(c.status, 1);
  assert.equal(c.stderr, `luoshi import: ${bad}: the text is not valid UTF-8 at byte 15\n`);
  assert.equal(c.stdout, '');
  assert.equal(s.cli(['import', 'meeting']).status, 2);
  assert.equal(s.cli(['import', 'minutes', bad]).status, 2);
});

async function cookieFor(username) {
  const r = await fetch(s.url + '/login', {
    method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ username, password: s.logins[username] }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  return r.headers.get('set-cookie').split(';')[0];
}

async function page(cookie, p, form) {
  const r = await fetch(s.url + p, {
    method: form ? 'POST' : 'GET', redirect: 'manual', headers: form
      ? { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' } : { Cookie: cookie },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  return { status: r.status, html: await r.text(), location: r.headers.get('location') };
}

test('the pages: paste, preview with marks, create picked drafts, meeting page, item links back', async () => {
  const cookie = await cookieFor('supervisor');
  let p = await page(cookie, '/intake');
  assert.equal(p.status, 200);
  const csrf = p.html.match(/name="csrf" value="([0-9a-f]+)"/)[1];
  assert.match(p.html, /<a href="\/intake" class="on" aria-current="page">会议录入<\/a>/);
  p = await page(cookie, '/intake', { csrf, text: SEED });
  assert.equal(p.status, 200);
  assert.equal((p.html.match(/<mark id="d\d+">/g) || []).length, 15);
  assert.equal((p.html.match(/<input type="checkbox" name="pick"/g) || []).length, 15);
  assert.match(p.html, /<p id="p4" class="para body"><a class="pn" href="#p4">5<\/a>/);
  // directive 2 names 市委组织部 and 市委党校: the first leads, the other cooperates
  assert.match(p.html, new RegExp(`<input type="checkbox" name="c1" value="${units['市委党校']}" checked>`));
  assert.equal((p.html.match(/<input type="checkbox" name="c1" value="\d+" checked>/g) || []).length, 1);
  // pick directives 2 and 6 (0-based 1, 5), change a title and a deadline
  const form = new URLSearchParams({ csrf, text: SEED });
  for (const k of [1, 5]) {
    form.append('pick', String(k));
    form.append(`t${k}`, k === 5 ? '<b>安全</b>弦' : '传达到每一位干部');
    form.append(`u${k}`, String(k === 5 ? units['应急管理局'] : units['市委组织部']));
    form.append(`d${k}`, k === 5 ? '2026-12-01' : '');
  }
  form.append('c5', String(units['东城街道'])); // a cooperating unit of one's own choice
  form.append('c5', String(units['应急管理局'])); // the lead is never also a cooperating unit
  p = await page(cookie, '/meetings', form);
  assert.equal(p.status, 303, p.html.slice(0, 500));
  assert.match(p.location, /^\/meetings\/\d+$/);
  const mid = Number(p.location.split('/')[2]);
  const m = await s.api('GET', `/api/v1/meetings/${mid}`, { token: sup });
  assert.deepEqual(m.json.items.map((it) => [it.title, it.paragraph, it.deadline]),
    [['传达到每一位干部', 4, null], ['<b>安全</b>弦', 6, '2026-12-01']]);
  const co = await Promise.all(m.json.items.map((it) => s.api('GET', `/api/v1/items/${it.id}`, { token: sup })));
  assert.deepEqual(co.map((it) => it.json.co_unit_ids), [[], [units['东城街道']]]);
  p = await page(cookie, `/meetings/${mid}`);
  assert.equal(p.status, 200);
  assert.match(p.html, /<p id="p6" class="para body"><a class="pn" href="#p6">7<\/a>/);
  assert.match(p.html, /<a href="#p6">¶7<\/a>/); // shown from 1; the API's paragraph is 6
  assert.match(p.html, /&lt;b&gt;安全&lt;\/b&gt;弦/);
  assert.ok(!p.html.includes('<b>安全</b>'));
  assert.equal((p.html.match(/<mark><a href="\/items\/\d+">/g) || []).length, 2);
  p = await page(cookie, `/items/${m.json.items[1].id}`);
  assert.ok(p.html.includes(`href="/meetings/${mid}#p6"`));
  assert.ok(p.html.includes('市委常委会（扩大）会议 · ¶7</a>'));
});

test('without JavaScript a .txt goes with the form; one that is not UTF-8 is refused naming the byte', async () => {
  const cookie = await cookieFor('supervisor');
  const csrf = (await page(cookie, '/intake')).html.match(/name="csrf" value="([0-9a-f]+)"/)[1];
  const send = async (bytes) => {
    const fd = new FormData();
    fd.append('csrf', csrf);
    fd.append('text', '');
    fd.append('file', new Blob([bytes], { type: 'text/plain' }), 'report.txt');
    const r = await fetch(s.url + '/intake', { method: 'POST', body: fd, headers: { Cookie: cookie } });
    return { status: r.status, html: await r.text() };
  };
  let p = await send(fs.readFileSync(SEED_FILE));
  assert.equal(p.status, 200);
  assert.equal((p.html.match(/<mark id="d\d+">/g) || []).length, 15);
  p = await send(Buffer.concat([Buffer.from('会议要求，'), Buffer.from([0xe4, 0x41])]));
  assert.equal(p.status, 400);
  assert.match(p.html, /role="alert">未能处理：report.txt：文件不是 UTF-8 编码的文本，出错位置（字节）：15</);
});

test('the preview keeps what was typed when a draft is refused', async () => {
  const cookie = await cookieFor('supervisor');
  const csrf = (await page(cookie, '/intake')).html.match(/name="csrf" value="([0-9a-f]+)"/)[1];
  const form = new URLSearchParams({ csrf, text: SEED, pick: '3', t3: '', u3: '', d3: '2026-02-30' });
  const p = await page(cookie, '/meetings', form);
  assert.equal(p.status, 422);
  assert.match(p.html, /role="alert">未能处理：要求 4：请填写必填项：标题。</);
  assert.match(p.html, /name="d3" value="2026-02-30"/);
  const none = await page(cookie, '/meetings', new URLSearchParams({ csrf, text: SEED }));
  assert.equal(none.status, 422);
  assert.match(none.html, /请至少勾选一条要求/);
});

test('luoshi keyword lists, adds and removes rows of the table the suggestions come from', async () => {
  let c = s.cli(['keyword', 'list', '--json']);
  assert.equal(c.status, 0, c.stderr);
  const rows = JSON.parse(c.stdout).rules;
  assert.equal(rows.length, 25, 'the built-in 27 rows less 住建局 and 消防救援大队');
  assert.deepEqual(rows.filter((r) => r.keyword === '低效').map((r) => r.unit_name), ['经信局', '自然资源和规划局']);
  c = s.cli(['keyword', 'add', '--keyword', '城市更新', '--unit', 'zgj']);
  assert.equal(c.status, 0, c.stderr);
  assert.equal(c.stdout, 'added: 城市更新 → zgj\n');
  let r = await intake(SEED);
  assert.deepEqual(r.json.directives[13].suggested_units, ['科技局', '自然资源和规划局']);
  c = s.cli(['keyword', 'add', '--keyword', '城市更新', '--unit', 'zgj']);
  assert.equal(c.status, 1);
  assert.equal(c.stderr, 'luoshi keyword add: \'城市更新\' already suggests zgj\n');
  assert.equal(s.cli(['keyword', 'add', '--keyword', '城市更新', '--unit', 'nope']).status, 2);
  assert.equal(s.cli(['keyword', 'remove', '--keyword', '城市更新', '--unit', 'zgj']).status, 0);
  c = s.cli(['keyword', 'remove', '--keyword', '城市更新', '--unit', 'zgj']);
  assert.equal(c.status, 2);
  assert.equal(c.stderr, 'luoshi keyword remove: \'城市更新\' does not suggest zgj\n');
  r = await intake(SEED);
  assert.deepEqual(r.json.directives[13].suggested_units, ['科技局']);
});

// A MiB of 要 without end: what once took minutes on a connection thread, so
// that SIGTERM could not stop the server.  Intake now runs on the work pool;
// the drain waits for it.
const LONG = '要'.repeat(333000);

test('SIGTERM while long texts are read: each is answered in full, then the server exits 0', async () => {
  const srv = await startServer();
  const token = await srv.login('supervisor');
  const reads = [];
  for (let i = 0; i < 8; i++)
    reads.push(srv.api('POST', '/api/v1/intake', { token, body: { text: LONG + '。会议要求，各部门要抓好落实。' } }));
  // the stop once the first is answered: the work pool's two threads read
  // the others two at a time, so six are still in flight however fast the
  // machine (a fixed wait let all three of an earlier version end first)
  await Promise.race(reads);
  const code = srv.stop();
  for (const r of await Promise.all(reads)) {
    assert.equal(r.status, 200);
    assert.equal(r.json.directives.length, 2);
    assert.equal(r.json.directives[1].text, '各部门要抓好落实');
  }
  assert.equal(await code, 0, srv.log().slice(-3000));
  assert.match(srv.log(), /stopping: no new connections; finishing [1-9]\d* in-flight requests/);
});
