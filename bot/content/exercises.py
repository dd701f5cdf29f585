"""Load `exercises.yaml` into an ExerciseBook, checking the whole file and reporting every problem.

Beyond the shape of each field (`exercise_fields.py`) it checks what keeps a user safe: every
dose lies within what its source gives, every exercise has a picture and both languages, each
programme starts with a level that loads nothing, the insertional Achilles programme never takes
the heel below the forefoot and has no stretches, the Achilles programmes load only after the
everyday-activities question, and the running stages start only after the walking question.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.content.exercise_fields import FieldChecks, kind_of
from bot.content.yamlfile import ContentError, PathKey, Problem, YamlDoc, read_yaml
from bot.core.exercises import (
    LANGUAGES,
    Advance,
    Exercise,
    ExerciseBook,
    ExerciseText,
    Gate,
    Kind,
    Level,
    LevelText,
    Picture,
    Prescription,
    Programme,
    Site,
    Source,
)

DEFAULT_EXERCISES_PATH = Path(__file__).parent / "exercises.yaml"

_TOP = ("sources", "exercises", "running", "programmes")
_EXERCISE_KEYS = (
    "id",
    "kind",
    "picture",
    "source",
    "dose_source",
    "feel_source",
    "stop_source",
    "heel_below_forefoot",
    "cold",
    "allowed",
    "text",
)
_EXERCISE_REQUIRED = tuple(k for k in _EXERCISE_KEYS if k not in ("heel_below_forefoot", "cold"))
_EXERCISE_SOURCES = ("source", "dose_source", "feel_source", "stop_source")
_LEVEL_KEYS = ("id", "min_days", "advance", "requires", "sources", "text", "do")
_STAGE_KEYS = ("stage", *(k for k in _LEVEL_KEYS if k != "id"))
_PROGRAMME_KEYS = ("site", "keep_while_running", "levels")
# Kingston: strengthen an Achilles tendon only once everyday activities are pain-free.
_ACHILLES = (Site.ACHILLES_MIDPORTION, Site.ACHILLES_INSERTIONAL)


class _Loader(FieldChecks):
    """Walk the file top-down, building what is valid and recording every problem."""

    def __init__(self, doc: YamlDoc) -> None:
        super().__init__(doc)
        self.sources: dict[str, Source] = {}
        self.exercises: dict[str, Exercise] = {}
        self.used: set[str] = set()
        self.named: set[str] = set()  # every exercise id written, valid or not
        self.broken_sources: set[str] = set()  # reported once where they are registered
        self.level_ids: dict[str, int] = {}

    def load(self) -> ExerciseBook | None:
        data = self.doc.data
        if not self.mapping((), data, "the file", _TOP):
            return None
        self.required((), data, "the file", _TOP)
        for source_id, entry in (data.get("sources") or {}).items():
            source = self.source_entry(("sources", str(source_id)), source_id, entry)
            if source is not None:
                self.sources[source.id] = source
            else:
                self.broken_sources.add(str(source_id))
        for index, item in enumerate(self._list(("exercises",), data.get("exercises"))):
            exercise = self.exercise(("exercises", index), item)
            if exercise is not None:
                self.exercises[exercise.id] = exercise
        stages = [
            stage
            for index, item in enumerate(self._list(("running",), data.get("running")))
            if (stage := self.level(("running", index), item, stage=index + 1)) is not None
        ]
        self.first_stage_needs_walking(stages)
        programmes: dict[Site, Programme] = {}
        for index, item in enumerate(self._list(("programmes",), data.get("programmes"))):
            programme = self.programme(("programmes", index), item, stages)
            if programme is not None:
                if programme.site in programmes:
                    self.report(
                        ("programmes", index, "site"), f"second programme for {programme.site}"
                    )
                programmes[programme.site] = programme
        for site in Site:
            if site not in programmes and not self.problems:
                self.report(("programmes",), f"no programme for {site.value}")
        for exercise_id in sorted(set(self.exercises) - self.used):
            self.report(("exercises",), f"exercise {exercise_id!r} is in no programme")
        if self.problems:
            return None
        return ExerciseBook(tuple(self.exercises.values()), programmes, self.sources)

    def cite(self, path: PathKey, value: Any) -> Source | None:
        """Return the registered source value names; one already reported broken says nothing."""
        if value in self.broken_sources:
            return None
        return self.source(path, value, self.sources)

    def _list(self, path: PathKey, value: Any) -> list[Any]:
        if not isinstance(value, list):
            self.report(path, f"{path[-1]} must be a list, got {kind_of(value)}")
            return []
        return value

    def exercise(self, path: PathKey, item: Any) -> Exercise | None:
        if not self.mapping(path, item, "an exercise", _EXERCISE_KEYS):
            return None
        before = len(self.problems)
        self.required(
            path, item, f"exercise {item.get('id', '#' + str(path[-1]))}", _EXERCISE_REQUIRED
        )
        exercise_id = self.slug((*path, "id"), item.get("id"), "id")
        if exercise_id is not None:
            # Reported here once; the levels that prescribe it then say nothing more about it.
            self.named.add(exercise_id)
        if exercise_id in self.exercises:
            self.report((*path, "id"), f"duplicate exercise id {exercise_id!r}")
        kind = (
            self.member((*path, "kind"), item.get("kind"), Kind, "kind") if "kind" in item else None
        )
        picture = None
        if "picture" in item:
            picture = self.member((*path, "picture"), item["picture"], Picture, "picture")
        sources = {
            key: self.cite((*path, key), item[key]) for key in _EXERCISE_SOURCES if key in item
        }
        allowed = self.allowed((*path, "allowed"), item["allowed"]) if "allowed" in item else None
        texts: dict[str, ExerciseText] = {}
        for lang, body in self.languages((*path, "text"), item.get("text"), "text").items():
            text = self.exercise_text((*path, "text", lang), lang, body)
            if text is not None:
                texts[lang] = text
        below = self.flag(
            (*path, "heel_below_forefoot"), item.get("heel_below_forefoot"), "heel_below_forefoot"
        )
        cold = self.flag((*path, "cold"), item.get("cold"), "cold")
        if len(self.problems) > before:
            return None
        if exercise_id is None or kind is None or picture is None or allowed is None:
            return None
        source, dose_source, feel_source, stop_source = (sources[k] for k in _EXERCISE_SOURCES)
        if source is None or dose_source is None or feel_source is None or stop_source is None:
            return None
        return Exercise(
            exercise_id,
            kind,
            picture,
            source,
            dose_source,
            feel_source,
            stop_source,
            allowed,
            texts,
            heel_below_forefoot=below,
            cold=cold,
        )

    def level(self, path: PathKey, item: Any, *, stage: int | None = None) -> Level | None:
        """Check one level, or one running stage (its id is made per programme later)."""
        keys = _LEVEL_KEYS if stage is None else _STAGE_KEYS
        if not self.mapping(path, item, "a level", keys):
            return None
        before = len(self.problems)
        self.required(path, item, "the level", tuple(k for k in keys if k != "requires"))
        if stage is None:
            level_id = self.slug((*path, "id"), item.get("id"), "id")
            if level_id is not None and level_id in self.level_ids:
                self.report((*path, "id"), f"duplicate level id {level_id!r}")
        else:
            level_id = f"run-{stage}"
            if item.get("stage") != stage:
                self.report((*path, "stage"), f"stages are numbered in order: this is {stage}")
        days, days_source = self.min_days((*path, "min_days"), item.get("min_days"))
        advance = self.member((*path, "advance"), item.get("advance"), Advance, "advance")
        requires = self._gates((*path, "requires"), item.get("requires", []))
        sources = [
            self.cite((*path, "sources", i), s)
            for i, s in enumerate(self._list((*path, "sources"), item.get("sources")))
        ]
        texts: dict[str, LevelText] = {}
        for lang, body in self.languages((*path, "text"), item.get("text"), "text").items():
            text = self.level_text((*path, "text", lang), lang, body)
            if text is not None:
                texts[lang] = text
        prescriptions = self.prescriptions((*path, "do"), item.get("do"))
        if len(self.problems) > before or level_id is None or days is None or advance is None:
            return None
        if stage is None:
            self.level_ids[level_id] = self.doc.line((*path, "id"))
        return Level(
            level_id,
            prescriptions,
            days,
            days_source,
            advance,
            requires,
            running=stage is not None,
            sources=tuple(s for s in sources if s is not None),
            texts=texts,
        )

    def min_days(self, path: PathKey, value: Any) -> tuple[int | None, Source | None]:
        """Return the earliest day to move on and its source; None for FootCare's own number."""
        if not self.mapping(path, value, "min_days", ("days", "source", "own")):
            return None, None
        days = self.whole((*path, "days"), value.get("days"), "min_days.days", least=1)
        if ("source" in value) == ("own" in value):
            self.report(path, "min_days needs either a source or `own:` with FootCare's reason")
            return None, None
        if "own" in value:
            self.text((*path, "own"), value["own"], "min_days.own")
            return days, None
        return days, self.cite((*path, "source"), value["source"])

    def _gates(self, path: PathKey, value: Any) -> tuple[Gate, ...]:
        gates = [
            self.member((*path, i), g, Gate, "gate") for i, g in enumerate(self._list(path, value))
        ]
        return tuple(g for g in gates if g is not None)

    def prescriptions(self, path: PathKey, value: Any) -> tuple[Prescription, ...]:
        found: list[Prescription] = []
        for index, item in enumerate(self._list(path, value)):
            where = (*path, index)
            if not self.mapping(where, item, "a prescription", ("exercise", "dose")):
                continue
            self.required(where, item, "the prescription", ("exercise", "dose"))
            exercise = self.exercises.get(item.get("exercise"))
            if exercise is None:
                if item.get("exercise") not in self.named:
                    self.report((*where, "exercise"), f"unknown exercise {item.get('exercise')!r}")
                continue
            self.used.add(exercise.id)
            dose = self.dose((*where, "dose"), item.get("dose"), exercise)
            if dose is not None:
                found.append(Prescription(exercise, dose))
        return tuple(found)

    def first_stage_needs_walking(self, stages: list[Level]) -> None:
        if stages and Gate.BRISK_WALK_30 not in stages[0].requires:
            self.report(("running", 0), "the first running stage must require brisk-walk-30")

    def programme(self, path: PathKey, item: Any, stages: list[Level]) -> Programme | None:
        if not self.mapping(path, item, "a programme", _PROGRAMME_KEYS):
            return None
        self.required(path, item, "the programme", _PROGRAMME_KEYS)
        site = self.member((*path, "site"), item.get("site"), Site, "site")
        items = self._list((*path, "levels"), item.get("levels"))
        levels = [self.level((*path, "levels", i), level) for i, level in enumerate(items)]
        if site is None or None in levels or not levels:
            return None
        built = [level for level in levels if level is not None]
        self.site_rules(path, site, built)
        keep = next((lv for lv in built if lv.id == item.get("keep_while_running")), None)
        if keep is None:
            self.report((*path, "keep_while_running"), "keep_while_running must name a level above")
            return None
        running = tuple(_running_level(site, stage, keep) for stage in stages)
        return Programme(site, (*built, *running))

    def site_rules(self, path: PathKey, site: Site, levels: list[Level]) -> None:
        """Check what the right programme for this site must and must not contain."""
        where = (*path, "levels")
        if levels[0].loads:
            self.report((*where, 0), "the first level must load nothing: a gentle start")
        for index, level in enumerate(levels):
            for p in level.prescriptions:
                if site is not Site.ACHILLES_INSERTIONAL:
                    continue
                # Jonsson: no loading below floor level; UHDB: stretches irritate the insertion.
                if p.exercise.heel_below_forefoot:
                    message = f"{p.exercise.id} takes the heel below the forefoot"
                    self.report((*where, index), f"{message}: not for insertional pain")
                if p.exercise.kind is Kind.STRETCH:
                    message = f"{p.exercise.id} is a stretch: not for insertional pain"
                    self.report((*where, index), message)
        first = next((i for i, lv in enumerate(levels) if lv.loads), None)
        if (
            site in _ACHILLES
            and first is not None
            and Gate.EVERYDAY_PAIN_FREE not in levels[first].requires
        ):
            message = "the first Achilles level that loads must require everyday-pain-free"
            self.report((*where, first), message)


def _running_level(site: Site, stage: Level, keep: Level) -> Level:
    """Return a running stage for one programme: its task, then the kept level's exercises."""
    kept = tuple(p for p in keep.prescriptions if p not in stage.prescriptions)
    return Level(
        f"{site.value}-{stage.id}",
        (*stage.prescriptions, *kept),
        stage.min_days,
        stage.min_days_source,
        stage.advance,
        stage.requires,
        running=True,
        sources=stage.sources,
        texts=stage.texts,
    )


def load_exercises(path: Path | None = None) -> ExerciseBook:
    """Load and check the exercises file (the packaged one by default), or raise ContentError."""
    path = path or DEFAULT_EXERCISES_PATH
    doc = read_yaml(path, display_name=_display(path))
    loader = _Loader(doc)
    book = loader.load()
    if book is None:
        problems = loader.problems or [Problem(doc.file, 1, "no exercises found")]
        raise ContentError(problems)
    return book


def _display(path: Path) -> str:
    """Name the file relative to the working directory when it is below it, for short lines."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def check_report(path: Path | None = None) -> tuple[int, str]:
    """Check the exercises file; return an exit code and a report to print."""
    shown = _display(path or DEFAULT_EXERCISES_PATH)
    try:
        book = load_exercises(path)
    except ContentError as exc:
        count = len(exc.problems)
        lines = [str(problem) for problem in exc.problems]
        lines.append(f"{count} problem{'' if count == 1 else 's'} found in {shown}")
        return 1, "\n".join(lines)
    levels = sum(len(p.levels) for p in book.programmes.values())
    languages = " and ".join(LANGUAGES)
    return 0, (
        f"OK: {len(book.exercises)} exercises in {len(book.programmes)} programmes "
        f"({levels} levels), each with a picture, sources and text in {languages}, "
        "every dose within its source"
    )
