"""A tiny driver for end-to-end tests: talk to the bot as one sandbox user."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable

from bot.core import callbacks
from bot.core.callbacks import (
    BroadcastChoice,
    Callback,
    CheckinAnswer,
    CountryChoice,
    DiabetesAnswer,
    DiabetesChoice,
    PainChoice,
    RedFlagAnswer,
    SideChoice,
    SiteChoice,
    TimeChoice,
    WarningSignsRequest,
    ZoneChoice,
)
from bot.core.escalation import PainDuration
from bot.core.outcomes import PainSite, Side
from bot.core.warning_signs import RedFlag
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.sandbox.models import ChatMessage

Wanted = Callback | Callable[[Callback], bool]
MAX_PAGES = 5  # the warning-sign list has one page per urgency
SETTLE_TIMEOUT = 30.0

# The bots tests/conftest.py's make_bot started against each sandbox. A chat waits until they
# have handled every update it sent, an event, rather than for a quiet spell: a spell costs
# every exchange its length, and on a busy machine a reply can come after it.
_BOTS: weakref.WeakKeyDictionary[Sandbox, list[Runtime]] = weakref.WeakKeyDictionary()


def serve(sandbox: Sandbox, bot: Runtime) -> None:
    """Let chats on `sandbox` wait for `bot` to handle their updates."""
    _BOTS.setdefault(sandbox, []).append(bot)


async def settled(sandbox: Sandbox) -> None:
    """Wait until the bot has handled every update sent so far and no call of its is running.

    A sandbox with no bot from make_bot (a test that builds its own) falls back to waiting
    for a quiet spell.
    """
    bots = _BOTS.get(sandbox)
    if not bots:
        await sandbox.settle(quiet=0.15, timeout=SETTLE_TIMEOUT)
        return
    async with asyncio.timeout(SETTLE_TIMEOUT):
        while True:
            if sandbox.idle():
                for bot in bots:
                    # Private, but the only handle on the queue: python-telegram-bot marks an
                    # update done there once every handler has finished with it.
                    app = bot._app
                    if app is not None:
                        await app.update_queue.join()
                if sandbox.idle():
                    return
            await asyncio.sleep(0.005)


class Chat:
    """One user's conversation with the bot through the sandbox."""

    def __init__(
        self, sandbox: Sandbox, user_id: int, first_name: str = "Sam", language_code: str = "en"
    ) -> None:
        self.sandbox = sandbox
        self.user_id = user_id
        sandbox.add_user(user_id, first_name, language_code=language_code)
        self._read = 0

    async def say(self, text: str, expect: int = 1) -> list[ChatMessage]:
        """Send text (or a command) and return the bot's new messages once it goes quiet.

        `expect` waits for at least that many new messages first (every message gets a reply;
        charts take a moment), so a slow machine cannot make a test read too early.
        """
        self.sandbox.send_text(self.user_id, text)
        return await self.replies(expect)

    async def tap(self, wanted: Wanted, expect: int = 0) -> list[ChatMessage]:
        """Press the newest button whose action matches and return new messages.

        Buttons are found by what they do (their decoded callback data), not by their label,
        so the tests hold in every language.
        """
        tap(self.sandbox, self.user_id, wanted)
        return await self.replies(expect)

    async def score(self, score: int, expect: int = 0) -> list[ChatMessage]:
        """Answer the newest check-in with a score button."""
        return await self.tap(lambda c: isinstance(c, CheckinAnswer) and c.score == score, expect)

    async def flag(self, flag: RedFlag, expect: int = 0) -> list[ChatMessage]:
        """Answer the newest warning-sign question, turning its pages to find the sign.

        The list comes one urgency at a time: "None of these: more signs" brings the next page.
        """
        for _ in range(MAX_PAGES):
            found = find(self.sandbox, self.user_id, lambda c: isinstance(c, RedFlagAnswer))
            assert found is not None, "no warning-sign question in the chat"
            page = decoded_buttons(self.sandbox, self.user_id, found[0])
            if any(isinstance(c, RedFlagAnswer) and c.flag is flag for c in page):
                return await self.tap(
                    lambda c: isinstance(c, RedFlagAnswer) and c.flag is flag, expect
                )
            more = [c for c in page if isinstance(c, WarningSignsRequest)]
            assert more, f"no page of the list shows {flag!r}"
            self.sandbox.press_callback(self.user_id, callbacks.encode(more[0]), found[0])
            await self.replies(1)
        raise AssertionError(f"{flag!r} not found within {MAX_PAGES} pages")

    async def replies(self, expect: int = 0) -> list[ChatMessage]:
        """Return messages the bot sent since the last call, once it has handled every update."""
        async with asyncio.timeout(SETTLE_TIMEOUT):
            while len(self.sandbox.messages(self.user_id)) - self._read < expect:  # noqa: ASYNC110
                await asyncio.sleep(0.005)
        await settled(self.sandbox)
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

    async def onboard(
        self,
        zone: str = "Europe/London",
        at: str = "09:00",
        *,
        country: str | None = None,
        pain: PainDuration | None = None,
        site: PainSite | None = None,
        side: Side | None = None,
        diabetes: DiabetesAnswer = DiabetesAnswer.SKIP,
    ) -> None:
        """Go through /start: a zone, a country, how long the pain has gone on, where it hurts
        and which foot (each skipped unless given), a time, and the diabetes question (skipped
        unless given).

        The country is the one given (tapped if offered, else typed after "Other"), else the
        first offered (the zone's own), else "other" typed when none is offered.
        """
        # Each step waits for its reply, so a slow machine cannot make the next press miss
        # the buttons it needs.
        await self.say("/start", expect=1)
        if find(self.sandbox, self.user_id, ZoneChoice(zone)) is not None:
            await self.tap(ZoneChoice(zone), expect=1)
        else:
            await self.say(zone, expect=1)
        await self.onboard_rest(
            at, country=country, pain=pain, site=site, side=side, diabetes=diabetes
        )

    async def onboard_rest(
        self,
        at: str = "09:00",
        *,
        country: str | None = None,
        pain: PainDuration | None = None,
        site: PainSite | None = None,
        side: Side | None = None,
        diabetes: DiabetesAnswer = DiabetesAnswer.SKIP,
    ) -> None:
        """Finish onboarding once the zone is chosen (see `onboard`)."""
        await self.confirm_country(country)
        await self.tap(PainChoice(pain), expect=2)  # the picture, then where it hurts
        await self.onboard_site(site, side)
        if find(self.sandbox, self.user_id, TimeChoice(at)) is not None:
            await self.tap(TimeChoice(at), expect=2)
        else:
            await self.say(at, expect=2)
        await self.tap(DiabetesChoice(diabetes), expect=1)

    async def onboard_site(self, site: PainSite | None, side: Side | None) -> None:
        """Answer where it hurts and which foot (skip when None); the time question follows,
        after the joints question when both feet hurt."""
        if site is None:
            await self.tap(SiteChoice(None), expect=1)
            return
        await self.tap(SiteChoice(site), expect=1)
        await self.tap(SideChoice(side), expect=2 if side is Side.BOTH else 1)

    async def confirm_country(self, country: str | None = None) -> list[ChatMessage]:
        """Answer "which country are you in?": tap it, or type it after "Other"."""
        if country is None:
            offered = find(self.sandbox, self.user_id, _a_country)
            if offered is not None:
                return await self.tap(_a_country, expect=1)
            country = "other"
        if find(self.sandbox, self.user_id, CountryChoice(country)) is not None:
            return await self.tap(CountryChoice(country), expect=1)
        await self.tap(CountryChoice(None), expect=1)
        return await self.say(country, expect=2)


def _a_country(choice: Callback) -> bool:
    return isinstance(choice, CountryChoice) and choice.code is not None


def find(sandbox: Sandbox, user_id: int, wanted: Wanted) -> tuple[int, str] | None:
    """Return (message id, data) of the newest button in the chat that matches, if any."""

    def match(decoded: Callback) -> bool:
        return wanted(decoded) if callable(wanted) else decoded == wanted

    for message in reversed(sandbox.messages(user_id)):
        for row in (message.reply_markup or {}).get("inline_keyboard") or []:
            for button in row:
                data = button.get("callback_data")
                decoded = callbacks.decode(data)
                if decoded is not None and match(decoded):
                    return message.message_id, data
    return None


def decoded_buttons(sandbox: Sandbox, user_id: int, message_id: int) -> list[Callback]:
    """Return what each button of one message does, row by row."""
    [message] = [m for m in sandbox.messages(user_id) if m.message_id == message_id]
    rows = (message.reply_markup or {}).get("inline_keyboard") or []
    found = [callbacks.decode(button.get("callback_data")) for row in rows for button in row]
    return [c for c in found if c is not None]


def tap(sandbox: Sandbox, user_id: int, wanted: Wanted) -> int:
    """Press the newest matching button as `user_id`; fail the test when there is none."""
    found = find(sandbox, user_id, wanted)
    assert found is not None, f"no button for {wanted!r} in chat {user_id}"
    message_id, data = found
    return sandbox.press_callback(user_id, data, message_id)


def send_broadcast(choice: Callback) -> bool:
    """Match a broadcast preview's Send button."""
    return isinstance(choice, BroadcastChoice) and choice.send


def cancel_broadcast(choice: Callback) -> bool:
    """Match a broadcast preview's Cancel button."""
    return isinstance(choice, BroadcastChoice) and not choice.send


def buttons(message: ChatMessage) -> list[str]:
    """Return the labels of a message's inline buttons, row by row."""
    rows = (message.reply_markup or {}).get("inline_keyboard") or []
    return [button["text"] for row in rows for button in row]
