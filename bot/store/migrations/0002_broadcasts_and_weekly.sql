-- Admin broadcasts (their outbox rows point back to them) and the weekly summary settings.

CREATE TABLE broadcasts (
    id                  INTEGER PRIMARY KEY,
    admin_id            INTEGER,          -- NULL once that admin deletes their data
    admin_chat_id       INTEGER,
    text                TEXT NOT NULL,
    entities            TEXT,             -- JSON MessageEntity list, when copied from a message
    status              TEXT NOT NULL DEFAULT 'preview'
                        CHECK (status IN ('preview', 'sending', 'done', 'cancelled')),
    recipients          INTEGER NOT NULL DEFAULT 0,
    progress_message_id INTEGER,
    created_at          REAL NOT NULL,
    started_at          REAL,
    finished_at         REAL
);

ALTER TABLE outbox ADD COLUMN broadcast_id INTEGER REFERENCES broadcasts (id);
CREATE INDEX outbox_by_broadcast ON outbox (broadcast_id, status) WHERE broadcast_id IS NOT NULL;

ALTER TABLE users ADD COLUMN weekly_day INTEGER NOT NULL DEFAULT 6;     -- 0 Monday ... 6 Sunday
ALTER TABLE users ADD COLUMN weekly_summary INTEGER NOT NULL DEFAULT 1; -- 0 opted out
