-- 019_red_set_session_stamp: the red list read a page at a time, and the
-- stamp of the session cache; see src/db/sql/sqlite/019_red_set_session_stamp.sql.
--
-- red_on is set by a BEFORE trigger here (migration 010), so red_items
-- follows on AFTER INSERT or UPDATE when it changed.  The trigger reads the
-- horizon FOR SHARE and item_red_advance updates the horizon row before it
-- copies the newly red items: a write that changes red_on while the horizon
-- moves either finishes first (the copy, a later statement, sees it) or
-- waits for the move and then sees the new horizon.
CREATE TABLE red_horizon (
    id  BIGINT PRIMARY KEY CHECK (id = 1),
    day TEXT NOT NULL
);
INSERT INTO red_horizon (id, day) VALUES (1, to_char(current_date, 'YYYY-MM-DD'));
CREATE TABLE red_items (
    id BIGINT PRIMARY KEY
);
INSERT INTO red_items (id)
SELECT id FROM items WHERE red_on <= (SELECT day FROM red_horizon WHERE id = 1);
CREATE FUNCTION red_items_on_item() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    h TEXT;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM red_items WHERE id = OLD.id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        SELECT day INTO h FROM red_horizon WHERE id = 1 FOR SHARE;
        IF NEW.red_on <= h THEN
            INSERT INTO red_items (id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER red_items_insert AFTER INSERT ON items
    FOR EACH ROW EXECUTE FUNCTION red_items_on_item();
CREATE TRIGGER red_items_update AFTER UPDATE ON items
    FOR EACH ROW WHEN (OLD.red_on IS DISTINCT FROM NEW.red_on)
    EXECUTE FUNCTION red_items_on_item();
CREATE TRIGGER red_items_delete AFTER DELETE ON items
    FOR EACH ROW EXECUTE FUNCTION red_items_on_item();

-- session_stamp: see the SQLite file; one statement trigger per table.
CREATE TABLE session_stamp (
    id    BIGINT PRIMARY KEY CHECK (id = 1),
    stamp BIGINT NOT NULL
);
INSERT INTO session_stamp (id, stamp) VALUES (1, ((random() * 2 - 1) * 9e18)::bigint);
CREATE FUNCTION session_stamp_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE session_stamp SET stamp = ((random() * 2 - 1) * 9e18)::bigint WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER session_stamp_sessions AFTER UPDATE OR DELETE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION session_stamp_touch();
CREATE TRIGGER session_stamp_users AFTER UPDATE OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION session_stamp_touch();
