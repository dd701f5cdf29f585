"""Issue 13 items 3 and 4 end to end: the tip and the check-in in one message, answered in
place, with the score confirmed at once in the button's own notice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.clock import FakeClock
from bot.core import callbacks, texts
from bot.core.callbacks import CheckinAnswer, RedFlagAnswer, WarningSignsRequest
from bot.core.i18n import ENGLISH as EN
from bot.core.outbox import PARAGRAPH, tip_above_question
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.sandbox.models import ChatMessage
from tests.conftest import BotFactory
from tests.e2e.chat import Chat, buttons

USER = 1301
TODAY = date(2026, 11, 24)  # a Tuesday; the fixtures' clock is 07:00 in London
TIP_HEAD = "Today's foot-care tip"


async def run_hours(bot: Runtime, clock: FakeClock, hours: int) -> None:
    """Move the clock on an hour at a time, ticking the dispatcher and draining the outbox."""
    for _ in range(hours):
        clock.advance(timedelta(hours=1))
        await bot.tick()
        await bot.sender.drain()


async def daily_message(bot: Runtime, chat: Chat, clock: FakeClock) -> ChatMessage:
    """Onboard for 09:00 London and return the one message that arrives at 09:00."""
    await chat.onboard()
    await run_hours(bot, clock, 3)
    [daily] = await chat.replies()
    return daily


async def test_the_tip_and_the_question_arrive_as_one_message(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    """One message: the tip, then the question, under 0-10 and the warning-sign button."""
    daily = await daily_message(bot, Chat(sandbox, USER), clock)
    assert daily.text is not None
    assert daily.text.startswith(TIP_HEAD)
    assert daily.text.endswith(PARAGRAPH + texts.checkin_prompt(EN, TODAY))
    assert buttons(daily) == [*(str(n) for n in range(11)), "Warning sign"]


async def test_a_score_is_toasted_at_once_then_shown_under_the_kept_tip(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    chat = Chat(sandbox, USER)
    daily = await daily_message(bot, chat, clock)
    assert daily.text is not None
    tip = tip_above_question(daily.text)
    assert tip is not None
    assert tip.startswith(TIP_HEAD)
    await chat.score(5)
    assert daily.text == f"{tip}{PARAGRAPH}{texts.checkin_recorded(EN, TODAY, 5, 1)}"
    assert daily.reply_markup is None
    assert await bot.store.diary.checkins(USER) == [(TODAY, 5)]
    assert sandbox.callback_answers[-1].get("text") == "Recorded: 5/10"
    # The press is answered before the edit is even asked for: the edit may wait its turn
    # under the rate limit, the notice does not.
    methods = [
        c.method for c in sandbox.calls if c.method in {"answerCallbackQuery", "editMessageText"}
    ]
    assert methods[-2:] == ["answerCallbackQuery", "editMessageText"]


async def test_a_severe_score_on_it_still_escalates_and_asks_about_warning_signs(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    chat = Chat(sandbox, USER)
    daily = await daily_message(bot, chat, clock)
    escalation, question = await chat.score(8, expect=2)
    assert escalation.text is not None
    assert "doctor" in escalation.text
    decoded = [
        callbacks.decode(d["callback_data"])
        for r in question.reply_markup["inline_keyboard"]
        for d in r
    ]  # type: ignore[index]
    *signs, more = decoded
    assert all(isinstance(c, RedFlagAnswer) for c in signs)
    assert more == WarningSignsRequest(TODAY, 1), "None of these: more signs"
    assert daily.text is not None
    assert daily.text.startswith(TIP_HEAD)


async def test_its_warning_sign_button_opens_the_list(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    chat = Chat(sandbox, USER)
    await daily_message(bot, chat, clock)
    [question] = await chat.tap(WarningSignsRequest(TODAY), expect=1)
    assert question.reply_markup is not None
    assert await bot.store.diary.checkins(USER) == []


async def test_a_check_in_answered_before_the_daily_time_leaves_the_tip_alone(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/checkin")
    await chat.score(3)
    await run_hours(bot, clock, 3)
    [tip] = await chat.replies()
    assert tip.text is not None
    assert tip.text.startswith(TIP_HEAD)
    assert "Check-in for" not in tip.text
    assert tip.reply_markup is None


async def test_a_tip_asked_for_earlier_leaves_the_question_alone(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/tip")
    await run_hours(bot, clock, 3)
    [prompt] = await chat.replies()
    assert prompt.text == texts.checkin_prompt(EN, TODAY)
    await chat.score(4)
    assert prompt.text == texts.checkin_recorded(EN, TODAY, 4, 1)


@pytest.mark.webhook_too  # a restart registers the webhook again
async def test_an_answer_after_a_restart_is_recorded_once(
    make_bot: BotFactory, sandbox: Sandbox, clock: FakeClock
) -> None:
    """The bot restarts between the message and the answer; a second press of the same
    score (a stale client) changes nothing and is still acknowledged."""
    bot = await make_bot()
    chat = Chat(sandbox, USER)
    daily = await daily_message(bot, chat, clock)
    [five] = [
        d["callback_data"]
        for row in (daily.reply_markup or {})["inline_keyboard"]
        for d in row
        if callbacks.decode(d["callback_data"]) == CheckinAnswer(TODAY, 5)
    ]
    await bot.stop()
    restarted = await make_bot()
    await chat.score(5)
    shown = daily.text
    sandbox.forge_callback(USER, five)  # on the newest message: the answered daily one
    assert await chat.replies() == []
    assert daily.text == shown
    assert await restarted.store.diary.checkins(USER) == [(TODAY, 5)]
    assert [a.get("text") for a in sandbox.callback_answers[-2:]] == ["Recorded: 5/10"] * 2


async def test_a_newcomer_on_their_chart_day_gets_no_empty_chart(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    """Subscribed on a Sunday morning: at 09:00 one message, not a chart of no check-ins."""
    clock.advance(timedelta(days=5))  # Sunday 29 November, 07:00
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await run_hours(bot, clock, 3)
    [daily] = await chat.replies()
    assert daily.photo is None
    assert daily.text is not None
    assert daily.text.startswith(TIP_HEAD)
