"""Fault injection: failures and delays tests ask for, and Telegram-like flood limits."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from http import HTTPStatus

from bot.sandbox.flood import FloodControl
from bot.sandbox.models import ApiError
from bot.sandbox.spec import ApiSpec

# Edits count too: Telegram throttles edit storms exactly like sends.
FLOOD_COUNTED = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup"}
)
_FAILURE_TEXT = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class Faults:
    """Injected failures and delays per method, plus the configured flood limits."""

    def __init__(
        self, spec: ApiSpec, global_limit: float | None, per_chat_limit: float | None
    ) -> None:
        self._spec = spec
        self._flood = FloodControl(global_limit, per_chat_limit)
        self._failures: dict[str, deque[ApiError]] = {}
        self._delays: dict[str, float] = {}

    def inject_failure(
        self,
        method: str,
        status: int,
        count: int = 1,
        *,
        retry_after: int | None = None,
        description: str | None = None,
    ) -> None:
        """Make the next `count` calls of `method` fail with `status`; 429 gets retry_after."""
        name = self._spec.canonical(method)
        if status == HTTPStatus.TOO_MANY_REQUESTS:
            retry_after = max(1, retry_after or 1)
            text = description or f"Too Many Requests: retry after {retry_after}"
        else:
            retry_after = None
            text = description or _FAILURE_TEXT.get(status) or HTTPStatus(status).phrase
        queue = self._failures.setdefault(name, deque())
        queue.extend(ApiError(status, text, retry_after=retry_after) for _ in range(count))

    def set_delay(self, method: str, seconds: float) -> None:
        """Wait `seconds` before handling each call of `method` (0 removes the delay)."""
        self._delays[self._spec.canonical(method)] = seconds

    async def before(self, method: str) -> None:
        """Apply a configured delay, then raise the next injected failure if there is one."""
        delay = self._delays.get(method, 0.0)
        if delay > 0:
            await asyncio.sleep(delay)
        queue = self._failures.get(method)
        if queue:
            raise queue.popleft()

    def check_flood(self, method: str, chat_id: int) -> None:
        """Answer 429 if this message would exceed the configured limits."""
        if method not in FLOOD_COUNTED:
            return
        retry_after = self._flood.check(chat_id, time.monotonic())
        if retry_after is not None:
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )
