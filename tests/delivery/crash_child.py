"""A bot process for the crash test: dispatch once at a fixed time and drain the outbox.

Run as `python -m tests.delivery.crash_child API_URL TOKEN DB_PATH ISO_TIME WORKERS`; exits 0
once the outbox is empty. The test kills the first such process with SIGKILL mid-send.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from datetime import datetime
from pathlib import Path

from bot.clock import FakeClock
from bot.delivery.sender import SenderOptions
from bot.runtime import Runtime
from bot.settings import Secret, Settings

DRAIN_TIMEOUT = 30.0


async def run(api_url: str, token: str, db_path: Path, now: datetime, workers: int) -> None:
    """Start the bot, run one dispatcher tick, wait for the outbox to drain and stop."""
    settings = Settings(
        bot_token=Secret(token),
        telegram_api_url=api_url,
        database_path=db_path,
        send_rate_limit=30,
    )
    options = SenderOptions(
        workers=workers, backoff_base=0.01, per_chat_interval=0.02, idle_poll=0.05
    )
    runtime = Runtime(
        settings,
        FakeClock(now),
        sender_options=options,
        poll_timeout=1,
        dispatch_interval=3600,
    )
    async with runtime:
        await runtime.tick()
        async with asyncio.timeout(DRAIN_TIMEOUT):
            await runtime.sender.drain()


def main(argv: list[str]) -> None:
    """Parse argv and run."""
    api_url, token, db_path, iso_time, workers = argv
    # As in tests/conftest.py and `python -m bot`: read retry_after as a timedelta.
    os.environ["PTB_TIMEDELTA"] = "true"
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    asyncio.run(run(api_url, token, Path(db_path), datetime.fromisoformat(iso_time), int(workers)))


if __name__ == "__main__":
    main(sys.argv[1:])
