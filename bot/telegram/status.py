"""Telegram's own view of the bot's updates (getWebhookInfo), for /healthz and /metrics.

Telegram knows what the bot cannot: how many updates wait for it, and why its last webhook
delivery failed (a proxy answering 502, a certificate problem). It is read at most once a
minute, whatever the scrape rate, so a tight health check never costs requests.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import Bot
from telegram.error import TelegramError

from bot.clock import Clock
from bot.metrics import Metrics

READ_EVERY = timedelta(minutes=1)
READ_TIMEOUT = 5.0  # seconds a read may hold up a scrape when Telegram is slow


@dataclass(frozen=True)
class TelegramView:
    """What getWebhookInfo said when last read, or why it could not be read."""

    pending_updates: int | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    read_error: str | None = None

    def report(self) -> dict[str, object]:
        """Return it as /healthz shows it."""
        report: dict[str, object] = {
            "pending_updates": self.pending_updates,
            "last_error": self.last_error,
            "last_error_at": self.last_error_at.isoformat() if self.last_error_at else None,
        }
        if self.read_error is not None:
            report["read_error"] = self.read_error
        return report


class WebhookStatus:
    """Reads getWebhookInfo on demand, at most once per READ_EVERY; sets the gauges."""

    def __init__(self, bot: Bot, clock: Clock, metrics: Metrics) -> None:
        self._bot = bot
        self._clock = clock
        self._metrics = metrics
        self._lock = asyncio.Lock()  # concurrent scrapes share one read
        self._view: TelegramView | None = None
        self._read_at: datetime | None = None

    async def view(self) -> TelegramView:
        """Return Telegram's view, read now if the last read is a minute old."""
        async with self._lock:
            now = self._clock.now()
            fresh = self._read_at is not None and now - self._read_at < READ_EVERY
            if self._view is not None and fresh:
                return self._view
            self._read_at = now
            self._view = await self._read()
            return self._view

    async def _read(self) -> TelegramView:
        try:
            async with asyncio.timeout(READ_TIMEOUT):
                info = await self._bot.get_webhook_info()
        except (TelegramError, TimeoutError) as exc:
            # Telegram unreachable is what the backlog and the sender's errors show too;
            # here it only says the view is missing.
            return TelegramView(read_error=type(exc).__name__)
        when = info.last_error_date
        self._metrics.telegram_pending.set(info.pending_update_count)
        self._metrics.telegram_last_error.set(when.timestamp() if when else 0)
        return TelegramView(info.pending_update_count, info.last_error_message, when)
