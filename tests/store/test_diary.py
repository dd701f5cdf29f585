"""Check-ins and red-flag answers: one row per local day, the latest answer wins."""

from __future__ import annotations

from datetime import date, timedelta

from bot.store import Store
from tests.store.conftest import DAY, due_user


async def test_record_checkin_same_day_replaces(store: Store) -> None:
    """A second answer on the same local day replaces the first; another day adds a row."""
    await due_user(store)
    await store.diary.record_checkin(1, DAY, 6)
    await store.diary.record_checkin(1, DAY, 3)
    await store.diary.record_checkin(1, date(2026, 11, 25), 4)
    assert await store.diary.checkins(1) == [(DAY, 3), (date(2026, 11, 25), 4)]


async def test_checkins_since_a_date_in_date_order(store: Store) -> None:
    """`since` is inclusive; pairs come in date order whatever the answer order."""
    await due_user(store)
    for offset, score in ((3, 1), (0, 5), (1, 7)):
        await store.diary.record_checkin(1, DAY - timedelta(days=offset), score)
    assert await store.diary.checkins(1, DAY - timedelta(days=1)) == [
        (DAY - timedelta(days=1), 7),
        (DAY, 5),
    ]
    assert len(await store.diary.checkins(1)) == 3
    assert await store.diary.checkins(2) == []


async def test_has_checkin(store: Store) -> None:
    """Only the answered local date counts."""
    await due_user(store)
    await store.diary.record_checkin(1, DAY, 0)
    assert await store.diary.has_checkin(1, DAY)
    assert not await store.diary.has_checkin(1, DAY + timedelta(days=1))


async def test_red_flags_latest_answer_wins(store: Store) -> None:
    """Flags are stored sorted and comma-separated; a later answer that day replaces them."""
    await due_user(store)
    await store.diary.record_red_flags(1, DAY, ["swelling"])
    await store.diary.record_red_flags(1, DAY, iter(["numbness", "cannot_bear_weight"]))
    await store.diary.record_red_flags(1, DAY - timedelta(days=2), ["none"])
    assert await store.diary.red_flag_answers(1) == [
        (DAY - timedelta(days=2), "none"),
        (DAY, "cannot_bear_weight,numbness"),
    ]
