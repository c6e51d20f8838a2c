-- 032_partial_indexes: the items' indexes on links that most items never
-- have (a parent plan, a meeting, a delegating leader, a leader's
-- instruction, an instruction file) hold only the items that have one.
-- The PostgreSQL twin is src/db/sql/pg/032_partial_indexes.sql.
--
-- Every query that reads them asks for a value (col = ?, a join on col, col
-- IN (…), col IS NOT NULL), which implies the index's condition for both
-- engines' planners, so the plans stay as they were (core/item_count_test
-- checks them); a new item without these links now writes none of the five
-- (about a sixth of a create's pages, bench/README.md, issue 25).
DROP INDEX items_parent;
CREATE INDEX items_parent ON items(parent_id) WHERE parent_id IS NOT NULL;
DROP INDEX items_meeting;
CREATE INDEX items_meeting ON items(meeting_id, meeting_paragraph) WHERE meeting_id IS NOT NULL;
DROP INDEX items_delegated_by;
CREATE INDEX items_delegated_by ON items(delegated_by, status) WHERE delegated_by IS NOT NULL;
DROP INDEX items_leader;
CREATE INDEX items_leader ON items(leader_id, status) WHERE leader_id IS NOT NULL;
DROP INDEX items_instruction_file;
CREATE INDEX items_instruction_file ON items(instruction_file_id)
    WHERE instruction_file_id IS NOT NULL;
