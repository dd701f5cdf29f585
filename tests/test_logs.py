"""Tests for bot/logs.py: the token never reaches a log line, even at DEBUG."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from types import TracebackType

import pytest

from bot.logs import REDACTED, RedactingFormatter, setup_logging
from bot.sandbox import Sandbox
from tests.conftest import BotFactory
from tests.e2e.chat import Chat

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
USER = 701


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put back the root logger (pytest's capture handlers live there) and quieted loggers."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quieted = {name: logging.getLogger(name).level for name in ("httpx", "httpcore", "apscheduler")}
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in quieted.items():
        logging.getLogger(name).setLevel(old)


ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def record(
    msg: str, args: tuple[object, ...] = (), exc_info: ExcInfo | None = None
) -> logging.LogRecord:
    """Build a log record as a logger would."""
    return logging.LogRecord("bot.test", logging.ERROR, __file__, 1, msg, args, exc_info)


def formatter() -> RedactingFormatter:
    """Return a formatter hiding TOKEN, with the format setup_logging uses."""
    return RedactingFormatter("%(levelname)s %(name)s: %(message)s", [TOKEN, ""])


def test_token_in_message_is_redacted() -> None:
    """A token written into the message itself is replaced."""
    text = formatter().format(record(f"GET https://api.telegram.org/bot{TOKEN}/getMe"))
    assert TOKEN not in text
    assert f"/bot{REDACTED}/getMe" in text


def test_token_in_args_is_redacted() -> None:
    """A token passed as a %-argument is replaced after interpolation."""
    text = formatter().format(record("calling %s with %r", ("getMe", {"url": TOKEN})))
    assert TOKEN not in text
    assert REDACTED in text


def test_token_in_traceback_is_redacted() -> None:
    """A token in an exception message is replaced in the formatted traceback."""
    try:
        raise RuntimeError(f"bad URL /bot{TOKEN}/sendMessage")
    except RuntimeError as exc:
        caught = exc
    exc_info = (RuntimeError, caught, caught.__traceback__)
    text = formatter().format(record("send failed", exc_info=exc_info))
    assert "Traceback" in text
    assert "RuntimeError: bad URL" in text
    assert TOKEN not in text


def test_text_without_secrets_is_unchanged() -> None:
    """Lines without a secret are formatted as usual; an empty secret is ignored."""
    assert formatter().format(record("all %s", ("fine",))) == "ERROR bot.test: all fine"


async def test_debug_run_never_logs_the_token(
    restore_logging: None, make_bot: BotFactory, sandbox: Sandbox
) -> None:
    """A DEBUG-level run through onboarding and a check-in logs no part of the token."""
    stream = io.StringIO()
    setup_logging("DEBUG", [sandbox.token], stream=stream)
    await make_bot()
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/checkin")
    await chat.score(5)
    assert "5/10" in chat.texts()[-1]
    captured = stream.getvalue()
    secret_part = sandbox.token.partition(":")[2]
    assert secret_part
    assert sandbox.token not in captured
    assert secret_part not in captured
    # DEBUG really was on: python-telegram-bot's debug lines are there, including the one that
    # prints the API URL with the token in it, which the formatter redacted.
    assert " DEBUG telegram.ext." in captured
    assert f"/bot{REDACTED}" in captured
