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


async def test_press_callback_sends_the_same_update_as_press_button(
    sandbox: Sandbox, bot: Bot
) -> None:
    """Pressing by callback_data queues the very callback_query pressing by label does."""
    sent = await bot.send_message(USER, "pain?", reply_markup=keyboard(("3", "p:3"), ("7", "p:7")))
    by_label = sandbox.press_button(USER, "7")
    by_data = sandbox.press_callback(USER, "p:7")
    first, second = await bot.get_updates()
    assert (first.update_id, second.update_id) == (by_label, by_data)
    assert first.callback_query is not None
    assert second.callback_query is not None
    assert second.callback_query.data == "p:7"
    assert second.callback_query.message is not None
    assert second.callback_query.message.message_id == sent.message_id
    label_query, data_query = first.callback_query.to_dict(), second.callback_query.to_dict()
    assert label_query.pop("id") != data_query.pop("id")
    assert label_query == data_query
    assert await second.callback_query.answer()


async def test_press_callback_takes_the_newest_message_or_the_one_named(
    sandbox: Sandbox, bot: Bot
) -> None:
    """Without message_id the newest message with that data wins; with it, that message."""
    older = await bot.send_message(USER, "first", reply_markup=keyboard(("Again", "again")))
    newer = await bot.send_message(USER, "second", reply_markup=keyboard(("Once more", "again")))
    await bot.send_message(USER, "no buttons")
    sandbox.press_callback(USER, "again")
    sandbox.press_callback(USER, "again", message_id=older.message_id)
    pressed = [u.callback_query.message for u in await bot.get_updates() if u.callback_query]
    assert [m.message_id for m in pressed if m] == [newer.message_id, older.message_id]


async def test_press_callback_lists_data_when_missing(sandbox: Sandbox, bot: Bot) -> None:
    """Missing data raises LookupError naming the data there is; a label is not data."""
    sent = await bot.send_message(USER, "pain?", reply_markup=keyboard(("3", "p:3")))
    with pytest.raises(LookupError, match=r"callback_data '3' in chat 1001.*\['p:3'\]"):
        sandbox.press_callback(USER, "3")
    with pytest.raises(LookupError, match=rf"in message {sent.message_id + 1}; .*: none$"):
        sandbox.press_callback(USER, "p:3", message_id=sent.message_id + 1)
    with pytest.raises(LookupError, match="add_user"):
        sandbox.press_callback(5, "p:3")
    assert await bot.get_updates() == ()
