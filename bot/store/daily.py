"""The daily delivery's unit of work, the one transaction that spans aggregates.

For each due user it enqueues the day's messages, opens the check-in for typed answers, records
the tip in the rotation and moves the schedule on, all or nothing per user, guarded by the
schedule the dispatcher read. Users are read and written in pages: a handful of statements per
page, whatever its size, instead of several round trips per user.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.core.outcomes import PainSite
from bot.core.states import UserStatus
from bot.store.base import Database
from bot.store.outbox import NewMessage, insert_messages
from bot.store.tips import TipRecord
from bot.store.users import User

# The week ending on a day: that day and the six before.
WEEK = timedelta(days=6)


@dataclass(frozen=True)
class DailyFacts:
    """What the dispatcher needs to know about a user's local day."""

    tip_given: bool = False
    answered: bool = False
    # Check-ins of the week ending on the day: the tip filter takes its recent pain from
    # them, and the weekly chart is only drawn when there is one.
    recent: tuple[tuple[date, int], ...] = ()
    # Tip ids already given in the user's current rotation cycle.
    seen: frozenset[str] = field(default_factory=frozenset)
    # Issue 22: the daily message asks this morning's first steps first (the user's profile
    # asks it, and the day has neither an answer to it nor a skip).
    first_step: bool = False

    @property
    def week_checked_in(self) -> bool:
        """Say whether the week ending on the day holds a check-in."""
        return bool(self.recent)


@dataclass(frozen=True)
class DailyCommit:
    """One user's share of a daily commit: what to write if their schedule still matches."""

    user: User
    messages: Sequence[NewMessage]
    tip: TipRecord | None
    next_due: tuple[float, date]


class Daily:
    """Facts about users' days, and the daily commit."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def facts_many(self, days: Sequence[tuple[int, date, int]]) -> dict[int, DailyFacts]:
        """Return the facts for many (user id, local date, tip cycle) at once, in three queries.

        Users with nothing recorded are absent from the result (their facts are the defaults).
        """
        if not days:
            return {}
        wanted = json.dumps(
            [
                [user_id, day.isoformat(), (day - WEEK).isoformat(), cycle]
                for user_id, day, cycle in days
            ]
        )
        tips = await self._db.all(
            "WITH wanted AS (SELECT json_extract(value, '$[0]') AS user_id,"
            " json_extract(value, '$[1]') AS day, json_extract(value, '$[3]') AS cycle"
            " FROM json_each(?))"
            " SELECT t.user_id, t.tip_id, t.cycle = w.cycle AS current,"
            " t.local_date = w.day AS today"
            " FROM wanted w JOIN tip_deliveries t ON t.user_id = w.user_id"
            " WHERE t.cycle = w.cycle OR t.local_date = w.day",
            (wanted,),
        )
        checkins = await self._db.all(
            "WITH wanted AS (SELECT json_extract(value, '$[0]') AS user_id,"
            " json_extract(value, '$[1]') AS day, json_extract(value, '$[2]') AS since"
            " FROM json_each(?))"
            " SELECT c.user_id, c.local_date, c.score, c.local_date = w.day AS today"
            " FROM wanted w JOIN checkins c ON c.user_id = w.user_id"
            " AND c.local_date BETWEEN w.since AND w.day",
            (wanted,),
        )
        first_step = {
            int(r["user_id"])
            for r in await self._db.all(
                "WITH wanted AS (SELECT json_extract(value, '$[0]') AS user_id,"
                " json_extract(value, '$[1]') AS day FROM json_each(?))"
                " SELECT p.user_id FROM wanted w JOIN foot_profiles p ON p.user_id = w.user_id"
                " WHERE coalesce(p.first_step, p.site = ?) = 1"
                " AND coalesce(p.first_step_skipped_on, '') <> w.day"
                " AND NOT EXISTS (SELECT 1 FROM first_step_pain f"
                " WHERE f.user_id = w.user_id AND f.local_date = w.day)",
                (wanted, PainSite.UNDER_HEEL.value),
            )
        }
        given: set[int] = set()
        answered: set[int] = set()
        seen: dict[int, set[str]] = {}
        recent: dict[int, list[tuple[date, int]]] = {}
        for r in tips:
            if r["current"]:
                seen.setdefault(r["user_id"], set()).add(r["tip_id"])
            if r["today"]:
                given.add(r["user_id"])
        for r in checkins:
            recent.setdefault(r["user_id"], []).append(
                (date.fromisoformat(r["local_date"]), r["score"])
            )
            if r["today"]:
                answered.add(r["user_id"])
        return {
            user_id: DailyFacts(
                tip_given=user_id in given,
                answered=user_id in answered,
                recent=tuple(recent.get(user_id, ())),
                seen=frozenset(seen.get(user_id, ())),
                first_step=user_id in first_step,
            )
            for user_id in given | answered | seen.keys() | recent.keys() | first_step
        }

    async def commit_many(self, commits: Sequence[DailyCommit]) -> set[int]:
        """Enqueue many users' daily messages and advance their schedules in one transaction.

        Each user's schedule only moves if it still says what the dispatcher read, so two
        overlapping ticks cannot both act on the same due date, and only the users whose
        schedule moved get their messages and tip written; the outbox's unique keys are the
        second guard. Returns the ids of the users whose schedule moved.
        """
        if not commits:
            return set()
        now = self._db.now()
        schedule = json.dumps(
            [
                [
                    c.user.user_id,
                    c.user.next_due_utc,
                    c.next_due[0],
                    c.next_due[1].isoformat(),
                    _checkin_date(c.messages),
                ]
                for c in commits
            ]
        )
        async with self._db.transaction() as conn:
            async with conn.execute(
                "WITH moves AS (SELECT json_extract(value, '$[0]') AS user_id,"
                " json_extract(value, '$[1]') AS expected, json_extract(value, '$[2]') AS due_utc,"
                " json_extract(value, '$[3]') AS due_date, json_extract(value, '$[4]') AS checkin"
                " FROM json_each(?1))"
                " UPDATE users SET next_due_utc = moves.due_utc, next_due_date = moves.due_date,"
                " pending_checkin_date = coalesce(moves.checkin, users.pending_checkin_date),"
                " updated_at = ?2"
                " FROM moves WHERE users.user_id = moves.user_id"
                " AND users.next_due_utc IS moves.expected AND users.status = ?3"
                " RETURNING users.user_id",
                (schedule, now, UserStatus.ACTIVE),
            ) as cur:
                moved = {row[0] for row in await cur.fetchall()}
            await insert_messages(
                conn, [m for c in commits if c.user.user_id in moved for m in c.messages], now
            )
            tips = [
                (c.user, c.tip) for c in commits if c.tip is not None and c.user.user_id in moved
            ]
            await conn.executemany(
                "INSERT INTO tip_deliveries (user_id, cycle, tip_id, local_date, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [
                    (user.user_id, tip.cycle, tip.tip_id, tip.local_date.isoformat(), now)
                    for user, tip in tips
                ],
            )
            await conn.executemany(
                "UPDATE users SET tip_cycle = ? WHERE user_id = ? AND tip_cycle < ?",
                [
                    (tip.cycle, user.user_id, tip.cycle)
                    for user, tip in tips
                    if tip.cycle > user.tip_cycle
                ],
            )
        return moved


def _checkin_date(messages: Sequence[NewMessage]) -> str | None:
    # From the commit on, a typed number answers this day's check-in.
    for m in messages:
        if m.message.opens_checkin and m.local_date is not None:
            return m.local_date.isoformat()
    return None
