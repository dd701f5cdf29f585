"""Thin handlers for a subscriber's inline buttons, one per callback action (see app.py)."""

from __future__ import annotations

from telegram import Message, Update

from bot.core.callbacks import (
    CheckinAnswer,
    CountryChoice,
    DiabetesChoice,
    LanguageChoice,
    PainChoice,
    RedFlagAnswer,
    SettingsChoice,
    TimeChoice,
    WarningSignsRequest,
    ZoneChoice,
)
from bot.core.replies import Outcome
from bot.core.states import Awaiting
from bot.features.checkins import Checkins
from bot.features.preferences import Preferences
from bot.features.subscription import Subscription
from bot.telegram.respond import Context, Responder


class ButtonHandlers:
    """Button callbacks, bound to the features they call."""

    def __init__(
        self,
        subscription: Subscription,
        preferences: Preferences,
        checkins: Checkins,
        responder: Responder,
    ) -> None:
        self._r = responder
        self._subscription = subscription
        self._preferences = preferences
        self._checkins = checkins

    async def checkin(self, update: Update, context: Context) -> None:
        """Record a 0-10 score pressed under a check-in (a daily message keeps its tip)."""
        query = update.callback_query
        pressed = (
            query.message if query is not None and isinstance(query.message, Message) else None
        )
        shown = pressed.text if pressed is not None else None
        await self._r.on_button(
            update,
            CheckinAnswer,
            lambda user, answer: self._checkins.answer(user.id, answer, shown),
        )

    async def red_flag(self, update: Update, context: Context) -> None:
        """Record the answer to the warning-sign question."""
        await self._r.on_button(
            update,
            RedFlagAnswer,
            lambda user, answer: self._checkins.answer_red_flag(user.id, answer),
        )

    async def warning_signs(self, update: Update, context: Context) -> None:
        """Open the warning-sign list (the button under a check-in), or its next page."""
        await self._r.on_button(
            update,
            WarningSignsRequest,
            lambda user, request: self._checkins.warning_signs(user.id, request.page),
        )

    async def zone(self, update: Update, context: Context) -> None:
        """Set the time zone pressed, or ask for it typed."""

        async def choose(user_id: int, choice: ZoneChoice, language: str | None) -> Outcome:
            if choice.zone is None:
                return await self._subscription.ask_typed(user_id, Awaiting.TIMEZONE)
            return await self._subscription.set_timezone(user_id, choice.zone, language)

        await self._r.on_button(
            update, ZoneChoice, lambda user, choice: choose(user.id, choice, user.language_code)
        )

    async def time(self, update: Update, context: Context) -> None:
        """Set the daily time pressed, or ask for it typed."""

        async def choose(user_id: int, choice: TimeChoice) -> Outcome:
            if choice.time is None:
                return await self._subscription.ask_typed(user_id, Awaiting.TIME)
            return await self._subscription.set_time(user_id, choice.time)

        await self._r.on_button(update, TimeChoice, lambda user, choice: choose(user.id, choice))

    async def country(self, update: Update, context: Context) -> None:
        """Set the country pressed, mark it "not listed", or ask for it typed."""
        await self._r.on_button(
            update,
            CountryChoice,
            lambda user, choice: self._preferences.choose_country(user.id, choice),
        )

    async def pain(self, update: Update, context: Context) -> None:
        """Record how long the pain has gone on (or skip it)."""
        await self._r.on_button(
            update,
            PainChoice,
            lambda user, choice: self._subscription.set_pain_duration(user.id, choice),
        )

    async def diabetes(self, update: Update, context: Context) -> None:
        """Record the optional diabetes answer."""
        await self._r.on_button(
            update,
            DiabetesChoice,
            lambda user, choice: self._subscription.set_diabetes(user.id, choice.answer),
        )

    async def settings(self, update: Update, context: Context) -> None:
        """Follow a /settings button."""
        await self._r.on_button(
            update,
            SettingsChoice,
            lambda user, choice: self._preferences.choose(user.id, choice, user.language_code),
        )

    async def language(self, update: Update, context: Context) -> None:
        """Switch to the language pressed."""
        await self._r.on_button(
            update,
            LanguageChoice,
            lambda user, choice: self._preferences.choose_language(user.id, choice),
        )

    async def unknown(self, update: Update, context: Context) -> None:
        """Answer a button whose data no handler claims (forged, or from an old version)."""
        await self._r.stale_button(update)
