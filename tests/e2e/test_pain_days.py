"""Rules in calendar days end to end (issue 20, item 6): how long the pain has gone on, asked at
onboarding and changed in /settings, shown in /export; the rules counting from it; the one-off
diabetes message; the warning-sign question at most every 3 days of a severe run."""

from __future__ import annotations

from datetime import date, timedelta

from bot.clock import FakeClock
from bot.core import callbacks, texts
from bot.core.callbacks import (
    DiabetesAnswer,
    PainChoice,
    RedFlagAnswer,
    SettingsChoice,
    SettingsItem,
    WarningSignsRequest,
    ZoneChoice,
)
from bot.core.escalation import PainDuration
from bot.core.i18n import ENGLISH as EN
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.sandbox.models import ChatMessage
from tests.e2e.chat import Chat, buttons, find

USER = 2020
TODAY = date(2026, 11, 24)  # the fake clock's date in London


async def _answer(chat: Chat, clock: FakeClock, score: int, days: int) -> list[ChatMessage]:
    """Move `days` days on, answer /checkin with score; return the messages that follow."""
    clock.advance(timedelta(days=days))
    await chat.say("/checkin", expect=1)
    return await chat.score(score)


async def _check_in(chat: Chat, clock: FakeClock, score: int, *, days: int = 1) -> list[str]:
    """Move `days` days on, answer /checkin with score; return the texts that follow."""
    return [m.text or "" for m in await _answer(chat, clock, score, days)]


async def _asked(chat: Chat, clock: FakeClock, score: int, *, days: int = 1) -> bool:
    """Check in; tell whether the warning-sign question (its buttons) followed unasked."""
    return any(
        isinstance(callbacks.decode(button.get("callback_data")), RedFlagAnswer)
        for message in await _answer(chat, clock, score, days)
        for row in (message.reply_markup or {}).get("inline_keyboard") or []
        for button in row
    )


async def _rules(bot: Runtime) -> list[str]:
    return [e.rule for e in await bot.store.escalations.for_user(USER)]


async def test_the_pain_duration_is_shown_changed_and_exported(
    bot: Runtime, sandbox: Sandbox
) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard(pain=PainDuration.MONTHS_3_TO_12)
    [settings] = await chat.say("/settings")
    label = texts.pain_label(EN, PainDuration.MONTHS_3_TO_12, TODAY)
    assert f"• How long the pain had gone on: {label}\n" in (settings.text or "")
    [question] = await chat.tap(SettingsChoice(SettingsItem.PAIN), expect=1)
    assert question.text == texts.ASK_PAIN_DURATION
    [thanks] = await chat.tap(PainChoice(PainDuration.OVER_A_YEAR), expect=1)
    assert thanks.text == texts.DIABETES_THANKS
    user = await bot.store.users.get(USER)
    assert user is not None
    assert user.pain_duration is PainDuration.OVER_A_YEAR
    [export] = await chat.say("/export")
    assert f"How long the pain had gone on: Over a year (as of {EN.date(TODAY, 'long')})." in (
        export.caption or ""
    )


async def test_skipping_shows_not_answered(bot: Runtime, sandbox: Sandbox) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard()
    [settings] = await chat.say("/settings")
    assert "• How long the pain had gone on: not answered\n" in (settings.text or "")
    [export] = await chat.say("/export")
    assert "How long the pain had gone on" not in (export.caption or "")


async def test_months_of_pain_hear_the_advice_within_days(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    """3 to 12 months of pain, then 5 every day: the referral advice on day 3 and 'not better'
    on day 5, where a user who skipped the question would wait 14 and 90 days."""
    chat = Chat(sandbox, USER)
    await chat.onboard(pain=PainDuration.MONTHS_3_TO_12)
    for _ in range(2):
        said = await _check_in(chat, clock, 5)
        assert not [t for t in said if "doctor" in t.lower()]
    [advice] = [t for t in await _check_in(chat, clock, 5) if "doctor" in t.lower()]
    assert advice.startswith("Please talk to a doctor: ask a GP about a referral")
    assert "your foot pain has gone on for at least 95 days" in advice
    await _check_in(chat, clock, 5)
    [persistent] = [t for t in await _check_in(chat, clock, 5) if "doctor" in t.lower()]
    assert "is still 4 or more, and has not got better over the last 14 days" in persistent
    assert await _rules(bot) == ["long_haul", "persistent"]


async def test_every_other_day_hears_not_better_after_two_weeks(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    """Check-ins every other day at 5, the question skipped: 'not better' on day 14 (the 7th
    check-in), not after 14 check-ins (day 27)."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await _check_in(chat, clock, 5, days=0)
    for _ in range(6):
        await _check_in(chat, clock, 5, days=2)
    assert await _rules(bot) == []
    said = await _check_in(chat, clock, 5, days=1)
    assert any("has not got better over the last 14 days" in t for t in said)
    assert await _rules(bot) == ["persistent"]


async def test_with_diabetes_the_first_pain_says_see_a_gp_once(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard(diabetes=DiabetesAnswer.YES)
    [message] = [t for t in await _check_in(chat, clock, 1, days=0) if "doctor" in t.lower()]
    assert "a GP or your diabetes foot protection team" in message
    assert "with diabetes, any foot pain is worth getting checked" in message
    assert not [t for t in await _check_in(chat, clock, 2) if "doctor" in t.lower()]
    assert await _rules(bot) == ["diabetes_first"]


async def test_the_warning_question_after_severe_days_comes_every_third_day(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    """8 every day: the warning-sign question on days 1 and 4, not 2 and 3; /warning and the
    button under the check-in still open the list on any day."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    asked = []
    for day in range(4):
        asked.append(await _asked(chat, clock, 8, days=0 if day == 0 else 1))
        if day in (1, 2):
            [signs] = await chat.say("/warning")
            assert (signs.text or "").startswith("Warning signs")
    assert asked == [True, False, False, True]
    clock.advance(timedelta(days=1))
    await chat.say("/checkin", expect=1)
    [signs] = await chat.tap(lambda c: isinstance(c, WarningSignsRequest), expect=1)
    assert "Warning signs" in (signs.text or "")
    assert find(sandbox, USER, lambda c: isinstance(c, RedFlagAnswer)) is not None


async def test_a_jump_of_3_always_asks(bot: Runtime, sandbox: Sandbox, clock: FakeClock) -> None:
    """7 then 10 the next day: asked both days, the jump despite the day-old question."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    assert await _asked(chat, clock, 7, days=0)
    assert await _asked(chat, clock, 10)
    assert not await _asked(chat, clock, 10)


async def test_the_pain_question_offers_every_answer_and_skip(
    bot: Runtime, sandbox: Sandbox
) -> None:
    chat = Chat(sandbox, USER)
    await chat.say("/start", expect=1)
    await chat.tap(ZoneChoice("Asia/Kolkata"), expect=1)
    [question] = await chat.confirm_country("IN")
    assert question.text == texts.ASK_PAIN_DURATION
    assert buttons(question) == [
        "Under 6 weeks",
        "6 weeks to 3 months",
        "3 to 12 months",
        "Over a year",
        "Skip",
    ]
