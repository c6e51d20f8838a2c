-- 005_hazards: the hazard closed loop (隐患排查整治) — the category taxonomy
-- (the Open311 services), the hazard row of an item of kind hazard, its
-- photos, the routing table category × area → responsible unit with history,
-- Open311 API keys, and monthly campaigns (一月一主题).  The PostgreSQL twin
-- is src/db/sql/pg/005_hazards.sql and must describe the same tables.
-- Timestamps are BIGINT milliseconds; dates 'YYYY-MM-DD'; months 'YYYY-MM'.

-- The taxonomy.  code is the Open311 service_code; attributes is a JSON array
-- of Open311 attribute definitions ({code, datatype, required, description,
-- values:[{key,name}]}) for the per-category fields ('[]' when none).
CREATE TABLE hazard_categories (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    grp         TEXT NOT NULL DEFAULT 'safety',
    description TEXT NOT NULL DEFAULT '',
    attributes  TEXT NOT NULL DEFAULT '[]',
    active      INTEGER NOT NULL DEFAULT 1,
    sort        INTEGER NOT NULL DEFAULT 0
);

-- One row per item of kind hazard.  level and category are the triage's
-- (NULL until then).  plan is the major hazard's six-part remediation plan
-- as a JSON object.  duplicate_of links a report to the original it repeats.
CREATE TABLE hazards (
    item_id         INTEGER PRIMARY KEY REFERENCES items(id),
    category_id     INTEGER REFERENCES hazard_categories(id),
    level           TEXT CHECK (level IN ('general','major')),
    address         TEXT NOT NULL DEFAULT '',
    latitude        REAL,
    longitude       REAL,
    grid_unit_id    INTEGER REFERENCES units(id),
    place_unit_id   INTEGER REFERENCES units(id),
    place_name      TEXT NOT NULL DEFAULT '',
    reporter_id     INTEGER REFERENCES users(id),
    reporter_name   TEXT NOT NULL DEFAULT '',
    reporter_contact TEXT NOT NULL DEFAULT '',
    channel         TEXT NOT NULL DEFAULT 'api' CHECK (channel IN ('api','web','open311')),
    api_key_id      INTEGER,
    attributes      TEXT NOT NULL DEFAULT '{}',
    duplicate_of    INTEGER REFERENCES items(id),
    proposed_unit_id INTEGER REFERENCES units(id),
    plan            TEXT,
    listed_at       BIGINT,
    delisted_at     BIGINT,
    submitted_on    TEXT,
    acceptance_due  TEXT,
    closed_at       BIGINT
);
CREATE INDEX hazards_grid ON hazards(grid_unit_id);
CREATE INDEX hazards_place ON hazards(place_unit_id);
CREATE INDEX hazards_reporter ON hazards(reporter_id);
CREATE INDEX hazards_duplicate ON hazards(duplicate_of);

-- Photos: the report's (phase 'report') and the rectification's ('after'),
-- kept as base64 text so both drivers store them the same way.
CREATE TABLE hazard_photos (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items(id),
    phase       TEXT NOT NULL CHECK (phase IN ('report','after')),
    mime        TEXT NOT NULL CHECK (mime IN ('image/jpeg','image/png')),
    bytes       INTEGER NOT NULL,
    data        TEXT NOT NULL,
    uploaded_by INTEGER REFERENCES users(id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX hazard_photos_item ON hazard_photos(item_id, id);

-- Routing: category × area (a grid or a town; NULL = the whole city) → the
-- responsible unit.  A change closes the current row (valid_to) and adds a
-- new one, so the table is its own history.
CREATE TABLE hazard_routes (
    id           INTEGER PRIMARY KEY,
    category_id  INTEGER NOT NULL REFERENCES hazard_categories(id),
    area_unit_id INTEGER REFERENCES units(id),
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    valid_from   BIGINT NOT NULL,
    valid_to     BIGINT,
    created_by   INTEGER REFERENCES users(id)
);
CREATE INDEX hazard_routes_key ON hazard_routes(category_id, area_unit_id, valid_to);

-- Open311 API keys: only the SHA-256 of a key is kept.
CREATE TABLE api_keys (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    key_hash   TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
);

-- Monthly themed campaigns (一月一主题): a theme for a month, the categories
-- it covers and the units it targets; items attach to at most one campaign.
CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY,
    theme       TEXT NOT NULL,
    month       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_by  INTEGER REFERENCES users(id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX campaigns_month ON campaigns(month);
CREATE TABLE campaign_categories (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    category_id INTEGER NOT NULL REFERENCES hazard_categories(id),
    PRIMARY KEY (campaign_id, category_id)
);
CREATE TABLE campaign_units (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (campaign_id, unit_id)
);
CREATE TABLE campaign_items (
    item_id     INTEGER PRIMARY KEY REFERENCES items(id),
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id)
);
CREATE INDEX campaign_items_campaign ON campaign_items(campaign_id, item_id);

-- The common fields of safety checks, as the first taxonomy.
INSERT INTO hazard_categories (code, name, name_en, grp, description, attributes, sort) VALUES
    ('fire', '消防', 'Fire safety', 'safety', '消防通道、消防设施、电动自行车违规充电等',
     '[{"code":"exit_blocked","datatype":"singlevaluelist","required":false,"description":"安全出口或消防通道是否堵塞","values":[{"key":"yes","name":"是"},{"key":"no","name":"否"}]}]', 1),
    ('gas', '燃气', 'Gas', 'safety', '管道燃气、瓶装液化气的使用与存放',
     '[{"code":"gas_type","datatype":"singlevaluelist","required":true,"description":"燃气种类","values":[{"key":"pipeline","name":"管道燃气"},{"key":"bottled","name":"瓶装液化气"}]}]', 2),
    ('electric', '用电', 'Electrical', 'safety', '私拉乱接、线路老化、配电设施', '[]', 3),
    ('hazchem', '危化品', 'Hazardous chemicals', 'safety', '危险化学品的生产、储存、使用与运输', '[]', 4),
    ('special_equipment', '特种设备', 'Special equipment', 'safety', '锅炉、压力容器、电梯、起重机械等',
     '[{"code":"equipment","datatype":"singlevaluelist","required":false,"description":"设备种类","values":[{"key":"boiler","name":"锅炉"},{"key":"pressure_vessel","name":"压力容器"},{"key":"elevator","name":"电梯"},{"key":"crane","name":"起重机械"}]}]', 5),
    ('construction', '建筑施工', 'Construction', 'safety', '施工现场、脚手架、深基坑、高处作业', '[]', 6),
    ('road_traffic', '道路交通', 'Road traffic', 'safety', '道路设施、交通秩序、客货运输', '[]', 7),
    ('confined_space', '有限空间', 'Confined spaces', 'safety', '有限空间作业审批、通风检测与监护', '[]', 8),
    ('dust_explosion', '粉尘涉爆', 'Combustible dust', 'safety', '粉尘涉爆场所的除尘系统与清扫', '[]', 9),
    ('other', '其他', 'Other', 'safety', '其他安全隐患', '[]', 10);

-- Acceptance of a major hazard's rectification within this many days of the
-- request (复查申请), and what discovery.json says about the endpoint.
INSERT INTO settings (key, value) VALUES
    ('hazard.acceptance_days', '10'),
    ('open311.changeset', '2024-01-01T00:00:00+08:00'),
    ('open311.contact', '督查室（督考办）'),
    ('open311.key_service', '向督查室申请 API key（luoshi apikey add --name NAME）');
