"""Webhook delivery: while a webhook is set, POST each queued update to it in order, with the
X-Telegram-Bot-Api-Secret-Token header, retrying until it is answered 2xx, as Telegram does.
Every attempt is recorded so tests can see how the bot answered (a 403, say)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from http import HTTPStatus

import aiohttp

from bot.sandbox.methods.webhook import WebhookMethods
from bot.sandbox.models import JSONDict
from bot.sandbox.updates import UpdateQueue

# A header name, not a secret.
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105


@dataclass(frozen=True)
class Delivery:
    """One POST of an update to the webhook and how it was answered."""

    update_id: int
    url: str
    status: int | None  # None: no HTTP answer at all (refused, timed out)
    error: str | None
    forged: bool  # sent by a test with a secret of its choosing, not by the sandbox's Telegram
    at: float

    @property
    def ok(self) -> bool:
        """Tell whether the webhook accepted the update."""
        return (
            self.status is not None and HTTPStatus.OK <= self.status < HTTPStatus.MULTIPLE_CHOICES
        )


class Deliverer:
    """Posts queued updates one at a time, in order, to the registered webhook."""

    def __init__(
        self,
        updates: UpdateQueue,
        webhook: WebhookMethods,
        *,
        retry_interval: float = 0.05,
        max_retry_interval: float = 1.0,
        timeout: float = 10.0,
    ) -> None:
        self.deliveries: list[Delivery] = []
        self._updates = updates
        self._webhook = webhook
        self._retry_interval = retry_interval
        self._max_retry_interval = max_retry_interval
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Begin posting whenever a webhook is set and updates are waiting."""
        self._task = asyncio.create_task(self._run(), name="sandbox-webhook")

    async def stop(self) -> None:
        """Stop posting and close the HTTP client."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def post(self, update: JSONDict, secret: str | None, *, forged: bool) -> Delivery:
        """POST one update to the webhook with `secret` in the header (None: no header)."""
        registration = self._webhook.registration
        if registration is None:
            raise LookupError("no webhook is set")
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self._timeout)
            )
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        status: int | None = None
        error: str | None = None
        try:
            async with self._session.post(
                registration.url, json=update, headers=headers
            ) as response:
                await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            error = str(exc) or type(exc).__name__
        delivery = Delivery(
            update["update_id"], registration.url, status, error, forged, time.monotonic()
        )
        self.deliveries.append(delivery)
        return delivery

    async def _run(self) -> None:
        """Deliver the oldest pending update until accepted, then the next; wait when idle."""
        failures = 0
        while True:
            changed = self._updates.changed  # taken first, so no wake-up falls between
            registration = self._webhook.registration
            update = self._updates.first_pending()
            if registration is None or update is None or self._updates.closing:
                await changed.wait()
                continue
            delivery = await self.post(update, registration.secret_token, forged=False)
            if delivery.ok:
                self._updates.confirm(delivery.update_id)
                failures = 0
                continue
            self._webhook.record_error(_describe(delivery))
            failures += 1
            delay = self._retry_interval * 2 ** min(failures - 1, 10)
            await asyncio.sleep(min(delay, self._max_retry_interval))


def _describe(delivery: Delivery) -> str:
    """Word a failed delivery as getWebhookInfo's last_error_message does."""
    if delivery.status is None:
        return delivery.error or "Connection failed"
    try:
        phrase = HTTPStatus(delivery.status).phrase
    except ValueError:
        phrase = ""
    return f"Wrong response from the webhook: {delivery.status} {phrase}".rstrip()
