// make-corpus.js — writes the binary seeds of the source and docx fuzz
// targets (tests/fuzz/corpus/source/, tests/fuzz/corpus/docx/) from short
// texts, with the same makers the e2e tests use (tests/lib/documents.js).
// Run from the repository root: node tests/fuzz/make-corpus.js
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { makeDocx, makePdf, encode } = require('../lib/documents.js');

const TEXT = '市政府召开常务会议\n会议强调，各部门要抓好落实；由市城管局牵头，开展集中整治。\n';
const dir = (name) => { const d = path.join(__dirname, 'corpus', name); fs.mkdirSync(d, { recursive: true }); return d; };
const src = dir('source');
const docx = dir('docx');
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

fs.writeFileSync(path.join(src, 'report.docx'), makeDocx(TEXT));
fs.writeFileSync(path.join(src, 'report.pdf'), makePdf(TEXT));
fs.writeFileSync(path.join(src, 'gb18030.txt'), encode(TEXT, 'GB18030'));
fs.writeFileSync(path.join(src, 'utf16le.txt'), encode(TEXT, 'UTF-16'));
fs.writeFileSync(path.join(src, 'utf16be.txt'), Buffer.concat([Buffer.from([0xfe, 0xff]), encode(TEXT, 'UTF-16BE')]));
fs.writeFileSync(path.join(src, 'utf8-bom.txt'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]));
fs.writeFileSync(path.join(src, 'utf8.txt'), '会议强调，各部门要抓好落实。\n');
fs.writeFileSync(path.join(src, 'word97.doc'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));

// document.xml pieces: the first byte says where the fuzzer splits the rest
const xml = {
  'runs.xml': `<w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>会议</w:t><w:tab/><w:t xml:space="preserve"> 要求</w:t><w:br/></w:r></w:p><w:p/></w:body></w:document>`,
  'fallback.xml': `<w:document xmlns:w="${W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:p><w:r><mc:AlternateContent><mc:Choice><w:p><w:r><w:t>框</w:t></w:r></w:p></mc:Choice><mc:Fallback><w:p><w:r><w:t>框</w:t></w:r></w:p></mc:Fallback></mc:AlternateContent></w:r></w:p></w:document>`,
  'deleted.xml': `<w:document xmlns:w="${W}"><w:p><w:del><w:r><w:delText>删</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText><w:t>&lt;留&amp;</w:t><w:cr/></w:r></w:p></w:document>`,
  'doctype.xml': '<!DOCTYPE d [<!ENTITY a "aa">]><d>&a;</d>',
};
for (const [name, body] of Object.entries(xml)) fs.writeFileSync(path.join(docx, name), '\x07' + body);
