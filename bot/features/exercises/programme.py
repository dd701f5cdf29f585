"""Today's session for a user, and whether to suggest another level ("listening to the pain").

Pure: the programme, the user's level and the day it started, today's date, the sessions done
and the pain diary come in; typed values come out. A level change is only ever a `Suggestion`
with its reason for the user to accept or decline; nothing here changes a level.

Listening to the pain (issue 23, item 4). A session on day D is judged by the morning of D+1:
- pain during the exercises above 5, or a worse morning (`diary.Morning.WORSE`): the session
  was too much, and the level is held; two in a row too much suggests one level down (an
  unanswered morning between them does not break the row);
- no answer that morning (or nothing to compare it with): the level is held;
- at a running stage, a session counts as good only when there was no pain during it and none
  the next morning (Swansea Bay: without pain or swelling for 24 hours afterwards);
- one level up is suggested only once the level's `min_days` (the source's schedule) have
  passed, the last judged session was good, nothing was too much in the last fortnight, and
  at least half of the fortnight's scheduled sessions were done; and the next level's
  questions (everyday activities, brisk walking) have been answered yes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.core.exercises import Advance, Gate, Kind, Level, Prescription, Programme, Schedule
from bot.features.exercises.diary import Morning, PainDiary
from bot.features.exercises.safety import (
    Caution,
    PainGate,
    Pause,
    PreloadVerdict,
    pain_gate,
)

EXERCISE_PAIN_LIMIT = 5  # pain-monitoring model: above 5/10 during exercise is too much
GOOD_WINDOW_DAYS = 14  # "a good fortnight" before the next level is offered
SESSION_SHARE = 0.5  # FootCare's own: at least half the scheduled sessions of that window
_THREE_A_WEEK = 3
_WEEK = 7


@dataclass(frozen=True)
class Session:
    """Exercises done on one day: which (by id), and the pain during them (0-10, optional)."""

    day: date
    pain_during: int | None = None
    done: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.pain_during is not None and not 0 <= self.pain_during <= 10:
            raise ValueError(f"pain during exercise {self.pain_during} is outside 0-10")


class Outcome(StrEnum):
    """How a session went, judged by the pain during it and the next morning."""

    GOOD = "good"
    TOO_PAINFUL = "too-painful"  # pain during above 5
    WORSE_MORNING = "worse-morning"
    NOT_PAIN_FREE = "not-pain-free"  # running stages: some pain during or the next morning
    NO_ANSWER = "no-answer"  # no score the next morning, or nothing to compare it with
    PENDING = "pending"  # the next morning has not come yet

    @property
    def too_much(self) -> bool:
        """Say whether the session was too much: it counts towards a step down."""
        return self in (Outcome.TOO_PAINFUL, Outcome.WORSE_MORNING)


class Step(StrEnum):
    """Which way a suggestion goes."""

    UP = "up"
    STAY = "stay"
    DOWN = "down"


class Reason(StrEnum):
    """Why: shown to the user with the suggestion (values may be stored)."""

    READY = "ready"  # UP: the schedule's time has passed and the pain allowed it
    TWO_TOO_MUCH = "two-too-much"  # DOWN (or held at the first level)
    EXERCISE_PAIN = "exercise-pain"
    WORSE_MORNING = "worse-morning"
    NOT_PAIN_FREE = "not-pain-free"
    NO_ANSWER = "no-answer"
    NO_SESSIONS = "no-sessions"
    TOO_EARLY = "too-early"
    RECENT_SETBACK = "recent-setback"  # something was too much within the last fortnight
    TOO_FEW_SESSIONS = "too-few-sessions"
    ASK_FIRST = "ask-first"  # the next level needs an answer to `ask`
    NOT_YET = "not-yet"  # the next level's question was answered no
    LAST_LEVEL = "last-level"


@dataclass(frozen=True)
class Suggestion:
    """What FootCare suggests about the user's level, and why; the user accepts or declines."""

    step: Step
    reason: Reason
    current: Level
    target: Level | None = None  # the level suggested, for UP and DOWN
    ask: Gate | None = None  # the question to ask first (ASK_FIRST) or answered no (NOT_YET)
    earliest: date | None = None  # TOO_EARLY: the first day a move up may be suggested


def by_day(sessions: Iterable[Session]) -> dict[date, Session]:
    """Merge sessions of the same day (twice-a-day programmes): the worst pain, all done."""
    days: dict[date, Session] = {}
    for s in sessions:
        seen = days.get(s.day)
        if seen is None:
            days[s.day] = s
            continue
        pains = [p for p in (seen.pain_during, s.pain_during) if p is not None]
        days[s.day] = Session(s.day, max(pains) if pains else None, seen.done | s.done)
    return days


def judge(session: Session, diary: PainDiary, today: date, advance: Advance) -> Outcome:
    """Return how a session went, judged on today's knowledge."""
    if session.pain_during is not None and session.pain_during > EXERCISE_PAIN_LIMIT:
        return Outcome.TOO_PAINFUL
    after = session.day + timedelta(days=1)
    if after > today:
        return Outcome.PENDING
    morning = diary.morning(after)
    if morning is Morning.WORSE:
        return Outcome.WORSE_MORNING
    if morning is Morning.NO_ANSWER:
        return Outcome.NO_ANSWER
    if advance is Advance.PAIN_FREE_24H:
        if session.pain_during or diary.score(after):
            return Outcome.NOT_PAIN_FREE
        return Outcome.GOOD
    # Nothing to compare the morning with says nothing about "no worse": hold.
    return Outcome.GOOD if morning is Morning.NO_WORSE else Outcome.NO_ANSWER


_HOLD = {
    Outcome.TOO_PAINFUL: Reason.EXERCISE_PAIN,
    Outcome.WORSE_MORNING: Reason.WORSE_MORNING,
    Outcome.NOT_PAIN_FREE: Reason.NOT_PAIN_FREE,
    Outcome.NO_ANSWER: Reason.NO_ANSWER,
}


def suggest(
    programme: Programme,
    *,
    level_id: str,
    started: date,
    today: date,
    sessions: Iterable[Session],
    diary: PainDiary,
    answers: dict[Gate, bool] | None = None,
    runner: bool = False,
) -> Suggestion:
    """Return whether to suggest the next level, the one before, or staying, and why."""
    levels = programme.levels_for(runner)
    index = next((i for i, lv in enumerate(levels) if lv.id == level_id), None)
    if index is None:
        raise ValueError(f"level {level_id!r} is not in the {programme.site} programme here")
    level = levels[index]
    here = sorted(
        (s for s in by_day(sessions).values() if started <= s.day <= today), key=lambda s: s.day
    )
    judged = [
        (s, outcome)
        for s in here
        if (outcome := judge(s, diary, today, level.advance)) is not Outcome.PENDING
    ]
    # An unanswered morning neither breaks nor extends a run of sessions that were too much.
    told = [outcome for _, outcome in judged if outcome is not Outcome.NO_ANSWER]
    if len(told) >= 2 and told[-1].too_much and told[-2].too_much:
        if index == 0:
            return Suggestion(Step.STAY, Reason.TWO_TOO_MUCH, level)
        return Suggestion(Step.DOWN, Reason.TWO_TOO_MUCH, level, levels[index - 1])
    if not judged:
        return Suggestion(Step.STAY, Reason.NO_SESSIONS, level)
    last = judged[-1][1]
    if last is not Outcome.GOOD:
        return Suggestion(Step.STAY, _HOLD[last], level)
    if index == len(levels) - 1:
        return Suggestion(Step.STAY, Reason.LAST_LEVEL, level)
    earliest = started + timedelta(days=level.min_days)
    if today < earliest:
        return Suggestion(Step.STAY, Reason.TOO_EARLY, level, earliest=earliest)
    window = timedelta(days=min(level.min_days, GOOD_WINDOW_DAYS))
    # The window is the `window` days before today, today's pending session not counted.
    recent = [(s, o) for s, o in judged if s.day >= today - window]
    if any(o.too_much for _, o in recent):
        return Suggestion(Step.STAY, Reason.RECENT_SETBACK, level)
    done = sum(1 for s in here if today - window <= s.day < today)
    if done < SESSION_SHARE * _scheduled(level, window.days):
        return Suggestion(Step.STAY, Reason.TOO_FEW_SESSIONS, level)
    target = levels[index + 1]
    for gate in target.requires:
        answer = (answers or {}).get(gate)
        if answer is None:
            return Suggestion(Step.STAY, Reason.ASK_FIRST, level, target, ask=gate)
        if not answer:
            return Suggestion(Step.STAY, Reason.NOT_YET, level, target, ask=gate)
    return Suggestion(Step.UP, Reason.READY, level, target)


def _scheduled(level: Level, days: int) -> float:
    """Return how many session days the level's most frequent exercise asks for in days."""
    per_week = {Schedule.DAILY: _WEEK, Schedule.EVERY_OTHER_DAY: _WEEK / 2}
    weekly = max(
        (per_week.get(p.dose.schedule, _THREE_A_WEEK) for p in level.prescriptions), default=0
    )
    return weekly * days / _WEEK


class DayKind(StrEnum):
    """What today is, for the exercises."""

    SESSION = "session"  # exercises that load, with or without stretches
    STRETCHES_ONLY = "stretches-only"
    REST_DAY = "rest-day"
    ASK_PAIN = "ask-pain"  # no check-in today: ask for today's pain first
    NO_SESSION = "no-session"  # pain 7 or more today
    ASK_PRELOAD = "ask-preload"  # the pre-loading questions have not been answered
    PAUSED = "paused"  # an escalation or warning sign, not yet checked


@dataclass(frozen=True)
class Today:
    """Today's session: what kind of day, which exercises at which dose, with what care."""

    kind: DayKind
    items: tuple[Prescription, ...] = ()
    cautions: frozenset[Caution] = frozenset()
    held_back: tuple[Prescription, ...] = ()  # loading exercises kept out by an answer
    pause: Pause | None = None


def todays_session(
    level: Level,
    *,
    today: date,
    sessions: Sequence[Session],
    pain_today: int | None,
    paused: Pause | None,
    preload: PreloadVerdict | None,
    has_diabetes: bool,
) -> Today:
    """Return today's session at this level, safety first."""
    if paused is not None:
        return Today(DayKind.PAUSED, pause=paused)
    # Ice or cold never reaches a user with diabetes, as for the tips.
    items = tuple(p for p in level.prescriptions if not (has_diabetes and p.exercise.cold))
    if not items:
        return Today(DayKind.REST_DAY)
    gate = pain_gate(pain_today)
    if gate is PainGate.ASK:
        return Today(DayKind.ASK_PAIN)
    if gate is PainGate.NO_SESSION:
        return Today(DayKind.NO_SESSION)
    loading = tuple(p for p in items if p.exercise.loads)
    if loading and preload is None:
        return Today(DayKind.ASK_PRELOAD)
    held_back: tuple[Prescription, ...] = ()
    cautions: frozenset[Caution] = frozenset()
    if loading and preload is not None:
        if not preload.allowed:
            held_back = loading
            items = tuple(p for p in items if not p.exercise.loads)
        else:
            cautions = preload.cautions
    due = tuple(p for p in items if _due(p, today, sessions))
    if not due:
        return Today(DayKind.REST_DAY, held_back=held_back)
    if any(p.exercise.kind is not Kind.STRETCH for p in due):
        return Today(DayKind.SESSION, due, cautions, held_back)
    return Today(DayKind.STRETCHES_ONLY, due, frozenset(), held_back)


def _due(p: Prescription, today: date, sessions: Sequence[Session]) -> bool:
    """Say whether an exercise is due today, given the days it was done."""
    schedule = p.dose.schedule
    if schedule is Schedule.DAILY:
        return True
    days = {s.day for s in sessions if p.exercise.id in s.done}
    if today - timedelta(days=1) in days:
        return False  # 48 hours between sessions of the same loading exercise
    if schedule is Schedule.EVERY_OTHER_DAY:
        return True
    week = {d for d in days if today - timedelta(days=_WEEK - 1) <= d < today}
    return len(week) < _THREE_A_WEEK
