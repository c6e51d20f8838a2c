-- 028_challenge_drafts: challenges drafted by the science bureau and files
-- on applications (issue 20's last parts; docs/challenges.md).  The
-- SQLite twin is src/db/sql/sqlite/028_challenge_drafts.sql and must
-- describe the same columns.
--
-- author_unit_id: the unit whose handler drafted the challenge (a unit the
-- text setting challenge.creator_units names, the science bureau by
-- default); NULL when the office created it.  That unit sees the challenge
-- and its handlers edit it while it is a draft; only the office publishes.
ALTER TABLE challenges ADD COLUMN author_unit_id BIGINT REFERENCES units(id);

-- attachments: the files the application carries, as its "apply" event
-- records them, a JSON array of {"id","name","bytes","sha256"}.
ALTER TABLE challenge_applications ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';

-- units.kind takes 'university' (高校: its applicants apply to challenges,
-- as an enterprise's do): the column's CHECK constraint (PostgreSQL named it
-- units_kind_check in 001) is replaced by a wider one.  The SQLite twin
-- rewrites the same constraint in place.
ALTER TABLE units DROP CONSTRAINT units_kind_check;
ALTER TABLE units ADD CONSTRAINT units_kind_check
    CHECK (kind IN ('department','taskforce','town','grid','enterprise','university'));
