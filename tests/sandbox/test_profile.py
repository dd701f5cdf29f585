"""setMyDescription, setMyShortDescription and their getters, per language."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import BadRequest

from bot.sandbox import Sandbox


async def test_descriptions_are_kept_per_language_with_the_default_as_fallback(
    sandbox: Sandbox, bot: Bot
) -> None:
    """A language without its own description sees the default one."""
    await bot.set_my_description("Default words")
    await bot.set_my_description("中文介绍", language_code="zh")
    await bot.set_my_short_description("Short")
    assert sandbox.description() == "Default words"
    assert sandbox.description("zh") == "中文介绍"
    assert (await bot.get_my_description(language_code="zh")).description == "中文介绍"
    assert (await bot.get_my_description(language_code="de")).description == "Default words"
    assert (await bot.get_my_short_description("zh")).short_description == "Short"
    assert [c.params.get("language_code") for c in sandbox.calls_to("setMyDescription")] == [
        None,
        "zh",
    ]


async def test_an_empty_text_removes_the_languages_own(sandbox: Sandbox, bot: Bot) -> None:
    """As Telegram documents: "" removes the dedicated description for that language."""
    await bot.set_my_description("Default words")
    await bot.set_my_description("中文介绍", language_code="zh")
    await bot.set_my_description("", language_code="zh")
    assert (await bot.get_my_description(language_code="zh")).description == "Default words"
    assert (await bot.get_my_description()).description == "Default words"


async def test_nothing_set_reads_as_empty(bot: Bot) -> None:
    assert (await bot.get_my_description()).description == ""
    assert (await bot.get_my_short_description()).short_description == ""


@pytest.mark.parametrize(
    ("method", "text"),
    [("set_my_description", "x" * 513), ("set_my_short_description", "x" * 121)],
)
async def test_texts_over_telegrams_limits_are_refused(bot: Bot, method: str, text: str) -> None:
    """512 characters for the description, 120 for the short one."""
    with pytest.raises(BadRequest, match=r"(?i)description_invalid"):
        await getattr(bot, method)(text)


async def test_a_language_code_must_be_two_letters(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)lang_code_invalid"):
        await bot.set_my_description("Hi", language_code="zh-hans")
