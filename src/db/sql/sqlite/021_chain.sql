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

-- The 批示件 register (core/instruction_file.c): a leader's instruction on a
-- document, registered with its number, text, date, leader and due date;
-- the items it became point to it (items.instruction_file_id, source
-- instruction).  closed_at: the leader read the result and closed it (办结).
CREATE TABLE instruction_files (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE,
    text        TEXT NOT NULL,
    issued_on   TEXT NOT NULL,
    leader_id   INTEGER NOT NULL REFERENCES users(id),
    due         TEXT,
    created_by  INTEGER REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    closed_at   BIGINT,
    closed_by   INTEGER REFERENCES users(id)
);
CREATE INDEX instruction_files_issued ON instruction_files(issued_on, id);
CREATE INDEX instruction_files_leader ON instruction_files(leader_id, closed_at);
ALTER TABLE items ADD COLUMN instruction_file_id INTEGER REFERENCES instruction_files(id);
CREATE INDEX items_instruction_file ON items(instruction_file_id);
