"""Share links (a clinician's read-only view of a user's record), the log of their openings,
and the name /share keeps between its two questions (`share_drafts`).

Only a hash of each link's token is stored and looked up; the token itself never reaches the
database. "Live" means not revoked and not yet expired by the injected clock. Openings are
logged by time alone, never by address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.store.base import Database

# A link is live while `revoked_at IS NULL AND expires_at > ?`, `?` being the database clock's
# now; each statement spells that out, so every one of them is a plain literal.


def _when(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


def _at(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


@dataclass(frozen=True)
class LiveShare:
    """A live link as the page needs it: whose record, which name to show, until when."""

    share_id: int
    user_id: int
    name: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class ShareLink:
    """One of a user's links as /shares lists it: when made, until when, opened how often."""

    share_id: int
    name: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    openings: int
    last_opened: datetime | None


class Shares:
    """The shares and share_openings tables."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self, user_id: int, token_hash: bytes, name: str, expires_at: datetime, *, limit: int
    ) -> int | None:
        """Store a new link and return its id; None when the user already has `limit` live."""
        now = self._db.now()
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT count(*) FROM shares"
                " WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?",
                (user_id, now),
            ) as cur:
                row = await cur.fetchone()
            if row is not None and int(row[0]) >= limit:
                return None
            async with conn.execute(
                "INSERT INTO shares (user_id, token_hash, name, created_at, expires_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (user_id, token_hash, name, now, expires_at.timestamp()),
            ) as cur:
                share_id = cur.lastrowid
        if share_id is None:
            raise RuntimeError("SQLite gave no id for the new share")
        return share_id

    async def find(self, token_hash: bytes) -> LiveShare | None:
        """Return the live link with this token hash; None for unknown, expired or revoked."""
        row = await self._db.one(
            "SELECT id, user_id, name, created_at, expires_at FROM shares"
            " WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?",
            (token_hash, self._db.now()),
        )
        if row is None:
            return None
        return LiveShare(
            row["id"], row["user_id"], row["name"], _at(row["created_at"]), _at(row["expires_at"])
        )

    async def add_opening(self, share_id: int) -> int | None:
        """Log an opening now and return its id; None if the link stopped being live."""
        now = self._db.now()
        # One statement: a revoke that committed first wins, and no opening is logged.
        async with (
            self._db.transaction() as conn,
            conn.execute(
                "INSERT INTO share_openings (share_id, opened_at) SELECT id, ? FROM shares"
                " WHERE id = ? AND revoked_at IS NULL AND expires_at > ?",
                (now, share_id, now),
            ) as cur,
        ):
            added = cur.rowcount
            opening_id = cur.lastrowid
        return opening_id if added == 1 else None

    async def opened_at(self, share_id: int, opening_id: int) -> datetime | None:
        """Return when that opening of that link was logged; None if it is not one of its."""
        row = await self._db.one(
            "SELECT opened_at FROM share_openings WHERE id = ? AND share_id = ?",
            (opening_id, share_id),
        )
        return None if row is None else _at(row["opened_at"])

    async def for_user(self, user_id: int, *, live_only: bool = True) -> list[ShareLink]:
        """Return the user's links, newest first, with how often and when last opened."""
        rows = await self._db.all(
            "SELECT s.id, s.name, s.created_at, s.expires_at, s.revoked_at,"
            " count(o.id) AS openings, max(o.opened_at) AS last_opened"
            " FROM shares s LEFT JOIN share_openings o ON o.share_id = s.id"
            " WHERE s.user_id = ? AND (? = 0 OR (s.revoked_at IS NULL AND s.expires_at > ?))"
            " GROUP BY s.id ORDER BY s.created_at DESC, s.id DESC",
            (user_id, int(live_only), self._db.now()),
        )
        return [
            ShareLink(
                r["id"],
                r["name"],
                _at(r["created_at"]),
                _at(r["expires_at"]),
                _when(r["revoked_at"]),
                r["openings"],
                _when(r["last_opened"]),
            )
            for r in rows
        ]

    async def openings(self, share_id: int) -> list[datetime]:
        """Return the times a link was opened, oldest first."""
        rows = await self._db.all(
            "SELECT opened_at FROM share_openings WHERE share_id = ? ORDER BY opened_at, id",
            (share_id,),
        )
        return [_at(r["opened_at"]) for r in rows]

    async def revoke(self, user_id: int, share_id: int) -> bool:
        """Revoke one of the user's live links at once; False if it was not theirs or not live."""
        changed = await self._db.exec(
            "UPDATE shares SET revoked_at = ? WHERE id = ? AND user_id = ?"
            " AND revoked_at IS NULL AND expires_at > ?",
            (self._db.now(), share_id, user_id, self._db.now()),
        )
        return changed == 1

    async def revoke_all(self, user_id: int) -> int:
        """Revoke every live link of the user; return how many."""
        return await self._db.exec(
            "UPDATE shares SET revoked_at = ? WHERE user_id = ?"
            " AND revoked_at IS NULL AND expires_at > ?",
            (self._db.now(), user_id, self._db.now()),
        )

    async def delete_for_user(self, user_id: int) -> int:
        """Delete every link of the user and its openings; return how many links."""
        # Openings go through the cascade. /delete needs no call here (the users row's
        # cascade takes both tables); this is for a user who wants only the links gone.
        return await self._db.exec("DELETE FROM shares WHERE user_id = ?", (user_id,))

    async def set_draft(self, user_id: int, name: str) -> None:
        """Keep the name a user chose for the link /share is about to make."""
        await self._db.exec(
            "INSERT INTO share_drafts (user_id, name, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET name = excluded.name,"
            " created_at = excluded.created_at",
            (user_id, name, self._db.now()),
        )

    async def take_draft(self, user_id: int, since: datetime) -> str | None:
        """Remove and return the user's chosen name; None if none was kept after `since`."""
        async with (
            self._db.transaction() as conn,
            conn.execute(
                "DELETE FROM share_drafts WHERE user_id = ? RETURNING name, created_at",
                (user_id,),
            ) as cur,
        ):
            row = await cur.fetchone()
        if row is None or row["created_at"] < since.timestamp():
            return None
        return str(row["name"])

    async def prune(self, ended_before: datetime) -> int:
        """Delete links (and openings) revoked or expired before an instant; return how many."""
        cutoff = ended_before.timestamp()
        return await self._db.exec(
            "DELETE FROM shares WHERE (revoked_at IS NOT NULL AND revoked_at < ?)"
            " OR expires_at < ?",
            (cutoff, cutoff),
        )
