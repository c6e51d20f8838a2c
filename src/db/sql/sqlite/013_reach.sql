-- 013_reach: reaching people (DESIGN.md "Reaching people"; docs/operations.md
-- "Messages and the outbox") — in-app messages with their kept unread
-- counts, the durable outbox, the delivery channels, each user's
-- preferences, and the indexes the 待办's narrow lists and counts read
-- (core/inbox.c).  The PostgreSQL twin is src/db/sql/pg/013_reach.sql and
-- must describe the same tables.

-- One message per recipient of an event that concerns them (core/notify.c),
-- written in the event's transaction.  item_id names the item; title and
-- text are what the 消息 page and GET /api/v1/messages show.
CREATE TABLE messages (
    id      INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    item_id INTEGER REFERENCES items(id),
    action  TEXT NOT NULL,
    actor   TEXT NOT NULL,
    title   TEXT NOT NULL,
    text    TEXT NOT NULL DEFAULT '',
    at      BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX messages_user ON messages(user_id, id);

-- How many of a user's messages are unread, kept by triggers on messages
-- (every write path), so that the badge on every page reads one or a few
-- rows.  shard as in item_tally (migration 010): SQLite always uses 0.
CREATE TABLE message_tally (
    user_id INTEGER NOT NULL,
    shard   INTEGER NOT NULL,
    unread  INTEGER NOT NULL,
    PRIMARY KEY (user_id, shard)
);
CREATE TRIGGER message_tally_insert AFTER INSERT ON messages
WHEN NEW.read_at IS NULL
BEGIN
    INSERT INTO message_tally (user_id, shard, unread) VALUES (NEW.user_id, 0, 1)
    ON CONFLICT (user_id, shard) DO UPDATE SET unread = unread + 1;
END;
CREATE TRIGGER message_tally_update AFTER UPDATE OF read_at, user_id ON messages
WHEN (OLD.read_at IS NULL) <> (NEW.read_at IS NULL) OR OLD.user_id <> NEW.user_id
BEGIN
    INSERT INTO message_tally (user_id, shard, unread)
    SELECT OLD.user_id, 0, -1 WHERE OLD.read_at IS NULL
    ON CONFLICT (user_id, shard) DO UPDATE SET unread = unread - 1;
    INSERT INTO message_tally (user_id, shard, unread)
    SELECT NEW.user_id, 0, 1 WHERE NEW.read_at IS NULL
    ON CONFLICT (user_id, shard) DO UPDATE SET unread = unread + 1;
END;
CREATE TRIGGER message_tally_delete AFTER DELETE ON messages
WHEN OLD.read_at IS NULL
BEGIN
    INSERT INTO message_tally (user_id, shard, unread) VALUES (OLD.user_id, 0, -1)
    ON CONFLICT (user_id, shard) DO UPDATE SET unread = unread - 1;
END;

-- The delivery channels an admin configured (core/channel.c): 'email'
-- (url smtp://host:port or smtps://…, username, sender = the From address,
-- tls none|try|require for STARTTLS), 'webhook' (url, secret = the HMAC key)
-- and 'dingtalk' (the robot's url with its access_token, secret = its
-- signing secret).  secret is never shown back; the configuration chain
-- keeps only its SHA-256.  No row: the channel is off.
CREATE TABLE channels (
    name     TEXT PRIMARY KEY CHECK (name IN ('email','webhook','dingtalk')),
    enabled  INTEGER NOT NULL DEFAULT 0,
    url      TEXT NOT NULL DEFAULT '',
    username TEXT NOT NULL DEFAULT '',
    sender   TEXT NOT NULL DEFAULT '',
    tls      TEXT NOT NULL DEFAULT 'try' CHECK (tls IN ('none','try','require')),
    secret   TEXT NOT NULL DEFAULT ''
);

-- How each user wants to be reached (core/prefs.c); no row: in-app only.
-- channels: the outside channels chosen, comma-separated; events: the
-- actions that may reach them there ('*': all); quiet hours as minutes
-- after the city's midnight (NULL: none), during which deliveries are held
-- until quiet_end; digest 1: one message a day per channel instead of one
-- per event, made of the messages after digest_after (a message id).
CREATE TABLE user_prefs (
    user_id      INTEGER PRIMARY KEY REFERENCES users(id),
    email        TEXT NOT NULL DEFAULT '',
    mobile       TEXT NOT NULL DEFAULT '',
    channels     TEXT NOT NULL DEFAULT '',
    events       TEXT NOT NULL DEFAULT '*',
    quiet_start  INTEGER,
    quiet_end    INTEGER,
    digest       INTEGER NOT NULL DEFAULT 0,
    digest_after INTEGER NOT NULL DEFAULT 0,
    updated_at   BIGINT NOT NULL
);

-- The durable outbox (core/outbox.c): one row per recipient and channel,
-- written in the event's transaction; the sender delivers it at least once
-- with key as the idempotency key, retrying with exponential back-off from
-- next_at, and marks it dead when it has failed for outbox.dead_after_hours
-- since `since` (its creation, or an admin's retry).
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    channel    TEXT NOT NULL CHECK (channel IN ('email','webhook','dingtalk')),
    user_id    INTEGER REFERENCES users(id),
    message_id INTEGER REFERENCES messages(id),
    item_id    INTEGER REFERENCES items(id),
    action     TEXT NOT NULL,
    address    TEXT NOT NULL DEFAULT '',
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','dead')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    BIGINT NOT NULL,
    since      BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at    BIGINT,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_status ON outbox(status, next_at, id);

-- The 待办's narrow lists and their counts (core/inbox.c): the pending
-- extension requests, the items escalated to the leaders (重点、挂牌), and
-- what each leader instructed.
CREATE INDEX extensions_status ON extensions(status, item_id);
CREATE INDEX items_escalation ON items(escalation, status, id);
CREATE INDEX instructions_user ON instructions(user_id, item_id);
-- Whom an event concerns: the handlers of a unit (core/notify.c).
CREATE INDEX users_unit ON users(unit_id, id);
