"""Tests for the docs' example charts."""

from __future__ import annotations

from pathlib import Path

from bot.charts.examples import write_examples
from tests.charts.helpers import HISTORY_PX, SUMMARY_PX, png_size


def test_write_examples_writes_both_pngs(tmp_path: Path) -> None:
    """The docs examples are written at their fixed sizes."""
    write_examples(tmp_path)
    assert png_size((tmp_path / "history-example.png").read_bytes()) == HISTORY_PX
    assert png_size((tmp_path / "doctor-summary-example.png").read_bytes()) == SUMMARY_PX
