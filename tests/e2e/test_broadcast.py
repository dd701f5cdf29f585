"""Admin broadcasts and stats end to end: preview, confirm, cancel, double press, non-admins,
reply-to-message, a large rate-limited broadcast and /stats."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest

from bot.clock import SystemClock
from bot.core import texts
from bot.core.states import UserStatus
from bot.features.common import today as local_today
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.sandbox.models import Call
from bot.store import UserPatch
from tests.conftest import BotFactory
from tests.e2e.chat import Chat, buttons, cancel_broadcast, send_broadcast, tap

ADMIN = 42
SUBSCRIBERS = [2001, 2002, 2003]


async def seed(bot: Runtime, sandbox: Sandbox, user_ids: list[int]) -> None:
    """Create active subscribers directly in the database (onboarding is tested elsewhere)."""
    for user_id in user_ids:
        sandbox.add_user(user_id, f"U{user_id}")
        await bot.store.users.create(user_id, user_id, f"U{user_id}", "en")


def received(sandbox: Sandbox, user_ids: list[int], text: str) -> Counter[int]:
    """Count, per user, the messages with exactly this text."""
    return Counter(uid for uid in user_ids for m in sandbox.messages(uid) if (m.text or "") == text)


async def wait_for_text(sandbox: Sandbox, chat_id: int, start: str) -> str:
    """Wait for a bot message in the chat starting with `start`; return its text."""
    async with asyncio.timeout(15):
        while True:
            for message in sandbox.messages(chat_id):
                if (message.text or "").startswith(start):
                    return message.text or ""
            await asyncio.sleep(0.05)


BY_LANGUAGE = (("en", 3), ("zh", 0))  # the three seeded subscribers read English


async def finish(bot: Runtime) -> None:
    """Let the sender drain and the monitor post its final report."""
    await asyncio.wait_for(bot.sender.drain(), 120)
    await bot.monitor.update_once()


async def admin_bot(make_bot: BotFactory, sandbox: Sandbox, **settings: object) -> Runtime:
    """Start the bot with one admin and three subscribers."""
    bot = await make_bot(admin_ids=frozenset({ADMIN}), **settings)
    await seed(bot, sandbox, SUBSCRIBERS)
    return bot


async def test_preview_sends_nothing(make_bot: BotFactory, sandbox: Sandbox) -> None:
    """/broadcast shows the text, the recipient count and Send/Cancel; nobody gets anything."""
    await admin_bot(make_bot, sandbox)
    admin = Chat(sandbox, ADMIN)
    [preview] = await admin.say("/broadcast Clinic talk on Friday")
    assert preview.text == texts.broadcast_preview("Clinic talk on Friday", 3, BY_LANGUAGE)
    assert buttons(preview) == ["Send to 3 subscribers", "Cancel"]
    assert sum(received(sandbox, SUBSCRIBERS, "Clinic talk on Friday").values()) == 0


async def test_confirm_delivers_once_each_and_reports(
    make_bot: BotFactory, sandbox: Sandbox
) -> None:
    """Send delivers one copy per subscriber; the preview becomes the final report."""
    bot = await admin_bot(make_bot, sandbox)
    admin = Chat(sandbox, ADMIN)
    [preview] = await admin.say("/broadcast Hello all")
    await admin.tap(send_broadcast)
    await finish(bot)
    assert received(sandbox, SUBSCRIBERS, "Hello all") == Counter(SUBSCRIBERS)
    assert preview.text is not None
    assert preview.text.startswith("Broadcast finished.")
    assert "Delivered: 3" in preview.text
    assert "messages/s" in preview.text


async def test_cancel_button_sends_nothing(make_bot: BotFactory, sandbox: Sandbox) -> None:
    """Cancel on the preview ends the draft; Send is gone and nothing is sent."""
    bot = await admin_bot(make_bot, sandbox)
    admin = Chat(sandbox, ADMIN)
    [preview] = await admin.say("/broadcast Never mind")
    await admin.tap(cancel_broadcast)
    await finish(bot)
    assert preview.text == texts.broadcast_cancelled_preview()
    assert sum(received(sandbox, SUBSCRIBERS, "Never mind").values()) == 0


async def test_double_press_starts_one_broadcast(make_bot: BotFactory, sandbox: Sandbox) -> None:
    """Two quick presses of Send deliver one copy each, not two."""
    bot = await admin_bot(make_bot, sandbox)
    admin = Chat(sandbox, ADMIN)
    await admin.say("/broadcast Only once")
    tap(sandbox, ADMIN, send_broadcast)
    tap(sandbox, ADMIN, send_broadcast)
    await admin.replies()
    await finish(bot)
    assert received(sandbox, SUBSCRIBERS, "Only once") == Counter(SUBSCRIBERS)


async def test_non_admin_sees_an_unknown_command(make_bot: BotFactory, sandbox: Sandbox) -> None:
    """For a non-admin /broadcast, /broadcast_cancel and /stats answer like unknown commands."""
    bot = await admin_bot(make_bot, sandbox)
    intruder = Chat(sandbox, 666)
    for command in ("/broadcast Buy now", "/broadcast_cancel", "/stats"):
        [reply] = await intruder.say(command)
        assert reply.text == texts.UNKNOWN_COMMAND
    await finish(bot)
    assert sum(received(sandbox, SUBSCRIBERS, "Buy now").values()) == 0


async def test_reply_to_message_broadcasts_its_text(make_bot: BotFactory, sandbox: Sandbox) -> None:
    """/broadcast sent as a reply reuses the replied-to message's text."""
    bot = await admin_bot(make_bot, sandbox)
    admin = Chat(sandbox, ADMIN)
    await admin.say("New stretching video is out")
    source = sandbox.messages(ADMIN)[-1]  # the bot's answer; reply to the admin's own text
    sandbox.reply_to(ADMIN, "/broadcast", source.message_id)
    [preview] = await admin.replies()
    assert preview.text == texts.broadcast_preview(source.text or "", 3, BY_LANGUAGE)
    await admin.tap(send_broadcast)
    await finish(bot)
    assert received(sandbox, SUBSCRIBERS, source.text or "") == Counter(SUBSCRIBERS)


async def test_broadcast_cancel_stops_the_rest(make_bot: BotFactory, sandbox: Sandbox) -> None:
    """/broadcast_cancel during a slow broadcast reports how many were not sent."""
    bot = await make_bot(admin_ids=frozenset({ADMIN}), send_rate_limit=5)
    users = list(range(3001, 3041))
    await seed(bot, sandbox, users)
    admin = Chat(sandbox, ADMIN)
    await admin.say("/broadcast Slow news")
    tap(sandbox, ADMIN, send_broadcast)
    await wait_for_text(sandbox, ADMIN, "Broadcasting")
    async with asyncio.timeout(15):  # some copies out (at 5 a second), then the cancel
        while not received(sandbox, users, "Slow news"):  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    sandbox.send_text(ADMIN, "/broadcast_cancel")
    report = await wait_for_text(sandbox, ADMIN, "Broadcast stopped")
    await finish(bot)
    delivered = sum(received(sandbox, users, "Slow news").values())
    # A message in flight when the cancel lands may still arrive after the report.
    assert report in {
        texts.broadcast_cancel_report(40 - n) for n in range(delivered - 8, delivered + 1)
    }
    assert 0 < delivered < 40


def busiest_second(calls: list[Call]) -> int:
    """Return the most calls arriving within any one-second window."""
    times = sorted(c.at for c in calls)
    best, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


@pytest.mark.slow
@pytest.mark.usefixtures("quiet_gc")
async def test_large_broadcast_is_exact_and_rate_limited(
    make_bot: BotFactory, sandbox: Sandbox
) -> None:
    """2,000 subscribers (20 blocked): one copy each to the rest, blocked ones skipped, and no
    one-second window above SEND_RATE_LIMIT, judged by the sandbox's own clock."""
    rate = 200
    bot = await make_bot(
        admin_ids=frozenset({ADMIN}),
        send_rate_limit=rate,
        paid_broadcast=True,
        clock_=SystemClock(),  # the report's elapsed time and rate are real here
    )
    users = list(range(10_000, 12_000))
    await seed(bot, sandbox, users)
    blocked = users[::100]
    for user_id in blocked:
        sandbox.block(user_id)
    admin = Chat(sandbox, ADMIN)
    await admin.say("/broadcast Big news")
    [preview] = [m for m in sandbox.messages(ADMIN) if "Big news" in (m.text or "")]
    tap(sandbox, ADMIN, send_broadcast)  # no settling: it stays busy
    await wait_for_text(sandbox, ADMIN, "Broadcasting")
    await finish(bot)
    active = [u for u in users if u not in blocked]
    assert received(sandbox, active, "Big news") == Counter(active)
    assert sum(received(sandbox, blocked, "Big news").values()) == 0
    sends = [c for c in sandbox.calls if c.method == "sendMessage" and c.params.get("chat_id")]
    assert busiest_second(sends) <= rate
    assert preview.text is not None
    assert "Delivered: 1980" in preview.text
    assert "Blocked the bot: 20" in preview.text
    achieved = float(preview.text.rsplit(", ", 1)[1].split()[0])
    assert 0 < achieved <= rate
    assert all(c.params.get("allow_paid_broadcast") for c in sends if c.params["chat_id"] != ADMIN)
    print(preview.text)  # the achieved rate, for the log


async def test_stats_match_a_seeded_database(make_bot: BotFactory, sandbox: Sandbox) -> None:
    """/stats counts subscribers, check-ins, pain and escalations from a known database."""
    bot = await make_bot(admin_ids=frozenset({ADMIN}))
    await seed(bot, sandbox, [1, 2, 3, 4, 5])
    store = bot.store
    today = local_today(bot.clock, await _user(bot, 1))
    await store.users.update(2, UserPatch(status=UserStatus.STOPPED))
    await store.users.update(3, UserPatch(status=UserStatus.BLOCKED))
    await store.users.update(4, UserPatch(paused_until=today + timedelta(days=3)))
    await store.diary.record_checkin(1, today, 6)
    await store.diary.record_checkin(5, today, 2)
    await store.diary.record_checkin(1, today - timedelta(days=1), 4)
    await store.escalations.add(1, "persistent", "routine", today, [(today, 6)])
    await store.escalations.add(5, "red_flag_urgent", "urgent", today, [(today, 2)])
    [reply] = await Chat(sandbox, ADMIN).say("/stats")
    assert reply.text is not None
    lines = reply.text.splitlines()
    assert "Subscribers: 2 active, 1 paused, 1 stopped, 1 blocked" in lines
    assert "New in the last 7 days: 5" in lines
    assert "Check-ins today: 2" in lines
    assert "Average pain today: 4.0, last 7 days: 4.0" in lines
    assert "Escalations, 7 days: persistent 1, red_flag_urgent 1" in lines
    assert "Outbox backlog: 0" in lines


async def _user(bot: Runtime, user_id: int):  # type: ignore[no-untyped-def]
    user = await bot.store.users.get(user_id)
    assert user is not None
    return user


async def test_broadcast_to_one_language_counts_only_its_readers(
    make_bot: BotFactory, sandbox: Sandbox
) -> None:
    """/broadcast zh ... targets Chinese readers: the three English subscribers are not sent."""
    await admin_bot(make_bot, sandbox)
    admin = Chat(sandbox, ADMIN)
    [nobody] = await admin.say("/broadcast zh 周五有讲座")
    assert nobody.text == texts.BROADCAST_EMPTY
    [preview] = await admin.say("/broadcast en Clinic talk on Friday")
    assert preview.text == texts.broadcast_preview("Clinic talk on Friday", 3, BY_LANGUAGE, "en")
