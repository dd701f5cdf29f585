"""getMe, getUpdates and deleteWebhook as PTB sees them, long polls included."""

from __future__ import annotations

import asyncio
import time

from telegram import Bot

from bot.sandbox import Sandbox
from tests.sandbox.conftest import USER


async def test_get_me_describes_the_bot(sandbox: Sandbox, bot: Bot) -> None:
    """getMe returns the configured bot user."""
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "FootCareSandboxBot", True)


async def test_get_updates_confirms_with_offset(sandbox: Sandbox, bot: Bot) -> None:
    """Updates stay until a getUpdates offset passes them; /commands get an entity."""
    first = sandbox.send_text(USER, "/start now")
    second = sandbox.send_text(USER, "plain")
    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == [first, second]
    assert updates[0].message is not None
    assert updates[0].message.text == "/start now"
    assert updates[0].message.entities[0].type == "bot_command"
    assert [u.update_id for u in await bot.get_updates(limit=1)] == [first]
    assert [u.update_id for u in await bot.get_updates(offset=second)] == [second]
    assert await bot.get_updates(offset=second + 1) == ()


async def test_long_poll_returns_early_on_new_update(sandbox: Sandbox, bot: Bot) -> None:
    """A long poll waits, then answers as soon as an update arrives."""
    asyncio.get_running_loop().call_later(0.2, sandbox.send_text, USER, "late")
    started = time.monotonic()
    updates = await bot.get_updates(timeout=5, read_timeout=10)
    elapsed = time.monotonic() - started
    assert [u.message.text for u in updates if u.message] == ["late"]
    assert 0.15 <= elapsed < 2


async def test_stop_releases_a_pending_long_poll() -> None:
    """Stopping the sandbox answers a waiting getUpdates at once instead of after its timeout."""
    async with Sandbox() as sb:
        bot = Bot(sb.token, base_url=f"{sb.base_url}/bot")
        async with bot:
            task = asyncio.ensure_future(bot.get_updates(timeout=30, read_timeout=40))
            await asyncio.sleep(0.1)
            started = time.monotonic()
            await sb.stop()
            assert await task == ()
            assert time.monotonic() - started < 1
