// End-to-end tests of the OpenAPI document (issue 15 part 5): GET /api/v1/openapi.json without a
// login is a valid OpenAPI 3.1 document by a real validator (@seriousme/openapi-schema-validator,
// pinned), its paths written in full (/api/v1/items, Open311's /open311/v2/….json), every route of
// `luoshi routes` that is not a page or a static file documented, and answers of the API held to
// their schemas — also a wrong answer caught (the helper every suite's api() calls,
// tests/lib/openapi.js).  Runs on SQLite, and on PostgreSQL under `make test-pg`.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, cli } = require('../lib/server.js');
const openapi = require('../lib/openapi.js');

let s, doc;

before(async () => {
  s = await startServer();
  const r = await fetch(s.url + '/api/v1/openapi.json');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  doc = await r.json();
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

test('the document is valid OpenAPI 3.1 by a real validator', async () => {
  const { Validator } = await import('@seriousme/openapi-schema-validator');
  const v = new Validator();
  const res = await v.validate(doc);
  assert.deepEqual(res.errors, undefined, JSON.stringify(res.errors, null, 1)?.slice(0, 2000));
  assert.equal(res.valid, true);
  assert.equal(v.version, '3.1');
  assert.equal(doc.openapi, '3.1.0');
});

test('paths in full: every documented route, Open311 by resource; pages and static files left out', () => {
  const routes = JSON.parse(cli(['routes', '--json']).stdout).routes;
  const want = [];
  for (const r of routes) {
    if (r.flags.includes('page') || r.pattern.startsWith('/static/')) continue;
    if (r.pattern.startsWith('/open311/')) continue;
    want.push(`${r.method} ${r.pattern}`);
  }
  const have = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const m of Object.keys(item)) if (!path.startsWith('/open311/')) have.push(`${m.toUpperCase()} ${path}`);
  }
  assert.deepEqual(have.sort(), want.sort());
  assert.deepEqual(Object.keys(doc.paths).filter((p) => p.startsWith('/open311/')).sort(), [
    '/open311/v2/discovery.json', '/open311/v2/requests.json', '/open311/v2/requests/{service_request_id}.json',
    '/open311/v2/servicerequestupdates.json', '/open311/v2/services.json', '/open311/v2/services/{service_code}.json']);
  assert.deepEqual(Object.keys(doc.paths['/open311/v2/requests.json']).sort(), ['get', 'post']);
  const items = doc.paths['/api/v1/items'];
  assert.deepEqual(items.get.security, [{ bearer: [] }]);
  assert.deepEqual(doc.paths['/healthz'].get.security, []);
  assert.deepEqual(doc.paths['/api/v1/openapi.json'].get.security, []);
  assert.equal(items.post.requestBody.content['application/json'].schema.required[0], 'kind');
  assert.deepEqual(Object.keys(doc.paths['/api/v1/imports'].post.requestBody.content), ['application/octet-stream']);
  assert.deepEqual(doc.paths['/api/v1/items/{id}'].get.parameters,
    [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }]);
  assert.equal(items.get.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/ItemList');
  assert.ok(items.get.responses['200'].content['text/csv'], 'the list downloads as CSV');
});

test('answers match their schemas, and a wrong answer is caught', async () => {
  const sup = await s.login('supervisor');
  const n = openapi.stats.checked;
  const list = await s.api('GET', '/api/v1/items?limit=3', { token: sup }); // checked inside api()
  assert.equal(list.status, 200);
  assert.equal(openapi.stats.checked, n + 1, 'api() held its answer to the schema');
  await assert.rejects(openapi.check(s.url, 'GET', '/api/v1/items', 200, { items: 'no list' }),
    /the 200 answer of GET \/api\/v1\/items does not match its schema/);
  await assert.rejects(openapi.check(s.url, 'GET', '/api/v1/items/7', 200, { id: 7 }),
    /GET \/api\/v1\/items\/7 does not match/);
  await assert.rejects(openapi.check(s.url, 'GET', '/api/v1/items', 404, { error: { message: 'x' } }),
    /does not match its schema/);
  await openapi.check(s.url, 'GET', '/api/v1/items', 404, { error: { code: 'not_found', message: 'x' } });
  const o311 = await s.api('GET', '/open311/v2/services.json');
  assert.equal(o311.status, 200);
  await assert.rejects(openapi.check(s.url, 'GET', '/open311/v2/services.json', 200, { services: [] }),
    /does not match/);
});
