-- 024_efficiency: the yearly 亩均效益评价 (core/efficiency.h).  The PostgreSQL
-- twin is src/db/sql/pg/024_efficiency.sql and must describe the same tables.
--
-- An enterprise is a unit of kind 'enterprise' (its code is its 统一社会信用代码)
-- with its register row here and its land parcels (地块).  A year's data is
-- one row per enterprise, replaced whole by each import; the scores are
-- computed from it and the year's config (a settings row, so on the
-- configuration chain), never stored.  Objections and the year's record
-- (imports, evaluate, publish, decisions, finalize, each with its actor) are
-- append-only rows except an objection's decision.
CREATE TABLE enterprises (
    unit_id     INTEGER PRIMARY KEY REFERENCES units(id),
    credit_code TEXT NOT NULL UNIQUE,
    industry    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE enterprise_parcels (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    number      TEXT NOT NULL,
    area_mu     REAL NOT NULL CHECK (area_mu >= 0),
    land_use    TEXT NOT NULL DEFAULT '',
    UNIQUE (unit_id, number)
);

CREATE TABLE efficiency_data (
    year            INTEGER NOT NULL,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    town_unit_id    INTEGER NOT NULL REFERENCES units(id),
    sheet_row       INTEGER NOT NULL,
    scale           TEXT NOT NULL CHECK (scale IN ('above', 'below')),
    land_mu         REAL NOT NULL CHECK (land_mu >= 0),
    tax_wan         REAL,
    value_added_wan REAL,
    revenue_wan     REAL,
    employees       REAL,
    energy_tce      REAL,
    emission_t      REAL,
    rd_wan          REAL,
    electricity_mwh REAL,
    PRIMARY KEY (year, unit_id)
);

CREATE TABLE efficiency_objections (
    id              INTEGER PRIMARY KEY,
    year            INTEGER NOT NULL,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    text            TEXT NOT NULL,
    attachment_ids  TEXT NOT NULL DEFAULT '[]',
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'accepted', 'rejected')),
    decision_reason TEXT,
    correction      TEXT,
    created_by      INTEGER REFERENCES users(id),
    created_at      BIGINT NOT NULL,
    decided_by      INTEGER REFERENCES users(id),
    decided_at      BIGINT
);
CREATE INDEX efficiency_objections_year ON efficiency_objections(year, unit_id);

CREATE TABLE efficiency_log (
    id      INTEGER PRIMARY KEY,
    year    INTEGER NOT NULL,
    at      BIGINT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    detail  TEXT NOT NULL
);
CREATE INDEX efficiency_log_year ON efficiency_log(year, id);
