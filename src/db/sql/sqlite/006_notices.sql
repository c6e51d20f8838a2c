-- 006_notices: supervision notices (督查通报, src/notice/) — the per-item
-- facts the figures are computed from, kept by triggers on the events table,
-- and the issued notices, immutable and hash-chained.  The PostgreSQL twin is
-- src/db/sql/pg/006_notices.sql and must describe the same tables.
-- Timestamps are BIGINT milliseconds; dates 'YYYY-MM-DD' in city time.

-- One row per item that was ever assigned: the moments of the loop a notice
-- counts (docs/notices.md), copied from the events as they are appended, so
-- that a city-wide notice reads one row per item instead of its whole chain.
--   first_assigned_at  the first 'assign' (the item counts in that period)
--   assigned_at        the latest 'assign'
--   accepted_at        the first 'accept'; accept_from the latest 'assign' before it
--   done_at            the first 'verify' (销号)
--   rejects            'reject' events (退办), extensions 'approve_extension' events
CREATE TABLE item_facts (
    item_id           INTEGER PRIMARY KEY REFERENCES items(id),
    first_assigned_at BIGINT NOT NULL,
    assigned_at       BIGINT NOT NULL,
    accepted_at       BIGINT,
    accept_from       BIGINT,
    done_at           BIGINT,
    rejects           INTEGER NOT NULL DEFAULT 0,
    extensions        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX item_facts_assigned ON item_facts(first_assigned_at);

CREATE TRIGGER item_facts_assign AFTER INSERT ON events WHEN NEW.action = 'assign'
BEGIN
    INSERT INTO item_facts (item_id, first_assigned_at, assigned_at)
    VALUES (NEW.item_id, NEW.at, NEW.at)
    ON CONFLICT (item_id) DO UPDATE SET assigned_at = excluded.assigned_at;
END;
CREATE TRIGGER item_facts_accept AFTER INSERT ON events WHEN NEW.action = 'accept'
BEGIN
    UPDATE item_facts SET accepted_at = NEW.at, accept_from = assigned_at
    WHERE item_id = NEW.item_id AND accepted_at IS NULL;
END;
CREATE TRIGGER item_facts_verify AFTER INSERT ON events WHEN NEW.action = 'verify'
BEGIN
    UPDATE item_facts SET done_at = NEW.at WHERE item_id = NEW.item_id AND done_at IS NULL;
END;
CREATE TRIGGER item_facts_reject AFTER INSERT ON events WHEN NEW.action = 'reject'
BEGIN
    UPDATE item_facts SET rejects = rejects + 1 WHERE item_id = NEW.item_id;
END;
CREATE TRIGGER item_facts_extension AFTER INSERT ON events WHEN NEW.action = 'approve_extension'
BEGIN
    UPDATE item_facts SET extensions = extensions + 1 WHERE item_id = NEW.item_id;
END;

-- The facts of what was there before this migration.
INSERT INTO item_facts (item_id, first_assigned_at, assigned_at, accepted_at, done_at, rejects,
                        extensions)
SELECT item_id,
       min(CASE WHEN action = 'assign' THEN at END),
       max(CASE WHEN action = 'assign' THEN at END),
       min(CASE WHEN action = 'accept' THEN at END),
       min(CASE WHEN action = 'verify' THEN at END),
       sum(CASE WHEN action = 'reject' THEN 1 ELSE 0 END),
       sum(CASE WHEN action = 'approve_extension' THEN 1 ELSE 0 END)
FROM events GROUP BY item_id
HAVING min(CASE WHEN action = 'assign' THEN at END) IS NOT NULL;
UPDATE item_facts SET accept_from = (SELECT max(e.at) FROM events e WHERE e.item_id =
    item_facts.item_id AND e.action = 'assign' AND e.at <= item_facts.accepted_at)
WHERE accepted_at IS NOT NULL;

-- Expected feedback by its date (feedback_due, feedback_on_time).
CREATE INDEX feedback_due ON feedback(due);
CREATE INDEX items_feedback_due ON items(feedback_due);

-- Issued notices: a row is written once and never changed (the triggers
-- below refuse UPDATE and DELETE).  The row is the issuing event: who, when,
-- the parameters, the outputs exactly as issued (xlsx as base64) with the
-- SHA-256 of each, and a chain over all notices:
--   hash = hex SHA-256(prev_hash || canonical JSON of the row's other fields)
-- (src/notice/issue.c), prev_hash being the previous notice's hash ('' first).
CREATE TABLE notices (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE,          -- 〔2030〕3号
    year        INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL,
    unit_id     INTEGER REFERENCES units(id),  -- NULL: the whole city
    title       TEXT NOT NULL,
    issued_by   INTEGER REFERENCES users(id),
    issued_at   BIGINT NOT NULL,
    json        TEXT NOT NULL,
    html        TEXT NOT NULL,
    csv         TEXT NOT NULL,
    xlsx        TEXT NOT NULL,
    json_sha256 TEXT NOT NULL,
    html_sha256 TEXT NOT NULL,
    csv_sha256  TEXT NOT NULL,
    xlsx_sha256 TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    UNIQUE (year, seq)
);
CREATE TRIGGER notices_no_update BEFORE UPDATE ON notices
BEGIN
    SELECT RAISE(ABORT, 'issued notices are immutable');
END;
CREATE TRIGGER notices_no_delete BEFORE DELETE ON notices
BEGIN
    SELECT RAISE(ABORT, 'issued notices are immutable');
END;

-- The 签收 limit: an assigned item counts as accepted on time when accepted
-- within this many working days after the day it was assigned.
INSERT INTO settings (key, value) VALUES ('notice.accept_working_days', '1'),
    ('notice.office', '市委督查室');
