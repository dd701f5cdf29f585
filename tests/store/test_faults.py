"""Storage faults on the live connection: a full disk and a read-only database (real SQLite
errors through `Database.simulate`), rolled back whole, logged once, recovered from."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from bot.core.outbox import TipMessage
from bot.store import NewMessage, StorageFault, StorageUnavailable, Store
from tests.store.conftest import DAY
from tests.store.helpers import enqueue, outbox_rows

# Enough rows of this size that a batch needs new pages whatever free space the file has.
BATCH = 200
FILLER = "x" * 500


async def insert_batch(store: Store, prefix: str) -> None:
    """Add BATCH tip rows to the outbox in one transaction."""
    async with store.db.transaction() as conn:
        for n in range(BATCH):
            await conn.execute(
                "INSERT INTO outbox (idem_key, user_id, chat_id, kind, local_date, payload,"
                " created_at) VALUES (?, 1, 1, 'tip', ?, ?, 0)",
                (f"{prefix}:{n}", DAY.isoformat(), f'{{"text": "{FILLER}"}}'),
            )


async def test_full_disk_rolls_back_the_whole_transaction(store: Store) -> None:
    """SQLITE_FULL half-way through a batch keeps none of it; the connection stays usable."""
    await store.users.create(1, 1, "Sam", "en")
    await store.db.simulate(StorageFault.FULL)
    with pytest.raises(StorageUnavailable) as caught:
        await insert_batch(store, "full")
    assert caught.value.code == "SQLITE_FULL"
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    assert await outbox_rows(store) == []
    # Reads still work and no transaction was left open behind the failure.
    assert await store.users.get(1) is not None
    await store.db.simulate(None)
    await insert_batch(store, "full")
    assert len(await outbox_rows(store)) == BATCH


async def test_read_only_refuses_every_write_and_keeps_reads(store: Store) -> None:
    """SQLITE_READONLY on the smallest write; reads answer; lifting it lets the write in."""
    await store.users.create(1, 1, "Sam", "en")
    await store.db.simulate(StorageFault.READ_ONLY)
    tip = NewMessage("tip:1:2026-11-24", 1, 1, TipMessage("Stretch"), DAY)
    with pytest.raises(StorageUnavailable) as caught:
        await enqueue(store, tip)
    assert caught.value.code == "SQLITE_READONLY"
    with pytest.raises(StorageUnavailable):
        await store.db.exec("UPDATE users SET first_name = 'Kim' WHERE user_id = 1")
    user = await store.users.get(1)
    assert user is not None
    assert user.first_name == "Sam"
    assert await outbox_rows(store) == []
    await store.db.simulate(None)
    assert await enqueue(store, tip)
    assert len(await outbox_rows(store)) == 1


async def test_a_fault_is_one_warning_without_traceback_and_recovery_one_info(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """Ten refused writes log one WARNING (no exc_info); the first write after logs one INFO."""
    await store.users.create(1, 1, "Sam", "en")
    caplog.set_level(logging.INFO, logger="bot.store.base")
    await store.db.simulate(StorageFault.READ_ONLY)
    for _ in range(10):
        with pytest.raises(StorageUnavailable):
            await store.db.exec("UPDATE users SET first_name = 'Kim' WHERE user_id = 1")
    assert store.db.fault == "SQLITE_READONLY"
    await store.db.simulate(None)
    await store.db.exec("UPDATE users SET first_name = 'Kim' WHERE user_id = 1")
    assert store.db.fault is None
    lines = [(r.levelno, r.exc_info) for r in caplog.records if r.name == "bot.store.base"]
    assert lines == [(logging.WARNING, None), (logging.INFO, None)]


async def test_other_sqlite_errors_are_not_storage_faults(store: Store) -> None:
    """A constraint violation stays an IntegrityError and marks no fault."""
    await store.users.create(1, 1, "Sam", "en")
    with pytest.raises(sqlite3.IntegrityError):
        await store.db.exec("INSERT INTO users (user_id, chat_id) VALUES (1, 1)")
    assert store.db.fault is None


async def test_switching_faults_restores_the_page_limit(store: Store) -> None:
    """FULL then READ_ONLY then none: the file's page limit is back to what it was."""
    await store.users.create(1, 1, "Sam", "en")
    [before] = await store.db.one("PRAGMA max_page_count") or [0]
    await store.db.simulate(StorageFault.FULL)
    await store.db.simulate(StorageFault.READ_ONLY)
    await store.db.simulate(None)
    [after] = await store.db.one("PRAGMA max_page_count") or [0]
    assert after == before
    await insert_batch(store, "grow")


async def test_a_fault_on_one_connection_spares_the_file(store: Store, db_path: Path) -> None:
    """What a fault refused is not on disk: a second connection sees none of it."""
    await store.users.create(1, 1, "Sam", "en")
    await store.db.simulate(StorageFault.FULL)
    with pytest.raises(StorageUnavailable):
        await insert_batch(store, "full")
    with sqlite3.connect(db_path) as other:
        assert other.execute("SELECT count(*) FROM outbox").fetchone() == (0,)
        assert other.execute("PRAGMA integrity_check").fetchone() == ("ok",)
