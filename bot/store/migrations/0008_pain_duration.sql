-- How long the user's pain had gone on when they told FootCare (at onboarding, or later in
-- /settings), and the local date they said it: the persistent and long-haul rules count from
-- the day the pain began (issue 20, item 6). NULL, as in every row from before this
-- migration: not answered, so the rules count from the first check-in of the current stretch.
ALTER TABLE users ADD COLUMN pain_duration TEXT
    CHECK (pain_duration IN ('under_6_weeks', '6_weeks_to_3_months', '3_to_12_months',
                             'over_a_year'));
ALTER TABLE users ADD COLUMN pain_duration_on TEXT;
