"""Daily delivery end to end: each user's local time, across DST changes, once per local day."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FakeClock
from bot.composition import Content
from bot.core import texts
from bot.core.i18n import ENGLISH as EN
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from tests.conftest import FAST_SENDER, HOUR, BotFactory, bot_settings
from tests.e2e.chat import Chat, serve

# (user id, zone, daily time). Berlin at 02:30 meets the autumn overlap on 25 October; New York
# changes on 1 November; Adelaide is south of the equator with a half-hour offset; Kolkata has
# a half-hour offset and no DST; Lord Howe changes by half an hour.
USERS = [
    (701, "Europe/Berlin", "02:30"),
    (702, "America/New_York", "09:00"),
    (703, "Australia/Adelaide", "07:00"),
    (704, "Asia/Kolkata", "20:00"),
    (705, "Australia/Lord_Howe", "08:15"),
]
SIM_START = datetime(2026, 10, 10, 12, 0, tzinfo=UTC)
DAYS = 30
STEP = timedelta(minutes=10)


MakeBotAt = Callable[[], Awaitable[Runtime]]


@pytest.fixture
def make_bot_at(make_bot: BotFactory) -> MakeBotAt:
    """Start a bot (again) on the same database and sandbox: a restart."""

    async def start() -> Runtime:
        return await make_bot()

    return start


@pytest.fixture
def sim_clock() -> FakeClock:
    """A clock starting mid-October, before the European and American DST changes."""
    return FakeClock(SIM_START)


@pytest.mark.slow
@pytest.mark.usefixtures("own_ticks")
async def test_thirty_days_across_dst_one_daily_message_per_local_day(
    tmp_path: Path, sim_clock: FakeClock, content: Content
) -> None:
    """Every user gets exactly one daily message (tip and check-in) per local day, at their
    local time, and no weekly chart: they never answer, so there is nothing to draw."""
    async with Sandbox(clock=sim_clock) as sandbox:
        runtime = Runtime(
            bot_settings(sandbox, tmp_path),
            sim_clock,
            content=content,
            sender_options=FAST_SENDER,
            poll_timeout=1,
            dispatch_interval=HOUR,
        )
        async with runtime:
            serve(sandbox, runtime)
            for user_id, zone, at in USERS:
                await Chat(sandbox, user_id).onboard(zone, at)
            onboarded = {uid: len(sandbox.messages(uid)) for uid, _, _ in USERS}
            end = SIM_START + timedelta(days=DAYS)
            while sim_clock.now() < end:
                sim_clock.advance(STEP)
                if await runtime.tick():
                    await runtime.sender.drain()

    for user_id, zone, at in USERS:
        tz = ZoneInfo(zone)
        chosen = time.fromisoformat(at)
        daily = sandbox.messages(user_id)[onboarded[user_id] :]
        kinds: Counter[tuple[date, str]] = Counter()
        for message in daily:
            local = datetime.fromtimestamp(message.date, UTC).astimezone(tz)
            assert message.photo is None, (user_id, local)
            assert message.text is not None
            assert message.text.startswith("Today's foot-care tip"), message.text
            assert message.text.endswith(texts.checkin_prompt(EN, local.date())), message.text
            kinds[(local.date(), "daily")] += 1
            # Sent within one dispatcher step of the chosen local time (02:30 in a spring gap
            # would be 03:30; no gap falls in this window).
            scheduled = datetime.combine(local.date(), chosen, tzinfo=tz).replace(fold=0)
            assert timedelta(0) <= local - scheduled.astimezone(tz) <= STEP, (user_id, local)
        assert all(count == 1 for count in kinds.values()), (user_id, kinds.most_common(3))
        assert len(kinds) >= DAYS - 1, (user_id, len(kinds))


async def test_catch_up_after_downtime_sends_today(
    make_bot_at: MakeBotAt, sandbox: Sandbox, clock: FakeClock
) -> None:
    """A bot down at 09:00 and back at 12:00 still sends today's message."""
    bot = await make_bot_at()
    chat = Chat(sandbox, 801)
    await chat.onboard("Europe/London", "09:00")
    await bot.stop()
    clock.advance(timedelta(hours=5))  # 07:00 -> 12:00 London, three hours after 09:00
    restarted = await make_bot_at()
    await restarted.tick()
    await restarted.sender.drain()
    [daily] = await chat.replies()
    assert daily.text is not None
    assert daily.text.startswith("Today's foot-care tip")
    assert daily.text.endswith(texts.checkin_prompt(EN, date(2026, 11, 24)))


async def test_no_catch_up_for_yesterday(
    make_bot_at: MakeBotAt, sandbox: Sandbox, clock: FakeClock
) -> None:
    """A 23:00 message missed by downtime is not sent after midnight; the next day's is."""
    bot = await make_bot_at()
    chat = Chat(sandbox, 802)
    await chat.onboard("Europe/London", "23:00")
    await bot.stop()
    clock.advance(timedelta(hours=18))  # 07:00 -> 01:00 the next day
    restarted = await make_bot_at()
    await restarted.tick()
    await restarted.sender.drain()
    assert await chat.replies() == []
    clock.advance(timedelta(hours=22, minutes=5))  # 23:05 that day
    await restarted.tick()
    await restarted.sender.drain()
    assert len(await chat.replies()) == 1
