"""Check-ins: the pain question, its answers by button or typed number, the warning-sign
follow-up, and the escalations they trigger (stored, then shown with the recent scores)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta

from bot.clock import Clock
from bot.core import escalation_text, texts
from bot.core.callbacks import CheckinAnswer, RedFlagAnswer
from bot.core.escalation import DayScore, Escalation, PastEscalation, RuleId, RulesConfig
from bot.core.escalation_text import Routes
from bot.core.history import checkin_streak
from bot.core.i18n import ENGLISH_ONLY, Catalogs
from bot.core.outbox import PARAGRAPH, tip_above_question
from bot.core.pain_rules import evaluate, needs_red_flag_question
from bot.core.replies import Outcome, Reply
from bot.core.warning_signs import RedFlag, evaluate_red_flags
from bot.features import keyboards
from bot.features.common import subscriber, today, translator
from bot.logs import user_ref
from bot.metrics import Metrics
from bot.store import Store
from bot.store.users import User, UserPatch

log = logging.getLogger(__name__)

# Enough for the 90-day long-haul rule and two 7-day windows; an older start of the pain comes
# from the user's answer (User.reported_pain), not from the history.
HISTORY_DAYS = 120


def parse_score(text: str) -> int | None:
    """Read a typed pain score: '5', ' 7 ', '3/10'; None when it isn't 0-10."""
    cleaned = text.strip().removesuffix("/10").strip()
    if cleaned.isdigit() and 0 <= int(cleaned) <= 10:
        return int(cleaned)
    return None


RoutesFor = Callable[[User], Routes | None]


def _open(day: date, now: date) -> bool:
    """Tell whether a question asked for `day` can still be answered on local date `now`.

    One answered late (after midnight) still counts for the day it asked about, but older
    ones are closed so a stray tap cannot rewrite history, and a date not yet reached on the
    user's calendar is no button of theirs.
    """
    return now - timedelta(days=1) <= day <= now


def no_routes(user: User) -> Routes | None:
    """Know no country: escalations say "your local emergency number"."""
    return None


class Checkins:
    """Daily pain scores, warning signs, and the escalations they lead to."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        rules: RulesConfig,
        routes: RoutesFor = no_routes,
        catalogs: Catalogs = ENGLISH_ONLY,
        metrics: Metrics | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._rules = rules
        self._routes = routes
        self._catalogs = catalogs
        self._metrics = metrics or Metrics()

    def _escalation_reply(
        self, user: User, fired: Sequence[Escalation], history: Sequence[DayScore]
    ) -> Reply:
        """Return the escalation message, in the user's country's terms, with its summary
        button."""
        t = translator(user, self._catalogs)
        text = escalation_text.escalation_message(t, fired, history, routes=self._routes(user))
        return Reply(text, keyboards.doctor_summary_buttons(t))

    async def warning_signs(self, user_id: int, page: int = 0) -> Outcome:
        """Open the warning-sign list now, whatever today's pain (a rupture can hurt little).

        A later page comes from "None of these: more signs" under the page before, which is
        replaced by that answer so only the newest page has buttons.
        """
        user = await subscriber(self._store, user_id)
        t = translator(user, self._catalogs)
        diabetes = bool(user.has_diabetes)
        buttons = keyboards.red_flag_buttons(
            t, today(self._clock, user), has_diabetes=diabetes, page=page
        )
        question = escalation_text.red_flag_question_text(
            t, asked=False, page=page, has_diabetes=diabetes
        )
        if page == 0:
            return Outcome.reply(question, buttons)
        answered = texts.red_flag_answered(t, t.gettext(escalation_text.MORE_SIGNS))
        return Outcome(edit=answered).then(Reply(question, buttons))

    async def prompt(self, user_id: int) -> Outcome:
        """Ask for today's pain now; a typed number answers it too."""
        user = await subscriber(self._store, user_id)
        day = today(self._clock, user)
        t = translator(user, self._catalogs)
        await self._store.users.update(user_id, UserPatch(pending_checkin_date=day))
        return Outcome.reply(texts.checkin_prompt(t, day), keyboards.score_buttons(t, day))

    async def answer(
        self, user_id: int, answer: CheckinAnswer, shown: str | None = None
    ) -> Outcome:
        """Record a pressed score for the prompt's local date and decide what follows.

        `shown` is the pressed message's text: a daily message keeps its tip above the
        answer. The toast confirms the score at once, before the edit waits for its slot.
        """
        outcome = await self._record(await subscriber(self._store, user_id), answer)
        tip = None if shown is None else tip_above_question(shown)
        if tip is not None and outcome.edit is not None:
            outcome = replace(outcome, edit=f"{tip}{PARAGRAPH}{outcome.edit}")
        return outcome

    async def answer_typed(self, user: User, score: int) -> Outcome:
        """Answer the pending check-in with a typed score (the caller checked one is pending)."""
        if user.pending_checkin_date is None:
            return Outcome.reply(translator(user, self._catalogs).gettext(texts.FREE_TEXT))
        return await self._record(user, CheckinAnswer(user.pending_checkin_date, score))

    async def _record(self, user: User, answer: CheckinAnswer) -> Outcome:
        day, score = answer.day, answer.score
        now = today(self._clock, user)
        t = translator(user, self._catalogs)
        if not _open(day, now):
            return Outcome(edit=t.gettext(texts.CHECKIN_CLOSED))
        # One read serves both the earlier answer and the history the rules need: every
        # round trip here delays the toast of everyone answering at the same moment.
        before = await self._history(user)
        earlier = next((e.score for e in before if e.day == day), None)
        await self._store.diary.record_checkin(user.user_id, day, score)
        self._metrics.checkins.inc()
        if user.pending_checkin_date is not None and user.pending_checkin_date <= day:
            await self._store.users.update(user.user_id, UserPatch(pending_checkin_date=None))
        history = sorted(
            [e for e in before if e.day != day] + [DayScore(day, score)], key=lambda e: e.day
        )
        toast = texts.checkin_toast(t, score)
        if earlier is not None and earlier != score:
            # One score per local day: the latest answer replaces the earlier one.
            outcome = Outcome(edit=texts.checkin_replaced(t, day, earlier, score), toast=toast)
        else:
            streak = checkin_streak({e.day for e in history}, now)
            outcome = Outcome(edit=texts.checkin_recorded(t, day, score, streak), toast=toast)
        if day != now:
            return outcome
        fired = evaluate(
            history,
            await self._past_escalations(user),
            now,
            self._rules,
            has_diabetes=bool(user.has_diabetes),
            reported=user.reported_pain,
        )
        if fired:
            await self._store_escalations(user, fired, now)
            outcome = outcome.then(self._escalation_reply(user, fired, history))
        if needs_red_flag_question(history, self._rules):
            diabetes = bool(user.has_diabetes)
            question = escalation_text.red_flag_question_text(t, has_diabetes=diabetes)
            buttons = keyboards.red_flag_buttons(t, now, has_diabetes=diabetes)
            outcome = outcome.then(Reply(question, buttons))
        return outcome

    async def answer_red_flag(self, user_id: int, answer: RedFlagAnswer) -> Outcome:
        """Record a warning-sign answer; send the urgent message at once when one applies."""
        user = await subscriber(self._store, user_id)
        t = translator(user, self._catalogs)
        now = today(self._clock, user)
        day = answer.day
        if not _open(day, now):
            # A date the user's calendar has not reached is no button of theirs; "none" on an
            # old question says nothing new.
            if day > now or answer.flag is RedFlag.NONE:
                return Outcome(edit=t.gettext(texts.RED_FLAG_CLOSED))
            # A warning sign never closes: one tapped under an old question, or handled late
            # (the bot was down, or restarted and handled it from its inbox), still escalates.
            # It is recorded for today, so no past day is rewritten.
            day = now
        await self._store.diary.record_red_flags(user_id, day, [answer.flag.value])
        label = escalation_text.red_flag_label(t, answer.flag)
        outcome = Outcome(edit=texts.red_flag_answered(t, label))
        history = await self._history(user)
        fired = evaluate_red_flags(
            [answer.flag], history, self._rules, has_diabetes=bool(user.has_diabetes)
        )
        if fired is None:
            return outcome.then(Reply(t.gettext(texts.RED_FLAG_NONE)))
        await self._store_escalations(user, [fired], day)
        return outcome.then(self._escalation_reply(user, [fired], history))

    async def _history(self, user: User) -> list[DayScore]:
        since = today(self._clock, user) - timedelta(days=HISTORY_DAYS)
        return [DayScore(d, s) for d, s in await self._store.diary.checkins(user.user_id, since)]

    async def _past_escalations(self, user: User) -> list[PastEscalation]:
        stored = await self._store.escalations.for_user(user.user_id)
        return [PastEscalation(RuleId(e.rule), e.local_date) for e in stored]

    async def _store_escalations(self, user: User, fired: Sequence[Escalation], day: date) -> None:
        for item in fired:
            # Which rule fired is health data: DEBUG only.
            log.info("Escalation for %s", user_ref(user.user_id))
            log.debug("Escalation %s for %s", item.rule.value, user_ref(user.user_id))
            await self._store.escalations.add(
                user.user_id,
                item.rule.value,
                item.urgency.key,
                day,
                [(s.day, s.score) for s in item.scores],
                item.reason,
                item.template or None,
                dict(item.params),
            )
            self._metrics.escalations.labels(item.rule.value).inc()
