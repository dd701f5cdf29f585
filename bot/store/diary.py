"""The user's days: check-in scores and red-flag answers, one row per user and local date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bot.store.base import Database


class Diary:
    """The checkins and red_flag_answers tables."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record_checkin(self, user_id: int, day: date, score: int) -> None:
        """Store the day's score; a second answer the same local day replaces the first."""
        await self._db.exec(
            "INSERT INTO checkins (user_id, local_date, score, answered_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id, local_date) DO UPDATE SET score = excluded.score,"
            " answered_at = excluded.answered_at",
            (user_id, day.isoformat(), score, self._db.now()),
        )
        self._db.outbox_epoch += 1

    async def checkins(self, user_id: int, since: date | None = None) -> list[tuple[date, int]]:
        """Return (local date, score) pairs in date order, from `since` on when given."""
        rows = await self._db.all(
            "SELECT local_date, score FROM checkins WHERE user_id = ? AND local_date >= ?"
            " ORDER BY local_date",
            (user_id, since.isoformat() if since else ""),
        )
        return [(date.fromisoformat(r["local_date"]), r["score"]) for r in rows]

    async def has_checkin(self, user_id: int, day: date) -> bool:
        """Say whether the user answered the check-in of that local date."""
        row = await self._db.one(
            "SELECT 1 FROM checkins WHERE user_id = ? AND local_date = ?",
            (user_id, day.isoformat()),
        )
        return row is not None

    async def record_red_flags(self, user_id: int, day: date, flags: Iterable[str]) -> None:
        """Store the red-flag answers of a day (latest answer wins)."""
        await self._db.exec(
            "INSERT INTO red_flag_answers (user_id, local_date, flags, answered_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (user_id, local_date) DO UPDATE SET"
            " flags = excluded.flags, answered_at = excluded.answered_at",
            (user_id, day.isoformat(), ",".join(sorted(flags)), self._db.now()),
        )

    async def red_flag_answers(self, user_id: int) -> list[tuple[date, str]]:
        """Return (local date, comma-separated flags) pairs in date order."""
        rows = await self._db.all(
            "SELECT local_date, flags FROM red_flag_answers WHERE user_id = ? ORDER BY local_date",
            (user_id,),
        )
        return [(date.fromisoformat(r["local_date"]), r["flags"]) for r in rows]
