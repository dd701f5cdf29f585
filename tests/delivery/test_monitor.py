"""The broadcast progress monitor: edits the admin's message while rows go out, then reports."""

from __future__ import annotations

from unittest.mock import create_autospec

from telegram import Bot

from bot.clock import FakeClock
from bot.core.states import BroadcastStatus, OutboxStatus
from bot.delivery.monitor import BroadcastMonitor
from bot.features.admin import Admin
from bot.store import Store
from tests.features.conftest import onboard
from tests.store.helpers import outbox_rows

ADMIN = 1000
PROGRESS_MESSAGE = 77


async def _started(store: Store, clock: FakeClock) -> tuple[Admin, int]:
    for user_id in (1, 2):
        await onboard(store, clock, user_id)
    admin = Admin(store, clock, frozenset({ADMIN}))
    draft = await store.broadcasts.create(ADMIN, ADMIN, "Hello", None)
    _, started = await admin.confirm(ADMIN, draft)
    assert started
    await admin.shown_at(draft, PROGRESS_MESSAGE)
    return admin, draft


def _edits(bot: Bot) -> list[str]:
    return [call.args[0] for call in bot.edit_message_text.call_args_list]  # type: ignore[attr-defined]


async def test_progress_is_edited_once_per_change_then_reported(
    store: Store, clock: FakeClock
) -> None:
    admin, draft = await _started(store, clock)
    bot = create_autospec(Bot, instance=True)
    monitor = BroadcastMonitor(admin, store, bot)
    [first, second] = [r for r in await outbox_rows(store) if r["kind"] == "broadcast"]
    await store.outbox.record_sent([(int(first["id"]), 1)])
    await monitor.update_once()
    await monitor.update_once()  # nothing changed: no second identical edit
    assert len(_edits(bot)) == 1
    assert "1" in _edits(bot)[0]
    await store.outbox.mark(int(second["id"]), OutboxStatus.FAILED, "test")
    await monitor.update_once()
    broadcast = await store.broadcasts.get(draft)
    assert broadcast is not None
    assert broadcast.status is BroadcastStatus.DONE
    assert len(_edits(bot)) == 2
    bot.edit_message_text.assert_called_with(  # type: ignore[attr-defined]
        _edits(bot)[-1], chat_id=ADMIN, message_id=PROGRESS_MESSAGE
    )


async def test_a_text_the_handler_already_showed_is_not_repeated(
    store: Store, clock: FakeClock
) -> None:
    admin, draft = await _started(store, clock)
    bot = create_autospec(Bot, instance=True)
    monitor = BroadcastMonitor(admin, store, bot)
    text, _ = await admin.progress(draft)
    monitor.shown(draft, text)
    await monitor.update_once()
    assert _edits(bot) == []
