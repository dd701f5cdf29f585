"""Issue 4 end to end: onboarding, /time, /timezone, /settings, /checkin, /pause and /resume."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.clock import FakeClock
from bot.core import texts
from bot.core.callbacks import (
    CountryChoice,
    DiabetesAnswer,
    DiabetesChoice,
    PainChoice,
    SettingsChoice,
    SettingsItem,
    SideChoice,
    SiteChoice,
    TimeChoice,
    ZoneChoice,
)
from bot.core.escalation import PainDuration
from bot.core.i18n import ENGLISH as EN
from bot.core.outcomes import PainSite, Side
from bot.features.outcomes import words
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from tests.e2e.chat import Chat, buttons

USER = 601
TODAY = date(2026, 11, 24)  # the local date in London at the fixtures' start


@pytest.mark.webhook_too  # messages and button presses
async def test_onboarding_sets_zone_time_and_schedule(bot: Runtime, sandbox: Sandbox) -> None:
    """Zone, country, pain duration, time and diabetes by button; schedule follows them."""
    chat = Chat(sandbox, USER)
    await chat.say("/start")
    [ask_country] = await chat.tap(ZoneChoice("Europe/Berlin"), expect=1)
    assert ask_country.text == texts.timezone_set(EN, "Europe/Berlin")
    assert buttons(ask_country)[0] == "Germany"
    [ask_pain] = await chat.tap(CountryChoice("DE"), expect=1)
    assert ask_pain.text == texts.ASK_PAIN_DURATION
    assert buttons(ask_pain) == [
        "Under 6 weeks",
        "6 weeks to 3 months",
        "3 to 12 months",
        "Over a year",
        "Skip",
    ]
    picture, ask_site = await chat.tap(PainChoice(PainDuration.WEEKS_6_TO_MONTHS_3), expect=2)
    assert chat.texts()[-3] == texts.pain_answered(EN, PainDuration.WEEKS_6_TO_MONTHS_3)
    assert picture.photo
    assert picture.caption == words.PICTURE_TITLE
    assert ask_site.text == words.ASK_SITE
    assert buttons(ask_site)[0] == "1. Under the heel"
    assert buttons(ask_site)[-2:] == ["Not sure", "Skip"]
    [ask_side] = await chat.tap(SiteChoice(PainSite.UNDER_HEEL), expect=1)
    assert ask_side.text == words.ASK_SIDE
    assert buttons(ask_side) == ["Left foot", "Right foot", "Both feet", "Skip"]
    [ask_time] = await chat.tap(SideChoice(Side.LEFT), expect=1)
    assert ask_time.text == texts.ASK_TIME
    assert "09:00" in buttons(ask_time)
    assert chat.texts()[-2].endswith("Your answer: Left foot.")
    done, diabetes = await chat.tap(TimeChoice("08:00"), expect=2)
    assert done.text is not None
    assert "08:00 (Europe/Berlin)" in done.text
    assert buttons(diabetes) == ["Yes", "No", "Skip"]
    await chat.tap(DiabetesChoice(DiabetesAnswer.NO))
    user = await bot.store.users.get(USER)
    assert user is not None
    assert (user.timezone, user.send_time, user.has_diabetes) == ("Europe/Berlin", "08:00", False)
    assert (user.country, user.pain_duration) == ("DE", PainDuration.WEEKS_6_TO_MONTHS_3)
    assert user.pain_duration_on == TODAY
    assert user.next_due_date == TODAY + timedelta(days=1)  # 08:00 Berlin has passed at 08:00
    profile = await bot.store.outcomes.profile(USER)
    assert profile is not None
    assert (profile.site, profile.side, profile.started_on) == (
        PainSite.UNDER_HEEL,
        Side.LEFT,
        TODAY,
    )


async def test_typed_zone_is_case_insensitive(bot: Runtime, sandbox: Sandbox) -> None:
    """A typed 'asia/KOLKATA' during onboarding is accepted as Asia/Kolkata."""
    chat = Chat(sandbox, USER)
    await chat.say("/start")
    await chat.tap(ZoneChoice(None))
    [reply] = await chat.say("asia/KOLKATA")
    assert reply.text is not None
    assert reply.text.startswith("Time zone set to Asia/Kolkata")


async def test_timezone_typo_suggests_close_matches(bot: Runtime, sandbox: Sandbox) -> None:
    """/timezone Europe/Berln suggests Europe/Berlin as a button, and the button sets it."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    [reply] = await chat.say("/timezone Europe/Berln")
    assert reply.text is not None
    assert "Did you mean" in reply.text
    assert "Europe/Berlin" in buttons(reply)
    [done] = await chat.tap(ZoneChoice("Europe/Berlin"))
    assert done.text is not None
    assert "Europe/Berlin" in done.text
    user = await bot.store.users.get(USER)
    assert user is not None
    assert user.timezone == "Europe/Berlin"


async def test_bad_timezone_changes_nothing(bot: Runtime, sandbox: Sandbox) -> None:
    """/timezone Mars/Olympus is refused with an example and leaves the zone unchanged."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    [reply] = await chat.say("/timezone Mars/Olympus")
    assert reply.text is not None
    assert "don't know the time zone" in reply.text
    user = await bot.store.users.get(USER)
    assert user is not None
    assert user.timezone == "Europe/London"


async def test_time_command_sets_daily_time(bot: Runtime, sandbox: Sandbox) -> None:
    """/time 18:30 moves the daily message to 18:30 today."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    [reply] = await chat.say("/time 18:30")
    assert reply.text is not None
    assert "18:30 (Europe/London)" in reply.text
    user = await bot.store.users.get(USER)
    assert user is not None
    assert (user.send_time, user.next_due_date) == ("18:30", TODAY)


async def test_bad_time_is_refused(bot: Runtime, sandbox: Sandbox) -> None:
    """/time 25:99 explains the format and keeps the old time."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    [reply] = await chat.say("/time 25:99")
    assert reply.text == texts.bad_time(EN, "25:99")
    user = await bot.store.users.get(USER)
    assert user is not None
    assert user.send_time == "09:00"


async def test_settings_shows_and_offers_changes(bot: Runtime, sandbox: Sandbox) -> None:
    """/settings shows time and zone; its 'Change time' button offers the time choices."""
    chat = Chat(sandbox, USER)
    await chat.onboard(at="07:00")
    [reply] = await chat.say("/settings")
    assert reply.text is not None
    assert "Daily time: 07:00" in reply.text
    assert "Time zone: Europe/London" in reply.text
    [choices] = await chat.tap(SettingsChoice(SettingsItem.TIME))
    assert "20:00" in buttons(choices)
    [done] = await chat.tap(TimeChoice("20:00"))
    assert done.text is not None
    assert "20:00" in done.text


@pytest.mark.webhook_too  # a press that edits a message and answers the query
async def test_checkin_by_button_edits_prompt(bot: Runtime, sandbox: Sandbox) -> None:
    """/checkin shows eleven buttons 0-10; a tap edits the prompt and answers the query."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    [prompt] = await chat.say("/checkin")
    assert prompt.text is not None
    assert "How is your heel/foot pain today?" in prompt.text
    assert buttons(prompt) == [*(str(n) for n in range(11)), "Warning sign"]
    await chat.score(3)
    assert prompt.text == texts.checkin_recorded(EN, TODAY, 3, 1)
    assert prompt.reply_markup is None
    assert sandbox.calls_to("answerCallbackQuery")[-1].ok
    assert await bot.store.diary.checkins(USER) == [(TODAY, 3)]


async def test_checkin_by_typed_number(bot: Runtime, sandbox: Sandbox) -> None:
    """While a check-in is pending, typing '6' records 6."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/checkin")
    [ack] = await chat.say("6")
    assert ack.text == texts.checkin_recorded(EN, TODAY, 6, 1)
    assert await bot.store.diary.checkins(USER) == [(TODAY, 6)]


async def test_other_text_while_pending_gets_a_hint(bot: Runtime, sandbox: Sandbox) -> None:
    """While a check-in is pending, 'ouch' gets the 0-10 hint and records nothing."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/checkin")
    [hint] = await chat.say("ouch")
    assert hint.text == texts.CHECKIN_HINT
    assert await bot.store.diary.checkins(USER) == []


async def test_same_day_reanswer_keeps_latest(bot: Runtime, sandbox: Sandbox) -> None:
    """Answering twice on one local day keeps one score: the latest."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/checkin")
    await chat.score(2)
    [prompt] = await chat.say("/checkin")
    await chat.score(5)
    assert prompt.text == texts.checkin_replaced(EN, TODAY, 2, 5)
    assert await bot.store.diary.checkins(USER) == [(TODAY, 5)]


async def run_hours(bot: Runtime, clock: FakeClock, hours: int) -> None:
    """Move the clock forward an hour at a time, ticking the dispatcher and draining."""
    for _ in range(hours):
        clock.advance(timedelta(hours=1))
        await bot.tick()
        await bot.sender.drain()


async def test_pause_skips_the_next_days(bot: Runtime, sandbox: Sandbox, clock: FakeClock) -> None:
    """/pause 2 skips today's and tomorrow's delivery; the third day arrives as usual."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    [reply] = await chat.say("/pause 2")
    assert reply.text == texts.paused(EN, TODAY + timedelta(days=2))
    await run_hours(bot, clock, 48)
    assert await chat.replies() == []
    await run_hours(bot, clock, 3)  # past 09:00 on the third day
    [daily] = await chat.replies()
    assert daily.text is not None
    assert daily.text.startswith("Today's foot-care tip")
    assert daily.text.endswith(texts.checkin_prompt(EN, TODAY + timedelta(days=2)))


async def test_resume_ends_a_pause(bot: Runtime, sandbox: Sandbox, clock: FakeClock) -> None:
    """/resume after /pause 5 brings back today's delivery."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/pause 5")
    [resumed] = await chat.say("/resume")
    assert resumed.text == texts.RESUMED
    await run_hours(bot, clock, 3)
    assert len(await chat.replies()) == 1


async def test_stopped_user_gets_nothing(bot: Runtime, sandbox: Sandbox, clock: FakeClock) -> None:
    """After /stop no daily message arrives."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/stop")
    await run_hours(bot, clock, 30)
    assert await chat.replies() == []


async def test_pause_rejects_bad_numbers(bot: Runtime, sandbox: Sandbox) -> None:
    """/pause 0, /pause 31 and /pause soon are explained, not applied."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    for arg in ("0", "31", "soon"):
        [reply] = await chat.say(f"/pause {arg}")
        assert reply.text == texts.PAUSE_USAGE
    user = await bot.store.users.get(USER)
    assert user is not None
    assert user.paused_until is None


async def test_typed_number_answers_the_daily_prompt(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    """After the scheduled check-in arrives, typing '4' records 4 for that day."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await run_hours(bot, clock, 3)
    await chat.replies()
    [ack] = await chat.say("4")
    assert ack.text == texts.checkin_recorded(EN, TODAY, 4, 1)
    assert await bot.store.diary.checkins(USER) == [(TODAY, 4)]
