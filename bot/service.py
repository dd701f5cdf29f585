"""What the bot does, independent of Telegram: each user action in, the replies to send out.

Handlers translate an update into one call here and send back the `Reply` objects; the
dispatcher asks here what each user's daily messages are. All state goes through the Store.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.core import escalation_text, texts
from bot.core.escalation import (
    DayScore,
    Escalation,
    PastEscalation,
    RedFlag,
    RuleId,
    RulesConfig,
    evaluate,
    evaluate_red_flags,
    needs_red_flag_question,
)
from bot.core.history import checkin_streak
from bot.core.outbox import CheckinPrompt, TipMessage, WeeklyChart
from bot.core.rotation import next_tip
from bot.core.schedule import (
    Due,
    first_due_after,
    format_hhmm,
    local_date,
    parse_hhmm,
    pause_until,
    resume_due,
    should_send,
)
from bot.core.states import Awaiting, UserStatus
from bot.core.timezones import COMMON_ZONES, match_zone
from bot.core.tips import Tip, TipSet
from bot.store import NewMessage, Store, TipRecord, User, UserPatch

log = logging.getLogger(__name__)

Button = tuple[str, str]  # (label, callback_data)
Buttons = tuple[tuple[Button, ...], ...]

TIME_CHOICES = ("07:00", "08:00", "09:00", "12:00", "18:00", "20:00")
HISTORY_DAYS = 120  # enough for the 90-day long-haul rule and two 7-day windows
MAX_PAUSE_DAYS = 30


@dataclass(frozen=True)
class Reply:
    """A message to send: plain text and optional inline buttons."""

    text: str
    buttons: Buttons = ()


@dataclass(frozen=True)
class CheckinOutcome:
    """The result of answering a check-in: the prompt's new text, then messages to send."""

    edit: str
    replies: list[Reply] = field(default_factory=list)


def _rows(buttons: Sequence[Button], per_row: int) -> Buttons:
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def score_buttons(day: date) -> Buttons:
    """Return the eleven 0-10 buttons of a check-in for a local date."""
    buttons = [(str(n), f"ci:{day.isoformat()}:{n}") for n in range(11)]
    return (tuple(buttons[:6]), tuple(buttons[6:]))


def zone_buttons() -> Buttons:
    """Return buttons for common time zones and for typing another."""
    buttons = [(zone, f"tz:{zone}") for zone in COMMON_ZONES]
    return (*_rows(buttons, 2), (("Another zone (type it)", "tz:other"),))


def suggestion_buttons(zones: Sequence[str]) -> Buttons:
    """Return one button per suggested zone."""
    return tuple(((zone, f"tz:{zone}"),) for zone in zones)


def time_buttons() -> Buttons:
    """Return buttons for common daily times and for typing another."""
    buttons = [(t, f"time:{t}") for t in TIME_CHOICES]
    return (*_rows(buttons, 3), (("Another time (type it)", "time:other"),))


def diabetes_buttons() -> Buttons:
    """Return the optional diabetes question's answers."""
    return ((("Yes", "dia:yes"), ("No", "dia:no"), ("Skip", "dia:skip")),)


def red_flag_buttons(day: date) -> Buttons:
    """Return one button per red-flag answer."""
    options = escalation_text.red_flag_options()
    return tuple(((label, f"rf:{day.isoformat()}:{flag.value}"),) for flag, label in options)


def settings_buttons(weekly: bool) -> Buttons:
    """Return the /settings buttons."""
    toggle = "Turn weekly summary off" if weekly else "Turn weekly summary on"
    return (
        (("Change time", "set:time"), ("Change time zone", "set:tz")),
        (("Diabetes answer", "set:diabetes"), ("Weekly summary day", "set:weekday")),
        ((toggle, "set:weekly"),),
    )


def weekday_buttons() -> Buttons:
    """Return one button per weekday for the weekly summary."""
    return _rows([(name, f"set:weekday:{n}") for n, name in enumerate(texts.WEEKDAYS)], 4)


class FootCare:
    """The bot's behaviour, driven by handlers (user actions) and the dispatcher (the clock)."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        tips: TipSet,
        rules: RulesConfig,
        *,
        catch_up: timedelta = timedelta(hours=6),
    ) -> None:
        self.store = store
        self.clock = clock
        self.tips = tips
        self.rules = rules
        self.catch_up = catch_up

    # --- helpers -------------------------------------------------------------------------

    def today(self, user: User) -> date:
        """Return the user's local date now."""
        return local_date(self.clock.now(), ZoneInfo(user.timezone))

    async def _reschedule(self, user: User, send_time: str, zone: str) -> Due:
        """Point the user's next daily delivery at the first slot after now."""
        tz = ZoneInfo(zone)
        at = parse_hhmm(send_time) or time(9, 0)
        due = first_due_after(self.clock.now(), at, tz)
        await self.store.users.update(
            user.user_id,
            UserPatch(
                timezone=zone,
                send_time=send_time,
                next_due_utc=due.at.timestamp(),
                next_due_date=due.day,
            ),
        )
        return due

    async def _history(self, user: User) -> list[DayScore]:
        since = self.today(user) - timedelta(days=HISTORY_DAYS)
        return [DayScore(d, s) for d, s in await self.store.diary.checkins(user.user_id, since)]

    async def _next_tip_record(
        self, user: User, day: date, recent_pain: int | None
    ) -> tuple[Tip, TipRecord]:
        """Pick the user's next tip for a local date, suited to their recent pain."""
        seen = await self.store.tips.seen(user.user_id, user.tip_cycle)
        pick = next_tip(self.tips, user.tip_seed, user.tip_cycle, seen, recent_pain)
        return pick.tip, TipRecord(pick.tip.id, pick.cycle, day)

    def _tip_reply(self, tip: Tip, lang: str) -> Reply:
        return Reply(texts.tip_message(tip.text_for(lang), tip.source))

    # --- subscription --------------------------------------------------------------------

    async def start(
        self, user_id: int, chat_id: int, first_name: str, language_code: str
    ) -> list[Reply]:
        """Subscribe (idempotently) and start onboarding for a new user."""
        existing = await self.store.users.get(user_id)
        if existing is None:
            user = await self.store.users.create(user_id, chat_id, first_name, language_code)
            # Scheduled at once with the defaults, so a user who never finishes onboarding
            # still gets their daily message; choosing a zone and time reschedules it.
            await self._reschedule(user, user.send_time, user.timezone)
            await self.store.users.update(user_id, UserPatch(awaiting=Awaiting.TIMEZONE))
            return [Reply(texts.welcome(first_name), zone_buttons())]
        if existing.status == UserStatus.ACTIVE:
            await self.store.users.update(user_id, UserPatch(chat_id=chat_id))
            return [Reply(texts.already_subscribed(existing.timezone, existing.send_time))]
        await self.store.users.update(
            user_id, UserPatch(status=UserStatus.ACTIVE, chat_id=chat_id, paused_until=None)
        )
        await self._reschedule(existing, existing.send_time, existing.timezone)
        return [Reply(texts.welcome_back(existing.timezone, existing.send_time))]

    async def stop(self, user_id: int) -> Reply:
        """Unsubscribe: no more scheduled messages; the data stays until /delete."""
        user = await self.store.users.get(user_id)
        if user is None:
            return Reply(texts.NOT_SUBSCRIBED)
        await self.store.users.update(
            user_id,
            UserPatch(
                status=UserStatus.STOPPED, next_due_utc=None, next_due_date=None, awaiting=None
            ),
        )
        return Reply(texts.STOPPED)

    # --- schedule settings ---------------------------------------------------------------

    async def set_timezone(self, user_id: int, text: str) -> list[Reply]:
        """Set the zone from a button or typed text; suggest close matches on a typo."""
        user = await self.store.users.get(user_id)
        if user is None:
            return [Reply(texts.NOT_SUBSCRIBED)]
        if not text.strip():
            return [Reply(texts.TIMEZONE_USAGE, zone_buttons())]
        found = match_zone(text)
        if found.zone is None:
            return [
                Reply(
                    texts.bad_timezone(text, found.suggestions),
                    suggestion_buttons(found.suggestions),
                )
            ]
        due = await self._reschedule(user, user.send_time, found.zone)
        if user.awaiting == Awaiting.TIMEZONE:
            await self.store.users.update(user_id, UserPatch(awaiting=Awaiting.TIME))
            return [Reply(texts.timezone_set(found.zone), time_buttons())]
        return [Reply(texts.schedule_changed(found.zone, user.send_time, due.day))]

    async def set_time(self, user_id: int, text: str) -> list[Reply]:
        """Set the daily time from a button or typed HH:MM."""
        user = await self.store.users.get(user_id)
        if user is None:
            return [Reply(texts.NOT_SUBSCRIBED)]
        if not text.strip():
            return [Reply(texts.TIME_USAGE, time_buttons())]
        at = parse_hhmm(text)
        if at is None:
            return [Reply(texts.bad_time(text))]
        send_time = format_hhmm(at)
        due = await self._reschedule(user, send_time, user.timezone)
        if user.awaiting == Awaiting.TIME:
            await self.store.users.update(user_id, UserPatch(awaiting=None))
            done = Reply(texts.onboarding_done(user.timezone, send_time, due.day))
            if user.has_diabetes is None:
                return [done, Reply(texts.ASK_DIABETES, diabetes_buttons())]
            return [done]
        return [Reply(texts.schedule_changed(user.timezone, send_time, due.day))]

    async def ask_typed(self, user_id: int, what: str) -> Reply:
        """Expect the next typed text to be a zone or a time."""
        awaiting = Awaiting(what)
        await self.store.users.update(user_id, UserPatch(awaiting=awaiting))
        return Reply(
            texts.ASK_TIMEZONE_TYPED if awaiting == Awaiting.TIMEZONE else texts.TIME_USAGE
        )

    async def set_diabetes(self, user_id: int, answer: str) -> Reply:
        """Record the optional diabetes answer ('yes', 'no' or 'skip')."""
        if answer in ("yes", "no"):
            await self.store.users.update(user_id, UserPatch(has_diabetes=answer == "yes"))
        return Reply(texts.DIABETES_THANKS)

    async def settings(self, user_id: int) -> Reply:
        """Show the user's settings with buttons to change them."""
        user = await self.store.users.get(user_id)
        if user is None:
            return Reply(texts.NOT_SUBSCRIBED)
        text = texts.settings_summary(
            user.timezone,
            user.send_time,
            user.paused_until,
            user.status,
            user.has_diabetes,
            weekly=user.weekly_summary,
            weekly_day=user.weekly_day,
        )
        return Reply(text, settings_buttons(user.weekly_summary))

    async def settings_action(self, user_id: int, action: str) -> list[Reply]:
        """Offer the choices behind a /settings button."""
        user = await self.store.users.get(user_id)
        if user is None:
            return [Reply(texts.NOT_SUBSCRIBED)]
        if action == "time":
            return [Reply(texts.CHOOSE_TIME, time_buttons())]
        if action == "tz":
            return [Reply(texts.CHOOSE_ZONE, zone_buttons())]
        if action == "weekly":
            await self.store.users.update(
                user_id, UserPatch(weekly_summary=not user.weekly_summary)
            )
            return [Reply(texts.weekly_toggled(not user.weekly_summary, user.weekly_day))]
        if action == "weekday":
            return [Reply(texts.CHOOSE_WEEKDAY, weekday_buttons())]
        if action.startswith("weekday:") and action[8:].isdigit() and int(action[8:]) < 7:
            day = int(action[8:])
            await self.store.users.update(user_id, UserPatch(weekly_day=day, weekly_summary=True))
            return [Reply(texts.weekly_toggled(True, day))]
        if action == "diabetes":
            return [Reply(texts.ASK_DIABETES, diabetes_buttons())]
        return [await self.settings(user_id)]

    async def pause(self, user_id: int, arg: str) -> Reply:
        """Skip the next N daily deliveries (1-30)."""
        user = await self.store.users.get(user_id)
        if user is None or user.status != UserStatus.ACTIVE:
            return Reply(texts.NOT_SUBSCRIBED)
        arg = arg.strip()
        if not arg.isdigit() or not 1 <= int(arg) <= MAX_PAUSE_DAYS:
            return Reply(texts.PAUSE_USAGE)
        first = user.next_due_date or self.today(user)
        until = pause_until(first, int(arg))
        await self.store.users.update(user_id, UserPatch(paused_until=until))
        return Reply(texts.paused(until))

    async def resume(self, user_id: int) -> Reply:
        """End a pause."""
        user = await self.store.users.get(user_id)
        if user is None or user.status != UserStatus.ACTIVE:
            return Reply(texts.NOT_SUBSCRIBED)
        if user.paused_until is None or user.paused_until <= self.today(user):
            return Reply(texts.NOT_PAUSED)
        await self.store.users.update(user_id, UserPatch(paused_until=None))
        return Reply(texts.RESUMED)

    # --- tips and check-ins --------------------------------------------------------------

    async def tip_now(self, user_id: int) -> Reply:
        """Give the next tip now; it counts as today's, so the daily one won't repeat it."""
        user = await self.store.users.get(user_id)
        if user is None:
            return Reply(texts.NOT_SUBSCRIBED)
        today = self.today(user)
        facts = await self.store.daily.facts(user_id, today)
        tip, record = await self._next_tip_record(user, today, facts.recent_score)
        await self.store.tips.record(user_id, record)
        return self._tip_reply(tip, user.language_code)

    async def checkin_prompt(self, user_id: int) -> Reply:
        """Ask for today's pain now."""
        user = await self.store.users.get(user_id)
        if user is None:
            return Reply(texts.NOT_SUBSCRIBED)
        day = self.today(user)
        await self.store.users.update(user_id, UserPatch(pending_checkin_date=day))
        return Reply(texts.checkin_prompt(day), score_buttons(day))

    async def answer_checkin(self, user_id: int, day_text: str, score: int) -> CheckinOutcome:
        """Record a score for the prompt's local date and decide what follows."""
        user = await self.store.users.get(user_id)
        if user is None:
            return CheckinOutcome(texts.NOT_SUBSCRIBED)
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            return CheckinOutcome(texts.CHECKIN_CLOSED)
        today = self.today(user)
        # A prompt answered late (after midnight) still counts for the day it asked about,
        # but older prompts are closed so a stray tap cannot rewrite history.
        if not today - timedelta(days=1) <= day <= today or not 0 <= score <= 10:
            return CheckinOutcome(texts.CHECKIN_CLOSED)
        earlier = dict(await self.store.diary.checkins(user_id, day)).get(day)
        await self.store.diary.record_checkin(user_id, day, score)
        if user.pending_checkin_date is not None and user.pending_checkin_date <= day:
            await self.store.users.update(user_id, UserPatch(pending_checkin_date=None))
        history = await self._history(user)
        if earlier is not None and earlier != score:
            # One score per local day: the latest answer replaces the earlier one.
            outcome = CheckinOutcome(texts.checkin_replaced(day, earlier, score))
        else:
            outcome = CheckinOutcome(
                texts.checkin_recorded(day, score, checkin_streak({e.day for e in history}, today))
            )
        if day != today:
            return outcome
        fired = evaluate(
            history,
            await self._past_escalations(user),
            today,
            self.rules,
            has_diabetes=bool(user.has_diabetes),
        )
        if fired:
            await self._store_escalations(user, fired, today)
            outcome.replies.append(escalation_reply(fired, history))
        if needs_red_flag_question(history, self.rules):
            outcome.replies.append(
                Reply(escalation_text.red_flag_question_text(), red_flag_buttons(today))
            )
        return outcome

    async def typed_score(self, user_id: int, score: int) -> CheckinOutcome | None:
        """Answer a pending check-in with a typed number; None when nothing is pending."""
        user = await self.store.users.get(user_id)
        if user is None or user.pending_checkin_date is None:
            return None
        return await self.answer_checkin(user_id, user.pending_checkin_date.isoformat(), score)

    async def answer_red_flag(self, user_id: int, day_text: str, flag_text: str) -> CheckinOutcome:
        """Record a red-flag answer; send the urgent message at once when one applies."""
        user = await self.store.users.get(user_id)
        try:
            flag = RedFlag(flag_text)
            day = date.fromisoformat(day_text)
        except ValueError:
            return CheckinOutcome(texts.CHECKIN_CLOSED)
        if user is None:
            return CheckinOutcome(texts.NOT_SUBSCRIBED)
        await self.store.diary.record_red_flags(user_id, day, [flag.value])
        labels = dict(escalation_text.red_flag_options())
        outcome = CheckinOutcome(texts.red_flag_answered(labels.get(flag, flag.value)))
        history = await self._history(user)
        fired = evaluate_red_flags([flag], history, self.rules)
        if fired is None:
            outcome.replies.append(Reply(texts.RED_FLAG_NONE))
            return outcome
        await self._store_escalations(user, [fired], day)
        outcome.replies.append(escalation_reply([fired], history))
        return outcome

    async def _past_escalations(self, user: User) -> list[PastEscalation]:
        stored = await self.store.escalations.for_user(user.user_id)
        return [PastEscalation(RuleId(e.rule), e.local_date) for e in stored]

    async def _store_escalations(self, user: User, fired: Sequence[Escalation], day: date) -> None:
        for item in fired:
            log.info("Escalation %s for user %d", item.rule.value, user.user_id)
            await self.store.escalations.add(
                user.user_id,
                item.rule.value,
                item.urgency.key,
                day,
                [(s.day, s.score) for s in item.scores],
                item.reason,
            )

    # --- free text -----------------------------------------------------------------------

    async def text(self, user_id: int, text: str) -> list[Reply] | CheckinOutcome:
        """Handle typed text: an expected zone or time, a check-in score, or a hint."""
        user = await self.store.users.get(user_id)
        if user is None:
            return [Reply(texts.NOT_SUBSCRIBED)]
        if user.awaiting == Awaiting.TIMEZONE:
            return await self.set_timezone(user_id, text)
        if user.awaiting == Awaiting.TIME:
            return await self.set_time(user_id, text)
        if user.pending_checkin_date is not None:
            score = parse_score(text)
            if score is None:
                return [Reply(texts.CHECKIN_HINT)]
            outcome = await self.typed_score(user_id, score)
            if outcome is not None:
                return outcome
        return [Reply(texts.FREE_TEXT)]

    # --- daily delivery ------------------------------------------------------------------

    async def plan_daily(self, user: User, due: Due) -> tuple[list[NewMessage], TipRecord | None]:
        """Return the day's tip and check-in for a due user (skipping what's already done)."""
        messages: list[NewMessage] = []
        record: TipRecord | None = None
        # One query for what is already done that day and the pain to pick the tip for.
        facts = await self.store.daily.facts(user.user_id, due.day)
        if not facts.tip_given:
            tip, record = await self._next_tip_record(user, due.day, facts.recent_score)
            reply = self._tip_reply(tip, user.language_code)
            messages.append(
                NewMessage(
                    f"tip:{user.user_id}:{due.day.isoformat()}",
                    user.user_id,
                    user.chat_id,
                    TipMessage(reply.text),
                    due.day,
                )
            )
        if not facts.answered:
            messages.append(
                NewMessage(
                    f"checkin:{user.user_id}:{due.day.isoformat()}",
                    user.user_id,
                    user.chat_id,
                    CheckinPrompt(texts.checkin_prompt(due.day), score_buttons(due.day)),
                    due.day,
                )
            )
        if user.weekly_summary and due.day.weekday() == user.weekly_day:
            # Rendered by the sender at send time, so the chart includes today's answer
            # if it came in before the queue got to it.
            messages.append(
                NewMessage(
                    f"weekly:{user.user_id}:{due.day.isoformat()}",
                    user.user_id,
                    user.chat_id,
                    WeeklyChart(due.day),
                    due.day,
                )
            )
        return messages, record

    async def dispatch_user(self, user: User) -> tuple[bool, int]:
        """Enqueue a due user's daily messages and advance their schedule.

        Returns whether the schedule moved (False: another tick or a settings change got
        there first) and how many rows were added.
        """
        if user.next_due_utc is None or user.next_due_date is None:
            return False, 0
        tz = ZoneInfo(user.timezone)
        at = parse_hhmm(user.send_time) or time(9, 0)
        now = self.clock.now()
        due = Due(user.next_due_date, datetime.fromtimestamp(user.next_due_utc, UTC))
        messages: list[NewMessage] = []
        record: TipRecord | None = None
        paused = user.paused_until is not None and due.day < user.paused_until
        if not paused and should_send(due, now, tz, self.catch_up):
            messages, record = await self.plan_daily(user, due)
        following = resume_due(due, now, at, tz, self.catch_up)
        committed = await self.store.daily.commit(
            user, messages, record, (following.at.timestamp(), following.day)
        )
        return committed, len(messages) if committed else 0


def escalation_reply(fired: Sequence[Escalation], history: Sequence[DayScore]) -> Reply:
    """Return the escalation message with its 'Summary for your doctor' button."""
    return Reply(
        escalation_text.escalation_message(fired, history),
        ((("Summary for your doctor", "doc:summary"),),),
    )


def parse_score(text: str) -> int | None:
    """Read a typed pain score: '5', ' 7 ', '3/10'; None when it isn't 0-10."""
    cleaned = text.strip().removesuffix("/10").strip()
    if cleaned.isdigit() and 0 <= int(cleaned) <= 10:
        return int(cleaned)
    return None
