"""Tips on demand: /tip counts as the day's tip, so the daily plan does not repeat it."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from bot.composition import Content
from bot.core.replies import Reply
from bot.features.common import today
from bot.features.tips import Tips
from bot.store import Store
from bot.store.users import UserPatch
from tests.features.conftest import onboard
from tests.store.helpers import day_facts


async def test_tip_now_records_the_tip_for_today(
    store: Store, clock: FakeClock, content: Content
) -> None:
    user = await onboard(store, clock)
    tips = Tips(store, clock, content.tips)
    outcome = await tips.now(1)
    [reply] = outcome.messages
    assert isinstance(reply, Reply)
    [record] = await store.tips.history(1)
    tip = content.tips.by_id(record.tip_id)
    assert tip is not None
    assert reply.text == tips.text(tip, user)
    assert user.next_due_date is not None
    facts = await day_facts(store, 1, record.local_date)
    assert facts.tip_given


async def test_two_tips_in_a_row_differ(store: Store, clock: FakeClock, content: Content) -> None:
    await onboard(store, clock)
    tips = Tips(store, clock, content.tips)
    first, second = await tips.now(1), await tips.now(1)
    assert first != second


async def _given_today_after(
    store: Store, clock: FakeClock, content: Content, score_days_ago: int, score: int
) -> list[str]:
    """Record a check-in some days back, then take a whole cycle of /tip; return the ids."""
    user = await onboard(store, clock)
    day = today(clock, user)
    await store.diary.record_checkin(1, day - timedelta(days=score_days_ago), score)
    tips = Tips(store, clock, content.tips)
    for _ in range(len(content.tips)):
        await tips.now(1)
    return [r.tip_id for r in await store.tips.history(1)]


def _made_for_lower_pain(content: Content, pain: int) -> set[str]:
    return {t.id for t in content.tips.tips if t.suits is not None and t.suits.max < pain}


async def test_a_check_in_two_days_ago_still_filters_tips(
    store: Store, clock: FakeClock, content: Content
) -> None:
    """Pain of 9 the day before yesterday still counts: no tip made for lower pain is sent."""
    given = await _given_today_after(store, clock, content, 2, 9)
    assert not _made_for_lower_pain(content, 9) & set(given)


async def test_a_check_in_three_days_ago_no_longer_counts(
    store: Store, clock: FakeClock, content: Content
) -> None:
    """A score from three days back is too old to count: the low-pain tips come round again."""
    given = await _given_today_after(store, clock, content, 3, 9)
    assert _made_for_lower_pain(content, 9) <= set(given)


async def test_diabetes_answer_keeps_cold_tips_away(
    store: Store, clock: FakeClock, content: Content
) -> None:
    """A user who answered yes to diabetes gets no cold tip over a whole cycle."""
    await onboard(store, clock)
    await store.users.update(1, UserPatch(has_diabetes=True))
    tips = Tips(store, clock, content.tips)
    for _ in range(len(content.tips)):
        await tips.now(1)
    given = {r.tip_id for r in await store.tips.history(1)}
    assert given
    assert not {t.id for t in content.tips.tips if t.is_cold} & given
