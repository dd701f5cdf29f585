"""Issue 14, item 3: fuzzed and garbage updates through the sandbox to the real running bot
leave no unhandled error, and forged button data changes nothing in the database."""

from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from bot.core import texts
from bot.core.i18n import ENGLISH as EN
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from tests.conftest import START, BotFactory
from tests.e2e.chat import Chat
from tests.telegram.updates_strategy import (
    MEDIA,
    Cast,
    Injection,
    Press,
    RawUpdate,
    injections,
    private_chat,
    text_message,
    user_json,
)

FUZZ_EXAMPLES = 2000
ONBOARDED = {610001: "Europe/London", 610002: "Australia/Sydney", 610003: "America/New_York"}
NEWCOMER = 610004  # known to Telegram, never sent /start
HANDLED = "footcare_update_handling_seconds_count"


class Problems(logging.Handler):
    """Collects every ERROR record (the error handler logs one) and every traceback.

    Warnings are allowed: a non-admin trying /broadcast is one, on purpose.
    """

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record if it is a problem."""
        if record.levelno >= logging.ERROR or record.exc_info:
            self.records.append(record)

    def since(self, start: int) -> list[str]:
        """Describe the problems recorded after the first `start`."""
        return [f"{r.levelname} {r.name}: {r.getMessage()}" for r in self.records[start:]]


@pytest.fixture
def problems() -> Iterator[Problems]:
    """Record problems logged anywhere while the test runs."""
    handler = Problems()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


def snapshot(database: Path) -> dict[str, list[str]]:
    """Return every row of every table but the inbox, in a stable order.

    The inbox keeps every update it was given (bot/store/inbox.py), forged or not: that is
    how the bot recognises a repeat. It holds no state a user could change.
    """
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        tables = [
            row[0]
            for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            if row[0] != "inbox"
        ]
        # Table names come from sqlite_master, not from input.
        return {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"'))) for t in tables}  # noqa: S608


def changes(
    before: dict[str, list[str]], after: dict[str, list[str]]
) -> dict[str, tuple[list[str], list[str]]]:
    """Return, for each table that changed, the rows that went and the rows that came."""
    diff = {}
    for table in sorted(before.keys() | after.keys()):
        old, new = before.get(table, []), after.get(table, [])
        if old != new:
            diff[table] = ([r for r in old if r not in new], [r for r in new if r not in old])
    return diff


def handled(bot: Runtime) -> float:
    """Return how many updates the bot has finished handling."""
    return bot.metrics.registry.get_sample_value(HANDLED) or 0.0


class Feeder:
    """Delivers injections to the bot one at a time and waits until each is handled."""

    def __init__(self, sandbox: Sandbox, bot: Runtime) -> None:
        self.sandbox = sandbox
        self.bot = bot
        self.kinds: Counter[str] = Counter()

    async def deliver(self, injection: Injection) -> list[str]:
        """Deliver one; return the bad requests (400) the bot made while handling it."""
        calls = len(self.sandbox.calls)
        target = handled(self.bot) + 1
        match injection:
            case RawUpdate(update={"callback_query": query}):
                # Telegram never repeats a query id; the drawn one may be anything.
                self.sandbox.push_update({"callback_query": {**query, "id": f"q{target:.0f}"}})
            case RawUpdate(update=update):
                self.sandbox.push_update(update)
            case Press(user_id=user_id, data=data):
                self.sandbox.forge_callback(user_id, data)
        self.kinds[injection.kind] += 1
        deadline = time.monotonic() + 30
        while handled(self.bot) < target:
            assert time.monotonic() < deadline, f"{injection.kind} was never handled"
            await asyncio.sleep(0.002)
        return [
            f"{c.method}: {c.description}" for c in self.sandbox.calls[calls:] if c.status == 400
        ]


async def onboard_cast(sandbox: Sandbox, username: str) -> Cast:
    """Onboard three users in different zones; a fourth only asked for /help."""
    for user_id, zone in ONBOARDED.items():
        await Chat(sandbox, user_id).onboard(zone=zone)
    await Chat(sandbox, NEWCOMER).say("/help")
    return Cast((*ONBOARDED, NEWCOMER), username, START.date())


@pytest.mark.slow
async def test_fuzzed_updates_leave_no_unhandled_error(
    make_bot: BotFactory, sandbox: Sandbox, tmp_path: Path, problems: Problems
) -> None:
    """2,000 generated updates, valid and odd: no ERROR (so the error handler never ran) and no
    traceback in the log, no malformed request, and forged button data leaves every table as
    it was."""
    bot = await make_bot(send_rate_limit=30.0)
    cast = await onboard_cast(sandbox, sandbox.bot_username)
    feeder = Feeder(sandbox, bot)
    database = tmp_path / "footcare.db"
    loop = asyncio.get_running_loop()
    assert problems.since(0) == []

    # Hypothesis drives from a worker thread; the bot and the sandbox keep this loop.
    @settings(
        max_examples=FUZZ_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(injection=injections(cast))
    def feed(injection: Injection) -> None:
        before = snapshot(database) if isinstance(injection, Press) and injection.forged else None
        seen = len(problems.records)
        delivery = asyncio.run_coroutine_threadsafe(feeder.deliver(injection), loop)
        refused = delivery.result(timeout=60)
        assert problems.since(seen) == [], injection
        assert refused == [], injection
        if before is not None:
            changed = changes(before, snapshot(database))
            assert not changed, f"{injection} changed {changed}"

    await asyncio.to_thread(feed)
    print(sorted(feeder.kinds.items()))  # the mix, shown with pytest -s
    assert sum(feeder.kinds.values()) >= FUZZ_EXAMPLES
    # The odd kinds the issue lists all came up, often.
    for kind in (
        "private text",
        "edited message",
        "group message",
        "supergroup message",
        "channel post",
        "inline query",
        "media",
        "forward",
        "forged callback",
        "genuine callback",
    ):
        assert feeder.kinds[kind] >= 20, (kind, feeder.kinds)
    assert feeder.kinds["forged callback"] >= 200
    spec_kinds = {kind for kind in feeder.kinds if kind.startswith("spec ")}
    assert len(spec_kinds) >= 15, spec_kinds  # most update types of the table came up


# ----- the garbage stream of issue 14 -------------------------------------------------------

BLOCKER = 610005  # onboarded, then blocks the bot
FORGED = (
    "ci:2026-11-24:11",
    "ci:2026-11-24:-1",
    "ci:2026-11-27:5",  # another zone's date, days ahead
    "rf:2026-11-20:fever",
    "xx:1",
    "bc:send:1",
    "set:weekday:9",
    "time:25:99",
)
JUNK_TEXTS = ("", "שלום 🦶", "/start@FootCareSandboxBot", "/help@OtherBot", "7", "x" * 4096)


def garbage(rng: random.Random, index: int, user_id: int) -> Injection:
    """Return the index-th update of the stream: a different odd kind each time, in a cycle."""
    when = int(START.timestamp())
    message_id = 10_000 + index
    text = JUNK_TEXTS[index % len(JUNK_TEXTS)]
    group = {"id": -(10**12) - index, "type": ("group", "supergroup")[index % 2], "title": "G"}
    channel = {"id": -(10**13) - index, "type": "channel", "title": "C"}
    match index % 9:
        case 0:
            edited = {**text_message(user_id, message_id, when, text), "edit_date": when + 60}
            return RawUpdate("edited message", {"edited_message": edited})
        case 1:
            post = {"message_id": message_id, "sender_chat": channel, "chat": channel,
                    "date": when, "text": text}  # fmt: skip
            return RawUpdate("channel post", {"channel_post": post})
        case 2:
            message = {**text_message(user_id, message_id, when, text), "chat": group}
            return RawUpdate("group message", {"message": message})
        case 3:
            return Press("forged callback", user_id, FORGED[index % len(FORGED)], forged=True)
        case 4:
            junk = bytes(rng.randrange(256) for _ in range(64)).decode("latin-1")
            data = junk.encode("utf-8")[:64].decode("utf-8", "ignore")
            return Press("junk callback", user_id, data, forged=True)
        case 5:
            kind = sorted(MEDIA)[index % len(MEDIA)]
            media = {"message_id": message_id, "from": user_json(user_id),
                     "chat": private_chat(user_id), "date": when, **MEDIA[kind]}  # fmt: skip
            return RawUpdate("media", {"message": media})
        case 6:
            origin = {"type": "hidden_user", "date": when - 3600, "sender_user_name": "Someone"}
            forward = {**text_message(user_id, message_id, when, text), "forward_origin": origin}
            return RawUpdate("forward", {"message": forward})
        case 7:
            edited = {**text_message(BLOCKER, message_id, when, "8"), "edit_date": when + 1}
            return RawUpdate("blocked user's edit", {"edited_message": edited})
        case _:
            return Press("blocked user's press", BLOCKER, FORGED[index % len(FORGED)], forged=True)


async def test_garbage_stream_leaves_no_traceback_and_the_bot_answers(
    make_bot: BotFactory, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 14's 300 odd updates in one burst (edited messages, channel posts, group messages,
    forged data, a user who blocked the bot, media, forwards): no error or traceback in the
    log at INFO, each refused reply marks the blocker blocked, and the bot still answers /help."""
    caplog.set_level(logging.INFO)
    bot = await make_bot(send_rate_limit=30.0)
    cast = await onboard_cast(sandbox, sandbox.bot_username)
    await Chat(sandbox, BLOCKER).onboard()
    sandbox.block(BLOCKER)
    feeder = Feeder(sandbox, bot)
    rng = random.Random(14)
    refused = []
    # One at a time, as Telegram delivers one chat's updates: each press then carries its
    # message as it is now (two presses in flight on one message may rightly get "message is
    # not modified", which the bot handles, but the sandbox fixture counts every 400).
    for index in range(300):
        refused += await feeder.deliver(garbage(rng, index, cast.users[index % len(cast.users)]))
    assert refused == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert [r for r in caplog.records if r.exc_info] == []
    assert "Traceback" not in caplog.text
    assert 'File "' not in caplog.text  # a stack, even one logged without the word
    # Every reply the blocker refused marked them blocked (a later update from them, even a
    # button press, reactivates them: bot/telegram/guard.py).
    forbidden = [c for c in sandbox.calls if c.status == 403]
    marked = [r for r in caplog.records if r.getMessage().endswith("; marked blocked")]
    assert len(forbidden) >= 300 // 9  # at least each of the blocker's edits
    assert len(marked) == len(forbidden)
    for user_id in (cast.users[0], BLOCKER):
        chat = Chat(sandbox, user_id)
        await chat.replies()  # what came before
        [answer] = await chat.say("/help")
        assert answer.text == texts.help_text(EN)
