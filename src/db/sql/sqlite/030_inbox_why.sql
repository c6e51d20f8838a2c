-- 030_inbox_why: the index the 待办 (inbox) reads an item's newest event
-- among some actions from (bench/README.md, issue 25, "The handler's
-- inbox"): the lists urged, instructed and a handler's returned keep an
-- open item when its newest urge, instruction or rejection came after its
-- newest feedback or submission, and every entry says which event put it
-- there.  Both walk the item's events from the newest back; by
-- (item_id, seq) alone each step read the event's row for its action,
-- here the index holds it.
-- The PostgreSQL twin is src/db/sql/pg/030_inbox_why.sql.
CREATE INDEX events_item_seq_action ON events(item_id, seq, action);
