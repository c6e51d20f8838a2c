-- 009_list_counts: what lets item lists and their counts answer without
-- walking the rows (core/item.c, core/item_count.c; docs/api.md).  The
-- PostgreSQL twin is src/db/sql/pg/009_list_counts.sql.
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

-- The lights counted from their date boundaries (core/light.h, LIGHT_SQL):
-- each index holds, per status, one of the dates a light turns on, so a
-- count is a range of entries as long as the items of that light.
CREATE INDEX items_status_deadline ON items(status, deadline, behind_red_on);
CREATE INDEX items_behind_red ON items(status, behind_red_on, deadline);
CREATE INDEX items_feedback_late ON items(status, feedback_due, deadline, behind_red_on);
CREATE INDEX items_behind_yellow ON items(status, behind_yellow_on, feedback_due, deadline,
                                          behind_red_on);

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
-- event, so the newest event id is one.
CREATE VIEW data_stamp AS SELECT coalesce(max(id), 0) AS stamp FROM events;
