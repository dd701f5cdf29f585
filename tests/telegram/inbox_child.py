"""A bot process for the inbox crash tests: it runs until SIGTERM, by polling or by webhook.

Run as `python -m tests.telegram.inbox_child API_URL TOKEN DB_PATH ISO_TIME RATE MODE [FD]`.
MODE is `polling` or `webhook`; for a webhook, FD is a listening socket the test holds and
passes to every restart (as systemd's socket activation would), so the URL stays the same and
Telegram's posts wait in its backlog while no bot runs. RATE above 30 lifts the free ceiling,
as tests/delivery/crash_loop_child.py does: the sandbox has no flood limit.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys
from datetime import datetime
from pathlib import Path

import bot.app
from bot.clock import FakeClock
from bot.runtime import Runtime
from bot.settings import MAX_FREE_RATE, Secret, Settings
from tests.conftest import FAST_SENDER


async def run(
    api_url: str, token: str, db_path: Path, now: datetime, rate: float, sock: socket.socket | None
) -> None:
    """Start the bot and keep it running until SIGTERM."""
    bot.app.MAX_FREE_RATE = max(rate, MAX_FREE_RATE)
    url = ""
    if sock is not None:
        sock.setblocking(False)
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/telegram"
    settings = Settings(
        bot_token=Secret(token),
        telegram_api_url=api_url,
        database_path=db_path,
        send_rate_limit=rate,
        webhook_url=url,
    )
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    runtime = Runtime(
        settings,
        FakeClock(now),
        sender_options=FAST_SENDER,
        poll_timeout=1,
        dispatch_interval=3600,
        wake_at_due=False,
        webhook_socket=sock,
    )
    async with runtime:
        await stop.wait()


def main(argv: list[str]) -> None:
    """Parse argv and run."""
    api_url, token, db_path, iso_time, rate, mode, *fd = argv
    os.environ["PTB_TIMEDELTA"] = "true"
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    sock = socket.socket(fileno=int(fd[0])) if mode == "webhook" else None
    asyncio.run(
        run(api_url, token, Path(db_path), datetime.fromisoformat(iso_time), float(rate), sock)
    )


if __name__ == "__main__":
    main(sys.argv[1:])
