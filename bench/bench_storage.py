"""Measure what the database holds after weeks of daily use, and the bench's resident memory.

Run `python bench/bench_storage.py [--users 100000] [--days 35]`. Every simulated day runs the
real dispatcher (one daily message per user), marks every message delivered as the sender's
group commit does, records a check-in for 70% of users, and prunes as the running bot does.
Prints the file size, bytes per user per day, rows per table, and beside it the peer: what the
delivered messages alone would take with each row carrying its own body, as before migration
0007. Prints figures only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import sqlite3
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.clock import FakeClock
from bot.composition import load_content
from bot.core.states import OutboxStatus
from bot.features.daily import DailyPlan, Dispatcher
from bot.features.tips import Tips
from bot.runtime import PRUNE_AFTER
from bot.settings import Settings
from bot.store import Store

FIRST_USER = 10_000
START = date(2026, 11, 2)
ANSWERING = 0.7  # share of users who answer their check-in each day


async def add_users(store: Store, count: int, day: date) -> None:
    """Insert `count` active users due at 09:00 UTC on `day`, over that one minute."""
    due = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=9)
    now = due.timestamp() - 3600
    rows = [
        (uid, uid, f"User{uid}", f"{uid:016x}", due.timestamp() + n % 60, day.isoformat(), now)
        for n, uid in enumerate(range(FIRST_USER, FIRST_USER + count))
    ]
    async with store.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO users (user_id, chat_id, first_name, tip_seed, next_due_utc,"
            " next_due_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?7)",
            rows,
        )


async def deliver_all(store: Store, at: float) -> tuple[int, int]:
    """Mark every pending row sent; return (rows, bytes their bodies would take inline)."""
    rows = await store.db.all(
        "SELECT o.id, o.kind, coalesce(p.body, o.payload) AS body FROM outbox o"
        " LEFT JOIN outbox_payloads p ON p.id = o.payload_id WHERE o.status = ?",
        (OutboxStatus.PENDING,),
    )
    inline = sum(len(r["body"].encode()) for r in rows)
    async with store.db.transaction() as conn:
        await conn.executemany(
            "UPDATE outbox SET status = ?, message_id = ?, sent_at = ? WHERE id = ?",
            [(OutboxStatus.SENT, r["id"], at, r["id"]) for r in rows],
        )
    return len(rows), inline


async def answer(store: Store, users: int, day: date, rng: random.Random, at: float) -> None:
    """Record a check-in for ANSWERING of the users."""
    rows = [
        (uid, day.isoformat(), rng.randint(0, 6), at)
        for uid in range(FIRST_USER, FIRST_USER + users)
        if rng.random() < ANSWERING
    ]
    async with store.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO checkins (user_id, local_date, score, answered_at) VALUES (?, ?, ?, ?)",
            rows,
        )


def table_rows(path: Path) -> dict[str, int]:
    """Return the row count of each table."""
    with sqlite3.connect(path) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}  # noqa: S608


def bytes_by_table(path: Path) -> dict[str, int]:
    """Return the bytes each table takes with its indexes (SQLite's dbstat)."""
    with sqlite3.connect(path) as conn:
        owner = dict(conn.execute("SELECT name, tbl_name FROM sqlite_master"))
        sizes: dict[str, int] = {}
        for name, size in conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
            table = owner.get(name, name)
            sizes[table] = sizes.get(table, 0) + size
        return sizes


def file_bytes(path: Path) -> int:
    """Return the database's size once its WAL is checkpointed into it."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.stat().st_size


async def main() -> None:
    """Parse arguments, simulate the days, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=35)
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    content = load_content(Settings())
    rng = random.Random(13)
    with tempfile.TemporaryDirectory(prefix="footcare-bench-") as tmp:
        path = Path(tmp) / "storage.db"
        clock = FakeClock(datetime.combine(START, datetime.min.time(), UTC))
        store = await Store.open(path, clock)
        started = time.perf_counter()
        inline_bytes = delivered = 0
        try:
            await add_users(store, args.users, START)
            plan = DailyPlan(store, clock, Tips(store, clock, content.tips))
            dispatcher = Dispatcher(plan, store, clock)
            for n in range(args.days):
                day = START + timedelta(days=n)
                clock.set(
                    datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=9, minutes=1)
                )
                await dispatcher.tick()
                sent, inline = await deliver_all(store, clock.now().timestamp())
                delivered += sent
                inline_bytes += inline
                clock.advance(timedelta(hours=3))
                await answer(store, args.users, day, rng, clock.now().timestamp())
                await store.outbox.prune(clock.now() - PRUNE_AFTER)
            queued = await store.outbox.pending_count()
        finally:
            await store.close()
        elapsed = time.perf_counter() - started
        size = file_bytes(path)
        rows = table_rows(path)
        sizes = bytes_by_table(path)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per_user_day = size / (args.users * args.days)
    print(
        f"storage: {args.users:,} users x {args.days} days in {elapsed:.0f} s:"
        f" {size / 1e6:,.1f} MB = {per_user_day:.0f} bytes per user per day"
        f" ({queued} still queued; max RSS {rss_mb:.0f} MB)"
    )
    print("storage: rows " + ", ".join(f"{name} {count:,}" for name, count in sorted(rows.items())))
    by_size = sorted(sizes.items(), key=lambda item: -item[1])
    print(
        "storage: bytes per user per day by table, indexes included: "
        + ", ".join(f"{name} {size / (args.users * args.days):.0f}" for name, size in by_size)
    )
    each = inline_bytes / max(delivered, 1)
    print(
        f"storage: peer, as before migration 0007 (each row its own body, kept 35 days): the"
        f" {delivered:,} messages delivered carried {inline_bytes / 1e6:,.1f} MB of bodies"
        f" ({each:.0f} bytes each), all of it still in the file"
    )
    print(
        f"storage: at 100,000 users and 35 days this is {per_user_day * 100_000 * 35 / 1e9:.2f} GB"
    )


if __name__ == "__main__":
    asyncio.run(main())
