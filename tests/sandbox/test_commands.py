"""setMyCommands and getMyCommands."""

from __future__ import annotations

from telegram import Bot, BotCommand

from bot.sandbox import Sandbox


async def test_set_my_commands_is_recorded(sandbox: Sandbox, bot: Bot) -> None:
    """Commands set through the API are stored and read back."""
    await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("pain", "Check in")])
    assert [c["command"] for c in sandbox.commands] == ["start", "pain"]
    assert [c.command for c in await bot.get_my_commands()] == ["start", "pain"]
