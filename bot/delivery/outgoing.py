"""What goes out for each outbox kind: the Bot API call, and for a daily message only the
part still worth sending (see `DailyMessage`)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from telegram import InputFile, Message, MessageEntity
from telegram.error import TimedOut
from telegram.ext import ExtBot

from bot.core.outbox import (
    BroadcastCopy,
    CheckinPrompt,
    DailyMessage,
    FootCheck,
    TipMessage,
    WeeklyChart,
)
from bot.delivery.ratelimit import OUTBOX, RateLimitArgs
from bot.store import OutboxRow, Store
from bot.telegram.keyboards import keyboard
from bot.telegram.transport import never_sent

# Draws a user's weekly chart at send time: (PNG, caption), or None to skip it.
Renderer = Callable[[int, WeeklyChart], Awaitable[tuple[bytes, str] | None]]


class Outgoing:
    """Sends one outbox row as its kind asks; None when nothing is left to send."""

    def __init__(
        self, bot: ExtBot[RateLimitArgs], store: Store, renderer: Renderer | None = None
    ) -> None:
        self._bot = bot
        self._store = store
        self._renderer = renderer
        # Daily rows whose last attempt timed out after it may have reached Telegram.
        self._tip_may_have_arrived: set[int] = set()
        # One weekly chart drawn at a time. Drawing holds the GIL for most of its 100-odd ms
        # of matplotlib, and the sender's workers drew several at once during the morning
        # rush, leaving the event loop (answers to button presses) a small share of it.
        # One at a time still draws more than the 30 messages a second the token sends.
        self._drawing = asyncio.Semaphore(1)

    async def send(self, row: OutboxRow) -> Message | None:
        """Send the row through the rate limiter's outbox lane."""
        match row.message:
            case WeeklyChart() as chart:
                return await self._send_chart(row, chart)
            case BroadcastCopy(text=text, entities=entities, paid=paid):
                return await self._bot.send_message(
                    chat_id=row.chat_id,
                    text=text,
                    entities=[MessageEntity.de_json(dict(e), self._bot) for e in entities] or None,
                    # The rate limiter sends these through the paid broadcasts' own bucket.
                    allow_paid_broadcast=True if paid else None,
                    rate_limit_args=OUTBOX,
                )
            case CheckinPrompt(text=text, buttons=buttons) | FootCheck(text=text, buttons=buttons):
                return await self._bot.send_message(
                    chat_id=row.chat_id,
                    text=text,
                    reply_markup=keyboard(buttons),
                    rate_limit_args=OUTBOX,
                )
            case TipMessage(text=text):
                return await self._bot.send_message(
                    chat_id=row.chat_id, text=text, rate_limit_args=OUTBOX
                )
            case DailyMessage() as daily:
                return await self._send_daily(row, daily)

    async def _send_daily(self, row: OutboxRow, daily: DailyMessage) -> Message | None:
        # Only what is still worth sending (see DailyMessage): the tip alone once the check-in
        # is answered, the question alone after a timeout that may have delivered the tip.
        answered = row.local_date is not None and await self._store.diary.has_checkin(
            row.user_id, row.local_date
        )
        ambiguous = row.id in self._tip_may_have_arrived
        remaining = daily.remaining(answered=answered, tip_may_have_arrived=ambiguous)
        if remaining is None:
            self._tip_may_have_arrived.discard(row.id)
            return None
        buttons = remaining.buttons if isinstance(remaining, DailyMessage | CheckinPrompt) else ()
        try:
            sent = await self._bot.send_message(
                chat_id=row.chat_id,
                text=remaining.text,
                reply_markup=keyboard(buttons),
                rate_limit_args=OUTBOX,
            )
        except TimedOut as exc:
            if not never_sent(exc):
                self._tip_may_have_arrived.add(row.id)
            raise
        # Once ambiguous, a row stays so until it is delivered (a row that then fails for good
        # leaves its id behind: a few bytes, rarely).
        self._tip_may_have_arrived.discard(row.id)
        return sent

    async def _send_chart(self, row: OutboxRow, chart: WeeklyChart) -> Message | None:
        if self._renderer is None:
            raise RuntimeError(f"no renderer for chart row {row.id}")
        async with self._drawing:
            rendered = await self._renderer(row.user_id, chart)
        if rendered is None:
            return None
        png, caption = rendered
        return await self._bot.send_photo(
            chat_id=row.chat_id,
            photo=InputFile(png, filename=f"{row.message.kind}.png"),
            caption=caption,
            rate_limit_args=OUTBOX,
        )
