"""Fixtures for the store tests: a real SQLite file in tmp_path, opened with a fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.store import Store, User, UserPatch

START = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
DAY = date(2026, 11, 24)
DUE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A fresh database file."""
    return tmp_path / "footcare.db"


@pytest.fixture
def clock() -> FakeClock:
    """The store's clock, at 07:00 UTC on DAY."""
    return FakeClock(START)


@pytest.fixture
async def store(db_path: Path, clock: FakeClock) -> AsyncIterator[Store]:
    """An open, migrated store."""
    opened = await Store.open(db_path, clock)
    yield opened
    await opened.close()


async def due_user(store: Store, user_id: int = 1) -> User:
    """Create an active user due at 09:00 UTC on DAY."""
    await store.users.create(user_id, user_id, "Sam", "en")
    await store.users.update(user_id, UserPatch(next_due_utc=DUE.timestamp(), next_due_date=DAY))
    user = await store.users.get(user_id)
    assert user is not None
    return user
