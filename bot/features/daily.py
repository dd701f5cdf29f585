"""Daily delivery: what each due subscriber gets today, and the one dispatcher job that
turns due schedules into outbox rows. Safe to run twice at once or after a crash."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from time import perf_counter
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.core import texts
from bot.core.i18n import Translator
from bot.core.outbox import (
    CheckinPrompt,
    DailyMessage,
    FootCheck,
    OutboxMessage,
    TipMessage,
    WeeklyChart,
)
from bot.core.schedule import Due, parse_hhmm, resume_due, should_send
from bot.core.tips import Tip
from bot.features import keyboards
from bot.features.outcomes.first_step import first_step_prompt
from bot.features.tips import Tips
from bot.logs import user_ref
from bot.metrics import Metrics
from bot.store import StorageUnavailable, Store
from bot.store.daily import DailyCommit, DailyFacts
from bot.store.outbox import NewMessage
from bot.store.tips import TipRecord
from bot.store.users import User

log = logging.getLogger(__name__)

DEFAULT_TIME = time(9, 0)


# Users read per page, and written per transaction: a commit of 500 users takes a few
# milliseconds, so a check-in answer waits at most that long for the write lock (bench/).
PAGE_USERS = 1000
COMMIT_USERS = 500  # users per transaction to start with
COMMIT_SECONDS = 0.02  # what a transaction should take; the users per transaction follow it
COMMIT_BOUNDS = (50, 2000)
PLAN_SLICE = 25  # users planned between two turns of the event loop


class CommitSize:
    """Users per daily transaction, steered so that each takes about COMMIT_SECONDS: smaller on
    a busy machine or while answers wait for the write lock, larger on a quiet one."""

    def __init__(self, users: int = COMMIT_USERS) -> None:
        self.users = users

    def observe(self, users: int, seconds: float) -> None:
        """Learn from one transaction of `users` users that took `seconds` (wall time)."""
        if users < self.users // 2:
            return  # a page's short remainder says little
        step = min(max(COMMIT_SECONDS / max(seconds, 1e-4), 0.5), 1.5)
        low, high = COMMIT_BOUNDS
        self.users = int(min(max(self.users * step, low), high))


NO_FACTS = DailyFacts()


def idem_key(message: OutboxMessage, user_id: int, due: Due) -> str:
    """Return the key that makes a user's daily message of one kind unique per local date."""
    return f"{message.kind.value}:{user_id}:{due.day.isoformat()}"


class DayTexts:
    """The texts and keyboards of one dispatch, made once per language and day, not per user.

    A page of due users shares a handful of (language, day) pairs, and building a date in
    words or eleven buttons is most of the planning cost per user.
    """

    def __init__(self, tips: Tips) -> None:
        self._tips = tips
        self._prompts: dict[tuple[str, date, bool], CheckinPrompt] = {}
        self._tip_texts: dict[tuple[str, str], TipMessage] = {}
        self._dailies: dict[tuple[str, str, date, bool], DailyMessage] = {}
        self._foot_checks: dict[tuple[str, date], FootCheck] = {}

    def prompt(self, t: Translator, day: date, *, first_step: bool = False) -> CheckinPrompt:
        """Return the day's check-in question with its buttons; with `first_step`, this
        morning's first-steps question instead (answering it then asks the day's pain)."""
        key = (t.language.value, day, first_step)
        if key not in self._prompts:
            if first_step:
                self._prompts[key] = first_step_prompt(t, day)
            else:
                text = texts.checkin_prompt(t, day)
                self._prompts[key] = CheckinPrompt(text, keyboards.score_buttons(t, day))
        return self._prompts[key]

    def tip(self, tip: Tip, user: User, t: Translator) -> TipMessage:
        """Return a tip as a message in the user's language."""
        key = (t.language.value, tip.id)
        if key not in self._tip_texts:
            self._tip_texts[key] = TipMessage(self._tips.text(tip, user))
        return self._tip_texts[key]

    def daily(
        self, tip: Tip, user: User, t: Translator, day: date, *, first_step: bool = False
    ) -> DailyMessage:
        """Return the tip and the day's check-in question (or first steps) as one message."""
        key = (t.language.value, tip.id, day, first_step)
        if key not in self._dailies:
            prompt = self.prompt(t, day, first_step=first_step)
            text = self.tip(tip, user, t).text
            self._dailies[key] = DailyMessage(text, prompt.text, prompt.buttons)
        return self._dailies[key]

    def foot_check(self, t: Translator, day: date) -> FootCheck:
        """Return the weekly foot check with its buttons."""
        key = (t.language.value, day)
        if key not in self._foot_checks:
            # Diabetes UK: check your feet; these signs need action the same day.
            check = t.gettext(texts.FOOT_CHECK)
            self._foot_checks[key] = FootCheck(check, keyboards.foot_check_buttons(t, day))
        return self._foot_checks[key]


@dataclass(frozen=True)
class Dispatched:
    """What one page of due users came to."""

    moved: int  # users whose schedule moved on
    added: int  # outbox rows written
    stuck: frozenset[int]  # users whose schedule did not move (another tick got there first)


class DailyPlan:
    """Plans and commits each due user's daily messages, a page of users at a time."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        tips: Tips,
        *,
        catch_up: timedelta = timedelta(hours=6),
        metrics: Metrics | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._tips = tips
        self._catch_up = catch_up
        self._metrics = metrics or Metrics()
        self.commit_size = CommitSize()

    async def plan(self, user: User, due: Due) -> tuple[list[NewMessage], TipRecord | None]:
        """Return the day's messages for one due user, reading what their day holds."""
        facts = await self._store.daily.facts_many([(user.user_id, due.day, user.tip_cycle)])
        return self.plan_day(user, due, facts.get(user.user_id, NO_FACTS), DayTexts(self._tips))

    def plan_day(
        self, user: User, due: Due, facts: DailyFacts, day_texts: DayTexts
    ) -> tuple[list[NewMessage], TipRecord | None]:
        """Return the day's daily message for a due user (skipping what's already done).

        The tip and the check-in question go as one message; a tip already given that day
        (/tip, or an earlier version's tip row) leaves the question alone, an answered
        check-in (/checkin, a typed number) leaves the tip alone. The weekly chart follows
        only when the week has a check-in to show: an empty chart saying "no check-ins this
        week" is noise for someone who subscribed minutes ago, or who has stopped answering.
        """
        messages: list[OutboxMessage] = []
        record: TipRecord | None = None
        t = self._tips.translator(user)
        tip: Tip | None = None
        if not facts.tip_given:
            tip, record = self._tips.choose(user, due.day, facts.recent, facts.seen)
        # Issue 22: a user whose profile asks it is asked this morning's first steps first.
        first = facts.first_step
        if tip is not None and not facts.answered:
            messages.append(day_texts.daily(tip, user, t, due.day, first_step=first))
        elif tip is not None:
            messages.append(day_texts.tip(tip, user, t))
        elif not facts.answered:
            messages.append(day_texts.prompt(t, due.day, first_step=first))
        weekly = due.day.weekday() == user.weekly_day
        if user.weekly_summary and weekly and facts.week_checked_in:
            # Drawn by the sender at send time, so the chart includes today's answer if it
            # came in before the queue got to it.
            messages.append(WeeklyChart(due.day))
        if user.has_diabetes and weekly:
            messages.append(day_texts.foot_check(t, due.day))
        rows = [
            NewMessage(idem_key(m, user.user_id, due), user.user_id, user.chat_id, m, due.day)
            for m in messages
        ]
        return rows, record

    async def dispatch(
        self, users: Sequence[User], facts: Mapping[int, DailyFacts] | None = None
    ) -> Dispatched:
        """Enqueue a page of due users' daily messages and advance their schedules.

        `facts` are what each user's day already holds (read here when not given). Plans and
        writes a few hundred users at a time (`CommitSize`: each transaction about 20 ms), and
        lets the event loop run every `PLAN_SLICE` users: planning a whole page in one go kept
        a button press waiting for all of it. Per user it is all or nothing, as before.
        """
        now = self._clock.now()
        scheduled = [
            (user, Due(user.next_due_date, datetime.fromtimestamp(user.next_due_utc, UTC)))
            for user in users
            if user.next_due_utc is not None and user.next_due_date is not None
        ]
        if facts is None:
            facts = await self._store.daily.facts_many(
                [(user.user_id, due.day, user.tip_cycle) for user, due in scheduled]
            )
        day_texts = DayTexts(self._tips)
        moved: set[int] = set()
        added = 0
        start = 0
        while start < len(scheduled):
            chunk = scheduled[start : start + self.commit_size.users]
            start += len(chunk)
            commits: list[DailyCommit] = []
            lateness: dict[int, float] = {}
            for n, (user, due) in enumerate(chunk, 1):
                try:
                    known = facts.get(user.user_id, NO_FACTS)
                    commit = self._plan_user(user, due, now, known, day_texts)
                except Exception:
                    # One bad row must not stop everyone else's messages.
                    log.exception("Dispatch failed for %s", user_ref(user.user_id))
                    continue
                commits.append(commit)
                if commit.messages:
                    lateness[user.user_id] = max(0.0, (now - due.at).total_seconds())
                if n % PLAN_SLICE == 0:
                    await asyncio.sleep(0)  # let waiting answers take a step
            began = perf_counter()  # how long it takes, not what time it is
            done = await self._commit(commits)
            self.commit_size.observe(len(commits), perf_counter() - began)
            moved |= done
            added += sum(len(c.messages) for c in commits if c.user.user_id in done)
            for user_id in done & lateness.keys():
                self._metrics.lateness.observe(lateness[user_id])
            # Let answers and handler writes in between the transactions.
            await asyncio.sleep(0)
        stuck = frozenset(u.user_id for u in users if u.user_id not in moved)
        return Dispatched(len(moved), added, stuck)

    async def _commit(self, commits: Sequence[DailyCommit]) -> set[int]:
        try:
            return await self._store.daily.commit_many(commits)
        except (StorageUnavailable, sqlite3.OperationalError):
            # The database itself failed (disk full, read-only, locked): every user would
            # fail alike, so the tick gives up and the next one tries again.
            raise
        except Exception:
            # Something in one user's rows broke the whole transaction: commit them one by
            # one so that user alone is left out.
            moved: set[int] = set()
            for commit in commits:
                try:
                    moved |= await self._store.daily.commit_many([commit])
                except Exception:
                    log.exception("Dispatch failed for %s", user_ref(commit.user.user_id))
            return moved

    def _plan_user(
        self, user: User, due: Due, now: datetime, facts: DailyFacts, day_texts: DayTexts
    ) -> DailyCommit:
        tz = ZoneInfo(user.timezone)
        at = parse_hhmm(user.send_time) or DEFAULT_TIME
        messages: list[NewMessage] = []
        record: TipRecord | None = None
        paused = user.paused_until is not None and due.day < user.paused_until
        if not paused and should_send(due, now, tz, self._catch_up):
            messages, record = self.plan_day(user, due, facts, day_texts)
        following = resume_due(due, now, at, tz, self._catch_up)
        return DailyCommit(user, messages, record, (following.at.timestamp(), following.day))


@dataclass(frozen=True)
class Page:
    """Due users read together, with what their days already hold."""

    users: Sequence[User]
    facts: Mapping[int, DailyFacts]


class Dispatcher:
    """The one recurring job: every due user's daily messages into the outbox."""

    def __init__(
        self, plan: DailyPlan, store: Store, clock: Clock, batch: int = PAGE_USERS
    ) -> None:
        self._plan = plan
        self._store = store
        self._clock = clock
        self._batch = batch
        self._lock = asyncio.Lock()

    async def tick(self) -> int:
        """Enqueue the daily messages of every due user; return how many rows were added.

        Scheduled work: its statements wait while any answer to a user waits for the
        database (`Database.background`).
        """
        async with self._lock:
            with self._store.db.background():
                added = 0
                stuck: set[int] = set()
                while True:
                    rows, moved = await self._pass(stuck)
                    added += rows
                    # A user whose schedule moved may be due again in this tick (after long
                    # downtime missed days are walked one by one): look again while any moved.
                    # One that did not move (its dispatch failed) waits for the next tick.
                    if not moved:
                        break
            if added:
                log.info("Dispatcher enqueued %d messages", added)
            return added

    async def _pass(self, stuck: set[int]) -> tuple[int, int]:
        """Dispatch the due users page by page in (due, id) order; return (rows, users moved).

        Each page starts after the last user of the one before, so users whose dispatch
        failed are not read again and again. (Reading the next page while writing this one
        was tried: on two busy cores it made the tick slower and each write transaction
        four times longer.)
        """
        added = moved = 0
        after: tuple[float, int] | None = None
        while True:
            page = await self._read(after)
            if not page.users:
                return added, moved
            last = page.users[-1]
            after = (last.next_due_utc or 0.0, last.user_id)
            fresh = [user for user in page.users if user.user_id not in stuck]
            if not fresh:
                continue
            result = await self._plan.dispatch(fresh, page.facts)
            added += result.added
            moved += result.moved
            stuck |= result.stuck

    async def _read(self, after: tuple[float, int] | None) -> Page:
        users = await self._store.users.due(self._clock.now(), self._batch, after)
        facts = await self._store.daily.facts_many(
            [
                (user.user_id, user.next_due_date, user.tip_cycle)
                for user in users
                if user.next_due_date is not None
            ]
        )
        return Page(users, facts)
