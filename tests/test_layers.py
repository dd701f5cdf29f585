"""Package layering: a pure core, features free of Telegram, no cycle between packages."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import bot

PACKAGE = Path(bot.__file__).parent


def _imports(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            if node.module == "bot":  # from bot import charts
                yield from (f"bot.{alias.name}" for alias in node.names)


def _part(module: str) -> str | None:
    """Return the bot package (or top-level module) an import names, e.g. 'store'."""
    parts = module.split(".")
    return parts[1] if parts[0] == "bot" and len(parts) > 1 else None


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        source = relative.parts[0].removesuffix(".py")
        targets = graph.setdefault(source, set())
        targets.update(p for m in _imports(path) if (p := _part(m)) and p != source)
    return graph


def _external(package: str) -> set[str]:
    return {m.split(".")[0] for p in (PACKAGE / package).rglob("*.py") for m in _imports(p)}


def test_no_cycle_between_packages() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_telegram_adapter_does_not_import_delivery() -> None:
    assert "delivery" not in _graph()["telegram"]


@pytest.mark.parametrize("package", ["core", "features"])
def test_core_and_features_never_import_telegram(package: str) -> None:
    assert not {"telegram", "aiohttp"} & _external(package)


def test_core_touches_no_storage() -> None:
    assert not {"sqlite3", "aiosqlite"} & _external("core")
    assert not {"store", "telegram", "delivery", "features"} & _graph()["core"]


EXERCISE_LOGIC = sorted((PACKAGE / "features" / "exercises").glob("*.py"))


@pytest.mark.parametrize("path", EXERCISE_LOGIC, ids=lambda p: p.name)
def test_exercise_logic_is_pure(path: Path) -> None:
    """The programme's logic reads no Telegram, no SQLite, no store and no clock: dates come in."""
    imported = set(_imports(path))
    assert not {"telegram", "aiohttp", "sqlite3", "aiosqlite"} & {m.split(".")[0] for m in imported}
    assert not {"store", "telegram", "delivery", "clock", "charts"} & {_part(m) for m in imported}
    calls = {
        node.func.attr
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }
    assert not {"now", "today", "utcnow", "time"} & calls
