"""The one data-access module: every SQL statement of the bot lives here, all parameterised."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiosqlite

from bot.clock import Clock
from bot.core.schedule import local_date

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class User:
    """A subscriber as stored."""

    user_id: int
    chat_id: int
    first_name: str
    language_code: str
    status: str
    awaiting: str | None
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

    @property
    def active(self) -> bool:
        """Say whether the user wants scheduled messages."""
        return self.status == "active"


@dataclass(frozen=True)
class OutboxRow:
    """One message waiting to be sent."""

    id: int
    idem_key: str
    user_id: int
    chat_id: int
    kind: str
    local_date: date | None
    payload: dict[str, Any]
    attempts: int


@dataclass(frozen=True)
class NewMessage:
    """A message to put into the outbox."""

    idem_key: str
    user_id: int
    chat_id: int
    kind: str
    payload: dict[str, Any]
    local_date: date | None = None
    priority: int = 0


@dataclass(frozen=True)
class Broadcast:
    """An admin broadcast as stored."""

    id: int
    admin_id: int | None
    admin_chat_id: int | None
    text: str
    status: str
    recipients: int
    progress_message_id: int | None
    started_at: float | None


@dataclass(frozen=True)
class BroadcastCounts:
    """Where a broadcast's outbox rows stand."""

    total: int
    sent: int
    blocked: int
    failed: int
    skipped: int
    pending: int
    in_flight: int
    last_sent_at: float | None


@dataclass(frozen=True)
class DailyFacts:
    """What the dispatcher needs to know about a user's local day."""

    tip_given: bool
    answered: bool
    recent_score: int | None  # the latest check-in of that day or the day before


@dataclass(frozen=True)
class TipRecord:
    """A tip given to a user, for the rotation."""

    tip_id: str
    cycle: int
    local_date: date


@dataclass(frozen=True)
class StoredEscalation:
    """An escalation as stored."""

    rule: str
    urgency: str
    local_date: date
    scores: list[tuple[str, int]]
    created_at: float
    reason: str | None = None  # NULL for rows stored before migration 0003


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _user(row: aiosqlite.Row) -> User:
    return User(
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        first_name=row["first_name"],
        language_code=row["language_code"],
        status=row["status"],
        awaiting=row["awaiting"],
        timezone=row["timezone"],
        send_time=row["send_time"],
        paused_until=_date(row["paused_until"]),
        has_diabetes=None if row["has_diabetes"] is None else bool(row["has_diabetes"]),
        next_due_utc=row["next_due_utc"],
        next_due_date=_date(row["next_due_date"]),
        tip_seed=row["tip_seed"],
        tip_cycle=row["tip_cycle"],
        pending_checkin_date=_date(row["pending_checkin_date"]),
        created_at=row["created_at"],
        weekly_day=row["weekly_day"],
        weekly_summary=bool(row["weekly_summary"]),
    )


def _broadcast(row: aiosqlite.Row) -> Broadcast:
    return Broadcast(
        id=row["id"],
        admin_id=row["admin_id"],
        admin_chat_id=row["admin_chat_id"],
        text=row["text"],
        status=row["status"],
        recipients=row["recipients"],
        progress_message_id=row["progress_message_id"],
        started_at=row["started_at"],
    )


def _migrations() -> list[tuple[int, str]]:
    folder = resources.files("bot.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    return sorted(found)


async def _record_tip(conn: aiosqlite.Connection, user_id: int, tip: TipRecord, now: float) -> None:
    await conn.execute(
        "INSERT INTO tip_deliveries (user_id, cycle, tip_id, local_date, created_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (user_id, tip.cycle, tip.tip_id, tip.local_date.isoformat(), now),
    )
    await conn.execute(
        "UPDATE users SET tip_cycle = ? WHERE user_id = ? AND tip_cycle < ?",
        (tip.cycle, user_id, tip.cycle),
    )


def _enqueue_params(message: NewMessage, now: float) -> tuple[Any, ...]:
    return (
        message.idem_key,
        message.user_id,
        message.chat_id,
        message.kind,
        message.local_date.isoformat() if message.local_date else None,
        message.priority,
        json.dumps(message.payload),
        now,
    )


_ENQUEUE = (
    "INSERT INTO outbox (idem_key, user_id, chat_id, kind, local_date, priority,"
    " payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idem_key) DO NOTHING"
)


class Store:
    """Async access to the SQLite database. Open with `await Store.open(path, clock)`."""

    def __init__(self, conn: aiosqlite.Connection, clock: Clock) -> None:
        self._conn = conn
        self._clock = clock
        # One connection is shared by every task; the lock keeps one task's statements out of
        # another task's open transaction.
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path, clock: Clock) -> Store:
        """Open (creating if needed) and migrate the database at path."""
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE) so a crash between
        # statements can never leave half of a unit of work behind.
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        await conn.execute("PRAGMA synchronous = NORMAL")
        store = cls(conn, clock)
        await store._migrate()
        return store

    async def close(self) -> None:
        """Close the connection."""
        await self._conn.close()

    def _now(self) -> float:
        return self._clock.now().timestamp()

    async def _migrate(self) -> None:
        async with self._conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        current = row[0] if row else 0
        for version, sql in _migrations():
            if version <= current:
                continue
            log.info("Applying database migration %04d", version)
            # executescript commits first; the script and the version bump run as one unit.
            await self._conn.executescript(
                f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version:d};\nCOMMIT;"
            )

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run statements on the yielded connection as one atomic unit."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        async with self._lock, self._conn.execute(sql, params) as cur:
            return await cur.fetchone()

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        async with self._lock, self._conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def _exec(self, sql: str, params: Sequence[Any] = ()) -> int:
        async with self._lock, self._conn.execute(sql, params) as cur:
            return cur.rowcount

    async def schema_version(self) -> int:
        """Return the applied migration number."""
        row = await self._one("PRAGMA user_version")
        return int(row[0]) if row else 0

    # --- users ---------------------------------------------------------------------------

    async def get_user(self, user_id: int) -> User | None:
        """Return the user, or None if they never started the bot (or deleted their data)."""
        row = await self._one("SELECT * FROM users WHERE user_id = ?", (user_id,))
        return _user(row) if row else None

    async def create_user(
        self, user_id: int, chat_id: int, first_name: str, language_code: str
    ) -> User:
        """Insert a new active user; return the stored row (unchanged if they exist)."""
        now = self._now()
        await self._exec(
            "INSERT INTO users (user_id, chat_id, first_name, language_code, tip_seed,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO NOTHING",
            (user_id, chat_id, first_name, language_code, secrets.token_hex(8), now, now),
        )
        user = await self.get_user(user_id)
        if user is None:
            raise RuntimeError(f"user {user_id} vanished right after insert")
        return user

    async def update_user(self, user_id: int, **fields: Any) -> None:
        """Set columns of a user row; column names come from code, values are bound."""
        allowed = {
            "chat_id", "first_name", "language_code", "status", "awaiting", "timezone",
            "send_time", "paused_until", "has_diabetes", "next_due_utc", "next_due_date",
            "tip_cycle", "pending_checkin_date", "weekly_day", "weekly_summary",
        }  # fmt: skip
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"not user columns: {sorted(unknown)}")
        values = [v.isoformat() if isinstance(v, date) else v for v in fields.values()]
        assignments = ", ".join(f"{name} = ?" for name in fields)
        await self._exec(
            f"UPDATE users SET {assignments}, updated_at = ? WHERE user_id = ?",  # noqa: S608
            (*values, self._now(), user_id),
        )

    async def due_users(self, now: datetime, limit: int) -> list[User]:
        """Return active users whose next daily delivery is due, oldest first."""
        rows = await self._all(
            "SELECT * FROM users WHERE status = 'active' AND next_due_utc <= ?"
            " ORDER BY next_due_utc LIMIT ?",
            (now.timestamp(), limit),
        )
        return [_user(r) for r in rows]

    # --- check-ins -----------------------------------------------------------------------

    async def record_checkin(self, user_id: int, day: date, score: int) -> None:
        """Store the day's score; a second answer the same local day replaces the first."""
        await self._exec(
            "INSERT INTO checkins (user_id, local_date, score, answered_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id, local_date) DO UPDATE SET score = excluded.score,"
            " answered_at = excluded.answered_at",
            (user_id, day.isoformat(), score, self._now()),
        )

    async def checkins(self, user_id: int, since: date | None = None) -> list[tuple[date, int]]:
        """Return (local date, score) pairs in date order."""
        rows = await self._all(
            "SELECT local_date, score FROM checkins WHERE user_id = ? AND local_date >= ?"
            " ORDER BY local_date",
            (user_id, since.isoformat() if since else ""),
        )
        return [(date.fromisoformat(r["local_date"]), r["score"]) for r in rows]

    async def has_checkin(self, user_id: int, day: date) -> bool:
        """Say whether the user answered the check-in of that local date."""
        row = await self._one(
            "SELECT 1 FROM checkins WHERE user_id = ? AND local_date = ?",
            (user_id, day.isoformat()),
        )
        return row is not None

    async def daily_facts(self, user_id: int, day: date) -> DailyFacts:
        """Return, in one query, whether the day's tip and check-in are done, and recent pain."""
        row = await self._one(
            "SELECT"
            " EXISTS (SELECT 1 FROM tip_deliveries WHERE user_id = ?1 AND local_date = ?2),"
            " EXISTS (SELECT 1 FROM checkins WHERE user_id = ?1 AND local_date = ?2),"
            " (SELECT score FROM checkins WHERE user_id = ?1 AND local_date BETWEEN ?3 AND ?2"
            "  ORDER BY local_date DESC LIMIT 1)",
            (user_id, day.isoformat(), (day - timedelta(days=1)).isoformat()),
        )
        if row is None:
            return DailyFacts(False, False, None)
        return DailyFacts(bool(row[0]), bool(row[1]), row[2])

    async def record_red_flags(self, user_id: int, day: date, flags: Iterable[str]) -> None:
        """Store the red-flag answers of a day (latest answer wins)."""
        await self._exec(
            "INSERT INTO red_flag_answers (user_id, local_date, flags, answered_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (user_id, local_date) DO UPDATE SET"
            " flags = excluded.flags, answered_at = excluded.answered_at",
            (user_id, day.isoformat(), ",".join(sorted(flags)), self._now()),
        )

    # --- tips ----------------------------------------------------------------------------

    async def tips_seen(self, user_id: int, cycle: int) -> set[str]:
        """Return the tip ids already given to the user in this rotation cycle."""
        rows = await self._all(
            "SELECT tip_id FROM tip_deliveries WHERE user_id = ? AND cycle = ?",
            (user_id, cycle),
        )
        return {r["tip_id"] for r in rows}

    async def record_tip(self, user_id: int, tip: TipRecord) -> None:
        """Remember a tip as given and move the user's rotation to its cycle."""
        async with self.transaction() as conn:
            await _record_tip(conn, user_id, tip, self._now())

    async def tip_history(self, user_id: int) -> list[TipRecord]:
        """Return every tip given to the user, oldest first."""
        rows = await self._all(
            "SELECT tip_id, cycle, local_date FROM tip_deliveries WHERE user_id = ?"
            " ORDER BY created_at, rowid",
            (user_id,),
        )
        return [
            TipRecord(r["tip_id"], r["cycle"], date.fromisoformat(r["local_date"])) for r in rows
        ]

    # --- escalations ---------------------------------------------------------------------

    async def add_escalation(
        self,
        user_id: int,
        rule: str,
        urgency: str,
        day: date,
        scores: Sequence[tuple[date, int]],
        reason: str | None = None,
    ) -> None:
        """Store an escalation with the scores that triggered it."""
        await self._exec(
            "INSERT INTO escalations (user_id, rule, urgency, local_date, scores, created_at,"
            " reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                user_id,
                rule,
                urgency,
                day.isoformat(),
                json.dumps([[d.isoformat(), s] for d, s in scores]),
                self._now(),
                reason,
            ),
        )

    async def escalations(self, user_id: int) -> list[StoredEscalation]:
        """Return the user's escalations, oldest first."""
        rows = await self._all(
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

    # --- outbox --------------------------------------------------------------------------

    async def enqueue(self, message: NewMessage) -> bool:
        """Add a message unless its idempotency key is known; return whether it was added."""
        rowcount = await self._exec(_ENQUEUE, _enqueue_params(message, self._now()))
        return rowcount == 1

    async def commit_daily(
        self,
        user: User,
        messages: Sequence[NewMessage],
        tip: TipRecord | None,
        next_due: tuple[float, date],
    ) -> bool:
        """Enqueue a user's daily messages and advance their schedule in one transaction.

        The schedule only moves if it still says what the dispatcher read, so two overlapping
        ticks cannot both act on the same due date; the unique keys are the second guard.
        """
        now = self._now()
        async with self.transaction() as conn:
            cur = await conn.execute(
                "UPDATE users SET next_due_utc = ?, next_due_date = ?, updated_at = ?"
                " WHERE user_id = ? AND next_due_utc IS ? AND status = 'active'",
                (next_due[0], next_due[1].isoformat(), now, user.user_id, user.next_due_utc),
            )
            if cur.rowcount != 1:
                return False
            for message in messages:
                await conn.execute(_ENQUEUE, _enqueue_params(message, now))
                if message.kind == "checkin" and message.local_date is not None:
                    # From now on a typed number answers this day's check-in.
                    await conn.execute(
                        "UPDATE users SET pending_checkin_date = ? WHERE user_id = ?",
                        (message.local_date.isoformat(), user.user_id),
                    )
            if tip is not None:
                await _record_tip(conn, user.user_id, tip, now)
        return True

    async def claim(self, limit: int) -> list[OutboxRow]:
        """Mark up to `limit` pending rows as in flight and return them, priority first.

        A claimed row is 'sending', so it can never be claimed again while in flight.
        """
        async with self.transaction() as conn:
            async with conn.execute(
                "SELECT id, idem_key, user_id, chat_id, kind, local_date, payload, attempts"
                " FROM outbox WHERE status = 'pending' ORDER BY priority, id LIMIT ?",
                (limit,),
            ) as cur:
                rows = list(await cur.fetchall())
            await conn.executemany(
                "UPDATE outbox SET status = 'sending', attempts = attempts + 1 WHERE id = ?",
                [(r["id"],) for r in rows],
            )
        return [
            OutboxRow(
                r["id"],
                r["idem_key"],
                r["user_id"],
                r["chat_id"],
                r["kind"],
                _date(r["local_date"]),
                json.loads(r["payload"]),
                r["attempts"] + 1,
            )
            for r in rows
        ]

    async def mark_sent(self, row_id: int, message_id: int) -> None:
        """Record a delivery with Telegram's message id; the row stays as the archive."""
        await self._exec(
            "UPDATE outbox SET status = 'sent', message_id = ?, sent_at = ?, last_error = NULL"
            " WHERE id = ?",
            (message_id, self._now(), row_id),
        )

    async def mark_row(self, row_id: int, status: str, error: str | None) -> None:
        """Set a row's final or retry status ('pending', 'failed', 'unknown', 'skipped')."""
        await self._exec(
            "UPDATE outbox SET status = ?, last_error = ? WHERE id = ?", (status, error, row_id)
        )

    async def mark_blocked(self, row_id: int, user_id: int) -> None:
        """Record that the user blocked the bot: no retries, nothing more for them."""
        async with self.transaction() as conn:
            await conn.execute(
                "UPDATE users SET status = 'blocked', updated_at = ? WHERE user_id = ?",
                (self._now(), user_id),
            )
            await conn.execute(
                "UPDATE outbox SET status = 'blocked', last_error = 'blocked by the user'"
                " WHERE user_id = ? AND status IN ('pending', 'sending')",
                (user_id,),
            )
            await conn.execute("UPDATE outbox SET status = 'blocked' WHERE id = ?", (row_id,))

    async def still_claimed(self, row_id: int) -> bool:
        """Say whether a claimed row is still meant to be sent (not cancelled meanwhile)."""
        row = await self._one("SELECT status FROM outbox WHERE id = ?", (row_id,))
        return row is not None and row["status"] == "sending"

    async def requeue_in_flight(self) -> int:
        """Put rows left 'sending' by a crash back in the queue; return how many."""
        rowcount = await self._exec("UPDATE outbox SET status = 'pending' WHERE status = 'sending'")
        return rowcount

    async def outbox_rows(self, user_id: int | None = None) -> list[dict[str, Any]]:
        """Return outbox rows as dicts, for tests, stats and export."""
        if user_id is None:
            rows = await self._all("SELECT * FROM outbox ORDER BY id")
        else:
            rows = await self._all("SELECT * FROM outbox WHERE user_id = ? ORDER BY id", (user_id,))
        return [dict(r) for r in rows]

    async def pending_count(self) -> int:
        """Return the number of messages waiting to be sent."""
        row = await self._one("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')")
        return int(row[0]) if row else 0

    async def prune_sent(self, older_than: datetime) -> int:
        """Delete archived rows older than a cut-off; keys that old can no longer recur."""
        rowcount = await self._exec(
            "DELETE FROM outbox WHERE status IN ('sent', 'skipped', 'blocked', 'failed',"
            " 'unknown') AND created_at < ?",
            (older_than.timestamp(),),
        )
        return rowcount

    # --- broadcasts ----------------------------------------------------------------------

    async def count_active(self) -> int:
        """Return the number of active subscribers."""
        row = await self._one("SELECT count(*) FROM users WHERE status = 'active'")
        return int(row[0]) if row else 0

    async def create_broadcast(
        self, admin_id: int, chat_id: int, text: str, entities: list[dict[str, Any]] | None
    ) -> int:
        """Store a broadcast draft; return its id."""
        async with self.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO broadcasts (admin_id, admin_chat_id, text, entities, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (admin_id, chat_id, text, json.dumps(entities) if entities else None, self._now()),
            )
            if cur.lastrowid is None:
                raise RuntimeError("insert returned no row id")
            return cur.lastrowid

    async def start_broadcast(self, broadcast_id: int, *, priority: int, paid: bool) -> int | None:
        """Turn a draft into one outbox row per active subscriber, atomically, exactly once.

        Returns the number of recipients, or None when the draft was already started or
        cancelled (a second press of Send).
        """
        now = self._now()
        async with self.transaction() as conn:
            async with conn.execute(
                "SELECT text, entities FROM broadcasts WHERE id = ? AND status = 'preview'",
                (broadcast_id,),
            ) as cur:
                draft = await cur.fetchone()
            if draft is None:
                return None
            payload: dict[str, Any] = {"text": draft["text"]}
            if draft["entities"]:
                payload["entities"] = json.loads(draft["entities"])
            if paid:
                payload["paid"] = True
            cur = await conn.execute(
                "INSERT OR IGNORE INTO outbox (idem_key, user_id, chat_id, kind, priority,"
                " payload, created_at, broadcast_id)"
                " SELECT 'broadcast:' || ? || ':' || user_id, user_id, chat_id, 'broadcast', ?,"
                " ?, ?, ? FROM users WHERE status = 'active' ORDER BY user_id",
                (broadcast_id, priority, json.dumps(payload), now, broadcast_id),
            )
            recipients = cur.rowcount
            await conn.execute(
                "UPDATE broadcasts SET status = 'sending', started_at = ?, recipients = ?"
                " WHERE id = ?",
                (now, recipients, broadcast_id),
            )
        return recipients

    async def set_progress_message(self, broadcast_id: int, message_id: int) -> None:
        """Remember the admin's progress message so a restart keeps editing it."""
        await self._exec(
            "UPDATE broadcasts SET progress_message_id = ? WHERE id = ?",
            (message_id, broadcast_id),
        )

    async def cancel_draft(self, broadcast_id: int) -> bool:
        """Cancel a draft that was never started; return whether it was one."""
        changed = await self._exec(
            "UPDATE broadcasts SET status = 'cancelled', finished_at = ?"
            " WHERE id = ? AND status = 'preview'",
            (self._now(), broadcast_id),
        )
        return changed == 1

    async def cancel_broadcast(self, broadcast_id: int) -> int:
        """Stop a running broadcast: its unsent rows are skipped; return how many."""
        async with self.transaction() as conn:
            # Rows already claimed by the sender are skipped too; one that is really in
            # flight is marked 'sent' again when Telegram answers.
            cur = await conn.execute(
                "UPDATE outbox SET status = 'skipped', last_error = 'broadcast cancelled'"
                " WHERE broadcast_id = ? AND status IN ('pending', 'sending')",
                (broadcast_id,),
            )
            skipped = cur.rowcount
            await conn.execute(
                "UPDATE broadcasts SET status = 'cancelled', finished_at = ? WHERE id = ?",
                (self._now(), broadcast_id),
            )
        return skipped

    async def finish_broadcast(self, broadcast_id: int) -> None:
        """Mark a broadcast whose rows are all handled as done."""
        await self._exec(
            "UPDATE broadcasts SET status = 'done', finished_at = ?"
            " WHERE id = ? AND status = 'sending'",
            (self._now(), broadcast_id),
        )

    async def get_broadcast(self, broadcast_id: int) -> Broadcast | None:
        """Return one broadcast."""
        row = await self._one("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
        return _broadcast(row) if row else None

    async def broadcasts_with_status(self, status: str) -> list[Broadcast]:
        """Return broadcasts in a status, oldest first."""
        rows = await self._all("SELECT * FROM broadcasts WHERE status = ? ORDER BY id", (status,))
        return [_broadcast(r) for r in rows]

    async def broadcast_counts(self, broadcast_id: int) -> BroadcastCounts:
        """Count a broadcast's rows by status."""
        rows = await self._all(
            "SELECT status, count(*) AS n, max(sent_at) AS last FROM outbox"
            " WHERE broadcast_id = ? GROUP BY status",
            (broadcast_id,),
        )
        by = {r["status"]: r["n"] for r in rows}
        last = max((r["last"] for r in rows if r["last"] is not None), default=None)
        return BroadcastCounts(
            total=sum(by.values()),
            sent=by.get("sent", 0),
            blocked=by.get("blocked", 0),
            failed=by.get("failed", 0) + by.get("unknown", 0),
            skipped=by.get("skipped", 0),
            pending=by.get("pending", 0),
            in_flight=by.get("sending", 0),
            last_sent_at=last,
        )

    # --- stats ---------------------------------------------------------------------------

    async def user_counts(self, now: datetime) -> dict[str, int]:
        """Count users by state; 'paused' are active users inside a pause."""
        rows = await self._all("SELECT status, count(*) AS n FROM users GROUP BY status")
        counts = {"active": 0, "stopped": 0, "blocked": 0}
        counts.update({r["status"]: r["n"] for r in rows})
        paused_rows = await self._all(
            "SELECT timezone, paused_until FROM users"
            " WHERE status = 'active' AND paused_until IS NOT NULL"
        )
        paused = sum(
            1
            for r in paused_rows
            if date.fromisoformat(r["paused_until"]) > local_date(now, ZoneInfo(r["timezone"]))
        )
        new = await self._one(
            "SELECT count(*) FROM users WHERE created_at >= ?",
            ((now - timedelta(days=7)).timestamp(),),
        )
        counts["active"] -= paused
        counts["paused"] = paused
        counts["new_7d"] = int(new[0]) if new else 0
        return counts

    async def timezones_in_use(self) -> list[str]:
        """Return the distinct zones of users."""
        rows = await self._all("SELECT DISTINCT timezone FROM users ORDER BY timezone")
        return [r["timezone"] for r in rows]

    async def scores_on_local_days(self, day_by_zone: dict[str, str]) -> list[int]:
        """Return the scores recorded for each zone's given local date."""
        scores: list[int] = []
        for zone, day in day_by_zone.items():
            rows = await self._all(
                "SELECT c.score FROM checkins c JOIN users u ON u.user_id = c.user_id"
                " WHERE u.timezone = ? AND c.local_date = ?",
                (zone, day),
            )
            scores += [r["score"] for r in rows]
        return scores

    async def scores_answered_since(self, since: datetime) -> list[int]:
        """Return the scores answered since an instant."""
        rows = await self._all(
            "SELECT score FROM checkins WHERE answered_at >= ?", (since.timestamp(),)
        )
        return [r["score"] for r in rows]

    async def checkin_prompts_sent_since(self, since: datetime) -> int:
        """Count daily check-in prompts delivered since an instant."""
        row = await self._one(
            "SELECT count(*) FROM outbox WHERE kind = 'checkin' AND status = 'sent'"
            " AND sent_at >= ?",
            (since.timestamp(),),
        )
        return int(row[0]) if row else 0

    async def escalation_counts(self, since: datetime) -> dict[str, int]:
        """Count escalations per rule since an instant."""
        rows = await self._all(
            "SELECT rule, count(*) AS n FROM escalations WHERE created_at >= ? GROUP BY rule",
            (since.timestamp(),),
        )
        return {r["rule"]: r["n"] for r in rows}

    async def last_send_error(self) -> str | None:
        """Return the most recent delivery error recorded in the outbox."""
        row = await self._one(
            "SELECT last_error FROM outbox WHERE last_error IS NOT NULL"
            " ORDER BY coalesce(sent_at, created_at) DESC, id DESC LIMIT 1"
        )
        return row["last_error"] if row else None

    # --- the user's own data ---------------------------------------------------------------

    async def red_flag_answers(self, user_id: int) -> list[tuple[date, str]]:
        """Return (local date, comma-separated flags) pairs in date order."""
        rows = await self._all(
            "SELECT local_date, flags FROM red_flag_answers WHERE user_id = ? ORDER BY local_date",
            (user_id,),
        )
        return [(date.fromisoformat(r["local_date"]), r["flags"]) for r in rows]

    async def delete_user(self, user_id: int) -> None:
        """Erase every row about the user, outbox included, in one transaction."""
        async with self.transaction() as conn:
            # Every per-user table cascades from users (see the migrations).
            await conn.execute("DELETE FROM users WHERE user_id = ?", (user_id,))
            # An admin's broadcasts stay (they went to others) but no longer name them.
            await conn.execute(
                "UPDATE broadcasts SET admin_id = NULL, admin_chat_id = NULL,"
                " progress_message_id = NULL WHERE admin_id = ? OR admin_chat_id = ?",
                (user_id, user_id),
            )

    async def table_columns(self) -> dict[str, list[str]]:
        """Return every table and its columns (for the deletion audit)."""
        tables = await self._all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        result: dict[str, list[str]] = {}
        for table in tables:
            name = table["name"]
            columns = await self._all("SELECT name FROM pragma_table_info(?)", (name,))
            result[name] = [c["name"] for c in columns]
        return result

    async def rows_mentioning(self, table: str, column: str, value: int) -> int:
        """Count rows whose column equals the value or embeds it as ':value:' or ':value'."""
        columns = await self.table_columns()
        if column not in columns.get(table, []):
            raise ValueError(f"no column {table}.{column}")
        # Identifiers come from sqlite_master (checked above), never from user input.
        row = await self._one(
            f'SELECT count(*) FROM "{table}" WHERE "{column}" = ?'  # noqa: S608
            f' OR CAST("{column}" AS TEXT) LIKE ? OR CAST("{column}" AS TEXT) LIKE ?',
            (value, f"%:{value}:%", f"%:{value}"),
        )
        return int(row[0]) if row else 0
