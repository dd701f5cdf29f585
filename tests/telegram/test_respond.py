"""Edits of a pressed message that Telegram would refuse are not made (found by the fuzz test,
tests/telegram/test_fuzz.py): the sandbox fixture fails any test whose bot made a 400."""

from __future__ import annotations

from datetime import date

from bot.core import callbacks, texts
from bot.core.callbacks import CheckinAnswer
from bot.core.i18n import ENGLISH as EN
from bot.sandbox import Sandbox
from tests.conftest import BotFactory
from tests.e2e.chat import Chat

USER = 620001
TODAY = date(2026, 11, 24)  # the fake clock's date in London


async def test_a_press_that_changes_nothing_sends_no_edit(
    make_bot: BotFactory, sandbox: Sandbox
) -> None:
    """The same score pressed again on the answered check-in: the message already says so, so
    no editMessageText goes out (Telegram would answer "message is not modified")."""
    await make_bot()
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/checkin")
    await chat.score(3)
    answered = chat.last()
    assert answered.text == texts.checkin_recorded(EN, TODAY, 3, 1)
    edits, answers = len(sandbox.calls_to("editMessageText")), len(sandbox.callback_answers)
    sandbox.forge_callback(USER, callbacks.encode(CheckinAnswer(TODAY, 3)))
    assert await chat.replies() == []
    assert len(sandbox.calls_to("editMessageText")) == edits
    assert chat.last().text == answered.text
    assert len(sandbox.callback_answers) == answers + 1  # the press itself was answered


async def test_a_press_on_a_document_is_answered_in_a_new_message(
    make_bot: BotFactory, sandbox: Sandbox
) -> None:
    """Button data sent on the bot's /export file (a forged press: it has no buttons): a file
    cannot be edited into text, so the answer comes as a new message."""
    bot = await make_bot()
    chat = Chat(sandbox, USER)
    await chat.onboard()
    [export] = await chat.say("/export")
    assert export.document is not None
    sandbox.forge_callback(USER, callbacks.encode(CheckinAnswer(TODAY, 4)))
    [reply] = await chat.replies(expect=1)
    assert reply.text == texts.checkin_recorded(EN, TODAY, 4, 1)
    assert export.edit_count == 0
    assert await bot.store.diary.checkins(USER) == [(TODAY, 4)]
