-- 008_config_stamp: a random stamp that changes with every write to the
-- settings or the working-day calendar (see the SQLite file,
-- src/db/sql/sqlite/008_config_stamp.sql); one statement trigger per table.
CREATE TABLE config_stamp (
    id    BIGINT PRIMARY KEY CHECK (id = 1),
    stamp BIGINT NOT NULL
);
INSERT INTO config_stamp (id, stamp) VALUES (1, ((random() * 2 - 1) * 9e18)::bigint);

CREATE FUNCTION config_stamp_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE config_stamp SET stamp = ((random() * 2 - 1) * 9e18)::bigint WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER config_stamp_settings AFTER INSERT OR UPDATE OR DELETE ON settings
    FOR EACH STATEMENT EXECUTE FUNCTION config_stamp_touch();
CREATE TRIGGER config_stamp_calendar AFTER INSERT OR UPDATE OR DELETE ON calendar_days
    FOR EACH STATEMENT EXECUTE FUNCTION config_stamp_touch();
