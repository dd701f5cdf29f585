"""Preferences: the settings screen, the weekly summary choice, /pause and /resume."""

from __future__ import annotations

from datetime import date

from bot.clock import FakeClock
from bot.core import texts
from bot.core.callbacks import SettingsChoice, SettingsItem
from bot.core.i18n import ENGLISH as EN
from bot.core.replies import Outcome
from bot.features.preferences import Preferences
from bot.store import Store
from tests.features.conftest import onboard


async def test_weekday_choice_turns_the_weekly_summary_on_that_day(
    store: Store, clock: FakeClock
) -> None:
    await onboard(store, clock)
    preferences = Preferences(store, clock)
    await preferences.choose(1, SettingsChoice(SettingsItem.WEEKLY))
    outcome = await preferences.choose(1, SettingsChoice(SettingsItem.WEEKDAY, 2))
    assert outcome == Outcome.reply(texts.weekly_toggled(EN, True, 2))
    user = await store.users.get(1)
    assert user is not None
    assert (user.weekly_summary, user.weekly_day) == (True, 2)


async def test_the_weekly_button_toggles(store: Store, clock: FakeClock) -> None:
    await onboard(store, clock)
    preferences = Preferences(store, clock)
    await preferences.choose(1, SettingsChoice(SettingsItem.WEEKLY))
    user = await store.users.get(1)
    assert user is not None
    assert user.weekly_summary is False


async def test_pause_skips_the_next_days_and_resume_ends_it(store: Store, clock: FakeClock) -> None:
    await onboard(store, clock)
    preferences = Preferences(store, clock)
    outcome = await preferences.pause(1, "3")
    # The next delivery is today at 09:00 London, so days 24, 25 and 26 are skipped.
    assert outcome == Outcome.reply(texts.paused(EN, date(2026, 11, 27)))
    assert await preferences.resume(1) == Outcome.reply(texts.RESUMED)
    user = await store.users.get(1)
    assert user is not None
    assert user.paused_until is None


async def test_pause_refuses_a_bad_number(store: Store, clock: FakeClock) -> None:
    await onboard(store, clock)
    preferences = Preferences(store, clock)
    for arg in ("", "0", "31", "two"):
        assert await preferences.pause(1, arg) == Outcome.reply(texts.PAUSE_USAGE)
    assert await preferences.resume(1) == Outcome.reply(texts.NOT_PAUSED)
