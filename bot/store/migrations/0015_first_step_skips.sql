-- Issue 22, wiring: the local date a user skipped the morning first-steps question, so that
-- a typed number that day answers today's pain (the question now pending) instead. NULL:
-- never skipped. Rows from before keep NULL.
ALTER TABLE foot_profiles ADD COLUMN first_step_skipped_on TEXT;
