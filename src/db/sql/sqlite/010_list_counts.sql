-- 010_list_counts: what lets item lists and their counts answer without
-- walking the rows (core/item.c, core/item_count.c; docs/api.md).  The
-- PostgreSQL twin is src/db/sql/pg/010_list_counts.sql.
--
-- item_tally: how many items there are per lead unit (0: none), kind and
-- status, kept by triggers on items, so that every write path (core, the
-- scheduler, imports, plain SQL) keeps it.  shard spreads one key over
-- several rows so that concurrent writers on PostgreSQL do not queue on one
-- row (each connection adds to its own); a count is the sum over the shards.
-- SQLite has one writer and always uses shard 0.
CREATE TABLE item_tally (
    unit_id INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    status  TEXT NOT NULL,
    shard   INTEGER NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (unit_id, kind, status, shard)
);

CREATE TRIGGER item_tally_insert AFTER INSERT ON items
BEGIN
    INSERT INTO item_tally (unit_id, kind, status, shard, n)
    VALUES (coalesce(NEW.lead_unit_id, 0), NEW.kind, NEW.status, 0, 1)
    ON CONFLICT (unit_id, kind, status, shard) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER item_tally_update AFTER UPDATE OF lead_unit_id, kind, status ON items
WHEN coalesce(OLD.lead_unit_id, 0) <> coalesce(NEW.lead_unit_id, 0) OR OLD.kind <> NEW.kind
     OR OLD.status <> NEW.status
BEGIN
    INSERT INTO item_tally (unit_id, kind, status, shard, n)
    VALUES (coalesce(OLD.lead_unit_id, 0), OLD.kind, OLD.status, 0, -1)
    ON CONFLICT (unit_id, kind, status, shard) DO UPDATE SET n = n - 1;
    INSERT INTO item_tally (unit_id, kind, status, shard, n)
    VALUES (coalesce(NEW.lead_unit_id, 0), NEW.kind, NEW.status, 0, 1)
    ON CONFLICT (unit_id, kind, status, shard) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER item_tally_delete AFTER DELETE ON items
BEGIN
    INSERT INTO item_tally (unit_id, kind, status, shard, n)
    VALUES (coalesce(OLD.lead_unit_id, 0), OLD.kind, OLD.status, 0, -1)
    ON CONFLICT (unit_id, kind, status, shard) DO UPDATE SET n = n - 1;
END;

INSERT INTO item_tally (unit_id, kind, status, shard, n)
SELECT coalesce(lead_unit_id, 0), kind, status, 0, count(*) FROM items GROUP BY 1, 2, 3;

-- The open work of a status by deadline (the inbox's overdue and due soon),
-- with what decides a light inside the warning window (core/item_count.c).
CREATE INDEX items_status_deadline ON items(status, deadline, behind_red_on, feedback_due,
                                           behind_yellow_on);
-- A unit's items of a status, newest first (a handler's inbox, core/inbox.c).
CREATE INDEX items_status_unit ON items(status, lead_unit_id, id);

-- The lights' date boundaries.  An item with a light (not closed, not
-- suspended) turns red on red_on = the day after its deadline, or for open
-- work the day it falls behind by the red margin, whichever comes first;
-- and turns yellow or red on lit_on = red_on, or for open work the day
-- after a feedback was due or the day it falls behind by the yellow margin,
-- whichever comes first ('9999-12-31': never, and for items without a
-- light).  On day t an item is red when red_on <= t; yellow when not red
-- and lit_on <= t or its deadline falls within the warning window; else
-- green (LIGHT_SQL in core/light.h says the same from the columns).  The
-- two are columns that triggers keep (a generated column's index would not
-- cover them in SQLite 3.40: every list would read its rows), indexed for
-- the lists of one light, and counted per day in light_days (and shard, as
-- in item_tally) by triggers, so a light's count is a sum over the days up
-- to today.  core/item_count.c.
ALTER TABLE items ADD COLUMN red_on TEXT;
ALTER TABLE items ADD COLUMN lit_on TEXT;
CREATE TRIGGER items_light_insert AFTER INSERT ON items
BEGIN
    UPDATE items SET red_on = CASE WHEN NEW.status IN ('draft','assigned','accepted','in_progress','submitted','returned') THEN min(coalesce(date(NEW.deadline, '+1 day'), '9999-12-31'), CASE WHEN NEW.status IN ('assigned','accepted','in_progress') THEN coalesce(NEW.behind_red_on, '9999-12-31') ELSE '9999-12-31' END) ELSE '9999-12-31' END,
                     lit_on = CASE WHEN NEW.status IN ('draft','assigned','accepted','in_progress','submitted','returned') THEN min(min(coalesce(date(NEW.deadline, '+1 day'), '9999-12-31'), CASE WHEN NEW.status IN ('assigned','accepted','in_progress') THEN coalesce(NEW.behind_red_on, '9999-12-31') ELSE '9999-12-31' END), CASE WHEN NEW.status IN ('assigned','accepted','in_progress') THEN min(coalesce(date(NEW.feedback_due, '+1 day'), '9999-12-31'), coalesce(NEW.behind_yellow_on, '9999-12-31')) ELSE '9999-12-31' END) ELSE '9999-12-31' END
    WHERE id = NEW.id;
END;
CREATE TRIGGER items_light_update AFTER UPDATE OF status, deadline, behind_red_on, feedback_due,
    behind_yellow_on ON items
BEGIN
    UPDATE items SET red_on = CASE WHEN NEW.status IN ('draft','assigned','accepted','in_progress','submitted','returned') THEN min(coalesce(date(NEW.deadline, '+1 day'), '9999-12-31'), CASE WHEN NEW.status IN ('assigned','accepted','in_progress') THEN coalesce(NEW.behind_red_on, '9999-12-31') ELSE '9999-12-31' END) ELSE '9999-12-31' END,
                     lit_on = CASE WHEN NEW.status IN ('draft','assigned','accepted','in_progress','submitted','returned') THEN min(min(coalesce(date(NEW.deadline, '+1 day'), '9999-12-31'), CASE WHEN NEW.status IN ('assigned','accepted','in_progress') THEN coalesce(NEW.behind_red_on, '9999-12-31') ELSE '9999-12-31' END), CASE WHEN NEW.status IN ('assigned','accepted','in_progress') THEN min(coalesce(date(NEW.feedback_due, '+1 day'), '9999-12-31'), coalesce(NEW.behind_yellow_on, '9999-12-31')) ELSE '9999-12-31' END) ELSE '9999-12-31' END
    WHERE id = NEW.id;
END;
UPDATE items SET red_on = CASE WHEN items.status IN ('draft','assigned','accepted','in_progress','submitted','returned') THEN min(coalesce(date(items.deadline, '+1 day'), '9999-12-31'), CASE WHEN items.status IN ('assigned','accepted','in_progress') THEN coalesce(items.behind_red_on, '9999-12-31') ELSE '9999-12-31' END) ELSE '9999-12-31' END,
                 lit_on = CASE WHEN items.status IN ('draft','assigned','accepted','in_progress','submitted','returned') THEN min(min(coalesce(date(items.deadline, '+1 day'), '9999-12-31'), CASE WHEN items.status IN ('assigned','accepted','in_progress') THEN coalesce(items.behind_red_on, '9999-12-31') ELSE '9999-12-31' END), CASE WHEN items.status IN ('assigned','accepted','in_progress') THEN min(coalesce(date(items.feedback_due, '+1 day'), '9999-12-31'), coalesce(items.behind_yellow_on, '9999-12-31')) ELSE '9999-12-31' END) ELSE '9999-12-31' END;
CREATE INDEX items_red_on ON items(red_on);
CREATE INDEX items_lit_on ON items(lit_on);

CREATE TABLE light_days (
    day   TEXT NOT NULL,
    shard INTEGER NOT NULL,
    red   INTEGER NOT NULL,
    lit   INTEGER NOT NULL,
    PRIMARY KEY (day, shard)
);
-- (every item counts, those without a light on the never day)
CREATE TRIGGER light_days_update AFTER UPDATE OF red_on, lit_on ON items
WHEN OLD.red_on IS NOT NEW.red_on OR OLD.lit_on IS NOT NEW.lit_on
BEGIN
    INSERT INTO light_days (day, shard, red, lit) SELECT OLD.red_on, 0, -1, 0
    WHERE OLD.red_on IS NOT NULL
    ON CONFLICT (day, shard) DO UPDATE SET red = red + excluded.red;
    INSERT INTO light_days (day, shard, red, lit) SELECT OLD.lit_on, 0, 0, -1
    WHERE OLD.lit_on IS NOT NULL
    ON CONFLICT (day, shard) DO UPDATE SET lit = lit + excluded.lit;
    INSERT INTO light_days (day, shard, red, lit) VALUES (NEW.red_on, 0, 1, 0)
    ON CONFLICT (day, shard) DO UPDATE SET red = red + excluded.red;
    INSERT INTO light_days (day, shard, red, lit) VALUES (NEW.lit_on, 0, 0, 1)
    ON CONFLICT (day, shard) DO UPDATE SET lit = lit + excluded.lit;
END;
CREATE TRIGGER light_days_delete AFTER DELETE ON items
BEGIN
    INSERT INTO light_days (day, shard, red, lit) VALUES (OLD.red_on, 0, -1, 0)
    ON CONFLICT (day, shard) DO UPDATE SET red = red + excluded.red;
    INSERT INTO light_days (day, shard, red, lit) VALUES (OLD.lit_on, 0, 0, -1)
    ON CONFLICT (day, shard) DO UPDATE SET lit = lit + excluded.lit;
END;
INSERT INTO light_days (day, shard, red, lit)
SELECT day, 0, sum(red), sum(lit) FROM (
    SELECT red_on AS day, 1 AS red, 0 AS lit FROM items
    UNION ALL
    SELECT lit_on, 0, 1 FROM items) x
GROUP BY day;

-- The text index for q: trigrams of the title and the description, so that
-- any substring of three characters or more (CJK too) is found without
-- reading every item; kept by triggers; the list still checks its LIKE on
-- the row, so the index only narrows.  (PostgreSQL: pg_trgm.)
CREATE VIRTUAL TABLE items_fts USING fts5(title, description, content = 'items',
                                          content_rowid = 'id', tokenize = 'trigram');
CREATE TRIGGER items_fts_insert AFTER INSERT ON items
BEGIN
    INSERT INTO items_fts (rowid, title, description) VALUES (NEW.id, NEW.title, NEW.description);
END;
CREATE TRIGGER items_fts_delete AFTER DELETE ON items
BEGIN
    INSERT INTO items_fts (items_fts, rowid, title, description)
    VALUES ('delete', OLD.id, OLD.title, OLD.description);
END;
CREATE TRIGGER items_fts_update AFTER UPDATE OF title, description ON items
BEGIN
    INSERT INTO items_fts (items_fts, rowid, title, description)
    VALUES ('delete', OLD.id, OLD.title, OLD.description);
    INSERT INTO items_fts (rowid, title, description) VALUES (NEW.id, NEW.title, NEW.description);
END;
INSERT INTO items_fts (items_fts) VALUES ('rebuild');

-- The data stamp of the count cache (core/count_cache.h): a value that
-- changes with every commit that changes an item.  SQLite commits one
-- writer's transactions in order and every change to an item appends an
-- event, so the newest event id is one; the random config stamp (migration
-- 008) in its high bits tells two databases apart in one process.
CREATE VIEW data_stamp AS
SELECT (SELECT stamp FROM config_stamp WHERE id = 1) % 2147483647 * 4294967296
       + (SELECT coalesce(max(id), 0) FROM events) AS stamp;

-- facts_stamp: a stamp of what a supervision notice is computed from
-- (src/notice: item_facts, feedback, extensions, deductions, units, the
-- light history, an item's next expected feedback), so that the
-- dashboard's notice figures are computed again exactly when one of them
-- changed and not for every view (creating a draft changes none).  Every
-- write adds one to a row, so the sum over the rows changes with every
-- commit that wrote one; on PostgreSQL each connection adds to its own row
-- (shard), so writers do not wait on one another.  Read it with
-- SELECT sum(stamp) FROM facts_stamp.
CREATE TABLE facts_stamp (
    shard INTEGER PRIMARY KEY,
    stamp BIGINT NOT NULL
);
INSERT INTO facts_stamp (shard, stamp) VALUES (0, abs(random() % 1000000000)), (1, 0), (2, 0),
    (3, 0), (4, 0), (5, 0), (6, 0), (7, 0);
CREATE TRIGGER facts_stamp_item_facts_insert AFTER INSERT ON item_facts
BEGIN
    UPDATE facts_stamp SET stamp = stamp + 1 WHERE shard = 0;
END;
CREATE TRIGGER facts_stamp_item_facts_update AFTER UPDATE ON item_facts
BEGIN
    UPDATE facts_stamp SET stamp = stamp + 1 WHERE shard = 0;
END;
CREATE TRIGGER facts_stamp_item_facts_delete AFTER DELETE ON item_facts
BEGIN
    UPDATE facts_stamp SET stamp = stamp + 1 WHERE shard = 0;
END;
CREATE TRIGGER facts_stamp_feedback_insert AFTER INSERT ON feedback
BEGIN
    UPDATE facts_stamp SET stamp = stamp + 1 WHERE shard = 0;
END;
CREATE TRIGGER facts_stamp_feedback_update AFTER UPDATE ON feedback
BEGIN
    UPDATE facts_stamp SET stamp = stamp + 1 WHERE shard = 0;
END;
CREATE TRIGGER facts_stamp_feedback_delete AFTER DELETE ON feedback
BEGIN
    UPDATE facts_stamp SET stamp = stamp + 1 WHERE shard = 0;
END;
CREATE TRIGGER facts_stamp_extensions_insert AFTER INSERT ON extensions
BEGIN
    UPDATE facts_stamp SET stamp = stamp + 1 WHERE shard = 0;
END;
CREATE TRIGGER facts_stamp_extensions_update AFTER UPDATE ON extensions
BEGIN
    UPDATE facts_stamp SET stamp = stamp + 1 WHERE shard = 0;
END;
CREATE TRIGGER facts_stamp_extensions_delete AFTER DELETE ON extensions
BEGIN
    UPDATE facts_stamp SET stamp = stamp + 1 WHERE shard = 0;
END;
CREATE TRIGGER facts_stamp_deductions_insert AFTER INSERT ON deductions
BEGIN
    UPDATE facts_stamp SET stamp = stamp + 1 WHERE shard = 0;
END;
CREATE TRIGGER facts_stamp_deductions_update AFTER UPDATE ON deductions
BEGIN
    UPDATE facts_stamp SET stamp = stamp + 1 WHERE shard = 0;
END;
CREATE TRIGGER facts_stamp_deductions_delete AFTER DELETE ON deductions
BEGIN
    UPDATE facts_stamp SET stamp = stamp + 1 WHERE shard = 0;
END;
CREATE TRIGGER facts_stamp_units_insert AFTER INSERT ON units
BEGIN
    UPDATE facts_stamp SET stamp = stamp + 1 WHERE shard = 0;
END;
CREATE TRIGGER facts_stamp_units_update AFTER UPDATE ON units
BEGIN
    UPDATE facts_stamp SET stamp = stamp + 1 WHERE shard = 0;
END;
CREATE TRIGGER facts_stamp_units_delete AFTER DELETE ON units
BEGIN
    UPDATE facts_stamp SET stamp = stamp + 1 WHERE shard = 0;
END;
CREATE TRIGGER facts_stamp_light_history_insert AFTER INSERT ON light_history
BEGIN
    UPDATE facts_stamp SET stamp = stamp + 1 WHERE shard = 0;
END;
CREATE TRIGGER facts_stamp_light_history_update AFTER UPDATE ON light_history
BEGIN
    UPDATE facts_stamp SET stamp = stamp + 1 WHERE shard = 0;
END;
CREATE TRIGGER facts_stamp_light_history_delete AFTER DELETE ON light_history
BEGIN
    UPDATE facts_stamp SET stamp = stamp + 1 WHERE shard = 0;
END;
CREATE TRIGGER facts_stamp_items_feedback_due AFTER UPDATE OF feedback_due ON items
BEGIN
    UPDATE facts_stamp SET stamp = stamp + 1 WHERE shard = 0;
END;
