"""The SQLite store: migrations, pragmas, the outbox's idempotency and claiming, daily commits."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.store.db import NewMessage, Store, TipRecord, User, _migrations

START = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
DAY = date(2026, 11, 24)
NEXT = (datetime(2026, 11, 25, 9, 0, tzinfo=UTC).timestamp(), date(2026, 11, 25))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A fresh database file."""
    return tmp_path / "footcare.db"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    """An open, migrated store."""
    opened = await Store.open(db_path, FakeClock(START))
    yield opened
    await opened.close()


def message(key: str, user_id: int = 1, kind: str = "tip") -> NewMessage:
    """Build an outbox message for user 1."""
    return NewMessage(key, user_id, user_id, kind, {"text": key}, DAY)


async def due_user(store: Store, user_id: int = 1) -> User:
    """Create an active user due at 09:00 UTC today."""
    await store.create_user(user_id, user_id, "Sam", "en")
    due = datetime(2026, 11, 24, 9, 0, tzinfo=UTC).timestamp()
    await store.update_user(user_id, next_due_utc=due, next_due_date=DAY)
    user = await store.get_user(user_id)
    assert user is not None
    return user


def raw(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Run one read-only statement through plain sqlite3, outside the store."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


async def test_migrations_set_user_version(store: Store, db_path: Path) -> None:
    """Every migration is applied and PRAGMA user_version names the newest."""
    newest = max(version for version, _ in _migrations())
    assert await store.schema_version() == newest
    assert raw(db_path, "PRAGMA user_version") == [(newest,)]
    tables = {name for (name,) in raw(db_path, "SELECT name FROM sqlite_master")}
    assert {"users", "checkins", "outbox", "tip_deliveries", "escalations"} <= tables


async def test_reopen_does_not_reapply_migrations(db_path: Path) -> None:
    """Opening an up-to-date database again leaves data in place (a re-run would fail)."""
    first = await Store.open(db_path, FakeClock(START))
    await first.create_user(1, 1, "Sam", "en")
    version = await first.schema_version()
    await first.close()
    second = await Store.open(db_path, FakeClock(START))
    try:
        assert await second.schema_version() == version
        assert await second.get_user(1) is not None
    finally:
        await second.close()


async def test_wal_mode_and_foreign_keys(store: Store, db_path: Path) -> None:
    """The database runs in WAL mode and the store's connection enforces foreign keys."""
    assert raw(db_path, "PRAGMA journal_mode") == [("wal",)]
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        await store.enqueue(message("tip:404", user_id=404))


async def test_same_idem_key_twice_keeps_one_row(store: Store) -> None:
    """A second enqueue with a known idempotency key is refused and adds no row."""
    await due_user(store)
    assert await store.enqueue(message("tip:1:2026-11-24")) is True
    assert await store.enqueue(message("tip:1:2026-11-24")) is False
    rows = await store.outbox_rows()
    assert [r["idem_key"] for r in rows] == ["tip:1:2026-11-24"]


async def test_claim_marks_rows_sending(store: Store) -> None:
    """Claimed rows are 'sending', counted as an attempt, and returned in id order."""
    await due_user(store)
    for n in range(3):
        await store.enqueue(message(f"k{n}"))
    claimed = await store.claim(2)
    assert [row.idem_key for row in claimed] == ["k0", "k1"]
    assert [row.attempts for row in claimed] == [1, 1]
    statuses = {r["idem_key"]: r["status"] for r in await store.outbox_rows()}
    assert statuses == {"k0": "sending", "k1": "sending", "k2": "pending"}


async def test_claim_never_returns_a_row_twice(store: Store) -> None:
    """Concurrent claims split the pending rows between them without overlap."""
    await due_user(store)
    for n in range(50):
        await store.enqueue(message(f"k{n}"))
    batches = await asyncio.gather(*(store.claim(7) for _ in range(10)))
    ids = [row.id for batch in batches for row in batch]
    assert len(ids) == len(set(ids)) == 50
    assert await store.claim(7) == []


async def test_requeue_in_flight_puts_sending_back(store: Store) -> None:
    """Rows left 'sending' (a crash) become 'pending' again; sent rows stay sent."""
    await due_user(store)
    for n in range(3):
        await store.enqueue(message(f"k{n}"))
    first, second = await store.claim(2)
    await store.mark_sent(first.id, 77)
    assert await store.requeue_in_flight() == 1
    rows = {r["id"]: r for r in await store.outbox_rows()}
    assert (rows[first.id]["status"], rows[first.id]["message_id"]) == ("sent", 77)
    assert rows[second.id]["status"] == "pending"
    again = await store.claim(5)
    assert {row.idem_key for row in again} == {"k1", "k2"}
    assert {row.idem_key: row.attempts for row in again}["k1"] == 2


async def test_commit_daily_enqueues_and_advances(store: Store) -> None:
    """A daily commit adds the messages, records the tip and moves the schedule together."""
    user = await due_user(store)
    tip = TipRecord("stretch", 0, DAY)
    messages = [message("tip:1:d"), message("checkin:1:d", kind="checkin")]
    assert await store.commit_daily(user, messages, tip, NEXT) is True
    after = await store.get_user(1)
    assert after is not None
    assert (after.next_due_utc, after.next_due_date) == NEXT
    assert [r["idem_key"] for r in await store.outbox_rows()] == ["tip:1:d", "checkin:1:d"]
    assert (await store.daily_facts(1, DAY)).tip_given


async def test_commit_daily_refuses_a_stale_schedule(store: Store) -> None:
    """If next_due_utc changed since it was read, nothing is written (optimistic guard)."""
    stale = await due_user(store)
    assert stale.next_due_utc is not None
    await store.update_user(1, next_due_utc=stale.next_due_utc + 60)
    tip = TipRecord("stretch", 0, DAY)
    assert await store.commit_daily(stale, [message("tip:1:d")], tip, NEXT) is False
    assert await store.outbox_rows() == []
    assert not (await store.daily_facts(1, DAY)).tip_given
    after = await store.get_user(1)
    assert after is not None
    assert after.next_due_date == DAY


async def test_commit_daily_twice_acts_once(store: Store) -> None:
    """Two overlapping commits of the same due user: one wins, the other changes nothing."""
    user = await due_user(store)
    results = await asyncio.gather(
        store.commit_daily(user, [message("tip:1:d")], None, NEXT),
        store.commit_daily(user, [message("tip:1:d2")], None, NEXT),
    )
    assert sorted(results) == [False, True]
    assert len(await store.outbox_rows()) == 1


async def test_commit_daily_is_atomic(store: Store) -> None:
    """A failure half-way (a message for an unknown user) rolls back the schedule move too."""
    user = await due_user(store)
    broken = [message("tip:1:d"), message("tip:404:d", user_id=404)]
    with pytest.raises(sqlite3.IntegrityError):
        await store.commit_daily(user, broken, TipRecord("stretch", 0, DAY), NEXT)
    after = await store.get_user(1)
    assert after is not None
    assert after.next_due_utc == user.next_due_utc
    assert await store.outbox_rows() == []
    assert not (await store.daily_facts(1, DAY)).tip_given
    # The connection is usable again after the rollback.
    assert await store.commit_daily(user, [message("tip:1:d")], None, NEXT) is True


async def test_record_checkin_same_day_replaces(store: Store) -> None:
    """A second answer on the same local day replaces the first; another day adds a row."""
    await due_user(store)
    await store.record_checkin(1, DAY, 6)
    await store.record_checkin(1, DAY, 3)
    await store.record_checkin(1, date(2026, 11, 25), 4)
    assert await store.checkins(1) == [(DAY, 3), (date(2026, 11, 25), 4)]
