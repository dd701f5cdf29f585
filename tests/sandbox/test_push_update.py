"""Sandbox.push_update: any update, delivered as Telegram would deliver it."""

from __future__ import annotations

from telegram import Bot

from bot.sandbox import Sandbox
from tests.sandbox.conftest import USER


async def test_a_pushed_update_arrives_as_sent_with_the_next_id(sandbox: Sandbox, bot: Bot) -> None:
    """An edited message in a group comes out of getUpdates as given, numbered in turn."""
    first = sandbox.send_text(USER, "hello")
    chat = {"id": -100, "type": "group", "title": "Heels"}
    edited = {"message_id": 7, "chat": chat, "date": 1, "edit_date": 2, "text": "hi"}
    second = sandbox.push_update({"edited_message": edited})
    assert second == first + 1
    _, update = await bot.get_updates()
    assert update.update_id == second
    assert update.edited_message is not None
    assert update.edited_message.chat.type == "group"
    assert update.edited_message.text == "hi"


async def test_a_pushed_callback_query_can_be_answered_once(sandbox: Sandbox, bot: Bot) -> None:
    """A pushed press (here on an inline-mode message) is answerable, as Telegram's are."""
    user = {"id": USER, "is_bot": False, "first_name": "Alice"}
    query = {"id": "q1", "from": user, "chat_instance": "1", "inline_message_id": "i1", "data": "x"}
    sandbox.push_update({"callback_query": query})
    [update] = await bot.get_updates()
    assert update.callback_query is not None
    assert await update.callback_query.answer("ok")
    assert sandbox.callback_answers == [{"callback_query_id": "q1", "text": "ok"}]
