-- 022_challenges: the challenge (揭榜挂帅 榜单, DESIGN.md "Challenges";
-- docs/challenges.md) — one row per item of kind challenge with the problem
-- as published, the applications (揭榜) of applicants' units, the reviewers'
-- scores, and the payments (拨付) in tranches.  The PostgreSQL twin is
-- src/db/sql/pg/022_challenges.sql and must describe the same tables.

-- One row per item of kind challenge.  owner_unit_id is the unit that posts
-- the problem (发榜单位); reward_wan the reward (榜金, 万元); apply_until the
-- last day of applications; max_per_applicant how many applications one unit
-- may file.  phase: draft until published, open for applications, closed
-- (early by the office; apply_until passing closes it too), awarded, or none
-- (no winner).  result and report are the acceptance's (验收).
CREATE TABLE challenges (
    item_id           INTEGER PRIMARY KEY REFERENCES items(id),
    problem           TEXT NOT NULL,
    owner_unit_id     INTEGER NOT NULL REFERENCES units(id),
    field             TEXT NOT NULL,
    reward_wan        REAL NOT NULL CHECK (reward_wan > 0),
    apply_until       TEXT NOT NULL,
    max_per_applicant INTEGER NOT NULL DEFAULT 1 CHECK (max_per_applicant BETWEEN 1 AND 20),
    expected_results  TEXT NOT NULL DEFAULT '',
    time_frame        TEXT NOT NULL DEFAULT '',
    phase             TEXT NOT NULL DEFAULT 'draft'
                      CHECK (phase IN ('draft','open','closed','awarded','none')),
    published_on      TEXT,
    closed_on         TEXT,
    winner_id         INTEGER,
    awarded_on        TEXT,
    result            TEXT CHECK (result IN ('pass','fail')),
    report            TEXT,
    verified_on       TEXT
);
CREATE INDEX challenges_phase ON challenges(phase, item_id);

-- An application (揭榜): by a user of unit_id (role applicant), with the
-- team, the plan, the budget and the members (a JSON array of names).
CREATE TABLE challenge_applications (
    id         INTEGER PRIMARY KEY,
    item_id    INTEGER NOT NULL REFERENCES challenges(item_id),
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    user_id    INTEGER REFERENCES users(id),
    team       TEXT NOT NULL,
    plan       TEXT NOT NULL,
    budget_wan REAL NOT NULL CHECK (budget_wan >= 0),
    members    TEXT NOT NULL DEFAULT '[]',
    filed_on   TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX challenge_applications_item ON challenge_applications(item_id, unit_id);

-- A reviewer's score of an application, once per reviewer and application.
CREATE TABLE challenge_reviews (
    application_id INTEGER NOT NULL REFERENCES challenge_applications(id),
    reviewer_id    INTEGER NOT NULL REFERENCES users(id),
    score          INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    comment        TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (application_id, reviewer_id)
);

-- A payment of the reward (拨付), in tranches whose total never passes it.
CREATE TABLE challenge_disbursements (
    id         INTEGER PRIMARY KEY,
    item_id    INTEGER NOT NULL REFERENCES challenges(item_id),
    amount_wan REAL NOT NULL CHECK (amount_wan > 0),
    note       TEXT NOT NULL DEFAULT '',
    paid_on    TEXT NOT NULL,
    user_id    INTEGER REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX challenge_disbursements_item ON challenge_disbursements(item_id, id);
