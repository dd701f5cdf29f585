"""Listening to the pain: when FootCare suggests the next level, holds, or suggests a step back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.exercises import Gate, Site, programme_site
from bot.core.outcomes import PainSite
from bot.features.exercises.diary import PainDiary
from bot.features.exercises.programme import (
    EXERCISE_PAIN_LIMIT,
    Outcome,
    Reason,
    Session,
    Step,
    Suggestion,
    by_day,
    judge,
    suggest,
)
from tests.features.exercises.helpers import (
    STRETCHES,
    day,
    every_exercise,
    programme,
    sessions,
    steady,
    with_mornings,
)

ALL = every_exercise()
PLANTAR = Site.PLANTAR_HEEL
MIDPORTION = Site.ACHILLES_MIDPORTION
YES = dict.fromkeys(Gate, True)


def at(
    site: Site,
    level_id: str,
    today: int,
    done: list[Session],
    diary: PainDiary,
    *,
    answers: dict[Gate, bool] | None = None,
    runner: bool = False,
) -> Suggestion:
    """Suggest for a user who started level_id on day 0, as of day `today`."""
    return suggest(
        programme(site),
        level_id=level_id,
        started=day(0),
        today=day(today),
        sessions=done,
        diary=diary,
        answers=answers,
        runner=runner,
    )


# A plantar user at the both-legs level: a session every day (heel raises every other day)
# and a steady morning pain of 3 from a week before the level to day 14.
DAILY = sessions(range(14))
STEADY = steady(-7, 14, 3)


def test_a_good_fortnight_offers_the_next_level() -> None:
    """Two weeks of sessions with mornings no worse: one level up is suggested, with why."""
    result = at(PLANTAR, "plantar-2-both-legs", 14, DAILY, STEADY)
    assert (result.step, result.reason) == (Step.UP, Reason.READY)
    assert result.target is not None
    assert result.target.id == "plantar-3-one-leg"


def test_never_sooner_than_the_schedule_says() -> None:
    """On day 13 of a 14-day level the answer is "not yet", with the first day it may be."""
    result = at(PLANTAR, "plantar-2-both-legs", 13, DAILY[:13], STEADY)
    assert (result.step, result.reason) == (Step.STAY, Reason.TOO_EARLY)
    assert result.earliest == day(14)


def test_one_point_above_the_median_is_no_worse_two_is_worse() -> None:
    """The morning after the last session at median + 1 allows a move; at median + 2 it holds."""
    assert (
        at(PLANTAR, "plantar-2-both-legs", 14, DAILY, with_mornings(STEADY, {14: 4})).step
        is Step.UP
    )
    held = at(PLANTAR, "plantar-2-both-legs", 14, DAILY, with_mornings(STEADY, {14: 5}))
    assert (held.step, held.reason) == (Step.STAY, Reason.WORSE_MORNING)


def test_pain_above_five_during_the_exercises_holds_the_level() -> None:
    """A session at 6/10 holds the level even when the next morning was fine."""
    done = [*DAILY[:13], Session(day(13), EXERCISE_PAIN_LIMIT + 1, done=ALL)]
    result = at(PLANTAR, "plantar-2-both-legs", 14, done, STEADY)
    assert (result.step, result.reason) == (Step.STAY, Reason.EXERCISE_PAIN)


def test_five_out_of_ten_during_the_exercises_is_acceptable() -> None:
    """5/10 is still the model's "acceptable": it does not hold the level."""
    done = [*DAILY[:13], Session(day(13), EXERCISE_PAIN_LIMIT, done=ALL)]
    assert at(PLANTAR, "plantar-2-both-legs", 14, done, STEADY).step is Step.UP


def test_no_answer_the_next_morning_holds_the_level() -> None:
    """Without a score on the morning after the last session, nothing moves."""
    diary = PainDiary(daily={d: s for d, s in STEADY.daily.items() if d != day(14)})
    result = at(PLANTAR, "plantar-2-both-legs", 14, DAILY, diary)
    assert (result.step, result.reason) == (Step.STAY, Reason.NO_ANSWER)


def test_two_worse_mornings_in_a_row_suggest_one_level_down() -> None:
    """A worse morning after each of the last two sessions: one level down, never two."""
    result = at(PLANTAR, "plantar-2-both-legs", 14, DAILY, with_mornings(STEADY, {13: 5, 14: 5}))
    assert (result.step, result.reason) == (Step.DOWN, Reason.TWO_TOO_MUCH)
    assert result.target is not None
    assert result.target.id == "plantar-1-stretch"


def test_a_painful_session_then_a_worse_morning_is_two_in_a_row() -> None:
    """Pain above 5 during one session and a worse morning after the next count together."""
    done = [*DAILY[:12], Session(day(12), 7, done=ALL), Session(day(13), 2, done=ALL)]
    result = at(PLANTAR, "plantar-2-both-legs", 14, done, with_mornings(STEADY, {14: 6}))
    assert result.step is Step.DOWN


def test_an_unanswered_morning_does_not_break_a_run_of_too_much() -> None:
    """Too much, no answer, too much: still two in a row, so a step back is suggested."""
    diary = with_mornings(STEADY, {12: 6, 14: 6})
    diary = PainDiary(
        first_step=diary.first_step, daily={d: s for d, s in diary.daily.items() if d != day(13)}
    )
    assert at(PLANTAR, "plantar-2-both-legs", 14, DAILY, diary).step is Step.DOWN


def test_two_in_a_row_at_the_first_level_holds_there() -> None:
    """There is no level below the first: the level is held and the reason says why."""
    done = sessions(range(14), done=STRETCHES)
    result = at(PLANTAR, "plantar-1-stretch", 14, done, with_mornings(STEADY, {13: 6, 14: 6}))
    assert (result.step, result.reason, result.target) == (Step.STAY, Reason.TWO_TOO_MUCH, None)


def test_a_setback_within_the_fortnight_holds_the_level() -> None:
    """A worse morning ten days ago, good since: not yet a good fortnight."""
    result = at(PLANTAR, "plantar-2-both-legs", 14, DAILY, with_mornings(STEADY, {5: 6}))
    assert (result.step, result.reason) == (Step.STAY, Reason.RECENT_SETBACK)


def test_too_few_sessions_are_not_a_good_fortnight() -> None:
    """Two sessions in two weeks of a daily level: no move, however good the mornings."""
    result = at(PLANTAR, "plantar-2-both-legs", 14, sessions([6, 12]), STEADY)
    assert (result.step, result.reason) == (Step.STAY, Reason.TOO_FEW_SESSIONS)


def test_heel_raises_every_other_day_are_enough_sessions() -> None:
    """Seven sessions in a fortnight, every other day as Rathleff says, are enough."""
    assert at(PLANTAR, "plantar-2-both-legs", 14, sessions(range(0, 14, 2)), STEADY).step is Step.UP


def test_no_sessions_yet_holds() -> None:
    """A level with nothing done yet suggests nothing."""
    result = at(PLANTAR, "plantar-2-both-legs", 20, [], steady(-7, 20, 3))
    assert (result.step, result.reason) == (Step.STAY, Reason.NO_SESSIONS)


def test_achilles_loading_waits_for_pain_free_everyday_activities() -> None:
    """Kingston's rule: asked first, held at "no", offered at "yes"."""
    done = sessions(range(7), done=STRETCHES)
    diary = steady(-7, 7, 2)
    asked = at(MIDPORTION, "midportion-1-settle", 7, done, diary)
    assert (asked.step, asked.reason, asked.ask) == (
        Step.STAY,
        Reason.ASK_FIRST,
        Gate.EVERYDAY_PAIN_FREE,
    )
    no = at(
        MIDPORTION, "midportion-1-settle", 7, done, diary, answers={Gate.EVERYDAY_PAIN_FREE: False}
    )
    assert (no.step, no.reason) == (Step.STAY, Reason.NOT_YET)
    yes = at(MIDPORTION, "midportion-1-settle", 7, done, diary, answers=YES)
    assert yes.step is Step.UP
    assert yes.target is not None
    assert yes.target.id == "midportion-2-gentle"


def test_the_full_achilles_programme_runs_its_twelve_weeks() -> None:
    """Jonsson's 12 weeks: at day 83 of the full programme the running stages wait."""
    level = "midportion-3-full"
    done, diary = sessions(range(84)), steady(-7, 84, 1)
    assert (
        at(MIDPORTION, level, 83, done[:83], diary, answers=YES, runner=True).reason
        is Reason.TOO_EARLY
    )
    assert at(MIDPORTION, level, 84, done, diary, answers=YES, runner=True).step is Step.UP


def test_running_is_offered_only_to_runners_after_the_walking_question() -> None:
    """A runner is asked about 30 minutes of brisk walking; a non-runner is at the last level."""
    level, diary = "plantar-5-heavier", steady(-7, 14, 1)
    runner = at(PLANTAR, level, 14, DAILY, diary, runner=True)
    assert (runner.reason, runner.ask) == (Reason.ASK_FIRST, Gate.BRISK_WALK_30)
    assert at(PLANTAR, level, 14, DAILY, diary).reason is Reason.LAST_LEVEL


def test_a_running_stage_moves_on_only_after_24_hours_without_pain() -> None:
    """Swansea Bay: no pain during and none the next morning; a morning at 1 holds."""
    level, done = "plantar-heel-run-2", [Session(day(0), 0, done=ALL)]
    free = at(PLANTAR, level, 1, done, steady(-7, 1, 0), runner=True)
    assert free.step is Step.UP
    assert free.target is not None
    assert free.target.id == "plantar-heel-run-3"
    sore = at(PLANTAR, level, 1, done, with_mornings(steady(-7, 1, 0), {1: 1}), runner=True)
    assert (sore.step, sore.reason) == (Step.STAY, Reason.NOT_PAIN_FREE)


def test_a_level_the_user_cannot_be_at_is_refused() -> None:
    """A non-runner at a running stage is a caller's mistake, not a suggestion."""
    with pytest.raises(ValueError, match="not in the"):
        at(PLANTAR, "plantar-heel-run-1", 3, [], STEADY)


def test_sessions_on_one_day_count_once_with_the_worst_pain() -> None:
    """Twice-a-day programmes: the day's sessions merge, keeping the higher pain."""
    merged = by_day(
        [Session(day(1), 2, frozenset({"calf-stretch-wall-bent"})), Session(day(1), 6, done=ALL)]
    )
    assert merged == {day(1): Session(day(1), 6, ALL)}


def test_a_session_today_waits_for_tomorrow_unless_it_already_hurt() -> None:
    """Tomorrow's morning is unknown today; pain above 5 during it is known at once."""
    diary = steady(-7, 3, 2)
    assert (
        judge(Session(day(3), 2), diary, day(3), programme(PLANTAR).levels[0].advance)
        is Outcome.PENDING
    )
    assert (
        judge(Session(day(3), 6), diary, day(3), programme(PLANTAR).levels[0].advance)
        is Outcome.TOO_PAINFUL
    )


# Properties over every level of every programme.

ALL_LEVELS = [
    (site, level.id) for site in Site for level in programme(site).levels_for(runner=True)
]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(ALL_LEVELS), st.data())
def test_up_is_never_suggested_before_the_levels_min_days(
    where: tuple[Site, str], data: st.DataObject
) -> None:
    """However perfect the fortnight, no level is left sooner than its source's schedule."""
    site, level_id = where
    level = programme(site).level(level_id)
    today = data.draw(st.integers(0, level.min_days - 1))
    done = [Session(day(n), 0, done=ALL) for n in range(today)]
    result = at(site, level_id, today, done, steady(-7, today, 0), answers=YES, runner=True)
    assert result.step is not Step.UP


def test_a_perfect_user_reaches_each_level_no_sooner_than_the_schedule() -> None:
    """Accepting every suggestion at once, with no pain at all, each level lasts its min_days."""
    for site in Site:
        levels = programme(site).levels_for(runner=True)
        diary = steady(-7, 400, 0)
        current, started, reached = levels[0], 0, [0]
        for today in range(1, 400):
            if current is levels[-1]:
                break
            done = [Session(day(n), 0, done=ALL) for n in range(started, today)]
            result = suggest(
                programme(site),
                level_id=current.id,
                started=day(started),
                today=day(today),
                sessions=done,
                diary=diary,
                answers=YES,
                runner=True,
            )
            assert result.step is not Step.DOWN
            if result.step is Step.UP:
                assert result.target is levels[levels.index(current) + 1]
                assert today - started >= current.min_days, (site, current.id)
                current, started = result.target, today
                reached.append(today)
        assert current is levels[-1], site
        assert len(reached) == len(levels)


pains = st.one_of(st.none(), st.integers(0, 10))


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(ALL_LEVELS),
    st.lists(pains, min_size=1, max_size=40),
    st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=48, max_size=48),
)
def test_any_history_gives_an_adjacent_level_and_up_only_after_a_good_run(
    where: tuple[Site, str], session_pains: list[int | None], mornings: list[int | None]
) -> None:
    """Whatever happened, a suggestion names the next or the previous level, and UP follows
    a good last session with nothing too much in the window."""
    site, level_id = where
    today = len(session_pains)
    done = [Session(day(n), p, done=ALL) for n, p in enumerate(session_pains)]
    diary = PainDiary(daily={day(n - 7): s for n, s in enumerate(mornings) if s is not None})
    levels = programme(site).levels_for(runner=True)
    index = [lv.id for lv in levels].index(level_id)
    result = at(site, level_id, today, done, diary, answers=YES, runner=True)
    if result.step is Step.UP:
        assert result.target is levels[index + 1]
        assert today >= result.current.min_days
        window = min(result.current.min_days, 14)
        for s in done:
            if s.day >= day(today) - timedelta(days=window):
                outcome = judge(s, diary, day(today), result.current.advance)
                assert not outcome.too_much
    elif result.step is Step.DOWN:
        assert index > 0
        assert result.target is levels[index - 1]
    else:
        assert result.target is None or result.reason in (Reason.ASK_FIRST, Reason.NOT_YET)


def test_each_picked_pain_site_gets_its_own_programme_or_none() -> None:
    """Under the heel, the Achilles and its insertion each map to their programme; elsewhere
    and not sure map to none, so no heel-drop plan reaches an unknown pain."""
    assert {pain: programme_site(pain) for pain in PainSite} == {
        PainSite.UNDER_HEEL: Site.PLANTAR_HEEL,
        PainSite.ACHILLES: Site.ACHILLES_MIDPORTION,
        PainSite.INSERTION: Site.ACHILLES_INSERTIONAL,
        PainSite.ELSEWHERE: None,
        PainSite.NOT_SURE: None,
    }
