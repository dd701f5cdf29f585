"""Issue 14, items 1 and 2: expected Telegram answers are not errors, and the log at INFO and
above carries no health or personal data, only pseudonymous user references."""

from __future__ import annotations

import io
import logging
import stat
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest.mock import AsyncMock, MagicMock

import pytest
from telegram import Update
from telegram.error import Forbidden

from bot.clock import FakeClock
from bot.core.states import UserStatus
from bot.core.warning_signs import RedFlag
from bot.logs import load_log_key, log_key_path, setup_logging, user_ref
from bot.sandbox import Sandbox
from bot.telegram.handlers import error
from tests.conftest import BotFactory
from tests.e2e.chat import Chat, settled

# Distinctive enough that no timestamp or update id contains it by chance.
USER = 48213977
NAME = "Zebedee Q"
USERNAME = "zebedee_secret"
TYPED = "my secret heel"
TODAY = date(2026, 11, 24)  # the fake clock's date in London
TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """The root logger at INFO into a string, as `python -m bot run` sets it up; put back after."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quieted = {name: logging.getLogger(name).level for name in ("httpx", "httpcore", "apscheduler")}
    stream = io.StringIO()
    setup_logging("INFO", [], stream=stream)
    yield stream
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in quieted.items():
        logging.getLogger(name).setLevel(old)


def lines_at(stream: io.StringIO, level: str) -> list[str]:
    """Return the captured lines logged at `level`."""
    return [line for line in stream.getvalue().splitlines() if f" {level} " in line]


async def test_end_to_end_log_has_no_personal_or_health_data(
    captured: io.StringIO, make_bot: BotFactory, sandbox: Sandbox, clock: FakeClock
) -> None:
    """Onboarding, scores 7 and 10, a warning sign, typed text and /export, logged at INFO:
    no name, username, text, score data, token or raw user id; the pseudonym is there."""
    bot = await make_bot()
    chat = Chat(sandbox, USER, first_name=NAME)
    sandbox.add_user(USER, NAME, username=USERNAME)
    await chat.onboard()
    await chat.say("/checkin")
    await chat.score(7, expect=1)
    clock.advance(timedelta(days=1))
    await chat.say("/checkin")
    await chat.score(10, expect=1)  # a jump of 3: the warning-sign question again
    await chat.say("/warning")
    await chat.flag(RedFlag.HOT_RED_SWOLLEN, expect=1)
    await chat.say(TYPED)
    [document] = await chat.say("/export")
    assert document.document is not None
    assert NAME.split()[0] in chat.texts()[0]  # the bot did greet them by name
    log = captured.getvalue()
    assert "Escalation for" in log  # the run did log something about this user
    for secret in (NAME, "Zebedee", USERNAME, TYPED, "ci:", "rf:", str(USER)):
        assert secret not in log, secret
    assert sandbox.token not in log
    assert sandbox.token.partition(":")[2] not in log
    assert user_ref(USER) in log
    assert user_ref(USER) != user_ref(USER + 1)
    assert lines_at(captured, "ERROR") == []
    assert await bot.store.escalations.for_user(USER)  # health data went to the store only


def test_log_key_is_private_and_stable(tmp_path: Path) -> None:
    """The key is created 0600 beside the database and gives the same pseudonyms next start."""
    database = tmp_path / "footcare.db"
    load_log_key(database)
    first = user_ref(USER)
    path = log_key_path(database)
    assert path.name == "footcare.db.logkey"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    load_log_key(tmp_path / "other.db")
    assert user_ref(USER) != first  # another install, another key
    load_log_key(database)
    assert user_ref(USER) == first
    assert first.startswith("u:")
    assert len(first) == 10


async def test_reply_refused_with_403_marks_blocked_without_an_error(
    captured: io.StringIO, make_bot: BotFactory, sandbox: Sandbox, clock: FakeClock
) -> None:
    """The user blocks the bot mid-conversation: one INFO line, no traceback, no apology sent
    to the refusing chat, the user is blocked (no scheduled sends); writing again reactivates.

    sandbox.block() is undone by the user's next message (writing unblocks, as in Telegram),
    so the reply's 403 is injected: the same answer Telegram gives a blocked chat.
    """
    bot = await make_bot()
    chat = Chat(sandbox, USER, first_name=NAME)
    await chat.onboard()
    sandbox.block(USER)
    sandbox.inject_failure("sendMessage", 403, description="Forbidden: bot was blocked by the user")
    sandbox.send_text(USER, "/help")
    await settled(sandbox)
    user = await bot.store.users.get(USER)
    assert user is not None
    assert user.status == UserStatus.BLOCKED
    log = captured.getvalue()
    assert "Traceback" not in log
    assert lines_at(captured, "ERROR") == []
    assert lines_at(captured, "WARNING") == []
    refused = [line for line in lines_at(captured, "INFO") if "403" in line]
    assert len(refused) == 1, refused
    assert user_ref(USER) in refused[0]
    assert "UserHandlers.help" in refused[0]
    assert [c.status for c in sandbox.calls_to("sendMessage")][-1] == 403  # no apology after it

    # Blocked: the next day's messages are not even planned.
    clock.advance(timedelta(days=1))
    assert await bot.tick() == 0

    sandbox.unblock(USER)
    [reply] = await chat.say("/start", expect=1)
    assert reply.text is not None
    assert "/settings" in reply.text
    user = await bot.store.users.get(USER)
    assert user is not None
    assert user.status == UserStatus.ACTIVE
    assert user.next_due_utc is not None
    assert "reactivated" in captured.getvalue()
    assert str(USER) not in captured.getvalue()


async def test_any_message_reactivates_a_blocked_user(
    make_bot: BotFactory, sandbox: Sandbox
) -> None:
    """Not only /start: any private message from a blocked user reactivates them."""
    bot = await make_bot()
    chat = Chat(sandbox, USER)
    await chat.onboard()
    assert await bot.features.subscription.refused(USER)
    await chat.say("/help", expect=1)
    user = await bot.store.users.get(USER)
    assert user is not None
    assert user.status == UserStatus.ACTIVE


async def test_stopped_user_refusing_a_reply_stays_stopped(
    make_bot: BotFactory, sandbox: Sandbox
) -> None:
    """A 403 does not turn /stop into 'blocked', so writing again cannot resubscribe them."""
    bot = await make_bot()
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/stop", expect=1)
    sandbox.inject_failure("sendMessage", 403, description="Forbidden: bot was blocked by the user")
    sandbox.send_text(USER, "/help")
    await settled(sandbox)
    await chat.say("/help", expect=1)
    user = await bot.store.users.get(USER)
    assert user is not None
    assert user.status == UserStatus.STOPPED


async def test_flood_limit_on_a_reply_is_waited_out(
    captured: io.StringIO, make_bot: BotFactory, sandbox: Sandbox
) -> None:
    """A 429 on a reply: the rate limiter waits retry_after and sends it again; no error."""
    await make_bot()
    chat = Chat(sandbox, USER)
    await chat.onboard()
    sandbox.inject_failure("sendMessage", 429, retry_after=1)
    [reply] = await chat.say("/help", expect=1)
    assert reply.text
    statuses = [c.status for c in sandbox.calls_to("sendMessage")]
    assert statuses[-2:] == [429, 200]
    assert lines_at(captured, "ERROR") == []
    assert "Traceback" not in captured.getvalue()


async def test_unexpected_error_is_logged_without_data_and_apology_failure_is_contained(
    captured: io.StringIO,
    make_bot: BotFactory,
    sandbox: Sandbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A handler fails with user text in the exception; the apology fails too: one ERROR line
    naming the handler and exception type (not its message), one WARNING, nothing raised."""
    bot = await make_bot()
    chat = Chat(sandbox, USER, first_name=NAME)
    await chat.onboard()

    async def boom(user_id: int) -> Any:
        raise ValueError(f"could not parse {TYPED!r}")

    monkeypatch.setattr(bot.features.tips, "now", boom)
    sandbox.inject_failure("sendMessage", 500)
    sandbox.send_text(USER, "/tip")
    await settled(sandbox)
    errors = lines_at(captured, "ERROR")
    assert len(errors) == 1, errors
    assert "ValueError" in errors[0]
    assert "UserHandlers.tip" in errors[0]
    assert user_ref(USER) in errors[0]
    assert "message" in errors[0]  # the update's type
    warnings = lines_at(captured, "WARNING")
    assert len(warnings) == 1
    assert "could not apologise" in warnings[0]
    log = captured.getvalue()
    assert TYPED not in log
    assert NAME not in log
    assert "error handler" not in log.replace("The error handler could not", "")  # PTB's own
    monkeypatch.undo()
    [reply] = await chat.say("/help", expect=1)  # still answering
    assert reply.text


def _update(bot: Any) -> Update:
    data = {
        "update_id": 5,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": USER, "type": "private", "first_name": NAME},
            "from": {"id": USER, "is_bot": False, "first_name": NAME, "language_code": "en"},
            "text": TYPED,
        },
    }
    return Update.de_json(data, bot)


@pytest.mark.parametrize(
    ("exc", "apologises"),
    [(Forbidden("Forbidden: bot was blocked by the user"), False), (RuntimeError("x"), True)],
)
async def test_error_handler_never_replies_to_a_chat_that_refused(
    captured: io.StringIO, exc: Exception, apologises: bool
) -> None:
    """A Forbidden that reaches the error handler gets no apology; other errors get one."""
    bot = MagicMock()
    bot.send_message = AsyncMock()
    bot.defaults = None
    update = _update(bot)
    await error(update, SimpleNamespace(error=exc))  # type: ignore[arg-type]
    assert bot.send_message.await_count == (1 if apologises else 0)
    assert TYPED not in captured.getvalue()
    assert NAME not in captured.getvalue()


async def test_error_handler_never_raises_when_its_reply_fails(captured: io.StringIO) -> None:
    """The apology itself raising is one WARNING, not an exception out of the handler."""
    bot = MagicMock()
    bot.send_message = AsyncMock(side_effect=Forbidden("Forbidden: bot was blocked by the user"))
    bot.defaults = None
    await error(_update(bot), SimpleNamespace(error=RuntimeError("boom")))  # type: ignore[arg-type]
    assert len(lines_at(captured, "WARNING")) == 1


async def test_callback_query_too_old_is_no_error(
    captured: io.StringIO, make_bot: BotFactory, sandbox: Sandbox
) -> None:
    """answerCallbackQuery 'query is too old': the press is still handled, nothing at ERROR."""
    bot = await make_bot()
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/checkin")
    sandbox.inject_failure("answerCallbackQuery", 400, description=TOO_OLD)
    await chat.score(7, expect=1)
    assert await bot.store.diary.has_checkin(USER, TODAY)
    assert lines_at(captured, "ERROR") == []
    assert "Traceback" not in captured.getvalue()
    answers = sandbox.calls_to("answerCallbackQuery")
    assert answers[-1].status == 400
    # The fixture fails a test in which the bot sent a request Telegram refused as malformed;
    # this 400 was injected, not caused, so it leaves the log the fixture checks.
    sandbox.calls[:] = [c for c in sandbox.calls if c.description != TOO_OLD]
