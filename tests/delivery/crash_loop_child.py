"""A bot process for the crash loop: dispatch at a fixed time, drain the outbox, exit 0.

Run as `python -m tests.delivery.crash_loop_child API_URL TOKEN DB_PATH ISO_TIME RATE`. Like
crash_child.py, but the 30/s free ceiling is lifted to RATE: the sandbox has no flood limit,
and 6,000 sends at 30/s would take minutes. Rate limiting is not what the loop tests.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from datetime import datetime
from pathlib import Path

import bot.app
from bot.clock import FakeClock
from bot.delivery.sender import SenderOptions
from bot.runtime import Runtime
from bot.settings import Secret, Settings

DRAIN_TIMEOUT = 120.0
WORKERS = 8


async def run(api_url: str, token: str, db_path: Path, now: datetime, rate: float) -> None:
    """Start the bot, run one dispatcher tick, wait for the outbox to drain and stop."""
    bot.app.MAX_FREE_RATE = rate
    settings = Settings(
        bot_token=Secret(token),
        telegram_api_url=api_url,
        database_path=db_path,
        send_rate_limit=rate,
    )
    options = SenderOptions(
        workers=WORKERS, backoff_base=0.01, per_chat_interval=0.02, idle_poll=0.05
    )
    runtime = Runtime(
        settings, FakeClock(now), sender_options=options, poll_timeout=1, dispatch_interval=3600
    )
    async with runtime:
        await runtime.tick()
        async with asyncio.timeout(DRAIN_TIMEOUT):
            await runtime.sender.drain()


def main(argv: list[str]) -> None:
    """Parse argv and run."""
    api_url, token, db_path, iso_time, rate = argv
    os.environ["PTB_TIMEDELTA"] = "true"
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    asyncio.run(run(api_url, token, Path(db_path), datetime.fromisoformat(iso_time), float(rate)))


if __name__ == "__main__":
    main(sys.argv[1:])
