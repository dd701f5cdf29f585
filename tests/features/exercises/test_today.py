"""Today's session: rest days, stretches only, the loaded exercises and what keeps them out."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from bot.core.exercises import Kind, Level, Schedule, Site
from bot.features.exercises.programme import DayKind, Session, Today, todays_session
from bot.features.exercises.safety import (
    Block,
    Caution,
    Pause,
    PauseCause,
    PreloadAnswers,
    PreloadVerdict,
    Question,
    preload_verdict,
)
from tests.features.exercises.helpers import STRETCHES, day, programme, sessions

CLEAR = preload_verdict(PreloadAnswers(day(0), frozenset()), day(0))


def today_at(
    level: Level,
    n: int,
    done: list[Session] | None = None,
    *,
    pain: int | None = 2,
    paused: Pause | None = None,
    preload: PreloadVerdict | None = CLEAR,
    diabetes: bool = False,
) -> Today:
    """Return day n's session at level."""
    return todays_session(
        level,
        today=day(n),
        sessions=done or [],
        pain_today=pain,
        paused=paused,
        preload=preload,
        has_diabetes=diabetes,
    )


def ids(today: Today) -> list[str]:
    """Return the ids of today's exercises."""
    return [p.exercise.id for p in today.items]


ONE_LEG = programme(Site.PLANTAR_HEEL).level("plantar-3-one-leg")
STRETCH = programme(Site.PLANTAR_HEEL).level("plantar-1-stretch")
INSERTIONAL_FULL = programme(Site.ACHILLES_INSERTIONAL).level("insertional-3-full")


def test_heel_raises_come_every_other_day_with_stretches_between() -> None:
    """The day after the heel raises is stretches only; the day after that has them again."""
    after = today_at(ONE_LEG, 5, sessions([4]))
    assert after.kind is DayKind.STRETCHES_ONLY
    assert all(p.exercise.kind is Kind.STRETCH for p in after.items)
    again = today_at(ONE_LEG, 6, sessions([4]))
    assert again.kind is DayKind.SESSION
    assert "heel-raise-towel" in ids(again)


def test_a_stretch_level_is_stretches_every_day() -> None:
    """The gentle first level loads nothing, so every day is a stretching day."""
    today = today_at(STRETCH, 1, sessions([0], done=STRETCHES))
    assert today.kind is DayKind.STRETCHES_ONLY
    assert ids(today) == [p.exercise.id for p in STRETCH.prescriptions]


def test_the_insertional_settling_level_is_a_rest_day() -> None:
    """No exercises at all until everyday activities stop hurting: a rest day, not a session."""
    level = programme(Site.ACHILLES_INSERTIONAL).levels[0]
    assert today_at(level, 3).kind is DayKind.REST_DAY


def test_seven_or_more_today_means_no_session() -> None:
    """At 7/10 there is no session, not even stretches; at 6 there is one."""
    assert today_at(ONE_LEG, 6, pain=7) == Today(DayKind.NO_SESSION)
    assert today_at(ONE_LEG, 6, pain=6).kind is DayKind.SESSION


def test_without_a_check_in_today_ask_for_the_pain_first() -> None:
    """No score today: ask it before showing any exercise."""
    assert today_at(ONE_LEG, 6, pain=None) == Today(DayKind.ASK_PAIN)


def test_a_pause_stops_everything() -> None:
    """A warning sign not yet checked: no session, and the pause says why."""
    pause = Pause(datetime(2026, 11, 7, 9, tzinfo=UTC), PauseCause.WARNING_SIGN)
    assert today_at(ONE_LEG, 6, pain=1, paused=pause) == Today(DayKind.PAUSED, pause=pause)


def test_loading_waits_for_the_preloading_questions() -> None:
    """Before the questions are answered, a loaded level asks them instead of a session."""
    assert today_at(ONE_LEG, 6, preload=None) == Today(DayKind.ASK_PRELOAD)


def test_a_rupture_or_operation_keeps_loading_out() -> None:
    """After "yes, a rupture or operation", the heel raise is held back; stretches remain."""
    verdict = preload_verdict(
        PreloadAnswers(day(0), frozenset({Question.RUPTURE_OR_OPERATION})), day(6)
    )
    today = today_at(ONE_LEG, 6, preload=verdict)
    assert verdict.blocks == {Block.RUPTURE_OR_OPERATION}
    assert today.kind is DayKind.STRETCHES_ONLY
    assert "heel-raise-towel" not in ids(today)
    assert [p.exercise.id for p in today.held_back] == ["heel-raise-towel"]


def test_a_blocked_insertional_programme_is_a_rest_day() -> None:
    """The insertional programme has no stretches to fall back on: held back, rest day."""
    verdict = preload_verdict(PreloadAnswers(day(0), frozenset({Question.QUINOLONE})), day(3))
    today = today_at(INSERTIONAL_FULL, 3, preload=verdict)
    assert today.kind is DayKind.REST_DAY
    assert len(today.held_back) == len(INSERTIONAL_FULL.prescriptions)


def test_diabetes_with_numbness_adds_shoes_and_foot_checks_to_loaded_sessions() -> None:
    """The caution comes with the loaded session, and not on a stretches-only day."""
    verdict = preload_verdict(
        PreloadAnswers(day(0), frozenset({Question.DIABETES_NUMBNESS})), day(6)
    )
    assert today_at(ONE_LEG, 6, preload=verdict).cautions == {Caution.SHOES_ON_CHECK_FEET}
    assert today_at(ONE_LEG, 5, sessions([4]), preload=verdict).cautions == frozenset()


def test_poor_balance_adds_holding_a_rail() -> None:
    """Poor balance allows loading, holding a rail."""
    verdict = preload_verdict(PreloadAnswers(day(0), frozenset({Question.POOR_BALANCE})), day(6))
    assert today_at(ONE_LEG, 6, preload=verdict).cautions == {Caution.HOLD_A_RAIL}


def test_a_cold_exercise_never_reaches_a_user_with_diabetes() -> None:
    """The tips' cold rule: an exercise using ice or cold is left out for diabetes."""
    roll = next(p for p in STRETCH.prescriptions if p.exercise.id == "arch-roll-tin")
    frozen = dataclasses.replace(roll, exercise=dataclasses.replace(roll.exercise, cold=True))
    level = dataclasses.replace(STRETCH, prescriptions=(*STRETCH.prescriptions, frozen))
    with_diabetes = today_at(level, 1, diabetes=True)
    assert frozen not in with_diabetes.items
    assert roll in with_diabetes.items  # the same roll over a tin at room temperature stays
    assert frozen in today_at(level, 1, diabetes=False).items


def test_jogging_three_times_a_week_at_most() -> None:
    """The jog-and-walk stage: after three outings in six days, no jog today."""
    stage = programme(Site.PLANTAR_HEEL).level("plantar-heel-run-3")
    jog = next(p for p in stage.prescriptions if p.exercise.id == "walk-jog")
    assert jog.dose.schedule is Schedule.THREE_A_WEEK
    assert jog in today_at(stage, 10, sessions([4, 6])).items
    assert jog not in today_at(stage, 10, sessions([4, 6, 8])).items
    assert jog not in today_at(stage, 10, sessions([9])).items  # never on consecutive days


def test_the_full_insertional_programme_is_a_session_every_day() -> None:
    """Heel drops are twice a day, every day (Jonsson): each day is a session."""
    assert today_at(INSERTIONAL_FULL, 2, sessions([1])).kind is DayKind.SESSION


def test_daily_heel_drops_do_not_keep_the_jog_away() -> None:
    """The 48 hours are per exercise: yesterday's heel drops leave today's jog due."""
    stage = programme(Site.ACHILLES_MIDPORTION).level("achilles-midportion-run-3")
    drops = ("heel-drop-step-straight", "heel-drop-step-bent")
    today = today_at(stage, 10, sessions([8, 9], done=drops))
    assert "walk-jog" in ids(today)
    assert "heel-drop-step-straight" in ids(today)
    assert "walk-jog" not in ids(today_at(stage, 10, sessions([9], done=("walk-jog",))))
