"""The example history chart and clinician summary shown in the docs, drawn from fixed data."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from bot.charts.history import render_history
from bot.charts.summary import render_doctor_summary


def write_examples(directory: Path) -> None:
    """Write the example history chart and clinician summary shown in the docs."""
    today = date(2026, 11, 24)
    # One character per day, "-" for a missed check-in: a flare above 5 in the middle.
    scores = "332343223---344556655443-32322"
    start = today - timedelta(days=len(scores) - 1)
    points = [(start + timedelta(days=i), int(s)) for i, s in enumerate(scores) if s != "-"]
    escalated = start + timedelta(days=17)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "history-example.png").write_bytes(
        render_history(points, start=start, end=today, threshold=5, escalations=[escalated])
    )
    (directory / "doctor-summary-example.png").write_bytes(
        render_doctor_summary(
            points,
            today=today,
            threshold=5,
            escalations=[(escalated, "Pain 5 or more on 3 days in a row.")],
            red_flags=[(escalated, "No, none of these")],
            has_diabetes=False,
            name="Alex Example",
        )
    )
