"""The outcome model: scores in range, the 7-point change, activity names kept out of repr."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.outcomes import Activity, ActivityRating, GlobalChange, PainEntry, check_score

DAY = date(2026, 11, 24)


@pytest.mark.parametrize("score", [-1, 11, True, 100])
def test_a_score_outside_0_to_10_is_refused(score: int) -> None:
    """Pain and activity ratings are 0-10 whole numbers, nothing else (a bool is no score)."""
    with pytest.raises(ValueError, match="outside"):
        check_score(score)
    with pytest.raises(ValueError, match="outside"):
        PainEntry(DAY, score)
    with pytest.raises(ValueError, match="outside"):
        ActivityRating(DAY, score)


def test_the_global_change_runs_from_plus_three_to_minus_three() -> None:
    """Seven answers, best first, scored +3 (very much better) to -3, no change at 0."""
    assert [c.score for c in GlobalChange] == [3, 2, 1, 0, -1, -2, -3]
    assert GlobalChange.NO_CHANGE.score == 0


def test_an_activitys_name_stays_out_of_its_repr() -> None:
    """The name is the user's own words: an activity logged by mistake does not carry it."""
    activity = Activity(7, "walk to my sister's house", DAY, ratings=(ActivityRating(DAY, 3),))
    assert "sister" not in repr(activity)
    assert "activity_id=7" in repr(activity)
    assert activity.active
