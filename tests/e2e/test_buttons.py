"""Buttons: forged, unknown or stale callback data gets a short answer and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core import texts
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from tests.e2e.chat import Chat

USER = 4242
TODAY = "2026-11-24"  # the fake clock's date in London

FORGED = [
    f"ci:{TODAY}:11",
    f"ci:{TODAY}:-1",
    f"rf:{TODAY}:snakebite",
    "tz:",
    "set:weekday:9",
    "zz:unknown-prefix",
    "x" * 64,
    "",
]


@pytest.mark.parametrize("data", FORGED)
async def test_forged_data_gets_a_notice_and_changes_nothing(
    bot: Runtime, sandbox: Sandbox, data: str
) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/checkin")
    before = await bot.store.users.get(USER)
    sandbox.forge_callback(USER, data)
    assert await chat.replies() == []
    assert sandbox.callback_answers[-1].get("text") == texts.STALE_BUTTON
    assert await bot.store.diary.checkins(USER) == []
    assert await bot.store.users.get(USER) == before


async def test_a_non_admin_broadcast_press_sends_nothing(bot: Runtime, sandbox: Sandbox) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard()
    sandbox.forge_callback(USER, "bc:send:1")
    assert await chat.replies() == []
    assert await bot.store.broadcasts.get(1) is None


async def test_an_old_check_in_is_closed(bot: Runtime, sandbox: Sandbox) -> None:
    """A score for two days ago (another day's button, or forged) is refused with a reason."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/checkin")
    old = (bot.clock.now() - timedelta(days=2)).date().isoformat()
    sandbox.forge_callback(USER, f"ci:{old}:3")
    await chat.replies()
    assert chat.last().text == texts.CHECKIN_CLOSED
    assert await bot.store.diary.checkins(USER) == []


async def test_a_button_after_delete_asks_to_start(bot: Runtime, sandbox: Sandbox) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/checkin")
    await bot.store.users.delete(USER)
    await chat.score(5, expect=1)
    assert chat.last().text == texts.NOT_SUBSCRIBED
    assert await bot.store.diary.checkins(USER) == []
