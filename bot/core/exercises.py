"""Home exercise programmes as frozen values: exercises, doses, levels, one programme per site.

The content lives in `bot/content/exercises.yaml` and is checked by `bot/content/exercises.py`;
what a user should do today, and whether to suggest another level, is decided by
`bot/features/exercises/`. Nothing here knows about Telegram, SQLite or the clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from bot.core.outcomes import PainSite

LANGUAGES = ("en", "zh")


class Site(StrEnum):
    """Where the pain is; each site has its own programme (values are stored; never rename)."""

    PLANTAR_HEEL = "plantar-heel"
    ACHILLES_MIDPORTION = "achilles-midportion"  # 2-6 cm above the heel bone (RNOH)
    ACHILLES_INSERTIONAL = "achilles-insertional"  # where the tendon joins the heel bone


# The site the user picked on the outcomes picture -> the programme for it. Somewhere else in
# the foot, or not sure, has no programme: a heel-drop plan must never reach the wrong pain.
_PROGRAMME_FOR: Mapping[PainSite, Site | None] = MappingProxyType(
    {
        PainSite.UNDER_HEEL: Site.PLANTAR_HEEL,
        PainSite.ACHILLES: Site.ACHILLES_MIDPORTION,
        PainSite.INSERTION: Site.ACHILLES_INSERTIONAL,
        PainSite.ELSEWHERE: None,
        PainSite.NOT_SURE: None,
    }
)


def programme_site(pain: PainSite) -> Site | None:
    """Return the programme's site for the pain site the user picked, or None for no programme."""
    return _PROGRAMME_FOR[pain]


class Kind(StrEnum):
    """What an exercise does to the foot: only stretches may be done on a rest day."""

    STRETCH = "stretch"
    STRENGTH = "strength"
    BALANCE = "balance"
    WALK_RUN = "walk-run"

    @property
    def loads(self) -> bool:
        """Say whether the exercise asks the tendon or fascia to take more load than walking."""
        return self is not Kind.STRETCH


class Picture(StrEnum):
    """The drawing that shows an exercise (`bot/charts/exercise_pictures.py` draws each)."""

    SEATED_TOE_PULL = "seated-toe-pull"
    WALL_CALF_STRAIGHT = "wall-calf-straight"
    WALL_CALF_BENT = "wall-calf-bent"
    ARCH_ROLL = "arch-roll"
    HEEL_RAISE_TOWEL = "heel-raise-towel"
    HEEL_DROP_STEP_BOTH = "heel-drop-step-both"
    HEEL_DROP_STEP_STRAIGHT = "heel-drop-step-straight"
    HEEL_DROP_STEP_BENT = "heel-drop-step-bent"
    HEEL_RAISE_FLOOR_BOTH = "heel-raise-floor-both"
    HEEL_DROP_FLOOR_STRAIGHT = "heel-drop-floor-straight"
    HEEL_DROP_FLOOR_BENT = "heel-drop-floor-bent"
    BALANCE_ONE_LEG = "balance-one-leg"
    WALK = "walk"
    WALK_JOG = "walk-jog"
    JOG = "jog"


class Schedule(StrEnum):
    """Which days an exercise is due."""

    DAILY = "daily"
    EVERY_OTHER_DAY = "every-other-day"  # 48 h between sessions (Rathleff)
    THREE_A_WEEK = "three-a-week"  # "not more than 3 times per week" (Swansea Bay)


class Advance(StrEnum):
    """What a good session means at a level, for the next-level suggestion."""

    NO_WORSE = "no-worse"  # the next morning is no worse (pain-monitoring model)
    PAIN_FREE_24H = "pain-free-24h"  # no pain for 24 hours afterwards (Swansea Bay stages)


class Gate(StrEnum):
    """A yes/no answer needed before a level may be suggested."""

    EVERYDAY_PAIN_FREE = "everyday-pain-free"  # Kingston: before strengthening
    BRISK_WALK_30 = "brisk-walk-30"  # before the first running stage


class Legs(StrEnum):
    """On one leg, or both when one is too hard (Rathleff)."""

    ONE = "one"
    BOTH = "both"


@dataclass(frozen=True)
class Source:
    """The page that supports a dose, a progression or a sentence."""

    id: str
    title: str
    url: str


@dataclass(frozen=True)
class Span:
    """An inclusive range of whole numbers."""

    min: int
    max: int

    def __post_init__(self) -> None:
        if not 0 <= self.min <= self.max:
            raise ValueError(f"a span needs 0 <= min <= max, got {self.min}-{self.max}")

    def contains(self, value: int) -> bool:
        """Return whether value lies within the span, ends included."""
        return self.min <= value <= self.max


@dataclass(frozen=True)
class Tempo:
    """Seconds up, held at the top and down for one repetition."""

    up: int
    hold: int
    down: int


@dataclass(frozen=True)
class Allowed:
    """The doses an exercise's source gives: every level's dose must fall inside them."""

    spans: Mapping[str, Span] = field(hash=False)  # sets, reps, hold_s, minutes, per_day
    schedules: tuple[Schedule, ...]
    tempo: Tempo | None = None  # the one tempo the source gives, if it gives one
    legs: tuple[Legs, ...] = ()
    backpack: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "spans", MappingProxyType(dict(self.spans)))


@dataclass(frozen=True)
class Dose:
    """How much of an exercise, how often. Unset numbers do not apply to the exercise."""

    schedule: Schedule
    sets: int | None = None
    reps: int | None = None
    rm: bool = False  # reps are a repetition maximum: heavy enough that one more fails
    hold_s: int | None = None
    minutes: int | None = None
    per_day: int = 1
    tempo: Tempo | None = None
    legs: Legs | None = None
    backpack: bool = False


@dataclass(frozen=True)
class ExerciseText:
    """What the user reads about one exercise in one language."""

    name: str
    steps: tuple[str, ...]
    feel: str  # what it should feel like
    stop: str  # when to stop


@dataclass(frozen=True)
class Exercise:
    """One exercise, the page it comes from and the dose ranges that page gives."""

    id: str
    kind: Kind
    picture: Picture
    source: Source  # how to do it
    dose_source: Source  # the doses in `allowed`
    feel_source: Source
    stop_source: Source
    allowed: Allowed
    texts: Mapping[str, ExerciseText] = field(hash=False)
    heel_below_forefoot: bool = False  # lowers the heel past the level of the forefoot
    cold: bool = False  # uses ice or cold: never for users with diabetes (the tips' rule)

    def __post_init__(self) -> None:
        object.__setattr__(self, "texts", MappingProxyType(dict(self.texts)))

    @property
    def loads(self) -> bool:
        """Say whether the exercise loads the tendon or fascia (anything but a stretch)."""
        return self.kind.loads

    def text(self, lang: str) -> ExerciseText:
        """Return the text in lang, or the English text when lang is missing."""
        return self.texts.get(lang) or self.texts["en"]


@dataclass(frozen=True)
class Prescription:
    """One exercise at one dose, as a level gives it."""

    exercise: Exercise
    dose: Dose


@dataclass(frozen=True)
class LevelText:
    """A level's name and what it is for, in one language."""

    name: str
    about: str


@dataclass(frozen=True)
class Level:
    """One step of a programme; the user moves between levels only by accepting a suggestion."""

    id: str
    prescriptions: tuple[Prescription, ...]
    min_days: int  # never suggested onwards sooner than this after starting the level
    min_days_source: Source | None  # None: FootCare's own number (the YAML says why)
    advance: Advance
    requires: tuple[Gate, ...]
    running: bool  # a return-to-running stage, offered only to runners
    sources: tuple[Source, ...]  # what the level's words say
    texts: Mapping[str, LevelText] = field(hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "texts", MappingProxyType(dict(self.texts)))

    @property
    def loads(self) -> bool:
        """Say whether any exercise of the level loads the tendon or fascia."""
        return any(p.exercise.loads for p in self.prescriptions)

    def text(self, lang: str) -> LevelText:
        """Return the text in lang, or the English text when lang is missing."""
        return self.texts.get(lang) or self.texts["en"]


@dataclass(frozen=True)
class Programme:
    """The levels for one site, gentlest first, the running stages last."""

    site: Site
    levels: tuple[Level, ...]

    def levels_for(self, runner: bool) -> tuple[Level, ...]:
        """Return the levels a user follows: non-runners stop before the running stages."""
        return self.levels if runner else tuple(lv for lv in self.levels if not lv.running)

    def level(self, level_id: str) -> Level:
        """Return the level with this id, or raise KeyError."""
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KeyError(level_id)


@dataclass(frozen=True)
class ExerciseBook:
    """Every exercise and every programme, as loaded and checked at start."""

    exercises: tuple[Exercise, ...]
    programmes: Mapping[Site, Programme] = field(hash=False)
    sources: Mapping[str, Source] = field(hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "programmes", MappingProxyType(dict(self.programmes)))
        object.__setattr__(self, "sources", MappingProxyType(dict(self.sources)))

    def programme(self, site: Site) -> Programme:
        """Return the programme for this site: never another site's."""
        return self.programmes[site]

    def exercise(self, exercise_id: str) -> Exercise:
        """Return the exercise with this id, or raise KeyError."""
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise KeyError(exercise_id)
