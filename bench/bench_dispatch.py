"""Measure the dispatcher filling the outbox for many due users, and the sender draining it.

Run `python bench/bench_dispatch.py [--users 100000] [--peer-users 5000] [--send-users 1000]`.
Prints, each beside its peer from the same run:
- the paged dispatcher's users/s, its longest write transaction and the bench's peak memory,
  beside the same dispatcher fed one user per page (a transaction and two reads per user, as
  the dispatcher worked before pages);
- how late a daily message leaves after its minute when the dispatcher wakes at the due time,
  beside the periodic 30 s tick alone;
- the sender's drain rate.
Prints figures only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import secrets
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import aiosqlite

from bot.clock import FakeClock, SystemClock
from bot.composition import Content, load_content
from bot.delivery.sender import SenderOptions
from bot.features.daily import PAGE_USERS, DailyPlan, Dispatcher
from bot.features.tips import Tips
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.settings import Secret, Settings
from bot.store import Store
from bot.store.base import Database

DAY = date(2026, 11, 24)
DUE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
FIRST_USER = 10_000
# Needs paid_broadcast. Daily messages are not paid, so bot/app.py still holds them to the free
# 30/s; the drain figure shows whether the sender reaches it.
SEND_RATE = 1000.0


async def add_due_users(store: Store, count: int, at: datetime = DUE) -> None:
    """Insert `count` active users due at `at` (09:00 UTC), spread over that one minute."""
    now = at.timestamp() - 3600
    rows = [
        (
            user_id,
            user_id,
            f"User{user_id}",
            secrets.token_hex(8),
            at.timestamp() + n % 60,
            at.date().isoformat(),
            now,
            now,
        )
        for n, user_id in enumerate(range(FIRST_USER, FIRST_USER + count))
    ]
    async with store.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO users (user_id, chat_id, first_name, tip_seed, next_due_utc,"
            " next_due_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def time_transactions(db: Database) -> list[float]:
    """Record how long each write transaction holds the database, BEGIN to COMMIT."""
    held: list[float] = []
    original = db.transaction

    @asynccontextmanager
    async def timed() -> AsyncIterator[aiosqlite.Connection]:
        started = time.perf_counter()
        try:
            async with original() as conn:
                yield conn
        finally:
            held.append(time.perf_counter() - started)

    db.transaction = timed  # type: ignore[method-assign]
    return held


async def bench_tick(users: int, folder: Path, content: Content, page: int, name: str) -> None:
    """Time one Dispatcher.tick() enqueueing every due user's daily message."""
    clock = FakeClock(DUE + timedelta(minutes=1))
    store = await Store.open(folder / f"tick-{name}.db", clock)
    try:
        await add_due_users(store, users)
        plan = DailyPlan(store, clock, Tips(store, clock, content.tips))
        dispatcher = Dispatcher(plan, store, clock, batch=page)
        held = time_transactions(store.db)
        started = time.perf_counter()
        added = await dispatcher.tick()
        elapsed = time.perf_counter() - started
        outbox = await store.outbox.pending_count()
    finally:
        await store.close()
    held.sort()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"dispatch ({name}, {page} users per page): {users:,} users in {elapsed:.2f} s ="
        f" {users / elapsed:,.0f} users/s; {added:,} rows, outbox holds {outbox:,} pending;"
        f" {len(held):,} write transactions, longest {held[-1] * 1000:.1f} ms,"
        f" p99 {held[int(len(held) * 0.99)] * 1000:.1f} ms; peak RSS so far {rss:.0f} MB"
    )


async def bench_lateness(folder: Path, content: Content, *, wake_at_due: bool) -> None:
    """Time from one user's due second to their message reaching the sandbox."""
    name = "wake at due" if wake_at_due else "30 s tick only"
    async with Sandbox() as sandbox:
        settings = Settings(
            bot_token=Secret(sandbox.token),
            telegram_api_url=sandbox.base_url,
            database_path=folder / f"late-{wake_at_due}.db",
        )
        runtime = Runtime(
            settings, SystemClock(), content=content, poll_timeout=1, wake_at_due=wake_at_due
        )
        async with runtime:
            sandbox.add_user(FIRST_USER)
            due = datetime.now(UTC) + timedelta(seconds=3)
            await add_due_users(runtime.store, 1, at=due)
            async with asyncio.timeout(60):
                while not sandbox.calls_to("sendMessage"):  # noqa: ASYNC110
                    await asyncio.sleep(0.01)
        [sent] = sandbox.calls_to("sendMessage")
    print(
        f"lateness ({name}): the message left {(sent.wall - due).total_seconds():.2f} s after due"
    )


async def bench_drain(
    users: int, folder: Path, content: Content, options: SenderOptions, name: str
) -> None:
    """Time the sender delivering two messages per user through an unlimited sandbox."""
    clock = FakeClock(DUE + timedelta(minutes=1))
    async with Sandbox() as sandbox:
        settings = Settings(
            bot_token=Secret(sandbox.token),
            telegram_api_url=sandbox.base_url,
            database_path=folder / f"drain-{name}.db",
            send_rate_limit=SEND_RATE,
            paid_broadcast=True,
        )
        runtime = Runtime(
            settings,
            clock,
            content=content,
            sender_options=options,
            poll_timeout=1,
            dispatch_interval=3600,
        )
        async with runtime:
            for user_id in range(FIRST_USER, FIRST_USER + users):
                sandbox.add_user(user_id)
            await add_due_users(runtime.store, users)
            added = await runtime.dispatcher.tick()
            runtime.sender.wake()
            await runtime.sender.drain()
        # The sender starts while the tick is still enqueueing, so time the sends themselves.
        sends = [c for c in sandbox.calls_to("sendMessage") if c.ok]
    if len(sends) < 2:
        print(f"drain ({name}): too few messages to time ({len(sends)})")
        return
    elapsed = sends[-1].at - sends[0].at
    print(
        f"drain ({name}): {len(sends)} of {added} messages in {elapsed:.2f} s = "
        f"{(len(sends) - 1) / elapsed:,.0f} msg/s (SEND_RATE_LIMIT={SEND_RATE:g}, {options.workers}"
        f" workers, prefetch {options.prefetch}, no sandbox limits)"
    )


async def main() -> None:
    """Parse arguments and run the measurements."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100_000, help="users due for the tick")
    parser.add_argument("--peer-users", type=int, default=5_000, help="users for one per page")
    parser.add_argument("--send-users", type=int, default=1_000, help="users for the drain")
    parser.add_argument(
        "--default-users", type=int, default=200, help="users for the drain with default options"
    )
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    content = load_content(Settings())
    with tempfile.TemporaryDirectory(prefix="footcare-bench-") as tmp:
        folder = Path(tmp)
        await bench_tick(args.users, folder, content, PAGE_USERS, "paged")
        await bench_tick(args.peer_users, folder, content, 1, "peer")
        await bench_lateness(folder, content, wake_at_due=True)
        await bench_lateness(folder, content, wake_at_due=False)
        prefetched = SenderOptions(prefetch=256)
        await bench_drain(args.send_users, folder, content, prefetched, "prefetch")
        await bench_drain(args.default_users, folder, content, SenderOptions(), "defaults")


if __name__ == "__main__":
    asyncio.run(main())
