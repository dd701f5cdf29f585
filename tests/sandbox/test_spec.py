"""The packaged Bot API table and the script that extracts it."""

from __future__ import annotations

import asyncio
import time

from telegram import Bot

from bot.sandbox import Sandbox
from bot.sandbox.extract_spec import extract, render
from bot.sandbox.spec import load_spec


def test_extract_keeps_only_names_types_and_required() -> None:
    """Descriptions and links are dropped; fields keep their order."""
    source = {
        "version": "Bot API 0.1",
        "methods": {
            "getMe": {"name": "getMe", "description": ["..."], "returns": ["User"]},
            "sendMessage": {
                "name": "sendMessage",
                "href": "https://core.telegram.org/bots/api#sendmessage",
                "fields": [
                    {"name": "chat_id", "types": ["Integer", "String"], "required": True},
                    {"name": "text", "types": ["String"], "required": True, "description": "x"},
                ],
            },
        },
    }
    spec = extract(source)
    assert spec == {
        "version": "Bot API 0.1",
        "methods": {
            "getMe": [],
            "sendMessage": [
                {"name": "chat_id", "types": ["Integer", "String"], "required": True},
                {"name": "text", "types": ["String"], "required": True},
            ],
        },
    }
    assert '"getMe": []' in render(spec)


def test_packaged_spec_has_the_implemented_methods() -> None:
    """The shipped table is Bot API 10.1 and knows sendMessage's required fields."""
    spec = load_spec()
    assert spec.version == "Bot API 10.1"
    found = spec.lookup("sendmessage")
    assert found is not None
    name, fields = found
    assert name == "sendMessage"
    assert [f.name for f in fields if f.required] == ["chat_id", "text"]


async def test_stop_releases_a_pending_long_poll() -> None:
    """Stopping the sandbox answers a waiting getUpdates at once instead of after its timeout."""
    async with Sandbox() as sb:
        bot = Bot(sb.token, base_url=f"{sb.base_url}/bot")
        async with bot:
            task = asyncio.ensure_future(bot.get_updates(timeout=30, read_timeout=40))
            await asyncio.sleep(0.1)
            started = time.monotonic()
            await sb.stop()
            assert await task == ()
            assert time.monotonic() - started < 1
