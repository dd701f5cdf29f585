"""The daily delivery's unit of work, the one transaction that spans aggregates.

For a due user it enqueues the day's messages, opens the check-in for typed answers, records
the tip in the rotation and moves the schedule on, all or nothing, guarded by the schedule the
dispatcher read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.core.states import UserStatus
from bot.store.base import Database
from bot.store.outbox import NewMessage, insert_message
from bot.store.tips import TipRecord, insert_tip
from bot.store.users import User


@dataclass(frozen=True)
class DailyFacts:
    """What the dispatcher needs to know about a user's local day."""

    tip_given: bool
    answered: bool


class Daily:
    """Facts about a user's day, and the daily commit."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def facts(self, user_id: int, day: date) -> DailyFacts:
        """Return, in one query, whether the day's tip and check-in are done.

        Recent pain for the tip filter is read by the Tips feature over its own 3-day window.
        """
        row = await self._db.one(
            "SELECT"
            " EXISTS (SELECT 1 FROM tip_deliveries WHERE user_id = ?1 AND local_date = ?2),"
            " EXISTS (SELECT 1 FROM checkins WHERE user_id = ?1 AND local_date = ?2)",
            (user_id, day.isoformat()),
        )
        if row is None:
            return DailyFacts(False, False)
        return DailyFacts(bool(row[0]), bool(row[1]))

    async def commit(
        self,
        user: User,
        messages: Sequence[NewMessage],
        tip: TipRecord | None,
        next_due: tuple[float, date],
    ) -> bool:
        """Enqueue a user's daily messages and advance their schedule in one transaction.

        The schedule only moves if it still says what the dispatcher read, so two overlapping
        ticks cannot both act on the same due date; the unique keys are the second guard.
        Returns whether it moved (and so whether anything was written).
        """
        now = self._db.now()
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE users SET next_due_utc = ?, next_due_date = ?, updated_at = ?"
                " WHERE user_id = ? AND next_due_utc IS ? AND status = ?",
                (
                    next_due[0],
                    next_due[1].isoformat(),
                    now,
                    user.user_id,
                    user.next_due_utc,
                    UserStatus.ACTIVE,
                ),
            )
            if cur.rowcount != 1:
                return False
            for message in messages:
                await insert_message(conn, message, now)
                if message.message.opens_checkin and message.local_date is not None:
                    # From now on a typed number answers this day's check-in.
                    await conn.execute(
                        "UPDATE users SET pending_checkin_date = ? WHERE user_id = ?",
                        (message.local_date.isoformat(), user.user_id),
                    )
            if tip is not None:
                await insert_tip(conn, user.user_id, tip, now)
        return True
