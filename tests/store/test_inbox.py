"""The inbox table (migration 0009): stored arrivals, repeats, handled marks, pruning, /delete."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from bot.clock import FakeClock
from bot.store import Arrival, Store
from bot.store.base import migrations
from tests.store.conftest import START
from tests.store.helpers import raw

INBOX_MIGRATION = 9


def arrival(update_id: int, user_id: int | None = 7) -> Arrival:
    """An arrival with a recognisable body."""
    return Arrival(update_id, user_id, f'{{"update_id": {update_id}}}')


async def test_new_arrivals_are_stored_and_repeats_left_out(store: Store, db_path: Path) -> None:
    """record returns the ids stored now; a known id, handled or not, is not stored again."""
    assert await store.inbox.record([arrival(1), arrival(2)], []) == {1, 2}
    await store.inbox.record([], [1])
    assert await store.inbox.record([arrival(1), arrival(2), arrival(3), arrival(3)], []) == {3}
    assert raw(db_path, "SELECT update_id, handled_at IS NULL FROM inbox ORDER BY 1") == [
        (1, 0),
        (2, 1),
        (3, 1),
    ]


async def test_a_handled_update_keeps_its_id_but_not_its_body(
    store: Store, db_path: Path, clock: FakeClock
) -> None:
    """The mark drops the body (what the user wrote) and keeps the id for recognising repeats."""
    await store.inbox.record([arrival(5)], [])
    clock.advance(timedelta(seconds=3))
    await store.inbox.record([], [5])
    assert raw(db_path, "SELECT received_at, handled_at, body FROM inbox") == [
        (START.timestamp(), START.timestamp() + 3, None)
    ]


async def test_unhandled_comes_back_in_update_id_order(store: Store) -> None:
    """What a crash left unhandled is returned oldest update first, handled rows left out."""
    await store.inbox.record([arrival(30), arrival(10), arrival(20, user_id=None)], [])
    await store.inbox.record([], [20])
    assert [(u.update_id, u.body) for u in await store.inbox.unhandled()] == [
        (10, '{"update_id": 10}'),
        (30, '{"update_id": 30}'),
    ]


async def test_prune_removes_old_handled_rows_and_keeps_unhandled_ones(
    store: Store, clock: FakeClock
) -> None:
    """Handled rows older than the cut-off go, in batches; an unhandled one stays however old."""
    await store.inbox.record([arrival(i) for i in range(1, 8)], list(range(1, 7)))
    clock.advance(timedelta(hours=49))
    await store.inbox.record([arrival(8)], [8])
    assert await store.inbox.prune(clock.now() - timedelta(hours=48), batch=2) == 6
    assert [u.update_id for u in await store.inbox.unhandled()] == [7]
    assert await store.inbox.count() == 2  # 7 (unhandled) and 8 (recent)


async def test_delete_removes_the_users_rows_only(store: Store) -> None:
    """/delete takes the user's updates with it; another user's and sender-less ones stay."""
    await store.users.create(7, 7, "Sam", "en")
    await store.inbox.record([arrival(1, 7), arrival(2, 8), arrival(3, None), arrival(4, 7)], [])
    await store.users.delete(7)
    assert [u.update_id for u in await store.inbox.unhandled()] == [2, 3]


def _database_before_the_inbox(path: Path) -> int:
    """Build the schema of every migration before 0009; return the version it stands at."""
    earlier = [(version, sql) for version, sql in migrations() if version < INBOX_MIGRATION]
    conn = sqlite3.connect(path)
    try:
        for _, sql in earlier:
            conn.executescript(sql)
        previous = max(version for version, _ in earlier)
        conn.execute(f"PRAGMA user_version = {previous:d}")
        conn.commit()
    finally:
        conn.close()
    return previous


async def test_a_database_of_the_previous_schema_gets_the_inbox(db_path: Path) -> None:
    """Opening a database made by the schema before 0009 adds the table and moves to 9, also
    across a gap in the numbers (0008 may land later): the runner applies every higher one."""
    previous = _database_before_the_inbox(db_path)
    assert raw(db_path, "SELECT name FROM sqlite_master WHERE name = 'inbox'") == []
    store = await Store.open(db_path, FakeClock(START))
    try:
        assert raw(db_path, "PRAGMA user_version") == [(max(v for v, _ in migrations()),)]
        assert previous < INBOX_MIGRATION
        assert await store.inbox.record([arrival(1)], []) == {1}
    finally:
        await store.close()
