-- 010_list_counts: item_tally, the lights' boundary indexes, the text index
-- and the data stamp.  The PostgreSQL twin of
-- src/db/sql/sqlite/010_list_counts.sql (see there): the same table and
-- indexes; the triggers are plpgsql functions.
CREATE TABLE item_tally (
    unit_id BIGINT NOT NULL,
    kind    TEXT NOT NULL,
    status  TEXT NOT NULL,
    shard   INTEGER NOT NULL,
    n       BIGINT NOT NULL,
    PRIMARY KEY (unit_id, kind, status, shard)
);

-- Each connection adds to its own shard: two writers creating items for
-- one unit touch different rows, so neither waits for the other's commit.
CREATE FUNCTION item_tally_add(u BIGINT, k TEXT, s TEXT, d INTEGER) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO item_tally (unit_id, kind, status, shard, n)
    VALUES (coalesce(u, 0), k, s, pg_backend_pid() % 8, d)
    ON CONFLICT (unit_id, kind, status, shard) DO UPDATE SET n = item_tally.n + excluded.n;
$$;

CREATE FUNCTION item_tally_on_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM item_tally_add(NEW.lead_unit_id, NEW.kind, NEW.status, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM item_tally_add(OLD.lead_unit_id, OLD.kind, OLD.status, -1);
    ELSIF coalesce(OLD.lead_unit_id, 0) <> coalesce(NEW.lead_unit_id, 0)
          OR OLD.kind <> NEW.kind OR OLD.status <> NEW.status THEN
        PERFORM item_tally_add(OLD.lead_unit_id, OLD.kind, OLD.status, -1);
        PERFORM item_tally_add(NEW.lead_unit_id, NEW.kind, NEW.status, 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER item_tally_insert AFTER INSERT ON items
    FOR EACH ROW EXECUTE FUNCTION item_tally_on_item();
CREATE TRIGGER item_tally_update AFTER UPDATE OF lead_unit_id, kind, status ON items
    FOR EACH ROW EXECUTE FUNCTION item_tally_on_item();
CREATE TRIGGER item_tally_delete AFTER DELETE ON items
    FOR EACH ROW EXECUTE FUNCTION item_tally_on_item();

INSERT INTO item_tally (unit_id, kind, status, shard, n)
SELECT coalesce(lead_unit_id, 0), kind, status, 0, count(*) FROM items GROUP BY 1, 2, 3;

CREATE INDEX items_status_deadline ON items(status, deadline, behind_red_on, feedback_due,
                                           behind_yellow_on);
-- A unit's items of a status, newest first (a handler's inbox, core/inbox.c).
CREATE INDEX items_status_unit ON items(status, lead_unit_id, id);

-- red_on, lit_on and light_days: see src/db/sql/sqlite/010_list_counts.sql;
-- here the two dates are columns a trigger keeps (a generated column would
-- need an immutable expression, and to_char is only stable).
ALTER TABLE items ADD COLUMN red_on TEXT;
ALTER TABLE items ADD COLUMN lit_on TEXT;
CREATE FUNCTION item_light_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IN ('draft','assigned','accepted','in_progress','submitted','returned') THEN
        NEW.red_on := least(coalesce(to_char(NEW.deadline::date + 1, 'YYYY-MM-DD'), '9999-12-31'), CASE WHEN NEW.status IN ('assigned','accepted','in_progress') THEN coalesce(NEW.behind_red_on, '9999-12-31') ELSE '9999-12-31' END);
        NEW.lit_on := least(NEW.red_on, CASE WHEN NEW.status IN ('assigned','accepted','in_progress') THEN least(coalesce(to_char(NEW.feedback_due::date + 1, 'YYYY-MM-DD'), '9999-12-31'), coalesce(NEW.behind_yellow_on, '9999-12-31')) ELSE '9999-12-31' END);
    ELSE
        NEW.red_on := '9999-12-31';
        NEW.lit_on := '9999-12-31';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER item_light_days BEFORE INSERT OR UPDATE ON items
    FOR EACH ROW EXECUTE FUNCTION item_light_days();
UPDATE items SET red_on = NULL;
CREATE INDEX items_red_on ON items(red_on);
CREATE INDEX items_lit_on ON items(lit_on);

CREATE TABLE light_days (
    day   TEXT NOT NULL,
    shard INTEGER NOT NULL,
    red   BIGINT NOT NULL,
    lit   BIGINT NOT NULL,
    PRIMARY KEY (day, shard)
);
CREATE FUNCTION light_days_add(r TEXT, e TEXT, d INTEGER) RETURNS void LANGUAGE sql AS $$
    INSERT INTO light_days (day, shard, red, lit) VALUES (r, pg_backend_pid() % 8, d, 0)
    ON CONFLICT (day, shard) DO UPDATE SET red = light_days.red + excluded.red;
    INSERT INTO light_days (day, shard, red, lit) VALUES (e, pg_backend_pid() % 8, 0, d)
    ON CONFLICT (day, shard) DO UPDATE SET lit = light_days.lit + excluded.lit;
$$;
CREATE FUNCTION light_days_on_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.red_on = NEW.red_on
       AND OLD.lit_on = NEW.lit_on THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN ('draft','assigned','accepted','in_progress','submitted','returned') THEN
        PERFORM light_days_add(OLD.red_on, OLD.lit_on, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status IN ('draft','assigned','accepted','in_progress','submitted','returned') THEN
        PERFORM light_days_add(NEW.red_on, NEW.lit_on, 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER light_days_insert AFTER INSERT ON items
    FOR EACH ROW EXECUTE FUNCTION light_days_on_item();
CREATE TRIGGER light_days_update AFTER UPDATE OF status, deadline, behind_red_on, feedback_due,
    behind_yellow_on ON items FOR EACH ROW EXECUTE FUNCTION light_days_on_item();
CREATE TRIGGER light_days_delete AFTER DELETE ON items
    FOR EACH ROW EXECUTE FUNCTION light_days_on_item();
INSERT INTO light_days (day, shard, red, lit)
SELECT day, 0, sum(red), sum(lit) FROM (
    SELECT red_on AS day, 1 AS red, 0 AS lit FROM items WHERE status IN ('draft','assigned','accepted','in_progress','submitted','returned')
    UNION ALL
    SELECT lit_on, 0, 1 FROM items WHERE status IN ('draft','assigned','accepted','in_progress','submitted','returned')) x
GROUP BY day;

-- The text index for q: pg_trgm (Debian's postgresql package ships it in
-- contrib; a trusted extension, so the database's owner may create it).
-- Where it cannot be had the lists still work, by reading the rows.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
    EXECUTE 'CREATE INDEX items_title_trgm ON items USING gin (title public.gin_trgm_ops)';
    EXECUTE 'CREATE INDEX items_description_trgm ON items'
            ' USING gin (description public.gin_trgm_ops)';
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%): searches read the rows', SQLERRM;
END $$;

-- The data stamp of the count cache (core/count_cache.h): sequence values
-- commit out of order, so the newest event id can miss a commit; the
-- snapshot a statement sees changes with every commit of a transaction that
-- wrote, and two statements that see the same snapshot see the same rows.
-- The config stamp (migration 008, random) tells apart two databases, or
-- two schemas, of one cluster, whose snapshots are the same.
CREATE VIEW data_stamp AS
SELECT ('x' || substr(md5(pg_current_snapshot()::text
                          || (SELECT stamp FROM config_stamp WHERE id = 1)), 1, 16))::bit(64)::bigint
       AS stamp;

-- facts_stamp: see src/db/sql/sqlite/010_list_counts.sql.
CREATE TABLE facts_stamp (
    shard INTEGER PRIMARY KEY,
    stamp BIGINT NOT NULL
);
INSERT INTO facts_stamp (shard, stamp) VALUES (0, floor(random() * 1000000000)::bigint), (1, 0),
    (2, 0), (3, 0), (4, 0), (5, 0), (6, 0), (7, 0);
CREATE FUNCTION facts_stamp_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE facts_stamp SET stamp = stamp + 1 WHERE shard = pg_backend_pid() % 8;
    RETURN NULL;
END $$;
CREATE TRIGGER facts_stamp_item_facts AFTER INSERT OR UPDATE OR DELETE ON item_facts
    FOR EACH STATEMENT EXECUTE FUNCTION facts_stamp_bump();
CREATE TRIGGER facts_stamp_feedback AFTER INSERT OR UPDATE OR DELETE ON feedback
    FOR EACH STATEMENT EXECUTE FUNCTION facts_stamp_bump();
CREATE TRIGGER facts_stamp_extensions AFTER INSERT OR UPDATE OR DELETE ON extensions
    FOR EACH STATEMENT EXECUTE FUNCTION facts_stamp_bump();
CREATE TRIGGER facts_stamp_deductions AFTER INSERT OR UPDATE OR DELETE ON deductions
    FOR EACH STATEMENT EXECUTE FUNCTION facts_stamp_bump();
CREATE TRIGGER facts_stamp_units AFTER INSERT OR UPDATE OR DELETE ON units
    FOR EACH STATEMENT EXECUTE FUNCTION facts_stamp_bump();
CREATE TRIGGER facts_stamp_light_history AFTER INSERT OR UPDATE OR DELETE ON light_history
    FOR EACH STATEMENT EXECUTE FUNCTION facts_stamp_bump();
CREATE TRIGGER facts_stamp_items_feedback_due AFTER UPDATE OF feedback_due ON items
    FOR EACH STATEMENT EXECUTE FUNCTION facts_stamp_bump();
