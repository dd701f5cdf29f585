"""SQLite persistence: the source of truth for users, schedules, check-ins and the outbox."""
