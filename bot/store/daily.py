"""The daily delivery's unit of work, the one transaction that spans aggregates.

For each due user it enqueues the day's messages, opens the check-in for typed answers, records
the tip in the rotation and moves the schedule on, all or nothing per user, guarded by the
schedule the dispatcher read. Users are read and written in pages: a handful of statements per
page, whatever its size, instead of several round trips per user.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.core.outcomes import PainSite
from bot.core.states import UserStatus
from bot.store.base import Database
from bot.store.outbox import NewMessage, prepare_messages, write_messages
from bot.store.tips import TipRecord
from bot.store.users import User

# The week ending on a day: that day and the six before.
WEEK = timedelta(days=6)
# Between the values SQLite folds into one string: tip ids are slugs, dates ISO, scores digits.
SEPARATOR = "\x1f"


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


class FoldedFacts(Mapping[int, DailyFacts]):
    """Users' facts as `facts_many` read them, folded in strings, each parsed when asked for."""

    def __init__(self, folded: dict[int, tuple[str, str | None, str | None, int | None]]) -> None:
        self._folded = folded  # user id -> (local date, tips, check-ins, first step asked)

    def __getitem__(self, user_id: int) -> DailyFacts:
        day, tips, recent, first_step = self._folded[user_id]
        # The latest date a tip of the cycle was given, then the cycle's tip ids.
        latest, *seen = tips.split(SEPARATOR) if tips else ("",)
        # Local dates and scores, alternately, in date order.
        scores = recent.split(SEPARATOR) if recent else ()
        return DailyFacts(
            tip_given=latest >= day,
            answered=day in scores[::2],
            recent=tuple(
                (date.fromisoformat(scores[i]), int(scores[i + 1]))
                for i in range(0, len(scores), 2)
            ),
            seen=frozenset(seen),
            first_step=bool(first_step),
        )

    def __iter__(self) -> Iterator[int]:
        return iter(self._folded)

    def __len__(self) -> int:
        return len(self._folded)


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

    async def facts_many(self, days: Sequence[tuple[int, date, int]]) -> Mapping[int, DailyFacts]:
        """Return the facts for many (user id, local date, tip cycle) at once, in one query.

        One row per user, the tips and check-ins folded into strings by SQLite: a page of
        5,000 users a month into their cycle has 175,000 tip rows, and turning each into a
        Python row cost more than finding it. Users with nothing recorded are absent from the
        result (their facts are the defaults). Each user's strings are parsed when their facts
        are first asked for: the dispatcher holds two pages at once, and 5,000 users' parsed
        sets took 25 MB.
        """
        if not days:
            return {}
        wanted = json.dumps(
            [
                [user_id, day.isoformat(), (day - WEEK).isoformat(), cycle]
                for user_id, day, cycle in days
            ]
        )
        # On the reading connection: a long read that must not hold up the writer. Only
        # the current cycle's tips are read (its key's range): the day's tip, if any, is among
        # them, because the cycle moves only with a tip and only forward. One given on a later
        # date counts too: a past day planned late gets no second tip.
        rows = await self._db.scan(
            "WITH wanted AS (SELECT json_extract(value, '$[0]') AS user_id,"
            " json_extract(value, '$[1]') AS day, json_extract(value, '$[2]') AS since,"
            " json_extract(value, '$[3]') AS cycle FROM json_each(?1))"
            " SELECT user_id, day, tips, recent, first_step FROM (SELECT w.user_id, w.day,"
            " (SELECT max(t.local_date) || ?2 || group_concat(t.tip_id, ?2) FROM tip_deliveries t"
            " WHERE t.user_id = w.user_id AND t.cycle = w.cycle) AS tips,"
            " (SELECT group_concat(c.local_date || ?2 || c.score, ?2) FROM checkins c"
            " WHERE c.user_id = w.user_id AND c.local_date BETWEEN w.since AND w.day) AS recent,"
            " (SELECT 1 FROM foot_profiles p WHERE p.user_id = w.user_id"
            " AND coalesce(p.first_step, p.site = ?3) = 1"
            " AND coalesce(p.first_step_skipped_on, '') <> w.day"
            " AND NOT EXISTS (SELECT 1 FROM first_step_pain f"
            " WHERE f.user_id = w.user_id AND f.local_date = w.day)) AS first_step"
            " FROM wanted w)"
            " WHERE tips IS NOT NULL OR recent IS NOT NULL OR first_step IS NOT NULL",
            (wanted, SEPARATOR, PainSite.UNDER_HEEL.value),
        )
        return FoldedFacts({row[0]: (row[1], row[2], row[3], row[4]) for row in rows})

    async def commit_many(self, commits: Sequence[DailyCommit]) -> set[int]:
        """Enqueue many users' daily messages and advance their schedules in one transaction.

        Each user's schedule only moves if it still says what the dispatcher read, so two
        overlapping ticks cannot both act on the same due date, and only the users whose
        schedule moved get their messages and tip written; the outbox's unique keys are the
        second guard. Returns the ids of the users whose schedule moved.

        Everything that needs no answer from the database is encoded before the transaction,
        which is then five statements: a button press waits for the write lock that long.
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
        messages = prepare_messages([m for c in commits for m in c.messages])
        tips = [
            (c.user.user_id, c.tip.cycle, c.tip.tip_id, c.tip.local_date.isoformat(), now)
            for c in commits
            if c.tip is not None
        ]
        cycles = [
            (c.tip.cycle, c.user.user_id, c.tip.cycle)
            for c in commits
            if c.tip is not None and c.tip.cycle > c.user.tip_cycle
        ]
        async with self._db.transaction() as conn:
            rows = await conn.execute_fetchall(
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
            )
            moved = {row[0] for row in rows}
            if len(moved) < len(commits):
                messages = messages.only(moved)
                tips = [tip for tip in tips if tip[0] in moved]
                cycles = [cycle for cycle in cycles if cycle[1] in moved]
            await write_messages(conn, messages, now)
            if tips:
                await conn.executemany(
                    "INSERT INTO tip_deliveries (user_id, cycle, tip_id, local_date, created_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    tips,
                )
            if cycles:
                await conn.executemany(
                    "UPDATE users SET tip_cycle = ? WHERE user_id = ? AND tip_cycle < ?", cycles
                )
        return moved


def _checkin_date(messages: Sequence[NewMessage]) -> str | None:
    # From the commit on, a typed number answers this day's check-in.
    for m in messages:
        if m.message.opens_checkin and m.local_date is not None:
            return m.local_date.isoformat()
    return None
