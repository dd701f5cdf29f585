"""Read-only figures across aggregates for the admins' /stats; no user content leaves here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from bot.core.outbox import MessageKind
from bot.core.states import Awaiting, OutboxStatus, UserStatus
from bot.store.base import Database


class Stats:
    """Counts over users, check-ins and the outbox."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def status_counts(self) -> dict[UserStatus, int]:
        """Count users by status; every status is present, 0 when nobody has it.

        A row that only holds a language chosen before /start is nobody's subscription yet.
        """
        rows = await self._db.all(
            "SELECT status, count(*) AS n FROM users WHERE awaiting IS NOT ? GROUP BY status",
            (Awaiting.START,),
        )
        counts = dict.fromkeys(UserStatus, 0)
        counts.update({UserStatus(r["status"]): int(r["n"]) for r in rows})
        return counts

    async def pauses(self) -> list[tuple[str, date]]:
        """Return (time zone, paused until) of every active user with a pause set."""
        rows = await self._db.all(
            "SELECT timezone, paused_until FROM users"
            " WHERE status = ? AND paused_until IS NOT NULL ORDER BY user_id",
            (UserStatus.ACTIVE,),
        )
        return [(r["timezone"], date.fromisoformat(r["paused_until"])) for r in rows]

    async def new_since(self, since: datetime) -> int:
        """Count users created since an instant (not those who have not sent /start yet)."""
        return await self._db.count(
            "SELECT count(*) FROM users WHERE created_at >= ? AND awaiting IS NOT ?",
            (since.timestamp(), Awaiting.START),
        )

    async def timezones_in_use(self) -> list[str]:
        """Return the distinct zones of users."""
        rows = await self._db.all("SELECT DISTINCT timezone FROM users ORDER BY timezone")
        return [r["timezone"] for r in rows]

    async def scores_on_local_days(self, day_by_zone: Mapping[str, str]) -> list[int]:
        """Return the scores recorded for each zone's given local date (ISO text)."""
        scores: list[int] = []
        for zone, day in day_by_zone.items():
            rows = await self._db.all(
                "SELECT c.score FROM checkins c JOIN users u ON u.user_id = c.user_id"
                " WHERE u.timezone = ? AND c.local_date = ?",
                (zone, day),
            )
            scores += [r["score"] for r in rows]
        return scores

    async def scores_answered_since(self, since: datetime) -> list[int]:
        """Return the scores answered since an instant."""
        rows = await self._db.all(
            "SELECT score FROM checkins WHERE answered_at >= ?", (since.timestamp(),)
        )
        return [r["score"] for r in rows]

    async def checkin_prompts_sent_since(self, since: datetime) -> int:
        """Count daily check-in prompts delivered since an instant (alone or under a tip)."""
        return await self._db.count(
            "SELECT count(*) FROM outbox WHERE kind IN (?, ?) AND status = ? AND sent_at >= ?",
            (MessageKind.CHECKIN, MessageKind.DAILY, OutboxStatus.SENT, since.timestamp()),
        )
