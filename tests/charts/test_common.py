"""Tests for what the charts share: font-safe text and rendering off the event loop."""

from __future__ import annotations

import asyncio

from bot.charts.common import printable
from tests.charts.helpers import (
    HISTORY_PX,
    SEEDED,
    SUMMARY_PX,
    TYPICAL,
    history,
    png_size,
    summary,
)


def test_printable_blanks_missing_glyphs_and_flattens_lines() -> None:
    """Characters the font cannot draw and line breaks become single spaces."""
    assert printable("  Sam \U0001f9b6 heel\npain  ") == "Sam heel pain"


async def test_renders_run_concurrently_in_threads() -> None:
    """Two charts rendered at once in worker threads both come out whole."""
    first, second = await asyncio.gather(
        asyncio.to_thread(history, TYPICAL),
        asyncio.to_thread(summary, SEEDED),
    )
    assert png_size(first) == HISTORY_PX
    assert png_size(second) == SUMMARY_PX
    assert first == history(TYPICAL)
