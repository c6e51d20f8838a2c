-- 031_inbox_kept: what the 待办 (inbox) reads kept on the item, so that a
-- handler's lists read one index range instead of every open item's events
-- and rows (bench/README.md, issue 25, fifth round).
-- The PostgreSQL twin is src/db/sql/pg/031_inbox_kept.sql.
--
-- The seq of the item's newest feedback or submission, urge or escalation,
-- instruction and rejection, kept by triggers on the events (every write
-- path appends its event: core/action.c, the scheduler, the leaders'
-- instructions, imports).  The lists urged, instructed and a handler's
-- returned hold the open items whose newest urge, instruction or rejection
-- is newer than their newest report; each entry's why is that event, read
-- by (item_id, seq).  Events are never changed or deleted (009_tamper), so
-- the columns only ever move forward.
ALTER TABLE items ADD COLUMN report_seq INTEGER;   -- newest 'feedback' or 'submit'
ALTER TABLE items ADD COLUMN urge_seq INTEGER;     -- newest 'urge' or 'escalate'
ALTER TABLE items ADD COLUMN instruct_seq INTEGER; -- newest 'instruct'
ALTER TABLE items ADD COLUMN reject_seq INTEGER;   -- newest 'reject'

CREATE TRIGGER items_report_seq AFTER INSERT ON events
WHEN NEW.item_id IS NOT NULL AND NEW.action IN ('feedback','submit')
BEGIN
    UPDATE items SET report_seq = NEW.seq WHERE id = NEW.item_id;
END;
CREATE TRIGGER items_urge_seq AFTER INSERT ON events
WHEN NEW.item_id IS NOT NULL AND NEW.action IN ('urge','escalate')
BEGIN
    UPDATE items SET urge_seq = NEW.seq WHERE id = NEW.item_id;
END;
CREATE TRIGGER items_instruct_seq AFTER INSERT ON events
WHEN NEW.item_id IS NOT NULL AND NEW.action = 'instruct'
BEGIN
    UPDATE items SET instruct_seq = NEW.seq WHERE id = NEW.item_id;
END;
CREATE TRIGGER items_reject_seq AFTER INSERT ON events
WHEN NEW.item_id IS NOT NULL AND NEW.action = 'reject'
BEGIN
    UPDATE items SET reject_seq = NEW.seq WHERE id = NEW.item_id;
END;

UPDATE items SET
    report_seq = (SELECT max(e.seq) FROM events e
                  WHERE e.item_id = items.id AND e.action IN ('feedback','submit')),
    urge_seq = (SELECT max(e.seq) FROM events e
                WHERE e.item_id = items.id AND e.action IN ('urge','escalate')),
    instruct_seq = (SELECT max(e.seq) FROM events e
                    WHERE e.item_id = items.id AND e.action = 'instruct'),
    reject_seq = (SELECT max(e.seq) FROM events e
                  WHERE e.item_id = items.id AND e.action = 'reject');

-- The lights' index (007) with every column a 待办 entry shows and the
-- kept seqs: a unit's open work by status is one range of it, read without
-- a visit to the rows.
DROP INDEX items_light;
CREATE INDEX items_light ON items(status, lead_unit_id, deadline, behind_red_on, feedback_due,
                                  behind_yellow_on, progress, escalation, kind, report_seq,
                                  urge_seq, instruct_seq, reject_seq, title);
