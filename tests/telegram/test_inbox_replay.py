"""The inbox end to end: what a crashed run stored but did not handle is handled at the next
start, before anything new, once, however late; Telegram's repeat of it is not handled again."""

from __future__ import annotations

import json
from datetime import timedelta

import aiohttp

from bot.clock import FakeClock
from bot.core.callbacks import RedFlagAnswer
from bot.core.warning_signs import RedFlag
from bot.sandbox import Sandbox
from bot.store import Arrival, Store
from tests.conftest import BotFactory
from tests.e2e.chat import Chat, find
from tests.store.helpers import raw


async def pending_update(sandbox: Sandbox) -> dict[str, object]:
    """Read the update Telegram holds, without acknowledging it (no offset)."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{sandbox.base_url}/bot{sandbox.token}/getUpdates", json={"timeout": 0}
        ) as response,
    ):
        [update] = (await response.json())["result"]
    assert isinstance(update, dict)
    return update


async def test_a_warning_sign_stored_before_a_crash_escalates_days_later_once(
    make_bot: BotFactory, sandbox: Sandbox, clock: FakeClock
) -> None:
    """The bot stored a "cold foot" tap and died before handling it; it comes back three days
    later: the tap escalates at once, and Telegram's repeat of it is recognised."""
    chat = Chat(sandbox, 701)
    bot = await make_bot()
    await chat.onboard()
    await chat.say("/warning", expect=1)
    database = bot.settings.database_path
    await bot.stop()

    cold = RedFlag.COLD_FOOT
    wanted = find(sandbox, chat.user_id, lambda c: isinstance(c, RedFlagAnswer) and c.flag is cold)
    assert wanted is not None
    message_id, data = wanted
    update_id = sandbox.press_callback(chat.user_id, data, message_id)
    update = await pending_update(sandbox)
    assert update["update_id"] == update_id
    # What the crashed run left: the update stored, not handled, not acknowledged.
    store = await Store.open(database, clock)
    try:
        await store.inbox.record([Arrival(update_id, chat.user_id, json.dumps(update))], [])
    finally:
        await store.close()

    clock.advance(timedelta(days=3))
    again = await make_bot()
    replies = await chat.replies(expect=1)
    await sandbox.settle()
    # The emergency reply, with the user's country's number (Europe/London: the UK's).
    assert any("999" in (m.text or "") for m in replies), [m.text for m in replies]
    assert len(raw(database, "SELECT * FROM escalations")) == 1
    query_id = update["callback_query"]["id"]  # type: ignore[index]
    answers = [a for a in sandbox.callback_answers if a["callback_query_id"] == query_id]
    assert len(answers) == 1  # handled once, though Telegram delivered it again
    fetched = [c for c in sandbox.calls_to("getUpdates") if c.result]
    assert update_id in [u["update_id"] for c in fetched for u in c.result]
    assert again.metrics.inbox.labels("repeat")._value.get() == 1
    handled = "SELECT handled_at IS NOT NULL FROM inbox WHERE update_id = ?"
    assert raw(database, handled, (update_id,)) == [(1,)]
