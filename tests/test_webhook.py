"""Tests for bot/webhook.py: the listening socket, the secret, a webhook the Bot API refuses,
and the server: what it refuses, how it says so, and why PTB's is not used."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from telegram import Bot
from telegram.ext import ExtBot, Updater

from bot.clock import FakeClock
from bot.composition import Content
from bot.metrics import Metrics
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.settings import Secret, SettingsError
from bot.store import Arrival, Store
from bot.telegram.inbox import UpdateInbox
from bot.telegram.transport import AiohttpRequest
from bot.webhook import (
    SECRET_HEADER,
    Rejection,
    RejectionLog,
    WebhookServer,
    listen,
    webhook_secret,
)
from tests.conftest import bot_settings


def test_listen_on_a_port_in_use_names_webhook_port() -> None:
    """A port already taken is one SettingsError naming WEBHOOK_PORT, not a traceback."""
    taken = listen("127.0.0.1", 0)
    port = taken.getsockname()[1]
    try:
        with pytest.raises(SettingsError, match=f"WEBHOOK_PORT cannot listen on 127.0.0.1:{port}"):
            listen("127.0.0.1", port)
    finally:
        taken.close()


def test_listen_gives_a_non_blocking_socket() -> None:
    """The socket is served by the event loop, so it must not block on accept."""
    sock = listen("127.0.0.1", 0)
    try:
        assert sock.getblocking() is False
    finally:
        sock.close()


def test_the_secret_is_the_configured_one_or_derived_from_the_token(tmp_path: Path) -> None:
    """WEBHOOK_SECRET is used as is; without it the secret is the same for the same token,
    different for another, URL-safe, and does not contain the token."""
    sandbox = Sandbox()  # only for its token and URL; never started
    configured = bot_settings(sandbox, tmp_path, webhook_secret=Secret("mine"))
    assert webhook_secret(configured) == "mine"
    unset = bot_settings(sandbox, tmp_path)
    first, second = webhook_secret(unset), webhook_secret(unset)
    assert first == second
    other = webhook_secret(bot_settings(sandbox, tmp_path, bot_token=Secret("654321:OTHER")))
    assert other != first
    assert len(first) >= 32
    assert set(first) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
    assert sandbox.token not in first
    assert sandbox.token.split(":")[1] not in first


async def test_a_refused_webhook_names_webhook_url(tmp_path: Path, content: Content) -> None:
    """setWebhook refused by the Bot API stops the start with a SettingsError naming WEBHOOK_URL."""
    async with Sandbox() as sandbox:
        sandbox.inject_failure(
            "setWebhook", 400, description="Bad Request: bad webhook: Failed to resolve host"
        )
        sock = listen("127.0.0.1", 0)
        settings = bot_settings(sandbox, tmp_path, webhook_url="https://nowhere.invalid/telegram")
        runtime = Runtime(settings, content=content, webhook_socket=sock)
        with pytest.raises(
            SettingsError, match=r"WEBHOOK_URL was refused by the Bot API: .*resolve"
        ):
            await runtime.start()
        assert sock.fileno() == -1  # closed: nothing keeps listening after a failed start
        assert sandbox.webhook_url == ""


# ----- the server: why PTB's is replaced, and what ours refuses ---------------------------

SECRET = "s3cret-for-tests"
PATH = "/telegram"
MARKER = "my heel hurts 9 of 10"
NOT_AN_UPDATE = json.dumps({"update_id": 1, "message": MARKER})


def an_update(update_id: int, text: str = "/start") -> dict[str, object]:
    """A private text message update as Telegram posts it."""
    user = {"id": 7, "is_bot": False, "first_name": "Sam"}
    message = {
        "message_id": update_id,
        "date": 1_764_000_000,
        "chat": {"id": 7, "type": "private"},
        "from": user,
        "text": text,
    }
    return {"update_id": update_id, "message": message}


async def post(
    port: int, body: bytes, *, secret: str | None = SECRET, path: str = PATH, method: str = "POST"
) -> int:
    """Send one request to 127.0.0.1:port; return the status."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    async with (
        aiohttp.ClientSession() as session,
        session.request(
            method, f"http://127.0.0.1:{port}{path}", data=io.BytesIO(body), headers=headers
        ) as response,
    ):
        return response.status


class Served:
    """Our webhook server on a free port, over a real inbox and store."""

    def __init__(self, server: WebhookServer, port: int, store: Store, metrics: Metrics) -> None:
        self.server = server
        self.port = port
        self.store = store
        self.metrics = metrics

    def rejected(self, reason: Rejection) -> float:
        """Return the /metrics count of one rejection reason."""
        value: float = self.metrics.webhook_rejected.labels(reason.value)._value.get()
        return value


@pytest.fixture
async def served(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Served]:
    """Serve the webhook at PATH with SECRET until the test ends."""
    store = await Store.open(tmp_path / "footcare.db", clock)
    metrics = Metrics()
    bot = Bot("123456:WEBHOOK-TEST")  # only decodes updates; never reaches a server
    inbox = UpdateInbox(store, asyncio.Queue(), bot, metrics)
    inbox.start()
    sock = listen("127.0.0.1", 0)
    port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}{PATH}"
    server = WebhookServer(sock, url, SECRET, bot, inbox, RejectionLog(clock, metrics))
    await server.start()
    yield Served(server, port, store, metrics)
    await server.stop()
    await inbox.stop()
    await store.close()


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return the webhook's WARNING lines."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "bot.webhook" and r.levelno == logging.WARNING
    ]


async def test_ptbs_webhook_server_logs_a_bad_body_whole_and_wrong_secrets_only_at_debug(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    """Why bot/webhook.py has its own server: PTB's logs a wrong secret only at DEBUG, reads
    a 2 MB body, and logs a body that is not an update at CRITICAL, whole."""
    caplog.set_level(logging.DEBUG)
    bot: ExtBot[None] = ExtBot(
        sandbox.token,
        base_url=f"{sandbox.base_url}/bot",
        request=AiohttpRequest(2),
        get_updates_request=AiohttpRequest(1),
    )
    updater = Updater(bot, asyncio.Queue())
    sock = listen("127.0.0.1", 0)
    port = sock.getsockname()[1]
    await updater.initialize()
    await updater.start_webhook(
        url_path=PATH,
        webhook_url=f"http://127.0.0.1:{port}{PATH}",
        secret_token=SECRET,
        unix=sock,
    )
    try:
        assert await post(port, b"{}", secret="wrong") == 403
        big = json.dumps(an_update(2, "x" * 2_000_000)).encode()
        assert await post(port, big) == 200
        assert await post(port, NOT_AN_UPDATE.encode()) == 400
    finally:
        await updater.stop()
        await updater.shutdown()
    refusals = [r for r in caplog.records if "wrong secret token" in r.getMessage()]
    assert {r.levelno for r in refusals} == {logging.DEBUG}
    assert any(r.levelno == logging.CRITICAL and MARKER in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("reason", "request_kwargs", "status"),
    [
        (Rejection.WRONG_PATH, {"path": "/elsewhere"}, 404),
        (Rejection.WRONG_METHOD, {"method": "PUT"}, 405),
        (Rejection.NO_SECRET, {"secret": None}, 403),
        (Rejection.WRONG_SECRET, {"secret": "guessed"}, 403),
        (Rejection.NOT_JSON, {}, 400),
    ],
)
async def test_each_refusal_is_one_warning_a_minute_and_counted(
    served: Served,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
    reason: Rejection,
    request_kwargs: dict[str, Any],
    status: int,
) -> None:
    """The first refusal of a reason is a WARNING naming it and the client; more within a
    minute only count; the next line after a minute says how many it left out."""
    caplog.set_level(logging.DEBUG)
    body = NOT_AN_UPDATE.encode()
    for _ in range(3):
        assert await post(served.port, body, **request_kwargs) == status
    [line] = warnings_of(caplog)
    assert f"refused with {status}" in line
    assert "from 127.0.0.1" in line
    assert served.rejected(reason) == 3
    clock.advance(timedelta(seconds=61))
    assert await post(served.port, body, **request_kwargs) == status
    assert warnings_of(caplog)[1].endswith("(2 more since the last such line)")
    assert served.rejected(reason) == 4
    assert all(MARKER not in r.getMessage() for r in caplog.records)
    assert await served.store.inbox.count() == 0


async def test_a_10_mb_body_is_refused_before_it_is_sent(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    """413 comes back for the headers alone: the server never waits for the 10 MB."""
    reader, writer = await asyncio.open_connection("127.0.0.1", served.port)
    head = (
        f"POST {PATH} HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
        f"{SECRET_HEADER}: {SECRET}\r\nContent-Length: {10 * 1024 * 1024}\r\n\r\n"
    )
    writer.write(head.encode())
    await writer.drain()
    async with asyncio.timeout(10):
        status_line = await reader.readline()
    writer.close()
    assert status_line.startswith(b"HTTP/1.1 413")
    assert served.rejected(Rejection.TOO_LARGE) == 1
    assert "not read" in warnings_of(caplog)[0]


async def test_a_chunked_body_over_1_mb_is_refused(served: Served) -> None:
    """Without a Content-Length the reading stops at the limit."""

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(3):
            yield b" " * 512 * 1024

    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"http://127.0.0.1:{served.port}{PATH}",
            data=chunks(),
            headers={SECRET_HEADER: SECRET},
        ) as response,
    ):
        assert response.status == 413
    assert served.rejected(Rejection.TOO_LARGE) == 1


async def test_the_answer_waits_for_the_update_to_be_stored(served: Served) -> None:
    """200 only once the update is in the inbox: a crash after it loses nothing."""
    writing, release = asyncio.Event(), asyncio.Event()
    record = served.store.inbox.record

    async def held(arrivals: list[Arrival], handled: list[int]) -> set[int]:
        if arrivals:
            writing.set()
            await release.wait()
        return await record(arrivals, handled)

    served.store.inbox.record = held  # type: ignore[method-assign]
    answer = asyncio.create_task(post(served.port, json.dumps(an_update(41)).encode()))
    await writing.wait()
    assert not answer.done()
    release.set()
    assert await answer == 200
    [row] = await served.store.inbox.unhandled()
    assert row.update_id == 41
    # Telegram's retry of the same update is accepted and not stored or queued twice.
    assert await post(served.port, json.dumps(an_update(41)).encode()) == 200
    assert await served.store.inbox.count() == 1
