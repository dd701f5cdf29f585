"""Shared data and helpers for the chart tests: fixed dates, sample histories, PNG sizes."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from datetime import date, timedelta

from bot.charts.history import render_history
from bot.charts.summary import render_doctor_summary

TODAY = date(2026, 11, 24)  # a Tuesday
MONTH_START = TODAY - timedelta(days=29)
HISTORY_PX = (1200, 675)
SUMMARY_PX = (990, 1410)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


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
