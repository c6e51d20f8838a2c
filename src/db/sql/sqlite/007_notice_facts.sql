-- 007_notice_facts: what a city-wide notice needs to read only item_facts
-- (src/notice/notice.c): the item's lead unit, deadline and status copied
-- into its facts row, and the covering indexes the notice's scans use.  The
-- PostgreSQL twin is src/db/sql/pg/007_notice_facts.sql.
--
-- The copies are kept by triggers, so every write path keeps them right
-- (core/item.c, core/action.c, the scheduler, hazards, imports): the row is
-- made from the item when its first 'assign' event is appended, and changed
-- whenever an UPDATE of items sets one of the three columns.
ALTER TABLE item_facts ADD COLUMN lead_unit_id INTEGER;
ALTER TABLE item_facts ADD COLUMN deadline TEXT;
ALTER TABLE item_facts ADD COLUMN status TEXT NOT NULL DEFAULT '';

DROP TRIGGER item_facts_assign;
CREATE TRIGGER item_facts_assign AFTER INSERT ON events WHEN NEW.action = 'assign'
BEGIN
    INSERT INTO item_facts (item_id, first_assigned_at, assigned_at, lead_unit_id, deadline,
                            status)
    SELECT NEW.item_id, NEW.at, NEW.at, i.lead_unit_id, i.deadline, i.status
    FROM items i WHERE i.id = NEW.item_id
    ON CONFLICT (item_id) DO UPDATE SET assigned_at = excluded.assigned_at;
END;
CREATE TRIGGER item_facts_item AFTER UPDATE OF lead_unit_id, deadline, status ON items
BEGIN
    UPDATE item_facts SET lead_unit_id = NEW.lead_unit_id, deadline = NEW.deadline,
                          status = NEW.status
    WHERE item_id = NEW.id;
END;

UPDATE item_facts SET (lead_unit_id, deadline, status) =
    (SELECT i.lead_unit_id, i.deadline, i.status FROM items i WHERE i.id = item_facts.item_id);

-- The period's items in the order of their assignment, every column the
-- notice reads in the index itself; and the items not verified by a moment
-- (done_at NULL or later) for the red list and the items assigned before
-- the period.
DROP INDEX item_facts_assigned;
CREATE INDEX item_facts_assigned ON item_facts(first_assigned_at, lead_unit_id, status, deadline,
                                               accepted_at, accept_from, done_at, extensions,
                                               rejects);
CREATE INDEX item_facts_open ON item_facts(done_at, first_assigned_at, lead_unit_id, status,
                                           deadline);

-- The lights now by status, lead unit and what LIGHT_SQL reads (core/light.h).
CREATE INDEX items_light ON items(status, lead_unit_id, deadline, behind_red_on, feedback_due,
                                  behind_yellow_on);

-- Expected feedback by date with what the notice counts of it, without a
-- visit to the row.
DROP INDEX feedback_due;
CREATE INDEX feedback_due ON feedback(due, is_lead, late, item_id);
DROP INDEX items_feedback_due;
CREATE INDEX items_feedback_due ON items(feedback_due, status, lead_unit_id);
