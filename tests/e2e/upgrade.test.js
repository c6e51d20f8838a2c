// An old database upgrades in place.  tests/e2e/fixtures/schema8.sql (and
// schema8-pg.sql for PostgreSQL) is a database of schema version 8, made by
// the binary before migration 009 (tamper evidence) through its API: the demo
// city, a hazard with a report photo and a rectification photo through the
// loop with feedback, a settings change and an issued notice
// (fixtures/make-schema8.js, run with that binary).  The upgraded database
// keeps every item, event and notice, verifies, gets its photos vouched for
// by "photo" events and its configuration as the chain's baseline, and from
// then on is as tamper-evident as a new one.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { cli, pgDatabase } = require('../lib/server.js');

const PG = !!process.env.LUOSHI_TEST_PG;
const PNG2 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

// Run SQL on the database: a query's rows as text, or a change with the
// append-only triggers out of the way (tamper).
function sql(db, text, tamper) {
  const r = PG
    ? spawnSync('psql', [db, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c',
      (tamper ? 'SET session_replication_role = replica; ' : '') + text], { encoding: 'utf8' })
    : spawnSync('sqlite3', [db, (tamper ? 'DROP TRIGGER hazard_photos_no_update; ' : '') + text], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test('a schema-8 database upgrades in place, keeps everything, verifies and is then tamper-evident', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'luoshi-upgrade-'));
  const pg = PG ? pgDatabase() : null;
  const db = pg ? pg.url : path.join(dir, 'old.db');
  const key = path.join(dir, 'city.key');
  try {
    const fixture = path.join(__dirname, 'fixtures', PG ? 'schema8-pg.sql' : 'schema8.sql');
    const load = PG
      ? spawnSync('psql', [db, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', fixture], { encoding: 'utf8' })
      : spawnSync('sqlite3', [db], { input: fs.readFileSync(fixture), encoding: 'utf8' });
    assert.equal(load.status, 0, load.stderr);
    const count = (t) => Number(sql(db, `SELECT count(*) FROM ${t}`));
    const before = { items: count('items'), events: count('events'), notices: count('notices'), photos: count('hazard_photos') };
    assert.deepEqual(before, { items: 28, events: 53, notices: 1, photos: 2 });
    const hashes = sql(db, 'SELECT item_id, seq, hash FROM events ORDER BY item_id, seq');

    // an older binary's database is refused until it is upgraded
    let r = cli(['verify', '--db', db]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /has schema version 8, older than this luoshi \(\d+\); run `luoshi init` to upgrade it/);
    r = cli(['init', '--db', db, '--key', key]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /schema version \d+ \(\d+ migrations? applied\)\n/);

    // nothing lost: every event as it was, the two photos vouched for by new events
    assert.deepEqual({ items: count('items'), events: count('events'), notices: count('notices'), photos: count('hazard_photos') },
      { ...before, events: before.events + 2 });
    const kept = sql(db, `SELECT item_id, seq, hash FROM events WHERE seq <= (SELECT max(seq) FROM events e2
      WHERE e2.item_id = events.item_id AND e2.action <> 'photo') ORDER BY item_id, seq`);
    assert.equal(kept, hashes);
    assert.equal(sql(db, "SELECT count(*) FROM events WHERE action = 'photo' AND data LIKE '%\"legacy\":true%'"), '2');
    // the upgrade's init loads the newly shipped year (2026) the old database lists no day of, each
    // day an event of the configuration chain after its baseline; the years it had stay as they were
    assert.equal(sql(db, "SELECT action || ' ' || section FROM config_events ORDER BY seq"),
      ['baseline *', ...Array(39).fill('import calendar')].join('\n'));
    assert.equal(sql(db, "SELECT count(*) FROM config_events WHERE section = 'calendar' AND key LIKE '2026-%'"), '39');

    const pub = key.replace(/\.key$/, '.pub');
    r = cli(['verify', '--db', db, '--pubkey', pub]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `ok: ${before.events + 2} events in 28 chains verified\nok: 1 issued notices verified\n`);
    // the notice issued before PDFs were stored (migration 023) has none, and verifies as it did
    assert.equal(sql(db, "SELECT '[' || pdf || '|' || pdf_sha256 || ']' FROM notices"), '[|]');
    r = cli(['checkpoint', '--db', db, '--key', key]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^checkpoint 1: 28 items \(tree size 29\), root [0-9a-f]{64}, signed by key [0-9a-f]{16}\n$/);
    assert.equal(cli(['verify', '--db', db, '--pubkey', pub]).status, 0);

    // units take the kind university (migration 028: on SQLite the CHECK rewritten in place, every
    // index and trigger on units kept, nothing else changed); any other kind is still refused
    if (PG) {
      assert.equal(sql(db, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'units_kind_check'"),
        "CHECK ((kind = ANY (ARRAY['department'::text, 'taskforce'::text, 'town'::text, 'grid'::text, " +
        "'enterprise'::text, 'university'::text])))");
    } else {
      assert.equal(sql(db, 'PRAGMA integrity_check'), 'ok');
      assert.equal(sql(db, 'PRAGMA foreign_key_check'), '');
      assert.equal(sql(db, "SELECT type || ' ' || name FROM sqlite_master WHERE tbl_name = 'units' ORDER BY name"),
        ['trigger facts_stamp_units_delete', 'trigger facts_stamp_units_insert', 'trigger facts_stamp_units_update',
          'trigger score_stamp_units_delete', 'trigger score_stamp_units_insert', 'trigger score_stamp_units_update',
          'index sqlite_autoindex_units_1', 'table units', 'index units_parent'].join('\n'));
    }
    assert.equal(sql(db, "SELECT count(*) FROM units WHERE code = '-028-'"), '0');
    r = cli(['unit', 'add', '--db', db, '--code', 'ykzy', '--name', '永康职业技术学院', '--kind', 'university']);
    assert.equal(r.status, 0, r.stderr);
    const bad = PG
      ? spawnSync('psql', [db, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c',
        "INSERT INTO units (code, name, kind, created_at) VALUES ('x', 'x', 'college', 0)"], { encoding: 'utf8' })
      : spawnSync('sqlite3', [db, "INSERT INTO units (code, name, kind, created_at) VALUES ('x', 'x', 'college', 0)"],
        { encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /CHECK constraint failed|units_kind_check/);
    r = cli(['verify', '--db', db, '--pubkey', pub]);
    assert.equal(r.status, 0, r.stderr);

    // an old photo's bytes are now covered
    const photo = sql(db, "SELECT id || ' ' || item_id FROM hazard_photos WHERE phase = 'after'").split(' ');
    sql(db, `UPDATE hazard_photos SET data = '${PNG2.toString('base64')}' WHERE id = ${photo[0]}`, true);
    r = cli(['verify', '--db', db, '--pubkey', pub]);
    assert.equal(r.status, 1);
    assert.ok(r.stderr.includes(`luoshi verify: BROKEN: item ${photo[1]}: photo ${photo[0]}: its bytes do not match the SHA-256 its event recorded\n`), r.stderr);
  } finally {
    if (pg) pg.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
