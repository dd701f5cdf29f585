"""The sections of a shared record, one function each, in the order the page shows them.

To add a section (first-step pain, activities, exercise level, where the pain is...): write
`async def my_section(source: Source) -> Section | None` returning None when the user has no
such data, and put it in `SECTIONS`. The page and the PDF draw it with no further change as
long as it uses the blocks of `bot/core/record.py`.

Clinicians read these pages: words address them as a health professional (医护人员) and never
use the word reserved for escalations (tests/core/test_texts.py checks every msgid here).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.core import texts
from bot.core.escalation import Urgency
from bot.core.escalation_text import red_flag_options, render_reason
from bot.core.i18n import N_, Translator
from bot.core.record import Facts, Note, PainChart, Section, Table
from bot.features.outcomes import words as outcome_words
from bot.features.outcomes.foot import side_label, site_label
from bot.store import Store
from bot.store.users import User

# How urgent each stored escalation was, in a clinician's words (stored as Urgency keys).
_URGENCY = {
    Urgency.EMERGENCY: N_("emergency"),
    Urgency.URGENT: N_("same day"),
    Urgency.SOON: N_("within days"),
    Urgency.ROUTINE: N_("routine"),
    Urgency.ADVICE: N_("referral advice"),
}


@dataclass(frozen=True)
class Source:
    """What a section may read: the store, whose record, the period and the reader's words."""

    store: Store
    user: User
    start: date
    end: date
    threshold: int
    t: Translator
    # Every check-in of the period, read once because several sections use them.
    points: tuple[tuple[date, int], ...]
    # Days an escalation was given, for the chart's marks.
    escalation_days: tuple[date, ...]


Builder = Callable[[Source], Awaitable[Section | None]]


def _day(t: Translator, day: date) -> str:
    return t.date(day, "full")


async def pain_section(source: Source) -> Section | None:
    """Daily pain: how many check-ins, average, range, latest, and the chart."""
    t, points = source.t, source.points
    if not points:
        return None
    scores = [score for _, score in points]
    days = (source.end - source.start).days + 1
    last_day, last_score = points[-1]
    facts = Facts(
        (
            (
                t.gettext("Check-ins"),
                t.ngettext("{n} of {days} day", "{n} of {days} days", days).format(
                    n=len(points), days=days
                ),
            ),
            (t.gettext("Average pain"), f"{sum(scores) / len(scores):.1f} / 10"),
            (t.gettext("Lowest and highest"), f"{min(scores)}–{max(scores)}"),
            (
                t.gettext("Latest"),
                t.gettext("{score} on {day}").format(score=last_score, day=_day(t, last_day)),
            ),
        )
    )
    description = t.gettext(
        "Chart of daily pain from {start} to {end}; the table of check-ins below gives every score."
    ).format(start=_day(t, source.start), end=_day(t, source.end))
    chart = PainChart(
        points,
        source.start,
        source.end,
        source.threshold,
        tuple(d for d in source.escalation_days if source.start <= d <= source.end),
        N_("Daily pain (0 = none, 10 = worst)"),
        description,
    )
    return Section("pain", t.gettext("Daily pain"), (facts, chart))


async def escalation_section(source: Source) -> Section | None:
    """Every escalation FootCare gave, newest first, with how urgent and why."""
    t = source.t
    stored = await source.store.escalations.for_user(source.user.user_id)
    if not stored:
        return None
    items = []
    for e in sorted(stored, key=lambda e: (e.local_date, e.created_at), reverse=True):
        reason = render_reason(
            t, e.reason_key, e.reason_params, e.reason or e.rule.replace("_", " ")
        )
        urgency = _urgency_words(t, e.urgency)
        if urgency is not None:
            reason = t.gettext("{urgency}: {reason}").format(urgency=urgency, reason=reason)
        items.append((_day(t, e.local_date), reason))
    note = Note(
        t.gettext(
            "FootCare's own rules, from NHS guidance, applied to the scores and answers above;"
            " not a diagnosis."
        )
    )
    heading = t.gettext("When FootCare advised getting checked")
    return Section("escalations", heading, (Facts(tuple(items)), note))


def _urgency_words(t: Translator, stored: str) -> str | None:
    try:
        urgency = Urgency[stored.upper()]
    except KeyError:
        return None
    return t.gettext(_URGENCY[urgency])


async def warning_sign_section(source: Source) -> Section | None:
    """The user's answers to the warning-sign question, newest first."""
    t = source.t
    answers = await source.store.diary.red_flag_answers(source.user.user_id)
    if not answers:
        return None
    labels = {flag.value: label for flag, label in red_flag_options(t, has_diabetes=True)}
    items = tuple(
        (_day(t, day), t.gettext(", ").join(labels.get(f, f) for f in answer.split(",")))
        for day, answer in sorted(answers, reverse=True)
    )
    return Section("warning_signs", t.gettext("Warning-sign answers"), (Facts(items),))


async def background_section(source: Source) -> Section | None:
    """What the user said about themselves: how long the pain had gone on, diabetes."""
    t = source.t
    items: list[tuple[str, str]] = []
    user = source.user
    if user.pain_duration is not None and user.pain_duration_on is not None:
        label = t.gettext("Pain had gone on")
        items.append((label, texts.pain_label(t, user.pain_duration, user.pain_duration_on)))
    # Issue 22: where it hurts and which foot, when answered.
    profile = await source.store.outcomes.profile(user.user_id)
    if profile is not None and profile.site is not None:
        items.append((t.gettext(outcome_words.SETTINGS_BUTTON), site_label(t, profile.site)))
    if profile is not None and profile.side is not None:
        items.append((t.gettext(outcome_words.WHICH_FOOT), side_label(t, profile.side)))
    if source.user.has_diabetes is not None:
        answer = t.gettext("yes") if source.user.has_diabetes else t.gettext("no")
        items.append((t.gettext("Diabetes"), answer))
    if not items:
        return None
    return Section("background", t.gettext("About the person"), (Facts(tuple(items)),))


async def checkin_table_section(source: Source) -> Section | None:
    """Every check-in of the period as a date and score table, newest first."""
    t = source.t
    if not source.points:
        return None
    rows = tuple((_day(t, day), str(score)) for day, score in reversed(source.points))
    table = Table((t.gettext("Date"), t.gettext("Pain (0-10)")), rows)
    return Section("checkins", t.gettext("Every check-in"), (table,))


SECTIONS: Sequence[Builder] = (
    pain_section,
    escalation_section,
    warning_sign_section,
    background_section,
    checkin_table_section,
)
