"""A paid broadcast through the real bot beside bare python-telegram-bot and aiogram send loops.

Run `python bench/bench_broadcast.py [--users 3000] [--rounds 3] [--sandbox process|inline]`.
Every figure is measured in the same run against the same sandbox: first how fast the sandbox
itself accepts sendMessage (an aiohttp client hammering it), then the two bare loops and the
bot (an admin's /broadcast, then a press of its Send button), `--rounds` times in turn, then
the sandbox again. Rates come from the sandbox's own timestamps: (messages - 1) / (last -
first). Prints figures only; needs the `bench` extra (`pip install -e '.[dev,bench]'`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from statistics import median
from typing import Any, Protocol

import aiohttp
from aiogram import Bot as AiogramBot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from sandbox_process import JSON, InlineSandbox, SandboxProcess
from telegram import Bot as PtbBot
from telegram.request import HTTPXRequest

from bot.clock import SystemClock
from bot.composition import load_content
from bot.core import callbacks
from bot.core.callbacks import BroadcastChoice
from bot.delivery.sender import SenderOptions
from bot.runtime import Runtime
from bot.settings import Secret, Settings

ADMIN = 42
FIRST_USER = 100_000
RATE = 1000.0
TEXT = "Clinic talk on Friday: heel pain, what helps and what does not."


class BenchSandbox(Protocol):
    """What the bench needs of a sandbox, in this process or another."""

    base_url: str
    token: str

    async def add_users(self, ids: list[int]) -> None: ...
    async def send_text(self, user_id: int, text: str) -> int: ...
    async def press(self, presses: list[JSON]) -> list[JSON]: ...
    async def messages(self, chat_id: int) -> list[JSON]: ...
    def cpu_seconds(self) -> float | None: ...
    async def calls(self, method: str | None = None, since: int = 0) -> tuple[list[JSON], int]: ...


async def sends_since(sb: BenchSandbox, since: int, count: int, within: float) -> list[JSON]:
    """Wait until `count` ok sendMessage calls to subscribers arrived after log index `since`."""
    found: list[JSON] = []
    deadline = time.monotonic() + within
    while True:
        rows, since = await sb.calls("sendMessage", since)
        found += [r for r in rows if r["status"] == 200 and r["chat_id"] != ADMIN]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.25)


class CpuMeter:
    """CPU time per message of this process (every thread) and of a sandbox in a child: a
    figure the other people's work on the shared cores does not move much, unlike msg/s."""

    def __init__(self, sb: BenchSandbox) -> None:
        self._sb = sb
        self._own = self._own_now()
        self._child = sb.cpu_seconds()

    @staticmethod
    def _own_now() -> float:
        times = os.times()
        return times.user + times.system

    def describe(self, messages: int) -> str:
        """Say how many CPU milliseconds each message cost here and in the sandbox."""
        if messages == 0:
            return "no messages"
        own = (self._own_now() - self._own) * 1000 / messages
        text = f"CPU {own:.2f} ms/msg here (one core: ~{1000 / max(own, 1e-3):,.0f} msg/s)"
        child = self._sb.cpu_seconds()
        if child is not None and self._child is not None:
            spent = (child - self._child) * 1000 / messages
            text += f", {spent:.2f} ms/msg in the sandbox (~{1000 / max(spent, 1e-3):,.0f} msg/s)"
        return text


def rate_of(sends: list[JSON]) -> float:
    """Messages per second between the first and the last send, by the sandbox's clock."""
    if len(sends) < 2:
        return 0.0
    return (len(sends) - 1) / (sends[-1]["at"] - sends[0]["at"])


async def measured(
    sb: BenchSandbox, users: list[int], name: str, run: Callable[[], Awaitable[Any]]
) -> float:
    """Run one sender over every user and print its rate as the sandbox saw it."""
    _, mark = await sb.calls("getMe")
    cpu = CpuMeter(sb)
    started = time.perf_counter()
    await run()
    wall = time.perf_counter() - started
    spent = cpu.describe(len(users))
    sends = await sends_since(sb, mark, len(users), within=60)
    rate = rate_of(sends)
    print(f"{name}: {len(sends)} messages, {rate:,.0f} msg/s (client wall {wall:.2f} s; {spent})")
    return rate


async def hammer(sb: BenchSandbox, users: list[int], concurrency: int, note: str = "") -> float:
    """Post sendMessage as fast as an aiohttp client can; return the sandbox's accept rate."""
    url = f"{sb.base_url}/bot{sb.token}/sendMessage"
    pending = list(users)

    async def worker(session: aiohttp.ClientSession) -> None:
        while pending:
            chat_id = pending.pop()
            async with session.post(url, json={"chat_id": chat_id, "text": TEXT}) as response:
                await response.read()

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def run() -> None:
            await asyncio.gather(*(worker(session) for _ in range(concurrency)))

        name = f"sandbox accept rate ({concurrency} aiohttp{', ' + note if note else ''})"
        return await measured(sb, users, name, run)


async def ptb_loop(sb: BenchSandbox, users: list[int], concurrency: int) -> float:
    """Four (or `concurrency`) send_message calls at a time, no storage, no limiter."""
    request = HTTPXRequest(connection_pool_size=concurrency)
    bot = PtbBot(sb.token, base_url=f"{sb.base_url}/bot", request=request)
    pending = list(users)

    async def worker() -> None:
        while pending:
            await bot.send_message(pending.pop(), TEXT)

    async with bot:

        async def run() -> None:
            await asyncio.gather(*(worker() for _ in range(concurrency)))

        return await measured(sb, users, f"bare PTB loop ({concurrency} concurrent)", run)


async def aiogram_loop(sb: BenchSandbox, users: list[int], concurrency: int) -> float:
    """The same loop with aiogram 3 on its aiohttp session."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(sb.base_url))
    bot = AiogramBot(sb.token, session=session)
    pending = list(users)

    async def worker() -> None:
        while pending:
            await bot.send_message(pending.pop(), TEXT)

    async def run() -> None:
        await asyncio.gather(*(worker() for _ in range(concurrency)))

    try:
        return await measured(sb, users, f"bare aiogram loop ({concurrency} concurrent)", run)
    finally:
        await session.close()


async def send_button(sb: BenchSandbox, within: float = 30) -> JSON:
    """Wait for the broadcast preview and return a press of its Send button."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for message in reversed(await sb.messages(ADMIN)):
            for row in (message["reply_markup"] or {}).get("inline_keyboard") or []:
                for button in row:
                    choice = callbacks.decode(button.get("callback_data"))
                    if isinstance(choice, BroadcastChoice) and choice.send:
                        data = button["callback_data"]
                        return {"user_id": ADMIN, "data": data, "message_id": message["message_id"]}
        await asyncio.sleep(0.1)
    raise TimeoutError("no broadcast preview with a Send button")


async def bot_broadcast(
    sb: BenchSandbox, users: list[int], database: Path, rate_limit: float = RATE
) -> float:
    """An admin's /broadcast and Send through the real bot; return its rate."""
    settings = Settings(
        bot_token=Secret(sb.token),
        telegram_api_url=sb.base_url,
        database_path=database,
        send_rate_limit=rate_limit,
        paid_broadcast=True,
        admin_ids=frozenset({ADMIN}),
    )
    options = SenderOptions()
    runtime = Runtime(
        settings,
        SystemClock(),
        content=load_content(settings),
        sender_options=options,
        poll_timeout=1,
        dispatch_interval=3600,
    )
    async with runtime:
        async with runtime.store.db.transaction() as conn:
            now = time.time()
            await conn.executemany(
                "INSERT INTO users (user_id, chat_id, first_name, tip_seed, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                [(u, u, f"U{u}", f"{u:016x}", now, now) for u in users],
            )
        await sb.send_text(ADMIN, f"/broadcast {TEXT}")
        press = await send_button(sb)
        _, mark = await sb.calls("getMe")
        cpu = CpuMeter(sb)
        started = time.perf_counter()
        await sb.press([press])
        sends = await sends_since(sb, mark, len(users), within=600)
        wall = time.perf_counter() - started
        spent = cpu.describe(len(users))
    paid = sum(1 for s in sends if s["paid"])
    rate = rate_of(sends)
    print(
        f"FootCare broadcast: {len(sends)} messages ({paid} paid), {rate:,.0f} msg/s"
        f" (SEND_RATE_LIMIT={rate_limit:g}, {options.workers} workers, prefetch {options.prefetch};"
        f" press to last send {wall:.2f} s; {spent})"
    )
    return rate


async def main() -> None:
    """Parse arguments and run every measurement against one sandbox."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=3000, help="subscribers / messages per run")
    parser.add_argument("--concurrency", type=int, default=4, help="requests at once, bare loops")
    parser.add_argument("--rounds", type=int, default=3, help="bare loops and bot, in turn")
    parser.add_argument("--hammer", type=int, default=16, help="requests at once, sandbox check")
    parser.add_argument(
        "--rate",
        type=float,
        default=RATE,
        help="SEND_RATE_LIMIT (above 1000: the process, not the cap)",
    )
    parser.add_argument(
        "--sandbox",
        choices=("process", "inline"),
        default="process",
        help="serve the sandbox from a child process (default) or from this one",
    )
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    users = list(range(FIRST_USER, FIRST_USER + args.users))
    sandbox: BenchSandbox
    served = SandboxProcess() if args.sandbox == "process" else InlineSandbox()
    print(f"sandbox: {args.sandbox}, {args.users} subscribers, pid {os.getpid()}")
    ratios: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory(prefix="footcare-bench-") as tmp:
        async with served as sandbox:
            await sandbox.add_users([ADMIN, *users])
            await hammer(sandbox, users[:300], args.hammer, "warm-up, not a figure")
            before = await hammer(sandbox, users, args.hammer)
            for round_ in range(1, args.rounds + 1):
                ptb = await ptb_loop(sandbox, users, args.concurrency)
                aiogram = await aiogram_loop(sandbox, users, args.concurrency)
                database = Path(tmp) / f"round{round_}.db"
                footcare = await bot_broadcast(sandbox, users, database, args.rate)
                ratios.append((footcare / ptb, footcare / aiogram))
                print(
                    f"round {round_}: FootCare / bare PTB {footcare / ptb:.2f},"
                    f" FootCare / bare aiogram {footcare / aiogram:.2f},"
                    f" FootCare / SEND_RATE_LIMIT {footcare / args.rate:.2f}"
                )
            after = await hammer(sandbox, users, args.hammer)
    print(
        f"ratio FootCare / bare PTB (median of {args.rounds}): {median(r[0] for r in ratios):.2f}"
    )
    print(
        f"ratio FootCare / bare aiogram (median of {args.rounds}):"
        f" {median(r[1] for r in ratios):.2f}"
    )
    print(f"sandbox headroom: accepts {min(before, after):,.0f} msg/s at worst in this run")


if __name__ == "__main__":
    asyncio.run(main())
