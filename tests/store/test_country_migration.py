"""Migration 0004: users get a nullable country; rows from before keep NULL (derive from zone)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.clock import FakeClock
from bot.store import Store, UserPatch
from bot.store.base import migrations
from tests.store.conftest import START
from tests.store.helpers import raw

COUNTRY_MIGRATION = 4


def _database_before_countries(path: Path) -> None:
    """Build the schema as it was before migration 0004, with one user in it."""
    conn = sqlite3.connect(path)
    try:
        for version, sql in migrations():
            if version < COUNTRY_MIGRATION:
                conn.executescript(sql)
        conn.execute(f"PRAGMA user_version = {COUNTRY_MIGRATION - 1:d}")
        conn.execute(
            "INSERT INTO users (user_id, chat_id, timezone, tip_seed, created_at, updated_at)"
            " VALUES (7, 7, 'America/New_York', 'seed', 0, 0)"
        )
        conn.commit()
    finally:
        conn.close()


async def test_an_existing_database_gets_the_column_with_null(db_path: Path) -> None:
    _database_before_countries(db_path)
    assert "country" not in [row[1] for row in raw(db_path, "PRAGMA table_info(users)")]
    store = await Store.open(db_path, FakeClock(START))
    try:
        assert "country" in [row[1] for row in raw(db_path, "PRAGMA table_info(users)")]
        assert raw(db_path, "SELECT country FROM users WHERE user_id = 7") == [(None,)]
        user = await store.users.get(7)
        assert user is not None
        assert (user.timezone, user.country) == ("America/New_York", None)
    finally:
        await store.close()


async def test_the_country_is_stored_and_cleared(store: Store) -> None:
    await store.users.create(1, 1, "Sam", "en")
    await store.users.update(1, UserPatch(country="DE"))
    user = await store.users.get(1)
    assert user is not None
    assert user.country == "DE"
    await store.users.update(1, UserPatch(country=None))
    user = await store.users.get(1)
    assert user is not None
    assert user.country is None
