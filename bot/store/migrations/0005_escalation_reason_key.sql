-- The reason as data (issue 12): an English msgid and its parameters as JSON, so the doctor
-- summary shows it in the reader's language. Rows from before keep NULL and their text.
ALTER TABLE escalations ADD COLUMN reason_key TEXT;
ALTER TABLE escalations ADD COLUMN reason_params TEXT;
