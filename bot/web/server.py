"""The share listener: a small aiohttp server in the bot process that shows shared records.

`GET <base>/s/<token>` is the landing page (no data, nothing counted); `POST` to the same
address shows the record, or its PDF with `format=pdf`, and logs an opening. Every other
address, and an unknown, expired or revoked token, gets the same 404 bytes. Each response
carries the privacy headers; requests are rate-limited per client, capped in size and in
time. Nothing is logged about a request: no address, no path (it holds the token), no
content. The access log is off.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.web_exceptions import HTTPException

from bot.clock import Clock
from bot.core.i18n import Catalogs, Language, pick_language
from bot.features.sharing import Sharing
from bot.metrics import Metrics
from bot.settings import IPNetwork, Settings, SettingsError
from bot.web.limits import RateLimit, client_address
from bot.web.page import (
    CONTENT_SECURITY_POLICY,
    NOT_FOUND,
    TOO_LARGE,
    TOO_MANY,
    UNAVAILABLE,
    chart_blocks,
    landing_page,
    record_page,
)

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# Sent with every response, errors included.
PRIVACY_HEADERS = {
    "Cache-Control": "no-store, max-age=0",
    "Pragma": "no-cache",
    "Expires": "0",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow, noarchive",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "interest-cohort=(), browsing-topics=()",
    "Server": "FootCare",
}
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Limits:
    """What one client and one request may use."""

    requests_per_minute: int = 30
    body_bytes: int = 1024  # a form of three short fields
    request_seconds: float = 20.0  # reading the request and making the page or PDF
    renders: int = 2  # charts and PDFs drawn at once (matplotlib, in threads)
    clients: int = 10_000  # clients the rate limit remembers


def _fixed(status: int, body: bytes) -> web.Response:
    return web.Response(status=status, body=body, headers={"Content-Type": HTML})


def _language(request: web.Request, chosen: str | None) -> Language:
    """The form's or query's choice, else the browser's first of English and Chinese."""
    if chosen in {lang.value for lang in Language}:
        return Language(chosen)
    weighted = []
    for position, part in enumerate(request.headers.get("Accept-Language", "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        code = tag.strip().lower()
        if quality > 0 and (code.startswith(("zh", "en"))):
            weighted.append((-quality, position, code))
    return pick_language(min(weighted)[2]) if weighted else Language.EN


class ShareServer:
    """Serves the share pages on host:port under `base` until stopped (port 0: any free port)."""

    def __init__(
        self,
        sharing: Sharing,
        catalogs: Catalogs,
        clock: Clock,
        metrics: Metrics,
        *,
        host: str,
        port: int,
        base: str = "",
        trusted_proxies: Sequence[IPNetwork] = (),
        limits: Limits | None = None,
    ) -> None:
        self._sharing = sharing
        self._catalogs = catalogs
        self._metrics = metrics
        self._host = host
        self._port = port
        self._base = base.rstrip("/")
        self._trusted = tuple(trusted_proxies)
        self._limits = limits or Limits()
        self._rate = RateLimit(
            clock, limit=self._limits.requests_per_minute, clients=self._limits.clients
        )
        self._renders = asyncio.Semaphore(self._limits.renders)
        self._runner: web.AppRunner | None = None

    @property
    def port(self) -> int:
        """Return the port actually bound (useful when asked for port 0)."""
        if self._runner is None:
            raise RuntimeError("the share server is not running")
        for address in self._runner.addresses:
            return int(address[1])
        raise RuntimeError("the share server has no socket")

    async def start(self) -> None:
        """Bind and start serving."""
        app = web.Application(middlewares=[self._guard], client_max_size=self._limits.body_bytes)
        app.router.add_route("*", self._base + "/s/{token}", self._share)
        runner = web.AppRunner(
            app,
            access_log=None,  # the path holds the token
            keepalive_timeout=15,
            max_line_size=2048,
            max_field_size=4096,
            max_headers=50,
            lingering_time=2.0,
            shutdown_timeout=5.0,
        )
        await runner.setup()
        self._runner = runner
        try:
            await web.TCPSite(runner, self._host, self._port).start()
        except OSError as exc:
            await self.stop()
            where = f"{self._host}:{self._port}"
            message = f"SHARE_PORT cannot listen on {where}: {exc.strerror or exc}"
            raise SettingsError(message) from None
        log.info("Share pages served on %s:%d", self._host, self.port)

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Rate-limit, cap time, answer every failure with a fixed page, add the headers."""
        response = await self._answer(request, handler)
        response.headers.update(PRIVACY_HEADERS)
        return response

    async def _answer(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        client = client_address(
            request.remote, request.headers.getall("X-Forwarded-For", []), self._trusted
        )
        if not self._rate.allow(client):
            self._metrics.share_responses.labels("rate_limited").inc()
            response = _fixed(429, TOO_MANY)
            response.headers["Retry-After"] = "60"
            return response
        try:
            async with asyncio.timeout(self._limits.request_seconds):
                return await handler(request)
        except web.HTTPRequestEntityTooLarge:
            self._metrics.share_responses.labels("too_large").inc()
            return _fixed(413, TOO_LARGE)
        except HTTPException:
            # The router's 404 and 405 (any other address or method): the one 404.
            return self._not_found()
        except TimeoutError:
            self._metrics.share_responses.labels("failed").inc()
            log.warning("A share page took longer than %.0f s", self._limits.request_seconds)
            return _fixed(503, UNAVAILABLE)
        except Exception as exc:
            # The type only: a message or a traceback's locals could hold the token or data.
            self._metrics.share_responses.labels("failed").inc()
            log.error("A share page failed: %s", type(exc).__name__)
            return _fixed(500, UNAVAILABLE)

    def _not_found(self) -> web.Response:
        self._metrics.share_responses.labels("not_found").inc()
        return _fixed(404, NOT_FOUND)

    async def _share(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        if request.method in ("GET", "HEAD"):
            return await self._landing(request, token)
        if request.method == "POST":
            return await self._record(request, token)
        return self._not_found()

    async def _landing(self, request: web.Request, token: str) -> web.Response:
        if await self._sharing.find(token) is None:
            return self._not_found()
        t = self._catalogs[_language(request, request.query.get("lang"))]
        self._metrics.share_responses.labels("landing").inc()
        return web.Response(text=landing_page(t), content_type="text/html", charset="utf-8")

    async def _record(self, request: web.Request, token: str) -> web.Response:
        form = await request.post()
        lang, visit_field, form_format = (form.get(name) for name in ("lang", "visit", "format"))
        chosen = lang if isinstance(lang, str) else None
        visit_id = None
        if isinstance(visit_field, str) and visit_field.isdecimal() and len(visit_field) < 19:
            visit_id = int(visit_field)
        visit = await self._sharing.open(token, visit_id)
        if visit is None:
            return self._not_found()
        record = await self._sharing.record(visit.share, _language(request, chosen))
        if record is None:
            return self._not_found()
        async with self._renders:
            if form_format == "pdf":
                from bot.charts.record_pdf import render_record_pdf  # matplotlib on first use

                pdf = await asyncio.to_thread(render_record_pdf, record)
                self._metrics.share_responses.labels("pdf").inc()
                disposition = f'attachment; filename="{record.file_stem}.pdf"'
                return web.Response(
                    body=pdf,
                    headers={"Content-Type": "application/pdf", "Content-Disposition": disposition},
                )
            from bot import charts  # matplotlib on first use

            pngs = {}
            for index, chart in chart_blocks(record).items():
                pngs[index] = await asyncio.to_thread(
                    charts.render_history,
                    chart.points,
                    start=chart.start,
                    end=chart.end,
                    threshold=chart.threshold,
                    escalations=chart.marked,
                    title=chart.title,
                    t=record.t,
                )
        self._metrics.share_responses.labels("record").inc()
        html = record_page(record, visit.opening, pngs)
        return web.Response(text=html, content_type="text/html", charset="utf-8")


def share_server(
    settings: Settings,
    sharing: Sharing,
    catalogs: Catalogs,
    clock: Clock,
    metrics: Metrics,
    *,
    port: int | None = None,
) -> ShareServer:
    """Return the listener the settings describe, serving under PUBLIC_URL's path."""
    return ShareServer(
        sharing,
        catalogs,
        clock,
        metrics,
        host=settings.share_host,
        port=settings.share_port if port is None else port,
        base=urlsplit(settings.public_url).path,
        trusted_proxies=settings.share_trusted_proxies,
    )
