"""The /settings screen and its buttons, the weekly summary choice, and /pause and /resume."""

from __future__ import annotations

from bot.clock import Clock
from bot.core import texts
from bot.core.callbacks import SettingsChoice, SettingsItem
from bot.core.replies import Outcome
from bot.core.schedule import pause_until
from bot.features import keyboards
from bot.features.common import subscriber, today
from bot.store import Store
from bot.store.users import UserPatch

MAX_PAUSE_DAYS = 30


class Preferences:
    """What a subscriber can change after onboarding."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def show(self, user_id: int) -> Outcome:
        """Show the user's settings with buttons to change them."""
        user = await subscriber(self._store, user_id)
        text = texts.settings_summary(
            user.timezone,
            user.send_time,
            user.paused_until,
            user.status,
            user.has_diabetes,
            weekly=user.weekly_summary,
            weekly_day=user.weekly_day,
        )
        return Outcome.reply(text, keyboards.settings_buttons(user.weekly_summary))

    async def choose(self, user_id: int, choice: SettingsChoice) -> Outcome:
        """Offer the choices behind a /settings button, or apply a weekly-summary choice."""
        user = await subscriber(self._store, user_id)
        match choice.item:
            case SettingsItem.TIME:
                return Outcome.reply(texts.CHOOSE_TIME, keyboards.time_buttons())
            case SettingsItem.ZONE:
                return Outcome.reply(texts.CHOOSE_ZONE, keyboards.zone_buttons())
            case SettingsItem.DIABETES:
                return Outcome.reply(texts.ASK_DIABETES, keyboards.diabetes_buttons())
            case SettingsItem.WEEKLY:
                enabled = not user.weekly_summary
                await self._store.users.update(user_id, UserPatch(weekly_summary=enabled))
                return Outcome.reply(texts.weekly_toggled(enabled, user.weekly_day))
            case SettingsItem.WEEKDAY if choice.weekday is None:
                return Outcome.reply(texts.CHOOSE_WEEKDAY, keyboards.weekday_buttons())
            case SettingsItem.WEEKDAY:
                day = choice.weekday
                await self._store.users.update(
                    user_id, UserPatch(weekly_day=day, weekly_summary=True)
                )
                return Outcome.reply(texts.weekly_toggled(True, day))

    async def pause(self, user_id: int, arg: str) -> Outcome:
        """Skip the next N daily deliveries (1-30)."""
        user = await subscriber(self._store, user_id, active=True)
        arg = arg.strip()
        if not arg.isdigit() or not 1 <= int(arg) <= MAX_PAUSE_DAYS:
            return Outcome.reply(texts.PAUSE_USAGE)
        first = user.next_due_date or today(self._clock, user)
        until = pause_until(first, int(arg))
        await self._store.users.update(user_id, UserPatch(paused_until=until))
        return Outcome.reply(texts.paused(until))

    async def resume(self, user_id: int) -> Outcome:
        """End a pause."""
        user = await subscriber(self._store, user_id, active=True)
        if user.paused_until is None or user.paused_until <= today(self._clock, user):
            return Outcome.reply(texts.NOT_PAUSED)
        await self._store.users.update(user_id, UserPatch(paused_until=None))
        return Outcome.reply(texts.RESUMED)
