"""`exercises check` and what `exercises sheet` draws: the programmes validated, captioned."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from bot.content.exercises import check_report, load_exercises
from bot.core.exercises import Picture


def default_sheet_path() -> Path:
    """Return docs/exercise-pictures.png in the repository (bot/content/ is two levels down)."""
    return Path(__file__).resolve().parents[2] / "docs" / "exercise-pictures.png"


def check(path: Path | None, out: TextIO) -> int:
    """Print OK and the counts, or every problem as file:line and how many; return the code."""
    code, report = check_report(path)
    print(report, file=out)
    return code


def sheet_captions(source: Path | None = None) -> list[tuple[Picture, str]]:
    """Return each exercise's picture and its caption (English name and id), for the sheet."""
    book = load_exercises(source)
    return [(e.picture, f"{e.text('en').name}: {e.id}") for e in book.exercises]
