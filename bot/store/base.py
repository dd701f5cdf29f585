"""The SQLite connection every repository shares: pragmas, migrations, the lock, transactions.

One aiosqlite connection serves every task. `transaction()` runs `BEGIN IMMEDIATE` under a
lock, so a crash between statements can never leave half a unit of work behind and one task's
statements never land in another task's open transaction. Migrations are the numbered files in
`bot/store/migrations/`, tracked by `PRAGMA user_version`.

The lock has two lanes. Scheduled work (the dispatcher, the sender) runs inside
`Database.background()` and takes the connection only when no interactive work (a handler
answering a user) is waiting for it, so a button press waits for at most the one scheduled
statement or transaction in progress, not for a queue of them. The dispatcher's long reads
(thousands of users and their days at once) go to a second connection that only reads, in
its own thread (`Database.scan`): WAL lets it read while the first one writes, and a press
never waits behind one of those reads. It also copies the WAL back into the file, so that no
write transaction carries a checkpoint.

A full disk or a read-only file is a storage fault, not a bug: the statement's SQLite error
becomes `StorageUnavailable`, the unit of work is rolled back whole, one WARNING is logged
when the fault starts and one INFO line when a write succeeds again. Callers answer it (a
"try again later", a backoff) instead of logging a traceback for every attempt.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections import deque
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from contextvars import ContextVar
from datetime import date
from enum import StrEnum
from importlib import resources
from pathlib import Path

import aiosqlite

from bot.clock import Clock

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
# A write that brings the WAL to this many pages (40 MB) checkpoints inside its own
# transaction, as SQLite does by default at 1,000. The bot checkpoints at most CHECKPOINT_EVERY
# seconds after a write, from the reading connection, so that no write transaction carries
# the cost: a checkpoint inside one held the write lock for up to 100 ms (docs/PERFORMANCE.md).
SAFETY_CHECKPOINT_PAGES = 10_000
CHECKPOINT_EVERY = 1.0

# What a statement may bind: SQLite's own types (str subclasses such as StrEnum included).
Param = int | float | str | bytes | None
Params = Sequence[Param]

# Primary SQLite result codes that mean "the storage refuses writes for now", not "this
# statement is wrong": a full disk (or max_page_count), a read-only file or connection, and an
# I/O error. Extended codes carry the primary one in their low byte.
FAULT_CODES = frozenset({sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR})


class StorageUnavailable(Exception):
    """The database refused a write (full, read-only, I/O error); the unit of work was undone."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code  # SQLite's name for it, e.g. SQLITE_FULL; never data


class StorageFault(StrEnum):
    """A fault `Database.simulate` can put on the live connection, for tests and drills."""

    FULL = "full"  # no page may be added: SQLITE_FULL, as on a full disk
    READ_ONLY = "read-only"  # every write refused: SQLITE_READONLY


def _fault_code(exc: BaseException) -> str | None:
    """Return SQLite's error name when exc is a storage fault, else None."""
    if not isinstance(exc, sqlite3.Error) or exc.sqlite_errorcode is None:
        return None
    if exc.sqlite_errorcode & 0xFF not in FAULT_CODES:
        return None
    return exc.sqlite_errorname or str(exc.sqlite_errorcode)


# Set by `Database.background()` for a task and the tasks it starts: their statements take the
# connection only when no interactive statement is waiting for it.
_BACKGROUND: ContextVar[bool] = ContextVar("footcare_store_background", default=False)


class Lanes:
    """A lock with two FIFO lanes: a waiter of the interactive lane always goes before a
    waiter of the background lane. Nobody is interrupted: whoever holds it keeps it until
    they release it."""

    def __init__(self) -> None:
        self._held = False
        self._interactive: deque[asyncio.Future[None]] = deque()
        self._background: deque[asyncio.Future[None]] = deque()

    @property
    def interactive_waiting(self) -> int:
        """Return how many interactive waiters are queued."""
        return len(self._interactive)

    @asynccontextmanager
    async def hold(self, *, background: bool) -> AsyncIterator[None]:
        """Hold the lock for the block, queueing in the lane given."""
        await self._acquire(self._background if background else self._interactive)
        try:
            yield
        finally:
            self._release()

    async def _acquire(self, lane: deque[asyncio.Future[None]]) -> None:
        if not self._held and not self._interactive and not self._background:
            self._held = True
            return
        turn = asyncio.get_running_loop().create_future()
        lane.append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                # Handed the lock just as we were cancelled: hand it on.
                self._release()
            raise
        finally:
            if turn in lane:
                lane.remove(turn)

    def _release(self) -> None:
        for lane in (self._interactive, self._background):
            while lane:
                turn = lane.popleft()
                if not turn.done():
                    turn.set_result(None)  # the lock stays held, by that waiter now
                    return
        self._held = False


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

    def __init__(
        self, conn: aiosqlite.Connection, clock: Clock, reader: aiosqlite.Connection | None = None
    ) -> None:
        self._conn = conn
        self._clock = clock
        # Long reads of scheduled work; the writing connection serves them when there is none.
        self._reader = reader or conn
        # One connection is shared by every task; the lock keeps one task's statements out of
        # another task's open transaction, and lets interactive work go first.
        self._lock = Lanes()
        self._fault: str | None = None  # the code of the storage fault in force, if any
        self._checkpoints: asyncio.Task[None] | None = None
        self._page_limit: int | None = None  # max_page_count to restore after simulate(FULL)
        # Moves on every change that can make a claimed outbox row unwanted (a cancelled
        # broadcast, a /stop, a block, a deletion, an answered check-in), so the sender
        # re-reads its claimed rows only when one happened, not before every send.
        self.outbox_epoch = 0

    @property
    def fault(self) -> str | None:
        """Return the SQLite code of the storage fault last seen, until a write succeeds."""
        return self._fault

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
            # Checkpoints run beside the writer, on the reading connection (`_checkpoint`);
            # this is only the safety net, should they fall behind.
            await conn.execute(f"PRAGMA wal_autocheckpoint = {SAFETY_CHECKPOINT_PAGES:d}")
            await cls(conn, clock)._migrate()
            reader = await _open_reader(path)
        except BaseException:
            await conn.close()
            raise
        return cls(conn, clock, reader)

    async def close(self) -> None:
        """Close the connections."""
        if self._checkpoints is not None:
            self._checkpoints.cancel()
            await asyncio.gather(self._checkpoints, return_exceptions=True)
        if self._reader is not self._conn:
            await self._reader.close()
        await self._conn.close()

    @contextmanager
    def background(self) -> Iterator[None]:
        """Mark the statements of this task (and of tasks it starts) as scheduled work: each
        takes the connection only when no interactive statement is waiting for it."""
        token = _BACKGROUND.set(True)
        try:
            yield
        finally:
            _BACKGROUND.reset(token)

    def _turn(self) -> AbstractAsyncContextManager[None]:
        return self._lock.hold(background=_BACKGROUND.get())

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
        async with self._turn():
            with self._faults():
                try:
                    # Inside the try: a task cancelled while waiting for BEGIN must still roll
                    # back, because aiosqlite runs the queued BEGIN anyway.
                    await self._conn.execute("BEGIN IMMEDIATE")
                    yield self._conn
                    await self._conn.execute("COMMIT")
                except BaseException:
                    await self._rollback()
                    raise
            self._written()

    async def _rollback(self) -> None:
        # Always queued, never skipped on `in_transaction`: a cancelled BEGIN or COMMIT may
        # still be waiting in aiosqlite's queue, and this ROLLBACK runs after it. SQLite may
        # also have rolled back by itself (SQLITE_FULL does); then there is nothing to undo.
        try:
            await self._conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            if "no transaction is active" in str(exc):
                return
            # Only an I/O error gets here; SQLite undoes the rest from the journal at the
            # next open. The error that started it matters more than this one.
            log.warning("Rollback failed: %s", exc.sqlite_errorname or type(exc).__name__)

    async def one(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        """Run a statement of one row (a key, an aggregate, a LIMIT 1) and return that row."""
        rows = await self.all(sql, params)
        return rows[0] if rows else None

    async def all(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        """Run one statement and return all its rows."""
        async with self._turn():
            with self._faults():
                # One trip to the connection's thread, not three (execute, fetch, close).
                return list(await self._conn.execute_fetchall(sql, params))

    async def scan(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        """Run one read on the reading connection: for long reads of scheduled work, which
        then never hold the writing connection. It sees what was last committed."""
        with self._faults():
            return list(await self._reader.execute_fetchall(sql, params))

    async def exec(self, sql: str, params: Params = ()) -> int:
        """Run one statement and return how many rows it changed."""
        async with self._turn():
            with self._faults():
                # The cursor's own count: `total_changes` would also count the rows a
                # foreign key cascade deletes (deleting shares takes their openings along).
                async with self._conn.execute(sql, params) as cur:
                    changed = cur.rowcount
            self._written()
            return changed

    @contextmanager
    def _faults(self) -> Iterator[None]:
        """Turn a storage fault into StorageUnavailable, logging its start once."""
        try:
            yield
        except sqlite3.Error as exc:
            code = _fault_code(exc)
            if code is None:
                raise
            if self._fault != code:
                log.warning(
                    "The database refuses writes (%s); users are asked to try again later"
                    " and the sender and dispatcher back off until it clears",
                    code,
                )
            self._fault = code
            raise StorageUnavailable(code) from exc

    def _written(self) -> None:
        """After a write: start the checkpointer if it is not running."""
        self._writable()
        if self._reader is not self._conn and self._checkpoints is None:
            self._checkpoints = asyncio.create_task(self._checkpoint(), name="wal-checkpoint")

    async def _checkpoint(self) -> None:
        """Copy the WAL into the database file a moment after writes, beside the writer."""
        try:
            await asyncio.sleep(CHECKPOINT_EVERY)
            # PASSIVE: never waits for or blocks the writer or readers; what it cannot copy
            # now, a later one will.
            await self._reader.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error as exc:
            log.warning("Checkpoint failed: %s", exc.sqlite_errorname or type(exc).__name__)
        finally:
            self._checkpoints = None

    def _writable(self) -> None:
        if self._fault is not None:
            log.info("The database accepts writes again (after %s)", self._fault)
            self._fault = None

    async def simulate(self, fault: StorageFault | None) -> None:
        """Put a real SQLite fault on this connection (None lifts it): for tests and drills.

        FULL caps the file at its current size with `max_page_count`, so any write that needs
        a new page fails with SQLITE_FULL; READ_ONLY sets `query_only`, so every write fails
        with SQLITE_READONLY. Other connections to the file are unaffected.
        """
        async with self._turn():
            if self._page_limit is not None:
                await self._conn.execute(f"PRAGMA max_page_count = {self._page_limit:d}")
                self._page_limit = None
            await self._conn.execute("PRAGMA query_only = OFF")
            if fault is StorageFault.READ_ONLY:
                await self._conn.execute("PRAGMA query_only = ON")
            elif fault is StorageFault.FULL:
                async with self._conn.execute("PRAGMA max_page_count") as cur:
                    row = await cur.fetchone()
                self._page_limit = int(row[0]) if row else None
                async with self._conn.execute("PRAGMA page_count") as cur:
                    row = await cur.fetchone()
                pages = int(row[0]) if row else 0
                await self._conn.execute(f"PRAGMA max_page_count = {pages:d}")

    async def count(self, sql: str, params: Params = ()) -> int:
        """Run a `SELECT count(*)` and return the number."""
        row = await self.one(sql, params)
        return int(row[0]) if row else 0


async def _open_reader(path: Path) -> aiosqlite.Connection:
    """Open the second connection (after the first made and migrated the file): it reads and
    checkpoints, and refuses to change data (`query_only`; a `mode=ro` connection could not
    checkpoint)."""
    conn = await aiosqlite.connect(path, isolation_level=None)
    try:
        conn.row_factory = aiosqlite.Row
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        await conn.execute("PRAGMA query_only = ON")
    except BaseException:
        await conn.close()
        raise
    return conn


def parse_date(value: str | None) -> date | None:
    """Read an ISO local date column; None (or empty) stays None."""
    return date.fromisoformat(value) if value else None
