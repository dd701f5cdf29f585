"""Users: creation, typed partial updates, the status enums, the due query and deletion."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.core.outbox import TipMessage
from bot.core.states import Awaiting, UserStatus
from bot.store import UNSET, NewMessage, Store, UserPatch
from bot.store.users import DUE_PAGE
from tests.store.conftest import DAY, DUE, due_user
from tests.store.helpers import enqueue, outbox_rows, raw, table_columns


async def test_create_gives_an_active_user_with_defaults(store: Store) -> None:
    """A new user is active, awaits nothing, and has the migration's defaults."""
    user = await store.users.create(1, 10, "Sam", "de")
    assert (user.user_id, user.chat_id, user.first_name, user.language_code) == (1, 10, "Sam", "de")
    assert user.status is UserStatus.ACTIVE
    assert user.active
    assert user.awaiting is None
    assert (user.timezone, user.send_time, user.weekly_day, user.weekly_summary) == (
        "UTC",
        "09:00",
        6,
        True,
    )
    assert user.next_due_utc is None
    assert user.has_diabetes is None


async def test_create_twice_keeps_the_first(store: Store) -> None:
    """Creating an existing user changes nothing and returns the stored row."""
    first = await store.users.create(1, 10, "Sam", "en")
    again = await store.users.create(1, 99, "Other", "fr")
    assert again == first


async def test_get_unknown_user_is_none(store: Store) -> None:
    """A user who never started the bot is None."""
    assert await store.users.get(404) is None


async def test_patch_sets_only_the_given_fields(store: Store) -> None:
    """Fields left UNSET keep their stored value; the given ones change."""
    before = await due_user(store)
    await store.users.update(1, UserPatch(timezone="Europe/Berlin", weekly_day=2))
    after = await store.users.get(1)
    assert after == dataclasses.replace(before, timezone="Europe/Berlin", weekly_day=2)


async def test_patch_can_set_null(store: Store) -> None:
    """None in a nullable field writes NULL, unlike UNSET, which leaves the column alone."""
    await due_user(store)
    await store.users.update(
        1,
        UserPatch(
            paused_until=date(2026, 12, 1),
            has_diabetes=True,
            awaiting=Awaiting.TIME,
            pending_checkin_date=DAY,
        ),
    )
    await store.users.update(
        1, UserPatch(paused_until=None, has_diabetes=None, awaiting=None, next_due_utc=None)
    )
    user = await store.users.get(1)
    assert user is not None
    assert (user.paused_until, user.has_diabetes, user.awaiting, user.next_due_utc) == (
        None,
        None,
        None,
        None,
    )
    assert user.pending_checkin_date == DAY  # not in the second patch
    assert user.next_due_date == DAY


def test_patch_columns_are_only_the_set_fields() -> None:
    """A patch binds dates as ISO text, enums and booleans as their stored values."""
    assert UserPatch().columns() == {}
    patch = UserPatch(status=UserStatus.STOPPED, paused_until=None, next_due_date=DAY)
    assert patch.columns() == {
        "status": "stopped",
        "paused_until": None,
        "next_due_date": "2026-11-24",
    }
    assert type(patch.columns()["status"]) is str
    assert UserPatch(weekly_summary=False).columns() == {"weekly_summary": False}
    assert UserPatch().status is UNSET


async def test_patch_fields_are_user_columns(store: Store) -> None:
    """Every UserPatch field names a column of users (the SQL takes names from them)."""
    columns = (await table_columns(store))["users"]
    assert {f.name for f in dataclasses.fields(UserPatch)} <= set(columns)


async def test_empty_patch_changes_nothing(store: Store, clock: FakeClock, db_path: Path) -> None:
    """An empty patch does not even touch updated_at."""
    await due_user(store)
    clock.advance(timedelta(minutes=5))
    before = raw(db_path, "SELECT * FROM users")
    await store.users.update(1, UserPatch())
    assert raw(db_path, "SELECT * FROM users") == before


async def test_update_moves_updated_at(store: Store, clock: FakeClock, db_path: Path) -> None:
    """A patch stamps updated_at with the clock."""
    await due_user(store)
    clock.advance(timedelta(minutes=5))
    await store.users.update(1, UserPatch(first_name="Alex"))
    assert raw(db_path, "SELECT updated_at FROM users") == [(clock.now().timestamp(),)]


@pytest.mark.parametrize("status", list(UserStatus))
async def test_status_round_trips(store: Store, db_path: Path, status: UserStatus) -> None:
    """Each UserStatus is stored as its plain value and read back as the enum member."""
    await store.users.create(1, 1, "Sam", "en")
    await store.users.update(1, UserPatch(status=status))
    assert raw(db_path, "SELECT status FROM users") == [(status.value,)]
    user = await store.users.get(1)
    assert user is not None
    assert user.status is status
    assert user.active == (status is UserStatus.ACTIVE)


@pytest.mark.parametrize("awaiting", list(Awaiting))
async def test_awaiting_round_trips(store: Store, db_path: Path, awaiting: Awaiting) -> None:
    """Each Awaiting is stored as its plain value and read back as the enum member."""
    await store.users.create(1, 1, "Sam", "en")
    await store.users.update(1, UserPatch(awaiting=awaiting))
    assert raw(db_path, "SELECT awaiting FROM users") == [(awaiting.value,)]
    user = await store.users.get(1)
    assert user is not None
    assert user.awaiting is awaiting


async def test_due_returns_active_due_users_oldest_first(store: Store) -> None:
    """Only active users whose instant has come, earliest first, at most `limit`."""
    for user_id, minutes in ((1, 5), (2, 0), (3, 10), (4, 1), (5, 90)):
        await store.users.create(user_id, user_id, "Sam", "en")
        at = (DUE + timedelta(minutes=minutes)).timestamp()
        await store.users.update(user_id, UserPatch(next_due_utc=at, next_due_date=DAY))
    await store.users.update(4, UserPatch(status=UserStatus.STOPPED))
    await store.users.create(6, 6, "Never scheduled", "en")
    now = DUE + timedelta(minutes=30)
    assert [u.user_id for u in await store.users.due(now, 10)] == [2, 1, 3]
    assert [u.user_id for u in await store.users.due(now, 2)] == [2, 1]


async def test_due_query_uses_the_partial_index(store: Store) -> None:
    """With the status bound as a parameter, SQLite still plans the users_due index, in both
    halves of the page query (the rest of the due second, then the later seconds)."""
    plan = await store.db.all(
        "EXPLAIN QUERY PLAN " + DUE_PAGE,
        (UserStatus.ACTIVE, DUE.timestamp(), 5, (DUE + timedelta(hours=1)).timestamp(), 10),
    )
    assert sum("users_due" in row["detail"] for row in plan) == 2
    assert not any(row["detail"].startswith("SCAN users") for row in plan)


async def test_due_pages_follow_on_from_the_last_user_of_the_page_before(store: Store) -> None:
    """Pages started after the previous page's last (due, id) give every due user once, in
    (due, id) order, when many share the same second and when the due second changes."""
    dues = {7: 0, 3: 0, 9: 0, 5: 0, 1: 0, 8: 2, 2: 2, 4: 90}
    for user_id, minutes in dues.items():
        await store.users.create(user_id, user_id, "Sam", "en")
        at = (DUE + timedelta(minutes=minutes)).timestamp()
        await store.users.update(user_id, UserPatch(next_due_utc=at, next_due_date=DAY))
    now = DUE + timedelta(minutes=30)
    pages: list[list[int]] = []
    after = None
    while page := await store.users.due(now, 2, after):
        pages.append([u.user_id for u in page])
        last = page[-1]
        assert last.next_due_utc is not None
        after = (last.next_due_utc, last.user_id)
    assert pages == [[1, 3], [5, 7], [9, 2], [8]]


async def test_count_active(store: Store) -> None:
    """Stopped and blocked users are not counted."""
    for user_id in range(1, 5):
        await store.users.create(user_id, user_id, "Sam", "en")
    await store.users.update(2, UserPatch(status=UserStatus.STOPPED))
    await store.users.update(3, UserPatch(status=UserStatus.BLOCKED))
    assert await store.users.count_active() == 2


async def test_delete_erases_the_user_and_unnames_their_broadcasts(
    store: Store, db_path: Path
) -> None:
    """Deleting cascades to every per-user table; their broadcasts stay, anonymised."""
    await due_user(store, 1)
    await due_user(store, 2)
    await store.diary.record_checkin(1, DAY, 5)
    await enqueue(store, NewMessage("tip:1:d", 1, 1, TipMessage("hi"), DAY))
    await enqueue(store, NewMessage("tip:2:d", 2, 2, TipMessage("hi"), DAY))
    broadcast = await store.broadcasts.create(1, 1, "news", None)
    await store.broadcasts.set_progress_message(broadcast, 77)
    await store.users.delete(1)
    assert await store.users.get(1) is None
    assert await store.diary.checkins(1) == []
    assert [r["user_id"] for r in await outbox_rows(store)] == [2]
    stored = await store.broadcasts.get(broadcast)
    assert stored is not None
    assert (stored.admin_id, stored.admin_chat_id, stored.progress_message_id) == (None, None, None)
    assert stored.text == "news"
    assert await store.users.get(2) is not None
