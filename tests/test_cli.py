"""Tests for bot/cli.py: exit codes and one-line errors for bad settings, tips commands, help."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import EXIT_CONFIG, main
from bot.content.tips_cli import default_tips_dir
from bot.sandbox import Sandbox

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
SETTINGS_VARIABLES = (
    "BOT_TOKEN",
    "TELEGRAM_API_URL",
    "DATABASE_PATH",
    "ADMIN_IDS",
    "SEND_RATE_LIMIT",
    "PAID_BROADCAST",
    "LOG_LEVEL",
    "CATCH_UP_HOURS",
    "ESCALATION_RULES",
    "ESCALATION_PAIN_THRESHOLD",
    "ESCALATION_DAYS",
    "TIPS_DIR",
)
BROKEN_TIP = """\
- id: stretch-calf-wall
  topic: stretching
  tags: [stretching]
  text: {en: Lean against a wall to stretch your calf for 30 seconds.}
  source: ""
"""


@pytest.fixture(autouse=True)
def clean_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run in an empty folder (no stray .env) with no FootCare variable set."""
    monkeypatch.chdir(tmp_path)
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    # main() installs its own root handler; pytest's capture handlers must come back after.
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def broken_tips(tmp_path: Path) -> Path:
    """Return a relative tips folder holding one tip with an empty source on line 5."""
    directory = Path("broken-tips")
    directory.mkdir()
    (directory / "a.yaml").write_text(BROKEN_TIP, encoding="utf-8")
    return directory


def run_main(argv: list[str]) -> tuple[int, str, str]:
    """Call main() and return its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def test_run_without_token_exits_2_with_one_line() -> None:
    """`run` with no BOT_TOKEN exits 2 with exactly one stderr line naming BOT_TOKEN."""
    code, _, err = run_main(["run"])
    assert code == EXIT_CONFIG
    assert len(err.splitlines()) == 1
    assert "BOT_TOKEN" in err


def test_run_with_malformed_admin_ids_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """A malformed ADMIN_IDS stops `run` with exit 2 and one line naming ADMIN_IDS."""
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("ADMIN_IDS", "12;34")
    code, _, err = run_main(["run"])
    assert code == EXIT_CONFIG
    assert len(err.splitlines()) == 1
    assert "ADMIN_IDS" in err


def test_run_with_word_send_rate_limit_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """SEND_RATE_LIMIT=fast stops `run` with exit 2 and one line naming SEND_RATE_LIMIT."""
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SEND_RATE_LIMIT", "fast")
    code, _, err = run_main(["run"])
    assert code == EXIT_CONFIG
    assert len(err.splitlines()) == 1
    assert "SEND_RATE_LIMIT" in err


def test_run_with_unwritable_database_path_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A DATABASE_PATH under a regular file stops `run` with exit 2 and one line naming it."""
    blocker = tmp_path / "plain-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_PATH", str(blocker / "footcare.db"))
    code, _, err = run_main(["run"])
    assert code == EXIT_CONFIG
    assert len(err.splitlines()) == 1
    assert "DATABASE_PATH" in err


def test_run_with_escalation_days_200_stops_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """ESCALATION_DAYS=200 (less cautious than the shipped 14) stops `run` with one line."""
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("ESCALATION_DAYS", "200")
    code, _, err = run_main(["run"])
    assert code == EXIT_CONFIG
    assert err.splitlines() == [
        "footcare: ESCALATION_DAYS must be between 1 and 14 (calendar days; the shipped 14, or "
        "lower to be more cautious), got 200"
    ]


def test_run_with_a_lowered_urgency_stops_at_start_naming_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A rules file that makes an emergency 'soon' stops `run` before any Bot API call, with
    the refusal and the one line naming the problem, and no "FootCare stopped" for a bot that
    never opened anything.

    Port 9 (discard) has nothing listening: reaching the network first would fail otherwise.
    """
    caplog.set_level(logging.INFO)
    shipped = (Path(__file__).parents[1] / "bot" / "content" / "escalation.yaml").read_text(
        encoding="utf-8"
    )
    lowered = shipped.replace(
        "id: red_flag_emergency\n    urgency: emergency",
        "id: red_flag_emergency\n    urgency: soon",
    )
    assert lowered != shipped
    rules = tmp_path / "lowered.yaml"
    rules.write_text(lowered, encoding="utf-8")
    line = lowered.splitlines().index("    urgency: soon") + 1
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("ESCALATION_RULES", str(rules))
    code, _, err = run_main(["run"])
    assert code == EXIT_CONFIG
    [refusal, problem] = err.splitlines()
    assert refusal == "footcare: content is invalid, refusing to start:"
    assert "FootCare stopped" not in caplog.text
    assert problem.startswith(
        f"{rules}:{line}: urgency of red_flag_emergency must be emergency or more urgent"
    )


def test_settings_errors_never_echo_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    """A settings error message does not contain the token."""
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("LOG_LEVEL", "loud")
    code, out, err = run_main(["run"])
    assert code == EXIT_CONFIG
    assert TOKEN not in out + err


def test_python_m_bot_run_without_token_exits_2(tmp_path: Path) -> None:
    """`python -m bot run` as a real process with no BOT_TOKEN exits 2 with one stderr line."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == EXIT_CONFIG
    assert len(result.stderr.splitlines()) == 1
    assert "BOT_TOKEN" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("level", ["WARNING", "INFO"])
def test_unreachable_telegram_at_start_is_one_line_and_exit_2(tmp_path: Path, level: str) -> None:
    """Nothing listens at TELEGRAM_API_URL: one `footcare:` line naming it, exit 2, and no
    ERROR after it (the HTTP sessions of a start that failed are closed). At WARNING that
    line is all of stderr; at INFO the usual start lines come before it."""
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there: the connection is refused
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=f"http://127.0.0.1:{port}",
        DATABASE_PATH=str(tmp_path / "footcare.db"),
        LOG_LEVEL=level,
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == EXIT_CONFIG
    lines = result.stderr.splitlines()
    [refusal] = [line for line in lines if line.startswith("footcare:")]
    assert refusal.startswith(f"footcare: cannot reach TELEGRAM_API_URL http://127.0.0.1:{port}")
    assert lines[-1] == refusal
    assert not [line for line in lines if " ERROR " in line or " WARNING " in line]
    if level == "WARNING":
        assert lines == [refusal]
    assert TOKEN not in result.stderr


def test_tips_check_on_shipped_tips_exits_0() -> None:
    """`tips check` on the shipped tips folder exits 0 and says OK."""
    code, out, _ = run_main(["tips", "check", str(default_tips_dir())])
    assert code == 0
    assert out.startswith("OK: ")


def test_tips_check_on_broken_folder_exits_1_with_file_and_line(broken_tips: Path) -> None:
    """`tips check` on an invalid folder exits 1 and prints the problem as file:line."""
    code, out, _ = run_main(["tips", "check", str(broken_tips)])
    assert code == 1
    assert f"{broken_tips / 'a.yaml'}:5: source must not be empty" in out.splitlines()


def test_tips_check_without_folder_uses_tips_dir(
    broken_tips: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tips check` with no folder argument checks TIPS_DIR, as in the Docker image."""
    monkeypatch.setenv("TIPS_DIR", str(broken_tips))
    code, out, _ = run_main(["tips", "check"])
    assert code == 1
    assert f"{broken_tips / 'a.yaml'}:5: source must not be empty" in out.splitlines()


def test_tips_list_on_shipped_tips_exits_0() -> None:
    """`tips list` on the shipped folder exits 0 and lists the stretching topic."""
    code, out, _ = run_main(["tips", "list", str(default_tips_dir())])
    assert code == 0
    assert any(line.startswith("stretching (") for line in out.splitlines())


def test_help_exits_0_and_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    """--help exits 0 and names the run, demo and tips commands."""
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    shown = capsys.readouterr().out
    for command in ("run", "demo", "tips"):
        assert command in shown


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """Running without a command exits with argparse's usage error code."""
    with pytest.raises(SystemExit) as caught:
        main([])
    assert caught.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_run_with_broken_tips_dir_exits_2_before_network(
    broken_tips: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken TIPS_DIR stops `run` with exit 2 and file:line before any Bot API call.

    Port 9 (discard) has nothing listening: had the bot reached the network first, it would
    have failed with a network error instead of the content report.
    """
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("TIPS_DIR", str(broken_tips))
    code, _, err = run_main(["run"])
    assert code == EXIT_CONFIG
    assert "content is invalid" in err
    assert f"{broken_tips / 'a.yaml'}:5: source must not be empty" in err.splitlines()
    assert TOKEN not in err


def test_demo_never_writes_to_the_database_path_database(tmp_path: Path) -> None:
    """`python -m bot demo` with DATABASE_PATH set uses demo.db beside it, not the real file."""
    real = tmp_path / "data" / "footcare.db"
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env["DATABASE_PATH"] = str(real)
    env["LANG"] = env["LC_ALL"] = "C.UTF-8"  # an English terminal, whatever this machine's
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("Bye.\n")
    assert not real.exists()
    assert (tmp_path / "data" / "demo.db").exists()


def test_demo_polls_even_when_the_real_bot_runs_by_webhook(tmp_path: Path) -> None:
    """With WEBHOOK_URL in the environment and the real bot on WEBHOOK_PORT, the demo still
    runs: it polls its own sandbox and neither takes that port nor posts to that URL."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    with socket.create_server(("127.0.0.1", 0)) as real_bot:
        env.update(
            LANG="C.UTF-8",
            LC_ALL="C.UTF-8",
            WEBHOOK_URL="https://bot.example.org/telegram",
            WEBHOOK_HOST="127.0.0.1",
            WEBHOOK_PORT=str(real_bot.getsockname()[1]),
        )
        result = subprocess.run(
            [sys.executable, "-m", "bot", "demo"],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("Bye.\n")


async def start_with_rejected_token(sandbox: Sandbox, tmp_path: Path) -> asyncio.subprocess.Process:
    """Start `python -m bot run` against the sandbox with a well-formed but wrong token."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(BOT_TOKEN=TOKEN, TELEGRAM_API_URL=sandbox.base_url)
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def stop(process: asyncio.subprocess.Process, grace: float) -> str:
    """Wait up to grace seconds for the process to end, kill it if not; return its stderr."""
    assert process.stderr is not None
    try:
        async with asyncio.timeout(grace):
            await process.wait()
    except TimeoutError:
        process.kill()
        await process.wait()
    return (await process.stderr.read()).decode()


async def test_rejected_token_is_one_line_without_the_token(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    """A token Telegram rejects is reported in one line naming BOT_TOKEN, never echoed."""
    process = await start_with_rejected_token(sandbox, tmp_path)
    assert process.stderr is not None
    seen: list[str] = []
    async with asyncio.timeout(30):
        # Log lines (INFO, on stderr too) come first; read up to the error line or the end.
        while line := (await process.stderr.readline()).decode():
            seen.append(line)
            if line.startswith("footcare: "):
                break
    shown = "".join(seen) + await stop(process, grace=1)
    errors = [line for line in shown.splitlines() if line.startswith("footcare: ")]
    assert errors == ["footcare: BOT_TOKEN was rejected by Telegram (check it with @BotFather)"]
    assert "Traceback" not in shown
    assert TOKEN not in shown
    assert TOKEN.partition(":")[2] not in shown


async def test_rejected_token_exits_2(sandbox: Sandbox, tmp_path: Path) -> None:
    """A token Telegram rejects ends the process with exit code 2."""
    process = await start_with_rejected_token(sandbox, tmp_path)
    # Waits for the exit, however long a busy machine takes to start Python; 60 s only ends
    # a process that would never exit.
    await stop(process, grace=60)
    assert process.returncode == EXIT_CONFIG


def test_run_webhook_without_webhook_url_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """`run --webhook` with no WEBHOOK_URL exits 2 with one line naming WEBHOOK_URL."""
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.delenv("WEBHOOK_URL", raising=False)
    code, _, err = run_main(["run", "--webhook"])
    assert code == EXIT_CONFIG
    assert len(err.splitlines()) == 1
    assert "WEBHOOK_URL is not set" in err


# The terminal's locale, which picks the demo's language: cleared so a Chinese test machine
# cannot change what the other demo tests read.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")


def run_demo_process(tmp_path: Path, args: list[str], **locale: str) -> str:
    """Run `python -m bot demo ARGS` with /start typed and the given locale; return stdout."""
    skipped = (*SETTINGS_VARIABLES, *LOCALE_VARIABLES)
    env = {k: v for k, v in os.environ.items() if k not in skipped}
    env.update(locale)
    result = subprocess.run(  # noqa: S603 (the arguments are the tests' own)
        [sys.executable, "-m", "bot", "demo", *args],
        cwd=tmp_path,
        env=env,
        input="/start\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_demo_starts_in_chinese_in_a_chinese_terminal(tmp_path: Path) -> None:
    """LANG=zh_CN.UTF-8: the banner and the welcome are Chinese."""
    shown = run_demo_process(tmp_path, [], LANG="zh_CN.UTF-8")
    assert shown.startswith("FootCare 演示：")
    assert "bot: Alex，你好！我是 FootCare。" in shown
    assert shown.endswith("再见。\n")


def test_demo_language_flag_wins_over_the_terminal(tmp_path: Path) -> None:
    """--language zh in an English terminal is Chinese; --language en in a Chinese one is
    English, for the same demo user (the demo's database keeps them between runs)."""
    chinese = run_demo_process(tmp_path, ["--language", "zh"], LANG="en_GB.UTF-8")
    assert "bot: Alex，你好！我是 FootCare。" in chinese
    english = run_demo_process(tmp_path, ["--language", "en"], LC_ALL="zh_CN.UTF-8")
    assert english.startswith("FootCare demo:")
    assert "bot: You're already subscribed" in english
