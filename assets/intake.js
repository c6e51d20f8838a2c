// intake.js — on the intake page, read a chosen UTF-8 .txt file into the text
// box, so it can be looked at and corrected before it is read.  Without the
// script the file goes with the form and the server reads it.  A file that is
// not UTF-8 text — a .docx, a PDF, a GBK/GB18030 or UTF-16 text — is left to
// go with the form (the server finds its format and encoding), with a note
// saying so; bytes that are neither UTF-8 nor well-formed GB18030 and start
// like no document are refused here, naming the byte offset of the first bad
// UTF-8 byte, instead of being silently changed by the browser's decoder.
// A file read into the box is emptied from the picker, so what is sent is the
// box.
'use strict';
(function () {
  const pick = document.querySelector('.file-pick');
  const input = document.getElementById('file');
  const box = document.getElementById('text');
  const error = document.getElementById('file-error');
  const note = document.getElementById('file-note');
  if (!pick || !input || !box || !note || !window.TextDecoder || !window.FileReader) return;
  const en = document.documentElement.lang === 'en';

  // The offset of the first byte that is not part of valid UTF-8 (as the
  // server's check says: no overlong forms, surrogates or code points above
  // U+10FFFF), or -1 when every byte is.
  function badOffset(b) {
    for (let i = 0; i < b.length;) {
      const c = b[i];
      if (c < 0x80) { i++; continue; }
      const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
      if (!need || i + need > b.length - 1) return i;
      for (let k = 1; k <= need; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
      const b1 = b[i + 1];
      if ((c === 0xe0 && b1 < 0xa0) || (c === 0xed && b1 >= 0xa0) ||
          (c === 0xf0 && b1 < 0x90) || (c === 0xf4 && b1 >= 0x90)) return i;
      i += need + 1;
    }
    return -1;
  }

  // What the server will make of the bytes, when it is not UTF-8 text to
  // read here: 'docx', 'pdf', 'UTF-16' or 'GB18030'; '' for text or nothing.
  function kindOf(b, bad) {
    if (b[0] === 0x50 && b[1] === 0x4b) return 'docx';
    if (new TextDecoder('latin1').decode(b.subarray(0, 1024)).includes('%PDF-')) return 'pdf';
    if (bad < 0) return '';
    if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) return 'UTF-16';
    try {
      new TextDecoder('gb18030', { fatal: true }).decode(b);
      return 'GB18030';
    } catch (_) {
      return '';
    }
  }

  input.addEventListener('change', () => {
    const f = input.files && input.files[0];
    error.hidden = true;
    note.hidden = true;
    if (!f) return;
    const rd = new FileReader();
    rd.onload = () => {
      const bytes = new Uint8Array(rd.result);
      const bad = badOffset(bytes);
      const kind = kindOf(bytes, bad);
      if (kind) { // the form carries the file; the server reads it
        note.textContent = (en ? 'Read on the server when sent: ' : '提交后由服务器读取：') +
          f.name + ' (' + kind + ')';
        note.hidden = false;
        return;
      }
      input.value = '';
      if (bad >= 0) {
        error.textContent = (en
          ? 'The file is not UTF-8 text: invalid byte at offset ' : '文件不是 UTF-8 文本：第一个无效字节的位置是 ') + bad;
        error.hidden = false;
        return;
      }
      box.value = new TextDecoder('utf-8').decode(bytes);
    };
    rd.readAsArrayBuffer(f);
  });
}());
