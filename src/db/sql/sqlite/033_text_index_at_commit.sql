-- 033_text_index_at_commit: the text index (items_fts, migration 010) is
-- written once per transaction instead of once per row.  SQLite's FTS5
-- writes what it holds to disk at every savepoint, and the server's writer
-- opens one for each job of a batch (every statement that fires triggers
-- opens one too): each item created wrote a segment of the index of its own
-- and merged it, a tenth of a create's CPU (bench/README.md, issue 25, ninth
-- round).  The triggers now note the rows to index or take out in
-- items_fts_pending; the driver (src/db/sqlite.c) moves them into items_fts,
-- in order, just before each COMMIT, and after a write made outside any
-- transaction, so the table is empty between transactions.  A search also
-- checks its LIKE on each row, so it finds exactly what it found before.
-- PostgreSQL has no such index (pg_trgm); its twin changes nothing.
CREATE TABLE items_fts_pending (
    seq         INTEGER PRIMARY KEY,
    command     TEXT,   -- NULL: index the text; 'delete': take it out
    item_id     INTEGER NOT NULL,
    title       TEXT,
    description TEXT
);
DROP TRIGGER items_fts_insert;
DROP TRIGGER items_fts_delete;
DROP TRIGGER items_fts_update;
CREATE TRIGGER items_fts_insert AFTER INSERT ON items
BEGIN
    INSERT INTO items_fts_pending (command, item_id, title, description)
    VALUES (NULL, NEW.id, NEW.title, NEW.description);
END;
CREATE TRIGGER items_fts_delete AFTER DELETE ON items
BEGIN
    INSERT INTO items_fts_pending (command, item_id, title, description)
    VALUES ('delete', OLD.id, OLD.title, OLD.description);
END;
CREATE TRIGGER items_fts_update AFTER UPDATE OF title, description ON items
BEGIN
    INSERT INTO items_fts_pending (command, item_id, title, description)
    VALUES ('delete', OLD.id, OLD.title, OLD.description);
    INSERT INTO items_fts_pending (command, item_id, title, description)
    VALUES (NULL, NEW.id, NEW.title, NEW.description);
END;
