"""Webhook mode: the listening socket, the secret, and the server Telegram posts updates to.

The server replaces python-telegram-bot's (`Updater.start_webhook`, tornado) and feeds the
same place, `Application.update_queue`, through the inbox. PTB's server reads a body of up to
100 MB before it looks at the secret, answers 200 once an update is only in memory, logs a
wrong or missing secret at DEBUG alone, and logs a body that is not an update at CRITICAL,
whole; none of that is configurable (tests/test_webhook.py shows each). This one refuses a
request on its path, method, secret and declared size before reading the body, reads at most
1 MB, answers 200 only once the update is stored, and says why it refused each request: one
WARNING per reason a minute at most, with the client's address, never the body, and a
count per reason on /metrics.

The bot binds the socket itself, so a port in use is one line naming WEBHOOK_PORT (not a
traceback) and tests can listen on a free port whose number is known before setWebhook.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import socket
from collections import Counter
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Bot, Update
from telegram.error import BadRequest

from bot.clock import Clock
from bot.metrics import Metrics
from bot.settings import Settings, SettingsError
from bot.telegram.inbox import UpdateInbox

log = logging.getLogger(__name__)

# Both modes ask for the same updates: Telegram's default set, named so that a webhook or
# a poll left over from another configuration cannot narrow it.
ALLOWED_UPDATES = tuple(
    kind
    for kind in Update.ALL_TYPES
    if kind not in (Update.CHAT_MEMBER, Update.MESSAGE_REACTION, Update.MESSAGE_REACTION_COUNT)
)
# A header name, not a secret.
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105
# An update is a few kB; Telegram's largest (a long message with entities) stays far below.
MAX_BODY = 1024 * 1024
MAX_CONNECTIONS = 40  # Telegram's default for simultaneous deliveries
LOG_EVERY = timedelta(minutes=1)  # one WARNING per rejection reason at most this often
STOP_GRACE = 5.0  # seconds a request being answered gets at stop
# Fixed, so the secret derived from a token is the same at every start.
_DERIVATION = b"footcare webhook secret-token v1"


class Rejection(StrEnum):
    """Why a request to the webhook was refused (the label on /metrics)."""

    WRONG_PATH = "wrong_path"
    WRONG_METHOD = "wrong_method"
    NO_SECRET = "no_secret"  # noqa: S105 (a label, not a secret)
    WRONG_SECRET = "wrong_secret"  # noqa: S105
    TOO_LARGE = "too_large"
    NOT_JSON = "not_json"


_STATUS = {
    Rejection.WRONG_PATH: 404,
    Rejection.WRONG_METHOD: 405,
    Rejection.NO_SECRET: 403,
    Rejection.WRONG_SECRET: 403,
    Rejection.TOO_LARGE: 413,
    Rejection.NOT_JSON: 400,
}
_WHY = {
    Rejection.WRONG_PATH: "not the webhook's path",
    Rejection.WRONG_METHOD: "not a POST",
    Rejection.NO_SECRET: f"no {SECRET_HEADER} header (a proxy that drops it?)",
    Rejection.WRONG_SECRET: "wrong secret token",
    Rejection.TOO_LARGE: f"body over {MAX_BODY // 1024 // 1024} MB, not read",
    Rejection.NOT_JSON: "body is not a JSON update (not logged)",
}


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
    """Return WEBHOOK_SECRET, or else one derived from the token (HMAC-SHA256).

    Derived, not random: a restart with the same settings registers the same secret, so an
    update Telegram retries with it (sent before the new setWebhook, or while the bot was
    down) is accepted. Nothing to store, and a new token gives a new secret.
    """
    configured = settings.webhook_secret.reveal()
    if configured:
        return configured
    token = settings.bot_token.reveal().encode()
    return hmac.new(token, _DERIVATION, hashlib.sha256).hexdigest()


def client_of(request: web.Request) -> str:
    """Name the client: its address, and the address a proxy says it forwards for."""
    peer = request.remote or "unknown"
    forwarded = request.headers.get("X-Forwarded-For", "").split(",")[0].strip()
    try:
        # Only an address is shown: the header is the client's to write.
        return f"{peer} (for {ipaddress.ip_address(forwarded)})"
    except ValueError:
        return peer


class RejectionLog:
    """Logs refused requests: the first of each reason at once, then at most once a minute."""

    def __init__(self, clock: Clock, metrics: Metrics) -> None:
        self._clock = clock
        self._metrics = metrics
        self._last: dict[Rejection, datetime] = {}
        self._since: Counter[Rejection] = Counter()
        metrics.rejection_reasons(r.value for r in Rejection)

    def refused(self, reason: Rejection, client: str, detail: str = "") -> None:
        """Count a refused request and log it unless this reason was logged within a minute."""
        self._metrics.webhook_rejected.labels(reason.value).inc()
        now = self._clock.now()
        last = self._last.get(reason)
        if last is not None and now - last < LOG_EVERY:
            self._since[reason] += 1
            return
        more = self._since.pop(reason, 0)
        self._last[reason] = now
        log.warning(
            "Webhook request refused with %d: %s%s, from %s%s",
            _STATUS[reason],
            _WHY[reason],
            detail,
            client,
            f" ({more} more since the last such line)" if more else "",
        )


class WebhookServer:
    """Serves the webhook on a bound socket: stores each update, then answers 200."""

    def __init__(
        self,
        sock: socket.socket,
        url: str,
        secret: str,
        bot: Bot,
        inbox: UpdateInbox,
        rejections: RejectionLog,
    ) -> None:
        self._sock = sock
        self._path = urlsplit(url).path or "/"
        self._secret = secret.encode()
        self._bot = bot
        self._inbox = inbox
        self._rejections = rejections
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Begin answering on the socket."""
        # client_max_size bounds a body sent without Content-Length (chunked) as it is read.
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=STOP_GRACE
        )
        await runner.setup()
        self._runner = runner
        await web.SockSite(runner, self._sock).start()
        host, port = self._sock.getsockname()[:2]
        log.info("Receiving updates by webhook on %s:%d", host, port)

    async def stop(self) -> None:
        """Stop answering; requests under way get STOP_GRACE seconds."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self._sock.close()

    async def _handle(self, request: web.Request) -> web.Response:
        """Check a request before its body is read, then store its update and answer 200."""
        if request.path.rstrip("/") != self._path.rstrip("/"):
            return self._refuse(request, Rejection.WRONG_PATH, f" ({request.path[:80]!r})")
        if request.method != "POST":
            return self._refuse(request, Rejection.WRONG_METHOD)
        token = request.headers.get(SECRET_HEADER)
        if token is None:
            return self._refuse(request, Rejection.NO_SECRET)
        if not hmac.compare_digest(token.encode(), self._secret):
            return self._refuse(request, Rejection.WRONG_SECRET)
        if request.content_length is not None and request.content_length > MAX_BODY:
            return self._refuse(request, Rejection.TOO_LARGE)
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return self._refuse(request, Rejection.TOO_LARGE)
        update = self._decode(body)
        if update is None:
            return self._refuse(request, Rejection.NOT_JSON)
        try:
            await self._inbox.receive([update], [body.decode()])
        except Exception:  # logged by the inbox; Telegram sends the update again
            return web.Response(status=500)
        return web.Response(status=200)

    def _decode(self, body: bytes) -> Update | None:
        """Read an update; None for anything else. Whatever it is, it never reaches a log."""
        try:
            data = json.loads(body)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                return None
            return Update.de_json(data, self._bot)
        except Exception:  # malformed JSON or a field PTB cannot read: the same refusal
            return None

    def _refuse(self, request: web.Request, reason: Rejection, detail: str = "") -> web.Response:
        self._rejections.refused(reason, client_of(request), detail)
        response = web.Response(status=_STATUS[reason])
        if reason is Rejection.TOO_LARGE:
            # Close rather than read and discard the rest of the body to keep the connection.
            response.force_close()
        return response


async def register(bot: Bot, url: str, secret: str) -> None:
    """Tell Telegram to post updates to url with the secret (setWebhook).

    Called once the server listens, so a delivery Telegram tries at once finds it.
    """
    try:
        await bot.set_webhook(
            url,
            allowed_updates=ALLOWED_UPDATES,
            secret_token=secret,
            max_connections=MAX_CONNECTIONS,
        )
    except BadRequest as exc:
        # Telegram's reason ("bad webhook: ...") says what to fix; it never holds the secret.
        raise SettingsError(f"WEBHOOK_URL was refused by the Bot API: {exc.message}") from None
