-- Outcome measures (issue 22): where it hurts and which foot, first-step pain per local day,
-- the user's own activities (Patient-Specific Functional Scale) with their 0-10 ratings, the
-- monthly acceptable-state and global-change answers, and a late flag on check-ins filled in
-- the next day. Every table cascades from users, so /delete removes it all. Allowed values are
-- those of the enums in bot/core/outcomes.py.

CREATE TABLE foot_profiles (
    user_id               INTEGER PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
    started_on            TEXT NOT NULL,   -- local date the outcome record began
    site                  TEXT CHECK (site IN ('under_heel', 'achilles', 'insertion',
                                               'elsewhere', 'not_sure')),
    side                  TEXT CHECK (side IN ('left', 'right', 'both')),
    first_step            INTEGER CHECK (first_step IN (0, 1)),  -- NULL: follow the site
    joint_question_on     TEXT,            -- when the "both feet" follow-up was asked
    activities_invited_on TEXT,            -- when the first-week invitation was made
    updated_at            REAL NOT NULL
);

CREATE TABLE first_step_pain (
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    local_date  TEXT NOT NULL,
    score       INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    filled_late INTEGER NOT NULL DEFAULT 0 CHECK (filled_late IN (0, 1)),
    answered_at REAL NOT NULL,
    PRIMARY KEY (user_id, local_date)
);

-- Rows from before stay on-time answers.
ALTER TABLE checkins ADD COLUMN filled_late INTEGER NOT NULL DEFAULT 0
    CHECK (filled_late IN (0, 1));

-- The name is the user's own words: personal data, shown only escaped, never logged.
CREATE TABLE activities (
    id                INTEGER PRIMARY KEY,
    user_id           INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    name              TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    added_on          TEXT NOT NULL,
    dropped_on        TEXT,                -- NULL while followed
    rerate_offered_on TEXT,                -- the last day a weekly re-rating was offered
    created_at        REAL NOT NULL
);
CREATE INDEX activities_by_user ON activities (user_id);

CREATE TABLE activity_ratings (
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    local_date  TEXT NOT NULL,
    score       INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    answered_at REAL NOT NULL,
    PRIMARY KEY (activity_id, local_date)
);
CREATE INDEX activity_ratings_by_user ON activity_ratings (user_id);

-- A row from the day the monthly questions were offered; NULL answers: skipped or not yet.
CREATE TABLE monthly_answers (
    user_id       INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    local_date    TEXT NOT NULL,
    acceptable    INTEGER CHECK (acceptable IN (0, 1)),
    global_change TEXT CHECK (global_change IN ('very_much_better', 'much_better',
                                                'a_little_better', 'no_change',
                                                'a_little_worse', 'much_worse',
                                                'very_much_worse')),
    answered_at   REAL,
    PRIMARY KEY (user_id, local_date)
);
