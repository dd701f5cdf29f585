"""The updates waiting for the bot: ids, the queue getUpdates long-polls, and its conflict."""

from __future__ import annotations

import asyncio
import time

from bot.sandbox.models import ApiError, JSONDict

CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is "
    "running"
)


class UpdateQueue:
    """Updates waiting for getUpdates, confirmed by offset and handed out by long polls."""

    def __init__(self, first_id: int = 1) -> None:
        self.closing = False
        # When a batch was last handed out; settle() counts that as activity.
        self.last_fetch = time.monotonic()
        self._pending: list[JSONDict] = []
        self._next_id = first_id
        self._fetched_up_to = first_id - 1
        self._generation = 0
        self._event = asyncio.Event()

    @property
    def next_id(self) -> int:
        """Return the update_id the next queued update will get."""
        return self._next_id

    @property
    def changed(self) -> asyncio.Event:
        """Return the event the next push or wake sets (take it before checking the queue)."""
        return self._event

    def take_id(self) -> int:
        """Use up the next update_id without queueing anything; return it."""
        update_id = self._next_id
        self._next_id += 1
        return update_id

    def push(self, payload: JSONDict) -> int:
        """Append an update and wake a waiting long poll; return its update_id."""
        update_id = self.take_id()
        self._pending.append({"update_id": update_id, **payload})
        self.wake()
        return update_id

    def first_pending(self) -> JSONDict | None:
        """Return the oldest update not yet confirmed, if any (what a webhook posts next)."""
        return self._pending[0] if self._pending else None

    def confirm(self, update_id: int) -> None:
        """Forget an update the webhook accepted, as a getUpdates offset past it would."""
        self._pending = [u for u in self._pending if u["update_id"] != update_id]
        self._fetched_up_to = max(self._fetched_up_to, update_id)
        self.last_fetch = time.monotonic()

    def wake(self) -> None:
        """Release every long poll currently waiting."""
        self._event.set()
        self._event = asyncio.Event()

    def unfetched(self) -> list[JSONDict]:
        """Return queued updates no getUpdates answer has carried yet."""
        return [u for u in self._pending if u["update_id"] > self._fetched_up_to]

    def drop_pending(self) -> None:
        """Forget every queued update, as deleteWebhook(drop_pending_updates) does."""
        self._pending.clear()
        self._fetched_up_to = self._next_id - 1

    async def poll(self, offset: int | None, limit: int, wait: float) -> list[JSONDict]:
        """Confirm updates below offset, then return up to limit, waiting up to `wait` seconds.

        A newer poll ends this one with 409, as on Telegram; closing ends it with what there is.
        """
        if isinstance(offset, int) and offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif isinstance(offset, int) and offset < 0:
            self._pending = self._pending[offset:]
        self._generation += 1
        generation = self._generation
        self.wake()
        deadline = time.monotonic() + wait
        while not self._pending and not self.closing:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            event = self._event
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                break
            if generation != self._generation:
                raise ApiError(409, CONFLICT)
        batch = self._pending[:limit]
        if batch:
            self._fetched_up_to = max(self._fetched_up_to, batch[-1]["update_id"])
            self.last_fetch = time.monotonic()
        return batch
