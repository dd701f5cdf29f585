"""Broadcasts: drafts with entities, starting exactly once, cancelling, finishing, counting."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.core.outbox import BroadcastCopy
from bot.core.states import BroadcastStatus, OutboxStatus, UserStatus
from bot.store import Store, UserPatch
from tests.store.helpers import outbox_rows, raw

ENTITIES = ({"type": "bold", "offset": 0, "length": 4}, {"type": "url", "offset": 5, "length": 3})


async def subscribers(store: Store, count: int) -> list[int]:
    """Create `count` active users 1..count."""
    for user_id in range(1, count + 1):
        await store.users.create(user_id, user_id * 10, f"U{user_id}", "en")
    return list(range(1, count + 1))


async def started(store: Store, users: int = 3, paid: bool = False) -> int:
    """Create users, draft a broadcast and start it; return its id."""
    await subscribers(store, users)
    draft = await store.broadcasts.create(1, 10, "News", ENTITIES)
    copy = BroadcastCopy("News", ENTITIES, paid)
    assert await store.broadcasts.start(draft, copy, priority=10) == users
    return draft


async def test_draft_round_trips_with_entities(store: Store) -> None:
    """A draft is stored in preview with its text and entities, nothing queued yet."""
    draft = await store.broadcasts.create(7, 70, "News", list(ENTITIES))
    broadcast = await store.broadcasts.get(draft)
    assert broadcast is not None
    assert (broadcast.admin_id, broadcast.admin_chat_id, broadcast.text) == (7, 70, "News")
    assert broadcast.entities == ENTITIES
    assert broadcast.status is BroadcastStatus.PREVIEW
    assert (broadcast.recipients, broadcast.started_at, broadcast.progress_message_id) == (
        0,
        None,
        None,
    )
    assert await outbox_rows(store) == []


async def test_draft_without_entities(store: Store, db_path: Path) -> None:
    """No entities store NULL and read back as an empty tuple."""
    draft = await store.broadcasts.create(7, 70, "Plain", None)
    assert raw(db_path, "SELECT entities FROM broadcasts") == [(None,)]
    broadcast = await store.broadcasts.get(draft)
    assert broadcast is not None
    assert broadcast.entities == ()
    assert await store.broadcasts.get(draft + 1) is None


async def test_start_queues_one_copy_per_active_user(store: Store) -> None:
    """Start writes a BroadcastCopy row for each active user (not stopped or blocked)."""
    await subscribers(store, 4)
    await store.users.update(2, UserPatch(status=UserStatus.STOPPED))
    await store.users.update(3, UserPatch(status=UserStatus.BLOCKED))
    draft = await store.broadcasts.create(1, 10, "News", ENTITIES)
    copy = BroadcastCopy("News", ENTITIES, paid=True)
    assert await store.broadcasts.start(draft, copy, priority=10) == 2
    rows = await outbox_rows(store)
    assert [(r["user_id"], r["chat_id"], r["kind"]) for r in rows] == [
        (1, 10, "broadcast"),
        (4, 40, "broadcast"),
    ]
    assert [r["idem_key"] for r in rows] == [f"broadcast:{draft}:1", f"broadcast:{draft}:4"]
    assert {(r["priority"], r["broadcast_id"]) for r in rows} == {(10, draft)}
    claimed = await store.outbox.claim(5)
    assert [row.message for row in claimed] == [copy, copy]
    broadcast = await store.broadcasts.get(draft)
    assert broadcast is not None
    assert (broadcast.status, broadcast.recipients) == (BroadcastStatus.SENDING, 2)
    assert broadcast.started_at is not None


async def test_start_twice_starts_once(store: Store) -> None:
    """A second Send (even at the same moment) finds nothing to start."""
    await subscribers(store, 3)
    draft = await store.broadcasts.create(1, 10, "News", None)
    copy = BroadcastCopy("News")
    results = await asyncio.gather(
        store.broadcasts.start(draft, copy, priority=10),
        store.broadcasts.start(draft, copy, priority=10),
    )
    assert sorted(results, key=str) == [3, None]
    assert len(await outbox_rows(store)) == 3


async def test_cancelled_draft_cannot_start(store: Store) -> None:
    """Cancel on the preview makes Send a no-op; cancelling twice says it was not a draft."""
    await subscribers(store, 2)
    draft = await store.broadcasts.create(1, 10, "News", None)
    assert await store.broadcasts.cancel_draft(draft) is True
    assert await store.broadcasts.cancel_draft(draft) is False
    assert await store.broadcasts.start(draft, BroadcastCopy("News"), priority=10) is None
    assert await outbox_rows(store) == []
    broadcast = await store.broadcasts.get(draft)
    assert broadcast is not None
    assert broadcast.status is BroadcastStatus.CANCELLED


async def test_cancel_skips_queued_and_claimed_rows(store: Store) -> None:
    """Cancelling a running broadcast skips pending and in-flight rows, not sent ones."""
    draft = await started(store, users=4)
    first, second = await store.outbox.claim(2)
    await store.outbox.record_sent([(first.id, 1)])
    assert await store.broadcasts.cancel(draft) == 3
    assert second.id in await store.outbox.unwanted([second])
    counts = await store.broadcasts.counts(draft)
    assert (counts.total, counts.sent, counts.skipped, counts.pending) == (4, 1, 3, 0)
    broadcast = await store.broadcasts.get(draft)
    assert broadcast is not None
    assert broadcast.status is BroadcastStatus.CANCELLED


async def test_counts_by_outcome(store: Store) -> None:
    """Sent, blocked, failed (unknown included), pending and in flight are told apart."""
    draft = await started(store, users=6)
    rows = await store.outbox.claim(5)
    await store.outbox.record_sent([(rows[0].id, 1)])
    await store.outbox.mark_blocked(rows[1].id, rows[1].user_id)
    await store.outbox.mark(rows[2].id, OutboxStatus.FAILED, "400")
    await store.outbox.mark(rows[3].id, OutboxStatus.UNKNOWN, "timeout")
    counts = await store.broadcasts.counts(draft)
    assert (counts.total, counts.sent, counts.blocked, counts.failed) == (6, 1, 1, 2)
    assert (counts.pending, counts.in_flight, counts.skipped) == (1, 1, 0)
    assert counts.last_sent_at is not None


async def test_finish_only_from_sending(store: Store) -> None:
    """finish() turns a running broadcast done; a cancelled one stays cancelled."""
    running = await started(store, users=1)
    draft = await store.broadcasts.create(1, 10, "Other", None)
    await store.broadcasts.cancel_draft(draft)
    await store.broadcasts.finish(running)
    await store.broadcasts.finish(draft)
    done = await store.broadcasts.get(running)
    cancelled = await store.broadcasts.get(draft)
    assert done is not None
    assert cancelled is not None
    assert (done.status, cancelled.status) == (BroadcastStatus.DONE, BroadcastStatus.CANCELLED)


@pytest.mark.parametrize("status", list(BroadcastStatus))
async def test_with_status_round_trips(store: Store, status: BroadcastStatus) -> None:
    """Each BroadcastStatus is found by with_status and read back as the enum member."""
    ids = {}
    await subscribers(store, 1)
    ids[BroadcastStatus.PREVIEW] = await store.broadcasts.create(1, 10, "a", None)
    ids[BroadcastStatus.SENDING] = await store.broadcasts.create(1, 10, "b", None)
    await store.broadcasts.start(ids[BroadcastStatus.SENDING], BroadcastCopy("b"), priority=10)
    ids[BroadcastStatus.DONE] = await store.broadcasts.create(1, 10, "c", None)
    await store.broadcasts.start(ids[BroadcastStatus.DONE], BroadcastCopy("c"), priority=10)
    await store.broadcasts.finish(ids[BroadcastStatus.DONE])
    ids[BroadcastStatus.CANCELLED] = await store.broadcasts.create(1, 10, "d", None)
    await store.broadcasts.cancel_draft(ids[BroadcastStatus.CANCELLED])
    [found] = await store.broadcasts.with_status(status)
    assert (found.id, found.status) == (ids[status], status)
    assert found.status is status


async def test_progress_message_is_remembered(store: Store) -> None:
    """The admin's progress message id survives for a restart to keep editing."""
    draft = await started(store, users=1)
    await store.broadcasts.set_progress_message(draft, 555)
    broadcast = await store.broadcasts.get(draft)
    assert broadcast is not None
    assert broadcast.progress_message_id == 555
