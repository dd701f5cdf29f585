-- The user's own country (ISO 3166 alpha-2), for emergency numbers. NULL: derive it from the
-- time zone, as every row from before this migration does; 'ZZ': "mine is not in your list".
ALTER TABLE users ADD COLUMN country TEXT;
