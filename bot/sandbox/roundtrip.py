"""The sandbox as a stand-alone Telegram for a deployed bot, with one user who says /start.

`python -m bot.sandbox.roundtrip [--host H] [--port P] [--timeout S]` serves the Bot API
(token `SANDBOX_TOKEN`) and waits for a bot to register a webhook; then its user sends
/start, and once the bot's welcome arrives by that webhook it prints one line starting
`ROUND TRIP OK` (or `ROUND TRIP FAILED: ...`). It keeps serving until SIGTERM, so the bot's
health check can still reach it. deploy/compose-smoke-test.sh runs it as a compose service
beside the deploy example; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from typing import TextIO

from bot.sandbox.driver import Sandbox

USER = 4242


async def round_trip(sandbox: Sandbox, wait: float, out: TextIO) -> bool:
    """Wait for a webhook, send /start, and wait for the answer posted through it."""
    try:
        async with asyncio.timeout(wait):
            while not sandbox.webhook_url:  # noqa: ASYNC110 (the sandbox has no event for it)
                await asyncio.sleep(0.1)
            sandbox.add_user(USER, "Smoke")
            sandbox.send_text(USER, "/start")
            welcome = await sandbox.next_message(USER, wait)
    except TimeoutError as exc:
        out.write(f"ROUND TRIP FAILED: {exc or 'no webhook was registered in time'}\n")
        return False
    posted = [d for d in sandbox.deliveries if d.ok]
    if not posted:
        out.write("ROUND TRIP FAILED: the update did not go through the webhook\n")
        return False
    first = (welcome.text or "").splitlines()[0]
    url = posted[-1].url
    out.write(f"ROUND TRIP OK: /start went by webhook to {url}; the bot said {first!r}\n")
    return True


async def serve(host: str, port: int, wait: float, out: TextIO) -> int:
    """Serve until SIGTERM or SIGINT; return 0 if the round trip worked, else 1."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    async with Sandbox(host=host, port=port) as sandbox:
        out.write(f"Sandbox Bot API on {host}:{port}\n")
        out.flush()
        ok = await round_trip(sandbox, wait, out)
        out.flush()
        await stop.wait()
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and serve."""
    parser = argparse.ArgumentParser(prog="python -m bot.sandbox.roundtrip")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    return asyncio.run(serve(args.host, args.port, args.timeout, sys.stdout))


if __name__ == "__main__":
    sys.exit(main())
