"""Admin broadcasts: drafts, the one transaction that turns a draft into outbox rows, progress.

A broadcast's copies are ordinary outbox rows pointing back at it (outbox.broadcast_id), so the
sender delivers them like any other message and a restart resumes where it stopped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from bot.core.outbox import BroadcastCopy, Entity, encode
from bot.core.states import BroadcastStatus, OutboxStatus, UserStatus
from bot.store.base import Database
from bot.store.outbox import shared_payloads
from bot.store.users import LANGUAGE_SQL


@dataclass(frozen=True)
class Broadcast:
    """An admin broadcast as stored."""

    id: int
    admin_id: int | None
    admin_chat_id: int | None
    text: str
    status: BroadcastStatus
    recipients: int
    progress_message_id: int | None
    started_at: float | None
    entities: tuple[Entity, ...] = ()  # Telegram MessageEntity JSON, when copied from a message
    language: str | None = None  # "en" or "zh": only subscribers in that language; None: all


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


def _entities(raw: str | None) -> tuple[Entity, ...]:
    if not raw:
        return ()
    loaded = json.loads(raw)
    if not isinstance(loaded, list):
        return ()
    return tuple(e for e in loaded if isinstance(e, dict))


def _broadcast(row: aiosqlite.Row) -> Broadcast:
    return Broadcast(
        id=row["id"],
        admin_id=row["admin_id"],
        admin_chat_id=row["admin_chat_id"],
        text=row["text"],
        status=BroadcastStatus(row["status"]),
        recipients=row["recipients"],
        progress_message_id=row["progress_message_id"],
        started_at=row["started_at"],
        entities=_entities(row["entities"]),
        language=row["language"],
    )


class Broadcasts:
    """The broadcasts table and its outbox rows."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        admin_id: int,
        chat_id: int,
        text: str,
        entities: Sequence[Entity] | None,
        language: str | None = None,
    ) -> int:
        """Store a broadcast draft (status preview) for one language or all; return its id."""
        stored = json.dumps([dict(e) for e in entities]) if entities else None
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO broadcasts (admin_id, admin_chat_id, text, entities, created_at,"
                " language) VALUES (?, ?, ?, ?, ?, ?)",
                (admin_id, chat_id, text, stored, self._db.now(), language),
            )
            if cur.lastrowid is None:
                raise RuntimeError("insert returned no row id")
            return cur.lastrowid

    async def get(self, broadcast_id: int) -> Broadcast | None:
        """Return one broadcast, or None."""
        row = await self._db.one("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
        return _broadcast(row) if row else None

    async def start(
        self, broadcast_id: int, message: BroadcastCopy, *, priority: int
    ) -> int | None:
        """Turn a draft into one outbox row per active subscriber, atomically, exactly once.

        Returns the number of recipients, or None when the draft was already started or
        cancelled (a second press of Send).
        """
        now = self._db.now()
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT language FROM broadcasts WHERE id = ? AND status = ?",
                (broadcast_id, BroadcastStatus.PREVIEW),
            ) as cur:
                draft = await cur.fetchone()
            if draft is None:
                return None
            body = encode(message)
            payload_id = (await shared_payloads(conn, [body]))[body]
            # LANGUAGE_SQL is a constant expression, not user input.
            cur = await conn.execute(
                "INSERT OR IGNORE INTO outbox (idem_key, user_id, chat_id, kind, priority,"  # noqa: S608
                " payload, payload_id, created_at, broadcast_id)"
                " SELECT 'broadcast:' || ? || ':' || user_id, user_id, chat_id, ?, ?, '', ?, ?, ?"
                f" FROM users WHERE status = ? AND (? IS NULL OR {LANGUAGE_SQL} = ?)"
                " ORDER BY user_id",
                (
                    broadcast_id,
                    message.kind,
                    priority,
                    payload_id,
                    now,
                    broadcast_id,
                    UserStatus.ACTIVE,
                    draft["language"],
                    draft["language"],
                ),
            )
            recipients = cur.rowcount
            await conn.execute(
                "UPDATE broadcasts SET status = ?, started_at = ?, recipients = ? WHERE id = ?",
                (BroadcastStatus.SENDING, now, recipients, broadcast_id),
            )
        return recipients

    async def set_progress_message(self, broadcast_id: int, message_id: int) -> None:
        """Remember the admin's progress message so a restart keeps editing it."""
        await self._db.exec(
            "UPDATE broadcasts SET progress_message_id = ? WHERE id = ?",
            (message_id, broadcast_id),
        )

    async def cancel_draft(self, broadcast_id: int) -> bool:
        """Cancel a draft that was never started; return whether it was one."""
        changed = await self._db.exec(
            "UPDATE broadcasts SET status = ?, finished_at = ? WHERE id = ? AND status = ?",
            (BroadcastStatus.CANCELLED, self._db.now(), broadcast_id, BroadcastStatus.PREVIEW),
        )
        return changed == 1

    async def cancel(self, broadcast_id: int) -> int:
        """Stop a running broadcast: its unsent rows are skipped; return how many."""
        async with self._db.transaction() as conn:
            # Rows already claimed by the sender are skipped too; one that is really in
            # flight is marked 'sent' again when Telegram answers.
            cur = await conn.execute(
                "UPDATE outbox SET status = ?, last_error = 'broadcast cancelled'"
                " WHERE broadcast_id = ? AND status IN (?, ?)",
                (OutboxStatus.SKIPPED, broadcast_id, *OutboxStatus.queued()),
            )
            skipped = cur.rowcount
            await conn.execute(
                "UPDATE broadcasts SET status = ?, finished_at = ? WHERE id = ?",
                (BroadcastStatus.CANCELLED, self._db.now(), broadcast_id),
            )
        self._db.outbox_epoch += 1
        return skipped

    async def finish(self, broadcast_id: int) -> None:
        """Mark a broadcast whose rows are all handled as done."""
        await self._db.exec(
            "UPDATE broadcasts SET status = ?, finished_at = ? WHERE id = ? AND status = ?",
            (BroadcastStatus.DONE, self._db.now(), broadcast_id, BroadcastStatus.SENDING),
        )

    async def with_status(self, status: BroadcastStatus) -> list[Broadcast]:
        """Return broadcasts in a status, oldest first."""
        rows = await self._db.all(
            "SELECT * FROM broadcasts WHERE status = ? ORDER BY id", (status,)
        )
        return [_broadcast(r) for r in rows]

    async def counts(self, broadcast_id: int) -> BroadcastCounts:
        """Count a broadcast's rows by status."""
        rows = await self._db.all(
            "SELECT status, count(*) AS n, max(sent_at) AS last FROM outbox"
            " WHERE broadcast_id = ? GROUP BY status",
            (broadcast_id,),
        )
        by = {OutboxStatus(r["status"]): int(r["n"]) for r in rows}
        last = max((r["last"] for r in rows if r["last"] is not None), default=None)
        return BroadcastCounts(
            total=sum(by.values()),
            sent=by.get(OutboxStatus.SENT, 0),
            blocked=by.get(OutboxStatus.BLOCKED, 0),
            failed=by.get(OutboxStatus.FAILED, 0) + by.get(OutboxStatus.UNKNOWN, 0),
            skipped=by.get(OutboxStatus.SKIPPED, 0),
            pending=by.get(OutboxStatus.PENDING, 0),
            in_flight=by.get(OutboxStatus.SENDING, 0),
            last_sent_at=last,
        )
