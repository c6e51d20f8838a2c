-- 012_draft_lights: a draft has no light (issue 17, major 4).  A draft is the
-- office's until it is assigned: it is nobody's work yet, so it is neither
-- red nor yellow nor green, and counts in no light.  The light columns of
-- migration 010 (red_on, lit_on) are kept for the statuses that have a
-- light, now without 'draft' (LIGHT_SQL in core/light.h says the same); the
-- drafts already stored move to the never day, and light_days follows by
-- its trigger.  The PostgreSQL twin is src/db/sql/pg/012_draft_lights.sql.
DROP TRIGGER items_light_insert;
DROP TRIGGER items_light_update;
CREATE TRIGGER items_light_insert AFTER INSERT ON items
BEGIN
    UPDATE items SET red_on = CASE WHEN NEW.status IN ('assigned','accepted','in_progress','submitted','returned') THEN min(coalesce(date(NEW.deadline, '+1 day'), '9999-12-31'), CASE WHEN NEW.status IN ('assigned','accepted','in_progress') THEN coalesce(NEW.behind_red_on, '9999-12-31') ELSE '9999-12-31' END) ELSE '9999-12-31' END,
                     lit_on = CASE WHEN NEW.status IN ('assigned','accepted','in_progress','submitted','returned') THEN min(min(coalesce(date(NEW.deadline, '+1 day'), '9999-12-31'), CASE WHEN NEW.status IN ('assigned','accepted','in_progress') THEN coalesce(NEW.behind_red_on, '9999-12-31') ELSE '9999-12-31' END), CASE WHEN NEW.status IN ('assigned','accepted','in_progress') THEN min(coalesce(date(NEW.feedback_due, '+1 day'), '9999-12-31'), coalesce(NEW.behind_yellow_on, '9999-12-31')) ELSE '9999-12-31' END) ELSE '9999-12-31' END
    WHERE id = NEW.id;
END;
CREATE TRIGGER items_light_update AFTER UPDATE OF status, deadline, behind_red_on, feedback_due,
    behind_yellow_on ON items
BEGIN
    UPDATE items SET red_on = CASE WHEN NEW.status IN ('assigned','accepted','in_progress','submitted','returned') THEN min(coalesce(date(NEW.deadline, '+1 day'), '9999-12-31'), CASE WHEN NEW.status IN ('assigned','accepted','in_progress') THEN coalesce(NEW.behind_red_on, '9999-12-31') ELSE '9999-12-31' END) ELSE '9999-12-31' END,
                     lit_on = CASE WHEN NEW.status IN ('assigned','accepted','in_progress','submitted','returned') THEN min(min(coalesce(date(NEW.deadline, '+1 day'), '9999-12-31'), CASE WHEN NEW.status IN ('assigned','accepted','in_progress') THEN coalesce(NEW.behind_red_on, '9999-12-31') ELSE '9999-12-31' END), CASE WHEN NEW.status IN ('assigned','accepted','in_progress') THEN min(coalesce(date(NEW.feedback_due, '+1 day'), '9999-12-31'), coalesce(NEW.behind_yellow_on, '9999-12-31')) ELSE '9999-12-31' END) ELSE '9999-12-31' END
    WHERE id = NEW.id;
END;
UPDATE items SET red_on = '9999-12-31', lit_on = '9999-12-31' WHERE status = 'draft';
