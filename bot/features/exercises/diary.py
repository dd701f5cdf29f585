"""A user's morning pain by day, and whether a morning was "no worse" than the week before.

The morning score is the first-step pain (the outcomes question), or the daily check-in score on
a day without one. A morning counts as no worse when it is at most 1 point above the median of
the 7 days before it: the pain-monitoring model's "worse the next day means less load", with
the day-to-day noise of a 0-10 score allowed for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from statistics import median
from types import MappingProxyType

NO_WORSE_MARGIN = 1  # points above the median still counted as no worse (issue 23)
BASELINE_DAYS = 7


class Morning(StrEnum):
    """How one morning compares with the week before it."""

    NO_WORSE = "no-worse"
    WORSE = "worse"
    NO_ANSWER = "no-answer"  # no score that morning
    NO_BASELINE = "no-baseline"  # no score in the 7 days before it to compare with


@dataclass(frozen=True)
class PainDiary:
    """First-step pain and daily check-in scores (0-10), by local date."""

    first_step: Mapping[date, int] = field(default_factory=dict, hash=False)
    daily: Mapping[date, int] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        for name in ("first_step", "daily"):
            scores = dict(getattr(self, name))
            for day, score in scores.items():
                if not 0 <= score <= 10:
                    raise ValueError(f"{name} score {score} on {day} is outside 0-10")
            object.__setattr__(self, name, MappingProxyType(scores))

    def score(self, day: date) -> int | None:
        """Return the morning's score: first-step pain, else that day's check-in, else None."""
        if day in self.first_step:
            return self.first_step[day]
        return self.daily.get(day)

    def baseline(self, day: date) -> float | None:
        """Return the median score of the 7 days before day, or None with no score there."""
        days = (day - timedelta(days=back) for back in range(1, BASELINE_DAYS + 1))
        scores = [score for d in days if (score := self.score(d)) is not None]
        return median(scores) if scores else None

    def morning(self, day: date) -> Morning:
        """Say whether the morning of day was no worse than the week before it."""
        score = self.score(day)
        if score is None:
            return Morning.NO_ANSWER
        baseline = self.baseline(day)
        if baseline is None:
            return Morning.NO_BASELINE
        return Morning.NO_WORSE if score <= baseline + NO_WORSE_MARGIN else Morning.WORSE
