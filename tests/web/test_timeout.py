"""A page that takes too long is cut off with a fixed 503, and the listener keeps serving."""

from __future__ import annotations

import asyncio

import aiohttp

from bot.clock import FakeClock
from bot.composition import Content
from bot.core.record import Section
from bot.features.sharing import Duration, NewLink, Sharing
from bot.features.sharing.sections import Source
from bot.metrics import Metrics
from bot.store import Store
from bot.web.page import UNAVAILABLE
from bot.web.server import Limits, ShareServer
from tests.web.conftest import USER, seed_user


async def test_a_page_that_never_finishes_gets_a_503(
    store: Store, clock: FakeClock, content: Content
) -> None:
    never = asyncio.Event()

    async def stuck(source: Source) -> Section | None:
        await never.wait()
        return None

    metrics = Metrics()
    sharing = Sharing(
        store,
        clock,
        content.rules,
        content.catalogs,
        public_url="https://x.example",
        sections=(stuck,),
    )
    server = ShareServer(
        sharing,
        content.catalogs,
        clock,
        metrics,
        host="127.0.0.1",
        port=0,
        limits=Limits(request_seconds=0.2),
    )
    await seed_user(store)
    link = await sharing.create(USER, "Sam", Duration.DAY)
    assert isinstance(link, NewLink)
    url = f"http://127.0.0.1:{{port}}/s/{link.url.rsplit('/', 1)[1]}"
    await server.start()
    try:
        async with aiohttp.ClientSession() as http:
            async with http.post(url.format(port=server.port)) as response:
                assert response.status == 503
                assert await response.read() == UNAVAILABLE
                assert response.headers["Cache-Control"].startswith("no-store")
            async with http.get(url.format(port=server.port)) as response:
                assert response.status == 200
    finally:
        await server.stop()
    assert b'footcare_share_responses_total{outcome="failed"} 1.0' in metrics.exposition()
