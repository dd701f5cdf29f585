"""The named states and statuses shared by features and storage, as string enums.

Their values are what SQLite stores, so renaming a member is a migration, not a refactor.
"""

from __future__ import annotations

from enum import StrEnum


class UserStatus(StrEnum):
    """Whether a subscriber gets scheduled messages."""

    ACTIVE = "active"
    STOPPED = "stopped"  # /stop: no scheduled messages, data kept until /delete
    BLOCKED = "blocked"  # Telegram answered 403: nothing more until they write again


class Awaiting(StrEnum):
    """What the bot expects the user's next typed text to be."""

    TIMEZONE = "timezone"  # onboarding's first step (a zone tapped or typed)
    ZONE = "zone"  # a zone to type, asked after onboarding
    ONBOARDING_COUNTRY = "onboarding_country"  # onboarding: a country tapped or typed, then on
    PAIN_DURATION = "pain_duration"  # onboarding: how long the pain has gone on (buttons)
    SITE = "site"  # onboarding: where it hurts and which foot (buttons, skippable)
    TIME = "time"
    COUNTRY = "country"  # a country to type, asked from /settings
    # A language chosen with /language before /start: the row only holds that choice (the
    # user is stopped, not subscribed) until /start, which greets them in it.
    START = "start"


class OutboxStatus(StrEnum):
    """Where one outbox row stands."""

    PENDING = "pending"
    SENDING = "sending"  # claimed by the sender; requeued at start after a crash
    SENT = "sent"
    SKIPPED = "skipped"
    BLOCKED = "blocked"
    FAILED = "failed"
    UNKNOWN = "unknown"  # a timeout after the request may have reached Telegram; not resent

    @classmethod
    def queued(cls) -> tuple[OutboxStatus, ...]:
        """Return the statuses of rows still to be sent."""
        return (cls.PENDING, cls.SENDING)

    @classmethod
    def finished(cls) -> tuple[OutboxStatus, ...]:
        """Return the statuses of rows that will never be sent again."""
        return (cls.SENT, cls.SKIPPED, cls.BLOCKED, cls.FAILED, cls.UNKNOWN)


class BroadcastStatus(StrEnum):
    """Where an admin broadcast stands."""

    PREVIEW = "preview"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"
