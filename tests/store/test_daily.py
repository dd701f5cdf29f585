"""The daily commit: messages, tip and schedule move together, once, or not at all."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.outbox import CheckinPrompt, TipMessage, WeeklyChart
from bot.core.states import UserStatus
from bot.store import DailyFacts, NewMessage, Store, TipRecord, UserPatch
from bot.store.daily import DailyCommit
from tests.store.conftest import DAY, due_user
from tests.store.helpers import commit_day, day_facts, outbox_rows

NEXT = (datetime(2026, 11, 25, 9, 0, tzinfo=UTC).timestamp(), date(2026, 11, 25))
PROMPT = CheckinPrompt("Pain?", ((("0", "ci:2026-11-24:0"),),))


def tip(key: str, user_id: int = 1) -> NewMessage:
    """A daily tip row."""
    return NewMessage(key, user_id, user_id, TipMessage(key), DAY)


async def test_commit_enqueues_and_advances(store: Store) -> None:
    """A daily commit adds the messages, records the tip and moves the schedule together."""
    user = await due_user(store)
    record = TipRecord("stretch", 0, DAY)
    messages = [tip("tip:1:d"), NewMessage("checkin:1:d", 1, 1, PROMPT, DAY)]
    assert await commit_day(store, user, messages, record, NEXT) is True
    after = await store.users.get(1)
    assert after is not None
    assert (after.next_due_utc, after.next_due_date) == NEXT
    assert [r["idem_key"] for r in await outbox_rows(store)] == ["tip:1:d", "checkin:1:d"]
    assert (await day_facts(store, 1, DAY)).tip_given
    assert await store.tips.history(1) == [record]


async def test_checkin_prompt_opens_the_day_for_typed_answers(store: Store) -> None:
    """Only a CheckinPrompt row sets pending_checkin_date (to its local date)."""
    user = await due_user(store)
    weekly = NewMessage("weekly:1:d", 1, 1, WeeklyChart(DAY), DAY)
    assert await commit_day(store, user, [tip("tip:1:d"), weekly], None, NEXT)
    after = await store.users.get(1)
    assert after is not None
    assert after.pending_checkin_date is None
    moved = await store.users.get(1)
    assert moved is not None
    prompt = NewMessage("checkin:1:e", 1, 1, PROMPT, date(2026, 11, 25))
    later = (NEXT[0] + 86400, date(2026, 11, 26))
    assert await commit_day(store, moved, [prompt], None, later)
    after = await store.users.get(1)
    assert after is not None
    assert after.pending_checkin_date == date(2026, 11, 25)


async def test_commit_refuses_a_stale_schedule(store: Store) -> None:
    """If next_due_utc changed since it was read, nothing is written (optimistic guard)."""
    stale = await due_user(store)
    assert stale.next_due_utc is not None
    await store.users.update(1, UserPatch(next_due_utc=stale.next_due_utc + 60))
    record = TipRecord("stretch", 0, DAY)
    assert await commit_day(store, stale, [tip("tip:1:d")], record, NEXT) is False
    assert await outbox_rows(store) == []
    assert not (await day_facts(store, 1, DAY)).tip_given
    after = await store.users.get(1)
    assert after is not None
    assert after.next_due_date == DAY


async def test_commit_refuses_a_stopped_user(store: Store) -> None:
    """A user who stopped after the dispatcher read them gets nothing."""
    user = await due_user(store)
    await store.users.update(1, UserPatch(status=UserStatus.STOPPED))
    assert await commit_day(store, user, [tip("tip:1:d")], None, NEXT) is False
    assert await outbox_rows(store) == []


async def test_commit_twice_acts_once(store: Store) -> None:
    """Two overlapping commits of the same due user: one wins, the other changes nothing."""
    user = await due_user(store)
    results = await asyncio.gather(
        commit_day(store, user, [tip("tip:1:d")], None, NEXT),
        commit_day(store, user, [tip("tip:1:d2")], None, NEXT),
    )
    assert sorted(results) == [False, True]
    assert len(await outbox_rows(store)) == 1


async def test_commit_keeps_a_known_key_once(store: Store) -> None:
    """A message whose key is already queued is not added again; the schedule still moves."""
    user = await due_user(store)
    assert await commit_day(store, user, [tip("tip:1:d")], None, NEXT)
    moved = await store.users.get(1)
    assert moved is not None
    later = (NEXT[0] + 86400, date(2026, 11, 26))
    assert await commit_day(store, moved, [tip("tip:1:d")], None, later)
    assert len(await outbox_rows(store)) == 1


async def test_commit_is_atomic(store: Store) -> None:
    """A failure half-way (a message for an unknown user) rolls back the schedule move too."""
    user = await due_user(store)
    broken = [tip("tip:1:d"), tip("tip:404:d", user_id=404)]
    with pytest.raises(sqlite3.IntegrityError):
        await commit_day(store, user, broken, TipRecord("stretch", 0, DAY), NEXT)
    after = await store.users.get(1)
    assert after is not None
    assert after.next_due_utc == user.next_due_utc
    assert await outbox_rows(store) == []
    assert not (await day_facts(store, 1, DAY)).tip_given
    # The connection is usable again after the rollback.
    assert await commit_day(store, user, [tip("tip:1:d")], None, NEXT) is True


async def test_facts_of_a_day(store: Store) -> None:
    """Tip given and check-in answered, for that local day only; the pain window and the
    rotation's seen tips come with them."""
    await due_user(store)
    assert await day_facts(store, 1, DAY) == DailyFacts()
    await store.diary.record_checkin(1, DAY - timedelta(days=1), 6)
    yesterday = await day_facts(store, 1, DAY)
    assert (yesterday.tip_given, yesterday.answered) == (False, False)
    assert yesterday.recent == ((DAY - timedelta(days=1), 6),)
    await store.diary.record_checkin(1, DAY, 2)
    await store.tips.record(1, TipRecord("ice", 0, DAY))
    today = await day_facts(store, 1, DAY)
    assert (today.tip_given, today.answered, today.seen) == (True, True, frozenset({"ice"}))
    tomorrow = await day_facts(store, 1, DAY + timedelta(days=1))
    assert (tomorrow.tip_given, tomorrow.answered) == (False, False)


async def test_facts_of_many_users_match_one_by_one(store: Store) -> None:
    """The paged read gives every user exactly the facts a read of their own would."""
    for user_id in (1, 2, 3):
        await due_user(store, user_id)
    await store.diary.record_checkin(1, DAY - timedelta(days=7), 9)  # outside the week
    await store.diary.record_checkin(1, DAY - timedelta(days=6), 5)
    await store.diary.record_checkin(1, DAY - timedelta(days=2), 4)
    await store.diary.record_checkin(2, DAY, 7)
    await store.tips.record(2, TipRecord("ice", 0, DAY - timedelta(days=1)))
    await store.tips.record(3, TipRecord("rest", 1, DAY))
    await store.tips.record(3, TipRecord("stretch", 0, DAY - timedelta(days=5)))
    days = [(1, DAY, 0), (2, DAY, 0), (3, DAY, 1)]
    many = await store.daily.facts_many(days)
    assert many[1] == DailyFacts(
        recent=((DAY - timedelta(days=6), 5), (DAY - timedelta(days=2), 4))
    )
    assert many[1].week_checked_in
    assert not many[3].week_checked_in
    assert many[2] == DailyFacts(answered=True, recent=((DAY, 7),), seen=frozenset({"ice"}))
    # Only the current cycle's tips count as seen; the old one does not.
    assert many[3] == DailyFacts(tip_given=True, seen=frozenset({"rest"}))


async def test_commit_many_writes_only_users_whose_schedule_still_matches(store: Store) -> None:
    """In one transaction for many users, a user another tick already moved gets nothing."""
    fresh = await due_user(store, 1)
    stale = await due_user(store, 2)
    await store.users.update(2, UserPatch(next_due_utc=NEXT[0], next_due_date=NEXT[1]))
    commits = [
        DailyCommit(fresh, [tip("tip:1:d")], TipRecord("stretch", 0, DAY), NEXT),
        DailyCommit(stale, [tip("tip:2:d", user_id=2)], TipRecord("stretch", 0, DAY), NEXT),
    ]
    assert await store.daily.commit_many(commits) == {1}
    assert [r["idem_key"] for r in await outbox_rows(store)] == ["tip:1:d"]
    assert await store.tips.history(2) == []
    assert await store.tips.history(1) == [TipRecord("stretch", 0, DAY)]
