"""`tips check` and `tips list`: validate the tips folder and show what it holds."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from bot.content.tips import check_report, load_tips
from bot.content.yamlfile import ContentError
from bot.core.tips import Tip

PREVIEW_CHARS = 70


def default_tips_dir() -> Path:
    """Return the repository's tips/ folder, the default for both commands.

    Resolved from this file, not the working directory: bot/content/tips_cli.py sits two
    levels below the repository root, which holds tips/. This relies on the package being
    installed editable (or run from a checkout); a wheel install has no tips/ folder, so pass
    the directory explicitly there.
    """
    return Path(__file__).resolve().parents[2] / "tips"


def check(directory: Path, out: TextIO) -> int:
    """Print OK and the counts, or every problem and how many; return the exit code."""
    code, report = check_report(directory)
    print(report, file=out)
    return code


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= PREVIEW_CHARS:
        return flat
    return flat[: PREVIEW_CHARS - 1].rstrip() + "…"


def _describe(tip: Tip) -> str:
    parts = [tip.id, f"[{', '.join(tip.tags)}]"]
    if tip.suits is not None:
        parts.append(f"(suits {tip.suits.min}-{tip.suits.max})")
    return "  " + "  ".join(parts)


def list_tips(directory: Path, out: TextIO) -> int:
    """Print the tips grouped by topic with a short preview; return the exit code."""
    try:
        tips = load_tips(directory)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=out)
        return 1
    for topic, group in tips.topics().items():
        print(f"{topic} ({len(group)})", file=out)
        for tip in group:
            print(_describe(tip), file=out)
            print(f"      {_preview(tip.text_for('en'))}", file=out)
    return 0
