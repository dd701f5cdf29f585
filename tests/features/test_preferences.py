"""Preferences: the settings screen, the weekly summary choice, /pause and /resume, and the
language, also before /start."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.clock import FakeClock
from bot.content.catalogs import packaged_catalogs
from bot.core import texts
from bot.core.callbacks import LanguageChoice, SettingsChoice, SettingsItem
from bot.core.i18n import ENGLISH as EN
from bot.core.i18n import Language
from bot.core.replies import Outcome, Reply
from bot.core.states import Awaiting, UserStatus
from bot.features import keyboards
from bot.features.common import NotSubscribed, before_start, subscriber
from bot.features.preferences import Preferences
from bot.features.subscription import Subscription
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


async def test_language_before_start_offers_the_choice_in_telegrams_language(
    store: Store, clock: FakeClock
) -> None:
    """/language with no row answers with the languages, not with NotSubscribed."""
    zh = packaged_catalogs()[Language.ZH]
    preferences = Preferences(store, clock, catalogs=packaged_catalogs())
    outcome = await preferences.language(1, "zh-hans")
    [reply] = outcome.messages
    assert isinstance(reply, Reply)
    assert reply.text == zh.gettext(texts.CHOOSE_LANGUAGE)
    assert reply.buttons == keyboards.language_buttons()
    assert await store.users.get(1) is None


async def test_a_language_chosen_before_start_is_kept_but_subscribes_nobody(
    store: Store, clock: FakeClock
) -> None:
    """The choice is stored as a stopped row awaiting /start; the user is still not a
    subscriber, nothing is scheduled, and /stats does not count them."""
    preferences = Preferences(store, clock, catalogs=packaged_catalogs())
    outcome = await preferences.choose_language(1, LanguageChoice(Language.ZH))
    assert outcome.edit == "从现在起我会用中文和你交流。发送 /start 开始。"
    user = await store.users.get(1)
    assert user is not None
    assert (user.status, user.awaiting, user.language_code) == (
        UserStatus.STOPPED,
        Awaiting.START,
        "zh",
    )
    assert user.next_due_utc is None
    assert before_start(user)
    with pytest.raises(NotSubscribed):
        await subscriber(store, 1)
    assert await store.stats.status_counts() == dict.fromkeys(UserStatus, 0)
    assert await store.stats.new_since(clock.now() - timedelta(days=7)) == 0
    # Choosing again before /start changes the kept language.
    again = await preferences.choose_language(1, LanguageChoice(Language.EN))
    assert again.edit == "From now on I'll write in English. Send /start to begin."


async def test_start_after_a_language_choice_greets_in_it(store: Store, clock: FakeClock) -> None:
    """/start from a user who chose Chinese first, whose Telegram says English: the welcome
    is Chinese, the row becomes an active subscriber with their name and chat."""
    catalogs = packaged_catalogs()
    await Preferences(store, clock, catalogs=catalogs).choose_language(
        1, LanguageChoice(Language.ZH)
    )
    subscription = Subscription(store, clock, catalogs=catalogs)
    outcome = await subscription.start(1, 1, "Lin", "en")
    [welcome] = outcome.messages
    assert isinstance(welcome, Reply)
    assert welcome.text == texts.welcome(catalogs[Language.ZH], "Lin")
    user = await subscriber(store, 1)
    assert (user.active, user.awaiting, user.first_name, user.language_code) == (
        True,
        Awaiting.TIMEZONE,
        "Lin",
        "zh",
    )
    assert user.next_due_utc is not None
    assert await store.stats.status_counts() == {
        **dict.fromkeys(UserStatus, 0),
        UserStatus.ACTIVE: 1,
    }
