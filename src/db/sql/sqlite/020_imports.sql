-- 020_imports: a 任务分解表 loaded in one go (core/import.c).  The PostgreSQL
-- twin is src/db/sql/pg/020_imports.sql and must describe the same tables.
--
-- One row per stored import, with the SHA-256 of the file's bytes (an import
-- of the same bytes again is refused); each item it created is linked to it
-- with its row in the sheet.  The items' 'create' events carry the same
-- import id, row and hash: the chain's record, this table a convenience.
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    format      TEXT NOT NULL CHECK (format IN ('xlsx', 'csv')),
    rows        INTEGER NOT NULL CHECK (rows > 0),
    created_by  INTEGER REFERENCES users(id),
    created_at  BIGINT NOT NULL
);

CREATE TABLE import_items (
    item_id     INTEGER PRIMARY KEY REFERENCES items(id),
    import_id   INTEGER NOT NULL REFERENCES imports(id),
    sheet_row   INTEGER NOT NULL
);
CREATE INDEX import_items_import ON import_items(import_id, sheet_row);
