"""Issue 14 item 6 end to end: a full or read-only database while the bot runs.

The faults are SQLite's own (`Database.simulate`: `max_page_count` for SQLITE_FULL,
`query_only` for SQLITE_READONLY) on the running bot's connection, driven through the sandbox.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from datetime import date

import pytest

from bot.clock import FakeClock
from bot.core import texts
from bot.core.i18n import ENGLISH as EN
from bot.core.outbox import BroadcastCopy
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.store import StorageFault, StorageUnavailable, Store
from tests.delivery.conftest import DUE, is_daily, subscribe
from tests.e2e.chat import Chat

USER = 611
TODAY = date(2026, 11, 24)
USERS = 60
NEWS = "Clinic news: the Tuesday class moves to Wednesday"


def bot_lines(caplog: pytest.LogCaptureFixture, level: int) -> list[logging.LogRecord]:
    """Return the bot's own log records at exactly `level`."""
    return [r for r in caplog.records if r.name.startswith("bot.") and r.levelno == level]


async def test_checkin_during_read_only_is_not_recorded_then_is_after(
    bot: Runtime, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    """A score pressed while the database is read-only gets 'try again later' and leaves no
    trace; the same press after the fault clears is recorded."""
    caplog.set_level(logging.INFO)
    chat = Chat(sandbox, USER)
    await chat.onboard()
    [prompt] = await chat.say("/checkin")
    await bot.store.db.simulate(StorageFault.READ_ONLY)

    [sorry] = await chat.score(4, expect=1)
    assert sorry.text == EN.gettext(texts.STORAGE_UNAVAILABLE)
    assert "doctor" not in (sorry.text or "").lower()
    assert prompt.reply_markup is not None, "the buttons stay so the user can press again"
    assert await bot.store.diary.checkins(USER) == []
    # A second try during the fault: the same answer, and still one WARNING in all.
    [again] = await chat.say("4", expect=1)
    assert again.text == sorry.text

    await bot.store.db.simulate(None)
    await chat.score(4)
    assert prompt.text == texts.checkin_recorded(EN, TODAY, 4, 1)
    assert await bot.store.diary.checkins(USER) == [(TODAY, 4)]
    assert bot_lines(caplog, logging.ERROR) == []
    [warning] = bot_lines(caplog, logging.WARNING)
    assert "SQLITE_READONLY" in warning.getMessage()
    assert warning.exc_info is None
    assert any("accepts writes again" in r.getMessage() for r in bot_lines(caplog, logging.INFO))


async def test_dispatch_on_a_full_disk_waits_and_then_sends_each_message_once(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """SQLITE_FULL during the daily dispatch: no user is half-planned, no traceback per user;
    once there is room again every user gets their tip and check-in exactly once."""
    users = await subscribe(bot, sandbox, USERS)
    await bot.store.db.simulate(StorageFault.FULL)
    clock.set(DUE)
    caplog.set_level(logging.INFO)
    with pytest.raises(StorageUnavailable):
        await bot.tick()
    # Each user's plan is one transaction: either both rows and a moved schedule, or neither.
    for user_id in users:
        user = await bot.store.users.get(user_id)
        assert user is not None
        rows = await bot.store.db.count("SELECT count(*) FROM outbox WHERE user_id = ?", (user_id,))
        assert (rows, user.next_due_date) in {(0, TODAY), (1, date(2026, 11, 25))}
    waiting = len(await bot.store.users.due(DUE, USERS))
    assert waiting > 0, "the dispatch finished before the disk was full"
    print(f"\nSQLITE_FULL after {USERS - waiting} of {USERS} users were planned")
    assert bot_lines(caplog, logging.ERROR) == []
    assert len(bot_lines(caplog, logging.WARNING)) == 1

    await bot.store.db.simulate(None)
    await bot.tick()
    async with asyncio.timeout(60):
        await bot.sender.drain()
    for user_id in users:
        got = [m.text for m in sandbox.messages(user_id)]
        assert sum(map(is_daily, got)) == 1, f"chat {user_id}: {got}"
        assert len(got) == 1, f"chat {user_id}: {got}"
    assert bot_lines(caplog, logging.ERROR) == []


async def test_sender_backs_off_while_read_only_then_delivers_each_row_once(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """Rows queued (by another connection) while the bot's database is read-only wait; the
    sender retries less and less often, wake-ups do not hurry it, and after the fault clears
    every row is delivered once."""
    users = await subscribe(bot, sandbox, 20)
    claims = 0
    claim = bot.store.outbox.claim

    async def counted(limit: int) -> list:  # type: ignore[type-arg]
        nonlocal claims
        claims += 1
        return await claim(limit)

    bot.store.outbox.claim = counted  # type: ignore[method-assign]
    caplog.set_level(logging.INFO)
    await bot.store.db.simulate(StorageFault.READ_ONLY)
    other = await Store.open(bot.settings.database_path, clock)
    try:
        broadcast = await other.broadcasts.create(1, 1, NEWS, None)
        assert await other.broadcasts.start(broadcast, BroadcastCopy(NEWS), priority=10) == 20
    finally:
        await other.close()
    claims = 0
    for _ in range(100):  # what drain() and every enqueue do: wake it, 50 times a second
        bot.sender.wake()
        await asyncio.sleep(0.02)
    # 2 s at FAST_SENDER's 0.05 s poll: about 40 claims without backoff, 6 with it.
    assert 1 <= claims <= 8, claims
    assert sandbox.calls_to("sendMessage") == []
    assert bot_lines(caplog, logging.ERROR) == []
    assert len(bot_lines(caplog, logging.WARNING)) == 1

    await bot.store.db.simulate(None)
    async with asyncio.timeout(30):
        await bot.sender.drain()
    copies = Counter(u for u in users for m in sandbox.messages(u) if m.text == NEWS)
    assert copies == Counter(dict.fromkeys(users, 1))
    counts = await bot.store.broadcasts.counts(broadcast)
    assert (counts.sent, counts.pending, counts.in_flight) == (20, 0, 0)
    assert bot_lines(caplog, logging.ERROR) == []
