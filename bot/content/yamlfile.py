"""Read a YAML file safely and remember the line of every node, for file:line error reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PathKey = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a content file, reported as `file:line: message`."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ContentError(Exception):
    """Raised when a content file (tips, rules) is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class YamlDoc:
    """A parsed YAML document and the 1-based line where each path inside it starts."""

    file: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line(self, path: PathKey) -> int:
        """Return the line of the node at path, or of its nearest ancestor."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def problem(self, path: PathKey, message: str) -> Problem:
        """Build a Problem located at path."""
        return Problem(self.file, self.line(path), message)


def _index(node: yaml.Node, path: PathKey, lines: dict[PathKey, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _index(value_node, (*path, key), lines)
            # A key's own line is more useful than its value's for "unknown key" reports.
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*path, i), lines)


def read_yaml(path: Path, display_name: str | None = None) -> YamlDoc:
    """Parse one YAML file with safe_load; raise ContentError with file:line on bad YAML."""
    name = display_name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError([Problem(name, 1, f"cannot read file: {exc}")]) from exc
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise ContentError([Problem(name, line, f"bad YAML: {exc.problem or exc}")]) from exc
    except yaml.YAMLError as exc:
        raise ContentError([Problem(name, 1, f"bad YAML: {exc}")]) from exc
    lines: dict[PathKey, int] = {}
    if root is not None:
        _index(root, (), lines)
    return YamlDoc(name, data, lines)
