"""Measure how soon simultaneous check-in answers are confirmed: the toast against the edit.

Run `python bench/bench_confirm.py [--users 100] [--rate 25]`. Every user gets the daily
message (tip and question in one) from the real bot through the sandbox, then all of them
press a score at the same moment. Prints, from that moment, when the presses were answered
(the toast, which no rate limit holds) and when the messages were edited (each edit waits for
its slot under SEND_RATE_LIMIT, as every confirmation did before the toast). Figures only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import FakeClock
from bot.composition import load_content
from bot.core import callbacks
from bot.core.callbacks import CheckinAnswer
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.settings import Secret, Settings

START = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # new users are due at 09:00 UTC
FIRST_USER = 20_000
SCORE = 5


def score_button(sandbox: Sandbox, user_id: int) -> tuple[int, str]:
    """Return (message id, data) of the user's daily message's SCORE button."""
    message = sandbox.messages(user_id)[-1]
    for row in (message.reply_markup or {}).get("inline_keyboard") or []:
        for button in row:
            decoded = callbacks.decode(button.get("callback_data"))
            if isinstance(decoded, CheckinAnswer) and decoded.score == SCORE:
                return message.message_id, button["callback_data"]
    raise LookupError(f"no score button for user {user_id}")


def spread(label: str, delays: list[float]) -> str:
    """Return p50, p99 and max of some delays in seconds."""
    ordered = sorted(delays)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return (
        f"{label}: p50 {statistics.median(ordered):.3f} s, p99 {p99:.3f} s,"
        f" all {ordered[-1]:.3f} s ({len(ordered)} of them)"
    )


async def bench(users: int, rate: float, folder: Path) -> None:
    """Send every user their daily message, press all the scores at once, time the answers."""
    clock = FakeClock(START)
    async with Sandbox() as sandbox:
        settings = Settings(
            bot_token=Secret(sandbox.token),
            telegram_api_url=sandbox.base_url,
            database_path=folder / "confirm.db",
            send_rate_limit=rate,
        )
        runtime = Runtime(
            settings, clock, content=load_content(settings), poll_timeout=1, dispatch_interval=3600
        )
        async with runtime:
            ids = list(range(FIRST_USER, FIRST_USER + users))
            for user_id in ids:
                sandbox.add_user(user_id, f"User{user_id}")
                await runtime.features.subscription.start(user_id, user_id, f"User{user_id}", "en")
            clock.set(START + timedelta(hours=2))
            await runtime.tick()
            await runtime.sender.drain()
            buttons = [score_button(sandbox, user_id) for user_id in ids]
            pressed_at = time.monotonic()
            for user_id, (message_id, data) in zip(ids, buttons, strict=True):
                sandbox.press_callback(user_id, data, message_id)
            async with asyncio.timeout(120):
                while len([c for c in sandbox.calls_to("editMessageText") if c.ok]) < users:  # noqa: ASYNC110
                    await asyncio.sleep(0.01)
            answers = [c.at - pressed_at for c in sandbox.calls_to("answerCallbackQuery")]
            edits = [c.at - pressed_at for c in sandbox.calls_to("editMessageText") if c.ok]
    print(f"{users} users press a score at once, SEND_RATE_LIMIT={rate:g}:")
    print(spread("  toast (answerCallbackQuery)", answers))
    print(spread("  edit (editMessageText)     ", edits))


async def main() -> None:
    """Parse arguments and run the measurement."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100, help="users answering at once")
    parser.add_argument("--rate", type=float, default=25.0, help="SEND_RATE_LIMIT")
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    with tempfile.TemporaryDirectory(prefix="footcare-bench-") as tmp:
        await bench(args.users, args.rate, Path(tmp))


if __name__ == "__main__":
    asyncio.run(main())
