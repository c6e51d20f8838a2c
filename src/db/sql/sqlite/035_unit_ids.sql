-- 035_unit_ids: the two visibility rules that had no index by unit.  A
-- list for one who does not see every item reads each rule's items by the
-- unit (perm.h, PERM_UNIT_IDS_SQL): a challenge's applicant unit and the
-- unit that drafted it were found by walking every application and every
-- challenge.  Indexes only; no row changes.
-- The PostgreSQL twin is src/db/sql/pg/035_unit_ids.sql.
CREATE INDEX challenge_applications_unit ON challenge_applications(unit_id, item_id);
CREATE INDEX challenges_author ON challenges(author_unit_id, item_id) WHERE author_unit_id IS NOT NULL;
