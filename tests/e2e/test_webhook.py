"""Webhook mode end to end: the secret header guards the bot, setWebhook at start, and going
back to polling. (The end-to-end tests marked `webhook_too` also run in webhook mode, one per
kind of update that arrives there by another path; see tests/conftest.py.)"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.settings import Secret
from bot.webhook import ALLOWED_UPDATES
from tests.conftest import POLLING, WEBHOOK, BotFactory
from tests.e2e.chat import Chat, settled

UPDATE_MODES = (WEBHOOK,)
OPERATOR_SECRET = "operator-chosen_secret"


def dump(database: Path) -> list[str]:
    """Return every row of the database as SQL, read through a separate connection."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        return list(connection.iterdump())


async def test_a_wrong_or_missing_secret_gets_403_and_changes_nothing(
    bot: Runtime, sandbox: Sandbox
) -> None:
    """A post without the registered secret is refused with 403 and never handled."""
    chat = Chat(sandbox, 501)
    before = await asyncio.to_thread(dump, bot.settings.database_path)
    wrong = await sandbox.forge_webhook_post(chat.user_id, "/start", secret="not-the-secret")
    missing = await sandbox.forge_webhook_post(chat.user_id, "/start", secret=None)
    await settled(sandbox)
    assert (wrong.status, missing.status) == (403, 403)
    assert sandbox.messages(chat.user_id) == []
    assert await asyncio.to_thread(dump, bot.settings.database_path) == before
    # The same /start through the sandbox's own delivery, with the secret, is handled.
    await chat.say("/start", expect=1)
    assert sandbox.deliveries[-1].status == 200
    assert await asyncio.to_thread(dump, bot.settings.database_path) != before


async def test_start_registers_the_webhook_with_a_secret(
    make_bot: BotFactory, sandbox: Sandbox
) -> None:
    """setWebhook names the bot's URL, a secret and the polling update types; no getUpdates."""
    bot = await make_bot()
    assert sandbox.webhook_url == bot.settings.webhook_url
    (call,) = sandbox.calls_to("setWebhook")
    assert call.params["secret_token"] == sandbox.webhook_secret
    assert len(call.params["secret_token"]) >= 32
    assert call.params["allowed_updates"] == list(ALLOWED_UPDATES)
    assert sandbox.calls_to("getUpdates") == []


async def test_a_restart_with_the_same_settings_accepts_the_old_secret(
    make_bot: BotFactory, sandbox: Sandbox
) -> None:
    """Without WEBHOOK_SECRET the secret comes from the token: a restart registers the same
    one, so an update Telegram retries with it is handled; a set secret is used as is."""
    first = await make_bot()
    old_secret = sandbox.webhook_secret
    await first.stop()
    await make_bot()
    chat = Chat(sandbox, 504)
    retried = await sandbox.forge_webhook_post(chat.user_id, "/start", secret=old_secret)
    assert retried.status == 200
    assert len(await chat.replies(expect=1)) == 1
    await make_bot(webhook_secret=Secret(OPERATOR_SECRET))
    secrets = [c.params["secret_token"] for c in sandbox.calls_to("setWebhook")]
    assert secrets[0] == secrets[1] == old_secret
    assert secrets[2] == OPERATOR_SECRET


async def test_updates_sent_while_the_bot_is_down_arrive_after_a_restart(
    make_bot: BotFactory, sandbox: Sandbox
) -> None:
    """Telegram keeps posting an update until the bot is back and accepts it."""
    chat = Chat(sandbox, 502)
    bot = await make_bot()
    await bot.stop()
    sandbox.send_text(chat.user_id, "/start")
    await make_bot()
    assert len(await chat.replies(expect=1)) == 1
    statuses = {d.status for d in sandbox.deliveries}
    assert statuses >= {None, 200}  # refused while down, accepted once back


async def test_polling_after_webhook_mode_deletes_the_webhook(
    make_bot: BotFactory, sandbox: Sandbox
) -> None:
    """Starting in polling mode after webhook mode deletes the webhook and polls again."""
    bot = await make_bot()
    await bot.stop()
    await make_bot(mode=POLLING)
    assert sandbox.webhook_url == ""
    assert sandbox.calls_to("deleteWebhook")
    chat = Chat(sandbox, 503)
    await chat.say("/start", expect=1)
    assert sandbox.calls_to("getUpdates")
