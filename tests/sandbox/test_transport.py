"""The sandbox's HTTP surface: body encodings, routing, tokens and error bodies."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from telegram import Bot
from telegram.error import BadRequest, EndPointNotFound, InvalidToken

from bot.sandbox import Sandbox
from tests.sandbox.conftest import USER


async def call(url: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    """POST to url and return the status and decoded JSON body."""
    async with aiohttp.ClientSession() as session, session.post(url, **kwargs) as response:
        return response.status, await response.json()


async def test_json_body_is_accepted(sandbox: Sandbox) -> None:
    """A JSON body with native types works, method names ignore case as on Telegram."""
    url = f"{sandbox.base_url}/bot{sandbox.token}/SENDMESSAGE"
    status, body = await call(url, json={"chat_id": USER, "text": "json"})
    assert (status, body["ok"], body["result"]["text"]) == (200, True, "json")
    assert sandbox.calls[-1].method == "sendMessage"


async def test_form_and_query_string_are_accepted(sandbox: Sandbox) -> None:
    """Urlencoded bodies and query strings decode PTB-style JSON values."""
    base = f"{sandbox.base_url}/bot{sandbox.token}"
    status, body = await call(f"{base}/sendMessage?chat_id={USER}", data={"text": "123"})
    assert (status, body["result"]["text"]) == (200, "123")
    markup = '{"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}'
    status, body = await call(
        f"{base}/sendMessage", data={"chat_id": str(USER), "text": "k", "reply_markup": markup}
    )
    assert body["result"]["reply_markup"]["inline_keyboard"][0][0]["text"] == "A"


async def test_missing_parameters_use_telegram_wording(sandbox: Sandbox) -> None:
    """Missing chat_id and other required fields are named in the 400."""
    base = f"{sandbox.base_url}/bot{sandbox.token}"
    assert await call(f"{base}/sendMessage", json={"text": "x"}) == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: chat_id is empty"},
    )
    status, body = await call(f"{base}/setMyCommands", json={})
    assert (status, body["description"]) == (400, "Bad Request: commands is required")


async def test_malformed_token_and_unknown_path_are_not_found(sandbox: Sandbox) -> None:
    """Malformed tokens and paths outside /bot<token>/ answer Telegram's JSON 404."""
    not_found = {"ok": False, "error_code": 404, "description": "Not Found"}
    assert await call(f"{sandbox.base_url}/botnotatoken/getMe") == (404, not_found)
    assert await call(f"{sandbox.base_url}/elsewhere") == (404, not_found)


async def test_wrong_token_is_unauthorized(sandbox: Sandbox) -> None:
    """A well-formed but wrong token gets 401, which PTB raises as InvalidToken."""
    client = Bot("999:WRONG", base_url=f"{sandbox.base_url}/bot")
    with pytest.raises(InvalidToken, match="rejected by the server"):
        await client.initialize()
    await client.shutdown()
    assert sandbox.calls[-1].status == 401
    assert sandbox.calls[-1].description == "Unauthorized"


async def test_unsupported_and_unknown_methods(sandbox: Sandbox, bot: Bot) -> None:
    """Spec methods the sandbox lacks get 400; made-up methods get 404."""
    with pytest.raises(BadRequest, match="not supported by the sandbox"):
        await bot.send_dice(USER)
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")
    assert (sandbox.calls[-1].status, sandbox.calls[-1].description) == (404, "Not Found")
