"""The SQLite connection every repository shares: pragmas, migrations, the lock, transactions.

One aiosqlite connection serves every task. `transaction()` runs `BEGIN IMMEDIATE` under a
lock, so a crash between statements can never leave half a unit of work behind and one task's
statements never land in another task's open transaction. Migrations are the numbered files in
`bot/store/migrations/`, tracked by `PRAGMA user_version`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import date
from importlib import resources
from pathlib import Path

import aiosqlite

from bot.clock import Clock

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000

# What a statement may bind: SQLite's own types (str subclasses such as StrEnum included).
Param = int | float | str | bytes | None
Params = Sequence[Param]


def migrations() -> list[tuple[int, str]]:
    """Return (number, SQL) of every migration file, in order."""
    folder = resources.files("bot.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    return sorted(found)


class Database:
    """The open connection, its lock and the injected clock. Open with `await Database.open`."""

    def __init__(self, conn: aiosqlite.Connection, clock: Clock) -> None:
        self._conn = conn
        self._clock = clock
        # One connection is shared by every task; the lock keeps one task's statements out of
        # another task's open transaction.
        self._lock = asyncio.Lock()
        # Moves on every change that can make a claimed outbox row unwanted (a cancelled
        # broadcast, a /stop, a block, a deletion, an answered check-in), so the sender
        # re-reads its claimed rows only when one happened, not before every send.
        self.outbox_epoch = 0

    @classmethod
    async def open(cls, path: Path, clock: Clock) -> Database:
        """Open (creating if needed) and migrate the database at path."""
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE) so a crash between
        # statements can never leave half of a unit of work behind.
        conn = await aiosqlite.connect(path, isolation_level=None)
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
            await conn.execute("PRAGMA synchronous = NORMAL")
            db = cls(conn, clock)
            await db._migrate()
        except BaseException:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        """Close the connection."""
        await self._conn.close()

    def now(self) -> float:
        """Return the clock's current time as UTC epoch seconds, as the tables store it."""
        return self._clock.now().timestamp()

    async def _migrate(self) -> None:
        async with self._conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        current = row[0] if row else 0
        for version, sql in migrations():
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

    async def one(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        """Run one statement and return its first row."""
        async with self._lock, self._conn.execute(sql, params) as cur:
            return await cur.fetchone()

    async def all(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        """Run one statement and return all its rows."""
        async with self._lock, self._conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def exec(self, sql: str, params: Params = ()) -> int:
        """Run one statement and return how many rows it changed."""
        async with self._lock, self._conn.execute(sql, params) as cur:
            return cur.rowcount

    async def count(self, sql: str, params: Params = ()) -> int:
        """Run a `SELECT count(*)` and return the number."""
        row = await self.one(sql, params)
        return int(row[0]) if row else 0


def parse_date(value: str | None) -> date | None:
    """Read an ISO local date column; None (or empty) stays None."""
    return date.fromisoformat(value) if value else None
