"""Admin: a broadcast preview starts once, stats count each user's own local day."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from bot.core import callbacks, texts
from bot.core.callbacks import BroadcastChoice
from bot.core.i18n import Language
from bot.core.replies import Outcome, Reply
from bot.core.states import UserStatus
from bot.features.admin import Admin
from bot.store import Store
from bot.store.users import UserPatch
from tests.features.conftest import onboard
from tests.store.helpers import outbox_rows

ADMIN = 1000


async def _preview(admin: Admin, text: str = "Hello") -> int:
    outcome = await admin.preview(ADMIN, ADMIN, text, None)
    [reply] = outcome.messages
    assert isinstance(reply, Reply)
    send = callbacks.decode(reply.buttons[0][0][1])
    assert isinstance(send, BroadcastChoice)
    assert send.send
    return send.broadcast_id


async def test_a_broadcast_starts_once_and_reaches_every_active_user(
    store: Store, clock: FakeClock
) -> None:
    for user_id in (1, 2, 3):
        await onboard(store, clock, user_id)
    await store.users.update(3, UserPatch(status=UserStatus.STOPPED))
    admin = Admin(store, clock, frozenset({ADMIN}))
    draft = await _preview(admin)
    _, started = await admin.confirm(ADMIN, draft)
    assert started
    assert await admin.confirm(ADMIN, draft) == (texts.BROADCAST_ALREADY, False)
    rows = [r for r in await outbox_rows(store) if r["kind"] == "broadcast"]
    assert sorted(r["user_id"] for r in rows) == [1, 2]


async def test_a_cancelled_draft_cannot_be_sent(store: Store, clock: FakeClock) -> None:
    await onboard(store, clock)
    admin = Admin(store, clock, frozenset({ADMIN}))
    draft = await _preview(admin)
    assert await admin.cancel_draft(draft) == texts.broadcast_cancelled_preview()
    assert await admin.confirm(ADMIN, draft) == (texts.BROADCAST_ALREADY, False)


async def test_an_empty_broadcast_is_refused(store: Store, clock: FakeClock) -> None:
    admin = Admin(store, clock, frozenset({ADMIN}))
    assert await admin.preview(ADMIN, ADMIN, "  ", None) == Outcome.reply(texts.BROADCAST_USAGE)
    assert await admin.preview(ADMIN, ADMIN, "Hi", None) == Outcome.reply(texts.BROADCAST_EMPTY)


async def test_stats_count_a_pause_by_the_users_own_date(store: Store, clock: FakeClock) -> None:
    await onboard(store, clock, 1, zone="Pacific/Auckland")
    await onboard(store, clock, 2, zone="America/Los_Angeles")
    # 07:00 UTC on 24 Nov is 20:00 on the 24th in Auckland, 23:00 on the 23rd in Los Angeles:
    # a pause until the 24th has ended in Auckland but not in Los Angeles.
    today_la = clock.now().date() - timedelta(days=1)
    until = today_la + timedelta(days=1)
    for user_id in (1, 2):
        await store.users.update(user_id, UserPatch(paused_until=until))
    stats = await Admin(store, clock, frozenset({ADMIN})).stats(None)
    assert (stats.active, stats.paused) == (1, 1)


async def test_a_broadcast_can_target_one_language(store: Store, clock: FakeClock) -> None:
    """/broadcast zh reaches only Chinese readers (old rows like "zh-hans" included), and the
    preview counts each language."""
    for user_id in (1, 2, 3):
        await onboard(store, clock, user_id)
    await store.users.update(2, UserPatch(language_code="zh"))
    await store.users.update(
        3, UserPatch(language_code="zh-hans")
    )  # stored before /start normalised
    admin = Admin(store, clock, frozenset({ADMIN}))
    outcome = await admin.preview(ADMIN, ADMIN, "你好", None, Language.ZH)
    [reply] = outcome.messages
    assert isinstance(reply, Reply)
    assert reply.text.startswith(
        "Broadcast preview (2 active subscribers, zh only; by language: en 1, zh 2)"
    )
    send = callbacks.decode(reply.buttons[0][0][1])
    assert isinstance(send, BroadcastChoice)
    await admin.confirm(ADMIN, send.broadcast_id)
    assert sorted(row["user_id"] for row in await outbox_rows(store)) == [2, 3]
