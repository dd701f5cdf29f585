"""Process updates concurrently across users, but one at a time and in order for each user.

Sequential processing would make every user wait behind the slowest reply in the queue (a
chart being drawn, a reply waiting for its rate-limit slot during a big broadcast); fully
concurrent processing could reorder one user's quick taps. This keeps both properties.

After each update it tells the inbox (`bot/telegram/inbox.py`) that the update is handled and
waits for that to be written before the user's next update starts: so a crash leaves at most
one update per user handled but not marked, the only kind a restart handles twice.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

MAX_CONCURRENT_UPDATES = 256


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Run different users' updates side by side and each user's updates in arrival order."""

    def __init__(
        self,
        max_concurrent_updates: int = MAX_CONCURRENT_UPDATES,
        *,
        observe: Callable[[float], object] | None = None,
        handled: Callable[[int], Awaitable[object]] | None = None,
    ) -> None:
        super().__init__(max_concurrent_updates)
        # Told how many seconds each update's handling took (for /metrics).
        self._observe = observe
        # Told each update's id once its handling finished (the inbox's handled mark).
        self._handled = handled
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: Counter[int] = Counter()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for this user's previous updates, then process this one."""
        user = update.effective_user if isinstance(update, Update) else None
        if user is None:
            await self._timed(update, coroutine)
            return
        # The base class takes a slot first (its process_update is final), so a user's backlog
        # holds slots while it waits; the slot count is generous for that reason. asyncio's
        # semaphore and lock are both FIFO, which keeps each user's arrival order.
        lock = self._locks.setdefault(user.id, asyncio.Lock())
        self._waiting[user.id] += 1
        try:
            async with lock:
                await self._timed(update, coroutine)
        finally:
            self._waiting[user.id] -= 1
            if not self._waiting[user.id]:
                del self._waiting[user.id]
                self._locks.pop(user.id, None)

    async def _timed(self, update: object, coroutine: Awaitable[Any]) -> None:
        started = time.perf_counter()
        try:
            await coroutine
        except Exception:
            # PTB's process_update hands handler errors to the error handler; one that escapes
            # anyway still counts as handled, or it would be handled again at every start.
            await self._mark(update)
            raise
        finally:
            if self._observe is not None:
                self._observe(time.perf_counter() - started)
        # Not on cancellation (a stop cut it short): the next start handles it again.
        await self._mark(update)

    async def _mark(self, update: object) -> None:
        if self._handled is not None and isinstance(update, Update):
            await self._handled(update.update_id)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
