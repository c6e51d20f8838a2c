// End-to-end tests of attachments (佐证材料, issue 15 part 1): the raw upload to an item, the
// type sniffed by content and held to the name, the size limit (attachment.max_bytes, exactly
// and one byte over), hostile names and files each refused with its own code and nothing
// stored, who uploads and who downloads (another unit's handler, a request's enterprise), and
// the download's headers.  Runs on SQLite, and on PostgreSQL under `make test-pg`.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startServer } = require('../lib/server.js');

const MiB = 1024 * 1024;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
// the start of a PE executable: libmagic calls it application/x-dosexec
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00', 'latin1'), Buffer.alloc(64)]);

let s, sup, yjj, jxj, qiye, units, task, request;

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}
function act(token, id, body) {
  return s.api('POST', `/api/v1/items/${id}/actions`, { token, body });
}
// upload raw bytes; name is put into the query as given (already encoded)
function upload(token, id, name, bytes, type = 'application/octet-stream') {
  const q = name === null ? '' : `?name=${name}`;
  return s.api('POST', `/api/v1/items/${id}/attachments${q}`,
    { token, raw: bytes, headers: { 'Content-Type': type } });
}
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');

before(async () => {
  s = await startServer({ env: { LUOSHI_NOW: '2025-04-01' } });
  [sup, yjj, jxj, qiye] = await Promise.all(['supervisor', 'yjj', 'jxj', 'qiye'].map((u) => s.login(u)));
  const list = await s.api('GET', '/api/v1/units', { token: sup });
  units = Object.fromEntries(list.json.units.map((u) => [u.code, u.id]));
  task = must(await s.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'task', title: '整治佐证', lead_unit_id: units.yjj, deadline: '2025-06-30' } }), 201, 'create').id;
  must(await act(sup, task, { action: 'assign' }), 200, 'assign');
  must(await act(yjj, task, { action: 'accept' }), 200, 'accept');
  request = must(await s.api('POST', '/api/v1/requests', { token: qiye, body: {
    kind: 'request', title: '用地手续咨询', description: '请答复', category: 'consult' } }), 201, 'file').id;
  must(await act(sup, request, { action: 'assign', lead_unit_id: units.yjj }), 200, 'assign request');
  must(await act(yjj, request, { action: 'accept' }), 200, 'accept request');
});
after(async () => {
  const code = await s.stop();
  assert.equal(code, 0, 'the server stops cleanly\n' + s.log().slice(-3000));
});

test('upload: 201 with id, name, the type from the extension, bytes and SHA-256; download as sent', async () => {
  const a = must(await upload(yjj, task, encodeURIComponent('整改报告.pdf'), PDF), 201, 'pdf');
  assert.deepEqual(Object.keys(a).sort(), ['bytes', 'id', 'mime', 'name', 'sha256']);
  assert.deepEqual({ ...a, id: 0 }, { id: 0, name: '整改报告.pdf', mime: 'application/pdf', bytes: PDF.length, sha256: sha(PDF) });
  for (const path of [`/attachments/${a.id}`, `/api/v1/attachments/${a.id}`]) {
    const r = await fetch(s.url + path, { headers: { Authorization: 'Bearer ' + sup } });
    assert.equal(r.status, 200, path);
    assert.deepEqual(Buffer.from(await r.arrayBuffer()), PDF);
    assert.equal(r.headers.get('content-type'), 'application/pdf');
    assert.equal(r.headers.get('content-disposition'),
      `attachment; filename="____.pdf"; filename*=UTF-8''${encodeURIComponent('整改报告.pdf')}`);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  }
  const png = must(await upload(yjj, task, 'site.PNG', PNG, 'image/png'), 201, 'png');
  assert.equal(png.mime, 'image/png');
  assert.equal(png.id, a.id + 1);
});

test('hostile names and files: each its own 4xx, and nothing stored', async () => {
  const first = must(await upload(yjj, task, 'before.txt', Buffer.from('第一份\n')), 201, 'before');
  const cases = [
    [null, PDF, 400, 'file_name_missing'],
    ['', PDF, 400, 'file_name_missing'],
    ['..%2F..%2Fetc%2Fpasswd.pdf', PDF, 422, 'file_name_path'],
    ['a%2Fb.pdf', PDF, 422, 'file_name_path'],
    ['a%0D%0AContent-Type%3A%20text%2Fhtml.pdf', PDF, 422, 'file_name_control'],
    ['tab%09.pdf', PDF, 422, 'file_name_control'],
    ['%FF%FE.pdf', PDF, 400, 'invalid_utf8'],
    ['x'.repeat(252) + '.pdf', PDF, 422, 'file_name_long'],
    ['report.pdf', Buffer.alloc(0), 422, 'file_empty'],
    ['report.pdf', EXE, 415, 'file_type_mismatch'],
    ['setup.exe', EXE, 415, 'file_type_unsupported'],
    ['noext', PDF, 415, 'file_type_unsupported'],
    ['photo.jpg', PDF, 415, 'file_type_mismatch'],
    ['notes.txt', PNG, 415, 'file_type_mismatch'],
  ];
  for (const [name, bytes, status, code] of cases) {
    const r = await upload(yjj, task, name, bytes);
    assert.equal(r.status, status, `${name}: ${r.text}`);
    assert.equal(r.json.error.code, code, `${name}: ${r.text}`);
  }
  const next = must(await upload(yjj, task, 'after.txt', Buffer.from('第二份\n')), 201, 'after');
  assert.equal(next.id, first.id + 1, 'no refused file took a row');
});

test('size: exactly attachment.max_bytes is stored, one byte more is 413; the setting moves the limit', async () => {
  const exact = Buffer.alloc(20 * MiB, 'a');
  const a = must(await upload(yjj, task, 'big.txt', exact, 'text/plain'), 201, '20 MiB');
  assert.equal(a.bytes, 20 * MiB);
  assert.equal(a.sha256, sha(exact));
  const over = await upload(yjj, task, 'big.txt', Buffer.alloc(20 * MiB + 1, 'a'), 'text/plain');
  assert.equal(over.status, 413, over.text);
  assert.equal(over.json.error.code, 'file_too_large');
  const adm = await s.login('admin');
  must(await s.api('POST', '/api/v1/settings', { token: adm, body: { 'attachment.max_bytes': 100 } }), 200, 'setting');
  must(await upload(yjj, task, 'small.txt', Buffer.alloc(100, 'b')), 201, '100 bytes');
  const r = await upload(yjj, task, 'small.txt', Buffer.alloc(101, 'b'));
  assert.deepEqual([r.status, r.json.error.code], [413, 'file_too_large']);
  // past what any setting allows, the server refuses before reading the body
  const huge = await upload(yjj, task, 'huge.txt', Buffer.alloc(64 * MiB + 1, 'c'));
  assert.deepEqual([huge.status, huge.json.error.code], [413, 'body_too_large']);
  must(await s.api('POST', '/api/v1/settings', { token: adm, body: { 'attachment.max_bytes': 20 * MiB } }), 200, 'setting back');
});

test('who uploads and who downloads: another unit 404, a request\'s enterprise never', async () => {
  const a = must(await upload(yjj, task, 'mine.txt', Buffer.from('本单位材料')), 201, 'yjj');
  const other = await upload(jxj, task, 'theirs.txt', Buffer.from('x'));
  assert.deepEqual([other.status, other.json.error.code], [404, 'not_found']);
  const get = (token, id) => fetch(`${s.url}/attachments/${id}`, { headers: { Authorization: 'Bearer ' + token } });
  assert.equal((await get(jxj, a.id)).status, 404);
  assert.equal((await get(yjj, a.id)).status, 200);
  assert.equal((await fetch(`${s.url}/api/v1/attachments/${a.id}`)).status, 401);
  assert.equal((await get(sup, 999999)).status, 404);
  // the request: the handling unit attaches its evidence, the enterprise neither uploads nor reads
  const r = must(await upload(yjj, request, 'reply.txt', Buffer.from('答复依据')), 201, 'request evidence');
  const q = await upload(qiye, request, 'mine.txt', Buffer.from('x'));
  assert.deepEqual([q.status, q.json.error.code], [404, 'not_found']);
  assert.equal((await get(qiye, r.id)).status, 404);
});

test('actions carry attachment_ids: the event records id, name, bytes and SHA-256, once', async () => {
  const body = Buffer.from('三月份整改台账\n');
  const a = must(await upload(yjj, task, encodeURIComponent('台账.txt'), body), 201, 'upload');
  const b = must(await upload(yjj, task, 'site.png', PNG, 'image/png'), 201, 'upload png');
  must(await act(yjj, task, { action: 'feedback', text: '完成一半', progress: 50, attachment_ids: [a.id, b.id] }), 200, 'feedback');
  const events = must(await s.api('GET', `/api/v1/items/${task}/events`, { token: sup }), 200, 'events').events;
  const fb = events[events.length - 1];
  assert.equal(fb.action, 'feedback');
  assert.deepEqual(fb.data.attachments, [
    { id: a.id, name: '台账.txt', bytes: body.length, sha256: sha(body) },
    { id: b.id, name: 'site.png', bytes: PNG.length, sha256: sha(PNG) },
  ]);
  // carried once: the same file again is refused by id
  const again = await act(yjj, task, { action: 'feedback', text: '再报', attachment_ids: [a.id] });
  assert.deepEqual([again.status, again.json.error.code], [422, 'invalid_attachment']);
  assert.match(again.json.error.detail, new RegExp(`^attachment ${a.id} is not one your unit uploaded`));
  const v = s.cli(['verify']);
  assert.equal(v.status, 0, v.stderr);
});

test('attachment_ids: another unit\'s, another item\'s, unknown, twice, not ids, or on an action without them: 422', async () => {
  const c = must(await upload(yjj, task, 'c.txt', Buffer.from('第三份材料\n')), 201, 'c');
  const office = must(await upload(sup, task, 'office.txt', Buffer.from('督查室')), 201, 'office');
  const other = must(await upload(yjj, request, 'req.txt', Buffer.from('诉求')), 201, 'other item');
  for (const [ids, id] of [[[office.id], office.id], [[other.id], other.id], [[999999], 999999], [[c.id, 999998], 999998]]) {
    const r = await act(yjj, task, { action: 'feedback', text: '反馈', attachment_ids: ids });
    assert.deepEqual([r.status, r.json.error.code], [422, 'invalid_attachment'], r.text);
    assert.match(r.json.error.detail, new RegExp(`^attachment ${id} `));
  }
  const twice = await act(yjj, task, { action: 'feedback', text: '反馈', attachment_ids: [c.id, c.id] });
  assert.deepEqual([twice.status, twice.json.error.detail], [422, `attachment ${c.id} is named twice`]);
  const bad = await act(yjj, task, { action: 'feedback', text: '反馈', attachment_ids: ['x'] });
  assert.equal(bad.status, 422, bad.text);
  const urge = await act(sup, task, { action: 'urge', text: '请加快', attachment_ids: [office.id] });
  assert.deepEqual([urge.status, urge.json.error.code], [422, 'unknown_field']);
  // nothing was carried by the refusals: c still goes with a later step
  must(await act(yjj, task, { action: 'submit', text: '已完成', attachment_ids: [c.id] }), 200, 'submit');
  must(await act(sup, task, { action: 'reject', reason: '材料不全', attachment_ids: [office.id] }), 200, 'reject');
});

test('a request\'s reply carries the handling unit\'s evidence; the enterprise sees the reply, not the file', async () => {
  const f = must(await upload(yjj, request, encodeURIComponent('政策依据.pdf'), PDF), 201, 'upload');
  must(await act(yjj, request, { action: 'submit', reply: '可按政策办理', attachment_ids: [f.id] }), 200, 'reply');
  const events = must(await s.api('GET', `/api/v1/items/${request}/events`, { token: sup }), 200, 'events').events;
  assert.deepEqual(events[events.length - 1].data.attachments,
    [{ id: f.id, name: '政策依据.pdf', bytes: PDF.length, sha256: sha(PDF) }]);
  const get = await fetch(`${s.url}/attachments/${f.id}`, { headers: { Authorization: 'Bearer ' + qiye } });
  assert.equal(get.status, 404);
});

// A cookie session for user and the CSRF token its pages carry.
async function session(user) {
  const body = new URLSearchParams({ username: user, password: s.logins[user] }).toString();
  const r = await fetch(s.url + '/login', { method: 'POST', redirect: 'manual', body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 303);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const page = await (await fetch(s.url + '/inbox', { headers: { Cookie: cookie } })).text();
  return { cookie, csrf: page.match(/name="csrf" value="([0-9a-f]{64})"/)[1] };
}

test('the item page: a multipart feedback form with files, no JavaScript; the timeline lists them with sizes', async () => {
  const id = must(await s.api('POST', '/api/v1/items', { token: sup, body: {
    kind: 'task', title: '页面佐证', lead_unit_id: units.yjj, deadline: '2025-06-30' } }), 201, 'create').id;
  must(await act(sup, id, { action: 'assign' }), 200, 'assign');
  must(await act(yjj, id, { action: 'accept' }), 200, 'accept');
  const me = await session('yjj');
  const page = await (await fetch(`${s.url}/items/${id}`, { headers: { Cookie: me.cookie } })).text();
  const form = page.match(/<details class="act a-feedback"[^]*?<\/details>/)[0];
  assert.match(form, /enctype="multipart\/form-data"/);
  assert.match(form, /<input id="[^"]*" name="attachment_ids" type="file" multiple accept="\.pdf,/);
  const post = (files, text = '材料已上传') => {
    const fd = new FormData();
    fd.append('csrf', me.csrf);
    fd.append('action', 'feedback');
    fd.append('text', text);
    for (const [name, bytes, type] of files) fd.append('attachment_ids', new Blob([bytes], { type }), name);
    return fetch(`${s.url}/items/${id}/act`, { method: 'POST', body: fd, headers: { Cookie: me.cookie }, redirect: 'manual' });
  };
  // a refused file: the form again with its reason, nothing kept, no event
  const before = must(await s.api('GET', `/api/v1/items/${id}/events`, { token: sup }), 200, 'events').events.length;
  const bad = await post([['报告.pdf', EXE, 'application/pdf']]);
  assert.equal(bad.status, 415);
  const again = await bad.text();
  assert.match(again, /<p class="alert" role="alert">文件内容与扩展名不符：报告\.pdf。<\/p>/);
  assert.match(again, /佐证材料没有保存，请重新选择。/);
  assert.equal(must(await s.api('GET', `/api/v1/items/${id}/events`, { token: sup }), 200, 'events').events.length, before);
  const big = Buffer.alloc(3000, 'z');
  const r = await post([['整改报告.pdf', PDF, 'application/pdf'], ['明细.txt', big, 'text/plain']]);
  assert.equal(r.status, 303, await r.text());
  const events = must(await s.api('GET', `/api/v1/items/${id}/events`, { token: sup }), 200, 'events').events;
  const fb = events[events.length - 1];
  assert.deepEqual(fb.data.attachments.map((x) => [x.name, x.bytes, x.sha256]),
    [['整改报告.pdf', PDF.length, sha(PDF)], ['明细.txt', 3000, sha(big)]]);
  const [p, t] = fb.data.attachments;
  const html = await (await fetch(`${s.url}/items/${id}`, { headers: { Cookie: me.cookie } })).text();
  assert.ok(html.includes(`<ul class="files" aria-label="佐证材料"><li><a href="/attachments/${p.id}" download>整改报告.pdf</a> <small>1 KB</small></li>` +
    `<li><a href="/attachments/${t.id}" download>明细.txt</a> <small>3 KB</small></li></ul>`), html);
  const dl = await fetch(`${s.url}/attachments/${t.id}`, { headers: { Cookie: me.cookie } });
  assert.equal(dl.status, 200);
  assert.deepEqual(Buffer.from(await dl.arrayBuffer()), big);
});
