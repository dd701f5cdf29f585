"""The morning score and "no worse": first-step pain first, within 1 point of the week's median."""

from __future__ import annotations

from datetime import timedelta
from statistics import median

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.features.exercises.diary import Morning, PainDiary
from tests.features.exercises.helpers import day


def test_first_step_pain_wins_over_the_daily_score() -> None:
    """On a day with both, the morning is the first-step pain; otherwise the daily score."""
    diary = PainDiary(first_step={day(1): 6}, daily={day(1): 2, day(2): 3})
    assert (diary.score(day(1)), diary.score(day(2)), diary.score(day(3))) == (6, 3, None)


def test_a_morning_without_a_score_or_a_week_before_it_is_not_judged() -> None:
    """No answer is NO_ANSWER; a first ever score has nothing to be compared with."""
    assert PainDiary().morning(day(1)) is Morning.NO_ANSWER
    assert PainDiary(daily={day(1): 3}).morning(day(1)) is Morning.NO_BASELINE


def test_the_median_not_the_mean_is_the_baseline() -> None:
    """One bad day in the week does not raise the bar: median of 2,2,2,2,2,2,9 is 2."""
    week = {day(n): 2 for n in range(6)} | {day(6): 9}
    assert PainDiary(daily=week | {day(7): 4}).morning(day(7)) is Morning.WORSE
    assert PainDiary(daily=week | {day(7): 3}).morning(day(7)) is Morning.NO_WORSE


def test_scores_outside_zero_to_ten_are_refused() -> None:
    """A score of 11 is a bug upstream, not a morning."""
    with pytest.raises(ValueError, match="outside 0-10"):
        PainDiary(daily={day(0): 11})


@given(st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=8, max_size=8))
def test_no_worse_means_at_most_one_point_above_the_median_of_the_week_before(
    scores: list[int | None],
) -> None:
    """The rule, for any week: worse exactly when the morning is over median + 1."""
    diary = PainDiary(daily={day(n): s for n, s in enumerate(scores) if s is not None})
    morning, week = scores[-1], [s for s in scores[:-1] if s is not None]
    result = diary.morning(day(7))
    if morning is None:
        assert result is Morning.NO_ANSWER
    elif not week:
        assert result is Morning.NO_BASELINE
    else:
        expected = Morning.WORSE if morning > median(week) + 1 else Morning.NO_WORSE
        assert result is expected
    assert diary.baseline(day(7) + timedelta(days=8)) is None
