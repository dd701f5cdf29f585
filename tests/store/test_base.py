"""The connection itself: migrations, pragmas, and transactions that roll back as one."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.core.outbox import TipMessage
from bot.store import NewMessage, Store
from bot.store.base import Lanes, migrations
from tests.store.conftest import DAY, START
from tests.store.helpers import enqueue, raw, schema_version


async def test_migrations_set_user_version(store: Store, db_path: Path) -> None:
    """Every migration is applied and PRAGMA user_version names the newest."""
    newest = max(version for version, _ in migrations())
    assert await schema_version(store) == newest
    assert raw(db_path, "PRAGMA user_version") == [(newest,)]
    tables = {name for (name,) in raw(db_path, "SELECT name FROM sqlite_master")}
    assert {"users", "checkins", "outbox", "tip_deliveries", "escalations", "broadcasts"} <= tables


async def test_reopen_does_not_reapply_migrations(db_path: Path) -> None:
    """Opening an up-to-date database again leaves data in place (a re-run would fail)."""
    first = await Store.open(db_path, FakeClock(START))
    await first.users.create(1, 1, "Sam", "en")
    version = await schema_version(first)
    await first.close()
    second = await Store.open(db_path, FakeClock(START))
    try:
        assert await schema_version(second) == version
        assert await second.users.get(1) is not None
    finally:
        await second.close()


async def test_wal_mode_and_foreign_keys(store: Store, db_path: Path) -> None:
    """The database runs in WAL mode and the store's connection enforces foreign keys."""
    assert raw(db_path, "PRAGMA journal_mode") == [("wal",)]
    orphan = NewMessage("tip:404", 404, 404, TipMessage("hi"), DAY)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        await enqueue(store, orphan)


async def test_transaction_rolls_back_every_statement(store: Store) -> None:
    """An exception inside a transaction undoes its earlier statements; the store stays usable."""

    async def insert_then_fail() -> None:
        async with store.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO users (user_id, chat_id, tip_seed, created_at, updated_at)"
                " VALUES (1, 1, 's', 0, 0)"
            )
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await insert_then_fail()
    assert await store.users.get(1) is None
    await store.users.create(1, 1, "Sam", "en")
    assert await store.users.get(1) is not None


async def test_now_comes_from_the_clock(store: Store, clock: FakeClock) -> None:
    """Timestamps the store writes are the injected clock's, never the wall clock's."""
    assert store.db.now() == START.timestamp()
    user = await store.users.create(1, 1, "Sam", "en")
    assert user.created_at == START.timestamp()


async def test_open_failure_closes_the_connection(tmp_path: Path) -> None:
    """A file that is not a database raises, and leaves no aiosqlite thread running."""
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not an SQLite file" * 100)
    before = set(threading.enumerate())
    with pytest.raises(sqlite3.DatabaseError):
        await Store.open(path, FakeClock(START))
    await asyncio.sleep(0.05)
    assert [t for t in threading.enumerate() if t not in before and t.is_alive()] == []


async def test_interactive_waiters_go_before_background_ones() -> None:
    """While the lock is held, a background waiter queued first still goes after an
    interactive one queued later; each lane keeps its own order."""
    lanes = Lanes()
    order: list[str] = []
    release = asyncio.Event()

    async def hold() -> None:
        async with lanes.hold(background=True):
            await release.wait()

    async def take(name: str, *, background: bool) -> None:
        async with lanes.hold(background=background):
            order.append(name)

    holder = asyncio.create_task(hold())
    await asyncio.sleep(0)
    waiters = [
        asyncio.create_task(take("background 1", background=True)),
        asyncio.create_task(take("background 2", background=True)),
        asyncio.create_task(take("interactive 1", background=False)),
        asyncio.create_task(take("interactive 2", background=False)),
    ]
    await asyncio.sleep(0)  # each new task runs up to its wait, in the order made
    assert lanes.interactive_waiting == 2
    release.set()
    await asyncio.gather(holder, *waiters)
    assert order == ["interactive 1", "interactive 2", "background 1", "background 2"]


async def test_a_cancelled_waiter_hands_the_lock_on() -> None:
    """A waiter cancelled just as it is handed the lock passes it on; it never keeps it."""
    lanes = Lanes()
    got: list[str] = []

    async def take(name: str) -> None:
        async with lanes.hold(background=False):
            got.append(name)

    async with lanes.hold(background=True):
        cancelled = asyncio.create_task(take("cancelled"))
        after = asyncio.create_task(take("after"))
        await asyncio.sleep(0)  # each new task runs up to its wait, in the order made
        assert lanes.interactive_waiting == 2
    # Leaving the block handed the lock to `cancelled`, which has not run since.
    cancelled.cancel()
    async with asyncio.timeout(5):
        await asyncio.gather(cancelled, after, return_exceptions=True)
    assert cancelled.cancelled()
    assert got == ["after"]
    async with asyncio.timeout(5), lanes.hold(background=True):
        got.append("free again")
    assert got == ["after", "free again"]
