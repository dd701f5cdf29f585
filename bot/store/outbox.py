"""The outbox: every message the bot sends on its own initiative, first as a row, then a send.

A row's payload is the JSON of a typed message (`bot.core.outbox`); claiming decodes it, so the
sender only ever sees `TipMessage`, `CheckinPrompt`, `WeeklyChart` or `BroadcastCopy`. A row
that no longer decodes is marked failed and never handed out.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from bot.core.outbox import CodecError, OutboxMessage, decode, encode
from bot.core.states import OutboxStatus, UserStatus
from bot.store.base import Database, parse_date

log = logging.getLogger(__name__)

# Finished rows deleted per transaction when pruning.
PRUNE_BATCH = 2000


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
    return await insert_messages(conn, [message], now) == 1


@dataclass(frozen=True)
class PreparedMessages:
    """Messages encoded for the outbox ahead of a transaction: each distinct body once, and
    one row of parameters per message (its body named by digest)."""

    bodies: dict[str, str]  # digest -> body
    rows: list[tuple[str, int, int, str, str | None, int, str]]
    users: list[int]  # the user of each row, for leaving out users whose commit failed

    def only(self, users: Collection[int]) -> PreparedMessages:
        """Return the rows of these users only (the bodies stay, they are shared)."""
        keep = [n for n, user_id in enumerate(self.users) if user_id in users]
        if len(keep) == len(self.rows):
            return self
        return PreparedMessages(
            self.bodies, [self.rows[n] for n in keep], [self.users[n] for n in keep]
        )


def prepare_messages(messages: Sequence[NewMessage]) -> PreparedMessages:
    """Encode messages for `write_messages`, outside any transaction (it is pure work)."""
    # Planned messages are shared objects (one tip text for everyone that day), so encoding
    # by identity runs once per distinct message, not once per row.
    digests: dict[int, str] = {}
    bodies: dict[str, str] = {}
    for m in messages:
        if id(m.message) not in digests:
            body = encode(m.message)
            digest = hashlib.blake2b(body.encode(), digest_size=16).hexdigest()
            digests[id(m.message)] = digest
            bodies[digest] = body
    rows = [
        (
            m.idem_key,
            m.user_id,
            m.chat_id,
            m.message.kind.value,
            m.local_date.isoformat() if m.local_date else None,
            m.priority,
            digests[id(m.message)],
        )
        for m in messages
    ]
    return PreparedMessages(bodies, rows, [m.user_id for m in messages])


async def write_messages(conn: aiosqlite.Connection, prepared: PreparedMessages, now: float) -> int:
    """Add prepared messages inside the caller's transaction, each unless its idempotency key
    is known, in two statements; return how many rows were added."""
    if not prepared.rows:
        return 0
    await conn.executemany(
        "INSERT INTO outbox_payloads (digest, body) VALUES (?, ?) ON CONFLICT (digest) DO NOTHING",
        list(prepared.bodies.items()),
    )
    # Each row finds its body by digest in the same statement: no read in between.
    cur = await conn.executemany(
        "INSERT INTO outbox (idem_key, user_id, chat_id, kind, local_date, priority,"
        " payload, payload_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, '',"
        " (SELECT id FROM outbox_payloads WHERE digest = ?7), ?8)"
        " ON CONFLICT (idem_key) DO NOTHING",
        [(*row, now) for row in prepared.rows],
    )
    return max(cur.rowcount, 0)


async def insert_messages(
    conn: aiosqlite.Connection, messages: Sequence[NewMessage], now: float
) -> int:
    """Add messages inside the caller's transaction, each unless its idempotency key is known.

    Each distinct body is stored once (`outbox_payloads`) and shared by every row that sends
    it. Returns how many rows were added.
    """
    return await write_messages(conn, prepare_messages(messages), now)


async def shared_payloads(conn: aiosqlite.Connection, bodies: Collection[str]) -> dict[str, int]:
    """Store each body once (inside the caller's transaction); return their ids by body."""
    digests = {body: hashlib.blake2b(body.encode(), digest_size=16).hexdigest() for body in bodies}
    await conn.executemany(
        "INSERT INTO outbox_payloads (digest, body) VALUES (?, ?) ON CONFLICT (digest) DO NOTHING",
        [(digest, body) for body, digest in digests.items()],
    )
    async with conn.execute(
        "SELECT id, digest FROM outbox_payloads WHERE digest IN (SELECT value FROM json_each(?))",
        (json.dumps(list(digests.values())),),
    ) as cur:
        by_digest = {r["digest"]: r["id"] for r in await cur.fetchall()}
    return {body: by_digest[digest] for body, digest in digests.items()}


def _unwanted(user_status: str | None, message: OutboxMessage, answered: bool) -> str | None:
    """Return why a row must not be sent now, or None when it still should be."""
    if user_status != UserStatus.ACTIVE:
        return "user no longer subscribed"
    if message.skip_when_answered and answered:
        return "already answered"
    return None


class Outbox:
    """The outbox table: claiming, marking, requeueing and pruning rows."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def claim(self, limit: int) -> list[OutboxRow]:
        """Mark up to `limit` pending rows as in flight and return them, priority first.

        A claimed row is 'sending', so it can never be claimed again while in flight. In the
        same transaction, rows that are no longer wanted are skipped instead (the user left,
        or answered the check-in the row asks for), and a row whose payload does not decode
        is marked 'failed' with the codec error.
        """
        claimed: list[OutboxRow] = []
        done: list[tuple[OutboxStatus, str, int]] = []
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT o.id, o.idem_key, o.user_id, o.chat_id, o.kind, o.local_date,"
                " o.attempts, o.payload_id, coalesce(p.body, o.payload) AS body,"
                " u.status AS user_status, EXISTS (SELECT 1 FROM checkins c"
                " WHERE c.user_id = o.user_id AND c.local_date = o.local_date) AS answered"
                " FROM outbox o LEFT JOIN outbox_payloads p ON p.id = o.payload_id"
                " LEFT JOIN users u ON u.user_id = o.user_id"
                " WHERE o.status = ? ORDER BY o.priority, o.id LIMIT ?",
                (OutboxStatus.PENDING, limit),
            ) as cur:
                rows = list(await cur.fetchall())
            # A broadcast's thousands of rows share one body: decode it once.
            decoded: dict[tuple[str, int], OutboxMessage] = {}
            for r in rows:
                shared = (r["kind"], r["payload_id"]) if r["payload_id"] is not None else None
                try:
                    if shared is not None and shared in decoded:
                        message = decoded[shared]
                    else:
                        message = decode(r["kind"], r["body"])
                        if shared is not None:
                            decoded[shared] = message
                except CodecError as exc:
                    done.append((OutboxStatus.FAILED, str(exc), r["id"]))
                    log.error(
                        # The id only: a payload is text meant for one user, not for the log.
                        "Outbox row %d has a payload that does not decode; marked failed",
                        r["id"],
                    )
                    continue
                reason = _unwanted(r["user_status"], message, bool(r["answered"]))
                if reason is not None:
                    done.append((OutboxStatus.SKIPPED, reason, r["id"]))
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
                "UPDATE outbox SET status = ?, last_error = ? WHERE id = ?", done
            )
        return claimed

    async def unwanted(self, rows: Collection[OutboxRow]) -> dict[int, str]:
        """Return which of these claimed rows must not be sent any more, with the reason.

        A row no longer 'sending' was cancelled or handled elsewhere; a row whose user left,
        or whose check-in was answered meanwhile, is marked skipped here.
        """
        if not rows:
            return {}
        by_id = {row.id: row for row in rows}
        found = await self._db.all(
            "SELECT o.id, o.status, u.status AS user_status, EXISTS (SELECT 1 FROM checkins c"
            " WHERE c.user_id = o.user_id AND c.local_date = o.local_date) AS answered"
            " FROM outbox o LEFT JOIN users u ON u.user_id = o.user_id"
            " WHERE o.id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(by_id)),),
        )
        gone = dict.fromkeys(by_id, "no longer claimed")
        skip: list[tuple[OutboxStatus, str, int]] = []
        for r in found:
            if r["status"] != OutboxStatus.SENDING:
                continue
            del gone[r["id"]]
            reason = _unwanted(r["user_status"], by_id[r["id"]].message, bool(r["answered"]))
            if reason is not None:
                gone[r["id"]] = reason
                skip.append((OutboxStatus.SKIPPED, reason, r["id"]))
        if skip:
            async with self._db.transaction() as conn:
                await conn.executemany(
                    "UPDATE outbox SET status = ?, last_error = ? WHERE id = ? AND status = ?",
                    [(*row, OutboxStatus.SENDING) for row in skip],
                )
        return gone

    async def record_sent(self, sent: Sequence[tuple[int, int]]) -> None:
        """Record many deliveries, (row id, Telegram message id), in one transaction."""
        if not sent:
            return
        now = self._db.now()
        async with self._db.transaction() as conn:
            await conn.executemany(
                "UPDATE outbox SET status = ?, message_id = ?, sent_at = ?, last_error = NULL"
                " WHERE id = ?",
                [(OutboxStatus.SENT, message_id, now, row_id) for row_id, message_id in sent],
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
        self._db.outbox_epoch += 1

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

    async def prune(self, older_than: datetime, batch: int = PRUNE_BATCH) -> int:
        """Delete finished rows created before a cut-off, and bodies no row uses any more.

        Keys that old can no longer recur (a day's messages are only planned on that day). It
        deletes `batch` rows per transaction, so a large backlog of old rows never holds the
        write lock for long. Returns how many rows went.
        """
        finished = OutboxStatus.finished()
        marks = ", ".join("?" for _ in finished)
        total = 0
        while True:
            async with self._db.transaction() as conn:
                cur = await conn.execute(
                    "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox"  # noqa: S608
                    f" WHERE created_at < ? AND status IN ({marks}) ORDER BY created_at LIMIT ?)",
                    (older_than.timestamp(), *finished, batch),
                )
                deleted = max(cur.rowcount, 0)
                if deleted < batch and total + deleted > 0:
                    await conn.execute(
                        "DELETE FROM outbox_payloads WHERE NOT EXISTS"
                        " (SELECT 1 FROM outbox WHERE outbox.payload_id = outbox_payloads.id)"
                    )
            total += deleted
            if deleted < batch:
                return total
            # Let answers and sends in between the batches.
            await asyncio.sleep(0)

    async def last_error(self) -> str | None:
        """Return the most recent delivery error recorded in the outbox."""
        row = await self._db.one(
            "SELECT last_error FROM outbox WHERE last_error IS NOT NULL"
            " ORDER BY coalesce(sent_at, created_at) DESC, id DESC LIMIT 1"
        )
        return row["last_error"] if row else None
