"""The see-a-doctor rules: decide from daily pain scores and red-flag answers who to send where.

Pure: dates come in as arguments; no clock, no storage, no Telegram, no file reading.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from fractions import Fraction
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
    WORSENING = "worsening"
    RED_FLAG_EMERGENCY = "red_flag_emergency"
    RED_FLAG_URGENT = "red_flag_urgent"
    DIABETES = "diabetes"
    LONG_HAUL = "long_haul"


class RedFlag(enum.StrEnum):
    """One answer to the red-flag follow-up question."""

    INJURY = "injury"  # a snap, pop or grinding at the time of injury
    CANNOT_BEAR_WEIGHT = "cannot_bear_weight"  # or cannot move the ankle
    MISSHAPEN = "misshapen"
    NUMBNESS = "numbness"  # or tingling
    HOT_RED_SWOLLEN = "hot_red_swollen"  # or feverish
    NONE = "none"


# Possible fracture or Achilles rupture (NHS heel pain: go to A&E).
EMERGENCY_FLAGS = frozenset({RedFlag.INJURY, RedFlag.CANNOT_BEAR_WEIGHT, RedFlag.MISSHAPEN})
# Nerve, circulation or infection signs (NHS: urgent GP appointment or NHS 111).
URGENT_FLAGS = frozenset({RedFlag.NUMBNESS, RedFlag.HOT_RED_SWOLLEN})

# Plain words for the reason line, read after "you told us about"; button labels live in
# escalation_text.
_FLAG_WORDS: Mapping[RedFlag, str] = MappingProxyType(
    {
        RedFlag.INJURY: "a snap, pop or grinding when it happened",
        RedFlag.CANNOT_BEAR_WEIGHT: "not being able to put weight on the foot or move the ankle",
        RedFlag.MISSHAPEN: "the foot looking misshapen",
        RedFlag.NUMBNESS: "numbness or tingling",
        RedFlag.HOT_RED_SWOLLEN: "the foot being hot, red or swollen, or feeling feverish",
    }
)

DEFAULT_URGENCY: Mapping[RuleId, Urgency] = MappingProxyType(
    {
        RuleId.RED_FLAG_EMERGENCY: Urgency.EMERGENCY,
        RuleId.RED_FLAG_URGENT: Urgency.URGENT,
        RuleId.DIABETES: Urgency.URGENT,
        RuleId.SEVERE: Urgency.SOON,
        RuleId.WORSENING: Urgency.ROUTINE,
        RuleId.PERSISTENT: Urgency.ROUTINE,
        RuleId.LONG_HAUL: Urgency.ADVICE,
    }
)

# Tie-break among rules of equal urgency: the more specific signal first.
RULE_ORDER: tuple[RuleId, ...] = (
    RuleId.RED_FLAG_EMERGENCY,
    RuleId.RED_FLAG_URGENT,
    RuleId.DIABETES,
    RuleId.SEVERE,
    RuleId.WORSENING,
    RuleId.PERSISTENT,
    RuleId.LONG_HAUL,
)

# Every number in RulesConfig and what it may be; the rules loader reports against the same table.
_SCORE_LIMITS = (1, SCORE_MAX)  # a threshold of 0 would count every check-in as pain
_NUMBER_LIMITS: Mapping[str, tuple[type, float, float | None]] = MappingProxyType(
    {
        "threshold": (int, *_SCORE_LIMITS),
        "persistent_days": (int, 1, None),
        "severe_score": (int, *_SCORE_LIMITS),
        "severe_days": (int, 1, None),
        "worsening_window": (int, 1, None),
        "worsening_delta": (float, 0.1, SCORE_MAX),
        "long_haul_days": (int, 1, None),
        "long_haul_window": (int, 1, None),
        "red_flag_score": (int, *_SCORE_LIMITS),
        "red_flag_jump": (int, *_SCORE_LIMITS),
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
    severe_score: int = 7
    severe_days: int = 3
    worsening_window: int = 7
    worsening_delta: float = 2.0
    long_haul_days: int = 90
    long_haul_window: int = 7
    red_flag_score: int = 7
    red_flag_jump: int = 3
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
    reason: str
    scores: tuple[DayScore, ...]


def sort_by_urgency(escalations: Iterable[Escalation]) -> list[Escalation]:
    """Return the escalations most urgent first, ties in RULE_ORDER."""
    return sorted(escalations, key=lambda e: (-e.urgency, RULE_ORDER.index(e.rule)))


def normalise(history: Iterable[DayScore]) -> list[DayScore]:
    """Return one score per day, the last given for that day winning, sorted by day."""
    by_day: dict[date, DayScore] = {}
    for entry in history:
        by_day[entry.day] = entry
    return [by_day[day] for day in sorted(by_day)]


def _mean(scores: Sequence[DayScore]) -> Fraction:
    return Fraction(sum(s.score for s in scores), len(scores))


def _persistent(days: Sequence[DayScore], config: RulesConfig) -> Escalation | None:
    # Only check-in days count: a day without an answer neither adds to nor breaks the run.
    n = config.persistent_days
    recent = days[-n:]
    if len(recent) < n or any(s.score < config.threshold for s in recent):
        return None
    reason = f"your pain has been {config.threshold} or more on each of your last {n} check-ins"
    return _make(RuleId.PERSISTENT, reason, recent, config)


def _severe(days: Sequence[DayScore], config: RulesConfig) -> Escalation | None:
    # "In a row" means consecutive check-in days, the same counting as the persistent rule.
    n = config.severe_days
    recent = days[-n:]
    if len(recent) < n or any(s.score < config.severe_score for s in recent):
        return None
    reason = (
        f"your pain has been {config.severe_score} or more (severe) on each of your "
        f"last {n} check-ins"
    )
    return _make(RuleId.SEVERE, reason, recent, config)


def _worsening(days: Sequence[DayScore], config: RulesConfig) -> Escalation | None:
    w = config.worsening_window
    if len(days) < 2 * w or days[-1].score < config.threshold:
        return None
    before, recent = days[-2 * w : -w], days[-w:]
    now, then = _mean(recent), _mean(before)
    # Fractions keep "exactly 2 points higher" exact; floats could land a hair under.
    if now - then < Fraction(str(config.worsening_delta)):
        return None
    reason = (
        f"your average pain over your last {w} check-ins ({float(now):.1f}) is "
        f"{float(now - then):.1f} points higher than over the {w} before ({float(then):.1f})"
    )
    return _make(RuleId.WORSENING, reason, days[-2 * w :], config)


def _diabetes(days: Sequence[DayScore], config: RulesConfig) -> Escalation | None:
    latest = days[-1]
    if latest.score < config.diabetes_score:
        return None
    reason = (
        f"you told us you have diabetes, and your latest pain score is {latest.score}; "
        f"with diabetes, foot pain of {config.diabetes_score} or more needs checking promptly"
    )
    return _make(RuleId.DIABETES, reason, days[-1:], config)


def _stretch_start(days: Sequence[DayScore], config: RulesConfig) -> int:
    """Return the index where the current stretch of pain began."""
    # The stretch restarts after a run of episode_reset_low_days check-ins in a row below the
    # threshold: that is "the pain settled", so a fresh flare months later is not "long haul".
    start, run = 0, 0
    for index, entry in enumerate(days):
        run = run + 1 if entry.score < config.threshold else 0
        if run >= config.episode_reset_low_days:
            start = index + 1
    return start


def _long_haul(days: Sequence[DayScore], today: date, config: RulesConfig) -> Escalation | None:
    # Interpretation of "still at or above the threshold after 90 days of check-ins": the
    # current stretch of pain began long_haul_days or more before today, and the pain is still
    # there now (latest check-in at or above the threshold and the average of the last
    # long_haul_window check-ins too, so one bad day after a good month does not count).
    stretch = days[_stretch_start(days, config) :]
    w = config.long_haul_window
    if len(stretch) < w or stretch[-1].score < config.threshold:
        return None
    span = (today - stretch[0].day).days
    average = _mean(stretch[-w:])
    if span < config.long_haul_days or average < config.threshold:
        return None
    reason = (
        f"you have been recording foot pain for {span} days and it is still "
        f"{config.threshold} or more (average {float(average):.1f} over your last {w} check-ins)"
    )
    return _make(RuleId.LONG_HAUL, reason, stretch[-w:], config)


def _make(rule: RuleId, reason: str, scores: Sequence[DayScore], config: RulesConfig) -> Escalation:
    return Escalation(rule, config.urgency[rule], reason, tuple(scores))


def is_suppressed(
    rule: RuleId,
    days: Sequence[DayScore],
    past: Sequence[PastEscalation],
    today: date,
    config: RulesConfig,
) -> bool:
    """Return whether rule already fired in this episode and so must stay quiet today."""
    previous = [p.day for p in past if p.rule == rule]
    if not previous:
        return False
    last = max(previous)
    if today >= last + timedelta(days=config.cooldown_days):
        return False
    # Low days need not be consecutive: any three below the threshold end the episode, so
    # the rule speaks again sooner rather than later when the pain comes back.
    low_days = sum(1 for s in days if last < s.day <= today and s.score < config.threshold)
    return low_days < config.episode_reset_low_days


def evaluate(
    history: Iterable[DayScore],
    past: Sequence[PastEscalation],
    today: date,
    config: RulesConfig,
    *,
    has_diabetes: bool,
) -> list[Escalation]:
    """Return the score-based escalations to send now, most urgent first, repeats suppressed."""
    # Call right after a check-in is saved; later-dated entries (clock skew) are ignored.
    days = [entry for entry in normalise(history) if entry.day <= today]
    if not days:
        return []
    fired = [
        _severe(days, config),
        _worsening(days, config),
        _persistent(days, config),
        _long_haul(days, today, config),
        _diabetes(days, config) if has_diabetes else None,
    ]
    return sort_by_urgency(
        e for e in fired if e is not None and not is_suppressed(e.rule, days, past, today, config)
    )


def needs_red_flag_question(history: Iterable[DayScore], config: RulesConfig) -> bool:
    """Return whether the latest check-in is high enough, or jumped enough, to ask."""
    days = normalise(history)
    if not days:
        return False
    latest = days[-1].score
    if latest >= config.red_flag_score:
        return True
    return len(days) >= 2 and latest - days[-2].score >= config.red_flag_jump


def evaluate_red_flags(
    flags: Collection[RedFlag], history: Iterable[DayScore], config: RulesConfig
) -> Escalation | None:
    """Return the escalation for the red flags the user ticked; never suppressed."""
    # "None of these" next to a real flag is contradictory; the real flag wins, to be safe.
    emergency = [flag for flag in RedFlag if flag in flags and flag in EMERGENCY_FLAGS]
    urgent = [flag for flag in RedFlag if flag in flags and flag in URGENT_FLAGS]
    # The scores that prompted the question: the latest check-in and the one before it.
    scores = normalise(history)[-2:]
    if emergency:
        reason = (
            f"you told us about {_join(emergency)}, which can be signs of a broken bone "
            "or a torn Achilles tendon"
        )
        if urgent:
            reason += f"; you also mentioned {_join(urgent)}"
        return _make(RuleId.RED_FLAG_EMERGENCY, reason, scores, config)
    if urgent:
        reason = f"you told us about {_join(urgent)}, and signs like these need checking today"
        return _make(RuleId.RED_FLAG_URGENT, reason, scores, config)
    return None


def _join(flags: Sequence[RedFlag]) -> str:
    words = [_FLAG_WORDS[flag] for flag in flags]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
