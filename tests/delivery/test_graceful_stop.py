"""SIGTERM or SIGINT to `python -m bot run` mid-delivery: in-flight sends finish, exit 0.

The bot runs as a real process (`python -m bot run`, as in production) against the local Bot
API sandbox, with 40 messages queued and every send slowed down; the signal comes after the
first few sends. Afterwards every row is either sent (and Telegram got it exactly once) or
still pending, none is left 'sending', and the database was closed cleanly. A restart then
delivers the rest with no repeat.

That process runs on the real clock, so the messages are queued for today: its dispatcher
prunes finished rows created more than 8 days before now (bot/runtime.py), and rows of a fixed
past day vanished once sent if a tick came first, which a busy machine made likely.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock, SystemClock
from bot.composition import Content, Features
from bot.features.daily import Dispatcher
from bot.sandbox import Sandbox
from bot.store import Store
from tests.delivery.conftest import FIRST_USER, is_daily
from tests.delivery.test_crash import USERS, spawn, subscribe_offline

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30.0
SIGNAL_AFTER = 10  # sendMessage calls seen before the signal
SETTINGS = ("BOT_TOKEN", "TELEGRAM_API_URL", "DATABASE_PATH", "LOG_LEVEL", "SEND_RATE_LIMIT")


def today_at(hour: int) -> datetime:
    """Return today's (UTC) `hour` o'clock on the real clock, which the bot process runs on."""
    return datetime.combine(SystemClock().now().date(), time(hour), tzinfo=UTC)


async def queue_daily_messages(sandbox: Sandbox, db_path: Path, content: Content) -> list[int]:
    """Subscribe every user, enqueue today's 09:00 daily message for each, unschedule them.

    With nobody due, the outbox is all the bot process sends.
    """
    for user_id in range(FIRST_USER, FIRST_USER + USERS):
        sandbox.add_user(user_id, f"User{user_id}")
    users = await subscribe_offline(db_path, FakeClock(today_at(7)), content)
    clock = FakeClock(today_at(9))
    store = await Store.open(db_path, clock)
    try:
        features = Features.build(store, clock, content, timedelta(hours=6))
        assert await Dispatcher(features.daily, store, clock).tick() == USERS
        await store.db.exec("UPDATE users SET next_due_utc = NULL, next_due_date = NULL")
    finally:
        await store.close()
    return users


def statuses(db_path: Path) -> Counter[str]:
    """Count outbox rows by status, read with plain sqlite3 after the bot has gone."""
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return Counter(row[0] for row in conn.execute("SELECT status FROM outbox"))
    finally:
        conn.close()


def read(path: Path) -> str:
    """Return a log file's text."""
    return path.read_text()


def in_flight(db_path: Path) -> int:
    """Count outbox rows the running bot has claimed ('sending')."""
    conn = sqlite3.connect(db_path, timeout=5)
    try:
        return int(
            conn.execute("SELECT count(*) FROM outbox WHERE status = 'sending'").fetchone()[0]
        )
    finally:
        conn.close()


async def claimed(db_path: Path) -> bool:
    """Say whether the bot has claimed rows, read in a thread: the sandbox shares this loop."""
    return await asyncio.to_thread(in_flight, db_path) > 0


async def run_and_signal(
    sandbox: Sandbox, db_path: Path, log: Path, signum: int, ready: Callable[[], Awaitable[bool]]
) -> tuple[int, int, float]:
    """Run `python -m bot run`, signal it once ready(); return (exit code, sends, seconds).

    Waits for that event however long the bot takes to start (TIMEOUT only ends a hung run),
    and for the exit in the same way: a busy machine slows the test down, never fails it.
    """
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env.update(
        BOT_TOKEN=sandbox.token, TELEGRAM_API_URL=sandbox.base_url, DATABASE_PATH=str(db_path)
    )
    with log.open("wb") as stderr:
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=db_path.parent, env=env, stderr=stderr
        )
    try:
        async with asyncio.timeout(TIMEOUT):
            while not await ready():
                assert bot.returncode is None, read(log)
                await asyncio.sleep(0.005)
        loop = asyncio.get_running_loop()
        at_signal = len(sandbox.calls_to("sendMessage"))
        signalled = loop.time()
        bot.send_signal(signum)
        async with asyncio.timeout(TIMEOUT):
            returncode = await bot.wait()
        return returncode, at_signal, loop.time() - signalled
    finally:
        if bot.returncode is None:
            bot.kill()
            await bot.wait()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_signal_mid_delivery_finishes_in_flight_sends_and_exits_0(
    sandbox: Sandbox, tmp_path: Path, content: Content, signum: int
) -> None:
    """Exit 0 within the grace; each row sent once or still pending; a restart sends the rest."""
    db_path = tmp_path / "footcare.db"
    log = tmp_path / "bot.log"
    users = await queue_daily_messages(sandbox, db_path, content)
    sandbox.set_delay("sendMessage", 0.3)  # several sends in flight when the signal lands

    async def sent_some() -> bool:
        return len(sandbox.calls_to("sendMessage")) >= SIGNAL_AFTER

    returncode, at_signal, stopped_in = await run_and_signal(
        sandbox, db_path, log, signum, sent_some
    )
    shown = read(log)
    assert returncode == 0, shown
    assert "Traceback" not in shown
    assert "FootCare stopped" in shown

    delivered = len(sandbox.calls_to("sendMessage"))
    counts = statuses(db_path)
    assert set(counts) <= {"sent", "pending"}, counts  # none stuck 'sending'
    assert counts["sent"] == delivered  # every send Telegram got is recorded, none twice
    assert counts["pending"] > 0, "the signal came too late to test anything"
    assert not db_path.with_name("footcare.db-wal").exists()  # closed: WAL folded back in
    print(
        f"\n{signal.Signals(signum).name} after {at_signal} sends: exit 0 in {stopped_in:.2f}s,"
        f" {counts['sent']} sent, {counts['pending']} pending"
    )

    second = await spawn(sandbox, db_path, tmp_path / "restart.log", today_at(9))
    async with asyncio.timeout(TIMEOUT):
        assert await second.wait() == 0, read(tmp_path / "restart.log")
    for user_id in users:
        texts = [m.text for m in sandbox.messages(user_id)]
        assert len(texts) == 1, f"chat {user_id}: {texts}"  # no repeat, nothing missing
        assert is_daily(texts[0], today_at(9).date()), f"chat {user_id}: {texts}"
    assert statuses(db_path) == Counter(sent=USERS)


async def test_signal_as_the_first_rows_are_claimed_leaves_them_pending(
    sandbox: Sandbox, tmp_path: Path, content: Content
) -> None:
    """SIGTERM the moment rows turn 'sending': the rows not yet sent go back to 'pending'."""
    db_path = tmp_path / "footcare.db"
    log = tmp_path / "bot.log"
    await queue_daily_messages(sandbox, db_path, content)
    sandbox.set_delay("sendMessage", 0.3)
    returncode, _, stopped_in = await run_and_signal(
        sandbox, db_path, log, signal.SIGTERM, lambda: claimed(db_path)
    )
    assert returncode == 0, read(log)
    counts = statuses(db_path)
    assert set(counts) <= {"sent", "pending"}, counts
    assert counts["sent"] == len(sandbox.calls_to("sendMessage"))
    print(f"\nSIGTERM at the first claim: exit 0 in {stopped_in:.2f}s, {counts}")
