-- 019_red_set_stamps: the red list read a page at a time, and the stamps
-- of the session cache and the 考核 card; see src/db/sql/sqlite/019_red_set_stamps.sql.
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

-- score_stamp: see the SQLite file; statement triggers, and row triggers
-- with a WHEN for the events and the items.
CREATE TABLE score_stamp (
    id    BIGINT PRIMARY KEY CHECK (id = 1),
    stamp BIGINT NOT NULL
);
INSERT INTO score_stamp (id, stamp) VALUES (1, ((random() * 2 - 1) * 9e18)::bigint);
CREATE FUNCTION score_stamp_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE score_stamp SET stamp = ((random() * 2 - 1) * 9e18)::bigint WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER score_stamp_events AFTER INSERT ON events
    FOR EACH ROW WHEN (NEW.action IN ('reject','rate','accept'))
    EXECUTE FUNCTION score_stamp_touch();
CREATE TRIGGER score_stamp_items AFTER UPDATE ON items
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title
                       OR OLD.lead_unit_id IS DISTINCT FROM NEW.lead_unit_id)
    EXECUTE FUNCTION score_stamp_touch();
CREATE TRIGGER score_stamp_escalations AFTER INSERT OR UPDATE OR DELETE ON escalations
    FOR EACH STATEMENT EXECUTE FUNCTION score_stamp_touch();
CREATE TRIGGER score_stamp_deductions AFTER INSERT OR UPDATE OR DELETE ON deductions
    FOR EACH STATEMENT EXECUTE FUNCTION score_stamp_touch();
CREATE TRIGGER score_stamp_assessment_entries AFTER INSERT OR UPDATE OR DELETE ON assessment_entries
    FOR EACH STATEMENT EXECUTE FUNCTION score_stamp_touch();
CREATE TRIGGER score_stamp_consequences AFTER INSERT OR UPDATE OR DELETE ON consequences
    FOR EACH STATEMENT EXECUTE FUNCTION score_stamp_touch();
CREATE TRIGGER score_stamp_units AFTER INSERT OR UPDATE OR DELETE ON units
    FOR EACH STATEMENT EXECUTE FUNCTION score_stamp_touch();
CREATE TRIGGER score_stamp_assessment_objections AFTER INSERT OR UPDATE OR DELETE
    ON assessment_objections FOR EACH STATEMENT EXECUTE FUNCTION score_stamp_touch();
