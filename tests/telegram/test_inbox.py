"""The inbox between the receivers and the application: store, then queue; handled marks;
replay at start; repeats recognised; a database that refuses writes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
from telegram import Bot

from bot.clock import FakeClock
from bot.metrics import Metrics
from bot.store import Arrival, StorageFault, Store
from bot.telegram.inbox import UpdateInbox
from tests.conftest import START
from tests.store.helpers import raw
from tests.telegram.test_updates import update

# Never used to reach a server: updates only need a bot to be decoded against.
BOT = Bot("123456:INBOX-TEST")


class Counting:
    """Counts the store's inbox writes, to see arrivals batched into one transaction."""

    def __init__(self, store: Store) -> None:
        self.writes: list[tuple[int, int]] = []
        self._record = store.inbox.record
        store.inbox.record = self.record  # type: ignore[method-assign]

    async def record(self, arrivals: Sequence[Arrival], handled: Sequence[int]) -> set[int]:
        self.writes.append((len(arrivals), len(handled)))
        return await self._record(arrivals, handled)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """A migrated database of its own."""
    opened = await Store.open(tmp_path / "footcare.db", FakeClock(START))
    yield opened
    await opened.close()


@pytest.fixture
async def inbox(store: Store) -> AsyncIterator[UpdateInbox]:
    """A running inbox over the store, with a queue of its own."""
    made = UpdateInbox(store, asyncio.Queue(), BOT, Metrics())
    made.start()
    yield made
    await made.stop()


def queued(inbox: UpdateInbox) -> list[int]:
    """Take every update id waiting in the inbox's queue."""
    ids = []
    queue = inbox._queue
    while not queue.empty():
        item = queue.get_nowait()
        assert hasattr(item, "update_id")
        ids.append(item.update_id)
    return ids


async def test_an_update_is_queued_only_once_it_is_stored(inbox: UpdateInbox, store: Store) -> None:
    """receive returns after the row exists, and only then is the update on the queue."""
    await inbox.receive([update(1, 7)])
    [row] = await store.inbox.unhandled()
    assert json.loads(row.body)["update_id"] == 1
    assert queued(inbox) == [1]


async def test_a_repeat_is_not_queued_again(inbox: UpdateInbox) -> None:
    """Telegram's repeat of an update, handled or not yet, is recognised by its update_id."""
    await inbox.receive([update(1, 7), update(2, 7)])
    await inbox.handled(1)
    await inbox.receive([update(1, 7), update(2, 7), update(3, 8)])
    assert queued(inbox) == [1, 2, 3]


async def test_arrivals_at_the_same_time_share_one_transaction(store: Store) -> None:
    """Many webhook requests at once are one group commit, and each still waits for it."""
    counting = Counting(store)
    inbox = UpdateInbox(store, asyncio.Queue(), BOT, Metrics())
    inbox.start()
    try:
        await asyncio.gather(*(inbox.receive([update(i, i)]) for i in range(1, 51)))
    finally:
        await inbox.stop()
    assert sum(a for a, _ in counting.writes) == 50
    assert len(counting.writes) <= 2  # the first write may start before the rest arrive
    assert queued(inbox) == list(range(1, 51))


async def test_handled_drops_the_body_and_waits_for_the_write(
    inbox: UpdateInbox, store: Store, tmp_path: Path
) -> None:
    """When handled() returns the row is marked, so a crash after it cannot repeat the update."""
    await inbox.receive([update(4, 7)])
    await inbox.handled(4)
    assert raw(tmp_path / "footcare.db", "SELECT handled_at IS NOT NULL, body FROM inbox") == [
        (1, None)
    ]


async def test_replay_queues_what_the_last_run_left_in_update_id_order(store: Store) -> None:
    """At start, stored updates not handled are queued oldest first; handled ones are not."""
    first = UpdateInbox(store, asyncio.Queue(), BOT, Metrics())
    first.start()
    await first.receive([update(12, 8), update(10, 7), update(11, 7)])
    await first.handled(11)
    await first.stop()

    metrics = Metrics()
    second = UpdateInbox(store, asyncio.Queue(), BOT, metrics)
    assert await second.replay() == 2
    assert queued(second) == [10, 12]
    assert metrics.inbox.labels("replayed")._value.get() == 2


async def test_a_row_that_no_longer_decodes_is_dropped_at_replay(store: Store) -> None:
    """A stored body the library cannot read is marked handled rather than tried forever."""
    await store.inbox.record([Arrival(5, 7, "not json"), Arrival(6, 7, update(6, 7).to_json())], [])
    inbox = UpdateInbox(store, asyncio.Queue(), BOT, Metrics())
    assert await inbox.replay() == 1
    assert queued(inbox) == [6]
    assert [u.update_id for u in await store.inbox.unhandled()] == [6]


async def test_a_read_only_database_still_lets_updates_through(
    inbox: UpdateInbox, store: Store
) -> None:
    """Refused writes (a full disk) do not hold users up: the update is handled unstored, and
    the guard then asks them to try again later."""
    await store.db.simulate(StorageFault.READ_ONLY)
    try:
        await inbox.receive([update(9, 7)])
    finally:
        await store.db.simulate(None)
    assert queued(inbox) == [9]
    assert await store.inbox.unhandled() == []


async def test_a_closed_database_acknowledges_nothing(tmp_path: Path) -> None:
    """When the update cannot be stored for another reason, receive raises: the receiver does
    not acknowledge it, and Telegram sends it again."""
    store = await Store.open(tmp_path / "other.db", FakeClock(START))
    inbox = UpdateInbox(store, asyncio.Queue(), BOT, Metrics())
    inbox.start()
    await store.close()
    try:
        with pytest.raises(ValueError, match="no active connection"):
            await inbox.receive([update(1, 7)])
    finally:
        await inbox.stop()
    assert queued(inbox) == []
