"""Escalations ("see a doctor" messages) as stored, with the scores that triggered them."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
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
    # The reason as data (migration 0005): an English msgid and its parameters; lists are
    # warning-sign values. None for rows stored before, which keep their `reason` text.
    reason_key: str | None = None
    reason_params: dict[str, str | int | list[str]] | None = None


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
        reason_key: str | None = None,
        reason_params: Mapping[str, str | int | Sequence[str]] | None = None,
    ) -> None:
        """Store an escalation with the scores that triggered it and its reason (text, data)."""
        params = None
        if reason_params is not None:
            params = json.dumps(
                {k: v if isinstance(v, str | int) else list(v) for k, v in reason_params.items()},
                ensure_ascii=False,
            )
        await self._db.exec(
            "INSERT INTO escalations (user_id, rule, urgency, local_date, scores, created_at,"
            " reason, reason_key, reason_params) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                user_id,
                rule,
                urgency,
                day.isoformat(),
                json.dumps([[d.isoformat(), s] for d, s in scores]),
                self._db.now(),
                reason,
                reason_key,
                params,
            ),
        )

    async def for_user(self, user_id: int) -> list[StoredEscalation]:
        """Return the user's escalations, oldest first."""
        rows = await self._db.all(
            "SELECT rule, urgency, local_date, scores, created_at, reason, reason_key,"
            " reason_params FROM escalations WHERE user_id = ? ORDER BY id",
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
                r["reason_key"],
                json.loads(r["reason_params"]) if r["reason_params"] else None,
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
