"""The dispatcher wakes at the earliest due time, not at its next periodic tick."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.clock import SystemClock
from bot.core.schedule import local_date
from bot.sandbox import Sandbox
from bot.store import UserPatch
from tests.conftest import BotFactory
from tests.e2e.chat import Chat


async def test_a_send_time_moved_close_is_met_without_waiting_for_the_periodic_tick(
    make_bot: BotFactory, sandbox: Sandbox
) -> None:
    """With the periodic tick an hour away, a daily time a second from now is still met."""
    clock = SystemClock()
    bot = await make_bot(clock_=clock, wake_at_due=True)
    chat = Chat(sandbox, 4101)
    await chat.onboard("UTC", "09:00")
    await chat.replies()
    soon = clock.now() + timedelta(seconds=1)
    # The store tells the bot the schedule moved, as /time and /resume do.
    await bot.store.users.update(
        4101,
        UserPatch(next_due_utc=soon.timestamp(), next_due_date=local_date(soon, ZoneInfo("UTC"))),
    )
    daily = await chat.replies(expect=1)
    assert daily, "the daily message did not come before the periodic tick"
    assert bot.last_dispatch is not None
    assert bot.last_dispatch >= soon
