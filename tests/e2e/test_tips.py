"""Tips end to end: /tip over the sandbox, and 120 days of rotation across a restart, with
the pain filter, the loading hold and the diabetes rule in force."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import FakeClock
from bot.composition import Content
from bot.core.callbacks import DiabetesAnswer, DiabetesChoice, SettingsChoice, SettingsItem
from bot.core.schedule import Due, send_instant
from bot.core.tips import COLD_TAG, NO_DIABETES_TAG, PainRange, Source, Tip, TipSet
from bot.features.common import today
from bot.features.daily import DailyPlan
from bot.features.subscription import Subscription
from bot.features.tips import Tips
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.store import Store, User
from bot.store.tips import TipRecord
from bot.store.users import UserPatch
from tests.conftest import BotFactory
from tests.e2e.chat import Chat

USER = 901
HIGH, LOW = PainRange(4, 10), PainRange(0, 3)


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
    diabetes: dict[int, bool] | None = None,
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
                    if diabetes and user_id in diabetes:
                        patch = UserPatch(has_diabetes=diabetes[user_id])
                        await store.users.update(user_id, patch)
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
    nothing, a user in pain gets the high-pain tips first and never a low-pain tip, and a
    user with no check-ins never a loading tip."""
    users = [1, 2, 3, 4]
    pain = {4: 8}
    diabetes = dict.fromkeys(users, False)
    # Two halves with a restart (a new Store on the same file) in between.
    await _simulate(tmp_path / "a.db", clock, content.tips, users, 60, pain, diabetes)
    split = await _simulate(tmp_path / "a.db", clock, content.tips, users, 60, pain, diabetes)
    for user_id in users:
        records = split[user_id]
        assert len(records) == 120
        # At pain 8 a cycle is every tip that fits 8; with no check-ins, every tip but the
        # loading ones.
        cycle_length = len([t for t in content.tips.tips if t.may_send(pain.get(user_id), False)])
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
    loading = {t.id for t in content.tips.tips if t.is_loading}
    assert loading
    assert not loading & set(ids[1]), "a user with no check-ins got a loading tip"


async def test_user_with_diabetes_never_gets_a_cold_tip(
    tmp_path: Path, clock: FakeClock, content: Content
) -> None:
    """Over two full cycles, a user who said they have diabetes and one who skipped the
    question get no ice or cold tip (nor the infection tip worded for no diabetes), while a
    user who said no, at the same pain, gets them."""
    cold = {t.id for t in content.tips.tips if t.is_cold}
    kept = {t.id for t in content.tips.tips if t.only_without_diabetes}
    assert cold, "the shipped tips should include cold tips"
    assert "when-to-get-help-hot-red-swollen" in kept
    days = 2 * len(content.tips)
    given = await _simulate(
        tmp_path / "d.db",
        clock,
        content.tips,
        [5, 6, 7],
        days,
        {5: 6, 6: 6, 7: 6},
        {5: True, 6: False},
    )
    assert not kept & {r.tip_id for r in given[5]}
    assert not kept & {r.tip_id for r in given[7]}
    assert kept <= {r.tip_id for r in given[6]}


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


# A small set for the rules below, so every pick can be told apart: one tip for everyone, a
# cold one for high pain, the infection tip worded for no diabetes, a running tip for 0-3.
NHS = Source("NHS", "https://www.nhs.uk/")
PLAIN = Tip("plain", "rest", {"en": "Plain tip.", "zh": "普通提示。"}, ("rest",), NHS)
ICE = Tip("ice", "rest", {"en": "Ice tip.", "zh": "冰敷提示。"}, ("rest", COLD_TAG), NHS, HIGH)
INFECTION = Tip(
    "infection", "help", {"en": "Infection tip.", "zh": "感染提示。"}, (NO_DIABETES_TAG,), NHS
)
RUN = Tip("run", "running", {"en": "Run tip.", "zh": "跑步提示。"}, ("running",), NHS, LOW)
SMALL = TipSet((PLAIN, ICE, INFECTION, RUN))


async def _small_bot(make_bot: BotFactory, content: Content) -> Runtime:
    return await make_bot(content_=Content(SMALL, content.rules, content.countries))


async def _tips(chat: Chat, bot: Runtime, count: int) -> set[str]:
    """Send /tip `count` times; return the ids of the tips the bot sent for them."""
    before = len(await bot.store.tips.history(chat.user_id))
    for _ in range(count):
        [reply] = await chat.say("/tip", expect=1)
        assert reply.text is not None
        assert reply.text.startswith("Today's foot-care tip")
    records = (await bot.store.tips.history(chat.user_id))[before:]
    assert len(records) == count
    return {r.tip_id for r in records}


async def _check_in(chat: Chat, score: int) -> None:
    await chat.say("/checkin", expect=1)
    await chat.score(score, expect=0)


async def _answer_diabetes(chat: Chat, answer: DiabetesAnswer) -> None:
    await chat.say("/settings", expect=1)
    await chat.tap(SettingsChoice(SettingsItem.DIABETES), expect=1)
    await chat.tap(DiabetesChoice(answer), expect=1)


async def test_cold_and_no_diabetes_tips_only_after_a_no_to_diabetes(
    make_bot: BotFactory, sandbox: Sandbox, content: Content
) -> None:
    """At pain 6, a user who skipped the diabetes question and one who said yes get neither
    the ice tip nor the infection tip worded for no diabetes, however often they ask; a user
    who said no gets both."""
    bot = await _small_bot(make_bot, content)
    skipped, yes, no = (Chat(sandbox, n) for n in (USER, USER + 1, USER + 2))
    for chat in (skipped, yes, no):
        await chat.onboard()
        await _check_in(chat, 6)
    await _answer_diabetes(yes, DiabetesAnswer.YES)
    await _answer_diabetes(no, DiabetesAnswer.NO)
    assert await _tips(skipped, bot, 4) == {"plain"}
    assert await _tips(yes, bot, 4) == {"plain"}
    assert await _tips(no, bot, 4) == {"plain", "ice", "infection"}


async def test_loading_tips_follow_the_highest_score_of_the_week(
    make_bot: BotFactory, sandbox: Sandbox, content: Content, clock: FakeClock
) -> None:
    """No check-in yet: the running tip is held. An 8, then a 1 three days later: still held
    (the week's highest is 8). Seven days after the 8 it has left the window: the 1 lets the
    running tip through."""
    bot = await _small_bot(make_bot, content)
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await _answer_diabetes(chat, DiabetesAnswer.NO)
    assert "run" not in await _tips(chat, bot, 6)
    await _check_in(chat, 8)
    clock.advance(timedelta(days=3))
    await _check_in(chat, 1)
    assert "run" not in await _tips(chat, bot, 6)
    clock.advance(timedelta(days=4))
    assert "run" in await _tips(chat, bot, 4)
