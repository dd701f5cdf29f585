"""The outcome measures' typed model: where it hurts, which side, and the user's own record.

Shared by the outcomes feature and the store (which reads and writes these), and by any
feature that ranks content by the pain site. Enum values are what SQLite stores (checked by
migration 0011), so renaming a member is a migration, not a refactor. docs/clinical/outcomes.md
names each measure's source and licence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

MIN_SCORE = 0
MAX_SCORE = 10


class PainSite(StrEnum):
    """Where the pain is, as the user picks it on the small picture."""

    UNDER_HEEL = "under_heel"  # plantar heel pain: the first steps in the morning hurt most
    ACHILLES = "achilles"  # the tendon itself, a few centimetres above the heel (mid-portion)
    INSERTION = "insertion"  # the back of the heel bone, where the tendon attaches
    ELSEWHERE = "elsewhere"  # somewhere else in the foot: today's general experience
    NOT_SURE = "not_sure"  # likewise


class Side(StrEnum):
    """Which foot hurts."""

    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class GlobalChange(StrEnum):
    """The 7-point "compared with when you started" answer (Patient Global Impression of Change)."""

    VERY_MUCH_BETTER = "very_much_better"
    MUCH_BETTER = "much_better"
    A_LITTLE_BETTER = "a_little_better"
    NO_CHANGE = "no_change"
    A_LITTLE_WORSE = "a_little_worse"
    MUCH_WORSE = "much_worse"
    VERY_MUCH_WORSE = "very_much_worse"

    @property
    def score(self) -> int:
        """Return the answer as -3 (very much worse) to +3 (very much better), 0 = no change."""
        return 3 - list(GlobalChange).index(self)


def check_score(score: int) -> int:
    """Return a 0-10 score unchanged; raise ValueError for anything else."""
    if isinstance(score, bool) or not MIN_SCORE <= score <= MAX_SCORE:
        raise ValueError(f"score {score!r} is outside {MIN_SCORE}-{MAX_SCORE}")
    return score


@dataclass(frozen=True)
class FootProfile:
    """Where it hurts and which foot; every field None until answered (each is skippable)."""

    site: PainSite | None = None
    side: Side | None = None
    # The first-step question, set in /settings: None follows the site (asked for pain under
    # the heel), True asks it whatever the site, False never asks it.
    first_step: bool | None = None
    # When the "both feet" follow-up (stiff or swollen joints or back) was asked: it is asked
    # once, and choosing both feet is not itself a warning sign.
    joint_question_on: date | None = None
    started_on: date | None = None  # the local date the outcome record began
    activities_invited_on: date | None = None  # the first-week invitation to name activities
    first_step_skipped_on: date | None = None  # the last day the first-steps question was skipped

    @property
    def asks_first_step(self) -> bool:
        """Say whether the daily message asks the first-steps question first: pain under the
        heel unless turned off in /settings, or any site when turned on there."""
        if self.first_step is not None:
            return self.first_step
        return self.site is PainSite.UNDER_HEEL


@dataclass(frozen=True)
class PainEntry:
    """One 0-10 answer for one local day: first-step pain, or the daily pain check-in.

    `filled_late` marks a missed day filled in the next day ("yesterday's check-in"): it is
    stored at its own date and says so, in the record and the export.
    """

    day: date
    score: int
    filled_late: bool = False

    def __post_init__(self) -> None:
        check_score(self.score)


@dataclass(frozen=True)
class ActivityRating:
    """How well the user could do one of their activities on a day: 0 can't, 10 as before."""

    day: date
    score: int

    def __post_init__(self) -> None:
        check_score(self.score)


@dataclass(frozen=True)
class Activity:
    """One activity the user named for the Patient-Specific Functional Scale, with its ratings.

    The name is the user's own words: personal data. It is left out of `repr` so that an
    activity written to a log by mistake does not carry it; show it only escaped, as text.
    """

    activity_id: int
    name: str = field(repr=False)
    added_on: date
    dropped_on: date | None = None
    rerate_offered_on: date | None = None  # the last day a re-rating was offered
    ratings: tuple[ActivityRating, ...] = ()  # oldest first

    @property
    def active(self) -> bool:
        """Say whether the activity is still being followed (not dropped)."""
        return self.dropped_on is None


@dataclass(frozen=True)
class MonthlyAnswer:
    """The monthly questions of one day: acceptable state (yes/no) and global change.

    A row exists from the day the questions were offered; an answer left out (skipped or not
    yet given) is None.
    """

    day: date
    acceptable: bool | None = None
    change: GlobalChange | None = None
