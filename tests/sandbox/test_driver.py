"""The test-facing hooks: acting as users, pressing buttons and waiting for the bot."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot

from bot.sandbox import Sandbox
from tests.sandbox.conftest import USER, keyboard


async def test_press_button_lists_labels_when_missing(sandbox: Sandbox, bot: Bot) -> None:
    """A missing label raises LookupError naming the buttons there are."""
    await bot.send_message(USER, "pain?", reply_markup=keyboard(("3", "p:3")))
    with pytest.raises(LookupError, match=r"\['3'\]"):
        sandbox.press_button(USER, "9")


async def test_reply_to_carries_the_original(sandbox: Sandbox, bot: Bot) -> None:
    """reply_to queues a message whose reply_to_message is the bot's message."""
    sent = await bot.send_message(USER, "How is your heel?")
    sandbox.reply_to(USER, "better", sent.message_id)
    [update] = await bot.get_updates()
    assert update.message is not None
    assert update.message.reply_to_message is not None
    assert update.message.reply_to_message.text == "How is your heel?"


async def test_next_message_waits_and_explains_timeouts(sandbox: Sandbox, bot: Bot) -> None:
    """next_message returns each bot message once and times out with context."""
    asyncio.get_running_loop().call_later(0.05, asyncio.ensure_future, bot.send_message(USER, "a"))
    assert (await sandbox.next_message(USER, timeout=2)).text == "a"
    with pytest.raises(TimeoutError, match="last messages"):
        await sandbox.next_message(USER, timeout=0.1)


async def test_unknown_user_in_hooks_raises(sandbox: Sandbox) -> None:
    """Hooks refuse users that were never added."""
    with pytest.raises(LookupError, match="add_user"):
        sandbox.send_text(5, "hi")


async def test_settle_waits_for_unfetched_updates(sandbox: Sandbox) -> None:
    """settle times out while an update sits unfetched, and names it."""
    sandbox.send_text(USER, "nobody polls")
    with pytest.raises(TimeoutError, match="1 updates not fetched"):
        await sandbox.settle(quiet=0.01, timeout=0.1)
