"""Migration 0012 (issue 25): the per-user-per-day tables become WITHOUT ROWID. A database
made by the schema before it keeps every row of every table, the constraints and cascades
still hold, and the daily read finds the same facts."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.store import DailyFacts, Store
from bot.store.base import migrations
from tests.store.conftest import START
from tests.store.helpers import raw

WITHOUT_ROWID = 12
CHANGED = ("checkins", "tip_deliveries", "red_flag_answers", "first_step_pain")
DAY = date(2026, 11, 24)


def _database_before(path: Path) -> None:
    """Build the schema as it was before 0012, with three users' history in every table the
    migration rebuilds (and an outbox row, which it does not touch)."""
    conn = sqlite3.connect(path)
    try:
        for version, sql in migrations():
            if version < WITHOUT_ROWID:
                conn.executescript(sql)
        conn.execute(f"PRAGMA user_version = {WITHOUT_ROWID - 1:d}")
        for user_id in (7, 8, 9):
            conn.execute(
                "INSERT INTO users (user_id, chat_id, tip_seed, tip_cycle, created_at,"
                " updated_at) VALUES (?, ?, 'seed', 1, 0, 0)",
                (user_id, user_id),
            )
        # Rows in an order other than the key's, as the bot adds them day by day.
        for n, day in enumerate(("2026-11-22", "2026-11-23", "2026-11-24")):
            for user_id in (9, 7, 8):
                conn.execute(
                    "INSERT INTO checkins (user_id, local_date, score, answered_at,"
                    " filled_late) VALUES (?, ?, ?, ?, ?)",
                    (user_id, day, (user_id + n) % 11, 100.5 + n, int(user_id == 8 and n == 1)),
                )
                conn.execute(
                    "INSERT INTO tip_deliveries (user_id, cycle, tip_id, local_date, created_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (user_id, n // 2, f"tip-{3 - n}", day, 200.0 + n),
                )
                conn.execute(
                    "INSERT INTO first_step_pain (user_id, local_date, score, filled_late,"
                    " answered_at) VALUES (?, ?, ?, 0, ?)",
                    (user_id, day, n, 300.0 + n),
                )
        conn.execute(
            "INSERT INTO red_flag_answers (user_id, local_date, flags, answered_at)"
            " VALUES (7, '2026-11-23', 'numbness,swelling', 5)"
        )
        conn.execute(
            "INSERT INTO outbox (idem_key, user_id, chat_id, kind, local_date, payload,"
            " created_at) VALUES ('tip:7:2026-11-24', 7, 7, 'tip', '2026-11-24', '{}', 0)"
        )
        conn.commit()
    finally:
        conn.close()


def _tables(path: Path) -> list[str]:
    rows = raw(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    return [str(r[0]) for r in rows]


def _every_row(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a fixed order, by name so columns line up."""
    found: dict[str, list[tuple[object, ...]]] = {}
    for table in _tables(path):
        columns = sorted(str(r[1]) for r in raw(path, f"PRAGMA table_info({table})"))
        listed = ", ".join(columns)
        found[table] = raw(path, f"SELECT {listed} FROM {table} ORDER BY {listed}")  # noqa: S608
    return found


def _definition(path: Path, table: str) -> str:
    [(sql,)] = raw(path, "SELECT sql FROM sqlite_master WHERE name = ?", (table,))
    return str(sql)


async def test_every_row_of_every_table_survives(db_path: Path) -> None:
    _database_before(db_path)
    before = _every_row(db_path)
    assert all(before[table] for table in CHANGED)
    store = await Store.open(db_path, FakeClock(START))
    await store.close()
    assert raw(db_path, "PRAGMA user_version")[0][0] >= WITHOUT_ROWID
    assert _every_row(db_path) == before
    for table in CHANGED:
        assert "WITHOUT ROWID" in _definition(db_path, table)
    indexes = raw(db_path, "SELECT name FROM sqlite_master WHERE type = 'index'")
    assert ("tip_deliveries_by_date",) not in indexes
    assert raw(db_path, "PRAGMA foreign_key_check") == []
    assert raw(db_path, "PRAGMA integrity_check") == [("ok",)]


async def test_the_upgraded_tables_keep_their_rules(db_path: Path) -> None:
    """Keys, checks and the cascade from users hold as they did."""
    _database_before(db_path)
    store = await Store.open(db_path, FakeClock(START))
    try:
        with pytest.raises(sqlite3.IntegrityError):
            await store.db.exec(
                "INSERT INTO checkins (user_id, local_date, score, answered_at)"
                " VALUES (7, '2026-11-25', 11, 0)"
            )
        with pytest.raises(sqlite3.IntegrityError):
            await store.db.exec(
                "INSERT INTO tip_deliveries (user_id, cycle, tip_id, local_date, created_at)"
                " VALUES (7, 0, 'tip-3', '2026-11-25', 0)"
            )
        with pytest.raises(sqlite3.IntegrityError):  # no such user
            await store.diary.record_checkin(42, DAY, 3)
        await store.diary.record_checkin(7, DAY, 9)  # the same day again replaces it
        assert (await store.diary.checkins(7))[-1] == (DAY, 9)
        await store.users.delete(7)
    finally:
        await store.close()
    for table in CHANGED:
        assert raw(db_path, f"SELECT count(*) FROM {table} WHERE user_id = 7") == [(0,)]  # noqa: S608
    assert raw(db_path, "SELECT count(*) FROM checkins") == [(6,)]


async def test_the_daily_read_and_the_history_after_the_upgrade(db_path: Path) -> None:
    """The dispatcher's facts and a user's tip history read the rebuilt tables as before."""
    _database_before(db_path)
    store = await Store.open(db_path, FakeClock(START))
    try:
        facts = await store.daily.facts_many([(8, DAY, 1), (9, date(2026, 11, 25), 0)])
        assert facts[8] == DailyFacts(
            tip_given=True,
            answered=True,
            recent=((date(2026, 11, 22), 8), (date(2026, 11, 23), 9), (DAY, 10)),
            seen=frozenset({"tip-1"}),
        )
        # Cycle 0 holds the tips of the first two days; nothing yet on the 25th.
        assert facts[9].seen == frozenset({"tip-3", "tip-2"})
        assert not facts[9].tip_given
        assert not facts[9].answered
        history = [
            (t.tip_id, t.cycle, t.local_date.isoformat()) for t in await store.tips.history(7)
        ]
        assert history == [
            ("tip-3", 0, "2026-11-22"),
            ("tip-2", 0, "2026-11-23"),
            ("tip-1", 1, "2026-11-24"),
        ]
    finally:
        await store.close()


async def test_opening_twice_migrates_once(db_path: Path) -> None:
    _database_before(db_path)
    for _ in range(2):
        store = await Store.open(db_path, FakeClock(START))
        await store.close()
    assert raw(db_path, "SELECT count(*) FROM tip_deliveries") == [(9,)]
    assert raw(db_path, "PRAGMA user_version")[0][0] >= WITHOUT_ROWID
