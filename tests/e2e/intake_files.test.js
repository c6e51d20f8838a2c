// End-to-end tests of meeting reports sent as files: the seed as a .docx, a
// PDF, GB18030 and UTF-16 text through POST /api/v1/intake (the raw file, or
// a multipart form), `luoshi import meeting FILE` and the intake page, each
// giving the text's 15 directives and naming its format and encoding; and
// files that are malformed, protected, too large or of another kind refused
// with 4xx answers that name the problem in the request's language.  The
// files are made from the seed's text at test time (tests/lib/documents.js).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer } = require('../lib/server.js');
const { zip, makeDocx, makePdf, encode, DOCX_TYPE } = require('../lib/documents.js');

const SEED_FILE = path.join(__dirname, '../intake/seed.txt');
const SEED = fs.readFileSync(SEED_FILE, 'utf8');
const GOLDEN = JSON.parse(fs.readFileSync(path.join(__dirname, '../intake/seed.json'), 'utf8'));
const at = (d) => [d.text, d.paragraph, d.start, d.end, d.units];

let s, sup;
before(async () => {
  s = await startServer();
  sup = await s.login('supervisor');
});
after(async () => {
  assert.equal(await s.stop(), 0, s.log().slice(-3000));
});

const send = (raw, type, lang) => s.api('POST', '/api/v1/intake', {
  token: sup, raw, headers: { 'Content-Type': type, ...(lang ? { 'Accept-Language': lang } : {}) },
});

const FILES = [
  ['docx', () => makeDocx(SEED), DOCX_TYPE, { format: 'docx', encoding: 'UTF-8' }],
  ['pdf', () => makePdf(SEED), 'application/pdf', { format: 'pdf', encoding: null }],
  ['GB18030 text', () => encode(SEED, 'GB18030'), 'text/plain', { format: 'text', encoding: 'GB18030' }],
  ['UTF-16 text', () => encode(SEED, 'UTF-16'), 'text/plain; charset=utf-16', { format: 'text', encoding: 'UTF-16LE' }],
  ['UTF-16BE text', () => Buffer.concat([Buffer.from([0xfe, 0xff]), encode(SEED, 'UTF-16BE')]),
    'application/octet-stream', { format: 'text', encoding: 'UTF-16BE' }],
  ['UTF-8 text with a BOM', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SEED)]),
    'text/plain', { format: 'text', encoding: 'UTF-8' }],
];

for (const [name, make, type, source] of FILES) {
  test(`the seed as ${name} gives the text's paragraphs and 15 directives`, async () => {
    const r = await send(make(), type);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.source, source);
    assert.deepEqual(r.json.paragraphs, GOLDEN.paragraphs);
    assert.deepEqual(r.json.directives.map(at), GOLDEN.directives.map(at));
    assert.equal(r.json.meetings[0].name, '市委常委会（扩大）会议');
  });
}

test('JSON text says where it came from; a multipart form carries the file or a text field', async () => {
  let r = await s.api('POST', '/api/v1/intake', { token: sup, body: { text: SEED } });
  assert.deepEqual(r.json.source, { format: 'text', encoding: 'UTF-8' });
  const fd = new FormData();
  fd.append('file', new Blob([makeDocx(SEED)], { type: DOCX_TYPE }), '会议.docx');
  r = await s.api('POST', '/api/v1/intake', { token: sup, raw: fd });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.source, { format: 'docx', encoding: 'UTF-8' });
  assert.deepEqual(r.json.directives.map(at), GOLDEN.directives.map(at));
  const text = new FormData();
  text.append('text', SEED);
  r = await s.api('POST', '/api/v1/intake', { token: sup, raw: text });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.directives.length, 15);
  r = await s.api('POST', '/api/v1/intake', { token: sup, raw: new FormData() });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'missing_field');
  const empty = new FormData();
  empty.append('note', 'x');
  r = await s.api('POST', '/api/v1/intake', { token: sup, raw: empty });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'missing_field');
});

test('a meeting read from a .docx is stored from its cleaned text: the same directives and titles', async () => {
  const r = await send(makeDocx(SEED), DOCX_TYPE);
  assert.equal(r.status, 200);
  const text = r.json.paragraphs.join('\n');
  const again = await s.api('POST', '/api/v1/intake', { token: sup, body: { text } });
  assert.deepEqual(again.json.directives, r.json.directives);
  const m = await s.api('POST', '/api/v1/meetings', { token: sup, body: { text, items: [{ directive: 14 }] } });
  assert.equal(m.status, 201, m.text);
  const it = await s.api('GET', `/api/v1/items/${m.json.item_ids[0]}`, { token: sup });
  assert.equal(it.json.title, '强化主动服务、精准对接');
  assert.equal(r.json.directives[14].title, '强化主动服务、精准对接');
  assert.equal(r.json.directives[14].topic, '以感情留人');
});

test('a malformed .docx is 422 naming the problem in Chinese, or in English when asked', async () => {
  const cut = makeDocx(SEED).subarray(0, 400);
  let r = await send(cut, DOCX_TYPE);
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'invalid_docx');
  assert.equal(r.json.error.message, '.docx 文件不是可读取的 zip 压缩包：Not a zip archive');
  r = await send(cut, DOCX_TYPE, 'en-US,en;q=0.9');
  assert.equal(r.json.error.message, 'the .docx is not a readable zip archive: Not a zip archive');
  r = await send(zip([{ name: 'word/other.xml', data: '<x/>' }]), DOCX_TYPE, 'en');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.message, 'the zip archive has no word/document.xml: it is not a .docx');
  r = await send(makeDocx('', { xml: '<w:document xmlns:w="x">\n<w:body><w:p></w:body>' }), DOCX_TYPE, 'en');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.message,
    "the .docx's word/document.xml is malformed at line 2, column 16: mismatched tag");
  r = await send(makeDocx('', { xml: '<!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>' }), DOCX_TYPE);
  assert.equal(r.status, 422);
  assert.equal(r.json.error.message,
    '.docx 文件的 word/document.xml 在第 1 行第 13 列格式有误：a DOCTYPE is not allowed');
});

test('a zip bomb is refused by its declared size, and a lying one as it inflates', async () => {
  // 72 MiB of XML, a few hundred KiB deflated
  const big = `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${
    '<w:r/>'.repeat(12 * 1024 * 1024)}</w:body></w:document>`;
  let r = await send(makeDocx('', { xml: big }), DOCX_TYPE, 'en');
  assert.equal(r.status, 413);
  assert.equal(r.json.error.code, 'document_too_large');
  assert.equal(r.json.error.message, "the .docx's word/document.xml is larger than 67108864 bytes");
  r = await send(makeDocx('', { xml: big, declaredSize: 1000 }), DOCX_TYPE, 'en');
  assert.equal(r.status, 413);
  assert.equal(r.json.error.code, 'document_too_large');
  assert.equal(r.json.error.message, "the .docx's word/document.xml is larger than 67108864 bytes");
});

test('PDFs that are damaged or empty, Word 97 files, bad UTF-16 and bytes of no text are refused', async () => {
  let r = await send(Buffer.from('%PDF-1.7\nnothing here\n'), 'application/pdf', 'en');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'invalid_pdf');
  assert.match(r.json.error.message, /^the PDF cannot be read: /);
  r = await send(makePdf(' \n'), 'application/pdf');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'no_text');
  assert.equal(r.json.error.message, '文件中没有文字（扫描版 PDF 需先进行文字识别）');
  r = await send(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'application/octet-stream', 'en');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'unsupported_format');
  assert.equal(r.json.error.message, 'a Word 97-2003 .doc or a .wps file is not read: save it as .docx or PDF');
  r = await send(Buffer.from([0xff, 0xfe, 0x1a, 0x4f, 0x00, 0xd8, 0x41, 0x00]), 'text/plain', 'en');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'invalid_text');
  assert.equal(r.json.error.message, 'the UTF-16 text is malformed at byte 4');
  r = await send(Buffer.from('会议要求，\u0000各部门要抓好落实。'), 'text/plain');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.message, '文本第 15 字节处有空字符（NUL）；UTF-16 文本须带字节顺序标记（BOM）');
  // UTF-8 cut mid-character is no GB18030 prose: an encoding error naming the byte, as before
  r = await send(Buffer.concat([Buffer.from('会议要求，'), Buffer.from([0xe4, 0x41])]), 'text/plain', 'en');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_utf8');
  assert.equal(r.json.error.message, 'the text is not valid UTF-8 at byte 15');
  r = await send(Buffer.from([0xff, 0xff]), 'text/plain');
  assert.equal(r.json.error.message, '文本既不是有效的 UTF-8，也不是 GB18030：第 0 字节处有误');
});

test('luoshi import meeting reads a .docx, a PDF and GB18030 text; refuses a broken file', () => {
  for (const [name, bytes, format] of [['seed.docx', makeDocx(SEED), 'docx'], ['seed.pdf', makePdf(SEED), 'pdf'],
    ['seed-gbk.txt', encode(SEED, 'GB18030'), 'text']]) {
    const file = path.join(s.dir, name);
    fs.writeFileSync(file, bytes);
    const c = s.cli(['import', 'meeting', file, '--dry-run', '--json']);
    assert.equal(c.status, 0, c.stderr);
    const out = JSON.parse(c.stdout);
    assert.equal(out.source.format, format);
    assert.deepEqual(out.directives.map(at), GOLDEN.directives.map(at));
  }
  const t = s.cli(['import', 'meeting', path.join(s.dir, 'seed-gbk.txt'), '--dry-run']);
  assert.match(t.stdout, /^21 paragraphs, 2 articles, 1 meetings, 15 directives\nread from: text, GB18030\n\n/);
  const bad = path.join(s.dir, 'bad.docx');
  fs.writeFileSync(bad, zip([{ name: 'a.txt', data: 'x' }]));
  const c = s.cli(['import', 'meeting', bad, '--dry-run']);
  assert.equal(c.status, 1);
  assert.equal(c.stderr, `luoshi import: ${bad}: the zip archive has no word/document.xml: it is not a .docx\n`);
});

async function cookieFor(username) {
  const r = await fetch(s.url + '/login', {
    method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ username, password: s.logins[username] }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  return r.headers.get('set-cookie').split(';')[0];
}

test('a browser session sending a file to the API needs its CSRF token, as for any POST', async () => {
  const cookie = await cookieFor('supervisor');
  const html = await (await fetch(s.url + '/intake', { headers: { Cookie: cookie } })).text();
  const csrf = html.match(/name="csrf" value="([0-9a-f]+)"/)[1];
  const post = (headers) => fetch(s.url + '/api/v1/intake', {
    method: 'POST', body: makeDocx(SEED), headers: { Cookie: cookie, 'Content-Type': DOCX_TYPE, ...headers },
  });
  let r = await post({});
  assert.equal(r.status, 403);
  assert.equal((await r.json()).error.code, 'csrf_failed');
  r = await post({ 'X-CSRF-Token': csrf });
  assert.equal(r.status, 200);
  assert.equal((await r.json()).directives.length, 15);
});

test('the page reads an uploaded .docx: its text in the preview, stored as the meeting', async () => {
  const cookie = await cookieFor('supervisor');
  const form = await (await fetch(s.url + '/intake', { headers: { Cookie: cookie } })).text();
  const csrf = form.match(/name="csrf" value="([0-9a-f]+)"/)[1];
  assert.match(form, /accept="\.txt,\.docx,\.pdf,/);
  const post = async (bytes, name, type) => {
    const fd = new FormData();
    fd.append('csrf', csrf);
    fd.append('text', '');
    fd.append('file', new Blob([bytes], { type }), name);
    const r = await fetch(s.url + '/intake', { method: 'POST', body: fd, headers: { Cookie: cookie } });
    return { status: r.status, html: await r.text() };
  };
  let p = await post(makeDocx(SEED), '会议.docx', DOCX_TYPE);
  assert.equal(p.status, 200);
  assert.equal((p.html.match(/<mark id="d\d+">/g) || []).length, 15);
  assert.match(p.html, /<dt>读取自<\/dt><dd class="source">docx · UTF-8<\/dd>/);
  // the text read from the file rides in the form, and storing reads it again
  const hidden = p.html.match(/<textarea name="text" hidden>([^<]*)<\/textarea>/)[1];
  assert.ok(hidden.startsWith(' 今晚举行\n\n本报讯'), hidden.slice(0, 40));
  const store = new URLSearchParams({ csrf, text: SEED.replace(/\r\n/g, '\n'), pick: '1', t1: '传达到每一位干部' });
  const r = await fetch(s.url + '/meetings', {
    method: 'POST', redirect: 'manual', body: store.toString(),
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 303);
  p = await post(makePdf(SEED), 'seed.pdf', 'application/pdf');
  assert.equal(p.status, 200);
  assert.match(p.html, /<dd class="source">pdf<\/dd>/);
  assert.equal((p.html.match(/<mark id="d\d+">/g) || []).length, 15);
  p = await post(makeDocx(SEED).subarray(0, 400), '会议.docx', DOCX_TYPE);
  assert.equal(p.status, 422);
  assert.match(p.html, /role="alert">未能处理：会议.docx：.docx 文件不是可读取的 zip 压缩包：Not a zip archive</);
});
