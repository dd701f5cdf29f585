-- The inbox: every update from Telegram is written here before it is acknowledged (the next
-- getUpdates offset, or the webhook's 200), and marked handled once its handler has finished.
-- At start, rows not handled yet (a crash) are handled first, in update_id order. update_id is
-- Telegram's own key, so a repeat of a stored update is recognised and handled once. The body
-- is dropped when the update is handled; the row stays 48 hours for that recognition (Telegram
-- keeps an unacknowledged update for at most 24), then goes. A user's rows go with /delete.
-- No foreign key: updates also come from people who never subscribed.
CREATE TABLE inbox (
    update_id   INTEGER PRIMARY KEY,
    user_id     INTEGER,                  -- the update's sender, NULL when it has none
    received_at REAL NOT NULL,
    handled_at  REAL,                     -- NULL until its handler finished
    body        TEXT                      -- the update's JSON until handled, then NULL
);
CREATE INDEX inbox_unhandled ON inbox (update_id) WHERE handled_at IS NULL;
CREATE INDEX inbox_by_user ON inbox (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX inbox_by_received ON inbox (received_at);
