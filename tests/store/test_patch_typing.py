"""UserPatch's types are checked statically: mypy rejects a wrong field type or name.

This runs mypy over a small snippet rather than the code at run time; the patch itself accepts
anything at run time, as dataclasses do.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parents[2]

SNIPPET = """\
from datetime import date

from bot.core.states import Awaiting, UserStatus
from bot.store import UNSET, UserPatch

UserPatch(status=UserStatus.STOPPED, awaiting=None, paused_until=date(2026, 1, 1))
UserPatch(next_due_utc=None, has_diabetes=UNSET, weekly_summary=False)
UserPatch(awaiting=Awaiting.TIME, chat_id=5)
UserPatch(status="stopped")  # line 9: a bare string is not a UserStatus
UserPatch(chat_id=None)  # line 10: chat_id is NOT NULL
UserPatch(paused_until="2026-01-01")  # line 11: a date, not its text
UserPatch(tip_seed="x")  # line 12: not a settable column
"""


def test_mypy_rejects_wrong_patch_fields(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The good patches pass; each bad line is one error of the expected code."""
    # The package is installed as an editable finder hook, which mypy does not follow; it
    # finds `bot` from the repository root instead.
    monkeypatch.chdir(ROOT)
    snippet = tmp_path / "patch_snippet.py"
    snippet.write_text(SNIPPET, encoding="utf-8")
    stdout, stderr, status = api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            "--no-error-summary",
            "--hide-error-context",
            str(snippet),
        ]
    )
    assert status == 1, stdout + stderr
    errors = {
        (int(line.split(":")[1]), line.rsplit("[", 1)[1].rstrip("]"))
        for line in stdout.splitlines()
        if ": error: " in line
    }
    assert errors == {(9, "arg-type"), (10, "arg-type"), (11, "arg-type"), (12, "call-arg")}
