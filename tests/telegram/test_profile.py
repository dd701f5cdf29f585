"""The bot's description and short description, and the deep link's language."""

from __future__ import annotations

import pytest
from telegram import Bot

from bot.content.catalogs import packaged_catalogs
from bot.core.i18n import Language
from bot.sandbox import Sandbox
from bot.sandbox.methods.profile import MAX_DESCRIPTION, MAX_SHORT_DESCRIPTION
from bot.telegram.profile import DESCRIPTION, SHORT_DESCRIPTION, deep_link_language, introduce


@pytest.mark.parametrize("language", list(Language))
def test_both_texts_fit_telegrams_limits_in_every_language(language: Language) -> None:
    t = packaged_catalogs()[language]
    assert 0 < len(t.gettext(DESCRIPTION)) <= MAX_DESCRIPTION
    assert 0 < len(t.gettext(SHORT_DESCRIPTION)) <= MAX_SHORT_DESCRIPTION


async def test_set_in_both_languages_then_only_when_they_differ(sandbox: Sandbox) -> None:
    """The first start sets four texts; the next sets none; a changed one is set again."""
    catalogs = packaged_catalogs()
    zh = catalogs[Language.ZH]
    async with Bot(sandbox.token, base_url=f"{sandbox.base_url}/bot") as bot:
        assert await introduce(bot, catalogs) == 4
        assert sandbox.description() == DESCRIPTION
        assert sandbox.description("zh") == zh.gettext(DESCRIPTION)
        assert sandbox.short_description("zh") == zh.gettext(SHORT_DESCRIPTION)
        assert await introduce(bot, catalogs) == 0
        await bot.set_my_short_description("Something else", language_code="zh")
        assert await introduce(bot, catalogs) == 1
    assert len(sandbox.calls_to("setMyShortDescription")) == 4  # 2 + the test's + 1


@pytest.mark.parametrize(
    ("args", "language"),
    [
        (["zh"], Language.ZH),
        (["en"], Language.EN),
        (["ZH"], Language.ZH),
        ([], None),
        (None, None),
        (["fr"], None),
        (["zh", "en"], None),
    ],
)
def test_the_deep_links_language(args: list[str] | None, language: Language | None) -> None:
    assert deep_link_language(args) is language
