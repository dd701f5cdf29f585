"""The aiohttp transport: the bot's requests arrive whole, and each transport failure maps to
the python-telegram-bot error the sender's resend policy expects."""

from __future__ import annotations

import asyncio
import socket

import pytest
from telegram import Bot, InputFile
from telegram.error import NetworkError, TimedOut

from bot.sandbox import Sandbox
from bot.telegram.transport import AiohttpRequest


def bot_on(sandbox: Sandbox, request: AiohttpRequest) -> Bot:
    """A bare PTB Bot talking to the sandbox through the transport."""
    return Bot(sandbox.token, base_url=f"{sandbox.base_url}/bot", request=request)


async def test_text_with_a_keyboard_and_a_photo_arrive_as_sent(sandbox: Sandbox) -> None:
    """JSON bodies (nested markup) and multipart uploads both reach the API intact."""
    sandbox.add_user(5)
    async with bot_on(sandbox, AiohttpRequest(4)) as bot:
        markup = {"inline_keyboard": [[{"text": "5", "callback_data": "ci:2026-11-24:5"}]]}
        sent = await bot.send_message(5, "Hello ✓ 你好", reply_markup=markup)
        photo = await bot.send_photo(
            5, InputFile(b"\x89PNG fake", filename="w.png"), caption="Week"
        )
    call = sandbox.calls_to("sendMessage")[-1]
    assert call.params["text"] == "Hello ✓ 你好"
    assert call.params["reply_markup"] == markup
    assert sent.message_id > 0
    assert photo.caption == "Week"


async def test_a_slow_answer_is_a_timeout_that_may_have_been_delivered(sandbox: Sandbox) -> None:
    """A read timeout is a plain TimedOut: the request left, the sender must not assume not."""
    sandbox.add_user(5)
    sandbox.set_delay("sendMessage", 1.0)
    async with bot_on(sandbox, AiohttpRequest(4, read_timeout=0.2, write_timeout=0.2)) as bot:
        with pytest.raises(TimedOut) as caught:
            await bot.send_message(5, "slow")
    assert not caught.value.message.startswith("Pool timeout")


async def test_no_free_connection_in_time_is_a_pool_timeout(sandbox: Sandbox) -> None:
    """With the only connection busy, the next request is reported as never sent."""
    sandbox.add_user(5)
    sandbox.set_delay("sendMessage", 0.8)
    async with bot_on(sandbox, AiohttpRequest(1, pool_timeout=0.05, connect_timeout=0.05)) as bot:
        busy = asyncio.create_task(bot.send_message(5, "holding the connection"))
        await asyncio.sleep(0.2)
        with pytest.raises(TimedOut) as caught:
            await bot.send_message(5, "no room")
        await busy
    assert caught.value.message.startswith("Pool timeout")


async def test_nobody_listening_is_a_network_error() -> None:
    """A refused connection is a NetworkError (retried with backoff), not a crash."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest(1)
    await request.initialize()
    try:
        with pytest.raises(NetworkError):
            await request.post(f"http://127.0.0.1:{port}/bot123:x/getMe")
    finally:
        await request.shutdown()
