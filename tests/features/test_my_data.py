"""The user's own data: history needs two points, export and delete are theirs."""

from __future__ import annotations

from datetime import date, timedelta

from bot.clock import FakeClock
from bot.core import texts
from bot.core.replies import Document, Outcome, Photo
from bot.features.my_data import MyData
from bot.runtime import Content
from bot.store import Store
from tests.features.conftest import onboard

TODAY = date(2026, 11, 24)


async def test_history_needs_two_check_ins(
    store: Store, clock: FakeClock, content: Content
) -> None:
    await onboard(store, clock)
    my_data = MyData(store, clock, content.rules)
    await store.diary.record_checkin(1, TODAY, 4)
    assert await my_data.history(1) == Outcome.reply(texts.HISTORY_TOO_SHORT)
    await store.diary.record_checkin(1, TODAY - timedelta(days=1), 5)
    [chart] = (await my_data.history(1)).messages
    assert isinstance(chart, Photo)
    assert chart.png.startswith(b"\x89PNG")


async def test_export_is_a_csv_of_the_users_days(
    store: Store, clock: FakeClock, content: Content
) -> None:
    await onboard(store, clock)
    await store.diary.record_checkin(1, TODAY, 4)
    [document] = (await MyData(store, clock, content.rules).export(1)).messages
    assert isinstance(document, Document)
    assert document.filename == f"footcare-export-{TODAY.isoformat()}.csv"
    assert f"{TODAY.isoformat()}" in document.data.decode()


async def test_a_stranger_has_nothing_stored(
    store: Store, clock: FakeClock, content: Content
) -> None:
    outcome = await MyData(store, clock, content.rules).export(99)
    assert outcome == Outcome.reply(texts.NOTHING_STORED)


async def test_delete_needs_confirmation(store: Store, clock: FakeClock, content: Content) -> None:
    await onboard(store, clock)
    my_data = MyData(store, clock, content.rules)
    assert await my_data.delete(1, confirm=False) == Outcome(edit=texts.DELETE_KEEP)
    assert await store.users.get(1) is not None
    assert await my_data.delete(1, confirm=True) == Outcome(edit=texts.DELETED)
    assert await store.users.get(1) is None
