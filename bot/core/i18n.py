"""The user's language and the translator that speaks it: gettext, ngettext and one date helper.

Pure: catalogues are read by bot/content/catalogs.py and handed in as plain mappings, so the
core never opens a file. English msgids are the English texts, so English needs no catalogue.
A msgid the catalogue lacks falls back to the English; the test suite turns that into an error
(`check_msgids`), so a text built at run time or hidden from extraction cannot slip through.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Literal

from babel import Locale
from babel.dates import format_date, format_skeleton

Messages = Mapping[str, str | tuple[str, ...]]
DateForm = Literal["short", "long", "day_month", "weekday", "weekday_short", "full", "month_year"]


class Language(StrEnum):
    """A language the bot speaks (the value is what users.language_code stores)."""

    EN = "en"
    ZH = "zh"


# Babel locales: British English keeps "Tuesday 24 November"; Chinese is Simplified.
_LOCALES: Mapping[Language, str] = {Language.EN: "en_GB", Language.ZH: "zh_Hans_CN"}
_SIMPLIFIED = frozenset({"zh", "zh-hans", "zh-cn", "zh-sg", "zh-hans-cn", "zh-hans-sg"})
_TRADITIONAL = frozenset({"zh-hant", "zh-tw", "zh-hk", "zh-mo", "zh-hant-tw", "zh-hant-hk"})


class UnknownMsgid(LookupError):
    """A translator was asked for a msgid the catalogue does not hold (only while checking)."""


@dataclass
class _MsgidCheck:
    # The msgids a translator may be asked for; None accepts any (the bot's own setting).
    known: frozenset[str] | None = None

    def __call__(self, message: str) -> None:
        if self.known is not None and message not in self.known:
            raise UnknownMsgid(f"not in the catalogue: {message!r}")


_CHECK = _MsgidCheck()


def check_msgids(known: Collection[str] | None) -> None:
    """Make every translator, English included, refuse a msgid outside `known`; None stops it.

    For the test suite (tests/conftest.py): in production a msgid missing from the catalogue
    falls back to English, which hides a sentence that never reached the catalogue (one built
    with an f-string, say) from every test that reads English.
    """
    _CHECK.known = None if known is None else frozenset(known)


def N_(message: str) -> str:
    """Mark a constant for extraction; it is translated where it is shown."""
    return message


def _normal(code: str | None) -> str:
    return (code or "").strip().lower().replace("_", "-")


def pick_language(code: str | None) -> Language:
    """Map Telegram's language_code (or a stored one) to a language the bot speaks."""
    normal = _normal(code)
    if normal in _SIMPLIFIED or normal in _TRADITIONAL or normal.startswith("zh-"):
        return Language.ZH
    return Language.EN


def is_traditional(code: str | None) -> bool:
    """Tell whether the user's Telegram asks for Traditional Chinese (not offered yet)."""
    normal = _normal(code)
    return normal in _TRADITIONAL or normal.startswith("zh-hant")


def _english_plural(n: int) -> int:
    return 0 if n == 1 else 1


@dataclass(frozen=True)
class Translator:
    """Texts and dates in one language. Without messages it speaks the msgids (English)."""

    language: Language = Language.EN
    messages: Messages = field(default_factory=dict)
    plural: Callable[[int], int] = _english_plural

    def gettext(self, message: str) -> str:
        """Return the message in this language (the msgid when it is not in the catalogue)."""
        _CHECK(message)
        found = self.messages.get(message)
        return found if isinstance(found, str) and found else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Return the singular or plural form for n, by this language's plural rule."""
        _CHECK(singular)
        found = self.messages.get(singular)
        if isinstance(found, tuple) and found:
            return found[min(self.plural(n), len(found) - 1)]
        return singular if n == 1 else plural

    def date(self, day: date, form: DateForm) -> str:
        """Format a date for this language: short "Tue 24 Nov", long "Tuesday 24 November",
        day_month "24 Nov", weekday "Tuesday", weekday_short "Tue", full "Tue, 24 Nov 2026",
        month_year "Nov 2026"."""
        locale = _LOCALES[self.language]
        if form == "weekday":
            return format_date(day, "EEEE", locale=locale)
        if form == "weekday_short":
            return format_date(day, "EEE", locale=locale)
        if form == "long" and self.language is Language.ZH:
            return format_date(day, "M月d日EEEE", locale=locale)
        skeleton = {
            "short": "MMMEd",
            "long": "MMMMEEEEd",
            "day_month": "MMMd",
            "full": "yMMMEd",
            "month_year": "yMMM",
        }[form]
        return format_skeleton(skeleton, day, locale=locale)

    @property
    def gap(self) -> str:
        """What goes between two sentences: a space in English, nothing after a Chinese 。"""
        return " " if self.language is Language.EN else ""

    def country(self, code: str, name: str) -> str:
        """Name a country in this language (CLDR's name for the ISO code), English `name` else.

        English keeps the content file's own name ("United Kingdom"), which tests and
        countries.yaml agree on.
        """
        if self.language is Language.EN:
            return name
        return Locale.parse(_LOCALES[self.language]).territories.get(code, name)

    def weekday(self, index: int) -> str:
        """Name a weekday, 0 = Monday (through the date helper)."""
        return self.date(date(2024, 1, 1 + index), "weekday")  # 1 January 2024 was a Monday


ENGLISH = Translator()


@dataclass(frozen=True)
class Catalogs:
    """One translator per language; English is always there."""

    translators: Mapping[Language, Translator] = field(
        default_factory=lambda: {Language.EN: ENGLISH}
    )

    def get(self, code: str | None) -> Translator:
        """Return the translator for a language code (stored or Telegram's), English if none."""
        return self.translators.get(pick_language(code), ENGLISH)

    def __getitem__(self, language: Language) -> Translator:
        return self.translators.get(language, ENGLISH)


ENGLISH_ONLY = Catalogs()  # what features speak when no catalogues were handed in
