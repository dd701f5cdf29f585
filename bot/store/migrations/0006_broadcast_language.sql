-- A broadcast can target one language (`/broadcast zh ...`); NULL means every subscriber.
ALTER TABLE broadcasts ADD COLUMN language TEXT;
