"""This morning's first steps: asked first in the daily message of a user whose profile asks
it (pain under the heel, or turned on in /settings); answering or skipping edits the same
message to ask today's pain, so it stays one message and one tap each.

A typed number answers whichever question is pending: the first steps until they are
answered or skipped that day, then today's pain. First-step pain is stored per local day and
never feeds the escalation rules (they read the daily check-ins only).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.clock import Clock
from bot.core import texts
from bot.core.callbacks import FirstStepAnswer
from bot.core.i18n import ENGLISH_ONLY, Catalogs, Translator
from bot.core.outbox import PARAGRAPH, CheckinPrompt, tip_above_question
from bot.core.outcomes import FootProfile
from bot.core.replies import Outcome
from bot.features import keyboards
from bot.features.common import subscriber, today, translator
from bot.features.outcomes import words
from bot.features.outcomes.keyboards import first_step_buttons
from bot.store import Store
from bot.store.users import User


def first_step_prompt(t: Translator, day: date) -> CheckinPrompt:
    """Return the day's first-steps question with its buttons (the daily message's question)."""
    head = t.gettext("Check-in for {day}").format(day=t.date(day, "short"))
    return CheckinPrompt(f"{head}\n{t.gettext(words.ASK_FIRST_STEP)}", first_step_buttons(t, day))


def first_step_line(t: Translator, profile: FootProfile | None) -> str:
    """Return "Morning first-steps question: on/off" for /settings."""
    on = profile is not None and profile.asks_first_step
    return t.gettext(words.SETTINGS_FIRST_STEP_ON if on else words.SETTINGS_FIRST_STEP_OFF)


async def toggle_first_step(store: Store, user: User, t: Translator, clock: Clock) -> str:
    """Turn the first-steps question on or off from /settings; return what it now is."""
    profile = await store.outcomes.profile(user.user_id) or FootProfile()
    changed = replace(profile, first_step=not profile.asks_first_step)
    await store.outcomes.save_profile(user.user_id, changed, today(clock, user))
    return first_step_line(t, changed)


class FirstStep:
    """The first-steps answer, by button or typed, and what is pending for a typed number."""

    def __init__(self, store: Store, clock: Clock, catalogs: Catalogs = ENGLISH_ONLY) -> None:
        self._store = store
        self._clock = clock
        self._catalogs = catalogs

    async def pending(self, user: User) -> bool:
        """Say whether a typed number now answers the first-steps question (not today's pain)."""
        day = user.pending_checkin_date
        if day is None or day != today(self._clock, user):
            return False
        profile = await self._store.outcomes.profile(user.user_id)
        if profile is None or not profile.asks_first_step:
            return False
        if profile.first_step_skipped_on == day:
            return False
        return await self._store.outcomes.first_step_on(user.user_id, day) is None

    async def answer(
        self, user_id: int, answer: FirstStepAnswer, shown: str | None = None
    ) -> Outcome:
        """Store (or skip) the first steps, then ask today's pain in the same message.

        `shown` is the pressed message's text: a daily message keeps its tip above.
        """
        user = await subscriber(self._store, user_id)
        outcome = await self._record(user, answer)
        tip = None if shown is None else tip_above_question(shown)
        if tip is not None and outcome.edit is not None:
            outcome = replace(outcome, edit=f"{tip}{PARAGRAPH}{outcome.edit}")
        return outcome

    async def answer_typed(self, user: User, score: int) -> Outcome:
        """A typed number while the first-steps question is pending (see `pending`)."""
        return await self._record(user, FirstStepAnswer(today(self._clock, user), score))

    async def _record(self, user: User, answer: FirstStepAnswer) -> Outcome:
        t = translator(user, self._catalogs)
        now = today(self._clock, user)
        if answer.day != now:
            # Only this morning's first steps: an old button changes nothing.
            return Outcome(edit=t.gettext(texts.CHECKIN_CLOSED))
        if answer.score is None:
            await self._store.outcomes.skip_first_step(user.user_id, now)
            said = t.gettext("Your answer: {answer}.").format(answer=t.gettext("skipped"))
            toast = None
        else:
            await self._store.outcomes.record_first_step(user.user_id, now, answer.score)
            said = t.gettext(words.FIRST_STEP_TOAST).format(score=answer.score)
            toast = said
        answered = await self._store.diary.checkins(user.user_id, now)
        if any(day == now for day, _ in answered):
            # Today's pain is in already (/checkin or typed before): nothing more to ask.
            return Outcome(edit=said, toast=toast)
        question = texts.checkin_prompt(t, now)
        return Outcome(
            edit=f"{said}{PARAGRAPH}{question}",
            edit_buttons=keyboards.score_buttons(t, now),
            toast=toast,
        )
