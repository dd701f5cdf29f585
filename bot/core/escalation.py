"""The vocabulary of the see-a-doctor rules: urgencies, rule ids, their numbers, day scores.

The score rules are in bot/core/pain_rules.py, the warning signs in bot/core/warning_signs.py.

Pure: dates come in as arguments; no clock, no storage, no Telegram, no file reading.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from types import MappingProxyType

SCORE_MIN, SCORE_MAX = 0, 10


class Urgency(enum.IntEnum):
    """How soon to get help; a larger value is more urgent, so max() picks the worst."""

    ADVICE = 1  # ask about a specialist referral at the next appointment
    ROUTINE = 2  # book a GP or physiotherapist
    SOON = 3  # see a GP within the next few days
    URGENT = 4  # contact a GP urgently, today
    EMERGENCY = 5  # urgent care / A&E now

    @property
    def key(self) -> str:
        """Return the lowercase name used in the rules file."""
        return self.name.lower()


class RuleId(enum.StrEnum):
    """The name of each escalation rule, as stored and as written in the rules file."""

    PERSISTENT = "persistent"
    SEVERE = "severe"
    SEVERE_DAY = "severe_day"
    WORSENING = "worsening"
    RECURRING = "recurring"
    RED_FLAG_EMERGENCY = "red_flag_emergency"
    RED_FLAG_URGENT = "red_flag_urgent"
    RED_FLAG_SOON = "red_flag_soon"
    DIABETES = "diabetes"
    DIABETES_FIRST = "diabetes_first"
    LONG_HAUL = "long_haul"


DEFAULT_URGENCY: Mapping[RuleId, Urgency] = MappingProxyType(
    {
        RuleId.RED_FLAG_EMERGENCY: Urgency.EMERGENCY,
        RuleId.RED_FLAG_URGENT: Urgency.URGENT,
        RuleId.RED_FLAG_SOON: Urgency.SOON,
        RuleId.DIABETES: Urgency.SOON,
        RuleId.DIABETES_FIRST: Urgency.ROUTINE,
        RuleId.SEVERE: Urgency.SOON,
        RuleId.SEVERE_DAY: Urgency.ROUTINE,
        RuleId.WORSENING: Urgency.ROUTINE,
        RuleId.RECURRING: Urgency.ROUTINE,
        RuleId.PERSISTENT: Urgency.ROUTINE,
        RuleId.LONG_HAUL: Urgency.ADVICE,
    }
)

# Rules said once per episode only: the cooldown does not repeat them while pain stays up,
# because repeating a conditional or "soon" message weekly teaches users to ignore it.
ONCE_PER_EPISODE = frozenset({RuleId.SEVERE_DAY, RuleId.DIABETES, RuleId.RECURRING})
# Rules said once in a user's life: the first foot pain with diabetes.
ONCE_EVER = frozenset({RuleId.DIABETES_FIRST})

# Tie-break among rules of equal urgency: the more specific signal first.
RULE_ORDER: tuple[RuleId, ...] = (
    RuleId.RED_FLAG_EMERGENCY,
    RuleId.RED_FLAG_URGENT,
    RuleId.RED_FLAG_SOON,
    RuleId.DIABETES,
    RuleId.SEVERE,
    RuleId.DIABETES_FIRST,
    RuleId.SEVERE_DAY,
    RuleId.WORSENING,
    RuleId.PERSISTENT,
    RuleId.RECURRING,
    RuleId.LONG_HAUL,
)

# Every number in RulesConfig and what it may be; the rules loader reports against the same table.
_SCORE_LIMITS = (1, SCORE_MAX)  # a threshold of 0 would count every check-in as pain
_NUMBER_LIMITS: Mapping[str, tuple[type, float, float | None]] = MappingProxyType(
    {
        "threshold": (int, *_SCORE_LIMITS),
        "persistent_days": (int, 1, None),
        "improvement_delta": (float, 0.1, SCORE_MAX),
        "severe_score": (int, *_SCORE_LIMITS),
        "severe_days": (int, 1, None),
        "worsening_window": (int, 1, None),
        "worsening_delta": (float, 0.1, SCORE_MAX),
        "long_haul_days": (int, 1, None),
        "long_haul_window": (int, 1, None),
        "recurrence_episodes": (int, 2, None),
        "recurrence_window": (int, 1, None),
        "red_flag_score": (int, *_SCORE_LIMITS),
        "red_flag_jump": (int, *_SCORE_LIMITS),
        "red_flag_repeat_days": (int, 1, None),
        "episode_reset_low_days": (int, 1, None),
        "cooldown_days": (int, 1, None),
        "diabetes_score": (int, *_SCORE_LIMITS),
    }
)
NUMBER_NAMES: tuple[str, ...] = tuple(_NUMBER_LIMITS)


def number_problem(name: str, value: object) -> str | None:
    """Return why value is not allowed for the RulesConfig number name, or None if it is."""
    kind, low, high = _NUMBER_LIMITS[name]
    what = "a whole number" if kind is int else "a number"
    span = f"at least {low:g}" if high is None else f"{low:g} to {high:g}"
    # bool is an int subclass, but `threshold: true` is a typo, not a number.
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (isinstance(value, float) and (kind is int or not math.isfinite(value)))
    ):
        return f"{name} must be {what} ({span}), got {value!r}"
    if value < low or (high is not None and value > high):
        return f"{name} must be {span}, got {value!r}"
    return None


@dataclass(frozen=True, order=True)
class DayScore:
    """One day's pain check-in on the 0-10 scale."""

    day: date
    score: int

    def __post_init__(self) -> None:
        if isinstance(self.score, bool) or not isinstance(self.score, int):
            raise TypeError(f"score must be an int, got {self.score!r}")
        if not SCORE_MIN <= self.score <= SCORE_MAX:
            raise ValueError(f"score must be {SCORE_MIN}-{SCORE_MAX}, got {self.score}")


@dataclass(frozen=True)
class RulesConfig:
    """Every number the rules use; defaults are the shipped rules file's values."""

    threshold: int = 4
    persistent_days: int = 14
    improvement_delta: float = 2.0
    severe_score: int = 7
    severe_days: int = 3
    worsening_window: int = 7
    worsening_delta: float = 2.0
    long_haul_days: int = 90
    long_haul_window: int = 7
    recurrence_episodes: int = 3
    recurrence_window: int = 90
    red_flag_score: int = 7
    red_flag_jump: int = 3
    red_flag_repeat_days: int = 3
    episode_reset_low_days: int = 3
    cooldown_days: int = 7
    diabetes_score: int = 4
    urgency: Mapping[RuleId, Urgency] = field(default_factory=lambda: DEFAULT_URGENCY, hash=False)

    def __post_init__(self) -> None:
        for item in fields(self):
            if item.name in _NUMBER_LIMITS:
                problem = number_problem(item.name, getattr(self, item.name))
                if problem is not None:
                    raise ValueError(problem)
        missing = [rule.value for rule in RuleId if rule not in self.urgency]
        if missing:
            raise ValueError(f"no urgency for rule(s): {', '.join(missing)}")
        # A read-only copy, so a caller's dict cannot change a frozen config later.
        object.__setattr__(self, "urgency", MappingProxyType(dict(self.urgency)))

    def with_overrides(self, threshold: int | None = None, days: int | None = None) -> RulesConfig:
        """Return a copy with ESCALATION_PAIN_THRESHOLD / ESCALATION_DAYS applied when given."""
        return replace(
            self,
            threshold=self.threshold if threshold is None else threshold,
            persistent_days=self.persistent_days if days is None else days,
        )


# What ships is the floor of caution: the rules file and the operator's settings may only make
# FootCare speak sooner or louder, never later or softer (issue 20, item 7). For each number,
# the direction that is more cautious; where neither direction is safer in every case (a
# longer worsening window misses sharp rises, a shorter one slow ones), only the shipped value.
class Caution(enum.Enum):
    """Which values of a number are as cautious as the shipped one, or more."""

    AT_MOST = "at most"  # lower is more cautious: a rule fires sooner
    AT_LEAST = "at least"  # higher is more cautious
    EXACTLY = "exactly"  # no direction is safer in every case


_CAUTION: Mapping[str, Caution] = MappingProxyType(
    {
        "threshold": Caution.AT_MOST,
        "persistent_days": Caution.AT_MOST,
        "improvement_delta": Caution.AT_LEAST,  # a bigger fall is needed to count as better
        "severe_score": Caution.AT_MOST,
        "severe_days": Caution.AT_MOST,
        "worsening_window": Caution.EXACTLY,
        "worsening_delta": Caution.AT_MOST,
        "long_haul_days": Caution.AT_MOST,
        "long_haul_window": Caution.EXACTLY,
        "recurrence_episodes": Caution.AT_MOST,
        "recurrence_window": Caution.AT_LEAST,
        "red_flag_score": Caution.AT_MOST,
        "red_flag_jump": Caution.AT_MOST,
        "red_flag_repeat_days": Caution.AT_MOST,
        # Fewer low days end an episode sooner (rules speak again) but also restart the count
        # of the persistent and long-haul rules: neither way is safer.
        "episode_reset_low_days": Caution.EXACTLY,
        "cooldown_days": Caution.AT_MOST,
        "diabetes_score": Caution.AT_MOST,
    }
)
SHIPPED = RulesConfig()


def caution_problem(name: str, value: float) -> str | None:
    """Return why a valid number is less cautious than what ships, or None when it is not."""
    shipped = getattr(SHIPPED, name)
    match _CAUTION[name]:
        case Caution.AT_MOST if value > shipped:
            return f"{name} must be at most the shipped {shipped:g}, got {value:g}: {_ONLY_SAFER}"
        case Caution.AT_LEAST if value < shipped:
            return f"{name} must be at least the shipped {shipped:g}, got {value:g}: {_ONLY_SAFER}"
        case Caution.EXACTLY if value != shipped:
            return (
                f"{name} must be the shipped {shipped:g}, got {value:g}: neither way is "
                "safer in every case"
            )
    return None


def urgency_problem(rule: RuleId, urgency: Urgency) -> str | None:
    """Return why an urgency is below the one that ships for rule, or None when it is not."""
    shipped = DEFAULT_URGENCY[rule]
    if urgency >= shipped:
        return None
    return (
        f"urgency of {rule.value} must be {shipped.key} or more urgent (as shipped), "
        f"got {urgency.key}: {_ONLY_SAFER}"
    )


_ONLY_SAFER = "FootCare may only be configured to be more cautious than it ships"


class PainDuration(enum.StrEnum):
    """How long the pain had gone on when the user told us (values are stored)."""

    UNDER_6_WEEKS = "under_6_weeks"
    WEEKS_6_TO_MONTHS_3 = "6_weeks_to_3_months"
    MONTHS_3_TO_12 = "3_to_12_months"
    OVER_A_YEAR = "over_a_year"

    @property
    def at_least_days(self) -> int:
        """Return the days the pain had surely lasted: the lower end of the answer's range."""
        # The lower end, so no rule counts pain the user did not report.
        return {
            PainDuration.UNDER_6_WEEKS: 0,
            PainDuration.WEEKS_6_TO_MONTHS_3: 42,
            PainDuration.MONTHS_3_TO_12: 91,
            PainDuration.OVER_A_YEAR: 365,
        }[self]


@dataclass(frozen=True)
class ReportedPain:
    """The user's answer to "how long has the pain gone on?" and the local day they gave it."""

    duration: PainDuration
    answered_on: date

    @property
    def onset(self) -> date:
        """Return the latest day the pain can have begun, by the answer."""
        return self.answered_on - timedelta(days=self.duration.at_least_days)


@dataclass(frozen=True)
class PastEscalation:
    """An escalation already sent: its rule and the local day of the check-in behind it."""

    rule: RuleId
    day: date


@dataclass(frozen=True)
class Escalation:
    """A rule that fired: how urgent, why in plain words, and the scores behind it."""

    rule: RuleId
    urgency: Urgency
    reason: str  # in English, as stored
    scores: tuple[DayScore, ...]
    # The reason as data, for other languages: an English msgid and its parameters (numbers
    # as text; a tuple is a list of warning-sign values, joined in the reader's language).
    template: str = ""
    params: tuple[tuple[str, ReasonParam], ...] = ()


ReasonParam = str | int | tuple[str, ...]


def make(
    rule: RuleId,
    template: str,
    scores: Sequence[DayScore],
    config: RulesConfig,
    *,
    reason: str | None = None,
    **params: ReasonParam,
) -> Escalation:
    """Return an escalation of rule at the urgency the rules file gives it.

    `template` is an English msgid with {placeholders}; the English reason is it filled in
    with `params` unless `reason` is given (a list of signs is joined by the caller).
    """
    text = reason if reason is not None else template.format(**params)
    return Escalation(
        rule, config.urgency[rule], text, tuple(scores), template, tuple(sorted(params.items()))
    )


def sort_by_urgency(escalations: Iterable[Escalation]) -> list[Escalation]:
    """Return the escalations most urgent first, ties in RULE_ORDER."""
    return sorted(escalations, key=lambda e: (-e.urgency, RULE_ORDER.index(e.rule)))


def normalise(history: Iterable[DayScore]) -> list[DayScore]:
    """Return one score per day, the last given for that day winning, sorted by day."""
    by_day: dict[date, DayScore] = {}
    for entry in history:
        by_day[entry.day] = entry
    return [by_day[day] for day in sorted(by_day)]
