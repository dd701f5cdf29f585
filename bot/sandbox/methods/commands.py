"""setMyCommands and getMyCommands: the command menu, kept per scope and language."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.sandbox.methods import Handler
from bot.sandbox.models import JSONDict, bad_request

_BOT_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


def _command_key(scope: Any, language_code: Any) -> str:
    """Key commands by scope and language, treating the default scope as no scope."""
    if scope in (None, {"type": "default"}):
        scope = None
    return json.dumps([scope, language_code or ""], sort_keys=True)


class CommandMethods:
    """The bot's command lists, one per scope and language."""

    def __init__(self) -> None:
        self._commands: dict[str, list[JSONDict]] = {}

    def handlers(self) -> dict[str, Handler]:
        """Map this group's method names to their handlers."""
        return {"setMyCommands": self.set_my_commands, "getMyCommands": self.get_my_commands}

    def commands_for(self, scope: Any, language_code: Any) -> list[JSONDict]:
        """Return a copy of the commands set for a scope and language."""
        return list(self._commands.get(_command_key(scope, language_code), []))

    async def set_my_commands(self, params: JSONDict) -> bool:
        """Validate and store the command list for its scope and language."""
        commands = []
        for item in params["commands"]:
            if not isinstance(item, dict):
                raise bad_request("can't parse BotCommand")
            command, description = item.get("command", ""), item.get("description", "")
            if not isinstance(command, str) or not _BOT_COMMAND.fullmatch(command):
                raise bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            commands.append({"command": command, "description": description})
        key = _command_key(params.get("scope"), params.get("language_code"))
        self._commands[key] = commands
        return True

    async def get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        """Return the stored command list for the scope and language."""
        return self.commands_for(params.get("scope"), params.get("language_code"))
