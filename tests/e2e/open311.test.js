// End-to-end tests of Open311 GeoReport v2 under /open311/v2: every JSON
// answer is validated against the community schemas (tests/open311-schema,
// copied from open311/schema-validation), every XML answer is checked well
// formed with xmllint, the error matrix (403 key, 404, 400), the 90-day
// window, paging, and a request going from open to closed as its hazard is
// verified.  The clock is fixed (LUOSHI_NOW) at 2025-03-10.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const Ajv = require('ajv');
const { startServer } = require('../lib/server.js');

const SCHEMAS = path.join(__dirname, '..', 'open311-schema');
const ajv = new Ajv({ strict: false, allErrors: true });
// date-time with a zone (W3C) and absolute URIs, as the schemas' formats say
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\S+$/i);
for (const f of ['service', 'services', 'service-definition', 'request', 'requests'])
  ajv.addSchema(require(path.join(SCHEMAS, f + '.json')), f + '.json');
function valid(schema, value) {
  const ok = ajv.validate(schema + '.json', value);
  assert.ok(ok, `${schema}: ${ajv.errorsText()}\n${JSON.stringify(value).slice(0, 500)}`);
}
function errorList(r, status) {
  assert.equal(r.status, status, r.text);
  assert.ok(Array.isArray(r.json), r.text);
  assert.equal(r.json[0].code, status);
  assert.equal(typeof r.json[0].description, 'string');
}
function wellFormed(text) {
  assert.match(text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/);
  const x = spawnSync('xmllint', ['--noout', '-'], { input: text, encoding: 'utf8' });
  assert.equal(x.status, 0, `xmllint: ${x.stderr}\n${text.slice(0, 300)}`);
}

let s, key, sup, yjj, grid;
const B = '/open311/v2';
const get = (p) => s.api('GET', B + p);
const post = (p, form) => s.api('POST', B + p, { raw: new URLSearchParams(form).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' } });

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: '2025-03-10' } });
  const k = s.cli(['apikey', 'add', '--name', 'test-client']);
  assert.equal(k.status, 0, k.stderr);
  key = k.stdout.trim();
  [sup, yjj, grid] = await Promise.all([s.login('supervisor'), s.login('yjj'), s.login('grid')]);
});
after(async () => {
  const code = await s.stop();
  assert.equal(code, 0, 'the server stops cleanly\n' + s.log().slice(-3000));
});

test('apikey add prints a key once and stores only its hash', async () => {
  assert.match(key, /^[0-9a-f]{64}$/);
  const l = s.cli(['apikey', 'list']);
  assert.equal(l.status, 0);
  assert.match(l.stdout, /test-client/);
  assert.ok(!l.stdout.includes(key));
  assert.equal(s.cli(['apikey', 'add']).status, 2);
  assert.equal(s.cli(['apikey', '--help']).status, 0);
});

test('discovery in both formats', async () => {
  const r = await get('/discovery.json');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json; charset=utf-8/);
  assert.equal(r.json.endpoints[0].specification, 'http://wiki.open311.org/GeoReport_v2');
  assert.equal(r.json.endpoints[0].url, `${s.url}/open311/v2`);
  assert.deepEqual(r.json.endpoints[0].formats, ['text/xml', 'application/json']);
  for (const f of ['changeset', 'contact', 'key_service']) assert.ok(r.json[f], f);
  const x = await get('/discovery.xml');
  assert.match(x.headers.get('content-type'), /^text\/xml; charset=utf-8/);
  wellFormed(x.text);
  assert.match(x.text, /<endpoints><endpoint><specification>http:\/\/wiki.open311.org\/GeoReport_v2<\/specification>/);
});

test('services are the hazard categories; definitions carry the attributes', async () => {
  const r = await get('/services.json');
  assert.equal(r.status, 200);
  valid('services', r.json);
  assert.equal(r.json.length, 15);
  assert.equal(r.json.filter((x) => x.group !== 'enterprise').length, 10);
  const gas = r.json.find((x) => x.service_code === 'gas');
  assert.deepEqual(gas, { service_code: 'gas', service_name: '燃气', description: '管道燃气、瓶装液化气的使用与存放', metadata: true, type: 'realtime', keywords: 'Gas', group: 'safety' });
  assert.equal(r.json.find((x) => x.service_code === 'electric').metadata, false);
  wellFormed((await get('/services.xml')).text);
  const d = await get('/services/gas.json');
  valid('service-definition', d.json);
  assert.deepEqual(d.json.attributes[0].values.map((v) => v.key), ['pipeline', 'bottled']);
  assert.equal(d.json.attributes[0].required, true);
  assert.equal(d.json.attributes[0].order, 1);
  const dx = await get('/services/gas.xml');
  wellFormed(dx.text);
  assert.match(dx.text, /<required>true<\/required>/);
  const e = await get('/services/electric.json');
  valid('service-definition', e.json);
  assert.deepEqual(e.json.attributes, []);
  errorList(await get('/services/nope.json'), 404);
  wellFormed((await get('/services/nope.xml')).text);
});

test('POST requests: the key, the service, the location and attributes are checked', async () => {
  const base = { service_code: 'fire', lat: '28.9', long: '120.04', description: '楼道堆放杂物' };
  errorList(await post('/requests.json', base), 403);
  errorList(await post('/requests.json', { ...base, api_key: 'f'.repeat(64) }), 403);
  let x = await post('/requests.xml', base);
  assert.equal(x.status, 403);
  wellFormed(x.text);
  assert.match(x.text, /<errors><error><code>403<\/code>/);
  errorList(await post('/requests.json', { ...base, api_key: key, service_code: 'nope' }), 404);
  errorList(await post('/requests.json', { api_key: key, description: 'x', lat: '1', long: '2' }), 400);
  errorList(await post('/requests.json', { api_key: key, service_code: 'fire', description: 'no location' }), 400);
  errorList(await post('/requests.json', { ...base, api_key: key, long: '' }), 400);
  errorList(await post('/requests.json', { ...base, api_key: key, lat: 'north' }), 400);
  errorList(await post('/requests.json', { ...base, api_key: key, service_code: 'gas' }), 400);
  errorList(await post('/requests.json', { ...base, api_key: key, service_code: 'gas', 'attribute[gas_type]': 'diesel' }), 400);
  errorList(await post('/requests.json', { ...base, api_key: key, description: 'x'.repeat(4001) }), 400);
  errorList(await post('/requests.json', { ...base, api_key: key, colour: 'red' }), 400);
  const r = await post('/requests.json', { ...base, api_key: key, service_code: 'gas', 'attribute[gas_type]': 'bottled', email: 'a@example.org', first_name: '张', last_name: '三', device_id: '', media_url: '' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.length, 1);
  assert.match(r.json[0].service_request_id, /^\d+$/);
  assert.ok(r.json[0].service_notice);
  x = await post('/requests.xml', { api_key: key, service_code: 'other', address_string: '东城街道 人民路 1 号' });
  assert.equal(x.status, 200);
  wellFormed(x.text);
  assert.match(x.text, /<service_requests><request><service_request_id>\d+<\/service_request_id>/);
  // the office sees the report as a hazard from the key
  const h = await s.api('GET', `/api/v1/hazards/${r.json[0].service_request_id}`, { token: sup });
  assert.equal(h.json.hazard.channel, 'open311');
  assert.equal(h.json.hazard.reporter_name, '张 三');
  assert.deepEqual(h.json.hazard.attributes, { gas_type: 'bottled' });
  const ev = await s.api('GET', `/api/v1/items/${h.json.id}/events`, { token: sup });
  assert.equal(ev.json.events[0].actor, 'open311:test-client');
});

test('a request goes from open to closed as its hazard is verified', async () => {
  const r = await post('/requests.json', { api_key: key, service_code: 'fire', lat: '28.91', long: '120.05', description: '消防栓被圈占' });
  const id = r.json[0].service_request_id;
  let one = await get(`/requests/${id}.json`);
  valid('requests', one.json);
  assert.equal(one.json[0].status, 'open');
  assert.equal(one.json[0].service_code, 'fire');
  assert.equal(one.json[0].service_name, '消防');
  assert.equal(one.json[0].lat, 28.91);
  // the coordinates as they were given, not 17 significant digits (issue 17, defect 16)
  const c = await post('/requests.json', { api_key: key, service_code: 'fire', lat: '28.89', long: '120.0412', description: '坐标' });
  const back = await get(`/requests/${c.json[0].service_request_id}.json`);
  assert.match(back.text, /"lat":28\.89,"long":120\.0412[,}]/);
  assert.equal(one.json[0].agency_responsible, null);
  assert.match(one.json[0].requested_datetime, /\+08:00$/);
  const act = (t, body) => s.api('POST', `/api/v1/items/${id}/actions`, { token: t, body });
  assert.equal((await act(sup, { action: 'triage', level: 'general', deadline: '2025-03-20' })).status, 200);
  assert.equal((await act(sup, { action: 'assign' })).status, 200);
  one = await get(`/requests/${id}.json`);
  assert.equal(one.json[0].status, 'open');
  assert.equal(one.json[0].agency_responsible, '应急管理局');
  assert.equal(one.json[0].expected_datetime, '2025-03-20T23:59:59+08:00');
  assert.equal((await act(yjj, { action: 'accept' })).status, 200);
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const up = await fetch(`${s.url}/api/v1/items/${id}/photos?phase=after`, { method: 'POST', headers: { Authorization: 'Bearer ' + yjj, 'Content-Type': 'image/png' }, body: png });
  assert.equal(up.status, 201);
  assert.equal((await act(yjj, { action: 'submit', text: '已清理' })).status, 200);
  assert.equal((await get(`/requests/${id}.json`)).json[0].status, 'open');
  assert.equal((await act(sup, { action: 'verify' })).status, 200);
  one = await get(`/requests/${id}.json`);
  valid('requests', one.json);
  assert.equal(one.json[0].status, 'closed');
  assert.equal(one.json[0].status_notes, 'done');
  const x = await get(`/requests/${id}.xml`);
  wellFormed(x.text);
  assert.match(x.text, /<status>closed<\/status>/);
  // the updates follow it
  const u = await get('/servicerequestupdates.json');
  assert.equal(u.status, 200);
  const mine = u.json.filter((e) => e.service_request_id === id);
  assert.deepEqual(mine.map((e) => e.status), ['open', 'open', 'open', 'open', 'open', 'closed']);
  assert.match(mine[5].description, /^verified/);
  for (const e of mine) {
    assert.match(e.update_id, /^\d+$/);
    assert.match(e.updated_datetime, /\+08:00$/);
  }
  wellFormed((await get('/servicerequestupdates.xml')).text);
  errorList(await get('/requests/999999.json'), 404);
  errorList(await get('/requests/abc.json'), 404);
});

test('the request categories are the service group enterprise: a 12345 platform hands a request over', async () => {
  const r = await get('/services.json');
  assert.deepEqual(r.json.filter((x) => x.group === 'enterprise').map((x) => [x.service_code, x.service_name, x.metadata]),
    [['urgent', '紧急诉求', true], ['consult', '政策咨询', true], ['help', '求助', true],
      ['complaint', '投诉', true], ['suggestion', '意见建议', true]]);
  const help = r.json.find((x) => x.service_code === 'help');
  assert.match(help.description, /5 个工作日内答复/);
  const d = await get('/services/help.json');
  valid('service-definition', d.json);
  assert.deepEqual(d.json.attributes.map((a) => [a.code, a.datatype, a.required, a.order]), [['enterprise', 'string', true, 1]]);
  wellFormed((await get('/services/help.xml')).text);

  // no location needed; the enterprise by its code, a description required
  errorList(await post('/requests.json', { api_key: key, service_code: 'help', description: '融资难' }), 400);
  errorList(await post('/requests.json', { api_key: key, service_code: 'help', description: '融资难', 'attribute[enterprise]': 'nosuch' }), 400);
  errorList(await post('/requests.json', { api_key: key, service_code: 'help', 'attribute[enterprise]': 'qmgm' }), 400);
  errorList(await post('/requests.json', { service_code: 'help', description: '融资难', 'attribute[enterprise]': 'qmgm' }), 403);
  const p = await post('/requests.json', { api_key: key, service_code: 'help', description: '企业反映流动资金紧张，希望对接银行', 'attribute[enterprise]': 'qmgm', email: 'boss@example.com' });
  assert.equal(p.status, 200, p.text);
  const id = p.json[0].service_request_id;
  assert.match(p.json[0].service_notice, /时限答复/);
  const item = (await s.api('GET', `/api/v1/items/${id}`, { token: sup })).json;
  assert.equal(item.kind, 'request');
  assert.equal(item.title, '企业反映流动资金紧张，希望对接银行');
  assert.equal(item.request.channel, 'open311');
  assert.equal(item.request.category, 'help');
  assert.equal(item.request.requester_unit, '青沐工贸有限公司');
  // the enterprise sees it; the public sees the status and the office's public note only
  const qiye = await s.login('qiye');
  assert.equal((await s.api('GET', `/api/v1/items/${id}`, { token: qiye })).status, 200);
  let one = await get(`/requests/${id}.json`);
  valid('requests', one.json);
  assert.equal(one.json[0].status, 'open');
  assert.equal(one.json[0].service_code, 'help');
  assert.equal(one.json[0].description, null, 'the enterprise\'s words stay inside');
  assert.equal(one.json[0].address, null);
  const act = (t, body) => s.api('POST', `/api/v1/items/${id}/actions`, { token: t, body });
  assert.equal((await act(sup, { action: 'assign', lead_unit_id: (await s.api('GET', '/api/v1/units', { token: sup })).json.units.find((u) => u.code === 'jxj').id, public_note: '已转经信局办理' })).status, 200);
  one = await get(`/requests/${id}.json`);
  assert.equal(one.json[0].agency_responsible, '经信局');
  assert.equal(one.json[0].expected_datetime, '2025-03-17T23:59:59+08:00', '5 working days after Monday 10 March');
  assert.equal(one.json[0].status_notes, '已转经信局办理');
  const jxj = await s.login('jxj');
  assert.equal((await act(jxj, { action: 'accept' })).status, 200);
  assert.equal((await act(jxj, { action: 'submit', reply: '内部答复：已约谈银行行长' })).status, 200);
  assert.equal((await act(sup, { action: 'verify' })).status, 200);
  one = await get(`/requests/${id}.json`);
  assert.equal(one.json[0].status, 'closed');
  assert.equal(one.json[0].status_notes, '已转经信局办理', 'the latest public note');
  assert.ok(!one.text.includes('银行行长'), 'the reply stays inside');
  wellFormed((await get(`/requests/${id}.xml`)).text);
  // never in the public list of hazards
  const list = await get('/requests.json');
  assert.ok(!list.json.some((q) => q.service_request_id === id));
});

test('GET requests: filters, the 90-day window, paging, tokens and bad paths', async () => {
  const ids = [];
  for (const code of ['electric', 'electric', 'hazchem']) {
    const r = await post('/requests.json', { api_key: key, service_code: code, address_string: '西城 ' + code });
    ids.push(r.json[0].service_request_id);
  }
  let r = await get('/requests.json');
  assert.equal(r.status, 200);
  valid('requests', r.json);
  assert.ok(r.json.length >= 5);
  assert.ok(r.json.every((q) => typeof q.service_request_id === 'string'));
  r = await get('/requests.json?service_code=electric');
  valid('requests', r.json);
  assert.deepEqual(r.json.map((q) => q.service_request_id), [ids[1], ids[0]]);
  r = await get('/requests.json?service_code=electric,hazchem&page_size=2');
  assert.deepEqual(r.json.map((q) => q.service_request_id), [ids[2], ids[1]]);
  r = await get('/requests.json?service_code=electric,hazchem&page_size=2&page=2');
  assert.deepEqual(r.json.map((q) => q.service_request_id), [ids[0]]);
  r = await get(`/requests.json?service_request_id=${ids[0]},${ids[2]}&service_code=fire`);
  assert.deepEqual(r.json.map((q) => q.service_request_id).sort(), [ids[0], ids[2]].sort(), 'ids override the other filters');
  r = await get('/requests.json?status=closed');
  valid('requests', r.json);
  assert.ok(r.json.length >= 1 && r.json.every((q) => q.status === 'closed'));
  r = await get('/requests.json?status=open,closed&service_code=');
  assert.ok(r.json.length >= 5, 'an empty argument is an absent one');
  errorList(await get('/requests.json?status=pending'), 400);
  // the window: inside 90 days, in the past, too long, reversed, malformed
  r = await get('/requests.json?start_date=2025-03-01T00:00:00%2B08:00&end_date=2025-03-31T00:00:00Z');
  assert.ok(r.json.length >= 5);
  r = await get('/requests.json?start_date=2024-01-01T00:00:00Z&end_date=2024-03-01T00:00:00Z');
  assert.deepEqual(r.json, []);
  errorList(await get('/requests.json?start_date=2024-01-01T00:00:00Z&end_date=2024-06-01T00:00:00Z'), 400);
  errorList(await get('/requests.json?start_date=2025-03-10T00:00:00Z&end_date=2025-03-01T00:00:00Z'), 400);
  errorList(await get('/requests.json?start_date=2025-03-01T00:00:00'), 400);
  errorList(await get('/requests.json?page_size=1001'), 400);
  wellFormed((await get('/requests.xml?service_code=electric')).text);
  errorList(await get('/tokens/abc.json'), 400);
  errorList(await get('/requests.html'), 404);
  errorList(await get('/nothing.json'), 404);
  r = await s.api('GET', '/open311/v2/requests.xml?status=x');
  assert.equal(r.status, 400);
  wellFormed(r.text);
});

// Hardening finding 1: the public endpoints carry the statuses and what the
// office wrote for the public (public_note), never the texts of the loop.
test('finding 1: Open311 publishes only the status and the office\'s public notes', async () => {
  const secret = (what) => `${what} 王建国 13905791234`;
  const r = await post('/requests.json', { api_key: key, service_code: 'fire', lat: '28.92', long: '120.06', description: '仓库门口堆放纸箱', first_name: '李', last_name: '秘密', phone: '13800009999', email: 'hidden@example.org' });
  const id = r.json[0].service_request_id;
  const leader = await s.login('leader');
  const act = async (t, body, status = 200) => {
    const x = await s.api('POST', `/api/v1/items/${id}/actions`, { token: t, body });
    assert.equal(x.status, status, `${body.action}: ${x.text}`);
    return x;
  };
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const photo = async () => {
    const up = await fetch(`${s.url}/api/v1/items/${id}/photos?phase=after`, { method: 'POST', headers: { Authorization: 'Bearer ' + yjj, 'Content-Type': 'image/png' }, body: png });
    assert.equal(up.status, 201);
  };
  await act(sup, { action: 'triage', level: 'general', deadline: '2025-03-28' });
  await act(sup, { action: 'assign', public_note: '已交由应急管理局处理' });
  await act(yjj, { action: 'return', reason: secret('退回理由') });
  await act(sup, { action: 'triage', level: 'general', deadline: '2025-03-28' });
  await act(sup, { action: 'assign' });
  await act(yjj, { action: 'accept' });
  await act(sup, { action: 'urge', text: secret('催办内容') });
  await act(leader, { action: 'instruct', text: secret('领导批示') });
  await act(sup, { action: 'escalate', level: 'key', text: secret('督办意见') });
  await act(yjj, { action: 'feedback', text: secret('进展反馈') });
  // only the office writes for the public
  const refused = await act(yjj, { action: 'feedback', text: '再报', public_note: '处理中' }, 403);
  assert.equal(refused.json.error.code, 'forbidden');
  await act(yjj, { action: 'request_extension', deadline: '2025-04-10', reason: secret('延期理由') });
  await act(sup, { action: 'deny_extension', text: secret('不同意延期') });
  await photo();
  await act(yjj, { action: 'submit', text: secret('办结报告') });
  await act(sup, { action: 'reject', reason: secret('返工理由') });
  await photo();
  await act(yjj, { action: 'submit', text: secret('再次办结') });
  await act(sup, { action: 'verify', reason: secret('核查意见'), public_note: '隐患已整改，感谢市民反映' });
  const answers = [
    await get(`/requests/${id}.json`), await get(`/requests/${id}.xml`),
    await get('/requests.json'), await get('/requests.xml'),
    await get(`/requests.json?service_request_id=${id}`),
    await get('/servicerequestupdates.json'), await get('/servicerequestupdates.xml'),
  ];
  for (const a of answers) {
    assert.equal(a.status, 200);
    for (const bad of ['王建国', '13905791234', '理由', '催办内容', '批示', '督办意见', '进展反馈王', '延期', '办结', '核查意见', '秘密', '13800009999', 'hidden@example.org', 'supervisor', 'yjj', 'leader'])
      assert.ok(!a.text.includes(bad), `"${bad}" is published:\n${a.text.slice(0, 400)}`);
  }
  const one = answers[0].json[0];
  assert.equal(one.status, 'closed');
  assert.equal(one.status_notes, '隐患已整改，感谢市民反映');
  assert.match(answers[1].text, /<status_notes>隐患已整改，感谢市民反映<\/status_notes>/);
  const mine = answers[5].json.filter((e) => e.service_request_id === id);
  assert.deepEqual(mine.map((e) => e.description), [
    'reported 已上报', 'triaged 已研判', 'assigned 已交办: 已交由应急管理局处理', 'returned 已退回',
    'triaged 已研判', 'assigned 已交办', 'accepted 已签收', 'progress 进展反馈',
    'rectified 已整改待核查', 'sent back for rework 返工', 'rectified 已整改待核查',
    'verified and closed 已核查销号: 隐患已整改，感谢市民反映',
  ]);
  assert.deepEqual(mine.map((e) => e.status), ['open', 'open', 'open', 'open', 'open', 'open', 'open', 'open', 'open', 'open', 'open', 'closed']);
});

// Hardening finding 3: a key's name of long CJK text was cut mid-character
// into 64 bytes; the event's canonical JSON then failed and the server
// crashed on every POST with that key.  Names are held whole now.
test('finding 3: a key named with 300 bytes of CJK posts, the server answers and stays up', async () => {
  const name = '浙江省金华市永康市应急管理局安全生产委员会办公室'.repeat(5).slice(0, 100);
  assert.equal(Buffer.byteLength(name), 300);
  const k = s.cli(['apikey', 'add', '--name', name]);
  assert.equal(k.status, 0, k.stderr);
  const longKey = k.stdout.trim();
  for (let i = 0; i < 3; i++) {
    const r = await post('/requests.json', { api_key: longKey, service_code: 'fire', lat: '28.93', long: '120.07', description: '长名称的客户端 ' + i });
    assert.equal(r.status, 200, r.text);
    const id = r.json[0].service_request_id;
    const ev = await s.api('GET', `/api/v1/items/${id}/events`, { token: sup });
    assert.equal(ev.json.events[0].actor, 'open311:' + name, 'the name is whole in the event');
  }
  assert.equal((await s.api('GET', '/healthz')).status, 200);
  const v = s.cli(['verify']);
  assert.equal(v.status, 0, v.stdout + v.stderr);
});
