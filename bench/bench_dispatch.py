"""Measure the dispatcher filling the outbox for many due users, and the sender draining it.

Run `python bench/bench_dispatch.py [--users 20000] [--send-users 1000]`. Prints figures only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.clock import FakeClock
from bot.delivery.sender import SenderOptions
from bot.features.daily import DailyPlan, Dispatcher
from bot.features.tips import Tips
from bot.runtime import Content, Runtime, load_content
from bot.sandbox import Sandbox
from bot.settings import Secret, Settings
from bot.store import Store

DAY = date(2026, 11, 24)
DUE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
FIRST_USER = 10_000
# Needs paid_broadcast. Daily messages are not paid, so bot/app.py still holds them to the free
# 30/s (RATE_MARGIN makes that about 29.4/s); the drain figure shows whether the sender reaches it.
SEND_RATE = 1000.0


async def add_due_users(store: Store, count: int) -> None:
    """Insert `count` active users due at 09:00 UTC, spread over that one minute."""
    now = DUE.timestamp() - 3600
    rows = [
        (
            user_id,
            user_id,
            f"User{user_id}",
            secrets.token_hex(8),
            DUE.timestamp() + n % 60,
            DAY.isoformat(),
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


async def bench_tick(users: int, folder: Path, content: Content) -> None:
    """Time one Dispatcher.tick() enqueueing every due user's tip and check-in."""
    clock = FakeClock(DUE + timedelta(minutes=1))
    store = await Store.open(folder / "tick.db", clock)
    try:
        await add_due_users(store, users)
        plan = DailyPlan(store, clock, Tips(store, clock, content.tips))
        dispatcher = Dispatcher(plan, store, clock)
        started = time.perf_counter()
        added = await dispatcher.tick()
        elapsed = time.perf_counter() - started
        outbox = await store.outbox.pending_count()
    finally:
        await store.close()
    print(f"dispatch: {users} users in {elapsed:.2f} s = {users / elapsed:,.0f} users/s")
    print(f"dispatch: {added} rows enqueued, outbox holds {outbox} pending")


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
    """Parse arguments and run both measurements."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20_000, help="users due for the tick")
    parser.add_argument("--send-users", type=int, default=1_000, help="users for the drain")
    parser.add_argument(
        "--default-users", type=int, default=200, help="users for the drain with default options"
    )
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    content = load_content(Settings())
    with tempfile.TemporaryDirectory(prefix="footcare-bench-") as tmp:
        await bench_tick(args.users, Path(tmp), content)
        prefetched = SenderOptions(prefetch=256)
        await bench_drain(args.send_users, Path(tmp), content, prefetched, "prefetch")
        await bench_drain(args.default_users, Path(tmp), content, SenderOptions(), "defaults")


if __name__ == "__main__":
    asyncio.run(main())
