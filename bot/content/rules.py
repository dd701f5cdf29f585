"""Load the escalation rules file into a RulesConfig, reporting every problem as file:line."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.yamlfile import ContentError, PathKey, Problem, YamlDoc, read_yaml
from bot.core.escalation import (
    NUMBER_NAMES,
    RuleId,
    RulesConfig,
    Urgency,
    caution_problem,
    number_problem,
    urgency_problem,
)

DEFAULT_RULES_PATH = Path(__file__).parent / "escalation.yaml"

_TOP_KEYS = ("settings", "rules")
_RULE_KEYS = ("id", "urgency", "description", "source")
_RULE_IDS = tuple(rule.value for rule in RuleId)
_URGENCIES = tuple(urgency.key for urgency in sorted(Urgency, reverse=True))


@dataclass(frozen=True)
class RuleInfo:
    """One rule as the rules file describes it, for the docs, /help and reviewers."""

    id: RuleId
    urgency: Urgency
    description: str
    source: tuple[str, ...]


@dataclass(frozen=True)
class RuleBook:
    """The numbers the engine uses and the description of every rule, in file order."""

    config: RulesConfig
    rules: tuple[RuleInfo, ...]

    def info(self, rule: RuleId) -> RuleInfo:
        """Return the description of rule (the loader guarantees every rule is present)."""
        for item in self.rules:
            if item.id == rule:
                return item
        raise KeyError(rule)


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


class _Checker:
    """Walk one parsed rules file, collecting every problem rather than stopping at the first."""

    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def report(self, path: PathKey, message: str) -> None:
        self.problems.append(self.doc.problem(path, message))

    def check_keys(
        self, path: PathKey, value: Mapping[Any, Any], allowed: tuple[str, ...], what: str
    ) -> None:
        for key in value:
            if key not in allowed:
                names = ", ".join(allowed)
                self.report((*path, str(key)), f"unknown key {key!r} in {what} (allowed: {names})")
        for key in allowed:
            if key not in value:
                self.report(path, f"{what} is missing {key!r}")

    def check_top(self) -> tuple[dict[str, Any], list[RuleInfo]]:
        data = self.doc.data
        if not isinstance(data, dict):
            self.report(
                (), f"top level must be a mapping with settings and rules, got {_kind(data)}"
            )
            return {}, []
        self.check_keys((), data, _TOP_KEYS, "the rules file")
        numbers = self.check_settings(data.get("settings")) if "settings" in data else {}
        rules = self.check_rules(data.get("rules")) if "rules" in data else []
        return numbers, rules

    def check_settings(self, value: Any) -> dict[str, Any]:
        path: PathKey = ("settings",)
        if not isinstance(value, dict):
            self.report(path, f"settings must be a mapping of name to number, got {_kind(value)}")
            return {}
        self.check_keys(path, value, NUMBER_NAMES, "settings")
        numbers: dict[str, Any] = {}
        for name in NUMBER_NAMES:
            if name not in value:
                continue
            # A valid number may still be less cautious than what ships: refused as well.
            problem = number_problem(name, value[name]) or caution_problem(name, value[name])
            if problem is None:
                numbers[name] = value[name]
            else:
                self.report((*path, name), problem)
        return numbers

    def check_rules(self, value: Any) -> list[RuleInfo]:
        path: PathKey = ("rules",)
        if not isinstance(value, list):
            self.report(path, f"rules must be a list of rules, got {_kind(value)}")
            return []
        rules: list[RuleInfo] = []
        first_line: dict[str, int] = {}
        for index, item in enumerate(value):
            info = self.check_rule((*path, index), index, item)
            if info is None:
                continue
            where = self.doc.line((*path, index, "id"))
            if info.id.value in first_line:
                message = (
                    f"duplicate rule {info.id.value!r} (first at line {first_line[info.id.value]})"
                )
                self.report((*path, index, "id"), message)
                continue
            first_line[info.id.value] = where
            rules.append(info)
        for rule_id in _RULE_IDS:
            if rule_id not in first_line and not self.mentions(value, rule_id):
                self.report(path, f"rule {rule_id!r} is missing: every rule needs an entry")
        return rules

    @staticmethod
    def mentions(items: list[Any], rule_id: str) -> bool:
        # A rule that is present but broken is already reported; do not also call it missing.
        return any(isinstance(item, dict) and item.get("id") == rule_id for item in items)

    def check_rule(self, path: PathKey, index: int, item: Any) -> RuleInfo | None:
        label = f"rule #{index + 1}"
        if not isinstance(item, dict):
            self.report(path, f"{label} must be a mapping, got {_kind(item)}")
            return None
        if isinstance(item.get("id"), str):
            label = f"rule {item['id']!r}"
        before = len(self.problems)
        self.check_keys(path, item, _RULE_KEYS, label)
        rule_id = self.check_choice((*path, "id"), "id", item.get("id"), _RULE_IDS)
        urgency = self.check_choice((*path, "urgency"), "urgency", item.get("urgency"), _URGENCIES)
        description = self.check_text(
            (*path, "description"), "description", item.get("description")
        )
        source = self.check_source((*path, "source"), item.get("source"))
        if rule_id is not None and urgency is not None:
            lowered = urgency_problem(RuleId(rule_id), Urgency[urgency.upper()])
            if lowered is not None:
                self.report((*path, "urgency"), lowered)
        if len(self.problems) > before:
            return None
        # Each check returned a value if it added no problem; the test narrows without a cast.
        if rule_id is None or urgency is None or description is None or source is None:
            return None
        return RuleInfo(RuleId(rule_id), Urgency[urgency.upper()], description, source)

    def check_choice(
        self, path: PathKey, name: str, value: Any, allowed: tuple[str, ...]
    ) -> str | None:
        if value is None:
            if path in self.doc.lines:
                self.report(path, f"{name} must not be empty")
            return None
        if value not in allowed:
            self.report(path, f"unknown {name} {value!r} (allowed: {', '.join(allowed)})")
            return None
        return str(value)

    def check_text(self, path: PathKey, name: str, value: Any) -> str | None:
        if value is None:
            if path in self.doc.lines:
                self.report(path, f"{name} must not be empty")
            return None
        if not isinstance(value, str) or not value.strip():
            self.report(path, f"{name} must be non-empty text, got {value!r}")
            return None
        return " ".join(value.split())

    def check_source(self, path: PathKey, value: Any) -> tuple[str, ...] | None:
        if value is None:
            if path in self.doc.lines:
                self.report(path, "source must not be empty: every rule needs a source")
            return None
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items:
            message = f"source must be text or a list of texts, got {_kind(value)}"
            self.report(path, message)
            return None
        sources: list[str] = []
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                where = path if isinstance(value, str) else (*path, i)
                self.report(where, f"source #{i + 1} must be non-empty text, got {item!r}")
            else:
                sources.append(item.strip())
        return tuple(sources)


def load_rules(
    path: Path | None = None, *, threshold: int | None = None, days: int | None = None
) -> RuleBook:
    """Load and check the rules file, then apply the overrides; raise ContentError if invalid.

    The overrides come from settings, which keep them within what ships (bot/settings.py).
    """
    doc = read_yaml(path or DEFAULT_RULES_PATH)
    checker = _Checker(doc)
    numbers, rules = checker.check_top()
    if checker.problems:
        raise ContentError(checker.problems)
    urgency = {info.id: info.urgency for info in rules}
    config = RulesConfig(**numbers, urgency=urgency)
    # Overrides come from already-validated settings; a bad one still raises ValueError here.
    return RuleBook(config.with_overrides(threshold, days), tuple(rules))
