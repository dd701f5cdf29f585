"""Flood limits, injected failures and delays."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from telegram import Bot
from telegram.error import NetworkError, RetryAfter

from bot.sandbox import Sandbox
from tests.sandbox.conftest import USER


async def test_per_chat_flood_limit_answers_retry_after(bot: Bot) -> None:
    """A second message within the per-chat window gets 429 with retry_after."""
    async with Sandbox(per_chat_limit=1) as sb:
        sb.add_user(USER)
        sb.add_user(USER + 1)
        async with Bot(sb.token, base_url=f"{sb.base_url}/bot") as client:
            await client.send_message(USER, "one")
            with pytest.raises(RetryAfter) as caught:
                await client.send_message(USER, "two")
            await client.send_message(USER + 1, "other chat is fine")
    assert caught.value.retry_after == timedelta(seconds=1)
    [refused] = [c for c in sb.calls if c.status == 429]
    assert refused.description == "Too Many Requests: retry after 1"


async def test_global_flood_limit_spans_chats() -> None:
    """The global limit counts messages across all chats."""
    async with Sandbox(global_limit=2) as sb:
        for user in (1, 2, 3):
            sb.add_user(user)
        async with Bot(sb.token, base_url=f"{sb.base_url}/bot") as client:
            await client.send_message(1, "a")
            await client.send_message(2, "b")
            with pytest.raises(RetryAfter):
                await client.send_message(3, "c")


async def test_injected_failures_then_recovery(sandbox: Sandbox, bot: Bot) -> None:
    """Injected 500 and 429 answers come first, then normal service resumes."""
    sandbox.inject_failure("sendMessage", 500)
    sandbox.inject_failure("sendMessage", 429, retry_after=7)
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(USER, "a")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "b")
    assert caught.value.retry_after == timedelta(seconds=7)
    await bot.send_message(USER, "c")
    assert [c.status for c in sandbox.calls_to("sendMessage")] == [500, 429, 200]
    assert [m.text for m in sandbox.messages(USER)] == ["c"]


async def test_delay_holds_the_answer(sandbox: Sandbox, bot: Bot) -> None:
    """set_delay makes a method answer late."""
    sandbox.set_delay("sendChatAction", 0.2)
    started = time.monotonic()
    assert await bot.send_chat_action(USER, "typing")
    assert time.monotonic() - started >= 0.2
