"""A tiny driver for end-to-end tests: talk to the bot as one sandbox user."""

from __future__ import annotations

import asyncio

from bot.sandbox import Sandbox
from bot.sandbox.models import ChatMessage


class Chat:
    """One user's conversation with the bot through the sandbox."""

    def __init__(self, sandbox: Sandbox, user_id: int, first_name: str = "Sam") -> None:
        self.sandbox = sandbox
        self.user_id = user_id
        sandbox.add_user(user_id, first_name)
        self._read = 0

    async def say(self, text: str, expect: int = 1) -> list[ChatMessage]:
        """Send text (or a command) and return the bot's new messages once it goes quiet.

        `expect` waits for at least that many new messages first (every message gets a reply;
        charts take a moment), so a slow machine cannot make a test read too early.
        """
        self.sandbox.send_text(self.user_id, text)
        return await self.replies(expect)

    async def press(self, label: str, expect: int = 0) -> list[ChatMessage]:
        """Press the newest inline button with this label and return new messages."""
        self.sandbox.press_button(self.user_id, label)
        return await self.replies(expect)

    async def replies(self, expect: int = 0) -> list[ChatMessage]:
        """Return messages the bot sent since the last call, after it goes quiet."""
        async with asyncio.timeout(30):
            while len(self.sandbox.messages(self.user_id)) - self._read < expect:  # noqa: ASYNC110
                await asyncio.sleep(0.02)
        await self.sandbox.settle(quiet=0.15, timeout=10)
        messages = self.sandbox.messages(self.user_id)
        new = messages[self._read :]
        self._read = len(messages)
        return new

    def texts(self) -> list[str]:
        """Return the current text of every bot message in the chat."""
        return [m.text or m.caption or "" for m in self.sandbox.messages(self.user_id)]

    def last(self) -> ChatMessage:
        """Return the bot's newest message."""
        return self.sandbox.messages(self.user_id)[-1]

    async def onboard(self, zone: str = "Europe/London", at: str = "09:00") -> None:
        """Go through /start choosing a zone and a time, skipping the diabetes question."""
        # Each step waits for its reply, so a slow machine cannot make the next press miss
        # the buttons it needs.
        await self.say("/start", expect=1)
        if zone in _BUTTON_ZONES:
            await self.press(zone, expect=1)
        else:
            await self.say(zone, expect=1)
        if at in _BUTTON_TIMES:
            await self.press(at, expect=2)
        else:
            await self.say(at, expect=2)
        await self.press("Skip", expect=1)


_BUTTON_ZONES = {
    "Europe/London", "Europe/Berlin", "America/New_York", "America/Chicago",
    "America/Los_Angeles", "Asia/Kolkata", "Asia/Shanghai", "Australia/Sydney",
}  # fmt: skip
_BUTTON_TIMES = {"07:00", "08:00", "09:00", "12:00", "18:00", "20:00"}


def buttons(message: ChatMessage) -> list[str]:
    """Return the labels of a message's inline buttons, row by row."""
    rows = (message.reply_markup or {}).get("inline_keyboard") or []
    return [button["text"] for row in rows for button in row]
