"""Issue 14 item 4: SIGKILL the bot 20 times at seeded random moments during a 2,000-user
dispatch and a broadcast, restarting each time. Nothing is lost; a message is sent again only
if its row was in flight ('sending') at a kill; the database passes integrity_check each time.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.core.outbox import BroadcastCopy, MessageKind
from bot.features.subscription import Subscription
from bot.sandbox import Sandbox
from bot.store import Store
from tests.delivery.conftest import DUE, FIRST_USER, is_daily
from tests.delivery.crash_loop_child import WORKERS

ROOT = Path(__file__).resolve().parents[2]
USERS = 2000
KILLS = 20
SEED = 14
RATE = 200  # sends per second asked of the limiter; the machine decides what it gets
NEWS = "Clinic news: the Tuesday class moves to Wednesday"
# Each round the bot is killed either soon after it starts (while it plans the dispatch) or
# once it has made this many further sends, picked at random.
MAX_SENDS_PER_ROUND = 150
START_WINDOW = 1.5  # seconds after the bot's first call
ROUND_TIMEOUT = 30.0
FINAL_TIMEOUT = 120.0


@dataclass
class Kill:
    """What one kill left behind."""

    first_send: int  # index of this round's first sendMessage call in the sandbox's record
    last_send: int  # one past its last
    in_flight: list[str] = field(default_factory=list)  # idem keys left 'sending'
    unplanned: int = 0  # users the dispatch had not reached yet


async def populate(db_path: Path, clock: FakeClock) -> list[int]:
    """Subscribe USERS users due at 09:00 UTC and start a broadcast to all of them."""
    store = await Store.open(db_path, clock)
    try:
        subscription = Subscription(store, clock)
        users = list(range(FIRST_USER, FIRST_USER + USERS))
        for user_id in users:
            await subscription.start(user_id, user_id, f"User{user_id}", "en")
        broadcast = await store.broadcasts.create(1, 1, NEWS, None)
        assert await store.broadcasts.start(broadcast, BroadcastCopy(NEWS), priority=10) == USERS
        return users
    finally:
        await store.close()


def inspect(db_path: Path) -> tuple[str, list[str], int]:
    """Return integrity_check's answer, the keys of rows left 'sending' (the bot is dead) and
    how many users are still due."""
    with sqlite3.connect(db_path) as conn:
        [check] = conn.execute("PRAGMA integrity_check").fetchone()
        keys = [k for (k,) in conn.execute("SELECT idem_key FROM outbox WHERE status = 'sending'")]
        [due] = conn.execute(
            "SELECT count(*) FROM users WHERE next_due_utc <= ?", (DUE.timestamp(),)
        ).fetchone()
    conn.close()
    return check, keys, due


async def wait_for_dispatch_under_way(db_path: Path, process: asyncio.subprocess.Process) -> None:
    """Wait until some due users are planned and some are not (the bot must still run)."""
    deadline = time.monotonic() + ROUND_TIMEOUT
    while True:
        assert process.returncode is None, "the bot finished before it could be killed"
        assert time.monotonic() < deadline, "the dispatch did not start"
        if 0 < await asyncio.to_thread(still_due, db_path) < USERS:
            return
        await asyncio.sleep(0.001)


def still_due(db_path: Path) -> int:
    """Return how many users are still due (0 before the file exists)."""
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
            [due] = conn.execute(
                "SELECT count(*) FROM users WHERE next_due_utc <= ?", (DUE.timestamp(),)
            ).fetchone()
        conn.close()
    except sqlite3.Error:
        return USERS
    return int(due)


def outbox(db_path: Path) -> dict[tuple[int, str], tuple[str, str]]:
    """Return (user, kind) -> (idem key, status) for every outbox row."""
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT user_id, kind, idem_key, status FROM outbox").fetchall()
    conn.close()
    return {(user, kind): (key, status) for user, kind, key, status in rows}


async def spawn(sandbox: Sandbox, db_path: Path, log: Path) -> asyncio.subprocess.Process:
    """Start a bot process that dispatches at 09:00 UTC and drains the outbox."""
    args = [sandbox.base_url, sandbox.token, str(db_path), DUE.isoformat(), str(RATE)]
    with log.open("ab") as stderr:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.delivery.crash_loop_child", *args, cwd=ROOT, stderr=stderr
        )


async def wait_for_calls(
    sandbox: Sandbox, method: str, count: int, process: asyncio.subprocess.Process
) -> None:
    """Wait until the sandbox has seen `count` calls of `method`; the bot must still run."""
    deadline = time.monotonic() + ROUND_TIMEOUT
    while len(sandbox.calls_to(method)) < count:
        assert process.returncode is None, "the bot finished before it could be killed"
        assert time.monotonic() < deadline, f"no {method} call {count} in time"
        await asyncio.sleep(0.005)


def kind_of(text: str | None) -> str:
    """Tell which of a user's two messages a sent text is."""
    if text == NEWS:
        return MessageKind.BROADCAST
    assert is_daily(text), text
    return MessageKind.DAILY


@pytest.mark.slow
async def test_twenty_kills_lose_nothing_and_repeat_only_what_was_in_flight(
    sandbox: Sandbox, tmp_path: Path, clock: FakeClock
) -> None:
    """20 SIGKILLs mid-dispatch and mid-broadcast, 21 starts: each user's daily message and
    broadcast arrive; a key is sent twice only as often as its row was 'sending' at a kill."""
    rng = random.Random(SEED)
    db_path = tmp_path / "footcare.db"
    log = tmp_path / "children.log"
    for user_id in range(FIRST_USER, FIRST_USER + USERS):
        sandbox.add_user(user_id, f"User{user_id}")
    users = await populate(db_path, clock)
    started = time.monotonic()

    kills: list[Kill] = []
    for n in range(KILLS):
        gets = len(sandbox.calls_to("getMe"))
        sends = len(sandbox.calls_to("sendMessage"))
        child = await spawn(sandbox, db_path, log)
        if n == 0:
            # The paged dispatch plans 2,000 users in a fraction of a second, too short for a
            # random moment to hit: the first kill waits for it to be part-way through.
            await wait_for_dispatch_under_way(db_path, child)
        elif rng.random() < 0.3:
            await wait_for_calls(sandbox, "getMe", gets + 1, child)
            await asyncio.sleep(rng.uniform(0, START_WINDOW))
        else:
            more = rng.randint(1, MAX_SENDS_PER_ROUND)
            await wait_for_calls(sandbox, "sendMessage", sends + more, child)
        assert child.returncode is None, "the bot finished before it could be killed"
        os.kill(child.pid, signal.SIGKILL)
        assert await child.wait() == -signal.SIGKILL
        check, in_flight, due = await asyncio.to_thread(inspect, db_path)
        assert check == "ok", f"integrity_check after kill {len(kills) + 1}: {check}"
        kills.append(Kill(sends, len(sandbox.calls_to("sendMessage")), in_flight, due))

    last = await spawn(sandbox, db_path, log)
    async with asyncio.timeout(FINAL_TIMEOUT):
        assert await last.wait() == 0, log.read_text()[-3000:]
    elapsed = time.monotonic() - started

    rows = await asyncio.to_thread(outbox, db_path)
    assert len(rows) == 2 * USERS, "a user's daily message or broadcast row is missing"
    assert {status for _, status in rows.values()} == {"sent"}
    calls = sandbox.calls_to("sendMessage")
    assert all(call.ok for call in calls)

    def key_of(call_index: int) -> str:
        call = calls[call_index]
        return rows[(call.params["chat_id"], kind_of(call.params.get("text")))][0]

    sent = Counter(key_of(i) for i in range(len(calls)))
    # Sends in flight at a kill: rows left 'sending' whose request the sandbox got in that
    # round. The sender lets at most WORKERS requests out at once.
    in_flight_sends = Counter[str]()
    for n, kill in enumerate(kills, 1):
        this_round = {key_of(i) for i in range(kill.first_send, kill.last_send)}
        caught = this_round.intersection(kill.in_flight)
        assert len(caught) <= WORKERS, f"kill {n}: {len(caught)} sends in flight"
        in_flight_sends.update(caught)
    repeats = 0
    for user_id in users:
        for kind in (MessageKind.DAILY, MessageKind.BROADCAST):
            key, _ = rows[(user_id, kind)]
            assert sent[key] >= 1, f"{key} was never sent"
            assert sent[key] - 1 <= in_flight_sends[key], f"{key} sent {sent[key]} times"
            repeats += sent[key] - 1
    assert sum(sent.values()) == 2 * USERS + repeats
    mid_send = sum(1 for kill in kills if kill.in_flight)
    assert mid_send >= KILLS // 2, "too few kills landed while sends were in flight"
    mid_dispatch = sum(1 for kill in kills if kill.unplanned > 0)
    assert mid_dispatch >= 1, "no kill landed while the dispatch was under way"
    print(
        f"\n{KILLS} kills ({mid_dispatch} mid-dispatch, {mid_send} with rows claimed,"
        f" {sum(in_flight_sends.values())} sends in flight in all), {2 * USERS} messages,"
        f" {repeats} repeated,"
        f" {elapsed:.1f} s for the kills and the final run"
    )
