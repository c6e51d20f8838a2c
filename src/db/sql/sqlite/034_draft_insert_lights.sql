-- 034_draft_insert_lights: the light boundaries of a new item are worked
-- out again only when the row does not already say what they would be.  A
-- status without a light (a draft: every item created) has both boundaries
-- "never", and luoshi inserts them so (src/core/item.c, item_insert); the
-- trigger of migration 012 still updated the row it had just inserted to the
-- same values, with the index entries on both and the triggers on them
-- (durable creates 5 % faster without it: bench/README.md, issue 25, ninth round).
-- The update changed nothing it skips now, so nothing else changes.
-- The PostgreSQL twin is src/db/sql/pg/034_draft_insert_lights.sql.
DROP TRIGGER items_light_insert;
CREATE TRIGGER items_light_insert AFTER INSERT ON items
WHEN NEW.status IN ('assigned','accepted','in_progress','submitted','returned')
     OR NEW.red_on IS NOT '9999-12-31' OR NEW.lit_on IS NOT '9999-12-31'
BEGIN
    UPDATE items SET red_on = CASE WHEN NEW.status IN ('assigned','accepted','in_progress','submitted','returned') THEN min(coalesce(date(NEW.deadline, '+1 day'), '9999-12-31'), CASE WHEN NEW.status IN ('assigned','accepted','in_progress') THEN coalesce(NEW.behind_red_on, '9999-12-31') ELSE '9999-12-31' END) ELSE '9999-12-31' END,
                     lit_on = CASE WHEN NEW.status IN ('assigned','accepted','in_progress','submitted','returned') THEN min(min(coalesce(date(NEW.deadline, '+1 day'), '9999-12-31'), CASE WHEN NEW.status IN ('assigned','accepted','in_progress') THEN coalesce(NEW.behind_red_on, '9999-12-31') ELSE '9999-12-31' END), CASE WHEN NEW.status IN ('assigned','accepted','in_progress') THEN min(coalesce(date(NEW.feedback_due, '+1 day'), '9999-12-31'), coalesce(NEW.behind_yellow_on, '9999-12-31')) ELSE '9999-12-31' END) ELSE '9999-12-31' END
    WHERE id = NEW.id;
END;
