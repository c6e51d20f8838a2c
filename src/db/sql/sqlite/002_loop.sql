-- 002_loop: the supervision loop — the working-day calendar, feedback,
-- extension requests, urges, escalations, instructions, the item columns the
-- loop keeps, and the default light rules.  The PostgreSQL twin is
-- src/db/sql/pg/002_loop.sql and must describe the same tables.
-- Dates are 'YYYY-MM-DD' text in city time; timestamps BIGINT milliseconds.

-- The days that break the Monday-to-Friday rule: official holidays (放假) and
-- adjusted working days (调休上班).  Every other day is a working day exactly
-- when it is a weekday.
CREATE TABLE calendar_days (
    day  TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('holiday','workday')),
    name TEXT NOT NULL DEFAULT ''
);

-- What the loop keeps on the item.  The three dates are computed by
-- core/action.c with the calendar whenever what they depend on changes, so
-- that lights stay plain comparisons in SQL (core/light.h).
ALTER TABLE items ADD COLUMN assigned_on TEXT;      -- day of the latest assignment: the schedule's start
ALTER TABLE items ADD COLUMN suspended_from TEXT;   -- the status before suspend; resume restores it
ALTER TABLE items ADD COLUMN escalation INTEGER NOT NULL DEFAULT 0; -- 0 none, 1 一般, 2 重点, 3 挂牌
ALTER TABLE items ADD COLUMN feedback_due TEXT;     -- the next expected feedback (NULL: no cycle)
ALTER TABLE items ADD COLUMN behind_yellow_on TEXT; -- first day progress is behind schedule by the yellow margin
ALTER TABLE items ADD COLUMN behind_red_on TEXT;    -- first day progress is behind schedule by the red margin

-- Progress reports (反馈): the lead unit's (is_lead = 1, may carry progress and
-- the metric's value) and cooperating units' notes (is_lead = 0).
CREATE TABLE feedback (
    id           INTEGER PRIMARY KEY,
    item_id      INTEGER NOT NULL REFERENCES items(id),
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    user_id      INTEGER REFERENCES users(id),
    at           BIGINT NOT NULL,
    is_lead      INTEGER NOT NULL,
    text         TEXT NOT NULL,
    progress     INTEGER,            -- NULL when not reported
    metric_value REAL,               -- NULL when not reported
    due          TEXT,               -- the expected date this report answered (NULL: no cycle)
    late         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX feedback_item ON feedback(item_id, id);

-- Extension requests (延期申请) and their decisions.
CREATE TABLE extensions (
    id            INTEGER PRIMARY KEY,
    item_id       INTEGER NOT NULL REFERENCES items(id),
    requested_by  INTEGER REFERENCES users(id),
    requested_at  BIGINT NOT NULL,
    old_deadline  TEXT NOT NULL,
    new_deadline  TEXT NOT NULL,
    reason        TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending','approved','denied','withdrawn')),
    decided_by    INTEGER REFERENCES users(id),
    decided_at    BIGINT,
    decision_text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX extensions_item ON extensions(item_id, id);

-- Urges (催办); user_id NULL and auto = 1 for the scheduler's.
CREATE TABLE urges (
    id      INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    user_id INTEGER REFERENCES users(id),
    at      BIGINT NOT NULL,
    text    TEXT NOT NULL,
    auto    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX urges_item ON urges(item_id, id);

-- Escalations (督办): level 1 一般 (general), 2 重点 (key), 3 挂牌 (listed).
CREATE TABLE escalations (
    id      INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    user_id INTEGER REFERENCES users(id),
    at      BIGINT NOT NULL,
    level   INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
    text    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX escalations_item ON escalations(item_id, id);

-- Leaders' instructions (批示).
CREATE TABLE instructions (
    id      INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    user_id INTEGER REFERENCES users(id),
    at      BIGINT NOT NULL,
    text    TEXT NOT NULL
);
CREATE INDEX instructions_item ON instructions(item_id, id);

-- The light rules (core/light.h), editable as settings.
INSERT INTO settings (key, value) VALUES
    ('light.warn_working_days', '3'),
    ('light.behind_yellow', '10'),
    ('light.behind_red', '30');
