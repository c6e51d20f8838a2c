-- 007_notice_facts: the item's lead unit, deadline and status copied into
-- item_facts, and the covering indexes of a notice's scans.
-- The PostgreSQL twin of src/db/sql/sqlite/007_notice_facts.sql (see there):
-- the same columns and indexes; the triggers are plpgsql functions.
ALTER TABLE item_facts ADD COLUMN lead_unit_id BIGINT;
ALTER TABLE item_facts ADD COLUMN deadline TEXT;
ALTER TABLE item_facts ADD COLUMN status TEXT NOT NULL DEFAULT '';

CREATE OR REPLACE FUNCTION item_facts_on_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.action = 'assign' THEN
        INSERT INTO item_facts (item_id, first_assigned_at, assigned_at, lead_unit_id, deadline,
                                status)
        SELECT NEW.item_id, NEW.at, NEW.at, i.lead_unit_id, i.deadline, i.status
        FROM items i WHERE i.id = NEW.item_id
        ON CONFLICT (item_id) DO UPDATE SET assigned_at = excluded.assigned_at;
    ELSIF NEW.action = 'accept' THEN
        UPDATE item_facts SET accepted_at = NEW.at, accept_from = assigned_at
        WHERE item_id = NEW.item_id AND accepted_at IS NULL;
    ELSIF NEW.action = 'verify' THEN
        UPDATE item_facts SET done_at = NEW.at WHERE item_id = NEW.item_id AND done_at IS NULL;
    ELSIF NEW.action = 'reject' THEN
        UPDATE item_facts SET rejects = rejects + 1 WHERE item_id = NEW.item_id;
    ELSIF NEW.action = 'approve_extension' THEN
        UPDATE item_facts SET extensions = extensions + 1 WHERE item_id = NEW.item_id;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION item_facts_on_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE item_facts SET lead_unit_id = NEW.lead_unit_id, deadline = NEW.deadline,
                          status = NEW.status
    WHERE item_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER item_facts_item AFTER UPDATE OF lead_unit_id, deadline, status ON items
    FOR EACH ROW EXECUTE FUNCTION item_facts_on_item();

UPDATE item_facts f SET lead_unit_id = i.lead_unit_id, deadline = i.deadline, status = i.status
FROM items i WHERE i.id = f.item_id;

DROP INDEX item_facts_assigned;
CREATE INDEX item_facts_assigned ON item_facts(first_assigned_at, lead_unit_id, status, deadline,
                                               accepted_at, accept_from, done_at, extensions,
                                               rejects);
CREATE INDEX item_facts_open ON item_facts(done_at, first_assigned_at, lead_unit_id, status,
                                           deadline);

CREATE INDEX items_light ON items(status, lead_unit_id, deadline, behind_red_on, feedback_due,
                                  behind_yellow_on);

DROP INDEX feedback_due;
CREATE INDEX feedback_due ON feedback(due, is_lead, late, item_id);
DROP INDEX items_feedback_due;
CREATE INDEX items_feedback_due ON items(feedback_due, status, lead_unit_id);
