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
  assert.equal(r.json.length, 10);
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
