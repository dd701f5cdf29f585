"""Daily delivery: the plan for a due user, its atomic commit, and the dispatcher tick."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import FakeClock
from bot.core.outbox import CheckinPrompt, TipMessage, WeeklyChart
from bot.core.schedule import Due
from bot.features.daily import DailyPlan, Dispatcher
from bot.features.tips import Tips
from bot.runtime import Content
from bot.store import Store
from bot.store.users import User, UserPatch
from tests.features.conftest import onboard
from tests.store.helpers import outbox_rows


def _plan(store: Store, clock: FakeClock, content: Content) -> DailyPlan:
    return DailyPlan(store, clock, Tips(store, clock, content.tips))


async def test_a_due_user_gets_a_tip_then_a_check_in(
    store: Store, clock: FakeClock, content: Content
) -> None:
    user = await onboard(store, clock)
    assert user.next_due_date is not None
    messages, record = await _plan(store, clock, content).plan(user, _due(user))
    assert [type(m.message) for m in messages] == [TipMessage, CheckinPrompt]
    assert [m.idem_key for m in messages] == [
        f"tip:1:{user.next_due_date.isoformat()}",
        f"checkin:1:{user.next_due_date.isoformat()}",
    ]
    assert record is not None


async def test_the_weekly_chart_comes_on_the_chosen_day(
    store: Store, clock: FakeClock, content: Content
) -> None:
    user = await onboard(store, clock)
    assert user.next_due_date is not None
    await store.users.update(1, UserPatch(weekly_day=user.next_due_date.weekday()))
    user = await store.users.get(1)
    assert user is not None
    messages, _ = await _plan(store, clock, content).plan(user, _due(user))
    assert isinstance(messages[-1].message, WeeklyChart)


async def test_a_tick_enqueues_once_even_when_run_twice(
    store: Store, clock: FakeClock, content: Content
) -> None:
    await onboard(store, clock)
    dispatcher = Dispatcher(_plan(store, clock, content), store, clock)
    assert await dispatcher.tick() == 0, "not due before 09:00"
    clock.advance(timedelta(hours=2, minutes=1))
    assert await dispatcher.tick() == 2
    assert await dispatcher.tick() == 0
    assert [r["kind"] for r in await outbox_rows(store)] == ["tip", "checkin"]
    user = await store.users.get(1)
    assert user is not None
    assert user.pending_checkin_date is not None, "a typed number now answers it"


def _due(user: User) -> Due:
    assert user.next_due_date is not None
    assert user.next_due_utc is not None
    return Due(user.next_due_date, datetime.fromtimestamp(user.next_due_utc, UTC))
