"""Tests for the pain history chart and its text caption."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.charts.history import CAPTION_LIMIT, history_caption, render_history
from tests.charts.helpers import (
    HISTORY_PX,
    MONTH_START,
    SEEDED,
    TODAY,
    TYPICAL,
    daily,
    history,
    png_size,
)

WEEK_START = TODAY - timedelta(days=6)


@pytest.mark.parametrize(
    ("points", "start"),
    [
        pytest.param(TYPICAL, MONTH_START, id="typical"),
        pytest.param([(TODAY, 3)], MONTH_START, id="one-point"),
        pytest.param(daily(2, None, 3, None, None, 4, None, 5), MONTH_START, id="gaps"),
        pytest.param(daily(*[0] * 30), MONTH_START, id="all-zeros"),
        pytest.param(daily(*[10] * 30), MONTH_START, id="all-tens"),
        pytest.param([], MONTH_START, id="empty"),
        pytest.param(daily(1, 2, None, 4, 5, 6, 7), WEEK_START, id="seven-days"),
        pytest.param(daily(*[5] * 90), TODAY - timedelta(days=89), id="ninety-days"),
    ],
)
def test_history_renders_png_of_fixed_size(points: list[tuple[date, int]], start: date) -> None:
    """Every history, typical or edge case, renders as a 1200x675 PNG."""
    assert png_size(history(points, start)) == HISTORY_PX


# The long title is not a msgid (the bot only passes msgids); it tests the shortening.
@pytest.mark.usefixtures("any_msgid")
def test_history_with_escalations_and_long_title_keeps_size() -> None:
    """Escalation markers and a long title with emoji do not change the pixel size."""
    png = render_history(
        TYPICAL,
        start=MONTH_START,
        end=TODAY,
        threshold=4,
        escalations=[TODAY - timedelta(days=5), TODAY - timedelta(days=60)],
        title="Sam's heel 🦶 pain $with$ dollars over the last thirty days",
    )
    assert png_size(png) == HISTORY_PX


def test_history_ignores_points_outside_range() -> None:
    """Points before start or after end leave the chart unchanged."""
    outside = [(MONTH_START - timedelta(days=1), 9), (TODAY + timedelta(days=1), 9)]
    assert history([*outside, *TYPICAL]) == history(TYPICAL)


def test_history_duplicate_day_last_wins() -> None:
    """A day recorded twice is drawn with its last score."""
    assert history([(TODAY, 9), (TODAY, 2)]) == history([(TODAY, 2)])


def test_history_rejects_score_out_of_range() -> None:
    """A score outside 0-10 is a caller bug, not something to draw."""
    with pytest.raises(ValueError, match="outside 0-10"):
        history([(TODAY, 11)])


def test_history_rejects_end_before_start() -> None:
    """An empty date range is refused."""
    with pytest.raises(ValueError, match="before start"):
        render_history([], start=TODAY, end=TODAY - timedelta(days=1), threshold=4)


def test_caption_reports_average() -> None:
    """The caption gives the mean score and the number of check-ins."""
    assert "Average pain 4.0 over 14 check-ins." in history_caption(SEEDED, today=TODAY)


def test_caption_reports_best_and_worst_most_recent_on_ties() -> None:
    """Best and worst days are named with weekday and date, the latest winning a tie."""
    caption = history_caption(SEEDED, today=TODAY)
    assert "Best day: Mon 23 Nov: 2." in caption
    assert "Worst day: Mon 16 Nov: 6." in caption


def test_caption_reports_fall_from_week_before() -> None:
    """A lower average this week than last is reported as down by the difference."""
    assert "This week: down 2.0 from the week before." in history_caption(SEEDED, today=TODAY)


def test_caption_reports_rise_from_week_before() -> None:
    """A higher average this week than last is reported as up by the difference."""
    points = daily(2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 2)
    assert "This week: up 0.9 from the week before." in history_caption(points, today=TODAY)


def test_caption_reports_small_change_as_about_the_same() -> None:
    """A change under half a point is called about the same."""
    points = daily(3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 3, 3, 3)
    caption = history_caption(points, today=TODAY)
    assert "This week: about the same as the week before." in caption


def test_caption_omits_change_without_two_weeks_of_data() -> None:
    """With fewer than three check-ins in the week before, no change is claimed."""
    points = daily(5, None, None, None, None, None, 5, 3, 3, 3, 3, 3, 3, 3)
    assert "This week" not in history_caption(points, today=TODAY)


def test_caption_reports_streak_ending_today() -> None:
    """The streak counts consecutive days back from today."""
    assert "Check-in streak: 14 days." in history_caption(SEEDED, today=TODAY)


def test_caption_streak_may_end_yesterday() -> None:
    """Before today's check-in, the streak still counts from yesterday."""
    points = daily(4, None, 3, 3, 3, end=TODAY - timedelta(days=1))
    assert "Check-in streak: 3 days." in history_caption(points, today=TODAY)


def test_caption_without_recent_check_in_has_no_streak() -> None:
    """No check-in today or yesterday means no streak, only a nudge."""
    points = daily(4, 4, 4, end=TODAY - timedelta(days=2))
    caption = history_caption(points, today=TODAY)
    assert "streak:" not in caption
    assert "start a new streak" in caption


def test_caption_ignores_future_days_and_keeps_last_duplicate() -> None:
    """Days after today are ignored and a repeated day counts once with its last score."""
    points = [(TODAY, 8), (TODAY, 2), (TODAY + timedelta(days=1), 10)]
    caption = history_caption(points, today=TODAY)
    assert "Average pain 2.0 over 1 check-in." in caption
    assert "Pain was 2 on every check-in." in caption


def test_caption_without_check_ins() -> None:
    """An empty history gets a short note instead of statistics."""
    assert history_caption([], today=TODAY) == "No check-ins yet."


@pytest.mark.parametrize(
    "points",
    [
        pytest.param(SEEDED, id="seeded"),
        pytest.param(daily(*[10] * 400), id="long"),
        pytest.param([], id="empty"),
    ],
)
def test_caption_never_says_doctor_and_fits_telegram(points: list[tuple[date, int]]) -> None:
    """Captions never say doctor, which is kept for escalations, and fit Telegram's limit."""
    caption = history_caption(points, today=TODAY)
    assert "doctor" not in caption.lower()
    assert len(caption) <= CAPTION_LIMIT
