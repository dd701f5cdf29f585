"""Fixtures for the share listener: a real server on a free port, a real SQLite file, a client."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta

import aiohttp
import pytest

from bot.clock import FakeClock
from bot.composition import Content
from bot.features.sharing import Duration, NewLink, Sharing
from bot.metrics import Metrics
from bot.store import Store, UserPatch
from bot.web.server import Limits, ShareServer

USER = 1
TODAY = date(2026, 11, 24)  # the fake clock's date in Europe/London
PUBLIC_URL = "https://share.example.org/footcare"


@dataclass
class Site:
    """The running listener and what it reads, with an HTTP client."""

    server: ShareServer
    sharing: Sharing
    store: Store
    clock: FakeClock
    metrics: Metrics
    http: aiohttp.ClientSession

    def url(self, link: NewLink | str) -> str:
        """Return where a link (or a path under PUBLIC_URL) is served on this machine."""
        path = link.url.removeprefix(PUBLIC_URL) if isinstance(link, NewLink) else link
        return f"http://127.0.0.1:{self.server.port}/footcare{path}"

    async def link(self, name: str = "Sam Smith", days: Duration = Duration.FORTNIGHT) -> NewLink:
        made = await self.sharing.create(USER, name, days)
        assert isinstance(made, NewLink)
        return made

    def openings(self) -> float:
        return self.metrics.share_openings._value.get()


async def seed_user(store: Store, *, data: bool = True) -> None:
    """A London user; with data: 20 check-ins, a warning-sign answer, an escalation, diabetes."""
    await store.users.create(USER, USER, "Sam", "en")
    await store.users.update(USER, UserPatch(timezone="Europe/London"))
    if not data:
        return
    await store.users.update(USER, UserPatch(has_diabetes=True))
    for days_ago in range(20):
        await store.diary.record_checkin(USER, TODAY - timedelta(days=days_ago), days_ago % 9)
    await store.diary.record_red_flags(USER, TODAY - timedelta(days=2), ["numbness"])
    await store.escalations.add(
        USER,
        "severe",
        "soon",
        TODAY - timedelta(days=3),
        [(TODAY - timedelta(days=3), 8)],
        reason="three high days",
    )


@pytest.fixture
def limits() -> Limits:
    """The listener's limits; a test module may override this fixture."""
    return Limits()


@pytest.fixture
def trusted_proxies() -> tuple[str, ...]:
    """Proxies whose X-Forwarded-For is believed; none unless a test says so."""
    return ()


@pytest.fixture
async def site(
    store: Store,
    clock: FakeClock,
    content: Content,
    limits: Limits,
    trusted_proxies: tuple[str, ...],
) -> AsyncIterator[Site]:
    """The listener on a free port of 127.0.0.1, over the test's database."""
    metrics = Metrics()
    sharing = Sharing(
        store,
        clock,
        content.rules,
        content.catalogs,
        public_url=PUBLIC_URL,
        on_open=metrics.share_openings.inc,
    )
    server = ShareServer(
        sharing,
        content.catalogs,
        clock,
        metrics,
        host="127.0.0.1",
        port=0,
        base="/footcare",
        trusted_proxies=[ipaddress.ip_network(p) for p in trusted_proxies],
        limits=limits,
    )
    await server.start()
    try:
        async with aiohttp.ClientSession() as http:
            yield Site(server, sharing, store, clock, metrics, http)
    finally:
        await server.stop()
