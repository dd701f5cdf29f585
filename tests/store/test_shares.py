"""Share links in SQLite: live by the injected clock, at most N, revoked at once, gone with
the user."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.store import Store
from bot.store.base import migrations
from tests.store.conftest import START
from tests.store.helpers import raw

SHARES_MIGRATION = 10
DAY = timedelta(days=1)


def digest(n: int) -> bytes:
    """A stand-in token hash (the store only ever sees hashes)."""
    return hashlib.sha256(f"token-{n}".encode()).digest()


async def user(store: Store, user_id: int = 1) -> int:
    await store.users.create(user_id, user_id, "Sam", "en")
    return user_id


async def test_a_link_is_found_by_its_hash_until_it_expires(store: Store, clock: FakeClock) -> None:
    uid = await user(store)
    share_id = await store.shares.create(uid, digest(1), "Sam", START + 14 * DAY, limit=5)
    assert share_id is not None
    found = await store.shares.find(digest(1))
    assert found is not None
    assert (found.share_id, found.user_id, found.name) == (share_id, uid, "Sam")
    assert found.expires_at == START + 14 * DAY
    assert await store.shares.find(digest(2)) is None
    clock.advance(14 * DAY - timedelta(seconds=1))
    assert await store.shares.find(digest(1)) is not None
    clock.advance(timedelta(seconds=1))
    assert await store.shares.find(digest(1)) is None


async def test_at_most_the_limit_of_live_links(store: Store, clock: FakeClock) -> None:
    uid = await user(store)
    for n in range(5):
        assert await store.shares.create(uid, digest(n), "", START + (n + 1) * DAY, limit=5)
    assert await store.shares.create(uid, digest(9), "", START + DAY, limit=5) is None
    # Another user's links do not count against this one's.
    other = await user(store, 2)
    assert await store.shares.create(other, digest(10), "", START + DAY, limit=5) is not None
    # The first expires: room for one more.
    clock.advance(DAY)
    assert await store.shares.create(uid, digest(9), "", START + 9 * DAY, limit=5) is not None
    assert await store.shares.create(uid, digest(11), "", START + 9 * DAY, limit=5) is None


async def test_revoke_takes_effect_at_once_and_only_for_the_owner(store: Store) -> None:
    uid = await user(store)
    other = await user(store, 2)
    share_id = await store.shares.create(uid, digest(1), "", START + DAY, limit=5)
    assert share_id is not None
    assert not await store.shares.revoke(other, share_id)
    assert await store.shares.find(digest(1)) is not None
    assert await store.shares.revoke(uid, share_id)
    assert await store.shares.find(digest(1)) is None
    assert not await store.shares.revoke(uid, share_id)  # already revoked
    assert await store.shares.add_opening(share_id) is None
    [link] = await store.shares.for_user(uid, live_only=False)
    assert link.revoked_at == START
    assert await store.shares.for_user(uid) == []


async def test_openings_are_counted_with_the_last_time(
    store: Store, clock: FakeClock, db_path: Path
) -> None:
    uid = await user(store)
    share_id = await store.shares.create(uid, digest(1), "Dr visit", START + 2 * DAY, limit=5)
    assert share_id is not None
    first = await store.shares.add_opening(share_id)
    clock.advance(timedelta(hours=3))
    second = await store.shares.add_opening(share_id)
    assert first is not None
    assert second is not None
    assert await store.shares.opened_at(share_id, first) == START
    assert await store.shares.opened_at(share_id + 1, first) is None
    [link] = await store.shares.for_user(uid)
    assert (link.openings, link.last_opened) == (2, START + timedelta(hours=3))
    assert await store.shares.openings(share_id) == [START, START + timedelta(hours=3)]
    # Time only: the openings table has no place for an address or anything else.
    columns = [row[1] for row in raw(db_path, "PRAGMA table_info(share_openings)")]
    assert columns == ["id", "share_id", "opened_at"]


async def test_revoke_all_and_delete(store: Store) -> None:
    uid = await user(store)
    other = await user(store, 2)
    for n in range(3):
        share_id = await store.shares.create(uid, digest(n), "", START + DAY, limit=5)
        assert share_id is not None
        await store.shares.add_opening(share_id)
    await store.shares.create(other, digest(7), "", START + DAY, limit=5)
    assert await store.shares.revoke_all(uid) == 3
    assert await store.shares.for_user(uid) == []
    assert await store.shares.find(digest(7)) is not None
    assert await store.shares.delete_for_user(uid) == 3
    assert await store.shares.for_user(uid, live_only=False) == []
    assert await store.db.count("SELECT count(*) FROM share_openings") == 0


async def test_deleting_the_user_deletes_their_links(store: Store) -> None:
    """/delete (users.delete) leaves no live link and no row of the user's links."""
    uid = await user(store)
    share_id = await store.shares.create(uid, digest(1), "Sam", START + DAY, limit=5)
    assert share_id is not None
    await store.shares.add_opening(share_id)
    await store.users.delete(uid)
    assert await store.shares.find(digest(1)) is None
    assert await store.db.count("SELECT count(*) FROM shares") == 0
    assert await store.db.count("SELECT count(*) FROM share_openings") == 0


async def test_prune_drops_links_that_ended_before_a_time(store: Store, clock: FakeClock) -> None:
    uid = await user(store)
    ended = await store.shares.create(uid, digest(1), "", START + DAY, limit=5)
    revoked = await store.shares.create(uid, digest(2), "", START + 90 * DAY, limit=5)
    live = await store.shares.create(uid, digest(3), "", START + 90 * DAY, limit=5)
    assert ended is not None
    assert revoked is not None
    assert live is not None
    await store.shares.revoke(uid, revoked)
    clock.advance(40 * DAY)
    assert await store.shares.prune(START + 30 * DAY) == 2
    assert [link.share_id for link in await store.shares.for_user(uid, live_only=False)] == [live]


def _database_before_shares(path: Path) -> None:
    """Build the schema as it was before migration 0010, with one user in it."""
    conn = sqlite3.connect(path)
    try:
        earlier = [(v, sql) for v, sql in migrations() if v < SHARES_MIGRATION]
        for _, sql in earlier:
            conn.executescript(sql)
        conn.execute(f"PRAGMA user_version = {earlier[-1][0]:d}")
        conn.execute(
            "INSERT INTO users (user_id, chat_id, timezone, tip_seed, created_at, updated_at)"
            " VALUES (7, 7, 'Europe/London', 'seed', 0, 0)"
        )
        conn.commit()
    finally:
        conn.close()


async def test_an_existing_database_gets_the_share_tables(db_path: Path) -> None:
    _database_before_shares(db_path)
    store = await Store.open(db_path, FakeClock(START))
    try:
        assert raw(db_path, "PRAGMA user_version") == [(migrations()[-1][0],)]
        assert await store.users.get(7) is not None
        assert await store.shares.create(7, digest(1), "", START + DAY, limit=5) is not None
    finally:
        await store.close()


async def test_the_store_refuses_anything_but_a_hash(store: Store) -> None:
    """The column holds a 32-byte hash and nothing else: a token cannot be stored by mistake."""
    uid = await user(store)
    with pytest.raises(sqlite3.IntegrityError):
        await store.shares.create(uid, b"a-plain-token", "", START + DAY, limit=5)
    assert await store.db.count("SELECT count(*) FROM shares") == 0


async def test_a_draft_name_is_taken_once_and_only_while_fresh(
    store: Store, clock: FakeClock
) -> None:
    uid = await user(store)
    assert await store.shares.take_draft(uid, START) is None
    await store.shares.set_draft(uid, "Sam")
    await store.shares.set_draft(uid, "Sam W.")  # a newer /share replaces it
    assert await store.shares.take_draft(uid, START) == "Sam W."
    assert await store.shares.take_draft(uid, START) is None
    await store.shares.set_draft(uid, "")
    clock.advance(timedelta(hours=2))
    assert await store.shares.take_draft(uid, START + timedelta(hours=1)) is None
    await store.shares.set_draft(uid, "x")
    await store.users.delete(uid)
    assert await store.db.count("SELECT count(*) FROM share_drafts") == 0
