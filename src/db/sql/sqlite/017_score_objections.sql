-- 017_score_objections: the 考核's evidence and objections
-- (core/assessment.c, core/assessment_objection.c).  The PostgreSQL twin is
-- src/db/sql/pg/017_score_objections.sql and must describe the same tables.
--
-- evidence: what a manual entry rests on, a reference text or URL (a
-- document number, a meeting's minutes, a link), shown in the drill-down.
ALTER TABLE assessment_entries ADD COLUMN evidence TEXT;

-- A unit's objection (异议) to one manual entry of its own, once per entry
-- (the UNIQUE entry_id), decided by the office once: accepted with a
-- counter-entry (counter_entry_id, a withdrawal of the entry) or rejected
-- with a reason.  Rows are never deleted; the only change is the decision
-- of a pending objection.  Both tables are sections of the configuration
-- chain (core/config_chain.c), so `luoshi verify` names a row changed
-- behind its back.
CREATE TABLE assessment_objections (
    id               INTEGER PRIMARY KEY,
    entry_id         INTEGER NOT NULL UNIQUE REFERENCES assessment_entries(id),
    unit_id          INTEGER NOT NULL REFERENCES units(id),
    text             TEXT NOT NULL,
    actor_id         INTEGER REFERENCES users(id),
    actor            TEXT NOT NULL,
    at               BIGINT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending','accepted','rejected')),
    decision_reason  TEXT,
    decided_by       TEXT,
    decided_at       BIGINT,
    counter_entry_id INTEGER REFERENCES assessment_entries(id)
);
CREATE INDEX assessment_objections_status ON assessment_objections(status, id);
CREATE TRIGGER assessment_objections_no_delete BEFORE DELETE ON assessment_objections
BEGIN
    SELECT RAISE(ABORT, 'the assessment objections are kept');
END;
CREATE TRIGGER assessment_objections_decided_once BEFORE UPDATE ON assessment_objections
WHEN OLD.status <> 'pending' OR NEW.entry_id <> OLD.entry_id OR NEW.text <> OLD.text
    OR NEW.unit_id <> OLD.unit_id OR NEW.at <> OLD.at
BEGIN
    SELECT RAISE(ABORT, 'an objection is decided once, and its text never changes');
END;
