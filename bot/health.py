"""The operator's HTTP endpoint: `/healthz` for liveness checks and `/metrics` for Prometheus.

Off unless HEALTH_PORT is set. It runs on the bot's own event loop (aiohttp.web with an
AppRunner), so a loop that is stuck also stops answering health checks.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.clock import Clock
from bot.metrics import Metrics
from bot.settings import SettingsError
from bot.store import Store
from bot.telegram.status import TelegramView

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HealthSource:
    """What the endpoint reads: the store, the clock, the last dispatcher run, the metrics."""

    store: Callable[[], Store]
    clock: Clock
    last_dispatch: Callable[[], datetime | None]
    max_dispatch_age: timedelta
    metrics: Metrics
    started: datetime
    # Telegram's view of the bot's updates (getWebhookInfo, read at most once a minute).
    telegram: Callable[[], Awaitable[TelegramView]] | None = None


async def check(source: HealthSource) -> tuple[bool, dict[str, object]]:
    """Return whether the bot is healthy and a short JSON-able report saying why (not).

    Telegram's view is reported but decides nothing: a webhook error is the proxy's or
    Telegram's to fix, and restarting the bot would not fix it.
    """
    healthy, report = await _check(source)
    if source.telegram is not None:
        report["telegram"] = (await source.telegram()).report()
    return healthy, report


async def _check(source: HealthSource) -> tuple[bool, dict[str, object]]:
    now = source.clock.now()
    try:
        await source.store().ping()
    except Exception as exc:  # a closed or broken database, whatever the driver raises
        return False, {"status": "unhealthy", "reason": f"database: {type(exc).__name__}"}
    last = source.last_dispatch()
    # Before the first run, the start time stands in (the first tick comes within a second).
    age = (now - (last or source.started)).total_seconds()
    report: dict[str, object] = {"dispatcher_age_seconds": round(age, 1)}
    if age > source.max_dispatch_age.total_seconds():
        limit = source.max_dispatch_age.total_seconds()
        reason = f"dispatcher last ran {age:.0f} s ago (limit {limit:.0f} s)"
        return False, {"status": "unhealthy", "reason": reason, **report}
    return True, {"status": "ok", **report}


class HealthServer:
    """Serves /healthz and /metrics on host:port until stopped (port 0: any free port)."""

    def __init__(self, source: HealthSource, host: str, port: int) -> None:
        self._source = source
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None

    @property
    def port(self) -> int:
        """Return the port actually bound (useful when asked for port 0)."""
        if self._runner is None:
            raise RuntimeError("the health server is not running")
        for address in self._runner.addresses:
            return int(address[1])
        raise RuntimeError("the health server has no socket")

    async def start(self) -> None:
        """Bind and start serving."""
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        self._runner = runner
        try:
            await web.TCPSite(runner, self._host, self._port).start()
        except OSError as exc:
            await self.stop()
            where = f"{self._host}:{self._port}"
            message = f"HEALTH_PORT cannot listen on {where}: {exc.strerror or exc}"
            raise SettingsError(message) from None
        log.info("Health and metrics on http://%s:%d/", self._host, self.port)

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, request: web.Request) -> web.Response:
        healthy, report = await check(self._source)
        return web.Response(
            status=200 if healthy else 503,
            text=json.dumps(report),
            content_type="application/json",
        )

    async def _metrics(self, request: web.Request) -> web.Response:
        try:
            self._source.metrics.refresh_backlog(await self._source.store().outbox.backlog())
        except Exception:
            log.warning("Could not read the outbox backlog for /metrics", exc_info=True)
        if self._source.telegram is not None:
            await self._source.telegram()  # sets the telegram gauges when it reads
        body = self._source.metrics.exposition()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
