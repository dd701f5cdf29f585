"""The score rules in calendar days (issue 20, item 6): how long the pain has gone on, check-ins
on a third of the days, worsening from the second week, the one-off diabetes message and how
often the warning-sign question is asked."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.escalation import (
    DayScore,
    PainDuration,
    PastEscalation,
    ReportedPain,
    RuleId,
    RulesConfig,
    Urgency,
)
from bot.core.pain_rules import a_third, evaluate, needs_red_flag_question, onset

START = date(2025, 3, 3)
CONFIG = RulesConfig()


def daily(*scores: int, start: date = START) -> list[DayScore]:
    """Return one check-in per consecutive day from start."""
    return [DayScore(start + timedelta(days=i), s) for i, s in enumerate(scores)]


def every(step: int, *scores: int) -> list[DayScore]:
    """Return one check-in every `step` days from START."""
    return [DayScore(START + timedelta(days=step * i), s) for i, s in enumerate(scores)]


def rules(
    history: list[DayScore],
    *,
    reported: ReportedPain | None = None,
    past: list[PastEscalation] | None = None,
    diabetes: bool = False,
) -> list[RuleId]:
    """Return the rules evaluate fires on the day of the latest check-in."""
    today = history[-1].day
    fired = evaluate(history, past or [], today, CONFIG, has_diabetes=diabetes, reported=reported)
    return [e.rule for e in fired]


def told(duration: PainDuration, on: date = START) -> ReportedPain:
    """Return the answer to "how long has the pain gone on?" given on a day."""
    return ReportedPain(duration, on)


# --- how long the pain has gone on ----------------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "days"),
    [
        (PainDuration.UNDER_6_WEEKS, 0),
        (PainDuration.WEEKS_6_TO_MONTHS_3, 42),
        (PainDuration.MONTHS_3_TO_12, 91),
        (PainDuration.OVER_A_YEAR, 365),
    ],
)
def test_an_answer_counts_the_lower_end_of_its_range(duration: PainDuration, days: int) -> None:
    """The pain surely began at least the range's lower end before the answer."""
    assert told(duration).onset == START - timedelta(days=days)


def test_a_third_of_14_days_is_5() -> None:
    assert (a_third(14), a_third(7), a_third(3), a_third(1)) == (5, 3, 1, 1)


def test_months_of_pain_hear_not_better_after_5_check_ins() -> None:
    """Someone with 3 to 12 months of pain hears 'not better' on day 5, not on day 14."""
    reported = told(PainDuration.MONTHS_3_TO_12)
    assert RuleId.PERSISTENT not in rules(daily(5, 5, 5, 5), reported=reported)
    assert RuleId.PERSISTENT in rules(daily(5, 5, 5, 5, 5), reported=reported)


def test_months_of_pain_hear_about_a_referral_within_days() -> None:
    """3 to 12 months of pain still at 5: the referral advice on the third check-in."""
    reported = told(PainDuration.MONTHS_3_TO_12)
    assert RuleId.LONG_HAUL not in rules(daily(5, 5), reported=reported)
    assert RuleId.LONG_HAUL in rules(daily(5, 5, 5), reported=reported)


def test_a_skipped_answer_counts_from_the_first_check_in() -> None:
    """Without an answer, 'not better after 2 weeks' waits for the 14th day."""
    assert RuleId.PERSISTENT not in rules(daily(*[5] * 13))
    assert RuleId.PERSISTENT in rules(daily(*[5] * 14))


def test_under_6_weeks_counts_from_the_day_of_the_answer() -> None:
    """Under 6 weeks adds no days: answered the day before the first check-in, day 13 fires."""
    reported = told(PainDuration.UNDER_6_WEEKS, START - timedelta(days=1))
    assert RuleId.PERSISTENT not in rules(daily(*[5] * 12), reported=reported)
    assert RuleId.PERSISTENT in rules(daily(*[5] * 13), reported=reported)


def test_pain_that_settled_after_the_answer_counts_afresh() -> None:
    """The answer is about the pain the user had then: after it settled, a flare starts anew."""
    reported = told(PainDuration.OVER_A_YEAR)
    history = daily(5, 5, 1, 1, 1, 5, 5, 5, 5, 5)
    assert onset(history, CONFIG, reported) == history[5].day
    assert RuleId.PERSISTENT not in rules(history, reported=reported)
    assert RuleId.LONG_HAUL not in rules(history, reported=reported)


def test_an_answer_changed_after_the_pain_settled_counts() -> None:
    """An answer given (in /settings) after a settled spell is about the pain of now."""
    history = daily(5, 1, 1, 1, 5, 5, 5, 5, 5)
    reported = told(PainDuration.MONTHS_3_TO_12, history[4].day)
    assert onset(history, CONFIG, reported) == reported.onset
    assert RuleId.PERSISTENT in rules(history, reported=reported)


def test_the_reasons_say_how_long_the_pain_has_gone_on() -> None:
    reported = told(PainDuration.OVER_A_YEAR)
    history = daily(6, 6, 6, 6, 6)
    fired = evaluate(history, [], history[-1].day, CONFIG, has_diabetes=False, reported=reported)
    reasons = {e.rule: e.reason for e in fired}
    assert reasons[RuleId.PERSISTENT] == (
        "your pain has gone on for at least 370 days, is still 4 or more, and has not got "
        "better over the last 14 days"
    )
    assert reasons[RuleId.LONG_HAUL] == (
        "your foot pain has gone on for at least 370 days and is still 4 or more (average "
        "6.0 over your last 5 check-ins)"
    )


# --- check-ins on a third of the days --------------------------------------------------------


def test_every_other_day_hears_not_better_on_day_14_not_day_27() -> None:
    """Seven check-ins over 14 days are enough: the count is in days, not in check-ins."""
    history = every(2, *[5] * 7)
    assert (history[-1].day - START).days == 12
    assert RuleId.PERSISTENT not in rules(history)
    assert RuleId.PERSISTENT in rules([*history, DayScore(START + timedelta(days=13), 5)])


def test_not_better_needs_check_ins_on_5_of_the_last_14_days() -> None:
    """Four check-ins in the last 14 days are too few to say; five are enough."""
    reported = told(PainDuration.OVER_A_YEAR)
    four = every(3, *[5] * 4)
    five = every(3, *[5] * 5)
    assert RuleId.PERSISTENT not in rules(four, reported=reported)
    assert RuleId.PERSISTENT in rules(five, reported=reported)


def test_a_long_gap_does_not_hide_persistent_pain() -> None:
    """Pain recorded weekly for two months: five check-ins never fall in 14 days, so quiet."""
    assert RuleId.PERSISTENT not in rules(every(7, *[5] * 9))


# --- worsening --------------------------------------------------------------------------------


def test_worsening_shows_in_the_second_week() -> None:
    """Two mild days, then a week at 5: on day 9 the rise is seen."""
    history = daily(1, 1, *[5] * 7)
    assert RuleId.WORSENING in rules(history)
    assert RuleId.WORSENING not in rules(history[:-1])


def test_worsening_compares_calendar_weeks() -> None:
    """Check-ins every other day are compared week against week."""
    history = every(2, 1, 1, 1, 1, 5, 5, 5, 6)
    assert RuleId.WORSENING in rules(history)


# --- diabetes: the first pain, once -----------------------------------------------------------


def test_with_diabetes_the_first_pain_of_1_says_see_a_gp() -> None:
    """A 1 with diabetes gets the one-off routine message; without diabetes nothing."""
    fired = evaluate(daily(1), [], START, CONFIG, has_diabetes=True)
    assert [(e.rule, e.urgency) for e in fired] == [(RuleId.DIABETES_FIRST, Urgency.ROUTINE)]
    assert "you told us you have diabetes" in fired[0].reason
    assert rules(daily(1)) == []


def test_no_pain_says_nothing_with_diabetes() -> None:
    assert rules(daily(0), diabetes=True) == []


def test_the_first_pain_message_is_said_once_ever() -> None:
    """Even after the pain settled and came back, the one-off is not repeated."""
    past = [PastEscalation(RuleId.DIABETES_FIRST, START)]
    history = daily(2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2)
    assert RuleId.DIABETES_FIRST not in rules(history, past=past, diabetes=True)


def test_the_soon_diabetes_rule_takes_the_place_of_the_one_off() -> None:
    """A first pain of 5 gets the 'within days' message alone; after it, no one-off either."""
    assert rules(daily(5), diabetes=True) == [RuleId.DIABETES]
    past = [PastEscalation(RuleId.DIABETES, START)]
    assert RuleId.DIABETES_FIRST not in rules(daily(5, 0, 0, 0, 2), past=past, diabetes=True)


# --- how often the warning-sign question is asked --------------------------------------------


def asked_on(history: list[DayScore]) -> list[int]:
    """Return the day numbers (from START) on which the question follows the check-in."""
    return [
        (history[i].day - START).days
        for i in range(len(history))
        if needs_red_flag_question(history[: i + 1], CONFIG)
    ]


def test_a_run_of_severe_days_asks_once_every_3_days() -> None:
    assert asked_on(daily(*[8] * 10)) == [0, 3, 6, 9]


def test_a_jump_of_3_always_asks() -> None:
    """7, then 10 the next day: the jump asks although 7 asked the day before."""
    assert asked_on(daily(7, 10, 10, 10, 10)) == [0, 1, 4]


def test_a_lower_day_ends_the_run() -> None:
    """8, 8, 5, 8: the run ended on day 2, so day 3 asks again."""
    assert asked_on(daily(8, 8, 5, 8)) == [0, 3]


def test_days_without_check_ins_count_towards_the_3() -> None:
    history = [DayScore(START, 9), DayScore(START + timedelta(days=3), 9)]
    assert asked_on(history) == [0, 3]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=40), st.data())
def test_the_question_is_never_silent_3_days_into_a_run(
    scores: list[int], data: st.DataObject
) -> None:
    """In a run of 7+ check-ins, no two asks are under 3 days apart unless a jump asked, and
    the question is never left out for 3 days or more; a jump of 3 always asks."""
    gaps = data.draw(st.lists(st.integers(1, 3), min_size=len(scores), max_size=len(scores)))
    day, history = START, []
    for score, gap in zip(scores, gaps, strict=True):
        history.append(DayScore(day, score))
        day += timedelta(days=gap)
    last_ask: date | None = None
    for i, entry in enumerate(history):
        asks = needs_red_flag_question(history[: i + 1], CONFIG)
        jump = i > 0 and entry.score - history[i - 1].score >= CONFIG.red_flag_jump
        high = entry.score >= CONFIG.red_flag_score
        if jump:
            assert asks
        if not high:
            last_ask = None
            continue
        if last_ask is None or (entry.day - last_ask).days >= CONFIG.red_flag_repeat_days:
            assert asks
        elif not jump:
            assert not asks
        if asks:
            last_ask = entry.day


# --- properties -------------------------------------------------------------------------------

durations = st.sampled_from(list(PainDuration))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 10), min_size=1, max_size=60),
    st.lists(st.integers(1, 3), min_size=60, max_size=60),
    durations,
    st.integers(-10, 30),
    st.booleans(),
)
def test_an_answer_about_the_pain_never_silences_a_rule(
    scores: list[int], gaps: list[int], duration: PainDuration, offset: int, diabetes: bool
) -> None:
    """Whatever the history, saying how long the pain has gone on only adds escalations."""
    day, history = START, []
    for score, gap in zip(scores, gaps, strict=False):
        history.append(DayScore(day, score))
        day += timedelta(days=gap)
    today = history[-1].day
    reported = ReportedPain(duration, START + timedelta(days=offset))
    without = {e.rule for e in evaluate(history, [], today, CONFIG, has_diabetes=diabetes)}
    with_answer = {
        e.rule
        for e in evaluate(history, [], today, CONFIG, has_diabetes=diabetes, reported=reported)
    }
    assert without <= with_answer
