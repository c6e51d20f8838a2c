-- 004_meetings: meeting intake (docs/intake.md) — the meetings read from a
-- report, their paragraphs, the link from an item to the meeting and
-- paragraph it came from, and the admin-editable keyword → unit table the
-- pipeline suggests units from.  The PostgreSQL twin is
-- src/db/sql/pg/004_meetings.sql and must describe the same tables.

-- A meeting as intake read it.  text is the cleaned text (the paragraphs
-- joined by "\n"): the directives' offsets refer to it.  date is
-- 'YYYY-MM-DD' or NULL when the report gives none.
CREATE TABLE meetings (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    date         TEXT,
    chair        TEXT,
    source_title TEXT,               -- the headline of the article it was read from
    text         TEXT NOT NULL,
    created_by   INTEGER REFERENCES users(id),
    created_at   BIGINT NOT NULL
);

-- The repaired paragraphs, headlines and leads included, in text order
-- (idx from 0, as POST /api/v1/intake numbers them).  start_pos and end_pos
-- are code point offsets into meetings.text, end exclusive.
CREATE TABLE meeting_paragraphs (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    idx        INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('body','headline','lead')),
    start_pos  INTEGER NOT NULL,
    end_pos    INTEGER NOT NULL,
    text       TEXT NOT NULL,
    PRIMARY KEY (meeting_id, idx)
);

-- An item made from a meeting's directive: the meeting and the paragraph
-- (meeting_paragraphs.idx) the directive stands in.  NULL for other items.
ALTER TABLE items ADD COLUMN meeting_id INTEGER REFERENCES meetings(id);
ALTER TABLE items ADD COLUMN meeting_paragraph INTEGER;
CREATE INDEX items_meeting ON items(meeting_id, meeting_paragraph);

-- The keyword → unit table: a directive that names no unit and mentions
-- keyword suggests unit_id.  A keyword may suggest several units.
CREATE TABLE intake_rules (
    id      INTEGER PRIMARY KEY,
    keyword TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    UNIQUE (keyword, unit_id)
);
