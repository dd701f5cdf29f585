"""Fixtures for delivery tests: sandboxes with flood limits and bots with many due users."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.composition import Content
from bot.core import texts
from bot.core.i18n import ENGLISH as EN
from bot.core.outbox import PARAGRAPH
from bot.delivery.sender import SenderOptions
from bot.runtime import Runtime
from bot.sandbox import Call, Sandbox
from tests.conftest import FAST_SENDER, HOUR, bot_settings
from tests.e2e.chat import serve

# New users are scheduled at the default 09:00 UTC; the conftest clock starts at 07:00.
DAY = date(2026, 11, 24)
DUE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
FIRST_USER = 1000


class Harness:
    """Starts sandboxes and bots for one test and stops them all, bots first."""

    def __init__(self, tmp_path: Path, clock: FakeClock, content: Content) -> None:
        self.tmp_path = tmp_path
        self.clock = clock
        self.content = content
        self._sandboxes: list[Sandbox] = []
        self._bots: list[Runtime] = []

    async def sandbox(self, **limits: float) -> Sandbox:
        """Start a sandbox (optionally with global_limit / per_chat_limit)."""
        server = Sandbox(**limits)  # type: ignore[arg-type]
        await server.start()
        self._sandboxes.append(server)
        return server

    async def bot(
        self, sandbox: Sandbox, *, sender: SenderOptions = FAST_SENDER, **overrides: object
    ) -> Runtime:
        """Start the real bot against a sandbox with settings overrides."""
        runtime = Runtime(
            bot_settings(sandbox, self.tmp_path, **overrides),
            self.clock,
            content=self.content,
            sender_options=sender,
            poll_timeout=1,
            dispatch_interval=HOUR,  # tests call tick() themselves
        )
        await runtime.start()
        self._bots.append(runtime)
        serve(sandbox, runtime)
        return runtime

    async def close(self) -> None:
        """Stop every bot, then every sandbox."""
        for runtime in reversed(self._bots):
            await runtime.stop()
        for server in reversed(self._sandboxes):
            await server.stop()


@pytest.fixture
async def harness(
    tmp_path: Path, clock: FakeClock, content: Content, own_ticks: None
) -> AsyncIterator[Harness]:
    """A harness whose bots and sandboxes are stopped at the end of the test."""
    made = Harness(tmp_path, clock, content)
    yield made
    await made.close()


async def subscribe(runtime: Runtime, sandbox: Sandbox, count: int) -> list[int]:
    """Subscribe `count` users straight through the service; they are due at 09:00 UTC."""
    user_ids = list(range(FIRST_USER, FIRST_USER + count))
    for user_id in user_ids:
        sandbox.add_user(user_id, f"User{user_id}")
        await runtime.features.subscription.start(user_id, user_id, f"User{user_id}", "en")
    return user_ids


def is_daily(text: str | None, day: date = DAY) -> bool:
    """Tell a day's daily message (a tip above the check-in question) from any other text."""
    return (
        text is not None
        and text.startswith("Today's foot-care tip")
        and text.endswith(PARAGRAPH + texts.checkin_prompt(EN, day))
    )


def chat_calls(sandbox: Sandbox) -> list[Call]:
    """Return every call addressed to a chat (sends and edits), which the rate limit covers."""
    return [c for c in sandbox.calls if "chat_id" in c.params]
