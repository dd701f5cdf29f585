"""Migration 0008: users get how long their pain had gone on and when they said it; rows from
before keep NULL (not answered: the rules count from the first check-in)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.core.escalation import PainDuration, ReportedPain
from bot.store import Store, UserPatch
from bot.store.base import migrations
from tests.store.conftest import START
from tests.store.helpers import raw

PAIN_MIGRATION = 8


def _database_of_today(path: Path) -> None:
    """Build the schema as it was before migration 0008, with one onboarded user in it."""
    conn = sqlite3.connect(path)
    try:
        for version, sql in migrations():
            if version < PAIN_MIGRATION:
                conn.executescript(sql)
        conn.execute(f"PRAGMA user_version = {PAIN_MIGRATION - 1:d}")
        conn.execute(
            "INSERT INTO users (user_id, chat_id, timezone, tip_seed, created_at, updated_at,"
            " country, has_diabetes) VALUES (7, 7, 'Asia/Hong_Kong', 'seed', 0, 0, 'HK', 1)"
        )
        conn.commit()
    finally:
        conn.close()


async def test_a_database_of_todays_schema_upgrades_with_nothing_answered(
    db_path: Path,
) -> None:
    _database_of_today(db_path)
    columns = [row[1] for row in raw(db_path, "PRAGMA table_info(users)")]
    assert "pain_duration" not in columns
    store = await Store.open(db_path, FakeClock(START))
    try:
        newest = max(version for version, _ in migrations())
        assert raw(db_path, "PRAGMA user_version") == [(newest,)]
        user = await store.users.get(7)
        assert user is not None
        assert (user.country, user.has_diabetes) == ("HK", True)
        assert (user.pain_duration, user.pain_duration_on, user.reported_pain) == (None, None, None)
        await store.users.update(
            7,
            UserPatch(pain_duration=PainDuration.OVER_A_YEAR, pain_duration_on=date(2026, 11, 24)),
        )
        user = await store.users.get(7)
        assert user is not None
        assert user.reported_pain == ReportedPain(PainDuration.OVER_A_YEAR, date(2026, 11, 24))
    finally:
        await store.close()


async def test_the_answer_is_stored_as_the_enum_and_cleared(store: Store, db_path: Path) -> None:
    await store.users.create(1, 1, "Sam", "en")
    patch = UserPatch(pain_duration=PainDuration.MONTHS_3_TO_12, pain_duration_on=date(2026, 1, 2))
    await store.users.update(1, patch)
    assert raw(db_path, "SELECT pain_duration, pain_duration_on FROM users") == [
        ("3_to_12_months", "2026-01-02")
    ]
    await store.users.update(1, UserPatch(pain_duration=None, pain_duration_on=None))
    user = await store.users.get(1)
    assert user is not None
    assert user.reported_pain is None


async def test_the_column_refuses_a_value_outside_the_enum(store: Store, db_path: Path) -> None:
    """A value no PainDuration has (a bug, a hand edit) is refused by SQLite itself."""
    await store.users.create(1, 1, "Sam", "en")
    with pytest.raises(sqlite3.IntegrityError):
        raw(db_path, "UPDATE users SET pain_duration = 'forever' WHERE user_id = 1")
