"""Safety first: pauses that only the user lifts, the pre-loading questions, being stuck."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.core.escalation import Urgency
from bot.core.exercises import Site
from bot.core.warning_signs import RedFlag
from bot.features.exercises.diary import PainDiary
from bot.features.exercises.safety import (
    Block,
    Caution,
    Pause,
    PauseCause,
    PreloadAnswers,
    Question,
    SafetyEvent,
    pause,
    pause_cause,
    preload_verdict,
    stuck_at_first_level,
)
from tests.features.exercises.helpers import day, programme, steady

T0 = datetime(2026, 11, 2, 8, tzinfo=UTC)


def test_every_warning_sign_and_same_day_or_emergency_escalation_pauses() -> None:
    """Any warning-sign answer pauses; of escalations, only same-day and emergency ones."""
    for flag in RedFlag:
        expected = None if flag is RedFlag.NONE else PauseCause.WARNING_SIGN
        assert pause_cause(red_flag=flag) is expected, flag
    assert pause_cause(Urgency.EMERGENCY) is PauseCause.EMERGENCY
    assert pause_cause(Urgency.URGENT) is PauseCause.SAME_DAY
    for urgency in (Urgency.SOON, Urgency.ROUTINE, Urgency.ADVICE):
        assert pause_cause(urgency) is None


def test_a_pause_lasts_until_the_user_says_they_have_been_checked() -> None:
    """Paused after the event, still paused with no confirmation, lifted by one after it."""
    event = SafetyEvent(T0, PauseCause.WARNING_SIGN)
    assert pause([event], None) == Pause(T0, PauseCause.WARNING_SIGN)
    assert pause([event], T0 - timedelta(days=30)) == Pause(T0, PauseCause.WARNING_SIGN)
    assert pause([event], T0 + timedelta(minutes=5)) is None


def test_a_new_sign_after_being_checked_pauses_again() -> None:
    """A confirmation clears what came before it, not what comes after."""
    events = [
        SafetyEvent(T0, PauseCause.EMERGENCY),
        SafetyEvent(T0 + timedelta(days=3), PauseCause.SAME_DAY),
    ]
    assert pause(events, T0 + timedelta(days=1)) == Pause(
        T0 + timedelta(days=3), PauseCause.SAME_DAY
    )


@given(
    st.lists(
        st.tuples(st.integers(0, 10_000), st.sampled_from(PauseCause)), min_size=1, max_size=8
    ),
    st.one_of(st.none(), st.integers(0, 10_000)),
)
def test_only_a_confirmation_after_every_event_lifts_a_pause(
    raw: list[tuple[int, PauseCause]], checked: int | None
) -> None:
    """No amount of time lifts a pause; the most serious open cause is the one reported."""
    events = [SafetyEvent(T0 + timedelta(hours=h), cause) for h, cause in raw]
    checked_at = None if checked is None else T0 + timedelta(hours=checked)
    result = pause(events, checked_at)
    open_events = [e for e in events if checked_at is None or e.at > checked_at]
    if not open_events:
        assert result is None
    else:
        assert result is not None
        assert result.since == min(e.at for e in open_events)
        assert result.cause is min((e.cause for e in open_events), key=list(PauseCause).index)


def answers(*yes: Question) -> PreloadAnswers:
    """Return answers given on day 0 with these questions answered yes."""
    return PreloadAnswers(day(0), frozenset(yes))


def test_no_yes_answer_allows_loading_without_cautions() -> None:
    """All five answered no: loading is allowed, nothing added."""
    verdict = preload_verdict(answers(), day(0))
    assert verdict.allowed
    assert verdict.cautions == frozenset()


def test_a_recent_steroid_injection_keeps_loading_out_for_six_weeks() -> None:
    """Blocked on day 41 after the answer, allowed from day 42."""
    assert preload_verdict(answers(Question.STEROID_INJECTION), day(41)).blocks == {
        Block.RECENT_STEROID
    }
    assert preload_verdict(answers(Question.STEROID_INJECTION), day(42)).allowed


def test_a_quinolone_or_a_rupture_keeps_loading_out_until_answered_again() -> None:
    """No time lifts these: a year later they still block."""
    later = day(365)
    assert preload_verdict(answers(Question.QUINOLONE), later).blocks == {Block.QUINOLONE}
    assert preload_verdict(answers(Question.RUPTURE_OR_OPERATION), later).blocks == {
        Block.RUPTURE_OR_OPERATION
    }


def test_balance_and_numbness_add_cautions_not_blocks() -> None:
    """Poor balance: hold a rail. Diabetes with numbness: shoes on, feet checked."""
    verdict = preload_verdict(answers(Question.POOR_BALANCE, Question.DIABETES_NUMBNESS), day(1))
    assert verdict.allowed
    assert verdict.cautions == {Caution.HOLD_A_RAIL, Caution.SHOES_ON_CHECK_FEET}


FIRST = programme(Site.PLANTAR_HEEL).levels[0].id


def test_three_weeks_at_the_first_level_without_improving_suggests_a_physiotherapist() -> None:
    """Pain flat at 5 for three weeks at the first level: show the plan to a physiotherapist."""
    plantar = programme(Site.PLANTAR_HEEL)
    assert stuck_at_first_level(plantar, FIRST, day(0), day(21), steady(0, 21, 5))
    assert not stuck_at_first_level(plantar, FIRST, day(0), day(20), steady(0, 20, 5))


def test_two_points_better_is_improving() -> None:
    """From 5 in the first week to 3 in the last: improving, nothing suggested; 4 is not."""
    plantar = programme(Site.PLANTAR_HEEL)
    better = PainDiary(daily={day(n): 5 if n < 7 else 3 for n in range(22)})
    assert not stuck_at_first_level(plantar, FIRST, day(0), day(21), better)
    slightly = PainDiary(daily={day(n): 5 if n < 7 else 4 for n in range(22)})
    assert stuck_at_first_level(plantar, FIRST, day(0), day(21), slightly)


def test_not_stuck_at_a_later_level_or_without_scores() -> None:
    """Only the first level counts, and too few scores say nothing."""
    plantar = programme(Site.PLANTAR_HEEL)
    assert not stuck_at_first_level(
        plantar, plantar.levels[1].id, day(0), day(30), steady(0, 30, 5)
    )
    sparse = PainDiary(daily={day(0): 5, day(1): 5, day(20): 5, day(21): 5})
    assert not stuck_at_first_level(plantar, FIRST, day(0), day(21), sparse)
