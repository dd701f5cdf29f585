"""A bot killed with SIGKILL in the middle of a broadcast finishes it after a restart."""

from __future__ import annotations

import asyncio
import os
import signal
from collections import Counter
from pathlib import Path

from bot.clock import FakeClock
from bot.core.outbox import BroadcastCopy
from bot.sandbox import Sandbox
from bot.store import Store
from tests.delivery.test_crash import CHILD_TIMEOUT, WORKERS, spawn, wait_for_sends

RECIPIENTS = 60
FIRST = 5000
TEXT = "Clinic news: new stretching class"


async def draft_and_start(db_path: Path, clock: FakeClock) -> int:
    """Create subscribers and a confirmed broadcast, as an admin's Send press would."""
    store = await Store.open(db_path, clock)
    try:
        for user_id in range(FIRST, FIRST + RECIPIENTS):
            await store.users.create(user_id, user_id, f"U{user_id}", "en")
        broadcast = await store.broadcasts.create(1, 1, TEXT, None)
        started = await store.broadcasts.start(broadcast, BroadcastCopy(TEXT), priority=10)
        assert started == RECIPIENTS
        return broadcast
    finally:
        await store.close()


async def test_killed_broadcast_resumes_without_losses(
    sandbox: Sandbox, tmp_path: Path, clock: FakeClock
) -> None:
    """SIGKILL half-way through a broadcast, restart: everyone gets it, repeats <= workers."""
    db_path = tmp_path / "footcare.db"
    log = tmp_path / "children.log"
    for user_id in range(FIRST, FIRST + RECIPIENTS):
        sandbox.add_user(user_id, f"U{user_id}")
    broadcast = await draft_and_start(db_path, clock)
    sandbox.set_delay("sendMessage", 0.05)

    first = await spawn(sandbox, db_path, log)
    await wait_for_sends(sandbox, RECIPIENTS // 2, first)
    os.kill(first.pid, signal.SIGKILL)
    assert await first.wait() == -signal.SIGKILL
    killed_at = len(sandbox.calls_to("sendMessage"))
    assert killed_at < RECIPIENTS, "the kill came too late to test anything"

    second = await spawn(sandbox, db_path, log)
    async with asyncio.timeout(CHILD_TIMEOUT):
        assert await second.wait() == 0, log.read_text()

    copies = Counter(
        uid
        for uid in range(FIRST, FIRST + RECIPIENTS)
        for m in sandbox.messages(uid)
        if m.text == TEXT
    )
    assert set(copies) == set(range(FIRST, FIRST + RECIPIENTS)), "someone was skipped"
    assert sum(n - 1 for n in copies.values()) <= WORKERS
    store = await Store.open(db_path, clock)
    try:
        counts = await store.broadcasts.counts(broadcast)
    finally:
        await store.close()
    assert (counts.sent, counts.pending, counts.in_flight) == (RECIPIENTS, 0, 0)
