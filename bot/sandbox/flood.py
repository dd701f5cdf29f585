"""Telegram-like flood control: sliding-window message limits, global and per chat."""

from __future__ import annotations

import math
from collections import deque


class SlidingWindow:
    """Allow at most `rate` events per second, judged over a sliding window.

    A rate below 1 (say 0.5) means one event per 1/rate seconds; fractional rates above 1 round
    down, as Telegram's limits are whole messages per second anyway.
    """

    def __init__(self, rate: float) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.capacity = max(1, math.floor(rate))
        self.window = 1.0 if rate >= 1 else 1.0 / rate
        self._events: deque[float] = deque()

    def retry_after(self, now: float) -> float:
        """Return 0 if an event may happen now, else the seconds until one may."""
        while self._events and self._events[0] <= now - self.window:
            self._events.popleft()
        if len(self._events) < self.capacity:
            return 0.0
        return self._events[0] + self.window - now

    def record(self, now: float) -> None:
        """Count an event that was allowed."""
        self._events.append(now)


class FloodControl:
    """Combine an optional global limit with an optional limit per chat."""

    def __init__(self, global_limit: float | None, per_chat_limit: float | None) -> None:
        self._global = SlidingWindow(global_limit) if global_limit else None
        self._per_chat_limit = per_chat_limit
        self._chats: dict[int, SlidingWindow] = {}

    def check(self, chat_id: int, now: float) -> int | None:
        """Return Telegram's retry_after in whole seconds if the message must be refused."""
        windows = [w for w in (self._global, self._chat_window(chat_id)) if w is not None]
        wait = max((w.retry_after(now) for w in windows), default=0.0)
        if wait > 0:
            # Telegram always answers a whole number of seconds, at least 1.
            return max(1, math.ceil(wait))
        for window in windows:
            window.record(now)
        return None

    def _chat_window(self, chat_id: int) -> SlidingWindow | None:
        """Return the chat's window, creating it on first use."""
        if not self._per_chat_limit:
            return None
        window = self._chats.get(chat_id)
        if window is None:
            window = self._chats[chat_id] = SlidingWindow(self._per_chat_limit)
        return window
