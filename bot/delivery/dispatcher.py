"""The one recurring job: find users whose daily time has come and fill the outbox for them."""

from __future__ import annotations

import asyncio
import logging

from bot.clock import Clock
from bot.service import FootCare
from bot.store import Store

log = logging.getLogger(__name__)


class Dispatcher:
    """Turns due schedules into outbox rows. Safe to run twice at once or after a crash."""

    def __init__(self, footcare: FootCare, store: Store, clock: Clock, batch: int = 500) -> None:
        self._footcare = footcare
        self._store = store
        self._clock = clock
        self._batch = batch
        self._lock = asyncio.Lock()

    async def tick(self) -> int:
        """Enqueue the daily messages of every due user; return how many rows were added."""
        async with self._lock:
            added = 0
            done: set[int] = set()
            while True:
                # Users that made no progress (their dispatch failed) stay due; asking for
                # that many more keeps them from hiding the rest of the queue.
                due = await self._store.users.due(self._clock.now(), self._batch + len(done))
                fresh = [user for user in due if user.user_id not in done]
                if not fresh:
                    break
                for user in fresh:
                    moved = False
                    try:
                        moved, rows = await self._footcare.dispatch_user(user)
                        added += rows
                    except Exception:
                        # One bad row must not stop everyone else's messages.
                        log.exception("Dispatch failed for user %d", user.user_id)
                    # A user whose schedule moved may be due again in this tick (after long
                    # downtime missed days are walked one by one); one that did not move is
                    # not retried until the next tick.
                    if not moved:
                        done.add(user.user_id)
            if added:
                log.info("Dispatcher enqueued %d messages", added)
            return added
