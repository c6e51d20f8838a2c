-- 008_config_stamp: a stamp that changes with every write to the settings or
-- the working-day calendar, so what is derived from them (core/light.c's
-- dates of the lights, asked for by every item list) can be kept in memory
-- and recomputed exactly when they change, whoever changed them (the server,
-- the CLI, plain SQL).  The stamp is random, not a counter: two databases
-- open in one process, or two copies of one, never share a stamp with
-- different contents.  The PostgreSQL twin is src/db/sql/pg/008_config_stamp.sql.
CREATE TABLE config_stamp (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    stamp BIGINT NOT NULL
);
INSERT INTO config_stamp (id, stamp) VALUES (1, random());

CREATE TRIGGER config_stamp_settings_insert AFTER INSERT ON settings
BEGIN
    UPDATE config_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER config_stamp_settings_update AFTER UPDATE ON settings
BEGIN
    UPDATE config_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER config_stamp_settings_delete AFTER DELETE ON settings
BEGIN
    UPDATE config_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER config_stamp_calendar_insert AFTER INSERT ON calendar_days
BEGIN
    UPDATE config_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER config_stamp_calendar_update AFTER UPDATE ON calendar_days
BEGIN
    UPDATE config_stamp SET stamp = random() WHERE id = 1;
END;
CREATE TRIGGER config_stamp_calendar_delete AFTER DELETE ON calendar_days
BEGIN
    UPDATE config_stamp SET stamp = random() WHERE id = 1;
END;
