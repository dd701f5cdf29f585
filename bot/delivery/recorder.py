"""The sender's delivery records, written as group commits.

A worker that got Telegram's message id hands it here and waits until it is written; the
recorder writes whatever arrived since its last write in one transaction. So at most one send
per worker is ever unrecorded (still 'sending' in the database): all that a crash can repeat.
"""

from __future__ import annotations

import asyncio
import logging

from bot.metrics import Metrics
from bot.store import OutboxRow, Store

log = logging.getLogger(__name__)


class DeliveryRecorder:
    """Writes `sent` with Telegram's message id for many rows at once."""

    def __init__(
        self, store: Store, metrics: Metrics, *, gather: float = 0.0, retry: float = 1.0
    ) -> None:
        self._store = store
        self._metrics = metrics
        self._gather = gather  # seconds to wait for more records before a write
        self._retry = retry  # seconds before writing again after a failed write
        self._waiting: list[tuple[int, int, OutboxRow, asyncio.Future[None]]] = []
        self._ready = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._done = False

    @property
    def pending(self) -> int:
        """Return how many deliveries are waiting to be written."""
        return len(self._waiting)

    def start(self) -> None:
        """Start writing in the background."""
        self._done = False
        self._task = asyncio.create_task(self._run(), name="outbox-recorder")

    async def stop(self, grace: float) -> None:
        """Finish the write in progress (never cancelled inside a transaction), then write
        whatever is left, before the database closes."""
        if self._task is not None:
            self._done = True
            self._ready.set()
            try:
                async with asyncio.timeout(grace):
                    await self._task
            except TimeoutError:
                self._task.cancel()
                await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        await self._write(final=True)

    async def record(self, row: OutboxRow, message_id: int) -> None:
        """Queue a delivery and wait until it is written."""
        written: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((row.id, message_id, row, written))
        self._ready.set()
        # Shielded: a worker cancelled at stop leaves its record to the final write.
        await asyncio.shield(written)

    async def _run(self) -> None:
        while not self._done:
            await self._ready.wait()
            if self._gather:
                await asyncio.sleep(self._gather)
            self._ready.clear()
            await self._write()

    async def _write(self, *, final: bool = False) -> None:
        """Write the waiting records in one transaction; keep them if it fails."""
        batch, self._waiting = self._waiting, []
        if not batch:
            return
        try:
            await self._store.outbox.record_sent([(row_id, mid) for row_id, mid, _, _ in batch])
        except Exception as exc:
            # Sent is sent: hold the records and try again, never send these rows again.
            self._waiting = batch + self._waiting
            log.warning("Could not record %d deliveries yet: %s", len(batch), type(exc).__name__)
            if not final:
                await asyncio.sleep(self._retry)
                self._ready.set()  # try again even if nothing else is sent meanwhile
            return
        for _, _, row, written in batch:
            self._metrics.sent.labels(row.message.kind).inc()
            if not written.done():
                written.set_result(None)
