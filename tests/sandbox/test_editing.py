"""Edits of bot messages and answers to button presses."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import BadRequest

from bot.sandbox import Sandbox
from tests.sandbox.conftest import USER, keyboard


async def test_edit_text_and_not_modified(sandbox: Sandbox, bot: Bot) -> None:
    """An edit changes the stored message; repeating it gets "message is not modified"."""
    sent = await bot.send_message(USER, "v1", reply_markup=keyboard(("A", "a")))
    edited = await bot.edit_message_text("v2", USER, sent.message_id, reply_markup=keyboard())
    assert not isinstance(edited, bool)
    assert edited.edit_date is not None
    with pytest.raises(BadRequest, match=r"^Message is not modified: specified new message"):
        await bot.edit_message_text("v2", USER, sent.message_id, reply_markup=keyboard())
    [stored] = sandbox.messages(USER)
    assert (stored.text, stored.edit_count, stored.button_labels()) == ("v2", 1, [])


async def test_edit_reply_markup_and_unknown_message(sandbox: Sandbox, bot: Bot) -> None:
    """Removing a keyboard works once; editing a missing message is refused."""
    sent = await bot.send_message(USER, "q", reply_markup=keyboard(("A", "a")))
    await bot.edit_message_reply_markup(USER, sent.message_id)
    assert sandbox.messages(USER)[0].reply_markup is None
    with pytest.raises(BadRequest, match=r"^Message is not modified"):
        await bot.edit_message_reply_markup(USER, sent.message_id)
    with pytest.raises(BadRequest, match=r"^Message to edit not found$"):
        await bot.edit_message_text("x", USER, 4242)


async def test_press_button_gives_parsed_callback_query(sandbox: Sandbox, bot: Bot) -> None:
    """A pressed button arrives as a callback_query that can be answered once."""
    sent = await bot.send_message(USER, "pain?", reply_markup=keyboard(("3", "p:3"), ("7", "p:7")))
    sandbox.press_button(USER, "7")
    [update] = await bot.get_updates()
    query = update.callback_query
    assert query is not None
    assert query.data == "p:7"
    assert query.message is not None
    assert query.message.message_id == sent.message_id
    assert await query.answer("noted")
    with pytest.raises(BadRequest, match="Query is too old"):
        await query.answer()
    assert sandbox.callback_answers[0]["text"] == "noted"
