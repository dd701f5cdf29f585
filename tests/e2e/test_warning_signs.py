"""The warning-sign list through the sandbox: its pages, the new signs, and what each reply
adds (the MHRA's quinolone advice, out-of-hours routes, Diabetes UK's weight-off)."""

from __future__ import annotations

from datetime import date

from bot.core.callbacks import (
    RedFlagAnswer,
    WarningSignsRequest,
)
from bot.core.warning_signs import RedFlag
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.store import UserPatch
from tests.e2e.chat import Chat, buttons

USER = 6262
TODAY = date(2026, 11, 24)  # the sandbox clock's first day (tests/conftest.py)
NI_WORDS = "NHS 111 (NHS 24 in Scotland); in Northern Ireland, your GP out-of-hours service"


async def test_the_list_comes_a_page_per_urgency_and_none_needs_every_page(
    bot: Runtime, sandbox: Sandbox
) -> None:
    """/warning shows the signs that need help now; "None of these: more signs" replaces that
    page with the answer and brings the next; "None of these" on the last escalates nothing."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    [first] = await chat.say("/warning")
    assert (first.text or "").endswith("1 of 3: signs that need help now")
    assert buttons(first)[-1] == "None of these: more signs"
    [second] = await chat.tap(lambda c: isinstance(c, WarningSignsRequest), expect=1)
    assert first.text == "You answered: None of these: more signs."
    assert first.reply_markup is None
    assert (second.text or "").endswith("2 of 3: signs that need help today")
    [third] = await chat.tap(lambda c: isinstance(c, WarningSignsRequest), expect=1)
    assert (third.text or "").endswith("3 of 3: signs to get checked within days")
    assert buttons(third)[-1] == "None of these"
    [reply] = await chat.tap(RedFlagAnswer(TODAY, RedFlag.NONE), expect=1)
    assert third.text == "You answered: None of these."
    assert (reply.text or "").startswith("Thanks, none of those.")
    assert await bot.store.escalations.for_user(USER) == []


async def test_a_quinolone_on_the_second_page_gets_the_mhra_advice(
    bot: Runtime, sandbox: Sandbox
) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/warning")
    [reply] = await chat.flag(RedFlag.ANTIBIOTIC, expect=1)
    text = reply.text or ""
    assert "during or in the months after a quinolone antibiotic" in text
    assert "If you are still taking it, stop, and contact the doctor who prescribed it" in text
    assert "within 48 hours of the first dose or up to several months after the course" in text
    assert NI_WORDS in text
    [stored] = await bot.store.escalations.for_user(USER)
    assert (stored.rule, stored.urgency) == ("red_flag_urgent", "urgent")


async def test_a_kick_at_the_back_of_the_ankle_at_low_pain_is_an_emergency(
    bot: Runtime, sandbox: Sandbox
) -> None:
    """A rupture can hurt little and come without a snap."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/checkin")
    await chat.score(2)
    await chat.say("/warning")
    [reply] = await chat.flag(RedFlag.ACHILLES_RUPTURE, expect=1)
    assert (reply.text or "").startswith("Call 999 or go to A&E now")
    [stored] = await bot.store.escalations.for_user(USER)
    assert (stored.rule, stored.urgency) == ("red_flag_emergency", "emergency")


async def test_a_calf_in_hong_kong_reads_in_chinese_with_its_own_words(
    bot: Runtime, sandbox: Sandbox
) -> None:
    """Same day, where to go when the clinic is closed, and breathless: 999, not 120."""
    chat = Chat(sandbox, USER, "小明", language_code="zh-hans")
    await chat.onboard(zone="Asia/Hong_Kong")
    await chat.say("/country HK")
    await chat.say("/warning")
    [reply] = await chat.flag(RedFlag.CALF, expect=1)
    text = reply.text or ""
    assert text.startswith("请今天就去看医生：联系家庭医生或普通科门诊")
    assert "如果今天约不上、看不了（比如在晚上或周末）" in text
    assert "医院急症室" in text
    assert "胸痛，请立即拨打999" in text
    assert "120" not in text


async def test_a_diabetic_same_day_reply_takes_the_weight_off(
    bot: Runtime, sandbox: Sandbox
) -> None:
    """Diabetes UK: take the weight off; GP or foot team; else out-of-hours (UK wording)."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await bot.store.users.update(USER, UserPatch(has_diabetes=True))
    await chat.say("/warning")
    [reply] = await chat.flag(RedFlag.HOT_RED_SWOLLEN, expect=1)
    text = reply.text or ""
    assert "contact a GP or your diabetes foot protection team now" in text
    assert "Take the weight off your foot" in text
    assert f"If they are not available today: call {NI_WORDS}." in text
