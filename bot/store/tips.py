"""The tip rotation's memory: which tips each user was given, in which cycle, on which day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import aiosqlite

from bot.store.base import Database


@dataclass(frozen=True)
class TipRecord:
    """A tip given to a user, for the rotation."""

    tip_id: str
    cycle: int
    local_date: date


async def insert_tip(conn: aiosqlite.Connection, user_id: int, tip: TipRecord, now: float) -> None:
    """Record a tip inside the caller's transaction and move the user's cycle up to its own."""
    await conn.execute(
        "INSERT INTO tip_deliveries (user_id, cycle, tip_id, local_date, created_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (user_id, tip.cycle, tip.tip_id, tip.local_date.isoformat(), now),
    )
    await conn.execute(
        "UPDATE users SET tip_cycle = ? WHERE user_id = ? AND tip_cycle < ?",
        (tip.cycle, user_id, tip.cycle),
    )


class Tips:
    """The tip_deliveries table (and users.tip_cycle, which it moves)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def seen(self, user_id: int, cycle: int) -> set[str]:
        """Return the tip ids already given to the user in this rotation cycle."""
        rows = await self._db.all(
            "SELECT tip_id FROM tip_deliveries WHERE user_id = ? AND cycle = ?",
            (user_id, cycle),
        )
        return {r["tip_id"] for r in rows}

    async def record(self, user_id: int, tip: TipRecord) -> None:
        """Remember a tip as given and move the user's rotation to its cycle."""
        async with self._db.transaction() as conn:
            await insert_tip(conn, user_id, tip, self._db.now())

    async def history(self, user_id: int) -> list[TipRecord]:
        """Return every tip given to the user, oldest first."""
        rows = await self._db.all(
            # In the order given: by time, then (one fake or coarse clock) by day and cycle.
            "SELECT tip_id, cycle, local_date FROM tip_deliveries WHERE user_id = ?"
            " ORDER BY created_at, local_date, cycle",
            (user_id,),
        )
        return [
            TipRecord(r["tip_id"], r["cycle"], date.fromisoformat(r["local_date"])) for r in rows
        ]
