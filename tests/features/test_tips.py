"""Tips on demand: /tip counts as the day's tip, so the daily plan does not repeat it."""

from __future__ import annotations

from bot.clock import FakeClock
from bot.core.replies import Reply
from bot.features.tips import Tips
from bot.runtime import Content
from bot.store import Store
from tests.features.conftest import onboard


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
    assert reply.text == Tips.text(tip, "en")
    assert user.next_due_date is not None
    facts = await store.daily.facts(1, record.local_date)
    assert facts.tip_given


async def test_two_tips_in_a_row_differ(store: Store, clock: FakeClock, content: Content) -> None:
    await onboard(store, clock)
    tips = Tips(store, clock, content.tips)
    first, second = await tips.now(1), await tips.now(1)
    assert first != second
