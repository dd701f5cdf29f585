"""The inbox: updates from Telegram, stored before they are acknowledged, until handled.

`record` is the one write, a group commit: the updates that arrived since the last one (each
stored unless its update_id is known, so Telegram's repeats are recognised) and the updates
whose handling finished since then (marked handled, their body dropped), in one transaction.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.store.base import Database

PRUNE_BATCH = 2000
# SQLite binds at most 32,766 values per statement; one batch of arrivals stays far below.
_LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class Arrival:
    """An update as it arrived: Telegram's id, its sender (if any) and its JSON."""

    update_id: int
    user_id: int | None
    body: str


@dataclass(frozen=True)
class Unhandled:
    """An update stored by an earlier run and not handled yet."""

    update_id: int
    body: str


class Inbox:
    """Stores arrivals and handled marks; hands back what a crash left unhandled."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, arrivals: Sequence[Arrival], handled: Sequence[int]) -> set[int]:
        """Store new arrivals and mark handled updates, in one transaction.

        Returns the update ids stored now; an arrival whose id is already stored (handled or
        not) is a repeat and is left out.
        """
        now = self._db.now()
        async with self._db.transaction() as conn:
            known: set[int] = set()
            ids = [a.update_id for a in arrivals]
            for start in range(0, len(ids), _LOOKUP_CHUNK):
                chunk = ids[start : start + _LOOKUP_CHUNK]
                marks = ", ".join("?" for _ in chunk)
                async with conn.execute(
                    f"SELECT update_id FROM inbox WHERE update_id IN ({marks})",  # noqa: S608
                    chunk,
                ) as cur:
                    known.update(int(row[0]) for row in await cur.fetchall())
            fresh: dict[int, Arrival] = {}
            for arrival in arrivals:
                if arrival.update_id not in known:
                    fresh.setdefault(arrival.update_id, arrival)
            if fresh:
                await conn.executemany(
                    "INSERT INTO inbox (update_id, user_id, received_at, body) VALUES (?, ?, ?, ?)",
                    [(a.update_id, a.user_id, now, a.body) for a in fresh.values()],
                )
            if handled:
                await conn.executemany(
                    "UPDATE inbox SET handled_at = ?, body = NULL"
                    " WHERE update_id = ? AND handled_at IS NULL",
                    [(now, update_id) for update_id in handled],
                )
        return set(fresh)

    async def unhandled(self) -> list[Unhandled]:
        """Return the stored updates not handled yet, oldest update_id first."""
        rows = await self._db.all(
            "SELECT update_id, body FROM inbox WHERE handled_at IS NULL ORDER BY update_id"
        )
        return [Unhandled(int(row["update_id"]), str(row["body"])) for row in rows]

    async def prune(self, older_than: datetime, batch: int = PRUNE_BATCH) -> int:
        """Delete handled rows that arrived before a cut-off, `batch` per transaction.

        Rows not handled are kept however old: they are handled at the next start, and a
        warning sign reported late still counts. Returns how many rows went.
        """
        total = 0
        while True:
            deleted = await self._db.exec(
                "DELETE FROM inbox WHERE update_id IN (SELECT update_id FROM inbox"
                " WHERE received_at < ? AND handled_at IS NOT NULL ORDER BY received_at LIMIT ?)",
                (older_than.timestamp(), batch),
            )
            total += max(deleted, 0)
            if deleted < batch:
                return total
            await asyncio.sleep(0)  # let answers in between the batches

    async def count(self) -> int:
        """Return how many rows the inbox holds."""
        return await self._db.count("SELECT count(*) FROM inbox")
