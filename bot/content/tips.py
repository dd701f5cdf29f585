"""Load the tips folder into a TipSet, checking the whole set and reporting every problem."""

from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from bot.content.yamlfile import ContentError, PathKey, Problem, YamlDoc, read_yaml
from bot.core.tips import COLD_TAG, LOADING, NO_DIABETES_TAG, PainRange, Source, Tip, TipSet

MAX_TIP_CHARS = 400
LANGUAGES = ("en", "zh")
PAIN_MIN, PAIN_MAX = 0, 10

_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_KEYS = ("id", "topic", "tags", "suits", "text", "source")
_REQUIRED = ("id", "topic", "tags", "text", "source")
_SUITS_KEYS = ("min", "max")
_SOURCE_KEYS = ("title", "url")
# The older one-line form, `source: "Title - https://..."`, still loads.
_SOURCE_LINE = re.compile(r"(?P<title>.+?)\s+-\s+(?P<url>\S+)")
_NO_URL = "source has no URL: give it as {title: ..., url: https://...}"
# A directory has no lines; 0 keeps `file:line` parseable while saying so.
_NO_LINE = 0
# CJK Unified Ideographs: a Simplified Chinese text has at least one.
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


def _is_int(value: Any) -> bool:
    # bool is an int subclass, but `min: true` is a mistake, not a pain score.
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    """Collect problems across all files while building the tips that are valid."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.tips: list[Tip] = []
        # id -> (file, line) of its first occurrence, for duplicate reports.
        self.first_seen: dict[str, tuple[str, int]] = {}

    def report(self, doc: YamlDoc, path: PathKey, message: str) -> None:
        self.problems.append(doc.problem(path, message))

    def check_file(self, doc: YamlDoc) -> None:
        if not isinstance(doc.data, list):
            self.report(doc, (), f"top level must be a list of tips, got {_kind(doc.data)}")
            return
        for index, item in enumerate(doc.data):
            tip = self.check_tip(doc, index, item)
            if tip is not None:
                self.tips.append(tip)

    def check_tip(self, doc: YamlDoc, index: int, item: Any) -> Tip | None:
        path: PathKey = (index,)
        if not isinstance(item, dict):
            self.report(doc, path, f"tip #{index + 1} must be a mapping, got {_kind(item)}")
            return None
        before = len(self.problems)
        for key in item:
            if str(key) not in _KEYS:
                allowed = ", ".join(_KEYS)
                self.report(doc, (*path, str(key)), f"unknown key {key!r} (allowed: {allowed})")
        for key in _REQUIRED:
            if key not in item:
                self.report(doc, path, f"tip #{index + 1} is missing {key!r}")
        tip_id = self.check_id(doc, path, item.get("id"))
        topic = self.check_string(doc, (*path, "topic"), "topic", item.get("topic"))
        source = self.check_source(doc, (*path, "source"), item.get("source"))
        tags = self.check_tags(doc, (*path, "tags"), item.get("tags"))
        text = self.check_text(doc, (*path, "text"), item.get("text"))
        suits = self.check_suits(doc, (*path, "suits"), item.get("suits"))
        if suits is None and "suits" not in item:
            self.check_loading_has_range(doc, path, topic, tags)
        if len(self.problems) > before:
            return None
        # The checks above guarantee these; the test narrows the types without a cast.
        if tip_id is None or topic is None or source is None or tags is None or text is None:
            return None
        return Tip(tip_id, topic, MappingProxyType(text), tags, source, suits)

    def check_id(self, doc: YamlDoc, path: PathKey, value: Any) -> str | None:
        where = (*path, "id")
        tip_id = self.check_string(doc, where, "id", value)
        if tip_id is None:
            return None
        if not _SLUG.fullmatch(tip_id):
            self.report(doc, where, f"id {tip_id!r} is not a slug (lowercase-words-with-dashes)")
            return None
        first = self.first_seen.get(tip_id)
        if first is not None:
            file, line = first
            self.report(doc, where, f"duplicate id {tip_id!r} (first at {file}:{line})")
            return None
        self.first_seen[tip_id] = (doc.file, doc.line(where))
        return tip_id

    # A LOADING tip (bot.core.tips) must say which pain it is for: without a range it would
    # reach a user at 9/10.
    def check_loading_has_range(
        self, doc: YamlDoc, path: PathKey, topic: str | None, tags: tuple[str, ...] | None
    ) -> None:
        labels = [topic] if topic in LOADING else []
        labels += [tag for tag in tags or () if tag in LOADING and tag not in labels]
        if labels:
            named = ", ".join(repr(label) for label in labels)
            hint = "add e.g. suits: {min: 0, max: 3}"
            self.report(doc, path, f"loading tip ({named}) has no suits range: {hint}")

    def check_source(self, doc: YamlDoc, path: PathKey, value: Any) -> Source | None:
        if isinstance(value, str):
            line = self.check_string(doc, path, "source", value)
            if line is None:
                return None
            match = _SOURCE_LINE.fullmatch(line)
            if match is None or not _is_url(match["url"]):
                self.report(doc, path, _NO_URL)
                return None
            return Source(match["title"], match["url"])
        if value is None:
            if path in doc.lines:
                self.report(doc, path, "source must not be empty")
            return None
        if not isinstance(value, dict):
            self.report(doc, path, f"source must be a mapping {{title, url}}, got {_kind(value)}")
            return None
        ok = True
        for key in value:
            if key not in _SOURCE_KEYS:
                message = f"unknown key {key!r} in source (allowed: title, url)"
                self.report(doc, (*path, str(key)), message)
                ok = False
        title = self.check_string(doc, (*path, "title"), "source.title", value.get("title"))
        if title is None and "title" not in value:
            self.report(doc, path, "source is missing 'title'")
        url = value.get("url")
        if url is None:
            self.report(doc, path if "url" not in value else (*path, "url"), _NO_URL)
            return None
        if not isinstance(url, str) or not _is_url(url.strip()):
            self.report(doc, (*path, "url"), f"source.url must be an http(s) address, got {url!r}")
            return None
        if not ok or title is None:
            return None
        return Source(title, url.strip())

    def check_string(self, doc: YamlDoc, path: PathKey, name: str, value: Any) -> str | None:
        if value is None:
            if path in doc.lines:
                # The key is there but its value is empty (`topic:`).
                self.report(doc, path, f"{name} must not be empty")
            return None
        if not isinstance(value, str):
            self.report(doc, path, f"{name} must be a string, got {_kind(value)}")
            return None
        if not value.strip():
            self.report(doc, path, f"{name} must not be empty")
            return None
        return value.strip()

    def check_tags(self, doc: YamlDoc, path: PathKey, value: Any) -> tuple[str, ...] | None:
        if value is None:
            if path in doc.lines:
                self.report(doc, path, "tags must be a list of strings, got nothing")
            return None
        if not isinstance(value, list):
            self.report(doc, path, f"tags must be a list of strings, got {_kind(value)}")
            return None
        tags: list[str] = []
        for i, tag in enumerate(value):
            if not isinstance(tag, str) or not tag.strip():
                self.report(doc, (*path, i), f"tag #{i + 1} must be a non-empty string")
            else:
                tags.append(tag.strip())
        return tuple(tags)

    def check_text(self, doc: YamlDoc, path: PathKey, value: Any) -> dict[str, str] | None:
        if value is None:
            if path in doc.lines:
                self.report(doc, path, "text must be a mapping of language to text, got nothing")
            return None
        if not isinstance(value, dict):
            message = f"text must be a mapping of language to text, got {_kind(value)}"
            self.report(doc, path, message)
            return None
        texts: dict[str, str] = {}
        for lang, body in value.items():
            where = (*path, str(lang))
            if lang not in LANGUAGES:
                allowed = ", ".join(LANGUAGES)
                self.report(doc, where, f"unknown language {lang!r} (allowed: {allowed})")
                continue
            checked = self.check_translation(doc, where, lang, body)
            if checked is not None:
                texts[lang] = checked
        # Every tip ships in every language: a missing one would reach its readers in English.
        for lang in LANGUAGES:
            if lang not in value:
                self.report(doc, path, f"text is missing {lang!r}")
        return texts

    def check_translation(self, doc: YamlDoc, where: PathKey, lang: str, body: Any) -> str | None:
        if body is not None and not isinstance(body, str):
            self.report(doc, where, f"text.{lang} must be text, got {_kind(body)}")
            return None
        # `zh:` with nothing after it, `zh: ""` and `zh: "  "` are all a missing translation.
        if body is None or not body.strip():
            self.report(doc, where, f"text.{lang} must not be empty")
            return None
        # Folded scalars (`>`) keep a trailing newline the user never sees; count without.
        body = body.strip()
        if len(body) > MAX_TIP_CHARS:
            self.report(doc, where, f"text.{lang} is {len(body)} characters, over {MAX_TIP_CHARS}")
            return None
        if lang == "zh" and not _HAN.search(body):
            # English pasted in as a placeholder would pass every other check.
            self.report(doc, where, "text.zh has no Chinese characters: is it translated?")
            return None
        return body

    def check_suits(self, doc: YamlDoc, path: PathKey, value: Any) -> PainRange | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.report(doc, path, f"suits must be a mapping {{min, max}}, got {_kind(value)}")
            return None
        ok = True
        for key in value:
            if key not in _SUITS_KEYS:
                message = f"unknown key {key!r} in suits (allowed: min, max)"
                self.report(doc, (*path, str(key)), message)
                ok = False
        for key in _SUITS_KEYS:
            if key not in value:
                self.report(doc, path, f"suits is missing {key!r}")
                ok = False
            elif not _is_int(value[key]) or not PAIN_MIN <= value[key] <= PAIN_MAX:
                message = f"suits.{key} must be a whole number {PAIN_MIN}-{PAIN_MAX}"
                self.report(doc, (*path, key), f"{message}, got {value[key]!r}")
                ok = False
        if not ok:
            return None
        if value["min"] > value["max"]:
            self.report(doc, path, f"suits.min {value['min']} is above suits.max {value['max']}")
            return None
        return PainRange(value["min"], value["max"])


def _is_url(text: str) -> bool:
    parts = urlsplit(text)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and not any(ch.isspace() for ch in text)
    )


def _directory_problem(directory: Path, message: str) -> ContentError:
    return ContentError([Problem(str(directory), _NO_LINE, message)])


def load_tips(directory: Path) -> TipSet:
    """Load every *.yaml in directory, or raise ContentError listing every problem."""
    if not directory.is_dir():
        raise _directory_problem(directory, "not a directory")
    checker = _Checker()
    for path in sorted(directory.glob("*.yml")):
        # A silently skipped file would drop tips without anyone noticing.
        checker.problems.append(
            Problem(str(directory / path.name), 1, "ignored: tip files must end in .yaml")
        )
    files = sorted(p for p in directory.glob("*.yaml") if p.is_file())
    if not files:
        raise _directory_problem(directory, "no *.yaml tip files found")
    for path in files:
        try:
            doc = read_yaml(path, display_name=str(directory / path.name))
        except ContentError as exc:
            checker.problems.extend(exc.problems)
            continue
        checker.check_file(doc)
    if not checker.tips and not checker.problems:
        checker.problems.append(Problem(str(directory), _NO_LINE, "no tips found"))
    elif checker.tips and not any(_fits_everyone(tip) for tip in checker.tips):
        # Without one, a user in pain (or with diabetes) could be left with nothing to send.
        message = (
            "no tip fits everyone: at least one needs no suits range"
            f" and no {COLD_TAG!r} or {NO_DIABETES_TAG!r} tag"
        )
        checker.problems.append(Problem(str(directory), _NO_LINE, message))
    if checker.problems:
        raise ContentError(checker.problems)
    return TipSet(tuple(checker.tips))


def _fits_everyone(tip: Tip) -> bool:
    # Loading tips always have a range (checked above), so no range means not loading.
    return tip.suits is None and not tip.only_without_diabetes


def check_report(directory: Path) -> tuple[int, str]:
    """Check the tips folder; return an exit code and a report to print."""
    try:
        tips = load_tips(directory)
    except ContentError as exc:
        count = len(exc.problems)
        lines = [str(problem) for problem in exc.problems]
        lines.append(f"{count} problem{'' if count == 1 else 's'} found in {directory}")
        return 1, "\n".join(lines)
    languages = " and ".join(LANGUAGES)
    summary = f"{len(tips)} tips in {len(tips.topics())} topics"
    return 0, f"OK: {summary}, all with a source URL and text in {languages}"
