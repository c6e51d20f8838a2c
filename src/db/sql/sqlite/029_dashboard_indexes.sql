-- 029_dashboard_indexes: two indexes that let the dashboard (驾驶舱) read its
-- figures from index ranges instead of rows (bench/README.md, issue 25).
-- The yellow list reads the items lit but not red (lit_on <= the day after
-- the warning date, red_on > today) from one covering range; before, it read
-- every lit item's row, red ones included, to drop the red.  The count of
-- assigned items not signed for within the limit (未按时签收) reads the
-- assigned range by day.  items_lit_on is a prefix of the first and goes.
-- The year's and the month's late signings (考核, read by the dashboard's
-- card and every notice) read the window's accepts by action and time; they
-- walked every event of the city.
-- The PostgreSQL twin is src/db/sql/pg/029_dashboard_indexes.sql.
CREATE INDEX items_lit_red ON items(lit_on, red_on);
DROP INDEX items_lit_on;
CREATE INDEX items_status_assigned ON items(status, assigned_on);
CREATE INDEX events_action_at ON events(action, at);
