-- 019_red_set_stamps: the red list read a page at a time, and stamps
-- that let the server keep resolved sessions and the 考核 card in memory.  The
-- PostgreSQL twin is src/db/sql/pg/019_red_set_stamps.sql.
--
-- red_items holds every item whose red_on (migration 010) is on or before
-- red_horizon's day, kept by triggers on every write path; the scheduler
-- moves the horizon to its day once a day (core/item_count.c,
-- item_red_advance).  On day t the red items are red_items ∩ red_on <= t
-- plus the items with red_on in (horizon, t] (none once the day has run, a
-- few before): the first part is read newest first by its key, so the red
-- list reads a page of ids instead of the whole red range (about 6,400
-- index entries a request over a city of 100,000 items).  A horizon later
-- than t (a clock set back) only adds items the list's red_on <= t drops.
CREATE TABLE red_horizon (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    day TEXT NOT NULL
);
INSERT INTO red_horizon (id, day) VALUES (1, date('now'));
CREATE TABLE red_items (
    id INTEGER PRIMARY KEY
);
INSERT INTO red_items (id)
SELECT id FROM items WHERE red_on <= (SELECT day FROM red_horizon WHERE id = 1);
-- red_on is set by an UPDATE of the items' own triggers, an insert's too
CREATE TRIGGER red_items_update AFTER UPDATE OF red_on ON items
WHEN OLD.red_on IS NOT NEW.red_on
BEGIN
    DELETE FROM red_items WHERE id = OLD.id;
    INSERT INTO red_items (id) SELECT NEW.id
    WHERE NEW.red_on <= (SELECT day FROM red_horizon WHERE id = 1);
END;
CREATE TRIGGER red_items_delete AFTER DELETE ON items
BEGIN
    DELETE FROM red_items WHERE id = OLD.id;
END;

-- session_stamp: a random value replaced at every change that can end or
-- change a resolved session (a session revoked or removed; a user's
-- password, roles, unit or disabled flag changed), whoever makes it (the
-- server, another instance, the CLI, plain SQL).  core/session.c keeps
-- resolved tokens in memory under it: a request reads this one row instead
-- of the session joined with its user, and a revocation is seen by the very
-- next request.  A new session changes nothing: it is not remembered yet.
CREATE TABLE session_stamp (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    stamp BIGINT NOT NULL
);
INSERT INTO session_stamp (id, stamp) VALUES (1, random());
CREATE TRIGGER session_stamp_sessions_update AFTER UPDATE ON sessions
BEGIN
    UPDATE session_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER session_stamp_sessions_delete AFTER DELETE ON sessions
BEGIN
    UPDATE session_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER session_stamp_users_update AFTER UPDATE ON users
BEGIN
    UPDATE session_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER session_stamp_users_delete AFTER DELETE ON users
BEGIN
    UPDATE session_stamp SET stamp = random() WHERE id = 1;
END;

-- score_stamp: a random value replaced at every write to what the yearly
-- 考核 score is computed from (core/assessment_score.c): the deductions
-- ledger, escalations, the manual entries and their objections, the
-- consequences, the units, the events that score (a reject, a rating, a
-- signing) and an item's title or lead unit; the rules and the calendar
-- are under config_stamp.  The dashboard's 考核 card is kept under the two
-- (web/assessment.c) instead of recomputing the year per view.  Creating
-- or acting on an item otherwise leaves it alone.
CREATE TABLE score_stamp (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    stamp BIGINT NOT NULL
);
INSERT INTO score_stamp (id, stamp) VALUES (1, random());
CREATE TRIGGER score_stamp_events AFTER INSERT ON events
WHEN NEW.action IN ('reject','rate','accept')
BEGIN
    UPDATE score_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER score_stamp_items AFTER UPDATE OF title, lead_unit_id ON items
WHEN OLD.title IS NOT NEW.title OR OLD.lead_unit_id IS NOT NEW.lead_unit_id
BEGIN
    UPDATE score_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER score_stamp_escalations_insert AFTER INSERT ON escalations
BEGIN
    UPDATE score_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER score_stamp_escalations_update AFTER UPDATE ON escalations
BEGIN
    UPDATE score_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER score_stamp_escalations_delete AFTER DELETE ON escalations
BEGIN
    UPDATE score_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER score_stamp_deductions_insert AFTER INSERT ON deductions
BEGIN
    UPDATE score_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER score_stamp_deductions_update AFTER UPDATE ON deductions
BEGIN
    UPDATE score_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER score_stamp_deductions_delete AFTER DELETE ON deductions
BEGIN
    UPDATE score_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER score_stamp_assessment_entries_insert AFTER INSERT ON assessment_entries
BEGIN
    UPDATE score_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER score_stamp_assessment_entries_update AFTER UPDATE ON assessment_entries
BEGIN
    UPDATE score_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER score_stamp_assessment_entries_delete AFTER DELETE ON assessment_entries
BEGIN
    UPDATE score_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER score_stamp_consequences_insert AFTER INSERT ON consequences
BEGIN
    UPDATE score_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER score_stamp_consequences_update AFTER UPDATE ON consequences
BEGIN
    UPDATE score_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER score_stamp_consequences_delete AFTER DELETE ON consequences
BEGIN
    UPDATE score_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER score_stamp_units_insert AFTER INSERT ON units
BEGIN
    UPDATE score_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER score_stamp_units_update AFTER UPDATE ON units
BEGIN
    UPDATE score_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER score_stamp_units_delete AFTER DELETE ON units
BEGIN
    UPDATE score_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER score_stamp_assessment_objections_insert AFTER INSERT ON assessment_objections
BEGIN
    UPDATE score_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER score_stamp_assessment_objections_update AFTER UPDATE ON assessment_objections
BEGIN
    UPDATE score_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER score_stamp_assessment_objections_delete AFTER DELETE ON assessment_objections
BEGIN
    UPDATE score_stamp SET stamp = random() WHERE id = 1;
END;
