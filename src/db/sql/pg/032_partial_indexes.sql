-- 032_partial_indexes: the items' indexes on links most items never have.
-- The PostgreSQL twin of src/db/sql/sqlite/032_partial_indexes.sql (see there).
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
