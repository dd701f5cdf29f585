"""Long polling that acknowledges an update only once the inbox has stored it.

This replaces python-telegram-bot's `Updater.start_polling`. PTB's loop puts each update on
the application's queue, in memory, and its next getUpdates carries the offset that tells
Telegram to forget them, whether or not they were handled (tests/telegram/test_polling.py
shows it): a crash then loses them. Here the offset moves past a batch only after
`UpdateInbox.receive` has stored it. The rest is what PTB's loop does: delete a webhook left
from webhook mode, retry with backoff, and confirm the last batch at stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from datetime import timedelta

from telegram import Bot
from telegram.error import InvalidToken, RetryAfter, TelegramError, TimedOut

from bot.telegram.inbox import UpdateInbox

log = logging.getLogger(__name__)

BACKOFF_FIRST = 0.5  # seconds after the first failure in a row, doubling
BACKOFF_CAP = 30.0
CONFIRM_TIMEOUT = 3.0  # seconds the last confirmation at stop may take


class Poller:
    """Fetches updates with getUpdates and hands them to the inbox, one batch at a time."""

    def __init__(
        self,
        bot: Bot,
        inbox: UpdateInbox,
        *,
        timeout: int,
        allowed_updates: Sequence[str],
    ) -> None:
        self._bot = bot
        self._inbox = inbox
        self._timeout = timeout
        self._allowed = list(allowed_updates)
        self._offset: int | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Delete any webhook (getUpdates is refused while one is set) and begin polling."""
        # Telegram keeps the updates a webhook had not delivered; polling gets them.
        await self._bot.delete_webhook()
        self._task = asyncio.create_task(self._run(), name="polling")
        log.info("Receiving updates by long polling")

    async def stop(self) -> None:
        """Stop polling, then tell Telegram the last stored batch arrived."""
        if self._task is None:
            return
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        self._task = None
        if self._offset is None:
            return
        # Not needed for correctness (a stored update fetched again is recognised as a
        # repeat), but it spares the next start a batch of repeats.
        with contextlib.suppress(TelegramError, TimeoutError):
            async with asyncio.timeout(CONFIRM_TIMEOUT):
                await self._bot.get_updates(
                    offset=self._offset, timeout=0, allowed_updates=self._allowed
                )

    async def _run(self) -> None:
        failures = 0
        while True:
            try:
                updates = await self._bot.get_updates(
                    offset=self._offset, timeout=self._timeout, allowed_updates=self._allowed
                )
                if updates:
                    await self._inbox.receive(updates)
                    self._offset = updates[-1].update_id + 1
            except TimedOut:
                continue  # a long poll cut short on the way; ask again
            except RetryAfter as exc:
                wait = exc.retry_after
                await asyncio.sleep(wait.total_seconds() if isinstance(wait, timedelta) else wait)
                continue
            except InvalidToken:
                log.error("Telegram rejected BOT_TOKEN while polling; no more updates")
                return
            except Exception as exc:  # unreachable, a 5xx, a 409 from a second poller, the store
                failures += 1
                if failures == 1:
                    log.warning(
                        "Could not fetch or store updates (%s: %s); retrying with backoff",
                        type(exc).__name__,
                        exc if isinstance(exc, TelegramError) else "",
                    )
                await asyncio.sleep(min(BACKOFF_CAP, BACKOFF_FIRST * 2 ** (failures - 1)))
                continue
            if failures:
                log.info("Fetching updates works again after %d failed attempts", failures)
                failures = 0
