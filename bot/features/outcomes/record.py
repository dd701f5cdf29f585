"""The outcome record as a file: every outcome answer, one row per answer, for /export.

One long table (date, measure, activity, value, filled_late) rather than more columns on the
day-per-row export: a day can hold several activity ratings, and a clinician's spreadsheet
reads this shape directly. Values are codes (the enums' values), not sentences, so the file
means the same in every language; only the header row is translated.

Activity names are the only free text: a name that a spreadsheet would read as a formula
(=, +, -, @, a tab or a carriage return first) gets a leading apostrophe, so opening the file
never runs what someone typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from bot.core.i18n import Translator
from bot.core.outcomes import Activity, FootProfile, MonthlyAnswer, PainEntry
from bot.core.replies import Document
from bot.features.outcomes import words
from bot.features.outcomes.measures import Measure
from bot.store import Store

COLUMNS = ("date", "measure", "activity", "value", "filled_late")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Return free text a spreadsheet shows as text, never evaluates as a formula."""
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def outcomes_csv(
    profile: FootProfile | None,
    first_step: Sequence[PainEntry],
    daily: Sequence[PainEntry],
    activities: Sequence[Activity],
    monthly: Sequence[MonthlyAnswer],
    *,
    headers: Sequence[str] = COLUMNS,
) -> str:
    """Return CSV text: a header, then one row per answer, oldest first.

    Rows: pain_site and side (dated with the record's start), first_step_pain and daily_pain
    (0-10, filled_late 1 for a day filled in the next day), activity_added, activity_dropped
    and activity (a 0-10 rating) naming the activity, acceptable (yes/no) and global_change
    (a GlobalChange value); an offer left unanswered has no row.
    """
    rows: list[tuple[str, str, str, str, str]] = []
    if profile is not None:
        start = profile.started_on.isoformat() if profile.started_on else ""
        if profile.site is not None:
            rows.append((start, "pain_site", "", profile.site.value, ""))
        if profile.side is not None:
            rows.append((start, "side", "", profile.side.value, ""))
    for measure, entries in ((Measure.FIRST_STEP_PAIN, first_step), (Measure.DAILY_PAIN, daily)):
        rows.extend(
            (e.day.isoformat(), measure.value, "", str(e.score), str(int(e.filled_late)))
            for e in entries
        )
    for activity in activities:
        name = spreadsheet_safe(activity.name)
        rows.append((activity.added_on.isoformat(), "activity_added", name, "", ""))
        rows.extend(
            (r.day.isoformat(), Measure.ACTIVITIES.value, name, str(r.score), "")
            for r in activity.ratings
        )
        if activity.dropped_on is not None:
            rows.append((activity.dropped_on.isoformat(), "activity_dropped", name, "", ""))
    for answer in monthly:
        day = answer.day.isoformat()
        if answer.acceptable is not None:
            rows.append((day, "acceptable", "", "yes" if answer.acceptable else "no", ""))
        if answer.change is not None:
            rows.append((day, "global_change", "", answer.change.value, ""))
    out = io.StringIO()
    # CRLF as RFC 4180 has it: a carriage return inside a field is then quoted too.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    # A stable sort on the date keeps each day's rows in the order above.
    rows.sort(key=lambda row: row[0])
    writer.writerows(rows)
    return out.getvalue()


async def outcomes_document(
    store: Store, user_id: int, t: Translator, day: date, page: Translator | None = None
) -> Document | None:
    """Return the outcome record as a CSV file for /export; None for a user who never used
    the outcome measures (their check-ins are all in the day-per-row export already).

    Headers in `page`'s language (default `t`'s), the caption in `t`'s.
    """
    outcomes = store.outcomes
    profile = await outcomes.profile(user_id)
    first_step = await outcomes.first_step_pain(user_id)
    activities = await outcomes.activities(user_id, dropped=True)
    monthly = await outcomes.monthly(user_id)
    daily = await outcomes.daily_pain(user_id)
    late = any(e.filled_late for e in daily)
    if profile is None and not first_step and not activities and not monthly and not late:
        return None
    headers = [(page or t).gettext(title) for title in words.COLUMN_TITLES]
    data = outcomes_csv(
        profile,
        first_step,
        daily,
        activities,
        monthly,
        headers=headers,
    )
    return Document(
        data.encode("utf-8"),
        f"footcare-outcomes-{day.isoformat()}.csv",
        t.gettext(words.EXPORT_CAPTION),
    )
