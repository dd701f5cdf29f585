"""The stand-alone round trip the compose smoke test runs (bot/sandbox/roundtrip.py)."""

from __future__ import annotations

import io

from bot.sandbox import Sandbox
from bot.sandbox.roundtrip import round_trip
from tests.conftest import WEBHOOK, BotFactory


async def test_the_round_trip_passes_against_the_real_bot_by_webhook(
    make_bot: BotFactory, sandbox: Sandbox
) -> None:
    """With the bot registered by webhook, /start is answered and the line says so."""
    await make_bot(mode=WEBHOOK)
    out = io.StringIO()
    assert await round_trip(sandbox, 30, out) is True
    assert out.getvalue().startswith("ROUND TRIP OK: /start went by webhook to http://127.0.0.1:")
    assert "Hi, Smoke!" in out.getvalue()


async def test_without_a_bot_the_round_trip_fails_and_says_why(sandbox: Sandbox) -> None:
    out = io.StringIO()
    assert await round_trip(sandbox, 0.3, out) is False
    assert out.getvalue().startswith("ROUND TRIP FAILED:")
