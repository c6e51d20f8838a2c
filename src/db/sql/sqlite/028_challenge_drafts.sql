-- 028_challenge_drafts: challenges drafted by the science bureau and files
-- on applications (issue 20's last parts; docs/challenges.md).  The
-- PostgreSQL twin is src/db/sql/pg/028_challenge_drafts.sql and must
-- describe the same columns.
--
-- author_unit_id: the unit whose handler drafted the challenge (a unit the
-- text setting challenge.creator_units names, the science bureau by
-- default); NULL when the office created it.  That unit sees the challenge
-- and its handlers edit it while it is a draft; only the office publishes.
ALTER TABLE challenges ADD COLUMN author_unit_id INTEGER REFERENCES units(id);

-- attachments: the files the application carries, as its "apply" event
-- records them, a JSON array of {"id","name","bytes","sha256"}.
ALTER TABLE challenge_applications ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';

-- units.kind takes 'university' (高校: its applicants apply to challenges,
-- as an enterprise's do).  SQLite cannot alter a CHECK constraint, and
-- rebuilding units under foreign_keys=ON inside this migration's
-- transaction would leave every reference to it (users, items, events …)
-- counted as violated.  The constraint only widens — every stored row
-- satisfies the new one, and nothing on disk changes — which SQLite's manual
-- allows by rewriting the table's definition ("ALTER TABLE", "Making Other
-- Kinds Of Table Schema Changes").  RESET reloads the schema on this
-- connection; dropping and re-creating units_parent changes the schema
-- cookie, so every other connection reloads it too.  The last two
-- statements fail, rolling the whole migration back, unless the new
-- constraint is in force.
PRAGMA writable_schema = ON;
UPDATE sqlite_master
   SET sql = replace(sql, '''grid'',''enterprise''))', '''grid'',''enterprise'',''university''))')
 WHERE type = 'table' AND name = 'units';
PRAGMA writable_schema = RESET;
DROP INDEX units_parent;
CREATE INDEX units_parent ON units(parent_id);
INSERT INTO units (code, name, kind, created_at) VALUES ('-028-', '-028-', 'university', 0);
DELETE FROM units WHERE code = '-028-';
