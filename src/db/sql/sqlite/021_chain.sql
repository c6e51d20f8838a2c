-- 021_chain: down the chain of responsibility (issue 18).  The PostgreSQL
-- twin is src/db/sql/pg/021_chain.sql and must describe the same columns.
--
-- delegated_by: the unit that split the item off one of its own (转办/分办:
-- core/item.c's sub-item rule, core/perm.h's delegating capacity); NULL for
-- the office's own items.  Set once, at creation (the create event says so).
ALTER TABLE items ADD COLUMN delegated_by INTEGER REFERENCES units(id);
CREATE INDEX items_delegated_by ON items(delegated_by, status);

-- leader_id: the responsible leader (责任领导/分管领导), a user with the
-- leader role: set at creation or intake, a filter of the lists, figures
-- by leader on the dashboard.
ALTER TABLE items ADD COLUMN leader_id INTEGER REFERENCES users(id);
CREATE INDEX items_leader ON items(leader_id, status);
