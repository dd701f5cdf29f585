"""Subscription: /start, /stop, zone and time, the diabetes answer."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.clock import FakeClock
from bot.content.catalogs import packaged_catalogs
from bot.core import texts
from bot.core.callbacks import DiabetesAnswer, PainChoice, SiteChoice
from bot.core.escalation import PainDuration, ReportedPain
from bot.core.i18n import ENGLISH as EN
from bot.core.replies import Photo, Reply
from bot.core.states import Awaiting, UserStatus
from bot.features.common import NotSubscribed
from bot.features.outcomes import words as outcome_words
from bot.features.outcomes.foot import FootSite
from bot.features.subscription import Subscription
from bot.store import Store, UserPatch
from tests.features.conftest import onboard


def _texts(outcome_messages: tuple[object, ...]) -> list[str]:
    return [m.text for m in outcome_messages if isinstance(m, Reply)]


async def test_start_creates_the_user_and_asks_for_the_zone(store: Store, clock: FakeClock) -> None:
    outcome = await Subscription(store, clock).start(1, 10, "Sam", "en")
    [welcome] = outcome.messages
    assert isinstance(welcome, Reply)
    assert welcome.text == texts.welcome(EN, "Sam")
    assert welcome.buttons, "the zone buttons"
    user = await store.users.get(1)
    assert user is not None
    assert user.awaiting is Awaiting.TIMEZONE
    assert user.next_due_utc is not None, "scheduled with the defaults at once"


@pytest.mark.parametrize(
    ("code", "stored", "traditional"),
    [
        ("zh-hans", "zh", False),
        ("zh-CN", "zh", False),
        ("zh-hant", "zh", True),
        ("de", "en", False),
    ],
)
async def test_start_stores_the_language_and_greets_in_it(
    store: Store, clock: FakeClock, code: str, stored: str, traditional: bool
) -> None:
    """Telegram's code picks the language; Traditional gets one line saying it is not there."""
    catalogs = packaged_catalogs()
    outcome = await Subscription(store, clock, catalogs=catalogs).start(1, 10, "小明", code)
    [welcome] = _texts(outcome.messages)
    user = await store.users.get(1)
    assert user is not None
    assert user.language_code == stored
    assert welcome.endswith(texts.welcome(catalogs.get(stored), "小明"))
    assert welcome.startswith("暂时还不支持繁体中文") is traditional


async def test_start_twice_changes_nothing_but_says_so(store: Store, clock: FakeClock) -> None:
    before = await onboard(store, clock)
    outcome = await Subscription(store, clock).start(1, 10, "Sam", "en")
    assert _texts(outcome.messages) == [texts.already_subscribed(EN, "Europe/London", "09:00")]
    after = await store.users.get(1)
    assert after is not None
    assert after.next_due_utc == before.next_due_utc


async def test_zone_then_time_finish_onboarding_and_ask_about_diabetes(
    store: Store, clock: FakeClock
) -> None:
    subscription = Subscription(store, clock)
    await subscription.start(1, 1, "Sam", "en")
    zone = await subscription.set_timezone(1, "Asia/Kolkata")
    assert _texts(zone.messages) == [texts.timezone_set(EN, "Asia/Kolkata")]
    await store.users.update(1, UserPatch(awaiting=Awaiting.PAIN_DURATION))  # country answered
    pain = await subscription.set_pain_duration(1, PainChoice(PainDuration.MONTHS_3_TO_12))
    assert pain.edit == texts.pain_answered(EN, PainDuration.MONTHS_3_TO_12)
    # Where it hurts comes next (the picture, then the question); skipping it asks the time.
    assert _texts(pain.messages) == [outcome_words.ASK_SITE]
    assert isinstance(pain.messages[0], Photo)
    skipped = await FootSite(store, clock).choose_site(1, SiteChoice(None))
    assert _texts(skipped.messages) == [texts.ASK_TIME]
    done = await subscription.set_time(1, "7:30")
    assert _texts(done.messages)[1] == texts.ASK_DIABETES
    user = await store.users.get(1)
    assert user is not None
    assert (user.timezone, user.send_time, user.awaiting) == ("Asia/Kolkata", "07:30", None)
    assert user.reported_pain == ReportedPain(PainDuration.MONTHS_3_TO_12, date(2026, 11, 24))
    # 07:00 UTC on 24 Nov is 12:30 in Kolkata, so the first 07:30 is the next morning.
    assert user.next_due_date == date(2026, 11, 25)
    assert user.next_due_utc == datetime(2026, 11, 25, 2, 0, tzinfo=UTC).timestamp()


async def test_a_typo_in_the_zone_suggests_and_changes_nothing(
    store: Store, clock: FakeClock
) -> None:
    before = await onboard(store, clock)
    outcome = await Subscription(store, clock).set_timezone(1, "Europe/Londn")
    [reply] = outcome.messages
    assert isinstance(reply, Reply)
    assert "Europe/London" in [label for row in reply.buttons for label, _ in row]
    assert await store.users.get(1) == before


async def test_a_bad_time_is_refused_and_changes_nothing(store: Store, clock: FakeClock) -> None:
    before = await onboard(store, clock)
    outcome = await Subscription(store, clock).set_time(1, "25:99")
    assert _texts(outcome.messages) == [texts.bad_time(EN, "25:99")]
    assert await store.users.get(1) == before


async def test_stop_clears_the_schedule(store: Store, clock: FakeClock) -> None:
    await onboard(store, clock)
    await Subscription(store, clock).stop(1)
    user = await store.users.get(1)
    assert user is not None
    assert user.status is UserStatus.STOPPED
    assert user.next_due_utc is None


async def test_start_after_stop_welcomes_back_and_reschedules(
    store: Store, clock: FakeClock
) -> None:
    await onboard(store, clock)
    subscription = Subscription(store, clock)
    await subscription.stop(1)
    outcome = await subscription.start(1, 1, "Sam", "en")
    assert _texts(outcome.messages) == [texts.welcome_back(EN, "Europe/London", "09:00")]
    user = await store.users.get(1)
    assert user is not None
    assert user.active
    assert user.next_due_utc is not None


@pytest.mark.parametrize(
    ("answer", "stored"),
    [(DiabetesAnswer.YES, True), (DiabetesAnswer.NO, False), (DiabetesAnswer.SKIP, None)],
)
async def test_the_diabetes_answer_is_stored_and_shown_on_the_question(
    store: Store, clock: FakeClock, answer: DiabetesAnswer, stored: bool | None
) -> None:
    await onboard(store, clock)
    outcome = await Subscription(store, clock).set_diabetes(1, answer)
    assert outcome.edit == texts.diabetes_answered(EN, answer)
    user = await store.users.get(1)
    assert user is not None
    assert user.has_diabetes is stored


async def test_a_stranger_is_not_subscribed(store: Store, clock: FakeClock) -> None:
    with pytest.raises(NotSubscribed):
        await Subscription(store, clock).stop(99)


async def test_the_pain_answer_can_be_changed_or_cleared_after_onboarding(
    store: Store, clock: FakeClock
) -> None:
    """From /settings: the answer is stored with today's date, thanked, and Skip clears it."""
    await onboard(store, clock)
    subscription = Subscription(store, clock)
    outcome = await subscription.set_pain_duration(1, PainChoice(PainDuration.OVER_A_YEAR))
    assert _texts(outcome.messages) == [texts.DIABETES_THANKS]
    user = await store.users.get(1)
    assert user is not None
    assert (user.reported_pain, user.awaiting) == (
        ReportedPain(PainDuration.OVER_A_YEAR, date(2026, 11, 24)),
        None,
    )
    await subscription.set_pain_duration(1, PainChoice(None))
    user = await store.users.get(1)
    assert user is not None
    assert user.reported_pain is None


async def test_another_zone_typed_after_onboarding_is_no_new_onboarding(
    store: Store, clock: FakeClock
) -> None:
    """/settings -> Another zone -> typed: the zone changes and the country is asked, but the
    pain and time questions are not asked again."""
    await onboard(store, clock)
    subscription = Subscription(store, clock)
    await subscription.ask_typed(1, Awaiting.TIMEZONE)
    user = await store.users.get(1)
    assert user is not None
    assert user.awaiting is Awaiting.ZONE
    outcome = await subscription.set_timezone(1, "Asia/Tokyo")
    assert texts.ASK_COUNTRY in _texts(outcome.messages)[0]
    user = await store.users.get(1)
    assert user is not None
    assert (user.timezone, user.awaiting) == ("Asia/Tokyo", None)
