"""Telegram's view (getWebhookInfo): what /healthz shows, once a minute, and a read that fails."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram.ext import ExtBot

from bot.clock import FakeClock
from bot.metrics import Metrics
from bot.sandbox import Sandbox
from bot.telegram.status import WebhookStatus
from bot.telegram.transport import AiohttpRequest
from bot.webhook import listen
from tests.conftest import START


@pytest.fixture
async def bot(sandbox: Sandbox) -> AsyncIterator[ExtBot[None]]:
    """A bare bot against the sandbox."""
    made: ExtBot[None] = ExtBot(
        sandbox.token,
        base_url=f"{sandbox.base_url}/bot",
        request=AiohttpRequest(2),
        get_updates_request=AiohttpRequest(1),
    )
    await made.initialize()
    yield made
    await made.shutdown()


async def test_a_failed_delivery_shows_with_the_pending_count(
    sandbox: Sandbox, bot: ExtBot[None]
) -> None:
    """A webhook nobody answers: Telegram's last error and its backlog reach the view and the
    gauges."""
    closed = listen("127.0.0.1", 0)
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there
    await bot.set_webhook(f"http://127.0.0.1:{port}/telegram")
    sandbox.add_user(7)
    sandbox.send_text(7, "/start")
    async with asyncio.timeout(10):
        while not sandbox.deliveries:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    metrics = Metrics()
    view = await WebhookStatus(bot, FakeClock(START), metrics).view()
    assert view.pending_updates == 1
    assert view.last_error
    assert view.last_error_at is not None
    assert view.report()["last_error"] == view.last_error
    assert metrics.telegram_pending._value.get() == 1
    assert metrics.telegram_last_error._value.get() == view.last_error_at.timestamp()
    await bot.delete_webhook()


async def test_a_read_that_fails_is_said_and_not_retried_within_the_minute(
    sandbox: Sandbox, bot: ExtBot[None]
) -> None:
    """Telegram failing: the view says why; the next scrape within a minute asks nothing."""
    clock = FakeClock(START)
    status = WebhookStatus(bot, clock, Metrics())
    sandbox.inject_failure("getWebhookInfo", 502)
    first = await status.view()
    assert first.read_error == "NetworkError"
    assert await status.view() is first
    clock.advance(timedelta(minutes=1))
    assert (await status.view()).pending_updates == 0
    assert len(sandbox.calls_to("getWebhookInfo")) == 2
