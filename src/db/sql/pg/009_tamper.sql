-- 009_tamper: tamper evidence that holds — the PostgreSQL twin of
-- src/db/sql/sqlite/009_tamper.sql (see there): append-only events, feedback
-- and photos, the configuration chain, signed checkpoints and their Merkle
-- tree.  Row triggers refuse UPDATE and DELETE, statement triggers TRUNCATE.

CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION append_only();
CREATE TRIGGER feedback_no_change BEFORE UPDATE OR DELETE ON feedback
    FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER feedback_no_truncate BEFORE TRUNCATE ON feedback
    FOR EACH STATEMENT EXECUTE FUNCTION append_only();
CREATE TRIGGER hazard_photos_no_change BEFORE UPDATE OR DELETE ON hazard_photos
    FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER hazard_photos_no_truncate BEFORE TRUNCATE ON hazard_photos
    FOR EACH STATEMENT EXECUTE FUNCTION append_only();

CREATE TABLE config_events (
    seq        BIGINT PRIMARY KEY,
    at         BIGINT NOT NULL,
    actor_id   BIGINT REFERENCES users(id),
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    section    TEXT NOT NULL,
    key        TEXT NOT NULL,
    before_row TEXT,
    after_row  TEXT,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX config_events_section ON config_events(section, seq);
CREATE TRIGGER config_events_no_change BEFORE UPDATE OR DELETE ON config_events
    FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER config_events_no_truncate BEFORE TRUNCATE ON config_events
    FOR EACH STATEMENT EXECUTE FUNCTION append_only();

CREATE TABLE checkpoints (
    seq         BIGINT PRIMARY KEY,
    at          BIGINT NOT NULL,
    reason      TEXT NOT NULL,
    size        BIGINT NOT NULL,
    root        TEXT NOT NULL,
    config_seq  BIGINT NOT NULL,
    config_hash TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    key_id      TEXT NOT NULL,
    signature   TEXT NOT NULL
);
CREATE TRIGGER checkpoints_no_change BEFORE UPDATE OR DELETE ON checkpoints
    FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION append_only();

CREATE TABLE merkle_leaves (
    item_id     BIGINT PRIMARY KEY,
    event_count BIGINT NOT NULL,
    head        TEXT NOT NULL
);
CREATE TABLE merkle_chunks (
    idx  BIGINT PRIMARY KEY,
    hash TEXT NOT NULL
);
CREATE TABLE merkle_dirty (
    item_id BIGINT NOT NULL,
    seq     BIGINT NOT NULL,
    PRIMARY KEY (item_id, seq)
);
CREATE FUNCTION merkle_dirty_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO merkle_dirty (item_id, seq) VALUES (NEW.item_id, NEW.seq);
    RETURN NULL;
END $$;
CREATE TRIGGER merkle_dirty_event AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION merkle_dirty_mark();
INSERT INTO merkle_dirty (item_id, seq) SELECT id, event_seq FROM items WHERE event_seq > 0;

INSERT INTO settings (key, value) VALUES ('checkpoint.interval_minutes', '60');
