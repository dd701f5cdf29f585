"""Escalations ("see a doctor" messages) as stored, with the scores that triggered them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.store.base import Database


@dataclass(frozen=True)
class StoredEscalation:
    """An escalation as stored."""

    rule: str
    urgency: str
    local_date: date
    scores: list[tuple[str, int]]
    created_at: float
    reason: str | None = None  # NULL for rows stored before migration 0003


class Escalations:
    """The escalations table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self,
        user_id: int,
        rule: str,
        urgency: str,
        day: date,
        scores: Sequence[tuple[date, int]],
        reason: str | None = None,
    ) -> None:
        """Store an escalation with the scores that triggered it."""
        await self._db.exec(
            "INSERT INTO escalations (user_id, rule, urgency, local_date, scores, created_at,"
            " reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                user_id,
                rule,
                urgency,
                day.isoformat(),
                json.dumps([[d.isoformat(), s] for d, s in scores]),
                self._db.now(),
                reason,
            ),
        )

    async def for_user(self, user_id: int) -> list[StoredEscalation]:
        """Return the user's escalations, oldest first."""
        rows = await self._db.all(
            "SELECT rule, urgency, local_date, scores, created_at, reason FROM escalations"
            " WHERE user_id = ? ORDER BY id",
            (user_id,),
        )
        return [
            StoredEscalation(
                r["rule"],
                r["urgency"],
                date.fromisoformat(r["local_date"]),
                [(d, s) for d, s in json.loads(r["scores"])],
                r["created_at"],
                r["reason"],
            )
            for r in rows
        ]

    async def counts_since(self, since: datetime) -> dict[str, int]:
        """Count escalations per rule since an instant."""
        rows = await self._db.all(
            "SELECT rule, count(*) AS n FROM escalations WHERE created_at >= ? GROUP BY rule",
            (since.timestamp(),),
        )
        return {r["rule"]: r["n"] for r in rows}
