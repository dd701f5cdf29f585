"""Escalation end to end: persistent pain earns one clear 'see a doctor' message, red flags
earn an urgent one at once, and nothing routine ever mentions a doctor."""

from __future__ import annotations

from datetime import date, timedelta

from bot.clock import FakeClock
from bot.core.callbacks import (
    DiabetesAnswer,
    RedFlagAnswer,
    SettingsChoice,
    SettingsItem,
    WarningSignsRequest,
)
from bot.core.warning_signs import RedFlag
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from tests.conftest import BotFactory
from tests.e2e.chat import Chat, find

TODAY = date(2026, 11, 24)  # the fake clock's date in London
USER = 1101


async def _answer_daily(bot: Runtime, chat: Chat, clock: FakeClock, score: int) -> list[str]:
    """Let the next daily tip and check-in arrive, answer with `score`; return all new texts."""
    for _ in range(24):
        clock.advance(timedelta(hours=1))
        if await bot.tick():
            await bot.sender.drain()
            break
    delivered = await chat.replies()
    prompt = delivered[-1]
    assert prompt.text is not None
    assert "How is your heel/foot pain today?" in prompt.text
    after = await chat.score(score)
    return [m.text or "" for m in [*delivered, *after]] + [prompt.text]


async def test_persistent_pain_escalates_once_on_the_last_day(
    make_bot: BotFactory, sandbox: Sandbox, clock: FakeClock
) -> None:
    """Pain 5 on three daily check-ins (ESCALATION_DAYS=3): 'doctor' on day 3, never before."""
    bot = await make_bot(escalation_days=3)
    chat = Chat(sandbox, USER)
    await chat.onboard()
    before = chat.texts()
    for _ in range(2):
        before += await _answer_daily(bot, chat, clock, 5)
    assert not [t for t in before if "doctor" in t.lower()]
    last_day = await _answer_daily(bot, chat, clock, 5)
    escalations = [t for t in last_day if "doctor" in t.lower()]
    assert len(escalations) == 1
    assert "is still 4 or more, and has not got better over the last 3 days" in escalations[0]
    assert "cannot diagnose" in escalations[0]
    [stored] = await bot.store.escalations.for_user(USER)
    assert stored.rule == "persistent"
    assert stored.reason is not None
    assert stored.reason in escalations[0]  # kept for the doctor summary
    assert [score for _, score in stored.scores] == [5, 5, 5]
    # The episode is reported once: the next high day says nothing new.
    assert not [t for t in await _answer_daily(bot, chat, clock, 5) if "doctor" in t.lower()]


async def test_mild_pain_never_escalates(
    make_bot: BotFactory, sandbox: Sandbox, clock: FakeClock
) -> None:
    """Pain 2 on five daily check-ins brings no escalation."""
    bot = await make_bot(escalation_days=3)
    chat = Chat(sandbox, USER)
    await chat.onboard()
    seen: list[str] = []
    for _ in range(5):
        seen += await _answer_daily(bot, chat, clock, 2)
    assert not [t for t in seen if "doctor" in t.lower()]
    assert await bot.store.escalations.for_user(USER) == []


async def test_red_flag_gets_urgent_message_at_once(bot: Runtime, sandbox: Sandbox) -> None:
    """A score of 8 asks the warning-sign question; 'can't put weight on it' means an
    emergency department now."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/checkin")
    severe_day, question = await chat.score(8, expect=2)
    assert "doctor" in (severe_day.text or "")
    assert question.text is not None
    assert "doctor" not in question.text.lower()
    [urgent] = await chat.flag(RedFlag.CANNOT_BEAR_WEIGHT, expect=1)
    assert urgent.text is not None
    assert urgent.text.startswith("Call 999 or go to A&E now")
    assert "doctor" in urgent.text.lower()
    stored = [(e.rule, e.urgency) for e in await bot.store.escalations.for_user(USER)]
    assert stored == [("severe_day", "routine"), ("red_flag_emergency", "emergency")]


async def test_severe_first_day_with_no_warning_sign_still_says_doctor(
    bot: Runtime, sandbox: Sandbox
) -> None:
    """9 on day one, then 'None of these': the severe-day advice (with 'doctor') was given,
    and the answer adds no warning-sign escalation."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/checkin")
    severe_day, _question = await chat.score(9, expect=2)
    assert "doctor" in (severe_day.text or "")
    assert "more than a few days" in (severe_day.text or "")
    [reply] = await chat.flag(RedFlag.NONE, expect=1)
    assert reply.text is not None
    assert "doctor" not in reply.text.lower()
    assert [e.rule for e in await bot.store.escalations.for_user(USER)] == ["severe_day"]


async def test_a_moderate_first_day_says_no_doctor(bot: Runtime, sandbox: Sandbox) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/checkin")
    await chat.score(5)
    assert not any("doctor" in text.lower() for text in chat.texts())
    assert await bot.store.escalations.for_user(USER) == []


async def test_warning_at_low_pain_sends_the_emergency_reply_at_once(
    bot: Runtime, sandbox: Sandbox
) -> None:
    """/warning at pain 2: 'can't put weight on it' is an emergency, whatever the score."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/checkin")
    await chat.score(2)
    [signs] = await chat.say("/warning")
    assert "doctor" not in (signs.text or "").lower()
    [urgent] = await chat.flag(RedFlag.CANNOT_BEAR_WEIGHT, expect=1)
    assert (urgent.text or "").startswith("Call ")
    [stored] = await bot.store.escalations.for_user(USER)
    assert (stored.rule, stored.urgency) == ("red_flag_emergency", "emergency")


async def test_the_warning_button_under_a_check_in_opens_the_list(
    bot: Runtime, sandbox: Sandbox
) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/checkin")
    [signs] = await chat.tap(lambda c: isinstance(c, WarningSignsRequest), expect=1)
    assert "Warning signs" in (signs.text or "")
    assert find(sandbox, USER, RedFlagAnswer(TODAY, RedFlag.INJURY)) is not None


async def test_diabetes_lowers_the_bar(bot: Runtime, sandbox: Sandbox, clock: FakeClock) -> None:
    """With diabetes, a single score of 4 brings the see-a-doctor-soon message."""
    chat = Chat(sandbox, USER)
    await chat.onboard(diabetes=DiabetesAnswer.YES)
    await chat.say("/checkin")
    replies = await chat.score(4)
    assert any("doctor" in (m.text or "").lower() for m in replies)
    [stored] = await bot.store.escalations.for_user(USER)
    assert stored.rule == "diabetes"


async def test_weekly_foot_check_with_a_new_wound_says_today(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    """A user with diabetes gets the weekly foot check; 'yes' means get seen today."""
    chat = Chat(sandbox, USER)
    await chat.onboard(diabetes=DiabetesAnswer.YES)
    await chat.say("/settings")
    await chat.tap(SettingsChoice(SettingsItem.WEEKDAY), expect=1)
    await chat.tap(SettingsChoice(SettingsItem.WEEKDAY, TODAY.weekday()), expect=1)
    clock.advance(timedelta(hours=2, minutes=1))
    await bot.tick()
    await bot.sender.drain()
    delivered = await chat.replies()
    assert any((m.text or "").startswith("Weekly foot check") for m in delivered)
    [reply] = await chat.flag(RedFlag.DIABETES_FOOT, expect=1)
    assert "today" in (reply.text or "")
    assert "doctor" in (reply.text or "")
    [stored] = await bot.store.escalations.for_user(USER)
    assert (stored.rule, stored.urgency) == ("red_flag_urgent", "urgent")
