"""Typed text that is not a command: an expected zone, time or country, a pain score, or a
hint."""

from __future__ import annotations

from bot.core import texts
from bot.core.i18n import ENGLISH_ONLY, Catalogs
from bot.core.replies import Outcome
from bot.core.states import Awaiting
from bot.features import keyboards
from bot.features.checkins import Checkins, parse_score
from bot.features.common import subscriber, translator
from bot.features.outcomes import words as outcome_words
from bot.features.outcomes.first_step import FirstStep
from bot.features.outcomes.keyboards import site_buttons
from bot.features.preferences import Preferences
from bot.features.subscription import Subscription
from bot.store import Store


class Conversation:
    """Routes free text to the feature that is waiting for it."""

    def __init__(
        self,
        store: Store,
        subscription: Subscription,
        checkins: Checkins,
        preferences: Preferences | None = None,
        catalogs: Catalogs = ENGLISH_ONLY,
        *,
        first_step: FirstStep | None = None,
    ) -> None:
        self._first_step = first_step
        self._catalogs = catalogs
        self._store = store
        self._subscription = subscription
        self._checkins = checkins
        self._preferences = preferences

    async def text(self, user_id: int, text: str, telegram_language: str | None = None) -> Outcome:
        """Handle typed text: an expected zone, time or country, a check-in score, or a hint.

        `telegram_language` is Telegram's code for the user (it orders the country offer).
        """
        user = await subscriber(self._store, user_id)
        match user.awaiting:
            case Awaiting.TIMEZONE | Awaiting.ZONE:
                return await self._subscription.set_timezone(user_id, text, telegram_language)
            case Awaiting.TIME:
                return await self._subscription.set_time(user_id, text)
            case Awaiting.COUNTRY | Awaiting.ONBOARDING_COUNTRY if self._preferences is not None:
                return await self._preferences.country(user_id, text)
            case Awaiting.PAIN_DURATION:
                # Answered with the buttons only: ask again, with them.
                t = translator(user, self._catalogs)
                return Outcome.reply(t.gettext(texts.ASK_PAIN_DURATION), keyboards.pain_buttons(t))
            case Awaiting.SITE:
                # Also buttons only (the picture is just above): ask again, with them.
                t = translator(user, self._catalogs)
                return Outcome.reply(t.gettext(outcome_words.ASK_SITE), site_buttons(t))
        t = translator(user, self._catalogs)
        if user.pending_checkin_date is None:
            return Outcome.reply(t.gettext(texts.FREE_TEXT))
        score = parse_score(text)
        if score is None:
            return Outcome.reply(t.gettext(texts.CHECKIN_HINT))
        if self._first_step is not None and await self._first_step.pending(user):
            # The daily message asks this morning's first steps first: a number answers them.
            return await self._first_step.answer_typed(user, score)
        return await self._checkins.answer_typed(user, score)
