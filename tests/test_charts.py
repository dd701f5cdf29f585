"""Tests for the pain history chart, its caption and the clinician summary page."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.charts import (
    CAPTION_LIMIT,
    history_caption,
    render_doctor_summary,
    render_history,
    write_examples,
)

TODAY = date(2026, 11, 24)  # a Tuesday
MONTH_START = TODAY - timedelta(days=29)
WEEK_START = TODAY - timedelta(days=6)
HISTORY_PX = (1200, 675)
SUMMARY_PX = (990, 1410)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LONG_REASON = "Pain at or above the threshold on three days in a row, and rising. " * 3


def png_size(data: bytes) -> tuple[int, int]:
    """Return (width, height) from a PNG's IHDR chunk, failing if it is not a PNG."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def daily(*scores: int | None, end: date = TODAY) -> list[tuple[date, int]]:
    """Return one check-in per day ending at end, None leaving that day out."""
    start = end - timedelta(days=len(scores) - 1)
    return [(start + timedelta(days=i), s) for i, s in enumerate(scores) if s is not None]


def history(points: Sequence[tuple[date, int]], start: date = MONTH_START) -> bytes:
    """Render a history chart from start to TODAY with threshold 4."""
    return render_history(points, start=start, end=TODAY, threshold=4)


def summary(
    points: Sequence[tuple[date, int]],
    *,
    escalations: Sequence[tuple[date, str]] = ((TODAY - timedelta(days=3), "Pain 4+ for 3 days"),),
    red_flags: Sequence[tuple[date, str]] = (),
    has_diabetes: bool | None = None,
    name: str = "Sam",
) -> bytes:
    """Render a clinician summary for TODAY with threshold 4."""
    return render_doctor_summary(
        points,
        today=TODAY,
        threshold=4,
        escalations=escalations,
        red_flags=red_flags,
        has_diabetes=has_diabetes,
        name=name,
    )


TYPICAL = daily(*[3, 4, 5, 4, 3, 2, None, None, 4, 5, 6, 5, 4] * 2, 3, 3, 2, 3)
# 14 days ending TODAY: the week before averages 5.0, this week 3.0, 4.0 overall.
SEEDED = daily(5, 6, 4, 5, 5, 6, 4, 3, 2, 4, 3, 3, 2, 4)


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


async def test_renders_run_concurrently_in_threads() -> None:
    """Two charts rendered at once in worker threads both come out whole."""
    first, second = await asyncio.gather(
        asyncio.to_thread(history, TYPICAL),
        asyncio.to_thread(summary, SEEDED),
    )
    assert png_size(first) == HISTORY_PX
    assert png_size(second) == SUMMARY_PX
    assert first == history(TYPICAL)


@pytest.mark.parametrize(
    "points",
    [
        pytest.param(TYPICAL, id="typical"),
        pytest.param([], id="empty"),
        pytest.param([(TODAY, 10)], id="one-point"),
    ],
)
def test_summary_renders_a4_png(points: list[tuple[date, int]]) -> None:
    """The clinician summary is a 990x1410 PNG whatever the history."""
    assert png_size(summary(points, has_diabetes=True)) == SUMMARY_PX


def test_summary_with_overflowing_lists_keeps_size() -> None:
    """Many long escalations and red flags and an emoji name are shortened to fit one page."""
    escalations = [(TODAY - timedelta(days=i), LONG_REASON) for i in range(20)]
    red_flags = [(TODAY - timedelta(days=i), "Numbness or tingling in the foot") for i in range(20)]
    png = summary(
        daily(*[7] * 200),
        escalations=escalations,
        red_flags=red_flags,
        has_diabetes=False,
        name="Alexandra 🦶 Konstantinopoulou-Montgomery-Smith $x$",
    )
    assert png_size(png) == SUMMARY_PX


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


def test_write_examples_writes_both_pngs(tmp_path: Path) -> None:
    """The docs examples are written at their fixed sizes."""
    write_examples(tmp_path)
    assert png_size((tmp_path / "history-example.png").read_bytes()) == HISTORY_PX
    assert png_size((tmp_path / "doctor-summary-example.png").read_bytes()) == SUMMARY_PX
