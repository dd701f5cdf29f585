"""The sender's daily-message arm: what goes out after an answer or an ambiguous timeout.

Telegram's answers are scripted on an autospec'd ExtBot, because the sandbox cannot time out a
request after delivering it; the outbox is a real SQLite file.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any
from unittest.mock import create_autospec

from telegram import Chat, Message
from telegram.error import TimedOut
from telegram.ext import ExtBot

from bot.clock import FakeClock
from bot.core.outbox import DailyMessage
from bot.delivery.sender import Sender
from bot.store import Store
from bot.store.outbox import NewMessage
from bot.telegram.keyboards import keyboard
from tests.conftest import FAST_SENDER
from tests.features.conftest import onboard
from tests.store.helpers import enqueue, outbox_rows

DAY = date(2026, 11, 24)
BUTTONS = ((("0", "ci:2026-11-24:0"), ("1", "ci:2026-11-24:1")),)
DAILY = DailyMessage("Today's foot-care tip\n\nRest.\n\nSource: NHS", "Pain today?", BUTTONS)


def delivered() -> Message:
    return Message(7, datetime(2026, 11, 24, tzinfo=UTC), Chat(1, Chat.PRIVATE))


async def deliver(store: Store, bot: Any) -> list[dict[str, object]]:
    """Queue DAILY for user 1, let the sender drain it, return the kwargs of each send."""
    await enqueue(store, NewMessage("daily:1:2026-11-24", 1, 1, DAILY, DAY))
    sender = Sender(store, bot, FAST_SENDER)
    sender.start()
    try:
        async with asyncio.timeout(10):
            await sender.drain()
    finally:
        await sender.stop()
    return [call.kwargs for call in bot.send_message.await_args_list]


async def test_a_daily_message_goes_whole_with_its_buttons(store: Store, clock: FakeClock) -> None:
    await onboard(store, clock)
    bot = create_autospec(ExtBot, instance=True)
    bot.send_message.return_value = delivered()
    [sent] = await deliver(store, bot)
    assert sent["text"] == DAILY.text
    assert sent["reply_markup"] == keyboard(BUTTONS)
    [row] = await outbox_rows(store, 1)
    assert (row["status"], row["message_id"]) == ("sent", 7)


async def test_a_check_in_answered_before_sending_leaves_the_tip_alone(
    store: Store, clock: FakeClock
) -> None:
    """Answered by /checkin meanwhile: not skipped, the tip still goes, without buttons."""
    await onboard(store, clock)
    await store.diary.record_checkin(1, DAY, 4)
    bot = create_autospec(ExtBot, instance=True)
    bot.send_message.return_value = delivered()
    [sent] = await deliver(store, bot)
    assert sent["text"] == DAILY.tip
    assert sent["reply_markup"] is None
    [row] = await outbox_rows(store, 1)
    assert row["status"] == "sent"


async def test_a_resend_after_an_ambiguous_timeout_asks_only_the_question(
    store: Store, clock: FakeClock
) -> None:
    """The first request may have arrived: the tip is not sent twice, the question is."""
    await onboard(store, clock)
    bot = create_autospec(ExtBot, instance=True)
    bot.send_message.side_effect = [TimedOut("Timed out"), delivered()]
    first, again = await deliver(store, bot)
    assert first["text"] == DAILY.text
    assert again["text"] == DAILY.prompt
    assert again["reply_markup"] == keyboard(BUTTONS)
    [row] = await outbox_rows(store, 1)
    assert row["status"] == "sent"


async def test_nothing_is_resent_when_the_check_in_was_answered_after_the_timeout(
    store: Store, clock: FakeClock
) -> None:
    await onboard(store, clock)
    bot = create_autospec(ExtBot, instance=True)

    async def answered_then_timed_out(**_: object) -> Message:
        await store.diary.record_checkin(1, DAY, 2)
        raise TimedOut("Timed out")

    bot.send_message.side_effect = answered_then_timed_out
    [only] = await deliver(store, bot)
    assert only["text"] == DAILY.text
    [row] = await outbox_rows(store, 1)
    assert row["status"] == "skipped"


async def test_a_pool_timeout_sends_the_whole_message_again(store: Store, clock: FakeClock) -> None:
    """A pool timeout means the request never left: nothing may have arrived."""
    await onboard(store, clock)
    bot = create_autospec(ExtBot, instance=True)
    bot.send_message.side_effect = [TimedOut("Pool timeout: all connections busy"), delivered()]
    first, again = await deliver(store, bot)
    assert first["text"] == again["text"] == DAILY.text
