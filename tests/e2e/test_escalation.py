"""Escalation end to end: persistent pain earns one clear 'see a doctor' message, red flags
earn an urgent one at once, and nothing routine ever mentions a doctor."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from bot.core.callbacks import DiabetesAnswer, DiabetesChoice, TimeChoice, ZoneChoice
from bot.core.escalation import RedFlag
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from tests.conftest import BotFactory
from tests.e2e.chat import Chat

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
    assert "4 or more on each of your last 3 check-ins" in escalations[0]
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
    """A score of 8 asks the red-flag question; 'can't put weight on it' sends A&E advice."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/checkin")
    [question] = await chat.score(8)
    assert question.text is not None
    assert "doctor" not in question.text.lower()
    [urgent] = await chat.flag(RedFlag.CANNOT_BEAR_WEIGHT)
    assert urgent.text is not None
    assert "A&E" in urgent.text
    assert "doctor" in urgent.text.lower()
    [stored] = await bot.store.escalations.for_user(USER)
    assert (stored.rule, stored.urgency) == ("red_flag_emergency", "emergency")


async def test_red_flag_none_is_reassuring(bot: Runtime, sandbox: Sandbox) -> None:
    """'None of these' after a high score records the answer and sends no escalation."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/checkin")
    await chat.score(9)
    [reply] = await chat.flag(RedFlag.NONE)
    assert reply.text is not None
    assert "doctor" not in reply.text.lower()
    assert await bot.store.escalations.for_user(USER) == []


async def test_diabetes_lowers_the_bar(bot: Runtime, sandbox: Sandbox, clock: FakeClock) -> None:
    """With diabetes, a single score of 4 brings the contact-your-GP message."""
    chat = Chat(sandbox, USER)
    await chat.say("/start")
    await chat.tap(ZoneChoice("Europe/London"))
    await chat.tap(TimeChoice("09:00"))
    await chat.tap(DiabetesChoice(DiabetesAnswer.YES))
    await chat.say("/checkin")
    replies = await chat.score(4)
    assert any("doctor" in (m.text or "").lower() for m in replies)
    [stored] = await bot.store.escalations.for_user(USER)
    assert stored.rule == "diabetes"
