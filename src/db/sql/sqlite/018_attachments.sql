-- 018_attachments: evidence (佐证材料) on every step of an item
-- (core/attachment.c).  The PostgreSQL twin is src/db/sql/pg/018_attachments.sql
-- and must describe the same table.
--
-- An attachment is uploaded to an item first (POST /api/v1/items/{id}/attachments)
-- and then named by the action that carries it ("attachment_ids"): event_id
-- is NULL until then, and set once.  The bytes, their SHA-256, name, type and
-- size never change (the event that carries them records name, bytes and
-- SHA-256, and `luoshi verify` compares); nothing is ever deleted.
CREATE TABLE attachments (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items(id),
    unit_id     INTEGER REFERENCES units(id),
    uploaded_by INTEGER REFERENCES users(id),
    name        TEXT NOT NULL,
    mime        TEXT NOT NULL,
    bytes       INTEGER NOT NULL CHECK (bytes > 0),
    sha256      TEXT NOT NULL,
    data        BLOB NOT NULL,
    created_at  BIGINT NOT NULL,
    event_id    INTEGER REFERENCES events(id)
);
CREATE INDEX attachments_item ON attachments(item_id, id);
CREATE INDEX attachments_event ON attachments(event_id);

-- The one change allowed: an unattached row gets its event.
CREATE TRIGGER attachments_no_update BEFORE UPDATE ON attachments
WHEN OLD.event_id IS NOT NULL OR NEW.event_id IS NULL OR NEW.id IS NOT OLD.id
     OR NEW.item_id IS NOT OLD.item_id OR NEW.unit_id IS NOT OLD.unit_id
     OR NEW.uploaded_by IS NOT OLD.uploaded_by OR NEW.name IS NOT OLD.name
     OR NEW.mime IS NOT OLD.mime OR NEW.bytes IS NOT OLD.bytes
     OR NEW.sha256 IS NOT OLD.sha256 OR NEW.data IS NOT OLD.data
     OR NEW.created_at IS NOT OLD.created_at
BEGIN
    SELECT RAISE(ABORT, 'attachments are append-only');
END;
CREATE TRIGGER attachments_no_delete BEFORE DELETE ON attachments
BEGIN
    SELECT RAISE(ABORT, 'attachments are append-only');
END;
