"""The outcome measures' rules: start, last value, change and whether it matters; when to ask.

Pure: no Telegram, no SQLite, no clock. Every date comes in as an argument (the user's local
date), so the rules are tested over any calendar. docs/clinical/outcomes.md gives each figure
with its source; the smallest changes that matter are group figures from studies, a rough
guide for one person's record, never a judgement and never a diagnosis.

Values are weekly means rounded to one decimal, and the change is the difference of the
rounded values, so the numbers a user reads add up and the verdict is about what they read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from bot.core.outcomes import Activity, FootProfile, PainEntry, PainSite, Side

WEEK = timedelta(days=7)
# "Too early to tell" for the first two weeks of a measure: its first week is the starting
# value, and a later week cannot overlap it before day 14.
TOO_EARLY = timedelta(days=14)
# The monthly questions come every four weeks, the follow-up rhythm of the heel-pain trials
# (4 and 12 weeks), counted from the start and from the last time they were offered.
MONTH = timedelta(days=28)
# A weekly re-rating rides the weekly summary, so it waits for the summary's day; one at least
# this long after the last rating (or offer), so a rating is never asked again two days later.
RERATE_MIN_GAP = timedelta(days=5)
MAX_ACTIVITIES = 3  # the Patient-Specific Functional Scale asks for up to three (to five)
ACTIVITY_NAME_MAX = 60  # characters; also checked by the table (migration 0011)

_TENTH = Decimal("0.1")


class Measure(StrEnum):
    """A measure followed over time (its value is the export's code for it)."""

    FIRST_STEP_PAIN = "first_step_pain"
    DAILY_PAIN = "daily_pain"
    ACTIVITIES = "activities"  # the Patient-Specific Functional Scale score


@dataclass(frozen=True)
class SmallestChange:
    """The smallest change that matters to patients, on the bot's 0-10 scale, with its source.

    `lower_is_better` says which way is better; `derivation` says where the figure comes from
    and how it was converted to 0-10. These are group figures (a mean or a cut-off over many
    people), used as a rough guide for one person.
    """

    points: Decimal
    lower_is_better: bool
    source: str
    derivation: str


SMALLEST_CHANGE: dict[Measure, SmallestChange] = {
    Measure.FIRST_STEP_PAIN: SmallestChange(
        Decimal("1.9"),
        lower_is_better=True,
        source="http://www.jfootankleres.com/content/3/1/7",
        derivation=(
            "Landorf et al. 2010, 184 people with plantar heel pain, anchor-based: -19 mm "
            "(95% CI -25 to -13) on a 100 mm visual analogue scale for first-step pain; "
            "converted at 10 mm per point to 1.9 points on the bot's 0-10 numeric scale"
        ),
    ),
    Measure.DAILY_PAIN: SmallestChange(
        Decimal("0.8"),
        lower_is_better=True,
        source="http://www.jfootankleres.com/content/3/1/7",
        derivation=(
            "Landorf et al. 2010, same study: -8 mm (95% CI -12 to -4) on a 100 mm visual "
            "analogue scale for average pain; converted at 10 mm per point to 0.8 points; the "
            "bot's question is today's pain, which the study's average pain is closest to"
        ),
    ),
    Measure.ACTIVITIES: SmallestChange(
        Decimal("1.3"),
        lower_is_better=False,
        source=(
            "https://www.integrative-archives.com/2014/04/minimum-important-differences-for-"
            "the-patient-specific-functional-scale-4-region-specific-outcome-measures-and-the-"
            "numeric-pain-rating-scale/"
        ),
        derivation=(
            "Abbott and Schmitt 2014, 1,708 people in physical therapy: 1.3 points on the "
            "0-10 Patient-Specific Functional Scale score for a small change (2.3 medium, "
            "2.7 large), stable across body regions; already on 0-10, no conversion"
        ),
    ),
}


class Verdict(StrEnum):
    """What can be said about a measure's change."""

    NO_DATA = "no_data"  # nothing recorded yet
    TOO_EARLY = "too_early"  # within the first two weeks of the measure
    NO_RECENT = "no_recent"  # nothing recorded since the starting week (after two weeks)
    BETTER = "better"  # better by at least the smallest change that matters
    WORSE = "worse"  # worse by at least as much (the same size: an assumption, see the docs)
    SMALLER = "smaller"  # a change smaller than that, either way, or none


@dataclass(frozen=True)
class Progress:
    """One measure's starting value (its first week), last value (its latest week), change."""

    measure: Measure
    verdict: Verdict
    start: Decimal | None = None
    start_day: date | None = None  # the first day of the starting week
    start_count: int = 0  # how many answers the starting value is the mean of
    last: Decimal | None = None
    last_day: date | None = None  # the last day of the latest week
    last_count: int = 0
    change: Decimal | None = None  # last - start, as shown

    @property
    def smallest(self) -> SmallestChange:
        """Return the smallest change that matters for this measure, with its source."""
        return SMALLEST_CHANGE[self.measure]

    @property
    def matters(self) -> bool:
        """Say whether the change reaches the smallest change that matters, either way."""
        return self.verdict in (Verdict.BETTER, Verdict.WORSE)


def tenths(value: Fraction | int) -> Decimal:
    """Round to one decimal, halves away from zero (5.25 -> 5.3), exactly."""
    exact = Fraction(value)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        _TENTH, rounding=ROUND_HALF_UP
    )


def _mean(scores: Sequence[int]) -> Decimal:
    return tenths(Fraction(sum(scores), len(scores)))


def judge(measure: Measure, change: Decimal) -> Verdict:
    """Say whether a change (last - start) is better or worse by what matters, or smaller."""
    rule = SMALLEST_CHANGE[measure]
    improvement = -change if rule.lower_is_better else change
    if improvement >= rule.points:
        return Verdict.BETTER
    if -improvement >= rule.points:
        return Verdict.WORSE
    return Verdict.SMALLER


def pain_progress(measure: Measure, entries: Iterable[PainEntry], today: date) -> Progress:
    """Return a daily 0-10 measure's progress (first-step pain or today's pain) on `today`.

    The starting value is the mean of the first week from the first answer; the last value
    the mean of the week ending at the latest answer. Answers after `today` are ignored; one
    answer per day (a later entry for a day replaces an earlier one).
    """
    if measure is Measure.ACTIVITIES:
        raise ValueError("the activities score comes from activity_progress")
    days = {e.day: e.score for e in entries if e.day <= today}
    if not days:
        return Progress(measure, Verdict.NO_DATA)
    first, latest = min(days), max(days)
    opening = [s for d, s in days.items() if d < first + WEEK]
    start = _mean(opening)
    begun = Progress(
        measure, Verdict.TOO_EARLY, start=start, start_day=first, start_count=len(opening)
    )
    if today < first + TOO_EARLY:
        return begun
    if latest - WEEK < first + WEEK - timedelta(days=1):
        # The latest week (the 7 days up to the last answer) would overlap the first week.
        return replace(begun, verdict=Verdict.NO_RECENT)
    closing = [s for d, s in days.items() if d > latest - WEEK]
    last = _mean(closing)
    change = last - start
    return Progress(
        measure,
        judge(measure, change),
        start=start,
        start_day=first,
        start_count=len(opening),
        last=last,
        last_day=latest,
        last_count=len(closing),
        change=change,
    )


@dataclass(frozen=True)
class ActivityProgress:
    """One activity's first and latest rating; no change before two weeks have passed."""

    activity: Activity
    start: int | None = None
    start_day: date | None = None
    last: int | None = None
    last_day: date | None = None

    @property
    def change(self) -> int | None:
        """Return last - start (higher is better), None when there is nothing to compare."""
        if self.start is None or self.last is None:
            return None
        return self.last - self.start


def one_activity(activity: Activity, today: date) -> ActivityProgress:
    """Return an activity's first rating and, from two weeks after it, its latest one."""
    ratings = sorted((r for r in activity.ratings if r.day <= today), key=lambda r: r.day)
    if not ratings:
        return ActivityProgress(activity)
    first, latest = ratings[0], ratings[-1]
    if today < first.day + TOO_EARLY or latest.day < first.day + TOO_EARLY:
        return ActivityProgress(activity, first.score, first.day)
    return ActivityProgress(activity, first.score, first.day, latest.score, latest.day)


def activity_progress(
    activities: Iterable[Activity], today: date
) -> tuple[Progress, tuple[ActivityProgress, ...]]:
    """Return the Patient-Specific Functional Scale score's progress and each activity's.

    The score is the mean of the activities followed now (not dropped); it compares only
    activities rated both at their start and two weeks or more later, so adding or dropping
    one does not move the score by itself. Its starting value is the mean of their first
    ratings (each activity's own start: the first week for those named then).
    """
    each = tuple(one_activity(a, today) for a in activities if a.active)
    rated = [p for p in each if p.start is not None]
    measure = Measure.ACTIVITIES
    if not rated:
        return Progress(measure, Verdict.NO_DATA), each
    compared = [p for p in rated if p.last is not None]
    if not compared:
        opening = [p.start for p in rated if p.start is not None]
        first = min(p.start_day for p in rated if p.start_day is not None)
        recent = any(p.start_day is not None and today < p.start_day + TOO_EARLY for p in rated)
        verdict = Verdict.TOO_EARLY if recent else Verdict.NO_RECENT
        progress = Progress(
            measure, verdict, start=_mean(opening), start_day=first, start_count=len(opening)
        )
        return progress, each
    starts = [p.start for p in compared if p.start is not None]
    lasts = [p.last for p in compared if p.last is not None]
    start, last = _mean(starts), _mean(lasts)
    change = last - start
    progress = Progress(
        measure,
        judge(measure, change),
        start=start,
        start_day=min(p.start_day for p in compared if p.start_day is not None),
        start_count=len(starts),
        last=last,
        last_day=max(p.last_day for p in compared if p.last_day is not None),
        last_count=len(lasts),
        change=change,
    )
    return progress, each


# --- when to ask ----------------------------------------------------------------------------


def asks_first_step(profile: FootProfile | None) -> bool:
    """Say whether the daily message asks first-step pain: set in /settings, else by the site."""
    if profile is None:
        return False
    if profile.first_step is not None:
        return profile.first_step
    return profile.site is PainSite.UNDER_HEEL


def asks_joint_question(profile: FootProfile | None) -> bool:
    """Say whether to ask, once, about stiff or swollen joints or back: both feet, not yet asked.

    Choosing both feet is not itself a warning sign; the existing question decides that.
    """
    return profile is not None and profile.side is Side.BOTH and profile.joint_question_on is None


def activities_invite_due(
    today: date, started: date, *, named: int, invited_on: date | None
) -> bool:
    """Say whether to invite the user to name their activities: once, in their first week."""
    return named == 0 and invited_on is None and started <= today < started + WEEK


def monthly_due(today: date, started: date, last_offered: date | None) -> bool:
    """Say whether the monthly questions are due: four weeks after the start and the last offer.

    An offer counts whether or not it was answered, so an ignored question is not asked again
    every day; it comes back four weeks later.
    """
    anchor = started if last_offered is None else max(started, last_offered)
    return today >= anchor + MONTH


class Carrier(StrEnum):
    """Which scheduled message carries a re-rating (the feature adds no message of its own)."""

    WEEKLY_SUMMARY = "weekly_summary"
    DAILY_MESSAGE = "daily_message"


@dataclass(frozen=True)
class RerateOffer:
    """The activities to re-rate today, one tap each, and the message that carries them."""

    carrier: Carrier
    activities: tuple[Activity, ...]


def rerate_due(activity: Activity, today: date, weekly_day: int | None) -> bool:
    """Say whether an activity's weekly re-rating is due today.

    `weekly_day` is the weekly summary's weekday (0 = Monday), None when the summary is off.
    With the summary on, the re-rating waits for its day, at least five days after the last
    rating or offer; with it off, it comes seven days after them. An activity never rated
    (its first rating belongs to naming it) or dropped is not due.
    """
    if not activity.active or not activity.ratings:
        return False
    last = max(r.day for r in activity.ratings)
    if activity.rerate_offered_on is not None:
        last = max(last, activity.rerate_offered_on)
    if weekly_day is None:
        return today >= last + WEEK
    return today.weekday() == weekly_day and today >= last + RERATE_MIN_GAP


def rerate_offer(
    activities: Iterable[Activity],
    today: date,
    *,
    weekly_day: int | None,
    summary_sent_today: bool,
) -> RerateOffer | None:
    """Return today's re-rating and its carrier: the weekly summary when it goes out today,
    else the daily message (the summary is off, or skipped for a week without check-ins)."""
    due = tuple(a for a in activities if rerate_due(a, today, weekly_day))
    if not due:
        return None
    if weekly_day is not None and summary_sent_today:
        return RerateOffer(Carrier.WEEKLY_SUMMARY, due)
    return RerateOffer(Carrier.DAILY_MESSAGE, due)


# --- yesterday's check-in -------------------------------------------------------------------


class Fill(StrEnum):
    """What happens to a pain answer (daily or first-step) given for `day` on local date today."""

    ON_TIME = "on_time"  # today's: stored; a second answer today replaces the first
    LATE = "late"  # yesterday's, missed: stored at its own date, marked as filled late
    ALREADY = "already"  # yesterday already has an answer: a late fill never replaces it
    CLOSED = "closed"  # two or more days ago: stays empty
    NOT_YET = "not_yet"  # a day the user's calendar has not reached

    @property
    def stores(self) -> bool:
        """Say whether the answer is stored."""
        return self in (Fill.ON_TIME, Fill.LATE)

    @property
    def filled_late(self) -> bool:
        """Say whether the stored answer is marked as filled in late."""
        return self is Fill.LATE

    @property
    def reruns_rules(self) -> bool:
        """Say whether the escalation rules run again on the stored answer (they run today)."""
        return self.stores

    @property
    def asks_warning_signs(self) -> bool:
        """Say whether the warning-sign question may follow: never for a day gone by.

        A warning sign is about now: it is never filled in after the fact, and the warning
        button stays there for today.
        """
        return self is Fill.ON_TIME


def fill_rule(day: date, today: date, *, recorded: bool) -> Fill:
    """Decide what a pain answer for `day` does on `today`; `recorded`: the day has one already."""
    if day > today:
        return Fill.NOT_YET
    if day == today:
        return Fill.ON_TIME
    if day == today - timedelta(days=1):
        return Fill.ALREADY if recorded else Fill.LATE
    return Fill.CLOSED


def missed_yesterday(today: date, started: date, recorded: Iterable[date]) -> date | None:
    """Return yesterday when it can still be filled in: the user was there and left it empty."""
    yesterday = today - timedelta(days=1)
    if yesterday < started or yesterday in set(recorded):
        return None
    return yesterday


# --- the user's own words -------------------------------------------------------------------


class NameProblem(StrEnum):
    """Why a typed activity name was refused."""

    EMPTY = "empty"
    TOO_LONG = "too_long"


def clean_activity_name(text: str) -> str | NameProblem:
    """Return a typed activity name on one line, spaces tidied and control characters out.

    The name is kept as typed otherwise (markup included): it is the user's own words and is
    escaped wherever it is shown.
    """
    printable = "".join(c if c.isprintable() else " " for c in text)
    name = " ".join(printable.split())
    if not name:
        return NameProblem.EMPTY
    if len(name) > ACTIVITY_NAME_MAX:
        return NameProblem.TOO_LONG
    return name
