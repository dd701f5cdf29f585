-- Users, their schedule, check-ins, tip rotation, escalations and the outbox.
-- Times are UTC epoch seconds (REAL); local dates are ISO strings (YYYY-MM-DD) in the user's zone.

CREATE TABLE users (
    user_id              INTEGER PRIMARY KEY,
    chat_id              INTEGER NOT NULL,
    first_name           TEXT NOT NULL DEFAULT '',
    language_code        TEXT NOT NULL DEFAULT 'en',
    status               TEXT NOT NULL DEFAULT 'active'
                         CHECK (status IN ('active', 'stopped', 'blocked')),
    awaiting             TEXT,            -- what typed text is expected next: 'timezone', 'time'
    timezone             TEXT NOT NULL DEFAULT 'UTC',
    send_time            TEXT NOT NULL DEFAULT '09:00',
    paused_until         TEXT,            -- first local date that is delivered again
    has_diabetes         INTEGER,         -- NULL: not answered
    next_due_utc         REAL,            -- next daily send instant; NULL when not scheduled
    next_due_date        TEXT,            -- the local date that instant belongs to
    tip_seed             TEXT NOT NULL,
    tip_cycle            INTEGER NOT NULL DEFAULT 0,
    pending_checkin_date TEXT,            -- local date of an unanswered check-in prompt
    created_at           REAL NOT NULL,
    updated_at           REAL NOT NULL
);
-- The dispatcher's only query: which active users are due.
CREATE INDEX users_due ON users (next_due_utc) WHERE status = 'active';

CREATE TABLE checkins (
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    local_date  TEXT NOT NULL,
    score       INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    answered_at REAL NOT NULL,
    PRIMARY KEY (user_id, local_date)
);

CREATE TABLE red_flag_answers (
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    local_date  TEXT NOT NULL,
    flags       TEXT NOT NULL,            -- comma-separated RedFlag values
    answered_at REAL NOT NULL,
    PRIMARY KEY (user_id, local_date)
);

CREATE TABLE tip_deliveries (
    user_id    INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    cycle      INTEGER NOT NULL,
    tip_id     TEXT NOT NULL,
    local_date TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (user_id, cycle, tip_id)
);
CREATE INDEX tip_deliveries_by_date ON tip_deliveries (user_id, local_date);

CREATE TABLE escalations (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    rule       TEXT NOT NULL,
    urgency    TEXT NOT NULL,
    local_date TEXT NOT NULL,
    scores     TEXT NOT NULL,             -- JSON list of [date, score] that triggered it
    created_at REAL NOT NULL
);
CREATE INDEX escalations_by_user ON escalations (user_id, rule, local_date);
CREATE INDEX escalations_by_time ON escalations (created_at);

-- Every message the bot sends on its own initiative goes through here. The idempotency key
-- (e.g. 'tip:42:2026-11-24') is unique for the life of the row, so no restart, second tick or
-- overlap can enqueue it twice. Delivered rows stay as 'sent' (the archive) until pruned.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    idem_key    TEXT NOT NULL UNIQUE,
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    chat_id     INTEGER NOT NULL,
    kind        TEXT NOT NULL,             -- 'tip', 'checkin', ...
    local_date  TEXT,
    priority    INTEGER NOT NULL DEFAULT 0, -- lower is sent first
    payload     TEXT NOT NULL,             -- JSON: text, reply_markup
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'blocked',
                                  'unknown', 'skipped')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    message_id  INTEGER,
    created_at  REAL NOT NULL,
    sent_at     REAL
);
CREATE INDEX outbox_pending ON outbox (priority, id) WHERE status = 'pending';
CREATE INDEX outbox_by_user ON outbox (user_id);
