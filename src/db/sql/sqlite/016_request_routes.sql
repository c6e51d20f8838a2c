-- 016_request_routes: routing for enterprise requests (企业诉求,
-- docs/requests.md) — which unit answers a request of a category from an
-- enterprise in an area (its town, or any unit above the enterprise; none:
-- the whole city), like hazard_routes (005) for hazards.  A rule is kept
-- with its history (valid_from, valid_to in ms); the current one has no
-- valid_to.  Changed through the configuration chain (section
-- request_routes), as the request categories now are (request_categories).
-- The PostgreSQL twin is src/db/sql/pg/016_request_routes.sql.
CREATE TABLE request_routes (
    id           INTEGER PRIMARY KEY,
    category     TEXT NOT NULL REFERENCES request_categories(code),
    area_unit_id INTEGER REFERENCES units(id),
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    valid_from   BIGINT NOT NULL,
    valid_to     BIGINT,
    created_by   INTEGER REFERENCES users(id)
);
CREATE INDEX request_routes_key ON request_routes(category, area_unit_id, valid_to);
