"""Long polling: why PTB's loop is replaced (it acknowledges updates held only in memory), and
that ours moves the getUpdates offset only once the inbox has stored the batch."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from telegram.ext import ExtBot, Updater

from bot.clock import FakeClock
from bot.metrics import Metrics
from bot.sandbox import Sandbox
from bot.store import Arrival, Store
from bot.telegram.inbox import UpdateInbox
from bot.telegram.polling import Poller
from bot.telegram.transport import AiohttpRequest
from bot.webhook import ALLOWED_UPDATES
from tests.conftest import START

USER = 7


@pytest.fixture
async def bot(sandbox: Sandbox) -> AsyncIterator[ExtBot[None]]:
    """A bare PTB bot against the sandbox, on the bot's own transport."""
    made: ExtBot[None] = ExtBot(
        sandbox.token,
        base_url=f"{sandbox.base_url}/bot",
        request=AiohttpRequest(4),
        get_updates_request=AiohttpRequest(1),
    )
    sandbox.add_user(USER)
    await made.initialize()
    yield made
    await made.shutdown()


async def until(condition: Callable[[], bool]) -> None:
    """Wait for a condition the sandbox's record will meet."""
    async with asyncio.timeout(10):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.01)


def acknowledged(sandbox: Sandbox, update_id: int) -> bool:
    """Tell whether a getUpdates has told Telegram to forget the update."""
    return any((c.params.get("offset") or 0) > update_id for c in sandbox.calls_to("getUpdates"))


async def test_ptbs_own_polling_acknowledges_updates_held_only_in_memory(
    sandbox: Sandbox, bot: ExtBot[None]
) -> None:
    """Why bot/telegram/polling.py exists: PTB's Updater puts an update on a queue in memory
    and at once confirms it to Telegram, handled or not; a crash then loses it."""
    queue: asyncio.Queue[object] = asyncio.Queue()
    updater = Updater(bot, queue)
    await updater.initialize()
    await updater.start_polling(timeout=1)
    update_id = sandbox.send_text(USER, "/checkin")
    try:
        await until(lambda: acknowledged(sandbox, update_id))
        # Nobody has taken it from the queue: it exists only in this process's memory.
        assert queue.qsize() == 1
    finally:
        await updater.stop()
    assert await bot.get_updates(timeout=0) == ()  # Telegram no longer has it
    await updater.shutdown()


async def test_the_offset_moves_only_after_the_batch_is_stored(
    sandbox: Sandbox, bot: ExtBot[None], tmp_path: Path
) -> None:
    """Ours: while the inbox is still writing a batch, no getUpdates confirms it; once it is
    written, the next one does."""
    store = await Store.open(tmp_path / "footcare.db", FakeClock(START))
    writing, release = asyncio.Event(), asyncio.Event()
    record = store.inbox.record

    async def held(arrivals: list[Arrival], handled: list[int]) -> set[int]:
        if arrivals:
            writing.set()
            await release.wait()
        return await record(arrivals, handled)

    store.inbox.record = held  # type: ignore[method-assign]
    inbox = UpdateInbox(store, asyncio.Queue(), bot, Metrics())
    inbox.start()
    poller = Poller(bot, inbox, timeout=1, allowed_updates=ALLOWED_UPDATES)
    await poller.start()
    try:
        update_id = sandbox.send_text(USER, "/checkin")
        await writing.wait()
        assert not acknowledged(sandbox, update_id)
        release.set()
        await until(lambda: acknowledged(sandbox, update_id))
        assert [u.update_id for u in await store.inbox.unhandled()] == [update_id]
    finally:
        release.set()
        await poller.stop()
        await inbox.stop()
        await store.close()


async def test_polling_says_so_at_start_and_deletes_a_webhook(
    sandbox: Sandbox, bot: ExtBot[None], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The log names the mode; a webhook left from webhook mode is deleted first."""
    store = await Store.open(tmp_path / "footcare.db", FakeClock(START))
    inbox = UpdateInbox(store, asyncio.Queue(), bot, Metrics())
    poller = Poller(bot, inbox, timeout=1, allowed_updates=ALLOWED_UPDATES)
    caplog.set_level(logging.INFO, logger="bot.telegram.polling")
    try:
        await poller.start()
    finally:
        await poller.stop()
        await store.close()
    assert "Receiving updates by long polling" in caplog.messages
    assert sandbox.calls_to("deleteWebhook")
