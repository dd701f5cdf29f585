"""The outbox: idempotent keys, claiming typed messages, undecodable rows, marks and pruning."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.core.outbox import BroadcastCopy, CheckinPrompt, OutboxMessage, TipMessage, WeeklyChart
from bot.core.states import OutboxStatus, UserStatus
from bot.store import NewMessage, Store
from tests.store.conftest import DAY, due_user
from tests.store.helpers import enqueue, insert_raw_outbox, outbox_rows, raw

BUTTONS = ((("0", "ci:2026-11-24:0"), ("1", "ci:2026-11-24:1")), (("2", "ci:2026-11-24:2"),))


def message(key: str, user_id: int = 1, priority: int = 0) -> NewMessage:
    """Build a tip for the outbox whose text is its key."""
    return NewMessage(key, user_id, user_id, TipMessage(key), DAY, priority)


async def test_same_idem_key_twice_keeps_one_row(store: Store) -> None:
    """A second enqueue with a known idempotency key is refused and adds no row."""
    await due_user(store)
    assert await enqueue(store, message("tip:1:2026-11-24")) is True
    assert await enqueue(store, message("tip:1:2026-11-24")) is False
    rows = await outbox_rows(store)
    assert [r["idem_key"] for r in rows] == ["tip:1:2026-11-24"]


async def test_claim_marks_rows_sending(store: Store) -> None:
    """Claimed rows are 'sending', counted as an attempt, and returned in id order."""
    await due_user(store)
    for n in range(3):
        await enqueue(store, message(f"k{n}"))
    claimed = await store.outbox.claim(2)
    assert [row.idem_key for row in claimed] == ["k0", "k1"]
    assert [row.attempts for row in claimed] == [1, 1]
    statuses = {r["idem_key"]: r["status"] for r in await outbox_rows(store)}
    assert statuses == {"k0": "sending", "k1": "sending", "k2": "pending"}


async def test_claim_takes_lower_priority_first(store: Store) -> None:
    """A broadcast row (priority 10) waits behind daily rows (priority 0) enqueued later."""
    await due_user(store)
    await enqueue(store, message("broadcast", priority=10))
    await enqueue(store, message("daily"))
    assert [row.idem_key for row in await store.outbox.claim(2)] == ["daily", "broadcast"]


async def test_claim_never_returns_a_row_twice(store: Store) -> None:
    """Concurrent claims split the pending rows between them without overlap."""
    await due_user(store)
    for n in range(50):
        await enqueue(store, message(f"k{n}"))
    batches = await asyncio.gather(*(store.outbox.claim(7) for _ in range(10)))
    ids = [row.id for batch in batches for row in batch]
    assert len(ids) == len(set(ids)) == 50
    assert await store.outbox.claim(7) == []


@pytest.mark.parametrize(
    "sent",
    [
        TipMessage("Stretch your calf. Source: NHS"),
        CheckinPrompt("How is your pain?", BUTTONS),
        WeeklyChart(DAY),
        BroadcastCopy("News", ({"type": "bold", "offset": 0, "length": 4},), paid=True),
        BroadcastCopy("Nüchtern ☕"),
    ],
)
async def test_claim_returns_the_typed_message(store: Store, sent: OutboxMessage) -> None:
    """Each kind of message comes back from claim equal to what was enqueued."""
    await due_user(store)
    await enqueue(store, NewMessage("k", 1, 1, sent, DAY))
    [row] = await store.outbox.claim(1)
    assert row.message == sent
    assert (row.user_id, row.chat_id, row.local_date) == (1, 1, DAY)
    [stored] = await outbox_rows(store)
    assert stored["kind"] == sent.kind.value


# What earlier versions wrote (json.dumps with its defaults), before the typed messages.
OLD_SHAPES = [
    ("tip", json.dumps({"text": "Ice it. Source: NHS"}), TipMessage("Ice it. Source: NHS")),
    (
        "checkin",
        json.dumps(
            {"text": "Pain?", "buttons": [list(row) for row in BUTTONS]},
        ),
        CheckinPrompt("Pain?", BUTTONS),
    ),
    (
        "weekly",
        json.dumps({"photo": "weekly", "end": "2026-11-22"}),
        WeeklyChart(DAY - timedelta(days=2)),
    ),
    (
        "broadcast",
        json.dumps({"text": "Größe", "entities": [{"type": "italic", "offset": 0, "length": 5}]}),
        BroadcastCopy("Größe", ({"type": "italic", "offset": 0, "length": 5},)),
    ),
    (
        "broadcast",
        json.dumps({"text": "paid", "paid": True}),
        BroadcastCopy("paid", paid=True),
    ),
]


@pytest.mark.parametrize(("kind", "payload", "expected"), OLD_SHAPES)
async def test_rows_in_the_old_json_shape_decode(
    store: Store, kind: str, payload: str, expected: OutboxMessage
) -> None:
    """A row queued by the previous version (its JSON as stored) is claimed as a typed message."""
    await due_user(store)
    await insert_raw_outbox(store, 1, kind, payload)
    [row] = await store.outbox.claim(1)
    assert row.message == expected


async def test_undecodable_payload_is_marked_failed_and_skipped(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """A row whose payload does not fit its kind is failed with the error; the rest go on."""
    await due_user(store)
    await enqueue(store, message("before"))
    secret = "my private pain diary"
    broken = [
        await insert_raw_outbox(store, 1, "weekly", json.dumps({"text": secret}), "bad:weekly"),
        await insert_raw_outbox(store, 1, "tip", "{not json " + secret, "bad:json"),
        await insert_raw_outbox(store, 1, "fax", json.dumps({"text": secret}), "bad:kind"),
    ]
    await enqueue(store, message("after"))
    with caplog.at_level(logging.ERROR, logger="bot.store.outbox"):
        claimed = await store.outbox.claim(10)
    assert [row.idem_key for row in claimed] == ["before", "after"]
    rows = {r["id"]: r for r in await outbox_rows(store)}
    for row_id in broken:
        assert rows[row_id]["status"] == "failed"
        assert rows[row_id]["last_error"]
    assert "fax" in str(rows[broken[2]]["last_error"])
    # Logged by id, never with the payload.
    assert [r.getMessage() for r in caplog.records] == [
        f"Outbox row {row_id} has a payload that does not decode; marked failed"
        for row_id in broken
    ]
    assert secret not in caplog.text
    assert await store.outbox.claim(10) == []


async def test_requeue_in_flight_puts_sending_back(store: Store) -> None:
    """Rows left 'sending' (a crash) become 'pending' again; sent rows stay sent."""
    await due_user(store)
    for n in range(3):
        await enqueue(store, message(f"k{n}"))
    first, second = await store.outbox.claim(2)
    await store.outbox.record_sent([(first.id, 77)])
    assert await store.outbox.requeue_in_flight() == 1
    rows = {r["id"]: r for r in await outbox_rows(store)}
    assert (rows[first.id]["status"], rows[first.id]["message_id"]) == ("sent", 77)
    assert rows[second.id]["status"] == "pending"
    again = await store.outbox.claim(5)
    assert {row.idem_key for row in again} == {"k1", "k2"}
    assert {row.idem_key: row.attempts for row in again}["k1"] == 2


@pytest.mark.parametrize("status", list(OutboxStatus))
async def test_mark_stores_the_status_value(
    store: Store, db_path: Path, status: OutboxStatus
) -> None:
    """Each OutboxStatus is stored as its plain value, with the error text."""
    await due_user(store)
    await enqueue(store, message("k"))
    [row] = await store.outbox.claim(1)
    await store.outbox.mark(row.id, status, "why")
    assert raw(db_path, "SELECT status, last_error FROM outbox") == [(status.value, "why")]


async def test_record_sent_clears_the_error(store: Store, clock: FakeClock) -> None:
    """A row sent after a failed attempt keeps the message id and no error."""
    await due_user(store)
    await enqueue(store, message("k"))
    [row] = await store.outbox.claim(1)
    await store.outbox.mark(row.id, OutboxStatus.PENDING, "502 Bad Gateway")
    await store.outbox.record_sent([(row.id, 42)])
    [stored] = await outbox_rows(store)
    assert (stored["status"], stored["message_id"], stored["last_error"]) == ("sent", 42, None)
    assert stored["sent_at"] == clock.now().timestamp()


async def test_mark_blocked_stops_everything_for_that_user(store: Store) -> None:
    """The user is blocked, their queued rows too; other users' rows are untouched."""
    await due_user(store, 1)
    await due_user(store, 2)
    for key in ("a", "b", "c"):
        await enqueue(store, message(f"{key}:1", user_id=1))
    await enqueue(store, message("a:2", user_id=2))
    claimed = await store.outbox.claim(1)
    await store.outbox.mark_blocked(claimed[0].id, 1)
    user = await store.users.get(1)
    assert user is not None
    assert user.status is UserStatus.BLOCKED
    statuses = {r["idem_key"]: r["status"] for r in await outbox_rows(store)}
    assert statuses == {"a:1": "blocked", "b:1": "blocked", "c:1": "blocked", "a:2": "pending"}


async def test_pending_count_counts_queued_and_in_flight(store: Store) -> None:
    """Pending and sending rows count; finished ones do not."""
    await due_user(store)
    for n in range(4):
        await enqueue(store, message(f"k{n}"))
    first, second = await store.outbox.claim(2)
    await store.outbox.record_sent([(first.id, 1)])
    assert await store.outbox.pending_count() == 3
    await store.outbox.mark(second.id, OutboxStatus.FAILED, "x")
    assert await store.outbox.pending_count() == 2


async def test_prune_deletes_only_old_finished_rows(store: Store, clock: FakeClock) -> None:
    """Finished rows older than the cut-off go; newer ones and queued ones stay."""
    await due_user(store)
    await enqueue(store, message("old-sent"))
    await enqueue(store, message("old-pending"))
    [sent] = await store.outbox.claim(1)
    await store.outbox.record_sent([(sent.id, 1)])
    clock.advance(timedelta(days=40))
    await enqueue(store, message("new-sent"))
    for row in await store.outbox.claim(5):
        if row.idem_key == "new-sent":
            await store.outbox.record_sent([(row.id, 2)])
        else:
            await store.outbox.mark(row.id, OutboxStatus.PENDING, None)
    assert await store.outbox.prune(clock.now() - timedelta(days=35)) == 1
    assert [r["idem_key"] for r in await outbox_rows(store)] == ["old-pending", "new-sent"]


async def test_last_error_is_the_most_recent(store: Store, clock: FakeClock) -> None:
    """The newest row with an error gives /stats its last send error."""
    await due_user(store)
    assert await store.outbox.last_error() is None
    await enqueue(store, message("a"))
    clock.advance(timedelta(minutes=1))
    await enqueue(store, message("b"))
    a, b = await store.outbox.claim(2)
    await store.outbox.mark(b.id, OutboxStatus.FAILED, "newer")
    await store.outbox.mark(a.id, OutboxStatus.FAILED, "older")
    assert await store.outbox.last_error() == "newer"
