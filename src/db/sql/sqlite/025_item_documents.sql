-- 025_item_documents: the documents an action issues on an item (交办通知单 at
-- assign, 督办单 at escalate, 催办通知书 at urge) and an item's dossier
-- (立卷归档) at archive (core/document.c); and a notice's draft and its
-- sign-off (core/notice_draft.c), below.  The PostgreSQL twin is
-- src/db/sql/pg/025_item_documents.sql and must describe the same tables.
--
-- A document is numbered in its own series per type and year (交办〔2026〕12号:
-- prefix, year, seq), rendered to PDF in the action's transaction and stored
-- whole; its SHA-256 is recorded in the action's event, so `luoshi verify`
-- recomputes it.  fields holds what was printed (JSON), so a fresh copy with
-- the receipt (签收回执) line can be rendered later; the stored PDF never
-- changes.  event_id is NULL until the event that records it is appended,
-- and set once.
CREATE TABLE item_documents (
    id         INTEGER PRIMARY KEY,
    item_id    INTEGER NOT NULL REFERENCES items(id),
    unit_id    INTEGER REFERENCES units(id),
    type       TEXT NOT NULL,
    year       INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    number     TEXT NOT NULL,
    fields     TEXT NOT NULL,
    pdf        BLOB NOT NULL,
    sha256     TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    event_id   INTEGER REFERENCES events(id),
    UNIQUE (type, year, seq)
);
CREATE INDEX item_documents_item ON item_documents(item_id, id);

-- The one change allowed: an unrecorded row gets its event.
CREATE TRIGGER item_documents_no_update BEFORE UPDATE ON item_documents
WHEN OLD.event_id IS NOT NULL OR NEW.event_id IS NULL OR NEW.id IS NOT OLD.id
     OR NEW.item_id IS NOT OLD.item_id OR NEW.unit_id IS NOT OLD.unit_id
     OR NEW.type IS NOT OLD.type OR NEW.year IS NOT OLD.year OR NEW.seq IS NOT OLD.seq
     OR NEW.number IS NOT OLD.number OR NEW.fields IS NOT OLD.fields
     OR NEW.pdf IS NOT OLD.pdf OR NEW.sha256 IS NOT OLD.sha256
     OR NEW.created_at IS NOT OLD.created_at
BEGIN
    SELECT RAISE(ABORT, 'item documents are append-only');
END;
CREATE TRIGGER item_documents_no_delete BEFORE DELETE ON item_documents
BEGIN
    SELECT RAISE(ABORT, 'item documents are append-only');
END;

-- A notice's draft (拟稿) before it is signed (签发) and so issued (notice/
-- draft.c): the period and scope as the API took them, the 主送, 抄送 and the
-- summary the drafter wrote ('' keeps the computed one or the setting), and,
-- once signed, who signed it and the notice it became.  A signed draft never
-- changes again.  Every step is a row of notice_draft_events, append-only.
CREATE TABLE notice_drafts (
    id         INTEGER PRIMARY KEY,
    params     TEXT NOT NULL,
    main_to    TEXT NOT NULL,
    copy_to    TEXT NOT NULL,
    summary    TEXT NOT NULL,
    drafted_by INTEGER NOT NULL REFERENCES users(id),
    drafted_at BIGINT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    signed_by  INTEGER REFERENCES users(id),
    signed_at  BIGINT,
    notice_id  INTEGER REFERENCES notices(id)
);
CREATE TRIGGER notice_drafts_signed BEFORE UPDATE ON notice_drafts
WHEN OLD.notice_id IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a signed notice draft never changes');
END;
CREATE TRIGGER notice_drafts_no_delete BEFORE DELETE ON notice_drafts
BEGIN
    SELECT RAISE(ABORT, 'notice drafts are kept');
END;
CREATE TABLE notice_draft_events (
    id       INTEGER PRIMARY KEY,
    draft_id INTEGER NOT NULL REFERENCES notice_drafts(id),
    at       BIGINT NOT NULL,
    user_id  INTEGER REFERENCES users(id),
    action   TEXT NOT NULL,
    data     TEXT NOT NULL
);
CREATE INDEX notice_draft_events_draft ON notice_draft_events(draft_id, id);
CREATE TRIGGER notice_draft_events_no_update BEFORE UPDATE ON notice_draft_events
BEGIN
    SELECT RAISE(ABORT, 'notice draft events are append-only');
END;
CREATE TRIGGER notice_draft_events_no_delete BEFORE DELETE ON notice_draft_events
BEGIN
    SELECT RAISE(ABORT, 'notice draft events are append-only');
END;
