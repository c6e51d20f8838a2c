-- 015_score: the 考核 ledger's manual entries (core/assessment.c): the
-- office's deductions and bonuses (加分), the leaders' evaluation points
-- and the counter-entries that withdraw them.  The automatic entries are
-- not stored here: they are read from what the system already records
-- (deductions, escalations, events).  The rules (points per automatic
-- entry, the base) are settings rows 'assessment.YYYY.RULE', so every
-- change is on the configuration chain.  The PostgreSQL twin is
-- src/db/sql/pg/015_score.sql and must describe the same table.
--
-- Append-only: an entry is never edited or deleted; a withdrawal is a new
-- row (kind 'withdrawal', withdraws = the entry, points = minus its points),
-- at most one per entry.
CREATE TABLE assessment_entries (
    id         INTEGER PRIMARY KEY,
    year       INTEGER NOT NULL,
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    kind       TEXT NOT NULL
               CHECK (kind IN ('deduction','bonus','no_substance','evaluation','withdrawal')),
    points     REAL NOT NULL,
    reason     TEXT NOT NULL,
    item_id    INTEGER REFERENCES items(id),
    meeting_id INTEGER REFERENCES meetings(id),
    withdraws  INTEGER UNIQUE REFERENCES assessment_entries(id),
    actor_id   INTEGER REFERENCES users(id),
    actor      TEXT NOT NULL,
    at         BIGINT NOT NULL
);
CREATE INDEX assessment_entries_year ON assessment_entries(year, unit_id, id);
CREATE TRIGGER assessment_entries_no_update BEFORE UPDATE ON assessment_entries
BEGIN
    SELECT RAISE(ABORT, 'the assessment entries are append-only');
END;
CREATE TRIGGER assessment_entries_no_delete BEFORE DELETE ON assessment_entries
BEGIN
    SELECT RAISE(ABORT, 'the assessment entries are append-only');
END;

-- The consequences the ladders fired (core/consequence.c): ladder 'letter'
-- (专函督办), 'talk' (约谈) or 'criticism' (通报批评) for a unit in a period
-- ('YYYY-MM' or 'YYYY-Qn'), once: the UNIQUE key is what makes it fire once.
CREATE TABLE consequences (
    id      INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    ladder  TEXT NOT NULL CHECK (ladder IN ('letter','talk','criticism')),
    period  TEXT NOT NULL,
    count   INTEGER NOT NULL,
    at      BIGINT NOT NULL,
    UNIQUE (unit_id, ladder, period)
);
