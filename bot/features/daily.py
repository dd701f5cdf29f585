"""Daily delivery: what each due subscriber gets today, and the one dispatcher job that
turns due schedules into outbox rows. Safe to run twice at once or after a crash."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.core import texts
from bot.core.outbox import (
    CheckinPrompt,
    DailyMessage,
    FootCheck,
    OutboxMessage,
    TipMessage,
    WeeklyChart,
)
from bot.core.schedule import Due, parse_hhmm, resume_due, should_send
from bot.features import keyboards
from bot.features.tips import Tips
from bot.logs import user_ref
from bot.metrics import Metrics
from bot.store import StorageUnavailable, Store
from bot.store.outbox import NewMessage
from bot.store.tips import TipRecord
from bot.store.users import User

log = logging.getLogger(__name__)

DEFAULT_TIME = time(9, 0)
WEEK_DAYS = 7  # the weekly chart's span, ending on its day


def idem_key(message: OutboxMessage, user_id: int, due: Due) -> str:
    """Return the key that makes a user's daily message of one kind unique per local date."""
    return f"{message.kind.value}:{user_id}:{due.day.isoformat()}"


class DailyPlan:
    """Plans and commits each due user's daily messages."""

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

    async def plan(self, user: User, due: Due) -> tuple[list[NewMessage], TipRecord | None]:
        """Return the day's daily message for a due user (skipping what's already done).

        The tip and the check-in question go as one message; a tip already given that day
        (/tip, or an earlier version's tip row) leaves the question alone, an answered
        check-in (/checkin, a typed number) leaves the tip alone. The weekly chart follows
        only when the week has a check-in to show.
        """
        messages: list[OutboxMessage] = []
        record: TipRecord | None = None
        # One query for what is already done that day; the tip reads the recent pain itself.
        facts = await self._store.daily.facts(user.user_id, due.day)
        t = self._tips.translator(user)
        prompt = texts.checkin_prompt(t, due.day)
        buttons = keyboards.score_buttons(t, due.day)
        tip: str | None = None
        if not facts.tip_given:
            picked, record = await self._tips.pick(user, due.day)
            tip = self._tips.text(picked, user)
        if tip is not None and not facts.answered:
            messages.append(DailyMessage(tip, prompt, buttons))
        elif tip is not None:
            messages.append(TipMessage(tip))
        elif not facts.answered:
            messages.append(CheckinPrompt(prompt, buttons))
        weekly = due.day.weekday() == user.weekly_day
        if user.weekly_summary and weekly and await self._week_has_checkins(user, due):
            # Drawn by the sender at send time, so the chart includes today's answer if it
            # came in before the queue got to it.
            messages.append(WeeklyChart(due.day))
        if user.has_diabetes and weekly:
            # Diabetes UK: check your feet; these signs need action the same day.
            check = t.gettext(texts.FOOT_CHECK)
            messages.append(FootCheck(check, keyboards.foot_check_buttons(t, due.day)))
        rows = [
            NewMessage(idem_key(m, user.user_id, due), user.user_id, user.chat_id, m, due.day)
            for m in messages
        ]
        return rows, record

    async def _week_has_checkins(self, user: User, due: Due) -> bool:
        """Whether the chart's seven days, ending on the due day, hold a check-in to draw.

        A week with none would be an empty chart saying "no check-ins this week": noise for
        someone who subscribed minutes ago, or who has stopped answering.
        """
        since = due.day - timedelta(days=WEEK_DAYS - 1)
        return any(
            day <= due.day for day, _ in await self._store.diary.checkins(user.user_id, since)
        )

    async def dispatch_user(self, user: User) -> tuple[bool, int]:
        """Enqueue a due user's daily messages and advance their schedule.

        Returns whether the schedule moved (False: another tick or a settings change got
        there first) and how many rows were added.
        """
        if user.next_due_utc is None or user.next_due_date is None:
            return False, 0
        tz = ZoneInfo(user.timezone)
        at = parse_hhmm(user.send_time) or DEFAULT_TIME
        now = self._clock.now()
        due = Due(user.next_due_date, datetime.fromtimestamp(user.next_due_utc, UTC))
        messages: list[NewMessage] = []
        record: TipRecord | None = None
        paused = user.paused_until is not None and due.day < user.paused_until
        if not paused and should_send(due, now, tz, self._catch_up):
            messages, record = await self.plan(user, due)
        following = resume_due(due, now, at, tz, self._catch_up)
        committed = await self._store.daily.commit(
            user, messages, record, (following.at.timestamp(), following.day)
        )
        if committed and messages:
            self._metrics.lateness.observe(max(0.0, (now - due.at).total_seconds()))
        return committed, len(messages) if committed else 0


class Dispatcher:
    """The one recurring job: every due user's daily messages into the outbox."""

    def __init__(self, plan: DailyPlan, store: Store, clock: Clock, batch: int = 500) -> None:
        self._plan = plan
        self._store = store
        self._clock = clock
        self._batch = batch
        self._lock = asyncio.Lock()

    async def tick(self) -> int:
        """Enqueue the daily messages of every due user; return how many rows were added."""
        async with self._lock:
            added = 0
            done: set[int] = set()
            while True:
                # Users that made no progress (their dispatch failed) stay due; asking for
                # that many more keeps them from hiding the rest of the queue.
                due = await self._store.users.due(self._clock.now(), self._batch + len(done))
                fresh = [user for user in due if user.user_id not in done]
                if not fresh:
                    break
                for user in fresh:
                    moved = False
                    try:
                        moved, rows = await self._plan.dispatch_user(user)
                        added += rows
                    except StorageUnavailable:
                        raise  # the disk, not this user: everyone else would fail too
                    except Exception:
                        # One bad row must not stop everyone else's messages.
                        log.exception("Dispatch failed for %s", user_ref(user.user_id))
                    # A user whose schedule moved may be due again in this tick (after long
                    # downtime missed days are walked one by one); one that did not move is
                    # not retried until the next tick.
                    if not moved:
                        done.add(user.user_id)
            if added:
                log.info("Dispatcher enqueued %d messages", added)
            return added
