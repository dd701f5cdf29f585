"""The bot-wide rate limiter: python-telegram-bot's BaseRateLimiter over sliding one-second
windows, plus one flood gate that every request and the sender respect after a 429.

Why not AIORateLimiter as it is: its 429 pause is an Event that the first retry to finish
reopens, so a short retry_after cuts a longer one short, and with max_retries=0 requests
already queued inside it ignore a 429 entirely. The gate here is a deadline that only moves
later, checked right before each request leaves.

Why a sliding window rather than evenly spaced requests: Telegram counts messages per second,
so up to `rate` may leave at once and the steady state can use the whole cap. Spacing every
request 1.05/rate apart (the first version) used 0.92 of a 25/s limit; this uses 0.98
(bench/bench_ratelimit.py), and costs only what each round trip ran slower than the fastest.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import math
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from enum import IntEnum
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

# How late the server may stamp a request compared with when we handed it to the HTTP client,
# and why a fixed margin is not enough: bench/bench_ratelimit.py measured that delay against
# the sandbox at 2-3 ms median but up to 110 ms when the shared event loop stalled, and a
# 20 ms margin then let 31 of 25 into one second. So each admission counts from when its
# answer came back, less the fastest round trip seen (the answer cannot come before the stamp
# plus the way back), and SAFETY_MARGIN only covers the legs' jitter below that fastest trip.
SAFETY_MARGIN = 0.005
# A request still unanswered after this long is assumed stamped by then, so one hung request
# cannot stop the window; its successor waits at most this much longer.
IN_FLIGHT_LIMIT = 1.0

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]


class Lane(IntEnum):
    """Which queue a request waits in when the window is full; lower values go first."""

    INTERACTIVE = 0  # handler replies: a user is looking at the chat
    OUTBOX = 1  # the sender's queued messages, which can wait a slot longer


@dataclass(frozen=True)
class RateLimitArgs:
    """What a caller tells the limiter about one call (ExtBot's `rate_limit_args`)."""

    lane: Lane = Lane.INTERACTIVE
    retries: int | None = None  # 429s to retry; None means the limiter's max_retries


INTERACTIVE = RateLimitArgs()
OUTBOX = RateLimitArgs(lane=Lane.OUTBOX)


def retry_after_seconds(exc: RetryAfter) -> float:
    """Return a 429's retry_after in seconds, whichever type python-telegram-bot gives."""
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class FloodGate:
    """A bot-wide deadline before which nothing may be sent."""

    def __init__(self, on_429: Callable[[], object] | None = None) -> None:
        self._until = 0.0
        self._on_429 = on_429

    def record_429(self) -> None:
        """Count a 429 answer (for /metrics); the caller closes the gate."""
        if self._on_429 is not None:
            self._on_429()

    def close_for(self, seconds: float) -> None:
        """Hold every request for `seconds` from now (never shortening a longer hold)."""
        until = asyncio.get_running_loop().time() + seconds
        self._until = max(self._until, until)

    def is_open(self) -> bool:
        """Say whether requests may leave now."""
        return asyncio.get_running_loop().time() >= self._until

    async def wait(self) -> None:
        """Return once the gate is open."""
        loop = asyncio.get_running_loop()
        # A deadline, not an Event: another 429 during the sleep may push it further out.
        while (left := self._until - loop.time()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(left)


class Admission:
    """One admitted request: when it was handed to the HTTP client and when it counts from."""

    __slots__ = ("counts_from", "start")

    def __init__(self, start: float) -> None:
        self.start = start
        self.counts_from: float | None = None  # set once answered


class AdmissionLog:
    """The last admissions, so that the server sees at most `capacity` of them in any window
    of `window` seconds. Pure: the caller passes the time.

    A rate of 25 allows 25 per 1 s; a rate below 1, say 0.5, one per 2 s. A fractional rate
    above 1 rounds down: a one-second window cannot hold 12.5 requests.

    Why it holds in the server's stamps: a request counts from its answer's time less the
    fastest round trip seen before it (never earlier than its hand-off), which is no earlier
    than the server's stamp unless a leg ran faster than in that fastest trip. A new request
    may leave only when the one `capacity` admissions back counts from at least a window ago;
    as hand-offs only move forward, so does every older one.
    """

    def __init__(self, rate: float, margin: float = SAFETY_MARGIN) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.capacity = max(1, math.floor(rate))
        self.window = (1.0 if rate >= 1 else 1.0 / rate) + margin
        self._entries: deque[Admission] = deque(maxlen=self.capacity)
        # 0 until a round trip is seen: an answer's own time is always a safe bound.
        self._fastest: float | None = None

    def delay(self, now: float) -> float:
        """Return 0 if a request may be admitted at `now`, else the seconds until one may
        (an answer may come sooner and shorten it: ask again then)."""
        if len(self._entries) < self.capacity:
            return 0.0
        oldest = self._entries[0]
        counts_from = oldest.counts_from
        if counts_from is None:
            # Still on the wire: it may yet be stamped, up to the limit we assume.
            counts_from = oldest.start + IN_FLIGHT_LIMIT
        return max(0.0, counts_from + self.window - now)

    def admit(self, now: float) -> Admission:
        """Record a request handed to the HTTP client at `now` (never before the last one)."""
        admission = Admission(now)
        self._entries.append(admission)
        return admission

    def answered(self, admission: Admission, now: float) -> None:
        """Record that the request's answer (or failure) came back at `now`."""
        fastest = 0.0 if self._fastest is None else self._fastest
        admission.counts_from = max(admission.start, now - fastest)
        trip = now - admission.start
        self._fastest = trip if self._fastest is None else min(self._fastest, trip)


@dataclass(order=True)
class _Waiter:
    lane: Lane
    seq: int
    wake: asyncio.Event = field(default_factory=asyncio.Event, compare=False)


class SlidingWindow:
    """Admits requests under an AdmissionLog and the flood gate: interactive ones first, each
    lane in arrival order. Only the head of the queue watches the clock; the others sleep
    until it leaves."""

    def __init__(self, rate: float, gate: FloodGate, margin: float = SAFETY_MARGIN) -> None:
        self._log = AdmissionLog(rate, margin)
        self._gate = gate
        self._queue: list[_Waiter] = []  # a heap: lowest lane, then earliest arrival
        self._seq = itertools.count()

    async def acquire(self, lane: Lane) -> Admission:
        """Return when a request in `lane` may leave; the caller must send it at once and
        report its answer with `answered`.

        The admission is recorded as this returns, with no await before the caller's send,
        so the recorded time is when the request is handed to the HTTP client.
        """
        loop = asyncio.get_running_loop()
        me = _Waiter(lane, next(self._seq))
        heapq.heappush(self._queue, me)
        try:
            while True:
                if self._queue[0] is not me:
                    await me.wake.wait()
                    me.wake.clear()
                elif not self._gate.is_open():
                    # Keep the place in the queue: the window decides what leaves afterwards.
                    await self._gate.wait()
                elif (delay := self._log.delay(loop.time())) > 0:
                    # An answer coming back, or an interactive arrival taking the head, wakes
                    # this waiter early; it then looks again.
                    me.wake.clear()
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(delay):
                            await me.wake.wait()
                else:
                    return self._log.admit(loop.time())
        finally:
            # Admitted or cancelled, this waiter leaves the queue and whoever is next is told.
            self._queue.remove(me)
            heapq.heapify(self._queue)
            self._wake_head()

    def answered(self, admission: Admission) -> None:
        """Record that an admitted request's answer (or failure) came back now."""
        self._log.answered(admission, asyncio.get_running_loop().time())
        self._wake_head()

    def _wake_head(self) -> None:
        if self._queue:
            self._queue[0].wake.set()


class FloodAwareRateLimiter(BaseRateLimiter[RateLimitArgs]):
    """Allow at most `rate` requests that address a chat in any one-second window (paid
    broadcasts, in a window of their own, `paid_rate`), interactive replies ahead of queued
    sends, and pause all of them on a 429, retrying up to `max_retries` times."""

    def __init__(
        self,
        rate: float,
        *,
        paid_rate: float | None = None,
        max_retries: int = 2,
        gate: FloodGate | None = None,
        margin: float = SAFETY_MARGIN,
    ) -> None:
        self.gate = gate or FloodGate()
        self._overall = SlidingWindow(rate, self.gate, margin)
        self._paid = SlidingWindow(paid_rate, self.gate, margin) if paid_rate else None
        self._max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: RateLimitArgs | None,
    ) -> JSONResult:
        """Send one request through its window and the flood gate."""
        options = rate_limit_args or INTERACTIVE
        window: SlidingWindow | None = None
        if data.get("chat_id") is not None:
            paid = bool(data.get("allow_paid_broadcast")) and self._paid is not None
            window = self._paid if paid else self._overall
        retries = self._max_retries if options.retries is None else options.retries
        attempt = 0
        while True:
            admission: Admission | None = None
            if window is None:
                await self.gate.wait()
            else:
                admission = await window.acquire(options.lane)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                self.gate.record_429()
                self.gate.close_for(retry_after_seconds(exc) + 0.1)
                if attempt >= retries:
                    raise
                attempt += 1
                log.info("Flood limit on %s; retrying after %s", endpoint, exc.retry_after)
            finally:
                if window is not None and admission is not None:
                    window.answered(admission)
