-- 014_requests: the enterprise request (企业诉求, DESIGN.md "Requests";
-- docs/requests.md) — its categories with their time limits in working
-- days (an editable table), and one row per item of kind request with what
-- the request adds: who asked, through which channel, the reply (答复), the
-- requester's rating and the office's follow-up (回访).  The PostgreSQL twin
-- is src/db/sql/pg/014_requests.sql and must describe the same tables.

-- The categories: limit_days working days from assignment to the reply
-- (0: the same day).  Changed by an admin through the configuration chain.
CREATE TABLE request_categories (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    limit_days INTEGER NOT NULL CHECK (limit_days BETWEEN 0 AND 60),
    sort       INTEGER NOT NULL DEFAULT 0
);
INSERT INTO request_categories (code, name, name_en, limit_days, sort) VALUES
    ('urgent', '紧急诉求', 'Urgent', 0, 1),
    ('consult', '政策咨询', 'Consultation', 3, 2),
    ('help', '求助', 'Help', 5, 3),
    ('complaint', '投诉', 'Complaint', 13, 4),
    ('suggestion', '意见建议', 'Suggestion', 13, 5);

-- One row per item of kind request.  requester_unit_id is the enterprise
-- (or institution) that asked; requester_id the user who filed it when the
-- enterprise filed it itself; filed_on the day it came in, assigned_on and
-- accepted_on the days of the last round's assignment (a redo is one) and
-- of the lead unit's signing for it (签收).  reply is the lead unit's answer, shown to the
-- requester; rating one of three, given once per round (a redo clears it);
-- redo_count the times the office sent it back after an unsatisfied rating.
CREATE TABLE requests (
    item_id           INTEGER PRIMARY KEY REFERENCES items(id),
    category          TEXT NOT NULL REFERENCES request_categories(code),
    channel           TEXT NOT NULL
                      CHECK (channel IN ('web','phone','12345','visit','symposium','open311')),
    requester_unit_id INTEGER NOT NULL REFERENCES units(id),
    filed_on          TEXT NOT NULL,
    assigned_on       TEXT,
    accepted_on       TEXT,
    requester_id      INTEGER REFERENCES users(id),
    reply             TEXT,
    replied_on        TEXT,
    done_on           TEXT,
    rating            TEXT CHECK (rating IN ('satisfied','basic','unsatisfied')),
    rating_comment    TEXT NOT NULL DEFAULT '',
    rated_on          TEXT,
    follow_up         TEXT,
    followed_up_on    TEXT,
    explanation       TEXT,
    redo_count        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX requests_requester ON requests(requester_unit_id, item_id);
