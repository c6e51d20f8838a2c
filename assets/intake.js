// intake.js — on the intake page, read a chosen .txt file into the text box,
// so it can be looked at and corrected before it is read.  Without the script
// the file goes with the form and the server reads it.  The file must be
// UTF-8: one that is not is refused here, naming the byte offset, instead of
// being silently changed by the browser's decoder.  Either way the file input
// is emptied afterwards, so what is sent is the box.
'use strict';
(function () {
  const pick = document.querySelector('.file-pick');
  const input = document.getElementById('file');
  const box = document.getElementById('text');
  const error = document.getElementById('file-error');
  if (!pick || !input || !box || !window.TextDecoder || !window.FileReader) return;

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

  input.addEventListener('change', () => {
    const f = input.files && input.files[0];
    if (!f) return;
    const rd = new FileReader();
    rd.onload = () => {
      const bytes = new Uint8Array(rd.result);
      const bad = badOffset(bytes);
      input.value = '';
      if (bad >= 0) {
        error.textContent = (document.documentElement.lang === 'en'
          ? 'The file is not UTF-8 text: invalid byte at offset ' : '文件不是 UTF-8 文本：第一个无效字节的位置是 ') + bad;
        error.hidden = false;
        return;
      }
      error.hidden = true;
      box.value = new TextDecoder('utf-8').decode(bytes);
    };
    rd.readAsArrayBuffer(f);
  });
}());
