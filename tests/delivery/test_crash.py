"""A bot killed with SIGKILL mid-delivery and restarted loses nothing and repeats little."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.composition import Content
from bot.features.subscription import Subscription
from bot.sandbox import Sandbox
from bot.store import Store
from tests.delivery.conftest import DUE, FIRST_USER, is_daily
from tests.store.helpers import outbox_rows

ROOT = Path(__file__).resolve().parents[2]
USERS = 40
WORKERS = 8
CHILD_TIMEOUT = 15.0


async def subscribe_offline(db_path: Path, clock: FakeClock, content: Content) -> list[int]:
    """Create users due at 09:00 UTC in the database, as the bot would have, without a bot."""
    store = await Store.open(db_path, clock)
    try:
        subscription = Subscription(store, clock)
        user_ids = list(range(FIRST_USER, FIRST_USER + USERS))
        for user_id in user_ids:
            await subscription.start(user_id, user_id, f"User{user_id}", "en")
        return user_ids
    finally:
        await store.close()


async def spawn(
    sandbox: Sandbox, db_path: Path, log: Path, now: datetime = DUE
) -> asyncio.subprocess.Process:
    """Start a bot process whose clock stands at `now` (DUE: 09:00 UTC); it dispatches once
    and drains the outbox."""
    args = [sandbox.base_url, sandbox.token, str(db_path), now.isoformat(), str(WORKERS)]
    with log.open("ab") as stderr:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.delivery.crash_child", *args, cwd=ROOT, stderr=stderr
        )


async def wait_for_sends(sandbox: Sandbox, count: int, process: asyncio.subprocess.Process) -> None:
    """Wait until the sandbox has seen `count` sendMessage calls (or the process ended)."""
    deadline = time.monotonic() + CHILD_TIMEOUT
    while len(sandbox.calls_to("sendMessage")) < count:
        assert process.returncode is None, "the bot exited before it could be killed"
        assert time.monotonic() < deadline, "the bot did not start sending"
        await asyncio.sleep(0.005)


# sendMessage calls the sandbox has seen when the first process is killed: at the very first
# (the dispatcher may still be enqueueing) and half-way through the sends.
@pytest.mark.parametrize("kill_after", [1, USERS // 2])
async def test_kill_and_restart_loses_nothing_and_duplicates_at_most_in_flight(
    sandbox: Sandbox, tmp_path: Path, clock: FakeClock, content: Content, kill_after: int
) -> None:
    """SIGKILL mid-send, then a restart: every message arrives; only sends in flight repeat."""
    db_path = tmp_path / "footcare.db"
    log = tmp_path / "children.log"
    for user_id in range(FIRST_USER, FIRST_USER + USERS):
        sandbox.add_user(user_id, f"User{user_id}")
    users = await subscribe_offline(db_path, clock, content)
    sandbox.set_delay("sendMessage", 0.05)  # keep several sends in flight at the kill

    first = await spawn(sandbox, db_path, log)
    await wait_for_sends(sandbox, kill_after, first)
    os.kill(first.pid, signal.SIGKILL)
    assert await first.wait() == -signal.SIGKILL
    sent_before_restart = len(sandbox.calls_to("sendMessage"))
    assert sent_before_restart < USERS, "the kill came too late to test anything"
    # In flight at the kill: requests made whose outcome was not recorded yet. Only these
    # may repeat. (Requests the sandbox was still answering finish first.)
    await sandbox.settle(quiet=0.2, timeout=5)
    store = await Store.open(db_path, clock)
    try:
        claimed = [r for r in await outbox_rows(store) if r["status"] == "sending"]
    finally:
        await store.close()
    in_flight = sum(1 for r in claimed if sandbox.messages(int(str(r["chat_id"]))))

    second = await spawn(sandbox, db_path, log)
    async with asyncio.timeout(CHILD_TIMEOUT):
        returncode = await second.wait()
    assert returncode == 0, log.read_text()

    repeats = 0
    for user_id in users:
        texts = [m.text for m in sandbox.messages(user_id)]
        assert len(set(texts)) == 1, f"chat {user_id}: {texts}"
        assert is_daily(texts[0]), f"chat {user_id}: {texts}"
        repeats += sum(n - 1 for n in Counter(texts).values())
    assert repeats <= in_flight <= WORKERS
    store = await Store.open(db_path, clock)
    try:
        assert {r["status"] for r in await outbox_rows(store)} == {"sent"}
    finally:
        await store.close()
    print(
        f"\nkilled after {sent_before_restart} sends; {in_flight} in flight;"
        f" {repeats} repeated after the restart"
    )
