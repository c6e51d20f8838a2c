/* app.js — small conveniences on top of pages that work without it.
 * The pages never depend on this file: every action is a plain link or form.
 *  - item list filters: changing a select applies the filter at once
 *    (without JavaScript, the 筛选/Filter button does the same);
 *  - a submit button with data-confirm asks before its form is sent (the
 *    text of the attribute is the question). */
'use strict';
document.addEventListener('change', function (ev) {
  var el = ev.target;
  if (el.tagName !== 'SELECT') return;
  var form = el.closest('form.filters');
  if (form) form.submit();
});
document.addEventListener('submit', function (ev) {
  var b = ev.submitter;
  if (b && b.dataset.confirm && !window.confirm(b.dataset.confirm)) ev.preventDefault();
});
