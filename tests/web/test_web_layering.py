"""The web adapter's place: it shows what the sharing feature gives and never touches Telegram
or SQL itself."""

from __future__ import annotations

import ast
from pathlib import Path

import bot

WEB = Path(bot.__file__).parent / "web"


def _imports() -> set[str]:
    found: set[str] = set()
    for path in WEB.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_web_adapter_imports_no_telegram_and_no_storage() -> None:
    imported = _imports()
    forbidden = ("telegram", "bot.telegram", "bot.store", "sqlite3", "aiosqlite", "bot.runtime")
    assert not [m for m in imported if m.startswith(forbidden)]
    assert "bot.features.sharing.Sharing" in imported
