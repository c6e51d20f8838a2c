-- 031_inbox_kept: what the 待办 (inbox) reads kept on the item.
-- The PostgreSQL twin of src/db/sql/sqlite/031_inbox_kept.sql (see there):
-- the same columns and index; the triggers are one plpgsql function.
ALTER TABLE items ADD COLUMN report_seq BIGINT;   -- newest 'feedback' or 'submit'
ALTER TABLE items ADD COLUMN urge_seq BIGINT;     -- newest 'urge' or 'escalate'
ALTER TABLE items ADD COLUMN instruct_seq BIGINT; -- newest 'instruct'
ALTER TABLE items ADD COLUMN reject_seq BIGINT;   -- newest 'reject'

CREATE FUNCTION items_kept_seq_on_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.item_id IS NULL THEN
        RETURN NULL;
    ELSIF NEW.action IN ('feedback', 'submit') THEN
        UPDATE items SET report_seq = NEW.seq WHERE id = NEW.item_id;
    ELSIF NEW.action IN ('urge', 'escalate') THEN
        UPDATE items SET urge_seq = NEW.seq WHERE id = NEW.item_id;
    ELSIF NEW.action = 'instruct' THEN
        UPDATE items SET instruct_seq = NEW.seq WHERE id = NEW.item_id;
    ELSIF NEW.action = 'reject' THEN
        UPDATE items SET reject_seq = NEW.seq WHERE id = NEW.item_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER items_kept_seq AFTER INSERT ON events
    FOR EACH ROW WHEN (NEW.action IN ('feedback', 'submit', 'urge', 'escalate', 'instruct',
                                      'reject'))
    EXECUTE FUNCTION items_kept_seq_on_event();

UPDATE items i SET report_seq = k.report_seq, urge_seq = k.urge_seq,
                   instruct_seq = k.instruct_seq, reject_seq = k.reject_seq
FROM (SELECT item_id,
             max(seq) FILTER (WHERE action IN ('feedback', 'submit')) AS report_seq,
             max(seq) FILTER (WHERE action IN ('urge', 'escalate')) AS urge_seq,
             max(seq) FILTER (WHERE action = 'instruct') AS instruct_seq,
             max(seq) FILTER (WHERE action = 'reject') AS reject_seq
      FROM events
      WHERE item_id IS NOT NULL
        AND action IN ('feedback', 'submit', 'urge', 'escalate', 'instruct', 'reject')
      GROUP BY item_id) k
WHERE i.id = k.item_id;

DROP INDEX items_light;
CREATE INDEX items_light ON items(status, lead_unit_id, deadline, behind_red_on, feedback_due,
                                  behind_yellow_on, progress, escalation, kind, report_seq,
                                  urge_seq, instruct_seq, reject_seq, title);
