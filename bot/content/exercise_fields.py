"""Field checks for the exercises file: texts, sources, dose ranges and doses, as `file:line`.

`bot/content/exercises.py` walks the file; this module checks one value at a time and records
every problem instead of stopping at the first, so one run of `exercises check` lists them all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar
from urllib.parse import urlsplit

from bot.content.yamlfile import PathKey, Problem, YamlDoc
from bot.core.exercises import (
    LANGUAGES,
    Allowed,
    Dose,
    Exercise,
    ExerciseText,
    Legs,
    LevelText,
    Schedule,
    Source,
    Span,
    Tempo,
)

MAX_NAME_CHARS = 60
MAX_LINE_CHARS = 300  # one step, what it should feel like, when to stop, what a level is for
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
HAN = re.compile(r"[\u4e00-\u9fff]")
# "Doctor" is reserved for escalations (docs/CLINICAL-SAFETY.md H12); 大夫 and 医师 say the same.
RESERVED_EN = re.compile(r"\bdoctors?\b", re.IGNORECASE)
RESERVED_ZH = ("医生", "大夫", "医师", "就医")
SPAN_KEYS = ("sets", "reps", "hold_s", "minutes", "per_day")
_ALLOWED_KEYS = (*SPAN_KEYS, "schedules", "tempo", "legs", "backpack")
_DOSE_KEYS = (*SPAN_KEYS, "schedule", "rm", "tempo", "legs", "backpack")
_TEMPO_KEYS = ("up", "hold", "down")

E = TypeVar("E", bound=StrEnum)


def kind_of(value: Any) -> str:
    """Name a YAML value's type the way a content author reads it."""
    return "nothing" if value is None else type(value).__name__


def is_int(value: Any) -> bool:
    """Say whether value is a whole number (YAML's `true` is not one)."""
    return isinstance(value, int) and not isinstance(value, bool)


class FieldChecks:
    """Check single values of one file, collecting every problem with its line."""

    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def report(self, path: PathKey, message: str) -> None:
        """Record one problem at the line of path."""
        self.problems.append(self.doc.problem(path, message))

    def mapping(self, path: PathKey, value: Any, name: str, keys: tuple[str, ...]) -> bool:
        """Check value is a mapping whose keys are all among keys; report and say whether."""
        if not isinstance(value, dict):
            self.report(path, f"{name} must be a mapping, got {kind_of(value)}")
            return False
        for key in value:
            if str(key) not in keys:
                self.report((*path, str(key)), f"unknown key {key!r} in {name} ({', '.join(keys)})")
        return True

    def required(
        self, path: PathKey, value: dict[str, Any], name: str, keys: tuple[str, ...]
    ) -> None:
        """Report each of keys missing from value."""
        for key in keys:
            if key not in value:
                self.report(path, f"{name} has no {key!r}")

    def text(self, path: PathKey, value: Any, name: str, limit: int = MAX_LINE_CHARS) -> str | None:
        """Return value as stripped, non-empty text no longer than limit, or report why not."""
        if not isinstance(value, str) or not value.strip():
            self.report(path, f"{name} must be non-empty text, got {kind_of(value)}")
            return None
        text = " ".join(value.split())
        if len(text) > limit:
            self.report(path, f"{name} is {len(text)} characters, over {limit}")
            return None
        return text

    def slug(self, path: PathKey, value: Any, name: str) -> str | None:
        """Return value if it is a slug (lowercase-words-with-dashes), or report."""
        if not isinstance(value, str) or not SLUG.fullmatch(value):
            self.report(path, f"{name} {value!r} is not a slug (lowercase-words-with-dashes)")
            return None
        return value

    def member(self, path: PathKey, value: Any, enum: type[E], name: str) -> E | None:
        """Return the enum member whose value is value, or report the allowed values."""
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            self.report(path, f"{name} {value!r} is not one of: {allowed}")
            return None

    def flag(self, path: PathKey, value: Any, name: str) -> bool:
        """Return a yes/no value (absent is no), or report a value that is neither."""
        if value is None:
            return False
        if not isinstance(value, bool):
            self.report(path, f"{name} must be true or false, got {value!r}")
            return False
        return value

    def whole(self, path: PathKey, value: Any, name: str, least: int = 0) -> int | None:
        """Return value if it is a whole number of at least least, or report."""
        if not is_int(value) or value < least:
            self.report(path, f"{name} must be a whole number, at least {least}, got {value!r}")
            return None
        return int(value)

    def source(self, path: PathKey, value: Any, sources: Mapping[str, Source]) -> Source | None:
        """Return the registered source value names, or report an unknown or missing one."""
        if value not in sources:
            known = ", ".join(sorted(sources))
            self.report(path, f"source {value!r} is not in `sources` ({known})")
            return None
        return sources[value]

    def source_entry(self, path: PathKey, source_id: Any, value: Any) -> Source | None:
        """Check one entry of the `sources` registry: a slug, a title and an https URL."""
        slug = self.slug(path, source_id, "source id")
        if not self.mapping(path, value, "a source", ("title", "url")):
            return None
        self.required(path, value, "the source", ("title", "url"))
        title = (
            self.text((*path, "title"), value.get("title"), "title") if "title" in value else None
        )
        url = value.get("url")
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme != "https" or not parts.netloc or " " in str(url):
            self.report((*path, "url"), f"url must be an https:// address, got {url!r}")
            return None
        if slug is None or title is None:
            return None
        return Source(slug, title, str(url))

    def reserved(self, path: PathKey, lang: str, text: str) -> bool:
        """Report a routine text that says the word kept for escalations; say whether clean."""
        if lang == "en" and RESERVED_EN.search(text):
            self.report(path, "'doctor' is kept for escalations: say who else to ask")
            return False
        if lang == "zh":
            for word in RESERVED_ZH:
                if word in text:
                    self.report(path, f"{word} is kept for escalations: say who else to ask")
                    return False
            if not HAN.search(text):
                self.report(path, "Chinese text has no Chinese characters: is it translated?")
                return False
        return True

    def languages(self, path: PathKey, value: Any, name: str) -> dict[str, Any]:
        """Return the per-language mappings of value, reporting missing or unknown languages."""
        if not self.mapping(path, value, name, LANGUAGES):
            return {}
        for lang in LANGUAGES:
            if lang not in value:
                self.report(path, f"{name} has no {lang!r}: every text ships in every language")
        return {lang: body for lang, body in value.items() if lang in LANGUAGES}

    def exercise_text(self, path: PathKey, lang: str, value: Any) -> ExerciseText | None:
        """Check one language's name, numbered steps, how it should feel and when to stop."""
        keys = ("name", "steps", "feel", "stop")
        if not self.mapping(path, value, f"text.{lang}", keys):
            return None
        self.required(path, value, f"text.{lang}", keys)
        name = self._line(path, lang, value, "name", MAX_NAME_CHARS)
        feel = self._line(path, lang, value, "feel")
        stop = self._line(path, lang, value, "stop")
        steps_value = value.get("steps")
        steps: list[str] = []
        if not isinstance(steps_value, list) or not steps_value:
            self.report((*path, "steps"), f"text.{lang}.steps must be a list of numbered steps")
        else:
            for i, step in enumerate(steps_value):
                checked = self.text((*path, "steps", i), step, f"step {i + 1}")
                if checked is not None and self.reserved((*path, "steps", i), lang, checked):
                    steps.append(checked)
        if name is None or feel is None or stop is None or len(steps) != len(steps_value or ()):
            return None
        return ExerciseText(name, tuple(steps), feel, stop)

    def level_text(self, path: PathKey, lang: str, value: Any) -> LevelText | None:
        """Check one language's level name and what the level is for."""
        if not self.mapping(path, value, f"text.{lang}", ("name", "about")):
            return None
        self.required(path, value, f"text.{lang}", ("name", "about"))
        name = self._line(path, lang, value, "name", MAX_NAME_CHARS)
        about = self._line(path, lang, value, "about", 2 * MAX_LINE_CHARS)
        return None if name is None or about is None else LevelText(name, about)

    def _line(
        self, path: PathKey, lang: str, value: dict[str, Any], key: str, limit: int = MAX_LINE_CHARS
    ) -> str | None:
        if key not in value:
            return None
        text = self.text((*path, key), value[key], f"text.{lang}.{key}", limit)
        if text is None or not self.reserved((*path, key), lang, text):
            return None
        return text

    def allowed(self, path: PathKey, value: Any) -> Allowed | None:
        """Check the dose ranges an exercise's source gives."""
        if not self.mapping(path, value, "allowed", _ALLOWED_KEYS):
            return None
        before = len(self.problems)
        spans: dict[str, Span] = {}
        for key in SPAN_KEYS:
            if key in value:
                span = self._span((*path, key), value[key], key)
                if span is not None:
                    spans[key] = span
        schedules = self._members((*path, "schedules"), value.get("schedules"), Schedule)
        if not schedules:
            self.report(path, "allowed has no schedules: say which days the source gives")
        legs = self._members((*path, "legs"), value.get("legs", []), Legs)
        tempo = self._tempo((*path, "tempo"), value["tempo"]) if "tempo" in value else None
        backpack = self.flag((*path, "backpack"), value.get("backpack"), "backpack")
        if len(self.problems) > before:
            return None
        return Allowed(spans, tuple(schedules), tempo, tuple(legs), backpack)

    def dose(self, path: PathKey, value: Any, exercise: Exercise) -> Dose | None:
        """Check a level's dose of an exercise against the ranges the exercise's source gives."""
        if not self.mapping(path, value, "dose", _DOSE_KEYS):
            return None
        before = len(self.problems)
        allowed = exercise.allowed
        given = exercise.dose_source.title
        schedule = self.member((*path, "schedule"), value.get("schedule"), Schedule, "schedule")
        if schedule is not None and schedule not in allowed.schedules:
            self.report((*path, "schedule"), f"schedule {schedule.value} is not what {given} gives")
        numbers: dict[str, int] = {}
        for key in SPAN_KEYS:
            numbers.update(self._dose_number(path, value, key, allowed, given))
        tempo = self._tempo((*path, "tempo"), value["tempo"]) if "tempo" in value else None
        if tempo != allowed.tempo:
            self.report(path, f"tempo must be the one {given} gives ({allowed.tempo})")
        legs = None
        if "legs" in value or allowed.legs:
            legs = self.member((*path, "legs"), value.get("legs"), Legs, "legs")
            if legs is not None and legs not in allowed.legs:
                self.report((*path, "legs"), f"legs {legs.value} is not what {given} gives")
        backpack = self.flag((*path, "backpack"), value.get("backpack"), "backpack")
        if backpack and not allowed.backpack:
            self.report((*path, "backpack"), f"{given} adds no backpack to this exercise")
        rm = self.flag((*path, "rm"), value.get("rm"), "rm")
        if rm and "reps" not in numbers:
            self.report((*path, "rm"), "rm needs reps: it says the reps are a repetition maximum")
        if len(self.problems) > before or schedule is None:
            return None
        return Dose(
            schedule,
            sets=numbers.get("sets"),
            reps=numbers.get("reps"),
            rm=rm,
            hold_s=numbers.get("hold_s"),
            minutes=numbers.get("minutes"),
            per_day=numbers.get("per_day", 1),
            tempo=tempo,
            legs=legs,
            backpack=backpack,
        )

    def _dose_number(
        self, path: PathKey, value: dict[str, Any], key: str, allowed: Allowed, given: str
    ) -> dict[str, int]:
        span = allowed.spans.get(key)
        if key not in value:
            # Once a day unless said; every other number the source gives must be prescribed.
            if span is not None and not (key == "per_day" and span.contains(1)):
                self.report(path, f"dose has no {key} ({given} gives {span.min}-{span.max})")
            return {}
        number = self.whole((*path, key), value[key], f"dose.{key}", least=1)
        if number is None:
            return {}
        if span is None:
            self.report((*path, key), f"dose.{key} is set but {given} gives no {key} for it")
            return {}
        if not span.contains(number):
            where = f"{span.min}-{span.max}" if span.min != span.max else str(span.min)
            self.report((*path, key), f"dose.{key} {number} is outside {where}, what {given} gives")
            return {}
        return {key: number}

    def _span(self, path: PathKey, value: Any, name: str) -> Span | None:
        if not self.mapping(path, value, name, ("min", "max")):
            return None
        low = self.whole((*path, "min"), value.get("min"), f"{name}.min", least=1)
        high = self.whole((*path, "max"), value.get("max"), f"{name}.max", least=1)
        if low is None or high is None:
            return None
        if low > high:
            self.report(path, f"{name}.min {low} is above {name}.max {high}")
            return None
        return Span(low, high)

    def _tempo(self, path: PathKey, value: Any) -> Tempo | None:
        if not self.mapping(path, value, "tempo", _TEMPO_KEYS):
            return None
        parts = [self.whole((*path, k), value.get(k), f"tempo.{k}", least=1) for k in _TEMPO_KEYS]
        up, hold, down = parts
        return None if up is None or hold is None or down is None else Tempo(up, hold, down)

    def _members(self, path: PathKey, value: Any, enum: type[E]) -> list[E]:
        if not isinstance(value, list):
            self.report(path, f"must be a list, got {kind_of(value)}")
            return []
        found = [self.member((*path, i), item, enum, "value") for i, item in enumerate(value)]
        return [member for member in found if member is not None]
