-- 001_init: units, users, sessions, items, cooperating units, events, settings.
-- Timestamps are BIGINT milliseconds since the epoch; dates are 'YYYY-MM-DD'
-- text in city time; booleans are 0/1.  The PostgreSQL twin is
-- src/db/sql/pg/001_init.sql and must describe the same tables.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE units (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('department','taskforce','town','grid','enterprise')),
    parent_id  INTEGER REFERENCES units(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);

-- roles is a bit set: admin 1, supervisor 2, leader 4, handler 8, reporter 16
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    roles         INTEGER NOT NULL,
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);

CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    kind       TEXT NOT NULL CHECK (kind IN ('web','api')),
    csrf       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user ON sessions(user_id);

-- One table for every kind of item; kind-specific fields live in their own
-- tables keyed by item id (added with the kinds).
CREATE TABLE items (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('task','hazard','request','challenge','remediation')),
    title          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'draft',
    source         TEXT NOT NULL DEFAULT 'plan',
    lead_unit_id   INTEGER REFERENCES units(id),
    parent_id      INTEGER REFERENCES items(id),
    deadline       TEXT,
    feedback_cycle TEXT NOT NULL DEFAULT 'none',
    metric_target  REAL,
    metric_unit    TEXT,
    metric_value   REAL,
    progress       INTEGER NOT NULL DEFAULT 0,
    weight         INTEGER NOT NULL DEFAULT 1,
    created_by     INTEGER REFERENCES users(id),
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    event_seq      INTEGER NOT NULL DEFAULT 0,   -- seq of the newest event (the chain's head)
    event_hash     TEXT NOT NULL DEFAULT ''      -- hash of the newest event
);
CREATE INDEX items_lead ON items(lead_unit_id, id);
CREATE INDEX items_status ON items(status, id);
CREATE INDEX items_kind ON items(kind, id);
CREATE INDEX items_deadline ON items(deadline);
CREATE INDEX items_parent ON items(parent_id);

-- cooperating units (配合单位); the lead unit is items.lead_unit_id
CREATE TABLE item_units (
    item_id INTEGER NOT NULL REFERENCES items(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (item_id, unit_id)
);
CREATE INDEX item_units_unit ON item_units(unit_id, item_id);

-- Append-only, hash-chained per item: hash = SHA-256(prev_hash || canonical JSON).
CREATE TABLE events (
    id        INTEGER PRIMARY KEY,
    item_id   INTEGER NOT NULL REFERENCES items(id),
    seq       INTEGER NOT NULL,
    at        BIGINT NOT NULL,
    actor_id  INTEGER REFERENCES users(id),
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    data      TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL,
    UNIQUE (item_id, seq)
);
