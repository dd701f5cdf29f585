"""`python -m bot countries check`, and a broken countries file stopping the bot at start."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import EXIT_CONFIG, main
from bot.content import countries
from tests.test_cli import SETTINGS_VARIABLES, TOKEN

BROKEN = """\
- code: GB
  name: United Kingdom
  emergency: "999"
  urgent: "111"
  urgent_name: NHS 111
  family_doctor: GP
  emergency_department: A&E
  source: http://www.nhs.uk/
  urgent_name_zh: NHS 111（英国的非紧急医疗咨询电话）
"""


@pytest.fixture(autouse=True)
def clean_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run in an empty folder with no FootCare variable set; restore logging afterwards."""
    monkeypatch.chdir(tmp_path)
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def broken() -> Path:
    path = Path("countries.yaml")
    path.write_text(BROKEN, encoding="utf-8")
    return path


def run_main(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def test_countries_check_passes_on_the_shipped_file() -> None:
    code, out, err = run_main(["countries", "check"])
    assert code == 0
    assert out.startswith("OK: ")
    assert err == ""


def test_countries_check_names_file_and_line(broken: Path) -> None:
    code, out, _ = run_main(["countries", "check", str(broken)])
    assert code == 1
    assert out.splitlines() == [
        "countries.yaml:8: source must be an https:// URL, got 'http://www.nhs.uk/'",
        "1 problem found in countries.yaml",
    ]


def test_a_broken_countries_file_stops_run_before_the_network(
    broken: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exit 2 with file:line; port 9 has nothing listening, so no Bot API call came first."""
    monkeypatch.setattr(countries, "DEFAULT_COUNTRIES_PATH", broken)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:9")
    code, _, err = run_main(["run"])
    assert code == EXIT_CONFIG
    assert "content is invalid" in err
    assert "countries.yaml:8: source must be an https:// URL, got 'http://www.nhs.uk/'" in (
        err.splitlines()
    )
    assert TOKEN not in err
