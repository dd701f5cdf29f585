"""Measure how much of Telegram's cap a broadcast uses: the sliding-window limiter beside the
old spacing limiter, each sending one broadcast through the real bot to the sandbox.

Run `python bench/bench_ratelimit.py [--users 300] [--rate 25] [--rounds 2]`. Prints figures
only, all judged by the sandbox's own request timestamps. The ratio to the limit is the figure
that counts on a noisy machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.app import FLOOD_RETRIES, LimiterFactory, free_rate
from bot.clock import SystemClock
from bot.composition import Content, load_content
from bot.core import callbacks
from bot.core.callbacks import BroadcastChoice
from bot.delivery.ratelimit import (
    INTERACTIVE,
    FloodAwareRateLimiter,
    FloodGate,
    JSONResult,
    RateLimitArgs,
    retry_after_seconds,
)
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.sandbox.models import Call
from bot.settings import Secret, Settings

ADMIN = 42
FIRST_USER = 10_000
TEXT = "Bench news"
Callback = Callable[..., Coroutine[Any, Any, JSONResult]]


class SpacingRateLimiter(BaseRateLimiter[RateLimitArgs]):
    """The first version, kept here only to compare: one chat request every 1.05 / rate s."""

    def __init__(self, rate: float, gate: FloodGate, max_retries: int) -> None:
        self.gate = gate
        self._limiter = AsyncLimiter(1, 1.05 / rate)
        self._max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: RateLimitArgs | None,
    ) -> JSONResult:
        """Send one request one slot after the previous one, honouring the gate."""
        options = rate_limit_args or INTERACTIVE
        retries = self._max_retries if options.retries is None else options.retries
        attempt = 0
        while True:
            await self.gate.wait()
            try:
                if data.get("chat_id") is None:
                    return await callback(*args, **kwargs)
                async with self._limiter:
                    if not self.gate.is_open():
                        continue
                    return await callback(*args, **kwargs)
            except RetryAfter as exc:
                self.gate.close_for(retry_after_seconds(exc) + 0.1)
                if attempt >= retries:
                    raise
                attempt += 1


class HandOffTimes(FloodAwareRateLimiter):
    """The sliding-window limiter, noting when each chat's request goes to the HTTP client."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handed: dict[int, float] = {}

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: RateLimitArgs | None,
    ) -> JSONResult:
        """Wrap the request so the moment the limiter lets it go is recorded by chat."""
        chat_id = data.get("chat_id")
        loop = asyncio.get_running_loop()

        async def timed(*a: Any, **k: Any) -> JSONResult:
            # The sandbox stamps with time.monotonic(), which is the event loop's clock too.
            if isinstance(chat_id, int) and endpoint == "sendMessage":
                self.handed[chat_id] = loop.time()
            return await callback(*a, **k)

        return await super().process_request(timed, args, kwargs, endpoint, data, rate_limit_args)


@dataclass
class Run:
    """One broadcast's figures."""

    name: str
    copies: int
    naive_rate: float  # (copies - 1) / span: flattered by the opening burst
    steady_rate: float  # limit / mean time for `limit` consecutive calls: what the cap allows
    busiest: int  # the most chat calls stamped within any one second
    refused: int
    delays: list[float]  # sandbox stamp minus hand-off, seconds (sliding window only)


def busiest_second(times: list[float]) -> int:
    """Return the most stamps within any one-second window (a gap of 1.0 s is two windows)."""
    times = sorted(times)
    best, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


async def broadcast(sandbox: Sandbox, runtime: Runtime) -> None:
    """Ask for a broadcast as the admin, press Send, and wait until every copy is out."""
    sandbox.send_text(ADMIN, f"/broadcast {TEXT}")
    await sandbox.settle()
    send = find_send(sandbox)
    if send is None:
        raise RuntimeError("the bot showed no broadcast preview")
    sandbox.press_callback(ADMIN, send[1], send[0])
    async with asyncio.timeout(30):
        # Polling is fine here: the bench only needs to know when the rows are queued.
        while not await runtime.store.outbox.pending_count():  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    await asyncio.wait_for(runtime.sender.drain(), 600)


def find_send(sandbox: Sandbox) -> tuple[int, str] | None:
    """Return (message id, callback data) of the preview's Send button, once it is shown."""
    for message in sandbox.messages(ADMIN):
        for row in (message.reply_markup or {}).get("inline_keyboard") or []:
            for button in row:
                decoded = callbacks.decode(button.get("callback_data"))
                if isinstance(decoded, BroadcastChoice) and decoded.send:
                    return message.message_id, button["callback_data"]
    return None


async def run_one(
    name: str, limiter: LimiterFactory, users: int, rate: float, folder: Path, content: Content
) -> Run:
    """Broadcast to `users` subscribers at SEND_RATE_LIMIT=`rate` through one limiter."""
    built: list[BaseRateLimiter[RateLimitArgs]] = []

    def build(settings: Settings, gate: FloodGate) -> BaseRateLimiter[RateLimitArgs]:
        built.append(limiter(settings, gate))
        return built[-1]

    recipients = list(range(FIRST_USER, FIRST_USER + users))
    async with Sandbox() as sandbox:
        settings = Settings(
            bot_token=Secret(sandbox.token),
            telegram_api_url=sandbox.base_url,
            database_path=folder / f"{name.replace(' ', '-')}.db",
            send_rate_limit=rate,
            admin_ids=frozenset({ADMIN}),
        )
        runtime = Runtime(
            settings,
            SystemClock(),
            content=content,
            poll_timeout=1,
            dispatch_interval=3600,
            limiter=build,
        )
        async with runtime:
            sandbox.add_user(ADMIN)
            for user_id in recipients:
                sandbox.add_user(user_id)
                await runtime.store.users.create(user_id, user_id, f"U{user_id}", "en")
            await broadcast(sandbox, runtime)
        calls = list(sandbox.calls)
    return figures(name, calls, set(recipients), int(rate), built[0])


def figures(name: str, calls: list[Call], recipients: set[int], cap: int, limiter: object) -> Run:
    """Work out one run's figures from the sandbox's call log."""
    chat_calls = [c for c in calls if c.params.get("chat_id") is not None]
    copies = sorted(
        (c for c in chat_calls if c.method == "sendMessage" and c.params["chat_id"] in recipients),
        key=lambda c: c.at,
    )
    first, last = copies[0].at, copies[-1].at
    # Everything that shared the window while the broadcast ran, the admin's progress edits too.
    during = sorted(c.at for c in chat_calls if first <= c.at <= last)
    # How long `cap` consecutive calls took to go out, on average over the run.
    spans = [b - a for a, b in zip(during, during[cap:], strict=False)]
    delays = []
    if isinstance(limiter, HandOffTimes):
        delays = [c.at - limiter.handed[c.params["chat_id"]] for c in copies]
    return Run(
        name=name,
        copies=len(copies),
        naive_rate=(len(during) - 1) / (last - first),
        steady_rate=cap / statistics.mean(spans),
        busiest=busiest_second([c.at for c in chat_calls]),
        refused=sum(c.status == 429 for c in calls),
        delays=delays,
    )


def report(run: Run, rate: float) -> None:
    """Print one run's figures."""
    print(
        f"{run.name:>14}: {run.copies} copies, steady {run.steady_rate:5.2f}/s = "
        f"{run.steady_rate / rate:.3f} of the limit (naive (n-1)/span {run.naive_rate:5.2f}/s), "
        f"busiest second {run.busiest} (limit {rate:g}), 429s {run.refused}"
    )
    if run.delays:
        ms = sorted(d * 1000 for d in run.delays)
        p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
        print(
            f"{'':>14}  hand-off to sandbox stamp: min {ms[0]:.1f} ms, median "
            f"{statistics.median(ms):.1f} ms, p99 {p99:.1f} ms, max {ms[-1]:.1f} ms, "
            f"spread {ms[-1] - ms[0]:.1f} ms"
        )


async def main() -> None:
    """Parse arguments and run each limiter `rounds` times, alternating."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=300, help="subscribers to broadcast to")
    parser.add_argument("--rate", type=float, default=25.0, help="SEND_RATE_LIMIT")
    parser.add_argument("--rounds", type=int, default=2, help="broadcasts per limiter")
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    content = load_content(Settings())

    def sliding(settings: Settings, gate: FloodGate) -> BaseRateLimiter[RateLimitArgs]:
        # As bot/app.py's rate_limiter builds it (paid broadcasts are off here).
        return HandOffTimes(free_rate(settings), max_retries=FLOOD_RETRIES, gate=gate)

    def spacing(settings: Settings, gate: FloodGate) -> BaseRateLimiter[RateLimitArgs]:
        return SpacingRateLimiter(free_rate(settings), gate, FLOOD_RETRIES)

    runs: dict[str, list[Run]] = {"sliding window": [], "spacing 1.05": []}
    with tempfile.TemporaryDirectory(prefix="footcare-bench-") as tmp:
        for n in range(args.rounds):
            folder = Path(tmp) / str(n)
            folder.mkdir()
            for name, factory in (("sliding window", sliding), ("spacing 1.05", spacing)):
                run = await run_one(name, factory, args.users, args.rate, folder, content)
                report(run, args.rate)
                runs[name].append(run)
    new = statistics.mean(r.steady_rate for r in runs["sliding window"])
    old = statistics.mean(r.steady_rate for r in runs["spacing 1.05"])
    print(
        f"mean steady rate / limit: sliding window {new / args.rate:.3f}, spacing "
        f"{old / args.rate:.3f}; busiest second {max(r.busiest for r in runs['sliding window'])}"
        f" and {max(r.busiest for r in runs['spacing 1.05'])} (limit {args.rate:g})"
    )


if __name__ == "__main__":
    asyncio.run(main())
