// Every JSON answer of the e2e suites checked against the server's own OpenAPI document
// (GET /api/v1/openapi.json, src/app/openapi.c), so the document and the code cannot drift:
// tests/lib/server.js calls check() on each answer its api() helper reads.  The answer's
// schema is found by method and path (a path template's {name} matches one segment) and by
// status (exact, then 2XX/4XX, then default); ajv 8 with its draft 2020-12 build, the
// dialect of OpenAPI 3.1, validates it.  An answer on a path the document does not have
// (an unknown path's 404) is not checked; one whose status the operation does not describe is
// a failure.
'use strict';
const Ajv2020 = require('ajv/dist/2020');

const docs = new Map(); // server url → Promise of {ajv, ops}
const stats = { checked: 0 }; // answers validated, for the test that the hook runs

function pointer(parts) {
  return parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

async function load(url) {
  const r = await fetch(url + '/api/v1/openapi.json');
  if (r.status !== 200) return null;
  const doc = await r.json();
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ ...doc, $id: 'openapi' });
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const re = new RegExp('^' + path.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+') + '$');
    for (const [method, op] of Object.entries(item)) ops.push({ path, re, method: method.toUpperCase(), op, literal: !path.includes('{') });
  }
  ops.sort((a, b) => b.literal - a.literal); // a literal path before a template that also matches
  return { ajv, ops, validators: new Map() };
}

// The validator of the answer with status for method and path, undefined when the path is not
// documented, or throws when the status is not described.
function validatorFor(d, method, path, status) {
  const o = d.ops.find((x) => x.method === method && x.re.test(path));
  if (!o) return undefined;
  const keys = [String(status), `${String(status)[0]}XX`, 'default'];
  const key = keys.find((k) => o.op.responses[k]);
  if (!key) throw new Error(`OpenAPI: ${method} ${o.path} does not describe status ${status}`);
  const id = `${method} ${o.path} ${key}`;
  if (!d.validators.has(id)) {
    const resp = o.op.responses[key];
    let ref = ['paths', o.path, method.toLowerCase(), 'responses', key, 'content', 'application/json', 'schema'];
    if (resp.$ref) ref = resp.$ref.slice(2).split('/').concat(['content', 'application/json', 'schema']);
    else if (!resp.content || !resp.content['application/json']) {
      d.validators.set(id, null);
      return null;
    }
    d.validators.set(id, d.ajv.compile({ $ref: 'openapi#/' + pointer(ref) }));
  }
  return d.validators.get(id);
}

// Check one JSON answer; throws naming what does not match.
async function check(url, method, p, status, json) {
  if (!docs.has(url)) docs.set(url, load(url));
  const d = await docs.get(url);
  if (!d) return;
  const path = p.split('?')[0];
  const v = validatorFor(d, method, path, status);
  if (!v) return;
  stats.checked++;
  if (!v(json)) {
    throw new Error(`OpenAPI: the ${status} answer of ${method} ${path} does not match its schema: `
      + JSON.stringify(v.errors.slice(0, 5)) + '\n' + JSON.stringify(json).slice(0, 500));
  }
}

module.exports = { check, stats };
