"""Hazard H16 end to end: a child's heel pain is sent to a GP, in both languages."""

from __future__ import annotations

import pytest

from bot.content.catalogs import packaged_catalogs
from bot.core import texts
from bot.core.i18n import Language
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from tests.e2e.chat import Chat


@pytest.mark.parametrize(("code", "language"), [("en", Language.EN), ("zh-hans", Language.ZH)])
async def test_start_and_help_say_footcare_is_for_adults_in_both_languages(
    bot: Runtime, sandbox: Sandbox, code: str, language: Language
) -> None:
    """The welcome and /help both carry the adults-only line in the user's own language."""
    scope = packaged_catalogs()[language].gettext(texts.SCOPE)
    chat = Chat(sandbox, 601, language_code=code)
    [welcome] = await chat.say("/start")
    [help_reply] = await chat.say("/help")
    for reply in (welcome, help_reply):
        assert reply.text is not None
        assert scope in reply.text
