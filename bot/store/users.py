"""Subscribers: their row, typed partial updates (`UserPatch`), the due query and deletion."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from enum import Enum
from typing import Final

import aiosqlite

from bot.core.escalation import PainDuration, ReportedPain
from bot.core.states import Awaiting, UserStatus
from bot.store.base import Database, Param, parse_date

# A stored language_code as the language the bot speaks, in SQL, matching
# bot.core.i18n.pick_language: zh, zh-hans, zh-TW, zh_CN... are "zh", anything else "en"
# (rows from before /start normalised it may hold "en-US" or "zh-hans").
_NORMAL = "replace(lower(trim(coalesce(language_code, ''))), '_', '-')"
LANGUAGE_SQL = f"(CASE WHEN {_NORMAL} = 'zh' OR {_NORMAL} LIKE 'zh-%' THEN 'zh' ELSE 'en' END)"
LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class User:
    """A subscriber as stored."""

    user_id: int
    chat_id: int
    first_name: str
    language_code: str
    status: UserStatus
    awaiting: Awaiting | None
    timezone: str
    send_time: str
    paused_until: date | None
    has_diabetes: bool | None
    next_due_utc: float | None
    next_due_date: date | None
    tip_seed: str
    tip_cycle: int
    pending_checkin_date: date | None
    created_at: float
    weekly_day: int = 6
    weekly_summary: bool = True
    country: str | None = None  # ISO code; None: derive from the zone (features.common)
    pain_duration: PainDuration | None = None  # None: not answered
    pain_duration_on: date | None = None  # the local date of the answer

    @property
    def active(self) -> bool:
        """Say whether the user wants scheduled messages."""
        return self.status == UserStatus.ACTIVE

    @property
    def reported_pain(self) -> ReportedPain | None:
        """Return the user's answer about how long their pain had gone on, if they gave one."""
        if self.pain_duration is None or self.pain_duration_on is None:
            return None
        return ReportedPain(self.pain_duration, self.pain_duration_on)


class Unset(Enum):
    """The type of `UNSET`: a `UserPatch` field that leaves its column alone."""

    UNSET = "unset"


UNSET: Final = Unset.UNSET


@dataclass(frozen=True)
class UserPatch:
    """The columns to change in a user row; a field left `UNSET` is not touched.

    The field names are the column names, so the SQL never takes a name from input.
    `None` sets a nullable column to NULL.
    """

    chat_id: int | Unset = UNSET
    first_name: str | Unset = UNSET
    language_code: str | Unset = UNSET
    status: UserStatus | Unset = UNSET
    awaiting: Awaiting | Unset | None = UNSET
    timezone: str | Unset = UNSET
    send_time: str | Unset = UNSET
    paused_until: date | Unset | None = UNSET
    has_diabetes: bool | Unset | None = UNSET
    next_due_utc: float | Unset | None = UNSET
    next_due_date: date | Unset | None = UNSET
    pending_checkin_date: date | Unset | None = UNSET
    weekly_day: int | Unset = UNSET
    weekly_summary: bool | Unset = UNSET
    country: str | Unset | None = UNSET
    pain_duration: PainDuration | Unset | None = UNSET
    pain_duration_on: date | Unset | None = UNSET

    def columns(self) -> dict[str, Param]:
        """Return the set fields as column name -> SQL value (dates as ISO text)."""
        found: dict[str, Param] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value is UNSET:
                continue
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, Enum):
                value = value.value
            found[field.name] = value
        return found


def to_user(row: aiosqlite.Row) -> User:
    """Build a User from a `SELECT *` row of users."""
    return User(
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        first_name=row["first_name"],
        language_code=row["language_code"],
        status=UserStatus(row["status"]),
        awaiting=Awaiting(row["awaiting"]) if row["awaiting"] else None,
        timezone=row["timezone"],
        send_time=row["send_time"],
        paused_until=parse_date(row["paused_until"]),
        has_diabetes=None if row["has_diabetes"] is None else bool(row["has_diabetes"]),
        next_due_utc=row["next_due_utc"],
        next_due_date=parse_date(row["next_due_date"]),
        tip_seed=row["tip_seed"],
        tip_cycle=row["tip_cycle"],
        pending_checkin_date=parse_date(row["pending_checkin_date"]),
        created_at=row["created_at"],
        weekly_day=row["weekly_day"],
        weekly_summary=bool(row["weekly_summary"]),
        country=row["country"],
        pain_duration=PainDuration(row["pain_duration"]) if row["pain_duration"] else None,
        pain_duration_on=parse_date(row["pain_duration_on"]),
    )


# A page of due users after a (next_due_utc, user_id): status, due, user id, now, limit.
DUE_PAGE = (
    "SELECT * FROM (SELECT * FROM (SELECT * FROM users WHERE status = ?1"
    " AND next_due_utc = ?2 AND user_id > ?3 ORDER BY user_id LIMIT ?5)"
    " UNION ALL SELECT * FROM (SELECT * FROM users WHERE status = ?1"
    " AND next_due_utc > ?2 AND next_due_utc <= ?4 ORDER BY next_due_utc, user_id LIMIT ?5))"
    " ORDER BY next_due_utc, user_id LIMIT ?5"
)

# Columns whose change can move a user's next daily send.
SCHEDULE_COLUMNS = frozenset({"next_due_utc", "status"})


class Users:
    """The users table."""

    def __init__(self, db: Database) -> None:
        self._db = db
        # Called after a change that may move a user's next daily send (their time, zone,
        # pause or status), so the dispatcher can wake for it instead of at its next tick.
        self.on_schedule_change: Callable[[], None] | None = None

    async def get(self, user_id: int) -> User | None:
        """Return the user, or None if they never started the bot (or deleted their data)."""
        row = await self._db.one("SELECT * FROM users WHERE user_id = ?", (user_id,))
        return to_user(row) if row else None

    async def create(
        self,
        user_id: int,
        chat_id: int,
        first_name: str,
        language_code: str,
        *,
        before_start: bool = False,
    ) -> User:
        """Insert a new active user; return the stored row (unchanged if they exist).

        `before_start`: a language chosen before /start, stored as a stopped row awaiting
        /start, in the same statement so no half-made subscriber can exist.
        """
        now = self._db.now()
        status, awaiting = (
            (UserStatus.STOPPED, Awaiting.START) if before_start else (UserStatus.ACTIVE, None)
        )
        await self._db.exec(
            "INSERT INTO users (user_id, chat_id, first_name, language_code, status, awaiting,"
            " tip_seed, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO NOTHING",
            (
                user_id,
                chat_id,
                first_name,
                language_code,
                status,
                awaiting,
                secrets.token_hex(8),
                now,
                now,
            ),
        )
        user = await self.get(user_id)
        if user is None:
            raise RuntimeError(f"user {user_id} vanished right after insert")
        return user

    async def update(self, user_id: int, patch: UserPatch) -> None:
        """Set the patch's fields on the user row; an empty patch changes nothing."""
        columns = patch.columns()
        if not columns:
            return
        # Column names come from UserPatch's own fields, never from input; values are bound.
        assignments = ", ".join(f"{name} = ?" for name in columns)
        await self._db.exec(
            f"UPDATE users SET {assignments}, updated_at = ? WHERE user_id = ?",  # noqa: S608
            (*columns.values(), self._db.now(), user_id),
        )
        if "status" in columns:
            self._db.outbox_epoch += 1
        if self.on_schedule_change is not None and SCHEDULE_COLUMNS & columns.keys():
            self.on_schedule_change()

    async def next_due(self) -> datetime | None:
        """Return the earliest next daily send of any active user, or None when there is none."""
        row = await self._db.one(
            "SELECT min(next_due_utc) FROM users WHERE status = ? AND next_due_utc IS NOT NULL",
            (UserStatus.ACTIVE,),
        )
        if row is None or row[0] is None:
            return None
        return datetime.fromtimestamp(row[0], UTC)

    async def due(
        self, now: datetime, limit: int, after: tuple[float, int] | None = None
    ) -> list[User]:
        """Return active users whose next daily delivery is due, oldest first (then by id).

        `after` is the (next_due_utc, user_id) of the last user of the previous page: the page
        starts after it, so a page can be read before the one before it is written. Read on
        the reading connection: it sees what was committed last.
        """
        due_at, last_id = after if after is not None else (float("-inf"), 0)
        # Two seeks in index order, not one row-value range: the users_due index orders by
        # (next_due_utc, rowid), and SQLite seeks a rowid only after an equality. When a
        # million users share the same second, the range alone would walk past every user
        # of the pages before. SQLite plans a bound status against the partial index.
        rows = await self._db.scan(
            DUE_PAGE, (UserStatus.ACTIVE, due_at, last_id, now.timestamp(), limit)
        )
        return [to_user(r) for r in rows]

    async def count_active_by_language(self) -> dict[str, int]:
        """Return the number of active subscribers per language the bot speaks ("en", "zh")."""
        rows = await self._db.all(
            f"SELECT {LANGUAGE_SQL} AS language, count(*) AS n FROM users WHERE status = ?"  # noqa: S608
            " GROUP BY language",
            (UserStatus.ACTIVE,),
        )
        counts = dict.fromkeys(LANGUAGES, 0)
        counts.update({r["language"]: r["n"] for r in rows})
        return counts

    async def count_active(self) -> int:
        """Return the number of active subscribers."""
        return await self._db.count(
            "SELECT count(*) FROM users WHERE status = ?", (UserStatus.ACTIVE,)
        )

    async def delete(self, user_id: int) -> None:
        """Erase every row about the user, outbox included, in one transaction."""
        async with self._db.transaction() as conn:
            # Every per-user table cascades from users (see the migrations).
            await conn.execute("DELETE FROM users WHERE user_id = ?", (user_id,))
            # Updates they sent (not tied to a user row: they may come before /start).
            await conn.execute("DELETE FROM inbox WHERE user_id = ?", (user_id,))
            # An admin's broadcasts stay (they went to others) but no longer name them.
            await conn.execute(
                "UPDATE broadcasts SET admin_id = NULL, admin_chat_id = NULL,"
                " progress_message_id = NULL WHERE admin_id = ? OR admin_chat_id = ?",
                (user_id, user_id),
            )
        self._db.outbox_epoch += 1
