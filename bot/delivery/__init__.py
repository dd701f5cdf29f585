"""Scheduled delivery: one dispatcher fills the outbox, one sender drains it under rate limits."""
