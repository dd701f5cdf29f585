"""Tips end to end: /tip over the sandbox, and 120 days of rotation across a restart, with
the pain filter and the diabetes rule in force."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import FakeClock
from bot.composition import Content
from bot.core.schedule import Due, send_instant
from bot.core.tips import TipSet
from bot.features.common import today
from bot.features.daily import DailyPlan
from bot.features.subscription import Subscription
from bot.features.tips import Tips
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.store import Store, User
from bot.store.tips import TipRecord
from bot.store.users import UserPatch
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
    path: Path,
    clock: FakeClock,
    tips: TipSet,
    users: list[int],
    days: int,
    pain: dict[int, int],
    diabetes: frozenset[int] = frozenset(),
) -> dict[int, list[TipRecord]]:
    """Give each user one tip a day for `days` days; return what each was given, in order."""
    store = await Store.open(path, clock)
    subscription, tip_feature = Subscription(store, clock), Tips(store, clock, tips)
    given: dict[int, list[TipRecord]] = {u: [] for u in users}
    try:
        for _ in range(days):
            for user_id in users:
                if await store.users.get(user_id) is None:
                    await subscription.start(user_id, user_id, "T", "en")
                    if user_id in diabetes:
                        await store.users.update(user_id, UserPatch(has_diabetes=True))
                if user_id in pain:
                    user = await store.users.get(user_id)
                    assert user is not None
                    await store.diary.record_checkin(user_id, today(clock, user), pain[user_id])
                await tip_feature.now(user_id)
            clock.advance(timedelta(days=1))
        for user_id in users:
            given[user_id] = await store.tips.history(user_id)
    finally:
        await store.close()
    return given


async def test_rotation_120_days_no_repeats_and_stable_across_restart(
    tmp_path: Path, clock: FakeClock, content: Content
) -> None:
    """120 days for several users: no repeat within a cycle, orders differ, a restart changes
    nothing, and a user in pain gets the high-pain tips first and never a low-pain tip."""
    users = [1, 2, 3, 4]
    pain = {4: 8}
    # Two halves with a restart (a new Store on the same file) in between.
    await _simulate(tmp_path / "a.db", clock, content.tips, users, 60, pain)
    split = await _simulate(tmp_path / "a.db", clock, content.tips, users, 60, pain)
    for user_id in users:
        records = split[user_id]
        assert len(records) == 120
        # At pain 8 a cycle is every tip that fits 8; with no check-ins, every tip.
        cycle_length = len([t for t in content.tips.tips if t.fits(pain.get(user_id))])
        by_cycle: dict[int, list[str]] = {}
        for record in records:
            by_cycle.setdefault(record.cycle, []).append(record.tip_id)
        for cycle, ids in by_cycle.items():
            assert len(set(ids)) == len(ids), f"a tip repeated within cycle {cycle}"
        assert len(by_cycle[0]) == cycle_length, "the first cycle skipped or added a tip"
    ids = {u: [r.tip_id for r in split[u]] for u in users}
    assert len({tuple(ids[u][:20]) for u in (1, 2, 3)}) == 3, "users share an order"
    high = {t.id for t in content.tips.tips if t.suits is not None and t.suits.contains(8)}
    assert set(ids[4][: len(high)]) == high, "a user at pain 8 should get every high-pain tip first"
    below = {t.id for t in content.tips.tips if t.suits is not None and t.suits.max < 8}
    assert below, "the shipped tips should include low-pain tips"
    assert not below & set(ids[4]), "a user at pain 8 got a tip made for low pain"
    assert below <= set(ids[1]), "a user with no check-ins should see the low-pain tips too"


async def test_user_with_diabetes_never_gets_a_cold_tip(
    tmp_path: Path, clock: FakeClock, content: Content
) -> None:
    """Over two full cycles, a user who said they have diabetes gets no ice or cold tip, while
    a user without diabetes, at the same pain, gets them."""
    cold = {t.id for t in content.tips.tips if t.is_cold}
    assert cold, "the shipped tips should include cold tips"
    days = 2 * len(content.tips)
    given = await _simulate(
        tmp_path / "d.db", clock, content.tips, [5, 6], days, {5: 6, 6: 6}, frozenset({5})
    )
    assert not cold & {r.tip_id for r in given[5]}
    assert cold <= {r.tip_id for r in given[6]}


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
