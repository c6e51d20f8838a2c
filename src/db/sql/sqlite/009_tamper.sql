-- 009_tamper: tamper evidence that holds (docs/operations.md, "Tamper
-- evidence") — append-only events and the rows events vouch for, the
-- configuration chain, signed checkpoints and the Merkle tree they sign.
-- The PostgreSQL twin is src/db/sql/pg/009_tamper.sql and must describe the
-- same tables.

-- What happened is never rewritten: the events, and the feedback and photos
-- whose contents the events that created them carry (text, SHA-256).  As for
-- issued notices (006), the triggers refuse UPDATE and DELETE; an operator
-- archives by keeping backups (luoshi backup), never by deleting rows.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER feedback_no_update BEFORE UPDATE ON feedback
BEGIN
    SELECT RAISE(ABORT, 'feedback is append-only');
END;
CREATE TRIGGER feedback_no_delete BEFORE DELETE ON feedback
BEGIN
    SELECT RAISE(ABORT, 'feedback is append-only');
END;
CREATE TRIGGER hazard_photos_no_update BEFORE UPDATE ON hazard_photos
BEGIN
    SELECT RAISE(ABORT, 'photos are append-only');
END;
CREATE TRIGGER hazard_photos_no_delete BEFORE DELETE ON hazard_photos
BEGIN
    SELECT RAISE(ABORT, 'photos are append-only');
END;

-- The configuration chain (core/config_chain.c): every change to settings,
-- the calendar, keywords, hazard categories and routes, users, units and API
-- keys, as one row: who, when, what (section and the row's key), the row
-- before and after as canonical JSON (NULL: absent; a password hash only as
-- its SHA-256), chained like the item events:
--   hash = hex SHA-256(prev_hash || canonical JSON of the other fields)
-- A 'baseline' or 'upgrade' row records whole sections at once (after_row:
-- {"schema": N, "rows": {key: row}}).
CREATE TABLE config_events (
    seq        INTEGER PRIMARY KEY,
    at         BIGINT NOT NULL,
    actor_id   INTEGER REFERENCES users(id),
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
CREATE TRIGGER config_events_no_update BEFORE UPDATE ON config_events
BEGIN
    SELECT RAISE(ABORT, 'the configuration chain is append-only');
END;
CREATE TRIGGER config_events_no_delete BEFORE DELETE ON config_events
BEGIN
    SELECT RAISE(ABORT, 'the configuration chain is append-only');
END;

-- Signed checkpoints (core/checkpoint.c): the Merkle root (RFC 6962 hashing)
-- over (item id, event count, head hash) of every item, the configuration
-- chain's head, a time and a sequence number, chained to the previous
-- checkpoint and signed with Ed25519 by a key kept outside the database.
CREATE TABLE checkpoints (
    seq         INTEGER PRIMARY KEY,
    at          BIGINT NOT NULL,
    reason      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    root        TEXT NOT NULL,
    config_seq  INTEGER NOT NULL,
    config_hash TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    key_id      TEXT NOT NULL,
    signature   TEXT NOT NULL
);
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
BEGIN
    SELECT RAISE(ABORT, 'checkpoints are append-only');
END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
BEGIN
    SELECT RAISE(ABORT, 'checkpoints are append-only');
END;

-- The tree of the latest checkpoint (core/merkle_store.h): the leaf of each
-- item at the position of its id, with the event count and head it covered,
-- and the roots of the chunks of 64 leaves, so that a checkpoint recomputes
-- only the chunks whose items changed.  Items changed since are marked by a
-- trigger on events (merkle_dirty), cleared by the checkpoint that covers them.
CREATE TABLE merkle_leaves (
    item_id     INTEGER PRIMARY KEY,
    event_count INTEGER NOT NULL,
    head        TEXT NOT NULL
);
CREATE TABLE merkle_chunks (
    idx  INTEGER PRIMARY KEY,
    hash TEXT NOT NULL
);
CREATE TABLE merkle_dirty (
    item_id INTEGER NOT NULL,
    seq     INTEGER NOT NULL,
    PRIMARY KEY (item_id, seq)
);
CREATE TRIGGER merkle_dirty_event AFTER INSERT ON events
BEGIN
    INSERT INTO merkle_dirty (item_id, seq) VALUES (NEW.item_id, NEW.seq);
END;
INSERT INTO merkle_dirty (item_id, seq) SELECT id, event_seq FROM items WHERE event_seq > 0;

-- How often the scheduler signs a checkpoint (0: only at issued notices and
-- on `luoshi checkpoint`).
INSERT INTO settings (key, value) VALUES ('checkpoint.interval_minutes', '60');
