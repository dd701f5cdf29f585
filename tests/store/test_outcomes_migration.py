"""Migration 0011 (outcome measures): a database made by the schema before it keeps its users
and their history, check-ins become on-time answers, and the new tables work at once."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from bot.clock import FakeClock
from bot.core.outcomes import FootProfile, PainEntry, PainSite, Side
from bot.store import Store
from bot.store.base import migrations
from tests.store.conftest import START
from tests.store.helpers import raw

OUTCOMES_MIGRATION = 11
SKIPS_MIGRATION = 15
NEW_TABLES = {"foot_profiles", "first_step_pain", "activities", "activity_ratings",
              "monthly_answers"}  # fmt: skip


def _database_before_outcomes(path: Path) -> None:
    """Build the schema as it was before 0011 (whatever came before it), with two users who
    have check-ins, warning-sign answers, a tip and an escalation."""
    conn = sqlite3.connect(path)
    try:
        for version, sql in migrations():
            if version < OUTCOMES_MIGRATION:
                conn.executescript(sql)
        conn.execute(f"PRAGMA user_version = {OUTCOMES_MIGRATION - 1:d}")
        for user_id in (7, 8):
            conn.execute(
                "INSERT INTO users (user_id, chat_id, timezone, tip_seed, created_at,"
                " updated_at) VALUES (?, ?, 'Europe/London', 'seed', 0, 0)",
                (user_id, user_id),
            )
        conn.executemany(
            "INSERT INTO checkins (user_id, local_date, score, answered_at) VALUES (?, ?, ?, 0)",
            [(7, "2026-11-20", 6), (7, "2026-11-21", 5), (8, "2026-11-21", 2)],
        )
        conn.execute(
            "INSERT INTO red_flag_answers (user_id, local_date, flags, answered_at)"
            " VALUES (7, '2026-11-21', 'numbness', 0)"
        )
        conn.execute(
            "INSERT INTO tip_deliveries (user_id, cycle, tip_id, local_date, created_at)"
            " VALUES (7, 0, 'calf-stretch', '2026-11-21', 0)"
        )
        conn.execute(
            "INSERT INTO escalations (user_id, rule, urgency, local_date, scores, created_at)"
            " VALUES (7, 'red_flag_urgent', 'urgent', '2026-11-21', '[]', 0)"
        )
        conn.commit()
    finally:
        conn.close()


def _tables(path: Path) -> set[str]:
    return {str(r[0]) for r in raw(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}


async def test_an_existing_database_keeps_its_users_and_history(db_path: Path) -> None:
    _database_before_outcomes(db_path)
    assert not NEW_TABLES & _tables(db_path)
    store = await Store.open(db_path, FakeClock(START))
    try:
        assert raw(db_path, "PRAGMA user_version")[0][0] >= OUTCOMES_MIGRATION
        assert _tables(db_path) >= NEW_TABLES
        assert [u for u in (7, 8) if await store.users.get(u) is not None] == [7, 8]
        assert await store.diary.checkins(7) == [(date(2026, 11, 20), 6), (date(2026, 11, 21), 5)]
        assert await store.diary.red_flag_answers(7) == [(date(2026, 11, 21), "numbness")]
        assert [t.tip_id for t in await store.tips.history(7)] == ["calf-stretch"]
        assert [e.rule for e in await store.escalations.for_user(7)] == ["red_flag_urgent"]
        # Check-ins from before were answered on time.
        assert await store.outcomes.daily_pain(7) == [
            PainEntry(date(2026, 11, 20), 6),
            PainEntry(date(2026, 11, 21), 5),
        ]
        assert await store.outcomes.profile(7) is None
    finally:
        await store.close()


async def test_an_upgraded_database_takes_outcomes_at_once(db_path: Path) -> None:
    _database_before_outcomes(db_path)
    store = await Store.open(db_path, FakeClock(START))
    try:
        day = date(2026, 11, 22)
        assert await store.outcomes.record_late_checkin(7, day, 4)
        await store.outcomes.save_profile(7, FootProfile(site=PainSite.UNDER_HEEL), day)
        assert await store.outcomes.record_first_step(7, day, 7, filled_late=True)
        assert (await store.outcomes.daily_pain(7))[-1] == PainEntry(day, 4, filled_late=True)
        await store.users.delete(7)
        assert raw(db_path, "SELECT count(*) FROM first_step_pain") == [(0,)]
        assert await store.diary.checkins(8) == [(date(2026, 11, 21), 2)]
    finally:
        await store.close()


async def test_opening_twice_does_not_migrate_again(db_path: Path) -> None:
    """The version number says 0011 ran; a second open applies nothing and loses nothing."""
    _database_before_outcomes(db_path)
    for _ in range(2):
        store = await Store.open(db_path, FakeClock(START))
        await store.outcomes.record_first_step(7, date(2026, 11, 22), 3)
        await store.close()
    assert raw(db_path, "SELECT count(*) FROM first_step_pain") == [(1,)]


async def test_0015_keeps_profiles_and_adds_the_first_step_skip(db_path: Path) -> None:
    """A database at 0011's schema with a profile takes 0015: the profile stays, unskipped,
    and a skip is stored at once."""
    conn = sqlite3.connect(db_path)
    try:
        for version, sql in migrations():
            if version <= OUTCOMES_MIGRATION:
                conn.executescript(sql)
        conn.execute(f"PRAGMA user_version = {OUTCOMES_MIGRATION:d}")
        conn.execute(
            "INSERT INTO users (user_id, chat_id, timezone, tip_seed, created_at, updated_at)"
            " VALUES (7, 7, 'Europe/London', 'seed', 0, 0)"
        )
        conn.execute(
            "INSERT INTO foot_profiles (user_id, started_on, site, side, updated_at)"
            " VALUES (7, '2026-11-20', 'under_heel', 'left', 0)"
        )
        conn.commit()
    finally:
        conn.close()
    store = await Store.open(db_path, FakeClock(START))
    try:
        assert raw(db_path, "PRAGMA user_version")[0][0] >= SKIPS_MIGRATION
        profile = await store.outcomes.profile(7)
        assert profile == FootProfile(
            site=PainSite.UNDER_HEEL, side=Side.LEFT, started_on=date(2026, 11, 20)
        )
        assert profile.asks_first_step
        await store.outcomes.skip_first_step(7, date(2026, 11, 22))
        skipped = await store.outcomes.profile(7)
        assert skipped is not None
        assert skipped.first_step_skipped_on == date(2026, 11, 22)
    finally:
        await store.close()
