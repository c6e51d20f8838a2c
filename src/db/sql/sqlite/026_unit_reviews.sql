-- 026_unit_reviews: review before a unit reports (issue 18 part 5;
-- docs/chain.md).  The PostgreSQL twin is src/db/sql/pg/026_unit_reviews.sql
-- and must describe the same table.
--
-- A unit whose setting unit.review_reports.<CODE> is "1" (a settings row,
-- so the configuration chain records who turned it on) holds the feedback
-- and submissions its clerks write: each is a row here, pending, until a
-- head of the unit (a user of the unit with the role head) approves it
-- (the action then runs as the clerk's, at that moment, and the office
-- sees it) or sends it back with a reason.  body is the action's JSON body
-- as the clerk sent it.  Nothing of a pending row is on the item yet.
CREATE TABLE unit_reviews (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items(id),
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    action      TEXT NOT NULL CHECK (action IN ('feedback','submit')),
    body        TEXT NOT NULL,
    author_id   INTEGER NOT NULL REFERENCES users(id),
    written_at  BIGINT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending','approved','returned')),
    reviewer_id INTEGER REFERENCES users(id),
    reviewed_at BIGINT,
    reason      TEXT
);
CREATE INDEX unit_reviews_unit ON unit_reviews(unit_id, status, id);
CREATE INDEX unit_reviews_author ON unit_reviews(author_id, item_id, id);
