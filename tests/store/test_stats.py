"""The /stats queries: users by status, pauses, new users, scores and check-in prompts."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from bot.core.outbox import CheckinPrompt, TipMessage
from bot.core.states import UserStatus
from bot.store import NewMessage, Store, UserPatch
from tests.store.conftest import DAY, START, due_user
from tests.store.helpers import enqueue


async def test_status_counts_has_every_status(store: Store) -> None:
    """With no users every status is 0; then each user counts under its status."""
    assert await store.stats.status_counts() == dict.fromkeys(UserStatus, 0)
    for user_id in range(1, 5):
        await store.users.create(user_id, user_id, "Sam", "en")
    await store.users.update(2, UserPatch(status=UserStatus.BLOCKED))
    await store.users.update(3, UserPatch(status=UserStatus.BLOCKED))
    counts = await store.stats.status_counts()
    assert counts == {UserStatus.ACTIVE: 2, UserStatus.STOPPED: 0, UserStatus.BLOCKED: 2}
    assert all(type(status) is UserStatus for status in counts)


async def test_pauses_of_active_users_only(store: Store) -> None:
    """(zone, paused until) of active users with a pause set; stopped users are left out."""
    for user_id in range(1, 4):
        await store.users.create(user_id, user_id, "Sam", "en")
    until = DAY + timedelta(days=3)
    await store.users.update(1, UserPatch(timezone="Europe/Berlin", paused_until=until))
    await store.users.update(2, UserPatch(paused_until=until, status=UserStatus.STOPPED))
    assert await store.stats.pauses() == [("Europe/Berlin", until)]


async def test_new_since(store: Store, clock: FakeClock) -> None:
    """Users created at or after the instant."""
    await store.users.create(1, 1, "Sam", "en")
    clock.advance(timedelta(days=8))
    await store.users.create(2, 2, "Sam", "en")
    assert await store.stats.new_since(clock.now() - timedelta(days=7)) == 1
    assert await store.stats.new_since(START) == 2


async def test_scores_by_zone_day_and_since(store: Store, clock: FakeClock) -> None:
    """Scores of each zone's local day, and scores answered since an instant."""
    await store.users.create(1, 1, "Sam", "en")
    await store.users.create(2, 2, "Kim", "en")
    await store.users.update(2, UserPatch(timezone="Australia/Sydney"))
    await store.diary.record_checkin(1, DAY, 4)
    await store.diary.record_checkin(2, DAY + timedelta(days=1), 6)
    clock.advance(timedelta(days=8))
    await store.diary.record_checkin(1, DAY + timedelta(days=8), 2)
    assert await store.stats.timezones_in_use() == ["Australia/Sydney", "UTC"]
    by_zone = {"UTC": DAY.isoformat(), "Australia/Sydney": (DAY + timedelta(days=1)).isoformat()}
    assert sorted(await store.stats.scores_on_local_days(by_zone)) == [4, 6]
    assert await store.stats.scores_answered_since(clock.now() - timedelta(days=7)) == [2]


async def test_checkin_prompts_sent_since(store: Store, clock: FakeClock) -> None:
    """Only sent check-in prompts count, not tips and not unsent prompts."""
    await due_user(store)
    prompt = CheckinPrompt("Pain?", ())
    await enqueue(store, NewMessage("checkin:1", 1, 1, prompt, DAY))
    await enqueue(store, NewMessage("checkin:2", 1, 1, prompt, DAY))
    await enqueue(store, NewMessage("tip:1", 1, 1, TipMessage("t"), DAY))
    rows = await store.outbox.claim(3)
    for row in rows:
        if row.idem_key != "checkin:2":
            await store.outbox.record_sent([(row.id, row.id)])
    assert await store.stats.checkin_prompts_sent_since(START) == 1
    assert await store.stats.checkin_prompts_sent_since(START + timedelta(seconds=1)) == 0
