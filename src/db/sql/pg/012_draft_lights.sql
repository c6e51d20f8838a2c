-- 012_draft_lights: a draft has no light (issue 17, major 4); see
-- src/db/sql/sqlite/012_draft_lights.sql.  Here light_days counts only the
-- statuses with a light, so the two functions of migration 010 lose
-- 'draft', the drafts' columns are recomputed by the BEFORE trigger, and
-- light_days is counted again from the rows.
CREATE OR REPLACE FUNCTION item_light_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IN ('assigned','accepted','in_progress','submitted','returned') THEN
        NEW.red_on := least(coalesce(to_char(NEW.deadline::date + 1, 'YYYY-MM-DD'), '9999-12-31'), CASE WHEN NEW.status IN ('assigned','accepted','in_progress') THEN coalesce(NEW.behind_red_on, '9999-12-31') ELSE '9999-12-31' END);
        NEW.lit_on := least(NEW.red_on, CASE WHEN NEW.status IN ('assigned','accepted','in_progress') THEN least(coalesce(to_char(NEW.feedback_due::date + 1, 'YYYY-MM-DD'), '9999-12-31'), coalesce(NEW.behind_yellow_on, '9999-12-31')) ELSE '9999-12-31' END);
    ELSE
        NEW.red_on := '9999-12-31';
        NEW.lit_on := '9999-12-31';
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION light_days_on_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.red_on = NEW.red_on
       AND OLD.lit_on = NEW.lit_on THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN ('assigned','accepted','in_progress','submitted','returned') THEN
        PERFORM light_days_add(OLD.red_on, OLD.lit_on, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status IN ('assigned','accepted','in_progress','submitted','returned') THEN
        PERFORM light_days_add(NEW.red_on, NEW.lit_on, 1);
    END IF;
    RETURN NULL;
END $$;
UPDATE items SET red_on = NULL WHERE status = 'draft';
DELETE FROM light_days;
INSERT INTO light_days (day, shard, red, lit)
SELECT day, 0, sum(red), sum(lit) FROM (
    SELECT red_on AS day, 1 AS red, 0 AS lit FROM items WHERE status IN ('assigned','accepted','in_progress','submitted','returned')
    UNION ALL
    SELECT lit_on, 0, 1 FROM items WHERE status IN ('assigned','accepted','in_progress','submitted','returned')) x
GROUP BY day;
