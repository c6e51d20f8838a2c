/* app.js — small conveniences on top of pages that work without it.
 * The pages never depend on this file: every action is a plain link or form.
 * Filters are applied by their 筛选/Filter button only: a form that reloads
 * the page when a select changes moves the keyboard user's focus away
 * (WCAG 3.2.2, on input), so nothing here submits a form by itself.
 * A submit button with data-confirm asks before its form is sent (the text
 * of the attribute is the question). */
'use strict';
document.addEventListener('submit', function (ev) {
  var b = ev.submitter;
  if (b && b.dataset.confirm && !window.confirm(b.dataset.confirm)) ev.preventDefault();
});
