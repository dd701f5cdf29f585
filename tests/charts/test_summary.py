"""Tests for the one-page clinician summary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.charts.helpers import SUMMARY_PX, TODAY, TYPICAL, daily, png_size, summary

LONG_REASON = "Pain at or above the threshold on three days in a row, and rising. " * 3


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
