-- Links a user gives a clinician to a read-only page of their record (issue 24). Only the
-- SHA-256 of the link's token is kept: the token itself is shown once, in the user's chat.
-- A link is live while revoked_at is NULL and expires_at is ahead; its openings are logged
-- by time only (no address). Both tables go with the user (/delete) through the cascade.
CREATE TABLE shares (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    token_hash  BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    name        TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 64),  -- shown on the page
    created_at  REAL NOT NULL,
    expires_at  REAL NOT NULL CHECK (expires_at > created_at),
    revoked_at  REAL
);
CREATE INDEX shares_by_user ON shares (user_id, expires_at);

CREATE TABLE share_openings (
    id         INTEGER PRIMARY KEY,
    share_id   INTEGER NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
    opened_at  REAL NOT NULL
);
CREATE INDEX share_openings_by_share ON share_openings (share_id, opened_at);

-- /share asks the name first, then the duration; the chosen name waits here in between
-- (one per user, replaced by a newer /share, taken when the link is made).
CREATE TABLE share_drafts (
    user_id     INTEGER PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
    name        TEXT NOT NULL CHECK (length(name) <= 64),
    created_at  REAL NOT NULL
);
