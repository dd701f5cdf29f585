"""A Simplified Chinese user end to end: everything the bot says is Chinese, and /language
switches to English at once."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.clock import FakeClock
from bot.content.catalogs import packaged_catalogs
from bot.core import texts
from bot.core.callbacks import DeleteChoice, DoctorSummaryRequest, LanguageChoice, ZoneChoice
from bot.core.i18n import ENGLISH as EN
from bot.core.i18n import Language
from bot.core.outbox import tip_above_question
from bot.core.warning_signs import RedFlag
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.sandbox.models import ChatMessage
from tests.e2e.chat import Chat

USER = 8801
ZH = packaged_catalogs()[Language.ZH]
ZONE = "Asia/Shanghai"
# What a Chinese text may still spell in Latin letters: links, commands, the zone, and names.
ALLOWED = re.compile(
    r"https?://\S+|/[a-z_]+|Asia/Shanghai|FootCare|NHS|CSV|PDF|Telegram|\bzh\b",
)


def latin_left(text: str) -> str:
    """Return the Latin letters a text has once links, commands and names are taken out."""
    return "".join(re.findall(r"[A-Za-z]", ALLOWED.sub("", text)))


def shown(messages: list[ChatMessage]) -> list[str]:
    """The text or caption of each message, in order."""
    return [m.text or m.caption or "" for m in messages]


async def _next_daily(bot: Runtime, chat: Chat, clock: FakeClock) -> list[ChatMessage]:
    for _ in range(24):
        clock.advance(timedelta(hours=1))
        if await bot.tick():
            await bot.sender.drain()
            break
    return await chat.replies()


async def test_a_zh_hans_user_hears_only_chinese_until_they_choose_english(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    """/start, onboarding, tip, check-in, escalation, the doctor summary, /history, /export and
    /delete in Chinese (the summary also in English on request); then English."""
    chat = Chat(sandbox, USER, "小明", language_code="zh-hans")
    await chat.onboard(zone=ZONE)
    said = chat.texts()
    assert said[0].startswith("小明，你好！我是 FootCare。")
    daily = await _next_daily(bot, chat, clock)
    [message] = [m.text or "" for m in daily if (m.text or "").startswith("今日护足小贴士")]
    # One message: the tip above the check-in question, both in Chinese.
    tip = tip_above_question(message)
    assert tip is not None
    assert "疼痛" in message.removeprefix(tip)
    # The tip's body is its zh text from tips/*.yaml; its source keeps the page's own title.
    [record] = await bot.store.tips.history(USER)
    tip_text = bot.features.tips.tips.by_id(record.tip_id)
    assert tip_text is not None
    assert tip_text.text_for("zh") in tip
    # The tip's source keeps its page's own (English) title; the rest must be Chinese.
    said += [text.removeprefix(tip) for text in shown(daily)]
    said += shown(await chat.score(8, expect=2))  # severe: the see-a-doctor message, a question
    assert any("医生" in text for text in said)
    said += shown(await chat.flag(RedFlag.HOT_RED_SWOLLEN, expect=1))
    # The page, the PDF, the CSV, the offer of an English copy.
    said += shown(await chat.tap(DoctorSummaryRequest(), expect=4))
    english_copy = await chat.tap(DoctorSummaryRequest(Language.EN), expect=3)
    assert [m.file_name or "" for m in english_copy][2].endswith(".csv")
    said += shown(await chat.say("/history"))
    said += shown(await chat.say("/checkin"))
    said += shown(await chat.say("/settings"))
    said += shown(await chat.say("/export"))
    said += shown(await chat.say("/nonsense"))
    said += shown(await chat.say("/delete"))
    said += shown(await chat.tap(DeleteChoice(confirm=True)))
    # Every message's current text (edits included), but not the English copy of the summary.
    copy = {m.message_id for m in english_copy}
    said += [
        (m.text or m.caption or "").removeprefix(tip)
        for m in sandbox.messages(USER)
        if m.message_id not in copy
    ]
    # The toasts that answered the presses, "已记下：8/10" among them.
    toasts = [str(answer.get("text") or "") for answer in sandbox.callback_answers]
    assert "已记下：8/10" in toasts
    said += toasts
    english = {text: latin_left(text) for text in said if latin_left(text)}
    assert english == {}
    assert "全部数据已删除" in chat.last().text  # type: ignore[operator]

    await chat.say("/start")
    await chat.say("/language")
    await chat.tap(LanguageChoice(Language.EN))
    assert chat.last().text == "From now on I'll write in English."
    [reply] = await chat.say("/help")
    assert reply.text is not None
    assert reply.text.startswith("FootCare sends one foot-care tip")


async def test_language_before_start_then_start_greets_in_the_chosen_language(
    bot: Runtime, sandbox: Sandbox
) -> None:
    """A user whose Telegram is English sends /language before /start: they get the choice,
    not "you're not subscribed"; 中文 is kept, nothing else happens until /start, which
    greets them in Chinese and carries on in Chinese."""
    chat = Chat(sandbox, USER, "Lin", language_code="en")
    [offer] = await chat.say("/language", expect=1)
    assert offer.text == EN.gettext(texts.CHOOSE_LANGUAGE)
    await chat.tap(LanguageChoice(Language.ZH))
    [chosen] = [m for m in sandbox.messages(USER) if m.message_id == offer.message_id]
    assert chosen.text == "从现在起我会用中文和你交流。发送 /start 开始。"
    user = await bot.store.users.get(USER)
    assert user is not None
    assert (user.language_code, user.next_due_utc) == ("zh", None)
    # Still not subscribed: no schedule, and any other command says so, in Chinese now.
    [nudge] = await chat.say("/checkin", expect=1)
    assert nudge.text == ZH.gettext(texts.NOT_SUBSCRIBED)
    [welcome] = await chat.say("/start", expect=1)
    assert welcome.text is not None
    assert welcome.text.startswith("Lin，你好！我是 FootCare。")
    await chat.tap(ZoneChoice(ZONE), expect=1)
    assert not latin_left(chat.last().text or "")
    user = await bot.store.users.get(USER)
    assert user is not None
    assert (user.active, user.language_code, user.first_name) == (True, "zh", "Lin")
    assert user.next_due_utc is not None


async def test_a_chinese_telegram_user_can_choose_english_before_start(
    bot: Runtime, sandbox: Sandbox
) -> None:
    """The other way round: the offer comes in Chinese, English is kept for /start."""
    chat = Chat(sandbox, USER, "小明", language_code="zh-hans")
    [offer] = await chat.say("/language", expect=1)
    assert offer.text == ZH.gettext(texts.CHOOSE_LANGUAGE)
    await chat.tap(LanguageChoice(Language.EN))
    [welcome] = await chat.say("/start", expect=1)
    assert welcome.text is not None
    assert welcome.text.startswith("Hi, 小明! I'm FootCare.")
