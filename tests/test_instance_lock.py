"""One bot per database: a second `run` or `demo` refuses in one line; a dead holder frees it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import EXIT_CONFIG
from bot.sandbox import Sandbox
from bot.store.lock import InstanceLock, InstanceLocked

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
HOLD = (
    "import sys, time\n"
    "from pathlib import Path\n"
    "from bot.store.lock import InstanceLock\n"
    "lock = InstanceLock(Path(sys.argv[1]))\n"
    "lock.acquire()\n"
    "print('locked', flush=True)\n"
    "time.sleep(120)\n"
)


def clean_env(**values: str) -> dict[str, str]:
    """The environment with no FootCare variable but the given ones."""
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "DATABASE_PATH")}
    env.update(values)
    return env


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """A separate process holding the lock of tmp_path/data/footcare.db."""
    db = tmp_path / "data" / "footcare.db"
    with hold(db) as process:
        yield process, db


@contextlib.contextmanager
def hold(db: Path) -> Iterator[subprocess.Popen[str]]:
    """Run a process that takes the database's lock; kill it at the end."""
    with subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", HOLD, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            assert process.stdout.readline() == "locked\n"
            yield process
        finally:
            process.kill()


def bot_command(
    args: list[str], env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` to completion."""
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_lock_refuses_a_second_holder_in_the_same_process(tmp_path: Path) -> None:
    """Two locks on one database conflict even within one process; release frees it."""
    db = tmp_path / "footcare.db"
    with InstanceLock(db):
        with pytest.raises(InstanceLocked) as refused:
            InstanceLock(db).acquire()
        assert refused.value.pid == os.getpid()
    with InstanceLock(db):
        pass


def test_second_run_exits_2_with_one_line_naming_the_holder(
    holder: tuple[subprocess.Popen[str], Path], tmp_path: Path
) -> None:
    """`python -m bot run` on a locked database stops before touching it or the network."""
    process, db = holder
    env = clean_env(BOT_TOKEN=TOKEN, DATABASE_PATH=str(db), TELEGRAM_API_URL="http://127.0.0.1:9")
    result = bot_command(["run"], env, tmp_path)
    assert result.returncode == EXIT_CONFIG
    assert result.stderr.splitlines() == [
        f"footcare: another FootCare process is using {db} (pid {process.pid}); stop it first"
    ]
    assert not db.exists()


def test_demo_on_a_locked_database_exits_2(tmp_path: Path) -> None:
    """The demo takes the same lock on its own database file."""
    db = tmp_path / "data" / "demo.db"
    with hold(db) as process:
        result = bot_command(["demo"], clean_env(DATABASE_PATH=str(db)), tmp_path)
    assert result.returncode == EXIT_CONFIG
    assert result.stderr.splitlines() == [
        f"footcare: another FootCare process is using {db} (pid {process.pid}); stop it first"
    ]


def test_a_killed_holder_leaves_no_stale_lock(holder: tuple[subprocess.Popen[str], Path]) -> None:
    """SIGKILL on the holder: the kernel drops the lock and the next bot may start."""
    process, db = holder
    with pytest.raises(InstanceLocked):
        InstanceLock(db).acquire()
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert db.with_name("footcare.db.lock").exists()  # the file stays; the lock does not
    deadline = time.monotonic() + 5
    while True:
        try:
            with InstanceLock(db):
                break
        except InstanceLocked:
            assert time.monotonic() < deadline, "the lock outlived its holder"
            time.sleep(0.05)


@pytest.mark.slow
async def test_two_real_bots_on_one_database(sandbox: Sandbox, tmp_path: Path) -> None:
    """A running bot keeps a second `python -m bot run` out; SIGTERM then ends the first with 0."""
    db = tmp_path / "footcare.db"
    env = clean_env(
        BOT_TOKEN=sandbox.token, TELEGRAM_API_URL=sandbox.base_url, DATABASE_PATH=str(db)
    )
    log = tmp_path / "first.log"
    with log.open("wb") as stderr:
        first = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env, stderr=stderr
        )
    try:
        async with asyncio.timeout(30):
            while not sandbox.calls_to("getUpdates"):
                assert first.returncode is None, log.read_text()
                await asyncio.sleep(0.05)
        second = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=tmp_path,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        async with asyncio.timeout(30):
            _, err = await second.communicate()
        assert second.returncode == EXIT_CONFIG
        assert err.decode().splitlines() == [
            f"footcare: another FootCare process is using {db} (pid {first.pid}); stop it first"
        ]
        first.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            assert await first.wait() == 0, log.read_text()
    finally:
        if first.returncode is None:
            first.kill()
            await first.wait()
