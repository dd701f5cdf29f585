-- The per-user-per-day tables as WITHOUT ROWID (issue 25, a million subscribers): each is
-- stored in its primary key's order, so one user's rows sit side by side in a page or two
-- instead of one page per day of the table's append order, and the key is the table itself,
-- not a second copy in an index. The daily dispatch reads every due user's tips of the cycle
-- and week of check-ins: 35 scattered page reads per user became one. tip_deliveries loses
-- its (user_id, local_date) index: a user's rows are one short range of the key, and today's
-- tip is found in it. Same columns, constraints and cascades; every row is copied.

CREATE TABLE checkins_0012 (
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    local_date  TEXT NOT NULL,
    score       INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    answered_at REAL NOT NULL,
    filled_late INTEGER NOT NULL DEFAULT 0 CHECK (filled_late IN (0, 1)),
    PRIMARY KEY (user_id, local_date)
) WITHOUT ROWID;
INSERT INTO checkins_0012 (user_id, local_date, score, answered_at, filled_late)
    SELECT user_id, local_date, score, answered_at, filled_late FROM checkins
    ORDER BY user_id, local_date;
DROP TABLE checkins;
ALTER TABLE checkins_0012 RENAME TO checkins;

CREATE TABLE tip_deliveries_0012 (
    user_id    INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    cycle      INTEGER NOT NULL,
    tip_id     TEXT NOT NULL,
    local_date TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (user_id, cycle, tip_id)
) WITHOUT ROWID;
INSERT INTO tip_deliveries_0012 (user_id, cycle, tip_id, local_date, created_at)
    SELECT user_id, cycle, tip_id, local_date, created_at FROM tip_deliveries
    ORDER BY user_id, cycle, tip_id;
DROP TABLE tip_deliveries;  -- its index tip_deliveries_by_date goes with it
ALTER TABLE tip_deliveries_0012 RENAME TO tip_deliveries;

CREATE TABLE red_flag_answers_0012 (
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    local_date  TEXT NOT NULL,
    flags       TEXT NOT NULL,            -- comma-separated RedFlag values
    answered_at REAL NOT NULL,
    PRIMARY KEY (user_id, local_date)
) WITHOUT ROWID;
INSERT INTO red_flag_answers_0012 (user_id, local_date, flags, answered_at)
    SELECT user_id, local_date, flags, answered_at FROM red_flag_answers
    ORDER BY user_id, local_date;
DROP TABLE red_flag_answers;
ALTER TABLE red_flag_answers_0012 RENAME TO red_flag_answers;

CREATE TABLE first_step_pain_0012 (
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    local_date  TEXT NOT NULL,
    score       INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    filled_late INTEGER NOT NULL DEFAULT 0 CHECK (filled_late IN (0, 1)),
    answered_at REAL NOT NULL,
    PRIMARY KEY (user_id, local_date)
) WITHOUT ROWID;
INSERT INTO first_step_pain_0012 (user_id, local_date, score, filled_late, answered_at)
    SELECT user_id, local_date, score, filled_late, answered_at FROM first_step_pain
    ORDER BY user_id, local_date;
DROP TABLE first_step_pain;
ALTER TABLE first_step_pain_0012 RENAME TO first_step_pain;
