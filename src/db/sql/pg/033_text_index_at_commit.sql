-- 033_text_index_at_commit: SQLite's text index is written once per
-- transaction (src/db/sql/sqlite/033_text_index_at_commit.sql).  PostgreSQL
-- has no such index (pg_trgm indexes fill themselves): nothing changes here,
-- and the schema versions of the two stay one.
SELECT 1;
