"""Facts derived from a user's check-in history, shared by acknowledgements and charts."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta


def checkin_streak(days: Collection[date], today: date) -> int:
    """Return the run of consecutive check-in days ending today, or yesterday if not yet today."""
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak
