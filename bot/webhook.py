"""Webhook mode: the listening socket, the secret, and python-telegram-bot's webhook server.

The bot binds the socket itself, so a port in use is one line naming WEBHOOK_PORT (not a
traceback) and tests can listen on a free port whose number is known before setWebhook.
"""

from __future__ import annotations

import logging
import secrets
import socket
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Updater

from bot.settings import Settings, SettingsError

log = logging.getLogger(__name__)

# Both modes ask for the same updates: Telegram's default set, named so that a webhook or
# a poll left over from another configuration cannot narrow it.
ALLOWED_UPDATES = tuple(
    kind
    for kind in Update.ALL_TYPES
    if kind not in (Update.CHAT_MEMBER, Update.MESSAGE_REACTION, Update.MESSAGE_REACTION_COUNT)
)


def listen(host: str, port: int) -> socket.socket:
    """Bind a non-blocking listening socket on host:port (0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        sock = socket.create_server((host, port), family=family)
    except OSError as exc:
        message = f"WEBHOOK_PORT cannot listen on {host}:{port}: {exc.strerror or exc}"
        raise SettingsError(message) from None
    # The server's event loop accepts from it; a blocking accept would stall the whole bot.
    sock.setblocking(False)
    return sock


def webhook_secret(settings: Settings) -> str:
    """Return WEBHOOK_SECRET, or a fresh random one for this run when it is not set.

    setWebhook registers the secret again at every start, so a per-run secret needs no
    storage, and one that leaks stops working at the next restart.
    """
    return settings.webhook_secret.reveal() or secrets.token_urlsafe(32)


async def start_webhook(updater: Updater, url: str, secret: str, sock: socket.socket) -> None:
    """Serve updates posted to url's path on sock, then register url with setWebhook.

    Requests without the secret in X-Telegram-Bot-Api-Secret-Token get 403 from PTB and never
    reach the update queue.
    """
    try:
        # PTB calls the argument `unix`, but its server adds any listening socket as it is.
        await updater.start_webhook(
            url_path=urlsplit(url).path or "/",
            webhook_url=url,
            allowed_updates=ALLOWED_UPDATES,
            secret_token=secret,
            unix=sock,
        )
    except BadRequest as exc:
        sock.close()
        # Telegram's reason ("bad webhook: ...") says what to fix; it never holds the secret.
        raise SettingsError(f"WEBHOOK_URL was refused by the Bot API: {exc.message}") from None
    except BaseException:
        sock.close()
        raise
    host, port = sock.getsockname()[:2]
    log.info("Receiving updates by webhook on %s:%d", host, port)
