"""The local demo: the sandbox and the real bot in one process, chatted with in the terminal.

No token and no network: the bot talks HTTP to the sandbox on 127.0.0.1, and whatever you type
is delivered to it as if you had sent it from Telegram, whose language is the demo's (`python
-m bot demo --language zh`, or a Chinese terminal locale): the bot and the demo speak it.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.clock import MovableClock, ShiftedClock
from bot.content.catalogs import packaged_catalogs
from bot.core.i18n import N_, Translator
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.sandbox.models import ChatMessage
from bot.settings import Secret, Settings
from bot.store.users import UserPatch

DEMO_USER_ID = 1001
DEMO_USER_NAME = "Alex"
# How long the demo waits for the bot to answer one line before prompting again.
ANSWER_TIMEOUT = 30.0

BANNER = N_(
    "FootCare demo: you are chatting with the real bot through a local Telegram sandbox.\n"
    "Type a message or a command (try /start), press a button by typing #N, /help lists the\n"
    "commands. :next jumps to your next daily message time, :quit leaves. Nothing leaves this\n"
    "machine.\n"
)
NO_SUCH_BUTTON = N_("(no button with that number)")
NOTHING_SCHEDULED = N_("(nothing scheduled: send /start first)")
SKIPPED_AHEAD = N_("(skipped ahead to {day} {time} {zone})")
BYE = N_("Bye.")

ReadLine = Callable[[str], Awaitable[str | None]]


async def stdin_reader(prompt: str) -> str | None:
    """Read one line from the terminal without blocking the event loop; None at EOF."""
    try:
        return await asyncio.to_thread(input, prompt)
    except EOFError:
        return None


class Transcript:
    """Prints the bot's new messages and edits, numbering buttons across the latest message,
    and the short notices that answer button presses (Telegram shows them as a toast)."""

    def __init__(self, sandbox: Sandbox, chat_id: int, out: TextIO) -> None:
        self._sandbox = sandbox
        self._chat_id = chat_id
        self._out = out
        self._seen: dict[int, tuple[str | None, int]] = {}
        self._notices = 0
        self.buttons: list[str] = []

    def has_new(self) -> bool:
        """Say whether there is a notice or a new or changed message to print."""
        if len(self._sandbox.callback_answers) > self._notices:
            return True
        return any(
            self._seen.get(m.message_id) != (m.text or m.caption, m.edit_count)
            for m in self._sandbox.messages(self._chat_id)
        )

    def show_new(self) -> None:
        """Print notices, then messages that are new or changed, since the last call."""
        answers = self._sandbox.callback_answers
        for answer in answers[self._notices :]:
            if answer.get("text"):
                self._out.write(f"\nbot (notice): {answer['text']}\n")
        self._notices = len(answers)
        for message in self._sandbox.messages(self._chat_id):
            state = (message.text or message.caption, message.edit_count)
            previous = self._seen.get(message.message_id)
            if previous == state:
                continue
            self._seen[message.message_id] = state
            self._print(message, edited=previous is not None)

    def _print(self, message: ChatMessage, *, edited: bool) -> None:
        label = "bot (edited)" if edited else "bot"
        body = message.text or message.caption or ""
        if message.photo is not None:
            body = f"[photo, {len(message.photo)} bytes] {body}"
        if message.document is not None:
            body = f"[document {message.file_name}] {body}"
        self._out.write(f"\n{label}: " + body.replace("\n", "\n     ") + "\n")
        rows = (message.reply_markup or {}).get("inline_keyboard") or []
        if rows:
            self.buttons = []
            for row in rows:
                cells = []
                for button in row:
                    self.buttons.append(button["text"])
                    cells.append(f"[#{len(self.buttons)} {button['text']}]")
                self._out.write("     " + " ".join(cells) + "\n")
        self._out.flush()


async def _answered(transcript: Transcript) -> None:
    """Wait until the bot has answered (anything new to show), or ANSWER_TIMEOUT seconds."""
    try:
        async with asyncio.timeout(ANSWER_TIMEOUT):
            # The sandbox has no event for "a message changed"; poll the transcript briefly.
            while not transcript.has_new():  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    except TimeoutError:
        pass  # prompt again: the next line may still get the answer shown


async def _skip_to_next_delivery(runtime: Runtime, clock: MovableClock, t: Translator) -> str:
    """Move the demo clock to the user's next daily time and run the dispatcher."""
    user = await runtime.store.users.get(DEMO_USER_ID)
    if user is None or user.next_due_utc is None:
        return t.gettext(NOTHING_SCHEDULED)
    due = datetime.fromtimestamp(user.next_due_utc, UTC)
    gap = due - clock.now()
    if gap > timedelta(0):
        clock.advance(gap + timedelta(seconds=1))
    await runtime.tick()
    async with asyncio.timeout(30):
        await runtime.sender.drain()
    local = due.astimezone(ZoneInfo(user.timezone))
    day = t.date(local.date(), "short")
    return t.gettext(SKIPPED_AHEAD).format(day=day, time=f"{local:%H:%M}", zone=user.timezone)


async def run_demo(
    settings: Settings,
    out: TextIO,
    read_line: ReadLine = stdin_reader,
    clock: MovableClock | None = None,
    *,
    language: str = "en",
) -> int:
    """Run the sandbox and the bot and relay the terminal to the bot until :quit or EOF.

    `language` is the demo user's Telegram language code ("en", "zh", "zh-tw"...).
    """
    clock = clock or ShiftedClock()
    t = packaged_catalogs().get(language)
    # The demo's database outlives the sandbox, and its update inbox knows every update_id it
    # has handled; like Telegram's, the ids keep rising from one run to the next.
    async with Sandbox(first_update_id=int(clock.now().timestamp() * 1000)) as sandbox:
        sandbox.add_user(DEMO_USER_ID, DEMO_USER_NAME, language_code=language)
        demo_settings = dataclasses.replace(
            settings,
            bot_token=Secret(sandbox.token),
            telegram_api_url=sandbox.base_url,
        )
        async with Runtime(demo_settings, clock, poll_timeout=1) as runtime:
            # The demo's file keeps its user between runs: today's language wins over theirs.
            if await runtime.store.users.get(DEMO_USER_ID) is not None:
                patch = UserPatch(language_code=t.language.value)
                await runtime.store.users.update(DEMO_USER_ID, patch)
            transcript = Transcript(sandbox, DEMO_USER_ID, out)
            out.write(t.gettext(BANNER))
            out.flush()
            while True:
                line = await read_line("> ")
                if line is None or line.strip() in (":quit", ":q"):
                    break
                line = line.strip()
                if not line:
                    transcript.show_new()
                    continue
                if line == ":next":
                    out.write(await _skip_to_next_delivery(runtime, clock, t) + "\n")
                    await sandbox.settle(quiet=0.3, timeout=30)
                    transcript.show_new()
                    continue
                if line.startswith("#") and line[1:].isdigit():
                    index = int(line[1:]) - 1
                    if not 0 <= index < len(transcript.buttons):
                        out.write(t.gettext(NO_SUCH_BUTTON) + "\n")
                        continue
                    sandbox.press_button(DEMO_USER_ID, transcript.buttons[index])
                else:
                    sandbox.send_text(DEMO_USER_ID, line)
                # Every message and press gets an answer; a chart can take a few seconds
                # (the first one loads matplotlib), longer than a quiet spell of the sandbox.
                await _answered(transcript)
                await sandbox.settle(quiet=0.3, timeout=10)
                transcript.show_new()
    out.write(t.gettext(BYE) + "\n")
    return 0
