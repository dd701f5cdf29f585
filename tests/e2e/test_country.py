"""Issue 11 item 3 end to end: the country comes from the zone, shows in /settings, and
/country (or its buttons) changes it."""

from __future__ import annotations

from bot.core import texts
from bot.core.callbacks import CountryChoice, SettingsChoice, SettingsItem, ZoneChoice
from bot.core.countries import NO_COUNTRY
from bot.core.i18n import ENGLISH as EN
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from tests.e2e.chat import Chat, buttons

USER = 711


async def test_onboarding_in_new_york_asks_and_takes_the_united_states(
    bot: Runtime, sandbox: Sandbox
) -> None:
    chat = Chat(sandbox, USER)
    await chat.say("/start", expect=1)
    [question] = await chat.tap(ZoneChoice("America/New_York"), expect=1)
    assert question.text == texts.timezone_set(EN, "America/New_York")
    assert buttons(question) == ["United States", "Canada", "Other (type it)"]
    await chat.confirm_country("US")
    assert "Country set to United States" in chat.texts()[-2]
    user = await bot.store.users.get(USER)
    assert user is not None
    assert user.country == "US"
    [settings] = await chat.say("/settings")
    assert settings.text is not None
    assert "• Country: United States (from your time zone)" in settings.text
    assert "Change country" in buttons(settings)


async def test_country_command_shows_sets_and_refuses(bot: Runtime, sandbox: Sandbox) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard(zone="Europe/London")
    [status] = await chat.say("/country")
    assert status.text == texts.country_status(EN, "United Kingdom (from your time zone)")
    [unknown] = await chat.say("/country Narnia")
    assert unknown.text == texts.country_unknown(EN, "Narnia")
    [done] = await chat.say("/country germany")
    assert done.text is not None
    assert done.text.startswith("Country set to Germany")
    assert "112" in done.text
    assert "999" not in done.text
    user = await bot.store.users.get(USER)
    assert user is not None
    assert user.country == "DE"
    [settings] = await chat.say("/settings")
    assert settings.text is not None
    assert "• Country: Germany\n" in settings.text


async def test_the_settings_button_offers_choices_and_typing(
    bot: Runtime, sandbox: Sandbox
) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard(zone="Asia/Kolkata")
    await chat.say("/settings")
    [choices] = await chat.tap(SettingsChoice(SettingsItem.COUNTRY), expect=1)
    assert choices.text == texts.choose_country(EN, "India (from your time zone)")
    [not_listed] = await chat.tap(CountryChoice(NO_COUNTRY), expect=1)
    assert not_listed.text == texts.COUNTRY_NOT_LISTED
    [settings] = await chat.say("/settings")
    assert settings.text is not None
    assert "your local emergency number" in settings.text
    await chat.tap(SettingsChoice(SettingsItem.COUNTRY), expect=1)
    [ask] = await chat.tap(CountryChoice(None), expect=1)
    assert ask.text == texts.ASK_COUNTRY_TYPED
    [done] = await chat.say("India")
    assert done.text is not None
    assert done.text.startswith("Country set to India")
    user = await bot.store.users.get(USER)
    assert user is not None
    assert (user.country, user.awaiting) == ("IN", None)


async def test_the_command_menu_lists_country(bot: Runtime, sandbox: Sandbox) -> None:
    assert "country" in [c["command"] for c in sandbox.commands]
