"""Daily delivery: the plan for a due user, its atomic commit, and the dispatcher tick."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import FakeClock
from bot.composition import Content
from bot.core.outbox import CheckinPrompt, DailyMessage, TipMessage, WeeklyChart
from bot.core.schedule import Due
from bot.features.daily import DailyPlan, Dispatcher
from bot.features.tips import Tips
from bot.store import Store
from bot.store.outbox import NewMessage
from bot.store.users import User, UserPatch
from tests.features.conftest import onboard
from tests.store.helpers import enqueue, outbox_rows


def _plan(store: Store, clock: FakeClock, content: Content) -> DailyPlan:
    return DailyPlan(store, clock, _tips(store, clock, content))


def _tips(store: Store, clock: FakeClock, content: Content) -> Tips:
    return Tips(store, clock, content.tips)


async def test_a_due_user_gets_the_tip_and_the_check_in_as_one_message(
    store: Store, clock: FakeClock, content: Content
) -> None:
    user = await onboard(store, clock)
    assert user.next_due_date is not None
    messages, record = await _plan(store, clock, content).plan(user, _due(user))
    assert [m.idem_key for m in messages] == [f"daily:1:{user.next_due_date.isoformat()}"]
    daily = messages[0].message
    assert isinstance(daily, DailyMessage)
    assert daily.tip.startswith("Today's foot-care tip")
    assert "Check-in for" in daily.prompt
    labels = [label for row in daily.buttons for label, _ in row]
    assert labels[:11] == [str(n) for n in range(11)]
    assert labels[11:] == ["Warning sign"]
    assert record is not None


async def test_a_tip_already_given_today_leaves_the_check_in_alone(
    store: Store, clock: FakeClock, content: Content
) -> None:
    """/tip earlier that day counts as the day's tip: the daily time asks only the question."""
    user = await onboard(store, clock)
    await _tips(store, clock, content).now(1)
    messages, record = await _plan(store, clock, content).plan(user, _due(user))
    assert [type(m.message) for m in messages] == [CheckinPrompt]
    assert messages[0].idem_key.startswith("checkin:1:")
    assert record is None


async def test_an_answered_check_in_leaves_the_tip_alone(
    store: Store, clock: FakeClock, content: Content
) -> None:
    """/checkin answered before the daily time: the tip goes without the question."""
    user = await onboard(store, clock)
    assert user.next_due_date is not None
    await store.diary.record_checkin(1, user.next_due_date, 4)
    messages, record = await _plan(store, clock, content).plan(user, _due(user))
    assert [type(m.message) for m in messages] == [TipMessage]
    assert messages[0].idem_key.startswith("tip:1:")
    assert record is not None


async def test_nothing_is_planned_when_the_day_is_done(
    store: Store, clock: FakeClock, content: Content
) -> None:
    user = await onboard(store, clock)
    assert user.next_due_date is not None
    await _tips(store, clock, content).now(1)
    await store.diary.record_checkin(1, user.next_due_date, 4)
    messages, _ = await _plan(store, clock, content).plan(user, _due(user))
    assert messages == []


async def test_an_old_tip_row_on_the_upgrade_day_is_not_followed_by_a_second_tip(
    store: Store, clock: FakeClock, content: Content
) -> None:
    """An earlier version queued today's tip (and recorded it): only its check-in is left."""
    user = await onboard(store, clock)
    assert user.next_due_date is not None
    day = user.next_due_date
    tips = _tips(store, clock, content)
    tip, record = await tips.pick(user, day)
    old = NewMessage(f"tip:1:{day.isoformat()}", 1, 1, TipMessage(tips.text(tip, user)), day)
    assert await enqueue(store, old)
    await store.tips.record(1, record)
    messages, _ = await _plan(store, clock, content).plan(user, _due(user))
    assert [m.idem_key for m in messages] == [f"checkin:1:{day.isoformat()}"]


async def _weekly_user(store: Store, clock: FakeClock) -> User:
    user = await onboard(store, clock)
    assert user.next_due_date is not None
    await store.users.update(1, UserPatch(weekly_day=user.next_due_date.weekday()))
    weekly = await store.users.get(1)
    assert weekly is not None
    return weekly


async def test_the_weekly_chart_comes_on_the_chosen_day_after_a_check_in(
    store: Store, clock: FakeClock, content: Content
) -> None:
    user = await _weekly_user(store, clock)
    assert user.next_due_date is not None
    await store.diary.record_checkin(1, user.next_due_date - timedelta(days=6), 3)
    messages, _ = await _plan(store, clock, content).plan(user, _due(user))
    assert isinstance(messages[-1].message, WeeklyChart)


async def test_no_weekly_chart_for_a_week_without_check_ins(
    store: Store, clock: FakeClock, content: Content
) -> None:
    """Someone who subscribed minutes ago gets no empty "no check-ins this week" chart."""
    user = await _weekly_user(store, clock)
    messages, _ = await _plan(store, clock, content).plan(user, _due(user))
    assert [type(m.message) for m in messages] == [DailyMessage]


async def test_a_check_in_older_than_the_charts_week_does_not_bring_the_chart(
    store: Store, clock: FakeClock, content: Content
) -> None:
    user = await _weekly_user(store, clock)
    assert user.next_due_date is not None
    await store.diary.record_checkin(1, user.next_due_date - timedelta(days=7), 3)
    messages, _ = await _plan(store, clock, content).plan(user, _due(user))
    assert not any(isinstance(m.message, WeeklyChart) for m in messages)


async def test_a_tick_enqueues_once_even_when_run_twice(
    store: Store, clock: FakeClock, content: Content
) -> None:
    await onboard(store, clock)
    dispatcher = Dispatcher(_plan(store, clock, content), store, clock)
    assert await dispatcher.tick() == 0, "not due before 09:00"
    clock.advance(timedelta(hours=2, minutes=1))
    assert await dispatcher.tick() == 1
    assert await dispatcher.tick() == 0
    assert [r["kind"] for r in await outbox_rows(store)] == ["daily"]
    user = await store.users.get(1)
    assert user is not None
    assert user.pending_checkin_date is not None, "a typed number now answers it"


def _due(user: User) -> Due:
    assert user.next_due_date is not None
    assert user.next_due_utc is not None
    return Due(user.next_due_date, datetime.fromtimestamp(user.next_due_utc, UTC))
