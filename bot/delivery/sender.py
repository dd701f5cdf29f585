"""The one sender: drains the outbox through a bounded pool of workers under rate limits.

The global messages-per-second limit is our FloodAwareRateLimiter (bot/delivery/ratelimit.py),
which every Bot API call addressing a chat passes through, handler replies included; its flood
gate holds every request after a 429. The sender adds what that limiter lacks: about one
message per second per private chat, waiting out a 429 that outlasted the limiter's retries,
retries with backoff for 5xx and timeouts, and the delivery record in SQLite.

Policy for a timeout after the request may have reached Telegram (any TimedOut that is not a
pool timeout) is the message's own `resend_after_timeout`: a check-in is sent again unless the
user has answered that day, because a missing check-in costs a day of data; a tip, a chart or a
broadcast is marked 'unknown' and not sent again, because a duplicate is worse than a missed
tip. A pool timeout means the request never left, so it is simply retried.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, OrderedDict
from dataclasses import dataclass

from aiolimiter import AsyncLimiter
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from bot.core.states import OutboxStatus
from bot.delivery.outgoing import Outgoing, Renderer
from bot.delivery.ratelimit import FloodGate, RateLimitArgs, retry_after_seconds
from bot.delivery.recorder import DeliveryRecorder
from bot.logs import user_ref
from bot.metrics import Metrics
from bot.store import OutboxRow, StorageUnavailable, Store
from bot.telegram.transport import never_sent

log = logging.getLogger(__name__)

MAX_CHAT_LIMITERS = 4096

__all__ = ["Renderer", "Sender", "SenderOptions"]


@dataclass(frozen=True)
class SenderOptions:
    """Tuning knobs; tests shrink the delays."""

    workers: int = 8  # requests to Telegram at once
    # Rows claimed ('sending') at once. Above `workers`, rows waiting out their chat's
    # one-per-second slot stop holding up other chats (tip + check-in per user otherwise caps
    # throughput near workers / per_chat_interval * 2). A claimed row still sees a broadcast
    # cancel or a /stop: claimed rows are re-read when the store's outbox epoch moves.
    prefetch: int = 256
    max_attempts: int = 5
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    per_chat_interval: float = 1.0
    idle_poll: float = 1.0
    # Seconds the recorder waits to gather more deliveries before a write
    # (bot/delivery/recorder.py); 0 writes at once and batches what arrives meanwhile.
    record_every: float = 0.0


class Sender:
    """Delivers outbox rows until stopped. Call `wake()` after enqueueing."""

    def __init__(
        self,
        store: Store,
        bot: ExtBot[RateLimitArgs],
        options: SenderOptions | None = None,
        *,
        renderer: Renderer | None = None,
        gate: FloodGate | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self._store = store
        self._options = options or SenderOptions()
        # The rate limiter's flood gate: a 429 anywhere holds every send until retry_after.
        self._gate = gate or FloodGate()
        self._metrics = metrics or Metrics()
        self._wake = asyncio.Event()
        # A worker is taken only once a row's chat is ready, so a row waiting out the
        # one-per-second chat limit does not hold up rows for other chats.
        self._workers = asyncio.Semaphore(self._options.workers)
        self._stopping = False
        self._inflight: set[asyncio.Task[None]] = set()
        self._chat_locks: dict[int, asyncio.Lock] = {}
        self._chat_users: Counter[int] = Counter()
        self._chat_limiters: OrderedDict[int, AsyncLimiter] = OrderedDict()
        self._task: asyncio.Task[None] | None = None
        self.last_error: str | None = None
        self._outgoing = Outgoing(bot, store, renderer)
        self._recorder = DeliveryRecorder(
            store,
            self._metrics,
            gather=self._options.record_every,
            retry=self._options.backoff_base,
        )
        # Rows claimed and not yet finished, by id: re-read together whenever the outbox
        # epoch says something may have made one of them unwanted.
        self._claimed: dict[int, OutboxRow] = {}
        self._dropped: set[int] = set()
        self._epoch = store.db.outbox_epoch
        self._refreshing: asyncio.Lock = asyncio.Lock()

    def start(self) -> None:
        """Start draining in the background."""
        self._stopping = False
        # Scheduled work: its tasks (and the tasks they start) give the database to answers
        # waiting for it first (bot/store/base.py).
        with self._store.db.background():
            self._task = asyncio.create_task(self._run(), name="outbox-sender")
            self._recorder.start()

    def wake(self) -> None:
        """Look at the outbox now instead of at the next idle poll."""
        self._wake.set()

    async def stop(self, grace: float = 5.0) -> None:
        """Stop taking rows, let in-flight sends finish for up to `grace` seconds."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None
        if self._inflight:
            _, pending = await asyncio.wait(self._inflight, timeout=grace)
            for task in pending:
                task.cancel()
            # A cancelled row stays 'sending' and is requeued at the next start.
            await asyncio.gather(*pending, return_exceptions=True)
        await self._recorder.stop(grace)

    async def drain(self) -> None:
        """Wait until the outbox has nothing pending or in flight (wrap in asyncio.timeout)."""
        while await self._store.outbox.pending_count() or self._inflight or self._recorder.pending:
            self.wake()
            await asyncio.sleep(0.02)

    async def _run(self) -> None:
        pause = self._options.idle_poll
        while not self._stopping:
            free = self._options.prefetch - len(self._inflight)
            if free <= 0:
                await asyncio.wait(self._inflight, return_when=asyncio.FIRST_COMPLETED)
                continue
            try:
                rows = await self._store.outbox.claim(free)
            except StorageUnavailable:
                # A full or read-only database (logged once by the store): wait, longer each
                # time, whatever wakes us, then try again; rows stay pending meanwhile.
                await self._pause(pause)
                pause = min(self._options.backoff_cap, pause * 2)
                continue
            except Exception:
                log.exception("Could not read the outbox")
                rows = []
            if not rows:
                self._wake.clear()
                try:
                    async with asyncio.timeout(self._options.idle_poll):
                        await self._wake.wait()
                except TimeoutError:
                    pass
                continue
            pause = self._options.idle_poll
            for row in rows:
                self._claimed[row.id] = row
                task = asyncio.create_task(self._deliver(row), name=f"send-{row.id}")
                self._inflight.add(task)
                task.add_done_callback(self._forget)

    async def _pause(self, seconds: float) -> None:
        """Sleep for `seconds`, cut short only by stop(); wake() cannot hurry it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not self._stopping and (left := deadline - loop.time()) > 0:
            self._wake.clear()
            try:
                async with asyncio.timeout(left):
                    await self._wake.wait()
            except TimeoutError:
                return

    def _forget(self, task: asyncio.Task[None]) -> None:
        self._inflight.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("Delivery task crashed", exc_info=task.exception())

    def _chat_limiter(self, chat_id: int) -> AsyncLimiter:
        limiter = self._chat_limiters.pop(chat_id, None)
        if limiter is None:
            limiter = AsyncLimiter(1, self._options.per_chat_interval)
        self._chat_limiters[chat_id] = limiter
        while len(self._chat_limiters) > MAX_CHAT_LIMITERS:
            self._chat_limiters.popitem(last=False)
        return limiter

    async def _deliver(self, row: OutboxRow) -> None:
        lock = self._chat_locks.setdefault(row.chat_id, asyncio.Lock())
        self._chat_users[row.chat_id] += 1
        try:
            # Rows of one chat are claimed in id order and their tasks created in that order,
            # so the lock keeps a tip ahead of the check-in that follows it.
            async with lock:
                await self._deliver_locked(row)
        finally:
            self._claimed.pop(row.id, None)
            self._dropped.discard(row.id)
            self._chat_users[row.chat_id] -= 1
            if not self._chat_users[row.chat_id]:
                del self._chat_users[row.chat_id]
                self._chat_locks.pop(row.chat_id, None)

    async def _still_wanted(self, row: OutboxRow) -> bool:
        """Say whether a claimed row may still go out, re-reading the claimed rows only when
        the outbox epoch moved (a cancel, a /stop, a block, a deletion or an answer)."""
        while self._epoch != self._store.db.outbox_epoch:
            async with self._refreshing:
                epoch = self._store.db.outbox_epoch
                if epoch == self._epoch:
                    break
                gone = await self._store.outbox.unwanted(list(self._claimed.values()))
                self._dropped.update(gone)
                self._epoch = epoch
        return row.id not in self._dropped

    async def _deliver_locked(self, row: OutboxRow) -> None:
        attempt = row.attempts
        while True:
            if not await self._still_wanted(row):
                return
            await self._gate.wait()
            try:
                async with self._chat_limiter(row.chat_id), self._workers:
                    # Waiting for the chat's slot and a worker can take a while; a 429 may have
                    # paused the bot meanwhile, or stop() been called (the row stays 'sending'
                    # and is requeued at the next start).
                    await self._gate.wait()
                    if self._stopping:
                        return
                    # A row can wait a while for its slot; a cancelled broadcast or a /stop
                    # in the meantime means it must not go out.
                    if not await self._still_wanted(row):
                        return
                    message = await self._outgoing.send(row)
                    if message is not None:
                        # The worker is held until the delivery is written, so no more than
                        # `workers` sends are ever unrecorded: all a crash can repeat.
                        await self._recorder.record(row, message.message_id)
            except RetryAfter as exc:
                await self._flood_wait(exc)
                continue
            except Forbidden as exc:
                log.info("%s blocked the bot; not retrying", user_ref(row.user_id))
                self.last_error = exc.message
                await self._store.outbox.mark_blocked(row.id, row.user_id)
                self._metrics.blocked.labels(row.message.kind).inc()
                return
            except BadRequest as exc:
                # Telegram refused the message itself (e.g. chat not found): retrying cannot help.
                log.warning("Outbox row %d refused: %s", row.id, exc.message)
                self.last_error = exc.message
                await self._store.outbox.mark(row.id, OutboxStatus.FAILED, exc.message)
                self._metrics.failed.labels(row.message.kind).inc()
                return
            except TimedOut as exc:
                self.last_error = exc.message
                if not never_sent(exc) and not row.message.resend_after_timeout:
                    await self._store.outbox.mark(row.id, OutboxStatus.UNKNOWN, exc.message)
                    return
            except NetworkError as exc:
                self.last_error = exc.message
                log.warning("Outbox row %d attempt %d failed: %s", row.id, attempt, exc.message)
            else:
                if message is None:
                    await self._store.outbox.mark(row.id, OutboxStatus.SKIPPED, "nothing to send")
                return
            if attempt >= self._options.max_attempts:
                await self._store.outbox.mark(row.id, OutboxStatus.FAILED, self.last_error)
                self._metrics.failed.labels(row.message.kind).inc()
                return
            await asyncio.sleep(
                min(self._options.backoff_cap, self._options.backoff_base * 2 ** (attempt - 1))
            )
            attempt += 1

    async def _flood_wait(self, exc: RetryAfter) -> None:
        # The rate limiter already retried and closed the gate; every worker waits it out.
        seconds = retry_after_seconds(exc)
        self.last_error = f"429 retry after {seconds:g}s"
        log.warning("Telegram asked to slow down; pausing sends for %.1f s", seconds)
        self._gate.close_for(seconds + 0.1)
        await self._gate.wait()
