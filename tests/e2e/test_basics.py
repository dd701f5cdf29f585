"""Issue 2 end to end: /start, /stop, /help, unknown commands, free text and the command menu."""

from __future__ import annotations

import pytest

from bot.core import texts
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from tests.e2e.chat import Chat, buttons

USER = 501


async def test_start_welcomes_and_offers_time_zones(bot: Runtime, sandbox: Sandbox) -> None:
    """/start says what the bot does, that it is not medical advice, and asks for a zone."""
    [welcome] = await Chat(sandbox, USER, "Maya").say("/start")
    assert welcome.text is not None
    assert "Maya" in welcome.text
    assert "not medical advice" in welcome.text
    assert "time zone" in welcome.text
    assert "Europe/London" in buttons(welcome)


async def test_start_twice_keeps_one_subscription(bot: Runtime, sandbox: Sandbox) -> None:
    """A second /start answers 'already subscribed' and does not create a second user."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    [again] = await chat.say("/start")
    assert again.text is not None
    assert "already subscribed" in again.text
    user = await bot.store.users.get(USER)
    assert user is not None
    assert user.status == "active"
    assert user.timezone == "Europe/London"


async def test_stop_unsubscribes_and_start_brings_back(bot: Runtime, sandbox: Sandbox) -> None:
    """/stop ends scheduled messages but keeps data; /start afterwards welcomes back."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    [stopped] = await chat.say("/stop")
    assert stopped.text == texts.STOPPED
    user = await bot.store.users.get(USER)
    assert user is not None
    assert (user.status, user.next_due_utc) == ("stopped", None)
    [back] = await chat.say("/start")
    assert back.text is not None
    assert back.text.startswith("Welcome back")


async def test_help_lists_every_command(bot: Runtime, sandbox: Sandbox) -> None:
    """/help names each command of the menu."""
    [reply] = await Chat(sandbox, USER).say("/help")
    assert reply.text is not None
    for name, _ in texts.COMMANDS:
        assert f"/{name}" in reply.text


async def test_unknown_command_gets_a_helpful_reply(bot: Runtime, sandbox: Sandbox) -> None:
    """An unknown command is answered and points to /help."""
    [reply] = await Chat(sandbox, USER).say("/frobnicate")
    assert reply.text == texts.UNKNOWN_COMMAND


async def test_free_text_gets_a_reply(bot: Runtime, sandbox: Sandbox) -> None:
    """Text that is not a command or an expected answer still gets a short reply."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    [reply] = await chat.say("hello there")
    assert reply.text == texts.FREE_TEXT


@pytest.mark.webhook_too  # an edited_message update
async def test_an_edited_command_is_not_run_again(bot: Runtime, sandbox: Sandbox) -> None:
    """Editing a sent "/stop" gets a short notice and changes nothing: commands run once."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.replies()
    sender = {"id": USER, "is_bot": False, "first_name": "Sam"}
    sandbox.push_update(
        {
            "edited_message": {
                "message_id": 1,
                "date": 1_764_000_000,
                "edit_date": 1_764_000_060,
                "chat": {"id": USER, "type": "private", "first_name": "Sam"},
                "from": sender,
                "text": "/stop",
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            }
        }
    )
    [reply] = await chat.replies(expect=1)
    assert reply.text == texts.EDITED
    user = await bot.store.users.get(USER)
    assert user is not None
    assert user.active


async def test_command_menu_is_registered_at_start(bot: Runtime, sandbox: Sandbox) -> None:
    """setMyCommands is called at start with every command."""
    registered = [c["command"] for c in sandbox.commands]
    assert registered == [name for name, _ in texts.COMMANDS]


async def test_command_menu_is_registered_in_chinese_too(bot: Runtime, sandbox: Sandbox) -> None:
    """Telegram shows zh clients the same commands, described in Chinese."""
    menu = {c["command"]: c["description"] for c in sandbox.commands_for(None, "zh")}
    assert list(menu) == [name for name, _ in texts.COMMANDS]
    assert menu["language"] == "选择语言：英文或中文"


async def test_every_call_is_accepted_by_the_sandbox(bot: Runtime, sandbox: Sandbox) -> None:
    """Onboarding makes no call Telegram would reject."""
    await Chat(sandbox, USER).onboard()
    rejected = [c for c in sandbox.calls if not c.ok]
    assert rejected == []
