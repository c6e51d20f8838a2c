-- 027_remediations: the remediation of low-efficiency industrial land
-- (低效用地整治, DESIGN.md "Land efficiency"; docs/remediation.md) — one row
-- per item of kind remediation: the enterprise whose land it is, the year
-- and class of the evaluation that opened it (NULL when the office opened it
-- by hand), the way chosen (提升 upgrade, 兼并 merge, 收回 reclaim) and the
-- one-enterprise-one-plan text (一企一方案).  The land to free or upgrade is
-- the item's metric (亩), its progress the lead unit's feedback.  The
-- SQLite twin is src/db/sql/sqlite/027_remediations.sql.
CREATE TABLE remediations (
    item_id            BIGINT PRIMARY KEY REFERENCES items(id),
    enterprise_unit_id BIGINT NOT NULL REFERENCES units(id),
    year               BIGINT CHECK (year BETWEEN 2000 AND 2100),
    class              TEXT CHECK (class IN ('C','D')),
    mode               TEXT NOT NULL DEFAULT 'upgrade' CHECK (mode IN ('upgrade','merge','reclaim')),
    plan               TEXT NOT NULL DEFAULT ''
);
CREATE INDEX remediations_enterprise ON remediations(enterprise_unit_id, item_id);
-- One remediation per enterprise and evaluation year (a NULL year, one opened by hand, is never
-- equal to another, so those are not limited).
CREATE UNIQUE INDEX remediations_year ON remediations(year, enterprise_unit_id);
