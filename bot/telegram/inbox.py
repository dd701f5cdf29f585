"""Between Telegram and the application: every update is stored before it is acknowledged and
marked handled when its handler has finished, so a crash loses none (docs/RELIABILITY.md).

The receivers (`bot/telegram/polling.py`, `bot/webhook.py`) call `receive` and acknowledge
only once it returns: the next getUpdates offset, or the webhook's 200. `receive` waits for a
group commit of everything that arrived meanwhile, then puts the updates not seen before on
`Application.update_queue`, python-telegram-bot's own entrance for updates fetched by other
means. The update processor (`bot/telegram/updates.py`) calls `handled` after each update and
waits for that mark too, so at most one update per user can be handled but not marked when
the process dies: all that a restart can repeat. At start, `replay` queues what the last run
left unhandled, in update_id order, before anything new arrives.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence

from telegram import Bot, Update

from bot.metrics import Metrics
from bot.store import Arrival, StorageUnavailable, Store

log = logging.getLogger(__name__)


class UpdateInbox:
    """Group-commits arrivals and handled marks; feeds the application's update queue."""

    def __init__(
        self,
        store: Store,
        queue: asyncio.Queue[object],
        bot: Bot,
        metrics: Metrics,
        *,
        retry: float = 1.0,
    ) -> None:
        self._store = store
        self._queue = queue
        self._bot = bot
        self._metrics = metrics
        self._retry = retry  # seconds before handled marks that failed are written again
        self._arrivals: list[tuple[list[Update], list[str], asyncio.Future[None]]] = []
        self._handled: list[int] = []
        self._handled_waiters: list[asyncio.Future[None]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        """Start writing in the background."""
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="inbox-writer")

    async def stop(self, grace: float = 5.0) -> None:
        """Finish the write in progress, then write the handled marks still waiting."""
        if self._task is not None:
            self._stopping = True
            self._wake.set()
            try:
                async with asyncio.timeout(grace):
                    await self._task
            except TimeoutError:
                self._task.cancel()
                await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        await self._write()

    async def receive(self, updates: Sequence[Update], bodies: Sequence[str] | None = None) -> None:
        """Store updates (with their JSON as received, when known) and queue the new ones.

        Returns once they are stored: only then may Telegram be told they arrived. Raises
        what the database raised when they could not be stored (Telegram then sends them
        again); a database that refuses writes (a full disk) is not such a case: the updates
        are handled without being stored, so users are told to try again later.
        """
        if not updates:
            return
        texts = list(bodies) if bodies is not None else [u.to_json() for u in updates]
        stored: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._arrivals.append((list(updates), texts, stored))
        self._wake.set()
        # Shielded: a webhook request cut off by its client still has its update stored.
        await asyncio.shield(stored)

    async def handled(self, update_id: int) -> None:
        """Mark an update handled and wait until the mark is written (or could not be)."""
        written: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._handled.append(update_id)
        self._handled_waiters.append(written)
        self._wake.set()
        await asyncio.shield(written)

    async def replay(self) -> int:
        """Queue every update the last run stored but did not handle; return how many."""
        rows = await self._store.inbox.unhandled()
        unreadable: list[int] = []
        for row in rows:
            try:
                update = Update.de_json(json.loads(row.body), self._bot)
            except Exception:  # stored by an older version, say; it cannot be handled now
                unreadable.append(row.update_id)
                continue
            self._queue.put_nowait(update)
        if unreadable:
            log.warning("Dropped %d stored updates that no longer decode", len(unreadable))
            await self._store.inbox.record([], unreadable)
        replayed = len(rows) - len(unreadable)
        if replayed:
            log.warning("Handling %d updates the last run received but did not handle", replayed)
            self._metrics.inbox.labels("replayed").inc(replayed)
        return replayed

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            await self._write()
            if self._stopping and not self._arrivals:
                return

    async def _write(self) -> None:
        """Write what arrived and what was handled since the last write, in one transaction."""
        arrivals, self._arrivals = self._arrivals, []
        handled, self._handled = self._handled, []
        waiters, self._handled_waiters = self._handled_waiters, []
        if not arrivals and not handled:
            return
        updates = [u for batch, _, _ in arrivals for u in batch]
        records = [
            Arrival(u.update_id, u.effective_user.id if u.effective_user else None, body)
            for batch, bodies, _ in arrivals
            for u, body in zip(batch, bodies, strict=True)
        ]
        failure: BaseException | None = None
        try:
            fresh = await self._store.inbox.record(records, handled)
        except StorageUnavailable:
            # Logged once by the store. Handled unstored: the guard asks each user to try
            # again later, and nothing waits on a disk that may stay full for hours.
            fresh = {u.update_id for u in updates}
            self._metrics.inbox.labels("unstored").inc(len(fresh))
            self._keep_for_later(handled)
        except Exception as exc:  # the database is closed or broken: acknowledge nothing
            failure = exc
            fresh = set()
            self._keep_for_later(handled)
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._queue_new(updates, fresh)
        for _, _, stored in arrivals:
            if stored.done():
                continue
            if failure is not None:
                stored.set_exception(failure)
            else:
                stored.set_result(None)
        if failure is not None:
            log.warning("Could not store updates: %s", type(failure).__name__)

    def _queue_new(self, updates: list[Update], fresh: set[int]) -> None:
        """Queue the updates just stored, in update_id order, each once."""
        queued: set[int] = set()
        for update in sorted(updates, key=lambda u: u.update_id):
            if update.update_id not in fresh or update.update_id in queued:
                continue
            queued.add(update.update_id)
            self._queue.put_nowait(update)
        repeats = len(updates) - len(queued)
        if queued:
            self._metrics.inbox.labels("stored").inc(len(queued))
        if repeats:
            self._metrics.inbox.labels("repeat").inc(repeats)

    def _keep_for_later(self, handled: list[int]) -> None:
        """Keep marks that were not written; write them again after a pause.

        Their handlers have finished, so nobody waits for them: until written, a crash would
        handle these updates again.
        """
        if not handled:
            return
        self._handled = handled + self._handled
        if not self._stopping:
            asyncio.get_running_loop().call_later(self._retry, self._wake.set)
