"""The one source of time. Production uses SystemClock; tests move a FakeClock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """Return the current time as an aware UTC datetime."""
        ...


class MovableClock(Clock, Protocol):
    """A clock that can be moved forward (tests, and the demo's "skip to tomorrow")."""

    def advance(self, delta: timedelta) -> None:
        """Move time forward by delta."""
        ...


class SystemClock:
    def now(self) -> datetime:
        """Return the wall-clock time in UTC."""
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when a test tells it to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """Return the frozen current time."""
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move time forward by delta."""
        self._now += delta

    def set(self, when: datetime) -> None:
        """Jump to an aware datetime."""
        self._now = when.astimezone(UTC)


class ShiftedClock:
    """Wall-clock time plus an offset the demo can move forward ("skip to tomorrow")."""

    def __init__(self) -> None:
        self._offset = timedelta(0)

    def now(self) -> datetime:
        """Return the wall-clock time in UTC, shifted."""
        return datetime.now(UTC) + self._offset

    def advance(self, delta: timedelta) -> None:
        """Move time forward by delta."""
        self._offset += delta
