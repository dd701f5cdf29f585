-- Keep the plain-words reason an escalation gave the user, for the doctor summary.
ALTER TABLE escalations ADD COLUMN reason TEXT;
