-- A lean outbox. Most rows carry the same body as thousands of others (one tip text, one
-- check-in question per language and day, one broadcast), so bodies are stored once in
-- outbox_payloads and rows point at them; such rows keep payload = ''. Rows written before
-- this migration keep their inline payload and still send. Finished rows are pruned by age,
-- in small batches through outbox_by_created; a body goes when no row points at it.
CREATE TABLE outbox_payloads (
    id     INTEGER PRIMARY KEY,
    digest TEXT NOT NULL UNIQUE,          -- BLAKE2b-128 of body, hex
    body   TEXT NOT NULL                  -- JSON of a typed message (bot/core/outbox.py)
);
ALTER TABLE outbox ADD COLUMN payload_id INTEGER;
CREATE INDEX outbox_by_payload ON outbox (payload_id) WHERE payload_id IS NOT NULL;
CREATE INDEX outbox_by_created ON outbox (created_at);
