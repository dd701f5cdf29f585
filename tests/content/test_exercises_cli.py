"""`python -m bot exercises check` and `exercises sheet`: exit codes, file:line, the PNG."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import EXIT_CONFIG, main
from bot.content import exercises
from bot.content.exercises import DEFAULT_EXERCISES_PATH
from bot.content.exercises_cli import default_sheet_path, sheet_captions
from bot.core.exercises import Picture
from tests.charts.helpers import png_size
from tests.test_cli import SETTINGS_VARIABLES, TOKEN

SHIPPED = DEFAULT_EXERCISES_PATH.read_text(encoding="utf-8")
# Runs `exercises check` in a fresh interpreter, then fails if Telegram or matplotlib loaded.
PROBE = (
    "import sys; sys.argv = ['bot', 'exercises', 'check'];"
    "import bot.cli as c; code = c.main();"
    "assert 'telegram' not in sys.modules and 'matplotlib' not in sys.modules, 'imported';"
    "sys.exit(code)"
)


def run(*argv: str) -> tuple[int, str, str]:
    """Run the command line in-process; return the exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_check_passes_on_the_shipped_file() -> None:
    """The shipped programmes are valid: OK, the counts, exit 0."""
    code, out, _ = run("exercises", "check")
    assert code == 0
    assert out.startswith("OK: 15 exercises in 3 programmes (23 levels), each with a picture")


def test_check_refuses_an_exercise_without_a_picture_a_source_or_chinese(tmp_path: Path) -> None:
    """Each missing part is one line `file:line: message`, then how many, and exit 1."""
    zh_start = SHIPPED.index("      zh:\n        name: 扶墙小腿拉伸（后腿伸直）")
    zh_end = SHIPPED.index("  - id: calf-stretch-wall-bent")
    broken = (
        SHIPPED[:zh_start]
        .replace("    picture: seated-toe-pull\n", "")
        .replace(
            "    source: bytes-pcn\n    dose_source: bytes-pcn\n    feel_source: bytes-pcn\n",
            "    dose_source: bytes-pcn\n    feel_source: bytes-pcn\n",
            1,
        )
        + "\n"
        + SHIPPED[zh_end:]
    )
    path = tmp_path / "exercises.yaml"
    path.write_text(broken, encoding="utf-8")
    text_key = broken.index("    text:", broken.index("- id: calf-stretch-wall-straight"))
    zh_line = broken[:text_key].count("\n") + 1
    code, out, _ = run("exercises", "check", str(path))
    lines = out.splitlines()
    assert code == 1
    assert lines == [
        f"{path}:49: exercise sole-stretch-sitting has no 'picture'",
        f"{path}:49: exercise sole-stretch-sitting has no 'source'",
        f"{path}:{zh_line}: text has no 'zh': every text ships in every language",
        f"3 problems found in {path}",
    ]


def test_the_command_runs_as_a_module_without_telegram() -> None:
    """`python -m bot exercises check` works in a fresh process and never imports Telegram."""
    done = subprocess.run(  # noqa: S603 - this interpreter and a fixed script
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("OK: 15 exercises")


def test_sheet_writes_every_picture_to_one_png(tmp_path: Path) -> None:
    """`exercises sheet PATH` draws the 15 pictures, three to a row."""
    target = tmp_path / "docs" / "sheet.png"
    code, out, _ = run("exercises", "sheet", str(target))
    assert code == 0
    assert out == f"Wrote 15 pictures to {target}\n"
    assert png_size(target.read_bytes()) == (1080, 275 * 5)


def test_the_sheet_captions_name_each_exercise_in_english() -> None:
    """Each caption is the exercise's English name and id, with its own picture."""
    captions = sheet_captions()
    assert ("Sitting sole stretch: sole-stretch-sitting") in [c for _, c in captions]
    assert all(isinstance(p, Picture) for p, _ in captions)
    assert default_sheet_path().name == "exercise-pictures.png"
    assert default_sheet_path().parent.name == "docs"


def test_a_broken_exercises_file_stops_run_before_the_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exit 2 naming file:line at start; port 9 has nothing listening, so no call came first."""
    monkeypatch.chdir(tmp_path)
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    broken = Path("exercises.yaml")
    broken.write_text(SHIPPED.replace("    picture: arch-roll\n", ""), encoding="utf-8")
    monkeypatch.setattr(exercises, "DEFAULT_EXERCISES_PATH", broken)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:9")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        code, _, err = run("run")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    line = SHIPPED[: SHIPPED.index("  - id: arch-roll-tin")].count("\n") + 1
    assert code == EXIT_CONFIG
    assert "content is invalid" in err
    assert f"exercises.yaml:{line}: exercise arch-roll-tin has no 'picture'" in err.splitlines()
