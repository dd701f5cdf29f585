"""Escalations use the user's own country: its emergency number, and never another's."""

from __future__ import annotations

import re

import pytest

from bot.composition import Content
from bot.core import callbacks
from bot.core.callbacks import CountryChoice, ZoneChoice
from bot.core.countries import CountryBook
from bot.core.warning_signs import RedFlag
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from tests.e2e.chat import Chat, buttons, find

USER = 5151


async def _emergency(sandbox: Sandbox, zone: str) -> str:
    chat = Chat(sandbox, USER)
    await chat.onboard(zone=zone)
    await chat.say("/warning")
    [reply] = await chat.flag(RedFlag.CANNOT_BEAR_WEIGHT, expect=1)
    return reply.text or ""


@pytest.mark.parametrize(
    ("zone", "present", "absent"),
    [
        ("America/New_York", ["911"], ["999", "111", "A&E"]),
        ("Europe/London", ["999", "A&E"], ["911", "112"]),
        ("Asia/Shanghai", ["120"], ["999", "911", "111"]),
        ("Etc/UTC", ["your local emergency number"], ["999", "911", "111", "112"]),
    ],
)
async def test_the_emergency_reply_names_the_users_own_number(
    bot: Runtime, sandbox: Sandbox, zone: str, present: list[str], absent: list[str]
) -> None:
    text = await _emergency(sandbox, zone)
    for words in present:
        assert words in text
    for words in absent:
        assert words not in text


async def test_an_urgent_reply_in_london_offers_111(bot: Runtime, sandbox: Sandbox) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard(zone="Europe/London")
    await chat.say("/warning")
    [reply] = await chat.flag(RedFlag.HOT_RED_SWOLLEN, expect=1)
    assert "111" in (reply.text or "")
    assert "today" in (reply.text or "")


async def test_a_country_set_by_hand_wins_over_the_zone(bot: Runtime, sandbox: Sandbox) -> None:
    """A user in Europe/London who says they live in Germany gets 112, not 999."""
    chat = Chat(sandbox, USER)
    await chat.onboard(zone="Europe/London")
    await chat.say("/country DE")
    await chat.say("/warning")
    [reply] = await chat.flag(RedFlag.CANNOT_BEAR_WEIGHT, expect=1)
    assert "112" in (reply.text or "")
    assert "999" not in (reply.text or "")


# --- a zone several countries share (issue 20, item 1) ----------------------------------------


def _numbers_of_others(book: CountryBook, code: str) -> set[str]:
    """Every emergency or urgent number of the countries file that is not this country's."""
    own = book.get(code)
    assert own is not None
    mine = {own.emergency, own.urgent}
    every = {n for c in book for n in (c.emergency, c.urgent) if n is not None}
    return every - mine


def _says(text: str, number: str) -> bool:
    """Tell whether text has the number as a whole number (999 is not in 1999)."""
    return re.search(rf"(?<!\d){re.escape(number)}(?!\d)", text) is not None


@pytest.mark.parametrize(
    ("language", "zone", "country", "number"),
    [
        ("zh-hk", "Asia/Shanghai", "HK", "999"),
        ("zh-tw", "Asia/Shanghai", "TW", "119"),
        ("en", "Asia/Shanghai", "SG", "995"),
        ("en", "Europe/London", "PT", "112"),
        ("zh-hans", "Asia/Shanghai", "CN", "120"),
        ("en", "Europe/London", "GB", "999"),
        ("zh-hk", "Asia/Hong_Kong", "HK", "999"),
    ],
)
async def test_a_user_on_a_shared_zone_confirms_their_country_and_gets_its_number_only(
    bot: Runtime,
    sandbox: Sandbox,
    content: Content,
    language: str,
    zone: str,
    country: str,
    number: str,
) -> None:
    """Someone in Hong Kong, Taiwan, Singapore or Portugal who taps Asia/Shanghai or
    Europe/London, then their own country on the confirmation step, is told their own
    emergency number for "can't put weight on it" and no other number of the file; mainland
    China and the UK keep 120 and 999; the Hong Kong zone button gives Hong Kong."""
    chat = Chat(sandbox, USER, language_code=language)
    await chat.say("/start", expect=1)
    [question] = await chat.tap(ZoneChoice(zone), expect=1)
    assert find(sandbox, USER, CountryChoice(country)) is not None, buttons(question)
    await chat.onboard_rest(country=country)
    await chat.say("/warning")
    [reply] = await chat.flag(RedFlag.CANNOT_BEAR_WEIGHT, expect=1)
    text = reply.text or ""
    assert _says(text, number), text
    book = content.countries
    assert [n for n in sorted(_numbers_of_others(book, country)) if _says(text, n)] == []


async def test_chinese_readers_see_hong_kong_taipei_and_singapore_zones(
    bot: Runtime, sandbox: Sandbox
) -> None:
    chat = Chat(sandbox, USER, language_code="zh-hans")
    [welcome] = await chat.say("/start", expect=1)
    for zone in ("Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore"):
        assert zone in buttons(welcome)


async def test_traditional_chinese_lists_hong_kong_taiwan_and_macau_first(
    bot: Runtime, sandbox: Sandbox
) -> None:
    """A zh-tw Telegram tapping Asia/Shanghai sees Hong Kong, Taiwan, Macau, then China."""
    chat = Chat(sandbox, USER, language_code="zh-tw")
    await chat.say("/start", expect=1)
    [question] = await chat.tap(ZoneChoice("Asia/Shanghai"), expect=1)
    codes = [
        choice.code
        for row in (question.reply_markup or {})["inline_keyboard"]
        for button in row
        if isinstance(choice := callbacks.decode(button["callback_data"]), CountryChoice)
    ]
    assert codes[:4] == ["HK", "TW", "MO", "CN"]
    assert codes[-1] is None, "then Other, to type it"
    assert len(codes) <= 7


async def test_changing_the_zone_later_asks_the_country_again(
    bot: Runtime, sandbox: Sandbox
) -> None:
    """A UK user who moves to Asia/Shanghai is asked; until they answer no number is
    guessed, and Hong Kong gives 999."""
    chat = Chat(sandbox, USER)
    await chat.onboard(zone="Europe/London")
    [asked] = await chat.say("/timezone Asia/Shanghai")
    assert "Which country are you in?" in (asked.text or "")
    await chat.say("/warning")
    [unknown] = await chat.flag(RedFlag.CANNOT_BEAR_WEIGHT, expect=1)
    assert "your local emergency number" in (unknown.text or "")
    assert not _says(unknown.text or "", "999")
    [confirmed] = await chat.tap(CountryChoice("HK"), expect=1)
    assert (confirmed.text or "").startswith("Country set to Hong Kong")
    await chat.say("/warning")
    [reply] = await chat.flag(RedFlag.CANNOT_BEAR_WEIGHT, expect=1)
    assert _says(reply.text or "", "999")
    assert not _says(reply.text or "", "120")
