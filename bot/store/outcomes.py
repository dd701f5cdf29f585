"""The outcome measures' rows: foot profile, first-step pain, activities and their ratings,
the monthly answers, and check-ins filled in a day late (migrations 0011 and 0015).

Other features read where it hurts through one call, kept stable for them (the exercise
programme of issue 23 picks by the site):

    profile = await store.outcomes.profile(user_id)   # FootProfile | None
    site = None if profile is None else profile.site  # PainSite | None (None: not answered)
    side = None if profile is None else profile.side  # Side | None

None (no row, or a skipped question) means "not answered": treat it as today's general
experience, as ELSEWHERE and NOT_SURE are. `FootProfile.asks_first_step` says whether the
daily message asks the first-steps question.

Every statement is parameterised. Activity names are the user's own words: they are stored
and returned, never logged. Every table cascades from users, so `Users.delete` removes it all.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import aiosqlite

from bot.core.outcomes import (
    Activity,
    ActivityRating,
    FootProfile,
    GlobalChange,
    MonthlyAnswer,
    PainEntry,
    PainSite,
    Side,
    check_score,
)
from bot.store.base import Database, parse_date

_FIRST_STEP_INSERT = (
    "INSERT INTO first_step_pain (user_id, local_date, score, filled_late, answered_at)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, local_date)"
)
_FIRST_STEP_ON_TIME = (
    f"{_FIRST_STEP_INSERT} DO UPDATE SET score = excluded.score, filled_late = 0,"
    " answered_at = excluded.answered_at"
)
_FIRST_STEP_LATE = f"{_FIRST_STEP_INSERT} DO NOTHING"


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _profile(row: aiosqlite.Row) -> FootProfile:
    return FootProfile(
        site=PainSite(row["site"]) if row["site"] is not None else None,
        side=Side(row["side"]) if row["side"] is not None else None,
        first_step=_bool(row["first_step"]),
        joint_question_on=parse_date(row["joint_question_on"]),
        started_on=parse_date(row["started_on"]),
        activities_invited_on=parse_date(row["activities_invited_on"]),
        first_step_skipped_on=parse_date(row["first_step_skipped_on"]),
    )


class Outcomes:
    """The foot_profiles, first_step_pain, activities, activity_ratings and monthly_answers
    tables, and the late flag of checkins."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # --- where and which side ---------------------------------------------------------------

    async def profile(self, user_id: int) -> FootProfile | None:
        """Return the user's foot profile, None before the outcome record began."""
        row = await self._db.one("SELECT * FROM foot_profiles WHERE user_id = ?", (user_id,))
        return None if row is None else _profile(row)

    async def save_profile(self, user_id: int, profile: FootProfile, today: date) -> None:
        """Store the whole profile; the record's start is `today` unless the profile has one."""
        await self._db.exec(
            "INSERT INTO foot_profiles (user_id, started_on, site, side, first_step,"
            " joint_question_on, activities_invited_on, first_step_skipped_on, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET"
            " site = excluded.site, side = excluded.side, first_step = excluded.first_step,"
            " joint_question_on = excluded.joint_question_on,"
            " activities_invited_on = excluded.activities_invited_on,"
            " first_step_skipped_on = excluded.first_step_skipped_on,"
            " updated_at = excluded.updated_at",
            (
                user_id,
                (profile.started_on or today).isoformat(),
                profile.site,
                profile.side,
                _flag(profile.first_step),
                _iso(profile.joint_question_on),
                _iso(profile.activities_invited_on),
                _iso(profile.first_step_skipped_on),
                self._db.now(),
            ),
        )

    # --- first-step pain and late check-ins -------------------------------------------------

    async def skip_first_step(self, user_id: int, day: date) -> None:
        """Note that the first-steps question of `day` was skipped (migration 0015)."""
        await self._db.exec(
            "UPDATE foot_profiles SET first_step_skipped_on = ?, updated_at = ? WHERE user_id = ?",
            (day.isoformat(), self._db.now(), user_id),
        )

    async def first_step_on(self, user_id: int, day: date) -> int | None:
        """Return the first-step pain stored for one day, None when there is none."""
        row = await self._db.one(
            "SELECT score FROM first_step_pain WHERE user_id = ? AND local_date = ?",
            (user_id, day.isoformat()),
        )
        return None if row is None else int(row["score"])

    async def record_first_step(
        self, user_id: int, day: date, score: int, *, filled_late: bool = False
    ) -> bool:
        """Store a day's first-step pain; return whether it was stored.

        An on-time answer replaces an earlier one of the same day; a late one (yesterday's,
        filled in today) never replaces anything, so it is stored only into an empty day.
        """
        sql = _FIRST_STEP_LATE if filled_late else _FIRST_STEP_ON_TIME
        params = (user_id, day.isoformat(), check_score(score), int(filled_late), self._db.now())
        return await self._db.exec(sql, params) > 0

    async def first_step_pain(self, user_id: int, since: date | None = None) -> list[PainEntry]:
        """Return first-step pain in date order, from `since` on when given."""
        rows = await self._db.all(
            "SELECT local_date, score, filled_late FROM first_step_pain"
            " WHERE user_id = ? AND local_date >= ? ORDER BY local_date",
            (user_id, _iso(since) or ""),
        )
        return [_entry(r) for r in rows]

    async def record_late_checkin(self, user_id: int, day: date, score: int) -> bool:
        """Store yesterday's missed check-in at its own date, marked late; never replace one.

        Return whether it was stored (False: the day had an answer already).
        """
        stored = (
            await self._db.exec(
                "INSERT INTO checkins (user_id, local_date, score, answered_at, filled_late)"
                " VALUES (?, ?, ?, ?, 1) ON CONFLICT (user_id, local_date) DO NOTHING",
                (user_id, day.isoformat(), check_score(score), self._db.now()),
            )
            > 0
        )
        if stored:
            # As for any answered check-in: the sender re-reads rows it has claimed.
            self._db.outbox_epoch += 1
        return stored

    async def daily_pain(self, user_id: int, since: date | None = None) -> list[PainEntry]:
        """Return the daily check-ins with their late flag, in date order."""
        rows = await self._db.all(
            "SELECT local_date, score, filled_late FROM checkins"
            " WHERE user_id = ? AND local_date >= ? ORDER BY local_date",
            (user_id, _iso(since) or ""),
        )
        return [_entry(r) for r in rows]

    # --- activities -------------------------------------------------------------------------

    async def add_activity(
        self, user_id: int, name: str, day: date, *, limit: int
    ) -> Activity | None:
        """Start following a named activity; None when `limit` activities are followed already."""
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT count(*) FROM activities WHERE user_id = ? AND dropped_on IS NULL",
                (user_id,),
            ) as cur:
                row = await cur.fetchone()
            if row is not None and row[0] >= limit:
                return None
            cur = await conn.execute(
                "INSERT INTO activities (user_id, name, added_on, created_at) VALUES (?, ?, ?, ?)",
                (user_id, name, day.isoformat(), self._db.now()),
            )
            activity_id = cur.lastrowid
        if activity_id is None:  # pragma: no cover - SQLite always reports the new rowid
            raise RuntimeError("no rowid for the new activity")
        return Activity(activity_id, name, day)

    async def drop_activity(self, user_id: int, activity_id: int, day: date) -> bool:
        """Stop following one of the user's activities (its ratings stay); return if it was."""
        changed = await self._db.exec(
            "UPDATE activities SET dropped_on = ? WHERE id = ? AND user_id = ?"
            " AND dropped_on IS NULL",
            (day.isoformat(), activity_id, user_id),
        )
        return changed > 0

    async def rate_activity(self, user_id: int, activity_id: int, day: date, score: int) -> bool:
        """Store a day's rating of one of the user's followed activities; a second one that
        day replaces the first. Return False (nothing stored) for an activity that is not
        theirs or no longer followed."""
        changed = await self._db.exec(
            "INSERT INTO activity_ratings (activity_id, user_id, local_date, score, answered_at)"
            " SELECT id, user_id, ?, ?, ? FROM activities"
            " WHERE id = ? AND user_id = ? AND dropped_on IS NULL"
            " ON CONFLICT (activity_id, local_date) DO UPDATE SET score = excluded.score,"
            " answered_at = excluded.answered_at",
            (day.isoformat(), check_score(score), self._db.now(), activity_id, user_id),
        )
        return changed > 0

    async def mark_rerate_offered(self, user_id: int, activity_ids: list[int], day: date) -> None:
        """Note the day a weekly re-rating of these activities was offered."""
        async with self._db.transaction() as conn:
            await conn.executemany(
                "UPDATE activities SET rerate_offered_on = ? WHERE id = ? AND user_id = ?",
                [(day.isoformat(), activity_id, user_id) for activity_id in activity_ids],
            )

    async def activities(self, user_id: int, *, dropped: bool = False) -> list[Activity]:
        """Return the user's activities with their ratings, oldest first; dropped ones too
        when asked (the record and the export keep them)."""
        rows = await self._db.all(
            "SELECT id, name, added_on, dropped_on, rerate_offered_on FROM activities"
            " WHERE user_id = ? AND (? OR dropped_on IS NULL) ORDER BY id",
            (user_id, int(dropped)),
        )
        ratings: dict[int, list[ActivityRating]] = defaultdict(list)
        for r in await self._db.all(
            "SELECT activity_id, local_date, score FROM activity_ratings WHERE user_id = ?"
            " ORDER BY local_date",
            (user_id,),
        ):
            ratings[r["activity_id"]].append(
                ActivityRating(date.fromisoformat(r["local_date"]), r["score"])
            )
        return [
            Activity(
                r["id"],
                r["name"],
                date.fromisoformat(r["added_on"]),
                parse_date(r["dropped_on"]),
                parse_date(r["rerate_offered_on"]),
                tuple(ratings[r["id"]]),
            )
            for r in rows
        ]

    # --- the monthly questions --------------------------------------------------------------

    async def offer_monthly(self, user_id: int, day: date) -> None:
        """Note that the monthly questions were offered on `day` (answers come later or not)."""
        await self._db.exec(
            "INSERT INTO monthly_answers (user_id, local_date) VALUES (?, ?)"
            " ON CONFLICT (user_id, local_date) DO NOTHING",
            (user_id, day.isoformat()),
        )

    async def answer_acceptable(self, user_id: int, day: date, acceptable: bool) -> bool:
        """Store the acceptable-state answer to the questions offered on `day`."""
        changed = await self._db.exec(
            "UPDATE monthly_answers SET acceptable = ?, answered_at = ?"
            " WHERE user_id = ? AND local_date = ?",
            (int(acceptable), self._db.now(), user_id, day.isoformat()),
        )
        return changed > 0

    async def answer_change(self, user_id: int, day: date, change: GlobalChange) -> bool:
        """Store the global-change answer to the questions offered on `day`."""
        changed = await self._db.exec(
            "UPDATE monthly_answers SET global_change = ?, answered_at = ?"
            " WHERE user_id = ? AND local_date = ?",
            (change, self._db.now(), user_id, day.isoformat()),
        )
        return changed > 0

    async def monthly(self, user_id: int) -> list[MonthlyAnswer]:
        """Return every offer of the monthly questions with its answers, oldest first."""
        rows = await self._db.all(
            "SELECT local_date, acceptable, global_change FROM monthly_answers"
            " WHERE user_id = ? ORDER BY local_date",
            (user_id,),
        )
        return [
            MonthlyAnswer(
                date.fromisoformat(r["local_date"]),
                _bool(r["acceptable"]),
                GlobalChange(r["global_change"]) if r["global_change"] is not None else None,
            )
            for r in rows
        ]


def _entry(row: aiosqlite.Row) -> PainEntry:
    return PainEntry(date.fromisoformat(row["local_date"]), row["score"], bool(row["filled_late"]))
