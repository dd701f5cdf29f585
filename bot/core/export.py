"""Build the CSV a user gets from /export: one row per day with anything stored about it."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from bot.core.i18n import N_

COLUMNS = ("date", "pain_score", "follow_up_answers", "tip_sent", "escalations")
# The header row as msgids: English keeps the column names, other languages translate them.
COLUMN_TITLES = (
    N_("date"),
    N_("pain_score"),
    N_("follow_up_answers"),
    N_("tip_sent"),
    N_("escalations"),
)


def export_csv(
    checkins: Sequence[tuple[date, int]],
    red_flags: Sequence[tuple[date, str]],
    tips: Sequence[tuple[date, str]],
    escalations: Sequence[tuple[date, str, str]],
    *,
    headers: Sequence[str] = COLUMNS,
) -> str:
    """Return CSV text: a header, then one row per date that has any record, oldest first.

    `escalations` are (date, rule, urgency); several on one day are joined with '; ', as are
    several tips or follow-up answers.
    """
    days: dict[date, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for day, score in checkins:
        days[day]["pain_score"].append(str(score))
    for day, flags in red_flags:
        days[day]["follow_up_answers"].append(flags.replace(",", " + "))
    for day, tip_id in tips:
        days[day]["tip_sent"].append(tip_id)
    for day, rule, urgency in escalations:
        days[day]["escalations"].append(f"{rule} ({urgency})")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    for day in sorted(days):
        fields = days[day]
        writer.writerow([day.isoformat(), *("; ".join(fields[c]) for c in COLUMNS[1:])])
    return out.getvalue()
