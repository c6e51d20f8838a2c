-- 003_scheduler: what the scheduler (core/scheduler.c) keeps — markers of
-- the runs it has done, of the steps it took on each item, the deduction
-- ledger for the units' assessment (考核), the monthly light history — and
-- its rules as settings.  The PostgreSQL twin is
-- src/db/sql/pg/003_scheduler.sql and must describe the same tables.

-- One row per job and period it ran for ('daily' per 'YYYY-MM-DD'), written
-- in the same transaction as the job's work: a job finding its row skips.
CREATE TABLE jobs_done (
    job    TEXT NOT NULL,
    period TEXT NOT NULL,
    at     BIGINT NOT NULL,
    PRIMARY KEY (job, period)
);

-- The scheduler's steps on an item, once each: 'urge_overdue' (ref = the
-- deadline that passed) and 'urge_feedback' (ref = the expected feedback
-- date that passed).  A new deadline or due date is a new step.
CREATE TABLE auto_steps (
    item_id INTEGER NOT NULL REFERENCES items(id),
    step    TEXT NOT NULL,
    ref     TEXT NOT NULL,
    at      BIGINT NOT NULL,
    PRIMARY KEY (item_id, step, ref)
);

-- Deductions (扣分) for the units' assessment, as the rules in settings
-- produce them: the system records, people decide.  rule 'late_feedback'
-- (ref = the missed feedback date) or 'overdue' (ref = the missed deadline).
CREATE TABLE deductions (
    id      INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    item_id INTEGER NOT NULL REFERENCES items(id),
    rule    TEXT NOT NULL CHECK (rule IN ('late_feedback','overdue')),
    ref     TEXT NOT NULL,
    points  REAL NOT NULL,
    at      BIGINT NOT NULL,
    note    TEXT NOT NULL DEFAULT '',
    UNIQUE (item_id, rule, ref)
);
CREATE INDEX deductions_unit ON deductions(unit_id, at);

-- The light of each item per month ('YYYY-MM'): written every day the
-- scheduler runs, so a past month's row holds its last day's light.
CREATE TABLE light_history (
    item_id INTEGER NOT NULL REFERENCES items(id),
    month   TEXT NOT NULL,
    light   TEXT NOT NULL CHECK (light IN ('green','yellow','red','none')),
    PRIMARY KEY (item_id, month)
);
CREATE INDEX light_history_month ON light_history(month, light);

-- The rules (docs/lifecycle.md, "The scheduler").  Escalation thresholds are
-- working days past the deadline (0 turns a step off); deductions are points
-- (0 turns a rule off); urges 1 on, 0 off.
INSERT INTO settings (key, value) VALUES
    ('scheduler.urge_overdue', '1'),
    ('scheduler.urge_feedback', '1'),
    ('escalation.general_after', '3'),
    ('escalation.key_after', '10'),
    ('escalation.listed_after', '20'),
    ('deduction.late_feedback', '-1'),
    ('deduction.overdue', '-2');
