"""The outcome measures' rows: profile, first-step pain, late check-ins, activities and their
ratings, the monthly answers; values checked by SQLite; all gone with the user."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.outcomes import (
    ActivityRating,
    FootProfile,
    GlobalChange,
    MonthlyAnswer,
    PainEntry,
    PainSite,
    Side,
)
from bot.features.outcomes.measures import ACTIVITY_NAME_MAX, MAX_ACTIVITIES
from bot.store import Store
from tests.store.conftest import DAY, due_user
from tests.store.helpers import raw

YESTERDAY = DAY - timedelta(days=1)
OUTCOME_TABLES = (
    "foot_profiles",
    "first_step_pain",
    "activities",
    "activity_ratings",
    "monthly_answers",
)


async def test_a_profile_is_stored_whole_and_keeps_its_start(store: Store) -> None:
    await due_user(store)
    assert await store.outcomes.profile(1) is None
    await store.outcomes.save_profile(1, FootProfile(site=PainSite.UNDER_HEEL), DAY)
    later = DAY + timedelta(days=3)
    profile = FootProfile(
        site=PainSite.ACHILLES,
        side=Side.BOTH,
        first_step=True,
        joint_question_on=later,
        activities_invited_on=DAY,
    )
    await store.outcomes.save_profile(1, profile, later)
    stored = await store.outcomes.profile(1)
    assert stored == FootProfile(PainSite.ACHILLES, Side.BOTH, True, later, DAY, DAY)


@pytest.mark.parametrize("site", list(PainSite))
@pytest.mark.parametrize("side", [*Side, None])
async def test_every_site_and_side_round_trips(
    store: Store, site: PainSite, side: Side | None
) -> None:
    """The table's allowed values are exactly the enums' (renaming one needs a migration)."""
    await due_user(store)
    await store.outcomes.save_profile(1, FootProfile(site=site, side=side), DAY)
    stored = await store.outcomes.profile(1)
    assert stored is not None
    assert (stored.site, stored.side) == (site, side)


@pytest.mark.parametrize(
    ("column", "value"),
    [("site", "heel"), ("side", "middle"), ("first_step", 2)],
)
async def test_sqlite_refuses_a_value_no_enum_has(
    store: Store, db_path: Path, column: str, value: object
) -> None:
    await due_user(store)
    await store.outcomes.save_profile(1, FootProfile(), DAY)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        raw(db_path, f"UPDATE foot_profiles SET {column} = ? WHERE user_id = 1", (value,))  # noqa: S608


async def test_first_step_pain_on_time_replaces_but_late_never_does(store: Store) -> None:
    await due_user(store)
    assert await store.outcomes.record_first_step(1, DAY, 6)
    assert await store.outcomes.record_first_step(1, DAY, 5)
    assert not await store.outcomes.record_first_step(1, DAY, 9, filled_late=True)
    assert await store.outcomes.record_first_step(1, YESTERDAY, 7, filled_late=True)
    assert await store.outcomes.first_step_pain(1) == [
        PainEntry(YESTERDAY, 7, filled_late=True),
        PainEntry(DAY, 5),
    ]
    assert await store.outcomes.first_step_pain(1, since=DAY) == [PainEntry(DAY, 5)]


async def test_yesterdays_check_in_is_stored_at_its_date_marked_late(store: Store) -> None:
    """Filled in the next day: its own date, the late flag, and never over an answer."""
    await due_user(store)
    await store.diary.record_checkin(1, DAY, 4)
    epoch = store.db.outbox_epoch
    assert await store.outcomes.record_late_checkin(1, YESTERDAY, 6)
    assert store.db.outbox_epoch == epoch + 1
    assert not await store.outcomes.record_late_checkin(1, DAY, 9)
    assert await store.diary.checkins(1) == [(YESTERDAY, 6), (DAY, 4)]
    assert await store.outcomes.daily_pain(1) == [
        PainEntry(YESTERDAY, 6, filled_late=True),
        PainEntry(DAY, 4),
    ]


async def test_up_to_three_activities_are_followed(store: Store) -> None:
    await due_user(store)
    names = ["walk the dog", "stand at work", "run 5 km"]
    added = [await store.outcomes.add_activity(1, n, DAY, limit=MAX_ACTIVITIES) for n in names]
    assert [a.name for a in added if a is not None] == names
    assert await store.outcomes.add_activity(1, "dance", DAY, limit=MAX_ACTIVITIES) is None
    first = added[0]
    assert first is not None
    assert await store.outcomes.drop_activity(1, first.activity_id, DAY)
    assert not await store.outcomes.drop_activity(1, first.activity_id, DAY)
    assert await store.outcomes.add_activity(1, "dance", DAY, limit=MAX_ACTIVITIES) is not None
    assert [a.name for a in await store.outcomes.activities(1)] == [*names[1:], "dance"]
    everything = await store.outcomes.activities(1, dropped=True)
    assert next((a.name, a.dropped_on) for a in everything) == ("walk the dog", DAY)


async def test_ratings_belong_to_the_users_followed_activities(store: Store) -> None:
    """A rating for someone else's activity, or a dropped one, stores nothing (a forged button
    cannot write into another user's record); a second rating the same day replaces."""
    await due_user(store, 1)
    await due_user(store, 2)
    mine = await store.outcomes.add_activity(1, "walk", DAY, limit=MAX_ACTIVITIES)
    theirs = await store.outcomes.add_activity(2, "run", DAY, limit=MAX_ACTIVITIES)
    assert mine is not None
    assert theirs is not None
    assert await store.outcomes.rate_activity(1, mine.activity_id, YESTERDAY, 2)
    assert await store.outcomes.rate_activity(1, mine.activity_id, DAY, 3)
    assert await store.outcomes.rate_activity(1, mine.activity_id, DAY, 4)
    assert not await store.outcomes.rate_activity(1, theirs.activity_id, DAY, 9)
    await store.outcomes.drop_activity(1, mine.activity_id, DAY)
    assert not await store.outcomes.rate_activity(1, mine.activity_id, DAY, 8)
    [walk] = await store.outcomes.activities(1, dropped=True)
    assert walk.ratings == (ActivityRating(YESTERDAY, 2), ActivityRating(DAY, 4))
    [run] = await store.outcomes.activities(2)
    assert run.ratings == ()


async def test_a_name_is_stored_as_typed_and_limited_by_the_table(
    store: Store, db_path: Path
) -> None:
    """Parameterised SQL keeps quotes and markup as text; the table refuses an over-long name."""
    await due_user(store)
    typed = "'); DROP TABLE users; -- <script>alert(1)</script>"
    await store.outcomes.add_activity(1, typed, DAY, limit=MAX_ACTIVITIES)
    [stored] = await store.outcomes.activities(1)
    assert stored.name == typed
    assert raw(db_path, "SELECT count(*) FROM users") == [(1,)]
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        await store.outcomes.add_activity(1, "x" * (ACTIVITY_NAME_MAX + 1), DAY, limit=9)


async def test_rerate_offers_are_noted_on_the_users_activities_only(store: Store) -> None:
    await due_user(store, 1)
    await due_user(store, 2)
    mine = await store.outcomes.add_activity(1, "walk", DAY, limit=MAX_ACTIVITIES)
    theirs = await store.outcomes.add_activity(2, "run", DAY, limit=MAX_ACTIVITIES)
    assert mine is not None
    assert theirs is not None
    await store.outcomes.mark_rerate_offered(1, [mine.activity_id, theirs.activity_id], DAY)
    assert [a.rerate_offered_on for a in await store.outcomes.activities(1)] == [DAY]
    assert [a.rerate_offered_on for a in await store.outcomes.activities(2)] == [None]


async def test_monthly_answers_follow_their_offer(store: Store) -> None:
    await due_user(store)
    assert not await store.outcomes.answer_acceptable(1, DAY, True)  # nothing offered that day
    await store.outcomes.offer_monthly(1, DAY)
    await store.outcomes.offer_monthly(1, DAY)
    assert await store.outcomes.answer_acceptable(1, DAY, False)
    assert await store.outcomes.answer_change(1, DAY, GlobalChange.A_LITTLE_BETTER)
    later = DAY + timedelta(days=28)
    await store.outcomes.offer_monthly(1, later)
    assert await store.outcomes.monthly(1) == [
        MonthlyAnswer(DAY, False, GlobalChange.A_LITTLE_BETTER),
        MonthlyAnswer(later),
    ]


@pytest.mark.parametrize("change", list(GlobalChange))
async def test_every_global_change_round_trips(store: Store, change: GlobalChange) -> None:
    await due_user(store)
    await store.outcomes.offer_monthly(1, DAY)
    await store.outcomes.answer_change(1, DAY, change)
    [answer] = await store.outcomes.monthly(1)
    assert answer.change is change


async def test_delete_removes_every_outcome_row_of_the_user_only(
    store: Store, db_path: Path
) -> None:
    for user_id in (1, 2):
        await due_user(store, user_id)
        await store.outcomes.save_profile(user_id, FootProfile(site=PainSite.INSERTION), DAY)
        await store.outcomes.record_first_step(user_id, DAY, 5)
        await store.outcomes.record_late_checkin(user_id, YESTERDAY, 5)
        activity = await store.outcomes.add_activity(user_id, "walk", DAY, limit=3)
        assert activity is not None
        await store.outcomes.rate_activity(user_id, activity.activity_id, DAY, 4)
        await store.outcomes.offer_monthly(user_id, DAY)
    await store.users.delete(1)
    for table in (*OUTCOME_TABLES, "checkins"):
        rows = raw(db_path, f"SELECT user_id, count(*) FROM {table} GROUP BY user_id")  # noqa: S608
        assert rows == [(2, 1)], table
