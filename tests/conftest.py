"""Shared fixtures: a local Bot API sandbox, a fake clock and the real bot wired to both."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from functools import partialmethod
from pathlib import Path

import pytest

# python-telegram-bot warns when retry_after is read as an int; the bot opts in to timedelta
# (as `python -m bot` does) and warnings are errors in this suite.
os.environ["PTB_TIMEDELTA"] = "true"

from bot.clock import Clock, FakeClock
from bot.composition import Content, load_content
from bot.content.catalogs import packaged_catalogs
from bot.core import i18n
from bot.delivery.sender import SenderOptions
from bot.delivery.timer import DispatchTimer
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.settings import Secret, Settings
from bot.store import Store
from bot.webhook import listen
from tests.e2e.chat import serve

# A Tuesday morning in late November, so Europe is on winter time and Sydney on summer time.
START = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
HOUR = 3600  # the test bots' dispatch interval: they tick when the test says
FAST_SENDER = SenderOptions(workers=8, backoff_base=0.01, per_chat_interval=0.02, idle_poll=0.05)
POLLING, WEBHOOK = "polling", "webhook"
E2E = Path(__file__).parent / "e2e"


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers that choose an end-to-end test's update modes."""
    config.addinivalue_line(
        "markers",
        "webhook_too: an end-to-end test that also runs with updates posted to a webhook, "
        "because what it covers arrives there by another path (kinds of update, restarts)",
    )
    config.addinivalue_line(
        "markers", "polling_only: the default for end-to-end tests; kept so older tests read"
    )
    config.addinivalue_line(
        "markers",
        "slow: takes ten seconds or more alone; started first, so that in parallel runs it "
        "does not start last and keep one worker busy after the others are done",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the tests marked slow first, keeping the order otherwise (a stable sort)."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each end-to-end test that starts the bot once, with long polling.

    Both modes hand the same updates to the same handlers, so one pass per behaviour covers
    it; webhook mode runs only what differs there: tests/e2e/test_webhook.py (a module may set
    `UPDATE_MODES = (...)`) and the tests marked `webhook_too`, one per kind of update.
    """
    if "update_mode" in metafunc.fixturenames and metafunc.definition.path.is_relative_to(E2E):
        modes = getattr(metafunc.module, "UPDATE_MODES", (POLLING,))
        if metafunc.definition.get_closest_marker("webhook_too") is not None:
            modes = (POLLING, WEBHOOK)
        metafunc.parametrize("update_mode", modes, indirect=True)


@pytest.fixture(scope="session", autouse=True)
def msgids_in_the_catalogue() -> Iterator[None]:
    """Fail on any msgid asked for at run time that the catalogue lacks, in every language.

    The bot falls back to the English msgid; here that would hide a sentence that never
    reached the catalogue (an f-string, a string built at run time) from every English test.
    """
    i18n.check_msgids(packaged_catalogs()[i18n.Language.ZH].messages.keys())
    yield
    i18n.check_msgids(None)


@pytest.fixture
def any_msgid() -> Iterator[None]:
    """Let a test ask for msgids outside the catalogue, as the bot in production may."""
    i18n.check_msgids(None)
    yield
    i18n.check_msgids(packaged_catalogs()[i18n.Language.ZH].messages.keys())


@pytest.fixture
def quiet_gc() -> Iterator[None]:
    """Keep the garbage collector from pausing the event loop during a timing measurement.

    The sandbox timestamps requests in the same process as the bot, so a collection pause
    between a send and its timestamp squeezes the measured gaps; late in a long suite such
    pauses reach tens of milliseconds. This isolates the instrument, not the limiter.
    """
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.fixture
def own_ticks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold the periodic dispatcher run of bots started here to its interval (an hour).

    Tests move the fake clock and call tick() themselves. The periodic run otherwise starts
    0.5 s after start, which on a busy machine lands in the middle of a test and races its
    own tick: a daily message planned by the wrong run, a storage warning logged twice.
    """
    monkeypatch.setattr(DispatchTimer, "start", partialmethod(DispatchTimer.start, first=HOUR))


@pytest.fixture
def clock() -> FakeClock:
    """A clock that only moves when a test says so."""
    return FakeClock(START)


@pytest.fixture
async def store(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Store]:
    """A migrated database in a temp dir, without a bot."""
    opened = await Store.open(tmp_path / "footcare.db", clock)
    yield opened
    await opened.close()


@pytest.fixture(scope="session")
def content() -> Content:
    """The shipped tips and escalation rules, loaded once."""
    return load_content(Settings())


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    """A running local Bot API server; at the end, no call may have been a 400."""
    async with Sandbox() as server:
        yield server
    # Whatever a test injected (403, 429, 5xx), the bot itself must never send a request that
    # Telegram would refuse as malformed.
    refused = [(c.method, c.description) for c in server.calls if c.status == 400]
    assert refused == [], refused


def bot_settings(sandbox: Sandbox, tmp_path: Path, **overrides: object) -> Settings:
    """Settings pointing the bot at the sandbox and a fresh database file."""
    values: dict[str, object] = {
        "bot_token": Secret(sandbox.token),
        "telegram_api_url": sandbox.base_url,
        "database_path": tmp_path / "footcare.db",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


BotFactory = Callable[..., Awaitable[Runtime]]


@pytest.fixture
def update_mode(request: pytest.FixtureRequest) -> str:
    """How the bot gets updates: long polling, unless parametrised (tests/e2e runs both)."""
    return str(getattr(request, "param", POLLING))


@pytest.fixture
async def make_bot(
    sandbox: Sandbox,
    tmp_path: Path,
    clock: FakeClock,
    content: Content,
    update_mode: str,
    own_ticks: None,
) -> AsyncIterator[BotFactory]:
    """Start the real bot against the sandbox; every bot started is stopped at the end.

    In webhook mode the bot listens on a free port of 127.0.0.1 and the sandbox posts updates
    to it; `mode=` picks the mode for one start.
    """
    started: list[Runtime] = []

    async def start(
        *,
        sender: SenderOptions = FAST_SENDER,
        content_: Content | None = None,
        clock_: Clock | None = None,
        health: bool = False,
        share: bool = False,
        wake_at_due: bool = False,
        mode: str | None = None,
        **overrides: object,
    ) -> Runtime:
        sock = None
        if (mode or update_mode) == WEBHOOK:
            sock = listen("127.0.0.1", 0)
            port = sock.getsockname()[1]
            overrides.setdefault("webhook_url", f"http://127.0.0.1:{port}/telegram")
        settings = bot_settings(sandbox, tmp_path, **overrides)
        base = content_ or content
        rules = base.rules.with_overrides(
            settings.escalation_pain_threshold, settings.escalation_days
        )
        runtime = Runtime(
            settings,
            clock_ or clock,
            content=Content(base.tips, rules, base.countries),
            sender_options=sender,
            poll_timeout=1,
            dispatch_interval=HOUR,  # tests call tick() themselves after moving the clock
            wake_at_due=wake_at_due,
            health_port=0 if health else None,  # a free port, read back from bot.health.port
            share_port=0 if share else None,  # the same, from bot.share.port
            webhook_socket=sock,
        )
        try:
            await runtime.start()
        except BaseException:
            if sock is not None:
                sock.close()  # a failed start must not leave it open (closing twice is harmless)
            raise
        started.append(runtime)
        serve(sandbox, runtime)
        return runtime

    yield start
    for runtime in reversed(started):
        await runtime.stop()


@pytest.fixture
async def bot(make_bot: BotFactory) -> Runtime:
    """The bot with default settings."""
    return await make_bot()
