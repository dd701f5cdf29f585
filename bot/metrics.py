"""The bot's Prometheus metrics, in a registry of their own (not the library's global one).

Labels are message kinds, escalation rule names and share page outcomes only: never a user
id, a chat id, a score or a token. The outbox backlog is read from the database at scrape
time (`refresh_backlog`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from bot.core.outbox import MessageKind

# Seconds between a user's due time and the dispatcher enqueueing it: a 30 s tick puts most
# below 30; minutes mean the dispatcher falls behind, hours a catch-up after downtime.
LATENESS_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 900, 3600, 6 * 3600, float("inf"))
INBOX_OUTCOMES = ("stored", "repeat", "unstored", "replayed")
SHARE_OUTCOMES = ("landing", "record", "pdf", "not_found", "rate_limited", "too_large", "failed")
UPDATE_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, float("inf"))


class Metrics:
    """Every metric the bot exports; one instance per running bot."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.backlog = Gauge(
            "footcare_outbox_backlog",
            "Outbox rows pending or in flight, by kind (read at scrape time)",
            ["kind"],
            registry=r,
        )
        self.sent = Counter(
            "footcare_messages_sent", "Outbox messages delivered, by kind", ["kind"], registry=r
        )
        self.failed = Counter(
            "footcare_messages_failed",
            "Outbox messages given up on (refused or out of attempts), by kind",
            ["kind"],
            registry=r,
        )
        self.blocked = Counter(
            "footcare_messages_blocked",
            "Outbox messages not delivered because the user blocked the bot, by kind",
            ["kind"],
            registry=r,
        )
        self.rate_limited = Counter(
            "footcare_telegram_429", "429 Too Many Requests answers from Telegram", registry=r
        )
        self.lateness = Histogram(
            "footcare_dispatch_lateness_seconds",
            "Seconds between a user's due time and their daily messages entering the outbox",
            buckets=LATENESS_BUCKETS,
            registry=r,
        )
        self.dispatcher_last_run = Gauge(
            "footcare_dispatcher_last_run_timestamp_seconds",
            "Unix time the dispatcher last finished a run",
            registry=r,
        )
        self.checkins = Counter(
            "footcare_checkins_answered", "Daily check-in answers recorded", registry=r
        )
        self.escalations = Counter(
            "footcare_escalations", "See-a-doctor escalations sent, by rule", ["rule"], registry=r
        )
        self.update_seconds = Histogram(
            "footcare_update_handling_seconds",
            "Seconds spent handling one Telegram update (after waiting for the user's turn)",
            buckets=UPDATE_BUCKETS,
            registry=r,
        )
        self.inbox = Counter(
            "footcare_inbox_updates",
            "Updates from Telegram by what the inbox did: stored, repeat (already stored, not"
            " handled again), unstored (the database refused writes; handled anyway), replayed"
            " (left unhandled by the last run, handled at start)",
            ["outcome"],
            registry=r,
        )
        self.webhook_rejected = Counter(
            "footcare_webhook_rejected",
            "Webhook requests refused, by reason",
            ["reason"],
            registry=r,
        )
        self.telegram_pending = Gauge(
            "footcare_telegram_pending_updates",
            "Updates Telegram holds for the bot, from getWebhookInfo (read at most once a minute)",
            registry=r,
        )
        self.telegram_last_error = Gauge(
            "footcare_telegram_webhook_last_error_timestamp_seconds",
            "Unix time of Telegram's last failed webhook delivery (getWebhookInfo); 0: none",
            registry=r,
        )
        for outcome in INBOX_OUTCOMES:
            self.inbox.labels(outcome)
        # The clinician share pages (bot/web): openings, and responses by a fixed outcome name.
        self.share_openings = Counter(
            "footcare_share_openings",
            "Shared records opened (a visit's language switch or PDF counts with it)",
            registry=r,
        )
        self.share_responses = Counter(
            "footcare_share_responses", "Share page responses, by outcome", ["outcome"], registry=r
        )
        for outcome in SHARE_OUTCOMES:
            self.share_responses.labels(outcome)
        for kind in MessageKind:
            # Present from the start, so a dashboard shows 0 rather than no data.
            for family in (self.sent, self.failed, self.blocked):
                family.labels(kind.value)
            self.backlog.labels(kind.value).set(0)

    def rejection_reasons(self, reasons: Iterable[str]) -> None:
        """Show every webhook rejection reason from the start, at 0."""
        for reason in reasons:
            self.webhook_rejected.labels(reason)

    def refresh_backlog(self, counts: Mapping[str, int]) -> None:
        """Set the backlog gauge from per-kind counts (kinds absent from `counts` are 0)."""
        for kind in {*(k.value for k in MessageKind), *counts}:
            self.backlog.labels(kind).set(counts.get(kind, 0))

    def exposition(self) -> bytes:
        """Return the metrics in the Prometheus text format."""
        return generate_latest(self.registry)
