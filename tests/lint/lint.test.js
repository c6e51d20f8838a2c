// Tests of tools/lint.c, the checker `make lint` runs: each fixture under
// tests/lint/NAME/ plants violations of one rule (the folder after src/ is the
// layer the file poses as), and the checker must print exactly these messages
// and exit 1; the clean fixture passes; the allow file forgives one violation
// per line, and a line that forgives none (stale) fails.  Run by `make lint`
// with LINT_BIN set to build/lint, from the repository's root.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '../..');
const LINT = process.env.LINT_BIN || path.join(ROOT, 'build/lint');

// The .c and .h files of fixture dir, relative to the root, sorted.
function fixture(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(path.join(ROOT, d), { withFileTypes: true })) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (/\.[ch]$/.test(e.name)) out.push(p);
    }
  };
  walk(`tests/lint/${dir}`);
  return out.sort();
}

function lint(...args) {
  const r = spawnSync(LINT, args, { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.stderr, '', 'nothing on stderr');
  return { status: r.status, lines: r.stdout.split('\n').filter((l) => l) };
}

function fails(dir, expected) {
  const r = lint(...fixture(dir));
  assert.deepEqual(r.lines, expected);
  assert.equal(r.status, 1);
}

test('the clean fixture passes: literals, macros of literals, fragments, allowed includes', () => {
  const r = lint(...fixture('clean'));
  assert.deepEqual(r.lines, []);
  assert.equal(r.status, 0);
});

test('sql: non-literal SQL text, driver calls and headers outside src/db (src/db is exempt)', () => {
  const f = 'tests/lint/sql/src/core/sql.c';
  fails('sql', [
    `${f}:3: sql: <sqlite3.h> included outside src/db`,
    `${f}:10: sql: db_exec with a non-literal SQL text: sql_text`,
    `${f}:14: sql: db_prepare with a non-literal SQL text: sql`,
    `${f}:16: sql: db_exec with a non-literal SQL text: TABLE`,
    `${f}:17: sql: db_query_int64 with a non-literal SQL text: "SELECT count(*) FROM items" BY(col)`,
    `${f}:18: sql: db_prepare with a non-literal SQL text: col ? "SELECT 1" : "SELECT 2"`,
    `${f}:19: sql: sqlite3_exec called outside src/db`,
    `${f}:20: sql: db_prepare with a non-literal SQL text: "SELECT 1" BY_TABLE`,
    `${f}:22: sql: PQstatus called outside src/db`,
  ]);
});

test('html: non-literal raw HTML or format, buf_* writes into the page or a fragment', () => {
  const f = 'tests/lint/html/src/web/page.c';
  fails('html', [
    'tests/lint/html/src/notice/frag.c:6: html: buf_puts writes to a fragment (&a.html) around html.h',
    `${f}:7: html: html_raw with a non-literal HTML: s`,
    `${f}:8: html: html_printf with a non-literal format: fmt`,
    `${f}:9: html: html_raw with a non-literal HTML: s ? "<b>" : "<i>"`,
    `${f}:10: html: buf_puts writes to the page (o) around html.h`,
    `${f}:11: html: buf_printf writes to the page (&r->out) around html.h`,
    `${f}:12: html: buf_append writes to a fragment (&f->html) around html.h`,
  ]);
});

test('include: upward includes, and folders without a row in the layer table', () => {
  const d = 'tests/lint/include/src';
  fails('include', [
    `${d}/core/down.c:4: include: core may not include "notice/notice.h" (core may include: db util intake)`,
    `${d}/extra/extra.c:1: include: src/extra has no row in the layer table`,
    `${d}/http/up.c:4: include: http may not include "api/api.h" (http may include: core db util)`,
    `${d}/http/up.c:8: include: http may not include "web/web.h" (http may include: core db util)`,
    `${d}/util/leaf.c:2: include: util may not include "db/db.h" (util may include: nothing)`,
    `${d}/web/new.c:2: include: "gui/gui.h" is in src/gui, which has no row in the layer table`,
  ]);
});

test('cycle: two folders that may include anything still may not include each other', () => {
  fails('cycle', [
    'tests/lint/cycle/src/app/serve.c:2: cycle: folders app, cli include each other (this line: app -> cli)',
  ]);
});

test('length: 61 lines from the name to the closing brace fails, 60 passes', () => {
  fails('length', [
    'tests/lint/length/src/util/long.c:77: length: long_sixty_one is 61 lines long (at most 60, from its name to its closing brace)',
  ]);
});

test('--list prints each violation as an allow-file line', () => {
  const r = lint('--list', ...fixture('allow'));
  assert.deepEqual(r.lines, [
    'tests/lint/allow/src/web/page.c:include:api/api.h',
    'tests/lint/allow/src/web/page.c:html:html_raw s',
    'tests/lint/allow/src/web/page.c:html:html_raw s',
  ]);
  assert.equal(r.status, 0);
});

test('the allow file forgives one violation per line', () => {
  let r = lint('--allow', 'tests/lint/allow/ok.txt', ...fixture('allow'));
  assert.deepEqual(r.lines, []);
  assert.equal(r.status, 0);
  // one line for two equal violations: the second is new
  r = lint('--allow', 'tests/lint/allow/short.txt', ...fixture('allow'));
  assert.deepEqual(r.lines, [
    'tests/lint/allow/src/web/page.c:8: html: html_raw with a non-literal HTML: s',
  ]);
  assert.equal(r.status, 1);
});

test('a stale allow line, one that forgives nothing, fails', () => {
  const r = lint('--allow', 'tests/lint/allow/stale.txt', ...fixture('allow'));
  assert.deepEqual(r.lines, [
    'tests/lint/allow/stale.txt:5: allow: no violation matches "tests/lint/allow/src/web/page.c:html:html_raw t" (delete the line)',
    'tests/lint/allow/stale.txt:6: allow: no violation matches "tests/lint/allow/src/web/gone.c:sql:db_prepare sql" (delete the line)',
  ]);
  assert.equal(r.status, 1);
});

test('usage errors and unreadable files exit 2', () => {
  let r = spawnSync(LINT, [], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'usage: lint [--allow FILE] [--list] FILE...\n');
  r = spawnSync(LINT, ['tests/lint/nope.c'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'lint: cannot read tests/lint/nope.c\n');
  r = spawnSync(LINT, ['--allow', 'tests/lint/nope.txt', ...fixture('clean')], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'lint: cannot read tests/lint/nope.txt\n');
});
