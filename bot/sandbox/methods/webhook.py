"""setWebhook, deleteWebhook and getWebhookInfo: where the sandbox posts updates, and the
record of how that went. The posting itself is in `bot/sandbox/delivery.py`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.clock import Clock
from bot.sandbox.methods import Handler
from bot.sandbox.models import JSONDict, bad_request
from bot.sandbox.world import World

DEFAULT_MAX_CONNECTIONS = 40
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


@dataclass(frozen=True)
class Registration:
    """A webhook as setWebhook left it."""

    url: str
    secret_token: str | None
    max_connections: int
    allowed_updates: tuple[str, ...] | None
    ip_address: str | None
    has_custom_certificate: bool


class WebhookMethods:
    """The bot's webhook: set, deleted, described; getUpdates is refused while one is set."""

    def __init__(self, world: World, clock: Clock) -> None:
        self._world = world
        self._clock = clock
        self.registration: Registration | None = None
        self._last_error: tuple[int, str] | None = None

    def handlers(self) -> dict[str, Handler]:
        """Map this group's method names to their handlers."""
        return {
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
        }

    @property
    def active(self) -> bool:
        """Tell whether updates go to a webhook (and getUpdates must answer 409)."""
        return self.registration is not None

    async def set_webhook(self, params: JSONDict) -> bool:
        """Register the URL updates are posted to, with its secret header, and start posting.

        Unlike api.telegram.org, and like a local Bot API server, plain http:// and any port are
        accepted: the bot under test listens on 127.0.0.1.
        """
        url = params["url"]
        if url == "":
            return await self.delete_webhook(params)  # Telegram's documented way to remove it
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise bad_request("bad webhook: invalid webhook URL specified")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET.fullmatch(secret):
            raise bad_request("secret token contains unallowed characters")
        connections = params.get("max_connections", DEFAULT_MAX_CONNECTIONS)
        allowed = params.get("allowed_updates")
        if allowed is not None and not all(isinstance(kind, str) for kind in allowed):
            raise bad_request("can't parse allowed updates JSON object")
        self.registration = Registration(
            url=url,
            secret_token=secret,
            # Telegram keeps the number within 1-100 rather than refusing it.
            max_connections=min(100, max(1, connections)),
            allowed_updates=tuple(allowed) if allowed is not None else None,
            ip_address=params.get("ip_address"),
            has_custom_certificate="certificate" in params,
        )
        self._last_error = None
        if params.get("drop_pending_updates"):
            self._world.updates.drop_pending()
        self._world.updates.wake()  # the poster starts on what is already queued
        return True

    async def delete_webhook(self, params: JSONDict) -> bool:
        """Stop posting (updates wait for getUpdates again); optionally drop pending ones."""
        self.registration = None
        self._last_error = None
        if params.get("drop_pending_updates"):
            self._world.updates.drop_pending()
        self._world.updates.wake()
        return True

    async def get_webhook_info(self, params: JSONDict) -> JSONDict:
        """Describe the webhook as Telegram does: an empty url when none is set."""
        pending = len(self._world.updates.unfetched())
        found = self.registration
        if found is None:
            return {"url": "", "has_custom_certificate": False, "pending_update_count": pending}
        info: JSONDict = {
            "url": found.url,
            "has_custom_certificate": found.has_custom_certificate,
            "pending_update_count": pending,
            "max_connections": found.max_connections,
        }
        if found.allowed_updates is not None:
            info["allowed_updates"] = list(found.allowed_updates)
        if found.ip_address is not None:
            info["ip_address"] = found.ip_address
        if self._last_error is not None:
            info["last_error_date"], info["last_error_message"] = self._last_error
        return info

    def record_error(self, message: str) -> None:
        """Remember the last failed delivery for getWebhookInfo."""
        self._last_error = (int(self._clock.now().timestamp()), message)
