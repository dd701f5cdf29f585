"""Tips end to end: /tip over the sandbox, and 120 days of rotation across a restart."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import FakeClock
from bot.core.schedule import Due, send_instant
from bot.core.tips import TipSet
from bot.features.common import today
from bot.features.daily import DailyPlan
from bot.features.subscription import Subscription
from bot.features.tips import Tips
from bot.runtime import Content, Runtime
from bot.sandbox import Sandbox
from bot.store import Store, User
from tests.e2e.chat import Chat

USER = 901


async def test_tip_command_sends_a_sourced_tip(bot: Runtime, sandbox: Sandbox) -> None:
    """/tip answers with a tip and its source, and records it as today's tip."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    [reply] = await chat.say("/tip")
    assert reply.text is not None
    assert reply.text.startswith("Today's foot-care tip")
    assert "\n\nSource: " in reply.text
    [record] = await bot.store.tips.history(USER)
    tip = bot.features.tips.tips.by_id(record.tip_id)
    assert tip is not None
    assert tip.text_for("en") in reply.text


async def test_tip_counts_as_the_days_tip(bot: Runtime, sandbox: Sandbox, clock: FakeClock) -> None:
    """After /tip in the morning, the 09:00 delivery brings only the check-in."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/tip")
    clock.advance(timedelta(hours=3))
    await bot.tick()
    await bot.sender.drain()
    [prompt] = await chat.replies()
    assert prompt.text is not None
    assert "How is your heel/foot pain today?" in prompt.text


async def _simulate(
    path: Path, clock: FakeClock, tips: TipSet, users: list[int], days: int, pain: dict[int, int]
) -> dict[int, list[str]]:
    """Give each user one tip a day for `days` days; return the tip ids in order."""
    store = await Store.open(path, clock)
    subscription, tip_feature = Subscription(store, clock), Tips(store, clock, tips)
    given: dict[int, list[str]] = {u: [] for u in users}
    try:
        for _ in range(days):
            for user_id in users:
                if await store.users.get(user_id) is None:
                    await subscription.start(user_id, user_id, "T", "en")
                if user_id in pain:
                    user = await store.users.get(user_id)
                    assert user is not None
                    await store.diary.record_checkin(user_id, today(clock, user), pain[user_id])
                await tip_feature.now(user_id)
            clock.advance(timedelta(days=1))
        for user_id in users:
            given[user_id] = [r.tip_id for r in await store.tips.history(user_id)]
    finally:
        await store.close()
    return given


async def test_rotation_120_days_no_repeats_and_stable_across_restart(
    tmp_path: Path, clock: FakeClock, content: Content
) -> None:
    """120 days for several users: no repeat within a cycle, orders differ, a restart changes
    nothing, and a user in pain gets the high-pain tips first."""
    users = [1, 2, 3, 4]
    pain = {4: 8}
    # Two halves with a restart (a new Store on the same file) in between.
    await _simulate(tmp_path / "a.db", clock, content.tips, users, 60, pain)
    split = await _simulate(tmp_path / "a.db", clock, content.tips, users, 60, pain)
    n = len(content.tips)
    for user_id in users:
        given = split[user_id]
        assert len(given) == 120
        first_cycle, second = given[:n], given[n:]
        assert len(set(first_cycle)) == n, "a tip repeated within the first cycle"
        assert len(set(second)) == len(second), "a tip repeated within the second cycle"
    assert len({tuple(split[u][:20]) for u in (1, 2, 3)}) == 3, "users share an order"
    high = {t.id for t in content.tips.tips if t.suits is not None and t.suits.contains(8)}
    first_high = split[4][: len(high)]
    assert set(first_high) == high, "a user at pain 8 should get every high-pain tip first"


async def test_restart_gives_the_same_next_tip(
    tmp_path: Path, clock: FakeClock, content: Content
) -> None:
    """The next tip chosen after reopening the database is the one chosen before closing."""
    store = await Store.open(tmp_path / "r.db", clock)
    tips = Tips(store, clock, content.tips)
    await Subscription(store, clock).start(7, 7, "T", "en")
    for _ in range(10):
        await tips.now(7)
    user = await store.users.get(7)
    assert user is not None
    planned, _ = await DailyPlan(store, clock, tips).plan(user, _due_tomorrow(clock, user))
    await store.close()
    reopened = await Store.open(tmp_path / "r.db", clock)
    again = DailyPlan(reopened, clock, Tips(reopened, clock, content.tips))
    user = await reopened.users.get(7)
    assert user is not None
    replanned, _ = await again.plan(user, _due_tomorrow(clock, user))
    await reopened.close()
    assert planned[0].message == replanned[0].message


def _due_tomorrow(clock: FakeClock, user: User) -> Due:
    """Return the user's delivery for tomorrow at 09:00 UTC."""
    day = today(clock, user) + timedelta(days=1)
    return Due(day, send_instant(day, time(9), ZoneInfo("UTC")))
