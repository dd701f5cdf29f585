"""The outbox: every message the bot sends on its own initiative, first as a row, then a send.

A row's payload is the JSON of a typed message (`bot.core.outbox`); claiming decodes it, so the
sender only ever sees `TipMessage`, `CheckinPrompt`, `WeeklyChart` or `BroadcastCopy`. A row
that no longer decodes is marked failed and never handed out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from bot.core.outbox import CodecError, OutboxMessage, decode, encode
from bot.core.states import OutboxStatus, UserStatus
from bot.store.base import Database, parse_date

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewMessage:
    """A message to put into the outbox under a unique idempotency key."""

    idem_key: str
    user_id: int
    chat_id: int
    message: OutboxMessage
    local_date: date | None = None
    priority: int = 0  # lower is sent first


@dataclass(frozen=True)
class OutboxRow:
    """One claimed message, decoded, with the attempt this send is (1 for the first)."""

    id: int
    idem_key: str
    user_id: int
    chat_id: int
    message: OutboxMessage
    local_date: date | None
    attempts: int


async def insert_message(conn: aiosqlite.Connection, message: NewMessage, now: float) -> bool:
    """Add a message unless its idempotency key is known; return whether it was added."""
    cur = await conn.execute(
        "INSERT INTO outbox (idem_key, user_id, chat_id, kind, local_date, priority,"
        " payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idem_key) DO NOTHING",
        (
            message.idem_key,
            message.user_id,
            message.chat_id,
            message.message.kind,
            message.local_date.isoformat() if message.local_date else None,
            message.priority,
            encode(message.message),
            now,
        ),
    )
    return cur.rowcount == 1


class Outbox:
    """The outbox table: claiming, marking, requeueing and pruning rows."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def claim(self, limit: int) -> list[OutboxRow]:
        """Mark up to `limit` pending rows as in flight and return them, priority first.

        A claimed row is 'sending', so it can never be claimed again while in flight. A row
        whose payload does not decode is marked 'failed' with the codec error instead.
        """
        claimed: list[OutboxRow] = []
        broken: list[tuple[int, str]] = []
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT id, idem_key, user_id, chat_id, kind, local_date, payload, attempts"
                " FROM outbox WHERE status = ? ORDER BY priority, id LIMIT ?",
                (OutboxStatus.PENDING, limit),
            ) as cur:
                rows = list(await cur.fetchall())
            for r in rows:
                try:
                    message = decode(r["kind"], r["payload"])
                except CodecError as exc:
                    broken.append((r["id"], str(exc)))
                    continue
                claimed.append(
                    OutboxRow(
                        r["id"],
                        r["idem_key"],
                        r["user_id"],
                        r["chat_id"],
                        message,
                        parse_date(r["local_date"]),
                        r["attempts"] + 1,
                    )
                )
            await conn.executemany(
                "UPDATE outbox SET status = ?, attempts = attempts + 1 WHERE id = ?",
                [(OutboxStatus.SENDING, row.id) for row in claimed],
            )
            await conn.executemany(
                "UPDATE outbox SET status = ?, last_error = ? WHERE id = ?",
                [(OutboxStatus.FAILED, error, row_id) for row_id, error in broken],
            )
        for row_id, _ in broken:
            # The id only: a payload is message text meant for one user, not for the log.
            log.error("Outbox row %d has a payload that does not decode; marked failed", row_id)
        return claimed

    async def mark_sent(self, row_id: int, message_id: int) -> None:
        """Record a delivery with Telegram's message id; the row stays as the archive."""
        await self._db.exec(
            "UPDATE outbox SET status = ?, message_id = ?, sent_at = ?, last_error = NULL"
            " WHERE id = ?",
            (OutboxStatus.SENT, message_id, self._db.now(), row_id),
        )

    async def mark(self, row_id: int, status: OutboxStatus, error: str | None) -> None:
        """Set a row's final or retry status (pending, failed, unknown, skipped) and error."""
        await self._db.exec(
            "UPDATE outbox SET status = ?, last_error = ? WHERE id = ?", (status, error, row_id)
        )

    async def mark_blocked(self, row_id: int, user_id: int) -> None:
        """Record that the user blocked the bot: no retries, nothing more for them."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE users SET status = ?, updated_at = ? WHERE user_id = ?",
                (UserStatus.BLOCKED, self._db.now(), user_id),
            )
            await conn.execute(
                "UPDATE outbox SET status = ?, last_error = 'blocked by the user'"
                " WHERE user_id = ? AND status IN (?, ?)",
                (OutboxStatus.BLOCKED, user_id, *OutboxStatus.queued()),
            )
            await conn.execute(
                "UPDATE outbox SET status = ? WHERE id = ?", (OutboxStatus.BLOCKED, row_id)
            )

    async def still_claimed(self, row_id: int) -> bool:
        """Say whether a claimed row is still meant to be sent (not cancelled meanwhile)."""
        row = await self._db.one("SELECT status FROM outbox WHERE id = ?", (row_id,))
        return row is not None and row["status"] == OutboxStatus.SENDING

    async def requeue_in_flight(self) -> int:
        """Put rows left 'sending' by a crash back in the queue; return how many."""
        return await self._db.exec(
            "UPDATE outbox SET status = ? WHERE status = ?",
            (OutboxStatus.PENDING, OutboxStatus.SENDING),
        )

    async def pending_count(self) -> int:
        """Return the number of messages waiting to be sent or in flight."""
        return await self._db.count(
            "SELECT count(*) FROM outbox WHERE status IN (?, ?)", OutboxStatus.queued()
        )

    async def backlog(self) -> dict[str, int]:
        """Return the rows waiting to be sent or in flight, counted by kind."""
        rows = await self._db.all(
            "SELECT kind, count(*) AS n FROM outbox WHERE status IN (?, ?) GROUP BY kind",
            OutboxStatus.queued(),
        )
        return {r["kind"]: r["n"] for r in rows}

    async def prune(self, older_than: datetime) -> int:
        """Delete finished rows older than a cut-off (keys that old can no longer recur)."""
        finished = OutboxStatus.finished()
        marks = ", ".join("?" for _ in finished)
        return await self._db.exec(
            f"DELETE FROM outbox WHERE status IN ({marks}) AND created_at < ?",  # noqa: S608
            (*finished, older_than.timestamp()),
        )

    async def last_error(self) -> str | None:
        """Return the most recent delivery error recorded in the outbox."""
        row = await self._db.one(
            "SELECT last_error FROM outbox WHERE last_error IS NOT NULL"
            " ORDER BY coalesce(sent_at, created_at) DESC, id DESC LIMIT 1"
        )
        return row["last_error"] if row else None
