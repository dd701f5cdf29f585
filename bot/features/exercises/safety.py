"""What stops or pauses the exercise programme, as pure functions of answers and dates.

- Any emergency or same-day escalation, and any warning-sign answer, pauses the programme until
  the user says they have been checked: there is no resume after a time.
- At pain 7 or more today there is no session; with no check-in today, ask first.
- Before the first level that loads, five questions are asked once; some answers keep the
  loaded exercises out, others add a caution to every loaded session.
- Three weeks at the first level with pain not improving suggests showing the plan to a
  physiotherapist: advice about the plan, beside (never instead of) the escalation rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from statistics import median

from bot.core.escalation import Urgency
from bot.core.exercises import Programme
from bot.core.warning_signs import RedFlag
from bot.features.exercises.diary import PainDiary

# The start of the "severe" band (0 none, 1-3 mild, 4-6 moderate, 7-10 severe) that the
# escalation rules use for `severe_day` (docs/escalation-rules.md).
SEVERE_PAIN = 7
# A steroid injection in the heel or Achilles in the last 6 weeks keeps loading out: FootCare's
# own caution (issue 23), counted from the day the user answered.
STEROID_WEEKS = 6
STUCK_DAYS = 21
# The smallest change in first-step pain that matters is about 19 mm on a 100 mm scale
# (Landorf 2010): 2 points on the 0-10 scale the bot asks.
IMPROVEMENT_POINTS = 2
_WEEK = 7
_ENOUGH_SCORES = 3  # in each week compared; fewer says nothing about improving


class PauseCause(StrEnum):
    """Why the programme is paused, most serious first."""

    EMERGENCY = "emergency"
    SAME_DAY = "same-day"
    WARNING_SIGN = "warning-sign"


_SERIOUSNESS = tuple(PauseCause)


@dataclass(frozen=True)
class SafetyEvent:
    """An escalation or a warning-sign answer that pauses the programme."""

    at: datetime
    cause: PauseCause


@dataclass(frozen=True)
class Pause:
    """The programme is paused: since when, and for the most serious reason not yet cleared."""

    since: datetime
    cause: PauseCause


def pause_cause(
    urgency: Urgency | None = None, red_flag: RedFlag | None = None
) -> PauseCause | None:
    """Return why an escalation or a warning-sign answer pauses the programme, or None."""
    if red_flag is not None and red_flag is not RedFlag.NONE:
        return PauseCause.WARNING_SIGN
    if urgency is Urgency.EMERGENCY:
        return PauseCause.EMERGENCY
    if urgency is Urgency.URGENT:
        return PauseCause.SAME_DAY
    return None


def pause(events: Iterable[SafetyEvent], checked_at: datetime | None) -> Pause | None:
    """Return the pause still in force: any event after the user's last "I've been checked".

    No clock goes in: only the user's confirmation ends a pause, however long ago it began.
    """
    open_events = [e for e in events if checked_at is None or e.at > checked_at]
    if not open_events:
        return None
    worst = min(open_events, key=lambda e: _SERIOUSNESS.index(e.cause))
    return Pause(min(e.at for e in open_events), worst.cause)


class PainGate(StrEnum):
    """Whether today's pain allows a session."""

    OK = "ok"
    ASK = "ask"  # no check-in today: ask for today's pain first
    NO_SESSION = "no-session"  # 7 or more today


def pain_gate(pain_today: int | None) -> PainGate:
    """Return whether a session may go ahead at today's pain."""
    if pain_today is None:
        return PainGate.ASK
    return PainGate.NO_SESSION if pain_today >= SEVERE_PAIN else PainGate.OK


class Question(StrEnum):
    """The questions asked once before the first level that loads (values are stored)."""

    STEROID_INJECTION = "steroid-injection"  # in the heel or Achilles, in the last 6 weeks
    QUINOLONE = "quinolone"  # a quinolone antibiotic (e.g. ciprofloxacin) in the last months
    RUPTURE_OR_OPERATION = "rupture-or-operation"  # a rupture or an operation on that foot
    POOR_BALANCE = "poor-balance"
    DIABETES_NUMBNESS = "diabetes-numbness"  # diabetes, with numbness in the feet


class Block(StrEnum):
    """Why the loaded exercises stay out for now."""

    RECENT_STEROID = "recent-steroid"
    QUINOLONE = "quinolone"
    RUPTURE_OR_OPERATION = "rupture-or-operation"


class Caution(StrEnum):
    """What a loaded session adds for this user."""

    HOLD_A_RAIL = "hold-a-rail"
    SHOES_ON_CHECK_FEET = "shoes-on-check-feet"  # shoes on; look at both feet before and after


@dataclass(frozen=True)
class PreloadAnswers:
    """The answers to the pre-loading questions: which were yes, and on which day."""

    answered_on: date
    yes: frozenset[Question]


@dataclass(frozen=True)
class PreloadVerdict:
    """What the answers mean for the loaded exercises today."""

    blocks: frozenset[Block]
    cautions: frozenset[Caution]

    @property
    def allowed(self) -> bool:
        """Say whether loaded exercises may be done."""
        return not self.blocks


def preload_verdict(answers: PreloadAnswers, today: date) -> PreloadVerdict:
    """Return what the pre-loading answers allow today.

    A recent steroid injection keeps loading out until 6 weeks after the answer; a quinolone,
    or a rupture or operation on that foot, until the user answers again (after asking the
    prescriber, or the team that treated the foot). Poor balance and diabetic numbness allow
    loading with a caution.
    """
    yes = answers.yes
    blocks: set[Block] = set()
    steroid_ends = answers.answered_on + timedelta(weeks=STEROID_WEEKS)
    if Question.STEROID_INJECTION in yes and today < steroid_ends:
        blocks.add(Block.RECENT_STEROID)
    if Question.QUINOLONE in yes:
        blocks.add(Block.QUINOLONE)
    if Question.RUPTURE_OR_OPERATION in yes:
        blocks.add(Block.RUPTURE_OR_OPERATION)
    cautions: set[Caution] = set()
    if Question.POOR_BALANCE in yes:
        cautions.add(Caution.HOLD_A_RAIL)
    if Question.DIABETES_NUMBNESS in yes:
        cautions.add(Caution.SHOES_ON_CHECK_FEET)
    return PreloadVerdict(frozenset(blocks), frozenset(cautions))


def stuck_at_first_level(
    programme: Programme, level_id: str, started: date, today: date, diary: PainDiary
) -> bool:
    """Say whether to suggest showing the plan to a physiotherapist.

    True after 3 weeks at the first level when the morning pain of the last week is not at
    least 2 points below that of the level's first week. With fewer than 3 scores in either
    week nothing can be said, and nothing is suggested.
    """
    if programme.levels[0].id != level_id or (today - started).days < STUCK_DAYS:
        return False
    first = _scores(diary, started, started + timedelta(days=_WEEK - 1))
    last = _scores(diary, today - timedelta(days=_WEEK - 1), today)
    if len(first) < _ENOUGH_SCORES or len(last) < _ENOUGH_SCORES:
        return False
    return median(first) - median(last) < IMPROVEMENT_POINTS


def _scores(diary: PainDiary, start: date, end: date) -> list[int]:
    days = (start + timedelta(days=i) for i in range((end - start).days + 1))
    return [score for day in days if (score := diary.score(day)) is not None]
