// documents.js — meeting reports as the files people send, made from text at
// test time so that no binary fixture is checked in: a .docx (a zip written
// here with Node's zlib: [Content_Types].xml, the package relationships and
// word/document.xml with one w:p per line), a PDF (one text line per line of
// the text, so many lines a page, in a Type0 font whose ToUnicode map makes
// every character code its own code point: poppler reads the text back
// without any font file), and the text in GB18030 or UTF-16 (iconv, as the
// tests' shell has it).
'use strict';
const zlib = require('node:zlib');
const { execFileSync } = require('node:child_process');

const xmlEscape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// A zip of files [{name, data}] (deflated), as a Buffer.
function zip(files) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const data = Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data, 'utf8');
    const packed = zlib.deflateRawSync(data);
    const crc = zlib.crc32(data);
    const usize = f.declaredSize === undefined ? data.length : f.declaredSize;
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(0x0800, 6); // names in UTF-8
    head.writeUInt16LE(8, 8); // deflate
    head.writeUInt16LE(0, 10);
    head.writeUInt16LE(0x21, 12); // 1980-01-01
    head.writeUInt32LE(crc, 14);
    head.writeUInt32LE(packed.length, 18);
    head.writeUInt32LE(usize, 22);
    head.writeUInt16LE(name.length, 26);
    head.writeUInt16LE(0, 28);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    head.copy(cd, 8, 6, 28); // flags … extra length, as in the local header
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    locals.push(head, name, packed);
    offset += head.length + name.length + packed.length;
  }
  const cdir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cdir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdir, end]);
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

// The body XML of word/document.xml: one paragraph per line of text.
function documentXml(text) {
  const paras = text.split('\n').map((l) =>
    `<w:p><w:pPr><w:jc w:val="both"/></w:pPr><w:r><w:rPr><w:rFonts w:eastAsia="宋体"/></w:rPr>` +
    `<w:t xml:space="preserve">${xmlEscape(l)}</w:t></w:r></w:p>`).join('');
  return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<w:document xmlns:w="${W}"><w:body>${paras}<w:sectPr/></w:body></w:document>`;
}

// A .docx of the text (lines become paragraphs).  opts.xml replaces
// word/document.xml; opts.declaredSize lies about its inflated size.
function makeDocx(text, opts = {}) {
  return zip([
    { name: '[Content_Types].xml', data: '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>' },
    { name: '_rels/.rels', data: '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>' },
    { name: 'word/document.xml', data: opts.xml === undefined ? documentXml(text) : opts.xml, declaredSize: opts.declaredSize },
  ]);
}

// The ToUnicode map of the font: code = code point, for the whole BMP.
function toUnicode() {
  const ranges = [];
  for (let hi = 0; hi < 256; hi++) {
    const h = hi.toString(16).padStart(2, '0').toUpperCase();
    ranges.push(`<${h}00> <${h}FF> <${h}00>`);
  }
  let out = '/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n' +
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n' +
    '/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n' +
    '1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n';
  for (let i = 0; i < ranges.length; i += 100) {
    const part = ranges.slice(i, i + 100);
    out += `${part.length} beginbfrange\n${part.join('\n')}\nendbfrange\n`;
  }
  return out + 'endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n';
}

// A PDF of the text: its non-empty lines, perPage to a page, 16 points apart.
function makePdf(text, perPage = 40) {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const pages = [];
  for (let i = 0; i < lines.length; i += perPage) pages.push(lines.slice(i, i + perPage));
  const objs = []; // objs[n - 1] is object n
  const add = (body) => { objs.push(body); return objs.length; };
  const stream = (dict, data) => `<< ${dict} /Length ${Buffer.byteLength(data, 'latin1')} >>\nstream\n${data}\nendstream`;
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(null); // the page tree, once the pages are known
  const fd = add('<< /Type /FontDescriptor /FontName /NotoSansCJKsc-Regular /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>');
  const cid = add(`<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NotoSansCJKsc-Regular /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ${fd} 0 R /DW 1000 /CIDToGIDMap /Identity >>`);
  const uni = add(stream('', toUnicode()));
  const font = add(`<< /Type /Font /Subtype /Type0 /BaseFont /NotoSansCJKsc-Regular /Encoding /Identity-H /DescendantFonts [${cid} 0 R] /ToUnicode ${uni} 0 R >>`);
  const kids = [];
  for (const page of pages) {
    let content = 'BT /F1 12 Tf 16 TL 40 800 Td\n';
    for (const l of page) {
      const hex = [...l].map((ch) => ch.codePointAt(0).toString(16).padStart(4, '0')).join('');
      content += `<${hex}> Tj T*\n`;
    }
    content += 'ET';
    const c = add(stream('', content));
    kids.push(add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${c} 0 R >>`));
  }
  objs[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets = [];
  objs.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

// The text in another encoding, through iconv(1): 'GB18030', 'UTF-16' (with a BOM) ….
function encode(text, encoding) {
  return execFileSync('iconv', ['-f', 'UTF-8', '-t', encoding], { input: Buffer.from(text, 'utf8') });
}

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

module.exports = { zip, makeDocx, makePdf, encode, DOCX_TYPE };
