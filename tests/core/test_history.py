"""Check-in streaks, as shown in acknowledgements and chart captions."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.history import checkin_streak

TODAY = date(2026, 11, 24)


def days_ago(*offsets: int) -> set[date]:
    """Return the dates that many days before TODAY."""
    return {TODAY - timedelta(days=n) for n in offsets}


def test_streak_counts_back_from_today() -> None:
    """Today and the two days before make a streak of three."""
    assert checkin_streak(days_ago(0, 1, 2, 4), TODAY) == 3


def test_streak_still_counts_before_todays_answer() -> None:
    """Without an answer yet today, a run ending yesterday still counts."""
    assert checkin_streak(days_ago(1, 2), TODAY) == 2


def test_a_missed_day_breaks_the_streak() -> None:
    """Nothing today or yesterday means no streak."""
    assert checkin_streak(days_ago(2, 3, 4), TODAY) == 0
