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
/* A unit list (select[data-filter], the attribute's text its hint) gets a
 * search box before it that hides the units whose name does not contain
 * what is typed, and chooses the first that does when the chosen one is
 * hidden; the select stays the form's field, and without script it is the
 * plain, grouped list. */
document.querySelectorAll('select[data-filter]').forEach(function (sel) {
  var box = document.createElement('input');
  box.type = 'search';
  box.className = 'unit-filter';
  box.placeholder = sel.dataset.filter;
  box.setAttribute('aria-label', sel.dataset.filter);
  sel.parentNode.insertBefore(box, sel);
  box.addEventListener('input', function () {
    var q = box.value.trim(), first = null;
    sel.querySelectorAll('option').forEach(function (o) {
      var show = !o.value || !q || o.textContent.indexOf(q) >= 0;
      o.hidden = !show;
      if (show && o.value && !first) first = o;
    });
    sel.querySelectorAll('optgroup').forEach(function (g) {
      g.hidden = !g.querySelector('option:not([hidden])');
    });
    var cur = sel.options[sel.selectedIndex];
    if (q && first && (!cur || !cur.value || cur.hidden)) sel.value = first.value;
  });
});
