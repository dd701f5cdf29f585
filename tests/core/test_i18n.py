"""Tests for bot/core/i18n.py: the msgid check the suite runs with, and the English fallback
the bot keeps in production."""

from __future__ import annotations

import pytest

from bot.content.catalogs import packaged_catalogs
from bot.core.i18n import ENGLISH, Language, Translator, UnknownMsgid

ZH = packaged_catalogs()[Language.ZH]
KNOWN = "Which language should I use?"


@pytest.mark.parametrize("t", [ENGLISH, ZH], ids=["en", "zh"])
def test_a_msgid_the_catalogue_lacks_fails_in_every_language(t: Translator) -> None:
    """In the suite, asking any translator for text outside the catalogue is an error, so an
    English test catches a sentence that never reached the catalogue."""
    with pytest.raises(UnknownMsgid, match="Built at run time"):
        t.gettext("Built at run time.")
    with pytest.raises(UnknownMsgid):
        t.ngettext("{n} thing built", "{n} things built", 2)
    assert t.gettext(KNOWN)


@pytest.mark.usefixtures("any_msgid")
def test_without_the_check_a_missing_msgid_falls_back_to_english() -> None:
    """The bot itself never fails on a missing msgid: the reader gets the English."""
    assert ZH.gettext("Built at run time.") == "Built at run time."
    assert ZH.ngettext("{n} thing built", "{n} things built", 2) == "{n} things built"
    assert ZH.gettext(KNOWN) != KNOWN
