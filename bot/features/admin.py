"""Admin features: broadcasts (preview, confirm, cancel, progress) and the /stats report.

Only callers that checked ADMIN_IDS reach this module.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.core import texts
from bot.core.i18n import Language
from bot.core.outbox import BroadcastCopy, Entity
from bot.core.replies import Outcome
from bot.core.schedule import local_date
from bot.core.states import BroadcastStatus, UserStatus
from bot.features import keyboards
from bot.logs import user_ref
from bot.store import Store
from bot.store.broadcasts import BroadcastCounts

log = logging.getLogger(__name__)

BROADCAST_PRIORITY = 10  # daily messages (priority 0) always go first


@dataclass(frozen=True)
class Stats:
    """The figures behind /stats."""

    active: int
    paused: int
    stopped: int
    blocked: int
    new_7d: int
    checkins_today: int
    response_rate_7d: float | None
    avg_pain_today: float | None
    avg_pain_7d: float | None
    escalations_7d: Mapping[str, int]
    escalations_30d: Mapping[str, int]
    backlog: int
    last_error: str | None


def _avg(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _rules(counts: Mapping[str, int]) -> str:
    if not counts:
        return "none"
    return ", ".join(f"{rule} {n}" for rule, n in sorted(counts.items()))


def stats_text(stats: Stats) -> str:
    """Format /stats for an admin."""
    rate = "n/a" if stats.response_rate_7d is None else f"{stats.response_rate_7d:.0%}"
    return "\n".join(
        [
            "FootCare stats",
            f"Subscribers: {stats.active} active, {stats.paused} paused, "
            f"{stats.stopped} stopped, {stats.blocked} blocked",
            f"New in the last 7 days: {stats.new_7d}",
            f"Check-ins today: {stats.checkins_today}",
            f"7-day response rate: {rate}",
            f"Average pain today: {_avg(stats.avg_pain_today)}, "
            f"last 7 days: {_avg(stats.avg_pain_7d)}",
            f"Escalations, 7 days: {_rules(stats.escalations_7d)}",
            f"Escalations, 30 days: {_rules(stats.escalations_30d)}",
            f"Outbox backlog: {stats.backlog}",
            f"Last send error: {stats.last_error or 'none'}",
        ]
    )


class Admin:
    """Broadcasts and stats for the admins named in ADMIN_IDS."""

    def __init__(
        self, store: Store, clock: Clock, admin_ids: frozenset[int], *, paid: bool = False
    ) -> None:
        self._store = store
        self._clock = clock
        self._admin_ids = admin_ids
        self._paid = paid

    def is_admin(self, user_id: int) -> bool:
        """Say whether this Telegram user is an admin."""
        return user_id in self._admin_ids

    async def preview(
        self,
        admin_id: int,
        chat_id: int,
        text: str,
        entities: Sequence[Entity] | None,
        language: Language | None = None,
    ) -> Outcome:
        """Store a draft for one language or all and show it with Send / Cancel buttons, with
        how many subscribers each language has; nothing is sent yet."""
        if not text.strip():
            return Outcome.reply(texts.BROADCAST_USAGE)
        by_language = await self._store.users.count_active_by_language()
        if language is None:
            recipients = sum(by_language.values())
        else:
            recipients = by_language.get(language.value, 0)
        if recipients == 0:
            return Outcome.reply(texts.BROADCAST_EMPTY)
        code = language.value if language is not None else None
        draft = await self._store.broadcasts.create(admin_id, chat_id, text, entities, code)
        log.info("Admin %s drafted broadcast %d (%s)", user_ref(admin_id), draft, code or "all")
        label = texts.broadcast_send_label(recipients)
        preview = texts.broadcast_preview(text, recipients, tuple(by_language.items()), code)
        return Outcome.reply(preview, keyboards.broadcast_buttons(draft, label))

    async def confirm(self, admin_id: int, broadcast_id: int) -> tuple[str, bool]:
        """Start a drafted broadcast once; return the text for the preview and if it started."""
        draft = await self._store.broadcasts.get(broadcast_id)
        started = None
        if draft is not None and draft.status is BroadcastStatus.PREVIEW:
            copy = BroadcastCopy(draft.text, draft.entities, paid=self._paid)
            # start() checks the status again inside its transaction: a second press of
            # Send that raced this one finds nothing to start.
            started = await self._store.broadcasts.start(
                broadcast_id, copy, priority=BROADCAST_PRIORITY
            )
        if started is None:
            return texts.BROADCAST_ALREADY, False
        log.info(
            "Admin %s started broadcast %d to %d users", user_ref(admin_id), broadcast_id, started
        )
        return texts.broadcast_progress(0, 0, 0, started), True

    async def shown_at(self, broadcast_id: int, message_id: int) -> None:
        """Remember the admin's progress message so a restart keeps editing it."""
        await self._store.broadcasts.set_progress_message(broadcast_id, message_id)

    async def cancel_draft(self, broadcast_id: int) -> str:
        """Cancel a draft from its preview's Cancel button."""
        if await self._store.broadcasts.cancel_draft(broadcast_id):
            return texts.broadcast_cancelled_preview()
        return texts.BROADCAST_ALREADY

    async def cancel_running(self) -> Outcome:
        """Stop the running broadcast(s); report how many were not sent."""
        running = await self._store.broadcasts.with_status(BroadcastStatus.SENDING)
        if not running:
            return Outcome.reply(texts.BROADCAST_NONE_RUNNING)
        not_sent = 0
        for broadcast in running:
            not_sent += await self._store.broadcasts.cancel(broadcast.id)
        return Outcome.reply(texts.broadcast_cancel_report(not_sent))

    async def progress(self, broadcast_id: int) -> tuple[str, bool]:
        """Return the progress text for a broadcast and whether it is finished."""
        counts = await self._store.broadcasts.counts(broadcast_id)
        broadcast = await self._store.broadcasts.get(broadcast_id)
        if broadcast is None:
            return "", True
        sending = broadcast.status is BroadcastStatus.SENDING
        if counts.pending or (sending and counts.in_flight):
            return (
                texts.broadcast_progress(counts.sent, counts.blocked, counts.failed, counts.total),
                False,
            )
        cancelled = broadcast.status is BroadcastStatus.CANCELLED
        return self._report(counts, broadcast.started_at, cancelled), True

    def _report(self, counts: BroadcastCounts, started_at: float | None, cancelled: bool) -> str:
        end = counts.last_sent_at or self._clock.now().timestamp()
        elapsed = max(0.0, end - (started_at or end))
        return texts.broadcast_report(
            counts.sent, counts.blocked, counts.failed, counts.skipped, elapsed, cancelled
        )

    async def stats(self, last_error: str | None) -> Stats:
        """Gather the /stats figures; 'today' is each user's own local date."""
        now = self._clock.now()
        stats = self._store.stats
        by_status = await stats.status_counts()
        paused = await self._paused_now(now)
        today_scores = await stats.scores_on_local_days(await self._today_by_zone(now))
        week_start = now - timedelta(days=7)
        week_scores = await stats.scores_answered_since(week_start)
        prompts = await stats.checkin_prompts_sent_since(week_start)
        return Stats(
            active=by_status[UserStatus.ACTIVE] - paused,
            paused=paused,
            stopped=by_status[UserStatus.STOPPED],
            blocked=by_status[UserStatus.BLOCKED],
            new_7d=await stats.new_since(week_start),
            checkins_today=len(today_scores),
            response_rate_7d=min(1.0, len(week_scores) / prompts) if prompts else None,
            avg_pain_today=sum(today_scores) / len(today_scores) if today_scores else None,
            avg_pain_7d=sum(week_scores) / len(week_scores) if week_scores else None,
            escalations_7d=await self._store.escalations.counts_since(week_start),
            escalations_30d=await self._store.escalations.counts_since(now - timedelta(days=30)),
            backlog=await self._store.outbox.pending_count(),
            last_error=last_error or await self._store.outbox.last_error(),
        )

    async def _paused_now(self, now: datetime) -> int:
        """Count active users inside a pause on their own local date."""
        pauses = await self._store.stats.pauses()
        return sum(1 for zone, until in pauses if until > local_date(now, ZoneInfo(zone)))

    async def _today_by_zone(self, now: datetime) -> dict[str, str]:
        return {
            zone: local_date(now, ZoneInfo(zone)).isoformat()
            for zone in await self._store.stats.timezones_in_use()
        }
