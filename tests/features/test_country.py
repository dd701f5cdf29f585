"""The user's own country: confirmed among those sharing the zone's clock, shown in /settings,
changed by /country."""

from __future__ import annotations

import pytest

from bot.clock import FakeClock
from bot.composition import Content
from bot.content.catalogs import packaged_catalogs
from bot.core import texts
from bot.core.callbacks import CountryChoice, PainChoice, SettingsChoice, SettingsItem
from bot.core.countries import NO_COUNTRY, CountryBook
from bot.core.i18n import ENGLISH as EN
from bot.core.replies import Outcome, Reply
from bot.core.states import Awaiting
from bot.features.checkins import Checkins
from bot.features.common import NotSubscribed, country_of
from bot.features.conversation import Conversation
from bot.features.preferences import Preferences
from bot.features.subscription import Subscription
from bot.store import Store, UserPatch
from bot.store.users import User


@pytest.fixture
def book(content: Content) -> CountryBook:
    return content.countries


async def onboard(store: Store, clock: FakeClock, book: CountryBook, zone: str) -> User:
    """Onboard as the buttons would: the zone, its first offered country (else "other"),
    no answer about the pain, 09:00."""
    subscription = Subscription(store, clock, book)
    await subscription.start(1, 1, "Sam", "en")
    asked = await subscription.set_timezone(1, zone)
    codes = [data.removeprefix("cty:") for data in button_data(asked)]
    preferences = Preferences(store, clock, book)
    if codes[0] != "other":
        await preferences.choose_country(1, CountryChoice(codes[0]))
    else:
        await preferences.country(1, "other")
    await subscription.set_pain_duration(1, PainChoice(None))
    await subscription.set_time(1, "09:00")
    found = await user(store)
    assert found.awaiting is None
    return found


async def user(store: Store) -> User:
    found = await store.users.get(1)
    assert found is not None
    return found


def only_text(outcome: Outcome) -> str:
    [reply] = outcome.messages
    assert isinstance(reply, Reply)
    return reply.text


def button_data(outcome: Outcome) -> list[str]:
    [reply] = outcome.messages
    assert isinstance(reply, Reply)
    return [data for row in reply.buttons for _, data in row]


def confirmation(book: CountryBook, code: str) -> str:
    country = book.get(code)
    assert country is not None
    return texts.country_set(
        EN, country.name, country.emergency, country.urgent, country.urgent_name
    )


# --- from the time zone ----------------------------------------------------------------------


async def test_a_zone_asks_the_country_among_those_sharing_its_clock(
    store: Store, clock: FakeClock, book: CountryBook
) -> None:
    """New York's clock is also Canada's: both are offered, the zone's own first, and until
    the user answers no number is guessed."""
    subscription = Subscription(store, clock, book)
    await subscription.start(1, 1, "Sam", "en")
    outcome = await subscription.set_timezone(1, "America/New_York")
    assert only_text(outcome) == texts.timezone_set(EN, "America/New_York")
    assert button_data(outcome) == ["cty:US", "cty:CA", "cty:other"]
    found = await user(store)
    assert (found.country, found.awaiting) == (NO_COUNTRY, Awaiting.ONBOARDING_COUNTRY)
    assert country_of(found, book) is None


async def test_another_zone_before_the_country_answer_is_still_onboarding(
    store: Store, clock: FakeClock, book: CountryBook
) -> None:
    """Tapping a second zone on the welcome asks the country for that zone, as onboarding."""
    subscription = Subscription(store, clock, book)
    await subscription.start(1, 1, "Sam", "en")
    await subscription.set_timezone(1, "Asia/Shanghai")
    outcome = await subscription.set_timezone(1, "Asia/Hong_Kong")
    assert only_text(outcome) == texts.timezone_set(EN, "Asia/Hong_Kong")
    assert button_data(outcome)[0] == "cty:HK"
    assert (await user(store)).awaiting is Awaiting.ONBOARDING_COUNTRY


async def test_a_zone_only_one_country_keeps_is_kept_until_answered(
    store: Store, clock: FakeClock, book: CountryBook
) -> None:
    subscription = Subscription(store, clock, book)
    await subscription.start(1, 1, "Sam", "en")
    outcome = await subscription.set_timezone(1, "Asia/Kolkata")
    assert button_data(outcome) == ["cty:IN", "cty:other"]
    assert (await user(store)).country == "IN"


async def test_tapping_a_country_during_onboarding_asks_how_long_the_pain_has_gone_on(
    store: Store, clock: FakeClock, book: CountryBook
) -> None:
    """The question shows the numbers of the country chosen; the pain question follows."""
    subscription = Subscription(store, clock, book)
    await subscription.start(1, 1, "Sam", "en")
    await subscription.set_timezone(1, "Asia/Shanghai")
    outcome = await Preferences(store, clock, book).choose_country(1, CountryChoice("HK"))
    assert outcome.edit == confirmation(book, "HK")
    assert only_text(outcome) == texts.ASK_PAIN_DURATION
    found = await user(store)
    assert (found.country, found.awaiting) == ("HK", Awaiting.PAIN_DURATION)


async def test_other_during_onboarding_takes_the_typed_country_and_goes_on(
    store: Store, clock: FakeClock, book: CountryBook, content: Content
) -> None:
    subscription = Subscription(store, clock, book)
    preferences = Preferences(store, clock, book)
    conversation = Conversation(
        store, subscription, Checkins(store, clock, content.rules), preferences
    )
    await subscription.start(1, 1, "Sam", "en")
    await subscription.set_timezone(1, "Europe/London")
    other = await preferences.choose_country(1, CountryChoice(None))
    assert only_text(other) == texts.COUNTRY_HOW_TYPED
    assert (await user(store)).awaiting is Awaiting.ONBOARDING_COUNTRY
    typed = await conversation.text(1, "Portugal")
    assert typed.edit == confirmation(book, "PT")
    assert only_text(typed) == texts.ASK_PAIN_DURATION
    again = await conversation.text(1, "a while")
    assert only_text(again) == texts.ASK_PAIN_DURATION, "the pain question is answered by button"
    found = await user(store)
    assert (found.country, found.awaiting) == ("PT", Awaiting.PAIN_DURATION)


async def test_a_zone_without_a_country_offers_only_other(
    store: Store, clock: FakeClock, book: CountryBook
) -> None:
    subscription = Subscription(store, clock, book)
    await subscription.start(1, 1, "Sam", "en")
    assert button_data(await subscription.set_timezone(1, "Etc/UTC")) == ["cty:other"]
    found = await onboard(store, clock, book, "Etc/UTC")
    assert found.country == NO_COUNTRY
    assert country_of(found, book) is None


async def test_a_new_zone_asks_the_country_again(
    store: Store, clock: FakeClock, book: CountryBook
) -> None:
    """Someone who moves is asked again; a chosen country no longer on that clock is dropped
    (no number is guessed for a zone several countries share) until they answer."""
    await onboard(store, clock, book, "Europe/London")
    await Preferences(store, clock, book).country(1, "DE")
    outcome = await Subscription(store, clock, book).set_timezone(1, "Asia/Tokyo")
    assert texts.ASK_COUNTRY in only_text(outcome)
    assert button_data(outcome) == ["cty:JP", "cty:KR", "cty:ID", "cty:other"]
    found = await user(store)
    assert (found.country, found.awaiting) == (NO_COUNTRY, None)
    await Preferences(store, clock, book).choose_country(1, CountryChoice("JP"))
    assert (await user(store)).country == "JP"


async def test_a_new_zone_on_the_same_clock_keeps_the_country_until_answered(
    store: Store, clock: FakeClock, book: CountryBook
) -> None:
    await onboard(store, clock, book, "Europe/London")
    assert (await user(store)).country == "GB"
    outcome = await Subscription(store, clock, book).set_timezone(1, "Europe/Lisbon")
    assert button_data(outcome)[:2] == ["cty:PT", "cty:GB"]
    assert (await user(store)).country == "GB"


# --- country_of ------------------------------------------------------------------------------


async def test_country_of_prefers_the_stored_country(
    store: Store, clock: FakeClock, book: CountryBook
) -> None:
    found = await onboard(store, clock, book, "Europe/London")
    await store.users.update(1, UserPatch(country="IE"))
    chosen = country_of(await user(store), book)
    assert chosen is not None
    assert chosen.emergency == "999"
    assert chosen.code == "IE"
    assert found.country == "GB"


async def test_country_of_derives_from_the_zone_for_rows_from_before(
    store: Store, clock: FakeClock, book: CountryBook
) -> None:
    """Rows from before the migration have NULL: the zone decides, never a UK fallback."""
    await onboard(store, clock, book, "Asia/Shanghai")
    await store.users.update(1, UserPatch(country=None))
    derived = country_of(await user(store), book)
    assert derived is not None
    assert (derived.code, derived.emergency) == ("CN", "120")


async def test_not_listed_is_no_country_even_where_the_zone_has_one(
    store: Store, clock: FakeClock, book: CountryBook
) -> None:
    await onboard(store, clock, book, "Asia/Kolkata")
    await store.users.update(1, UserPatch(country=NO_COUNTRY))
    assert country_of(await user(store), book) is None


# --- /country ---------------------------------------------------------------------------------


async def test_country_alone_shows_the_current_value_and_usage(
    store: Store, clock: FakeClock, book: CountryBook
) -> None:
    await onboard(store, clock, book, "Europe/Berlin")
    await store.users.update(1, UserPatch(country=None))
    outcome = await Preferences(store, clock, book).country(1, "  ")
    label = texts.country_label(EN, "Germany", from_zone=True)
    assert only_text(outcome) == texts.country_status(EN, label)
    assert texts.COUNTRY_HOW in only_text(outcome)


@pytest.mark.parametrize(
    ("typed", "code"),
    [("DE", "DE"), ("de", "DE"), ("germany", "DE"), ("Türkiye", "TR"), ("UK", "GB"), ("usa", "US")],
)
async def test_country_sets_by_code_or_name_and_confirms_the_numbers(
    store: Store, clock: FakeClock, book: CountryBook, typed: str, code: str
) -> None:
    await onboard(store, clock, book, "Etc/UTC")
    outcome = await Preferences(store, clock, book).country(1, typed)
    assert only_text(outcome) == confirmation(book, code)
    assert (await user(store)).country == code


async def test_the_confirmation_names_the_urgent_line_where_there_is_one(
    book: CountryBook,
) -> None:
    assert "NHS 111 on 111" in confirmation(book, "GB")
    assert "999" in confirmation(book, "GB")
    assert "911" in confirmation(book, "US")
    assert "urgent advice" not in confirmation(book, "US")


@pytest.mark.parametrize("typed", ["Narnia", "XX", "12", "Europe/Berlin"])
async def test_an_unknown_country_changes_nothing(
    store: Store, clock: FakeClock, book: CountryBook, typed: str
) -> None:
    before = await onboard(store, clock, book, "Europe/London")
    outcome = await Preferences(store, clock, book).country(1, typed)
    assert only_text(outcome) == texts.country_unknown(EN, typed)
    assert await user(store) == before


@pytest.mark.parametrize("typed", ["other", "None", " not  listed "])
async def test_other_means_not_listed(
    store: Store, clock: FakeClock, book: CountryBook, typed: str
) -> None:
    await onboard(store, clock, book, "Asia/Kolkata")
    outcome = await Preferences(store, clock, book).country(1, typed)
    assert only_text(outcome) == texts.COUNTRY_NOT_LISTED
    found = await user(store)
    assert found.country == NO_COUNTRY
    settings = only_text(await Preferences(store, clock, book).show(1))
    assert f"• Country: {texts.COUNTRY_NOT_SET}\n" in settings


async def test_a_stranger_is_not_subscribed(
    store: Store, clock: FakeClock, book: CountryBook
) -> None:
    with pytest.raises(NotSubscribed):
        await Preferences(store, clock, book).country(99, "DE")


# --- /settings and its buttons ------------------------------------------------------------------


async def test_settings_show_the_country_and_where_it_came_from(
    store: Store, clock: FakeClock, book: CountryBook
) -> None:
    await onboard(store, clock, book, "Australia/Sydney")
    preferences = Preferences(store, clock, book)
    await store.users.update(1, UserPatch(country=None))
    assert "• Country: Australia (from your time zone)\n" in only_text(await preferences.show(1))
    await preferences.country(1, "NZ")
    shown = await preferences.show(1)
    assert "• Country: New Zealand\n" in only_text(shown)
    assert "set:country" in button_data(shown)


async def test_settings_say_not_set_where_the_zone_has_no_country(
    store: Store, clock: FakeClock, book: CountryBook
) -> None:
    await onboard(store, clock, book, "Etc/UTC")
    shown = only_text(await Preferences(store, clock, book).show(1))
    assert "your local emergency number" in shown


async def test_the_country_button_offers_the_zone_country_not_listed_and_type_it(
    store: Store, clock: FakeClock, book: CountryBook
) -> None:
    await onboard(store, clock, book, "America/New_York")
    preferences = Preferences(store, clock, book)
    await preferences.country(1, "MX")
    outcome = await preferences.choose(1, SettingsChoice(SettingsItem.COUNTRY))
    assert only_text(outcome) == texts.choose_country(EN, "Mexico")
    assert button_data(outcome) == ["cty:US", "cty:CA", f"cty:{NO_COUNTRY}", "cty:other"]


async def test_the_zone_country_is_not_offered_when_it_is_already_the_answer(
    store: Store, clock: FakeClock, book: CountryBook
) -> None:
    await onboard(store, clock, book, "America/New_York")
    outcome = await Preferences(store, clock, book).choose(1, SettingsChoice(SettingsItem.COUNTRY))
    assert button_data(outcome) == ["cty:CA", f"cty:{NO_COUNTRY}", "cty:other"]


async def test_pressing_a_country_sets_it(
    store: Store, clock: FakeClock, book: CountryBook
) -> None:
    await onboard(store, clock, book, "Europe/Madrid")
    preferences = Preferences(store, clock, book)
    await preferences.country(1, "other")
    outcome = await preferences.choose_country(1, CountryChoice("ES"))
    assert only_text(outcome) == confirmation(book, "ES")
    assert (await user(store)).country == "ES"
    await preferences.choose_country(1, CountryChoice(NO_COUNTRY))
    assert (await user(store)).country == NO_COUNTRY


async def test_a_forged_country_button_changes_nothing(
    store: Store, clock: FakeClock, book: CountryBook
) -> None:
    before = await onboard(store, clock, book, "Europe/London")
    outcome = await Preferences(store, clock, book).choose_country(1, CountryChoice("QQ"))
    assert only_text(outcome) == texts.country_unknown(EN, "QQ")
    assert await user(store) == before


async def test_type_it_then_the_typed_country_is_taken(
    store: Store, clock: FakeClock, book: CountryBook, content: Content
) -> None:
    await onboard(store, clock, book, "Europe/London")
    preferences = Preferences(store, clock, book)
    subscription = Subscription(store, clock, book)
    conversation = Conversation(
        store, subscription, Checkins(store, clock, content.rules), preferences
    )
    asked = await preferences.choose_country(1, CountryChoice(None))
    assert only_text(asked) == texts.ASK_COUNTRY_TYPED
    assert (await user(store)).awaiting is Awaiting.COUNTRY
    wrong = await conversation.text(1, "Atlantis")
    assert only_text(wrong) == texts.country_unknown(EN, "Atlantis")
    assert (await user(store)).awaiting is Awaiting.COUNTRY, "still waiting for a country"
    right = await conversation.text(1, "japan")
    assert only_text(right) == confirmation(book, "JP")
    found = await user(store)
    assert (found.country, found.awaiting) == ("JP", None)


async def test_without_a_book_nothing_is_derived(store: Store, clock: FakeClock) -> None:
    """Callers that pass no book (older wiring) know no country and name none."""
    await Subscription(store, clock).start(1, 1, "Sam", "en")
    outcome = await Subscription(store, clock).set_timezone(1, "Europe/London")
    assert only_text(outcome) == texts.timezone_set(EN, "Europe/London")
    assert button_data(outcome) == ["cty:other"]
    assert country_of(await user(store), CountryBook()) is None


async def test_a_chinese_reader_can_name_a_country_in_chinese(
    store: Store, clock: FakeClock, book: CountryBook
) -> None:
    """/country 德国 sets Germany for a zh user, and the confirmation names it in Chinese."""
    await onboard(store, clock, book, "Europe/London")
    await store.users.update(1, UserPatch(language_code="zh"))
    preferences = Preferences(store, clock, book, packaged_catalogs())
    outcome = await preferences.country(1, " 德国 ")
    assert (await user(store)).country == "DE"
    assert only_text(outcome).startswith("国家已设为德国。")
