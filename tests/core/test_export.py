"""The /export CSV: one row per day, every record kept."""

from __future__ import annotations

import csv
import io
from datetime import date

from bot.core.export import COLUMNS, export_csv

D1, D2 = date(2026, 11, 1), date(2026, 11, 2)


def test_empty_history_is_just_the_header() -> None:
    """With nothing stored the CSV has only its header."""
    assert export_csv([], [], [], []) == ",".join(COLUMNS) + "\n"


def test_rows_merge_records_of_the_same_day() -> None:
    """A day's score, answers, tip and escalations share one row, oldest day first."""
    text = export_csv(
        [(D2, 7), (D1, 3)],
        [(D2, "numbness,hot_red_swollen")],
        [(D1, "footwear-a"), (D2, "rest-b")],
        [(D2, "red_flag_urgent", "urgent"), (D2, "severe", "soon")],
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows == [
        {"date": "2026-11-01", "pain_score": "3", "follow_up_answers": "",
         "tip_sent": "footwear-a", "escalations": ""},
        {"date": "2026-11-02", "pain_score": "7",
         "follow_up_answers": "numbness + hot_red_swollen", "tip_sent": "rest-b",
         "escalations": "red_flag_urgent (urgent); severe (soon)"},
    ]  # fmt: skip


def test_commas_and_quotes_are_escaped() -> None:
    """Values with commas survive a round trip through the csv module."""
    text = export_csv([], [], [(D1, 'tip, with "quotes"')], [])
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["tip_sent"] == 'tip, with "quotes"'
