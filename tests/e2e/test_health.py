"""The operator's endpoint end to end: /healthz against the running bot and /metrics after a
broadcast, on a free port. Labels must never carry a user id."""

from __future__ import annotations

import json
from datetime import timedelta

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.clock import FakeClock
from bot.core.escalation import RuleId
from bot.core.outbox import MessageKind
from bot.health import HealthServer, HealthSource
from bot.metrics import INBOX_OUTCOMES, SHARE_OUTCOMES, Metrics
from bot.runtime import HEALTHY_TICKS, Runtime
from bot.sandbox import Sandbox
from bot.settings import SettingsError
from bot.store import Store
from bot.webhook import Rejection
from tests.conftest import HOUR, BotFactory
from tests.e2e.chat import Chat, send_broadcast
from tests.e2e.test_broadcast import ADMIN, SUBSCRIBERS, finish, seed
from tests.e2e.test_escalation import USER, _answer_daily


async def get(port: int, path: str) -> tuple[int, str]:
    """GET a path from the endpoint on localhost; return the status and the body."""
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}{path}") as response,
    ):
        return response.status, await response.text()


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Parse a scrape into {(sample name, sorted labels): value}."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def _bucket_bounds(values: dict[tuple[str, tuple[tuple[str, str], ...]], float]) -> set[str]:
    return {
        v for (name, pairs) in values if name.endswith("_bucket") for k, v in pairs if k == "le"
    }


@pytest.mark.webhook_too  # the health server beside the webhook server
async def test_healthz_is_ok_with_a_running_bot(make_bot: BotFactory) -> None:
    """A started bot whose dispatcher has just run answers 200 with a short JSON report."""
    bot = await make_bot(health=True)
    await bot.tick()
    status, body = await get(bot.health.port, "/healthz")
    assert status == 200
    telegram = {"pending_updates": 0, "last_error": None, "last_error_at": None}
    assert json.loads(body) == {
        "status": "ok",
        "dispatcher_age_seconds": 0.0,
        "telegram": telegram,
    }


async def test_telegrams_view_is_read_at_most_once_a_minute(
    make_bot: BotFactory, sandbox: Sandbox, clock: FakeClock
) -> None:
    """Scrapes of /healthz and /metrics share one getWebhookInfo a minute; the gauges show it."""
    bot = await make_bot(health=True)
    await bot.tick()
    for path in ("/healthz", "/metrics", "/healthz"):
        assert (await get(bot.health.port, path))[0] == 200
    assert len(sandbox.calls_to("getWebhookInfo")) == 1
    clock.advance(timedelta(seconds=61))
    await bot.tick()
    status, text = await get(bot.health.port, "/metrics")
    assert status == 200
    assert len(sandbox.calls_to("getWebhookInfo")) == 2
    values = samples(text)
    assert values[("footcare_telegram_pending_updates", ())] == 0
    assert values[("footcare_telegram_webhook_last_error_timestamp_seconds", ())] == 0


async def test_healthz_fails_when_the_dispatcher_stops_running(
    make_bot: BotFactory, clock: FakeClock
) -> None:
    """Past HEALTHY_TICKS dispatch intervals without a run, /healthz says 503 and why."""
    bot = await make_bot(health=True)
    await bot.tick()
    interval = HOUR  # the test bots' dispatch interval
    clock.advance(timedelta(seconds=HEALTHY_TICKS * interval - 1))
    assert (await get(bot.health.port, "/healthz"))[0] == 200
    clock.advance(timedelta(seconds=2))
    status, body = await get(bot.health.port, "/healthz")
    assert status == 503
    report = json.loads(body)
    assert report["status"] == "unhealthy"
    assert report["reason"].startswith("dispatcher last ran 10801 s ago")
    await bot.tick()  # a run brings it back
    assert (await get(bot.health.port, "/healthz"))[0] == 200


async def test_healthz_fails_when_the_database_does_not_answer(
    store: Store, clock: FakeClock
) -> None:
    """A closed store makes /healthz answer 503 naming the database, not crash."""
    source = HealthSource(
        store=lambda: store,
        clock=clock,
        last_dispatch=clock.now,
        max_dispatch_age=timedelta(seconds=90),
        metrics=Metrics(),
        started=clock.now(),
    )
    server = HealthServer(source, "127.0.0.1", 0)
    await server.start()
    try:
        assert (await get(server.port, "/healthz"))[0] == 200
        await store.close()
        status, body = await get(server.port, "/healthz")
        assert status == 503
        assert json.loads(body)["reason"].startswith("database:")
        # /metrics still answers without the backlog rather than failing the scrape.
        assert (await get(server.port, "/metrics"))[0] == 200
    finally:
        await server.stop()


async def test_metrics_after_a_broadcast(make_bot: BotFactory, sandbox: Sandbox) -> None:
    """After a broadcast to three subscribers: three broadcasts sent, an empty backlog, and no
    user id anywhere in a label."""
    bot = await make_bot(admin_ids=frozenset({ADMIN}), health=True)
    await seed(bot, sandbox, SUBSCRIBERS)
    admin = Chat(sandbox, ADMIN)
    await admin.say("/broadcast Hello all")
    await admin.tap(send_broadcast)
    await finish(bot)
    status, text = await get(bot.health.port, "/metrics")
    assert status == 200
    values = samples(text)
    sent = {k: v for (name, k), v in values.items() if name == "footcare_messages_sent_total"}
    assert sent[(("kind", MessageKind.BROADCAST.value),)] == len(SUBSCRIBERS)
    assert sum(sent.values()) == len(SUBSCRIBERS)
    backlog = {k: v for (name, k), v in values.items() if name == "footcare_outbox_backlog"}
    assert len(backlog) == len(MessageKind)
    assert set(backlog.values()) == {0.0}
    # Update handling was timed (the admin's command and button press at least).
    assert values[("footcare_update_handling_seconds_count", ())] >= 2
    ids = {str(uid) for uid in [ADMIN, *SUBSCRIBERS]}
    labels = {value for (_, pairs) in values for _, value in pairs}
    assert not labels & ids
    # Label values: kinds, rule names, inbox and share page outcomes, webhook rejection reasons.
    fixed = (
        {k.value for k in MessageKind}
        | set(INBOX_OUTCOMES)
        | set(SHARE_OUTCOMES)
        | {r.value for r in Rejection}
    )
    assert labels <= fixed | _bucket_bounds(values)
    stored = values[("footcare_inbox_updates_total", (("outcome", "stored"),))]
    assert stored >= 2


async def test_metrics_observe_dispatch_lateness(
    make_bot: BotFactory, sandbox: Sandbox, clock: FakeClock
) -> None:
    """A due user's daily messages observe the dispatch lateness and the last-run time."""
    bot: Runtime = await make_bot()
    await seed(bot, sandbox, [3001])
    await bot.tick()
    await finish(bot)
    registry = bot.metrics.registry
    lateness = registry.get_sample_value("footcare_dispatch_lateness_seconds_count")
    assert lateness is not None
    assert lateness >= 0
    assert registry.get_sample_value("footcare_dispatcher_last_run_timestamp_seconds") == (
        clock.now().timestamp()
    )


async def test_metrics_count_checkins_and_escalations_by_rule(
    make_bot: BotFactory, sandbox: Sandbox, clock: FakeClock
) -> None:
    """A check-in answer counts once; an escalation counts under its rule's name only."""
    bot = await make_bot(escalation_days=1)
    chat = Chat(sandbox, USER)
    await chat.onboard()
    texts = await _answer_daily(bot, chat, clock, 9)
    assert any("doctor" in t.lower() for t in texts)
    registry = bot.metrics.registry
    assert registry.get_sample_value("footcare_checkins_answered_total") == 1
    fired = {
        s.labels["rule"]: s.value
        for family in registry.collect()
        if family.name == "footcare_escalations"
        for s in family.samples
        if s.name == "footcare_escalations_total"
    }
    assert fired
    assert set(fired) <= {rule.value for rule in RuleId}
    assert all(value == 1 for value in fired.values())


async def test_metrics_count_429s_and_blocked_users(make_bot: BotFactory, sandbox: Sandbox) -> None:
    """A 429 on a broadcast counts once; a subscriber who blocked the bot counts as blocked."""
    bot = await make_bot(admin_ids=frozenset({ADMIN}))
    await seed(bot, sandbox, SUBSCRIBERS)
    sandbox.block(SUBSCRIBERS[0])
    admin = Chat(sandbox, ADMIN)
    await admin.say("/broadcast Hello all")
    sandbox.inject_failure("sendMessage", 429, retry_after=1)
    await admin.tap(send_broadcast)
    await finish(bot)
    registry = bot.metrics.registry
    kind = {"kind": MessageKind.BROADCAST.value}
    assert registry.get_sample_value("footcare_telegram_429_total") == 1
    assert registry.get_sample_value("footcare_messages_blocked_total", kind) == 1
    assert registry.get_sample_value("footcare_messages_sent_total", kind) == 2


async def test_a_port_in_use_is_one_line_naming_health_port(store: Store, clock: FakeClock) -> None:
    """A second server on a taken port fails with a SettingsError naming HEALTH_PORT."""
    source = HealthSource(
        store=lambda: store,
        clock=clock,
        last_dispatch=clock.now,
        max_dispatch_age=timedelta(seconds=90),
        metrics=Metrics(),
        started=clock.now(),
    )
    first = HealthServer(source, "127.0.0.1", 0)
    await first.start()
    try:
        second = HealthServer(source, "127.0.0.1", first.port)
        with pytest.raises(SettingsError, match=r"^HEALTH_PORT cannot listen on 127\.0\.0\.1:"):
            await second.start()
    finally:
        await first.stop()
