"""The bot-wide rate limiter: python-telegram-bot's BaseRateLimiter over aiolimiter buckets,
plus one flood gate that every request and the sender respect after a 429.

Why not AIORateLimiter as it is: its 429 pause is an Event that the first retry to finish
reopens, so a short retry_after cuts a longer one short, and with max_retries=0 requests
already queued inside it ignore a 429 entirely. The gate here is a deadline that only moves
later, checked right before each request leaves.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

# Spacing requests 1.05/rate apart (a bucket of one) keeps every one-second window at or under
# the rate even when arrivals jitter by up to 50 ms (measured: 2% was not enough on a loaded
# 2-core machine, where 11 of 10/s landed in one window). It costs 5% of the throughput.
RATE_MARGIN = 1.05

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]


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


class FloodAwareRateLimiter(BaseRateLimiter[int]):
    """Limit requests that address a chat to `rate` per second (paid broadcasts to
    `paid_rate`), and pause all of them on a 429, retrying up to `max_retries` times."""

    def __init__(
        self,
        rate: float,
        *,
        paid_rate: float | None = None,
        max_retries: int = 2,
        gate: FloodGate | None = None,
    ) -> None:
        self.gate = gate or FloodGate()
        self._overall = AsyncLimiter(1, RATE_MARGIN / rate)
        self._paid = AsyncLimiter(1, RATE_MARGIN / paid_rate) if paid_rate else None
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
        rate_limit_args: int | None,
    ) -> JSONResult:
        """Send one request through its bucket and the flood gate."""
        limiter: AsyncLimiter | None = None
        if data.get("chat_id") is not None:
            paid = bool(data.get("allow_paid_broadcast")) and self._paid is not None
            limiter = self._paid if paid else self._overall
        retries = self._max_retries if rate_limit_args is None else rate_limit_args
        attempt = 0
        while True:
            await self.gate.wait()
            try:
                if limiter is None:
                    return await callback(*args, **kwargs)
                async with limiter:
                    if not self.gate.is_open():
                        # A 429 arrived while this request waited for its slot. Waiting here
                        # would release every such request at once when the gate opens, so
                        # give the slot up and queue for a fresh one afterwards.
                        continue
                    return await callback(*args, **kwargs)
            except RetryAfter as exc:
                self.gate.record_429()
                self.gate.close_for(retry_after_seconds(exc) + 0.1)
                if attempt >= retries:
                    raise
                attempt += 1
                log.info("Flood limit on %s; retrying after %s", endpoint, exc.retry_after)
