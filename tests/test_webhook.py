"""Tests for bot/webhook.py: the listening socket, the secret, a webhook the Bot API refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.composition import Content
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.settings import Secret, SettingsError
from bot.webhook import listen, webhook_secret
from tests.conftest import bot_settings


def test_listen_on_a_port_in_use_names_webhook_port() -> None:
    """A port already taken is one SettingsError naming WEBHOOK_PORT, not a traceback."""
    taken = listen("127.0.0.1", 0)
    port = taken.getsockname()[1]
    try:
        with pytest.raises(SettingsError, match=f"WEBHOOK_PORT cannot listen on 127.0.0.1:{port}"):
            listen("127.0.0.1", port)
    finally:
        taken.close()


def test_listen_gives_a_non_blocking_socket() -> None:
    """The socket is served by the event loop, so it must not block on accept."""
    sock = listen("127.0.0.1", 0)
    try:
        assert sock.getblocking() is False
    finally:
        sock.close()


def test_the_secret_is_the_configured_one_or_derived_from_the_token(tmp_path: Path) -> None:
    """WEBHOOK_SECRET is used as is; without it the secret is the same for the same token,
    different for another, URL-safe, and does not contain the token."""
    sandbox = Sandbox()  # only for its token and URL; never started
    configured = bot_settings(sandbox, tmp_path, webhook_secret=Secret("mine"))
    assert webhook_secret(configured) == "mine"
    unset = bot_settings(sandbox, tmp_path)
    first, second = webhook_secret(unset), webhook_secret(unset)
    assert first == second
    other = webhook_secret(bot_settings(sandbox, tmp_path, bot_token=Secret("654321:OTHER")))
    assert other != first
    assert len(first) >= 32
    assert set(first) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
    assert sandbox.token not in first
    assert sandbox.token.split(":")[1] not in first


async def test_a_refused_webhook_names_webhook_url(tmp_path: Path, content: Content) -> None:
    """setWebhook refused by the Bot API stops the start with a SettingsError naming WEBHOOK_URL."""
    async with Sandbox() as sandbox:
        sandbox.inject_failure(
            "setWebhook", 400, description="Bad Request: bad webhook: Failed to resolve host"
        )
        sock = listen("127.0.0.1", 0)
        settings = bot_settings(sandbox, tmp_path, webhook_url="https://nowhere.invalid/telegram")
        runtime = Runtime(settings, content=content, webhook_socket=sock)
        with pytest.raises(
            SettingsError, match=r"WEBHOOK_URL was refused by the Bot API: .*resolve"
        ):
            await runtime.start()
        assert sock.fileno() == -1  # closed: nothing keeps listening after a failed start
        assert sandbox.webhook_url == ""
