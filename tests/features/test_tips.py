"""Tips on demand: /tip counts as the day's tip, so the daily plan does not repeat it."""

from __future__ import annotations

from datetime import timedelta

import pytest

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


async def _given_after(
    store: Store,
    clock: FakeClock,
    content: Content,
    scores: dict[int, int],
    has_diabetes: bool | None = None,
) -> set[str]:
    """Record check-ins {days ago: score}, then take a whole cycle of /tip; return the ids."""
    user = await onboard(store, clock)
    if has_diabetes is not None:
        await store.users.update(1, UserPatch(has_diabetes=has_diabetes))
    day = today(clock, user)
    for days_ago, score in scores.items():
        await store.diary.record_checkin(1, day - timedelta(days=days_ago), score)
    tips = Tips(store, clock, content.tips)
    for _ in range(len(content.tips)):
        await tips.now(1)
    return {r.tip_id for r in await store.tips.history(1)}


def _made_for_lower_pain(content: Content, pain: int) -> set[str]:
    return {t.id for t in content.tips.tips if t.suits is not None and t.suits.max < pain}


def _loading(content: Content) -> set[str]:
    return {t.id for t in content.tips.tips if t.is_loading}


def _kept_from_diabetes(content: Content) -> set[str]:
    return {t.id for t in content.tips.tips if t.only_without_diabetes}


async def test_a_bad_day_six_days_ago_still_filters_tips(
    store: Store, clock: FakeClock, content: Content
) -> None:
    """Pain of 9 six days ago outweighs 1 today: no tip made for lower pain is sent."""
    given = await _given_after(store, clock, content, {6: 9, 0: 1})
    assert _made_for_lower_pain(content, 9)
    assert not _made_for_lower_pain(content, 9) & given


async def test_with_no_check_in_this_week_loading_tips_are_held(
    store: Store, clock: FakeClock, content: Content
) -> None:
    """A score seven days back is too old; with nothing newer, no loading tip goes out."""
    given = await _given_after(store, clock, content, {7: 1})
    assert _loading(content)
    assert given
    assert not _loading(content) & given


async def test_a_low_week_lets_loading_tips_through(
    store: Store, clock: FakeClock, content: Content
) -> None:
    """Low scores all week: the loading tips (all made for 0-3) come round in the cycle."""
    given = await _given_after(store, clock, content, {5: 2, 0: 1})
    assert _loading(content) <= given


@pytest.mark.parametrize("answer", [True, None])
async def test_cold_and_no_diabetes_tips_need_a_no_to_diabetes(
    store: Store, clock: FakeClock, content: Content, answer: bool | None
) -> None:
    """A user who said yes, or skipped the question, gets no cold and no no-diabetes tip over
    a whole cycle, even at the pain those tips are for."""
    given = await _given_after(store, clock, content, {0: 6}, answer)
    assert given
    assert not _kept_from_diabetes(content) & given


async def test_a_no_to_diabetes_opens_the_cold_tips(
    store: Store, clock: FakeClock, content: Content
) -> None:
    """A user who said they do not have diabetes gets the cold and no-diabetes tips."""
    given = await _given_after(store, clock, content, {0: 6}, has_diabetes=False)
    assert {t.id for t in content.tips.tips if t.is_cold}
    assert _kept_from_diabetes(content) <= given
