"""setWebhook, deleteWebhook and getWebhookInfo, and the sandbox posting updates to a webhook."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import BadRequest, Conflict

from bot.sandbox import Sandbox
from tests.sandbox.conftest import USER

SECRET = "s3cret_-token"


@dataclass
class Receiver:
    """A webhook endpoint on 127.0.0.1 that records what it is sent and answers `status`."""

    url: str = ""
    status: int = 200
    bodies: list[dict[str, object]] = field(default_factory=list)
    secrets: list[str | None] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.Response:
        """Record the request; answer with the current status."""
        self.secrets.append(request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        self.bodies.append(await request.json())
        self.arrived.set()
        return web.Response(status=self.status)

    async def wait_for(self, count: int) -> None:
        """Wait until `count` requests have arrived."""
        async with asyncio.timeout(5):
            while len(self.bodies) < count:
                self.arrived.clear()
                await self.arrived.wait()


async def delivered(sandbox: Sandbox, count: int) -> None:
    """Wait until the sandbox has recorded `count` deliveries."""
    async with asyncio.timeout(5):
        while len(sandbox.deliveries) < count:  # noqa: ASYNC110
            await asyncio.sleep(0.01)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """Run a webhook endpoint at /hook on a free port."""
    found = Receiver()
    app = web.Application()
    app.router.add_post("/hook", found.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    found.url = f"http://{host}:{port}/hook"
    yield found
    await runner.cleanup()


async def test_updates_are_posted_in_order_with_the_secret_header(
    sandbox: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    """Queued and new updates are POSTed one by one, oldest first, with the secret header."""
    first = sandbox.send_text(USER, "/start")
    assert await bot.set_webhook(receiver.url, secret_token=SECRET)
    second = sandbox.send_text(USER, "later")
    await delivered(sandbox, 2)
    assert [body["update_id"] for body in receiver.bodies] == [first, second]
    assert receiver.bodies[0]["message"]["text"] == "/start"  # type: ignore[index]
    assert receiver.secrets == [SECRET, SECRET]
    assert [(d.update_id, d.status, d.forged) for d in sandbox.deliveries] == [
        (first, 200, False),
        (second, 200, False),
    ]
    await sandbox.settle(quiet=0.05)
    assert (await bot.get_webhook_info()).pending_update_count == 0


async def test_get_updates_is_refused_while_a_webhook_is_set(
    sandbox: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    """getUpdates answers 409 Conflict while a webhook is set, and works again once deleted."""
    receiver.status = 500  # nothing gets accepted, so the update is still there afterwards
    await bot.set_webhook(receiver.url)
    update_id = sandbox.send_text(USER, "hello")
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook()
    assert [u.update_id for u in await bot.get_updates()] == [update_id]


async def test_a_refused_delivery_is_retried_and_reported(
    sandbox: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    """A 403 keeps the update queued and retried; getWebhookInfo shows the last error."""
    receiver.status = 403
    await bot.set_webhook(receiver.url, secret_token=SECRET)
    update_id = sandbox.send_text(USER, "hello")
    await receiver.wait_for(2)
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Wrong response from the webhook: 403 Forbidden"
    assert info.pending_update_count == 1
    receiver.status = 200
    async with asyncio.timeout(5):
        while not sandbox.deliveries or not sandbox.deliveries[-1].ok:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    statuses = [d.status for d in sandbox.deliveries if d.update_id == update_id]
    assert statuses[:2] == [403, 403]
    assert statuses[-1] == 200
    assert (await bot.get_webhook_info()).pending_update_count == 0


async def test_webhook_info_describes_the_registration(
    sandbox: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    """getWebhookInfo returns what setWebhook stored, and an empty url once deleted."""
    assert (await bot.get_webhook_info()).url == ""
    await bot.set_webhook(
        receiver.url, allowed_updates=["message", "callback_query"], max_connections=5
    )
    info = await bot.get_webhook_info()
    assert (info.url, info.max_connections) == (receiver.url, 5)
    assert tuple(info.allowed_updates or ()) == ("message", "callback_query")
    assert (sandbox.webhook_url, sandbox.webhook_secret) == (receiver.url, None)
    await bot.delete_webhook()
    assert ((await bot.get_webhook_info()).url, sandbox.webhook_url) == ("", "")


async def test_set_webhook_with_an_empty_url_removes_it(
    sandbox: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    """An empty url removes the webhook, as Telegram documents."""
    await bot.set_webhook(receiver.url)
    assert await bot.set_webhook("")
    assert sandbox.webhook_url == ""


async def test_set_webhook_drops_pending_updates_when_asked(
    sandbox: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    """drop_pending_updates forgets what was queued; only later updates are posted."""
    sandbox.send_text(USER, "old")
    await bot.set_webhook(receiver.url, drop_pending_updates=True)
    later = sandbox.send_text(USER, "new")
    await receiver.wait_for(1)
    assert [body["update_id"] for body in receiver.bodies] == [later]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"url": "ftp://example.org/hook"}, "invalid webhook url"),
        ({"url": "http://127.0.0.1:1/hook", "secret_token": "no spaces"}, "unallowed characters"),
        ({"url": "http://127.0.0.1:1/hook", "secret_token": "x" * 257}, "unallowed characters"),
    ],
)
async def test_set_webhook_refuses_bad_parameters(
    sandbox: Sandbox, bot: Bot, kwargs: dict[str, str], message: str
) -> None:
    """A bad URL or secret is a 400 and sets nothing."""
    with pytest.raises(BadRequest, match=f"(?i){message}"):
        await bot.set_webhook(**kwargs)
    assert sandbox.webhook_url == ""


async def test_set_webhook_parameters_are_checked_against_the_spec(
    sandbox: Sandbox, receiver: Receiver
) -> None:
    """A wrongly typed parameter is refused like in any other method."""
    url = f"{sandbox.base_url}/bot{sandbox.token}/setWebhook"
    body = {"url": receiver.url, "max_connections": "many"}
    async with aiohttp.ClientSession() as session, session.post(url, json=body) as response:
        assert response.status == 400
        assert "max_connections" in (await response.json())["description"]
    assert sandbox.webhook_url == ""


async def test_a_forged_post_carries_the_given_secret_or_none(
    sandbox: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    """forge_webhook_post sends one unqueued update with the chosen header and records it."""
    with pytest.raises(LookupError):
        await sandbox.forge_webhook_post(USER, "hi", secret=None)
    await bot.set_webhook(receiver.url, secret_token=SECRET)
    receiver.status = 403
    wrong = await sandbox.forge_webhook_post(USER, "hi", secret="wrong")
    missing = await sandbox.forge_webhook_post(USER, "hi", secret=None)
    assert receiver.secrets == ["wrong", None]
    assert [(d.status, d.forged, d.ok) for d in (wrong, missing)] == [
        (403, True, False),
        (403, True, False),
    ]
    assert sandbox.deliveries == [wrong, missing]
    assert (await bot.get_webhook_info()).pending_update_count == 0


async def test_an_unreachable_webhook_is_recorded_without_a_status(
    sandbox: Sandbox, bot: Bot
) -> None:
    """A refused connection is a delivery with no status; the update stays queued."""
    await bot.set_webhook("http://127.0.0.1:1/hook")
    sandbox.send_text(USER, "hello")
    async with asyncio.timeout(5):
        while not sandbox.deliveries:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    assert sandbox.deliveries[0].status is None
    assert (await bot.get_webhook_info()).pending_update_count == 1
