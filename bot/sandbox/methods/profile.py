"""setMyDescription, setMyShortDescription and their getters: what a bot says about itself
before a chat starts, kept per language as Telegram does."""

from __future__ import annotations

import re
from typing import Any

from bot.sandbox.methods import Handler
from bot.sandbox.models import JSONDict, bad_request

MAX_DESCRIPTION = 512
MAX_SHORT_DESCRIPTION = 120
# "A two-letter ISO 639-1 language code"; empty means every language without its own.
_LANGUAGE = re.compile(r"[a-z]{2}")


def _language(params: JSONDict) -> str:
    code: Any = params.get("language_code") or ""
    if not isinstance(code, str) or (code and not _LANGUAGE.fullmatch(code)):
        raise bad_request("LANG_CODE_INVALID")
    return code


class ProfileMethods:
    """The bot's description and short description, one of each per language code."""

    def __init__(self) -> None:
        self._descriptions: dict[str, str] = {}
        self._short: dict[str, str] = {}

    def handlers(self) -> dict[str, Handler]:
        """Map this group's method names to their handlers."""
        return {
            "setMyDescription": self.set_my_description,
            "getMyDescription": self.get_my_description,
            "setMyShortDescription": self.set_my_short_description,
            "getMyShortDescription": self.get_my_short_description,
        }

    def description(self, language_code: str = "") -> str:
        """Return what a user whose app speaks language_code sees ("": the default)."""
        return self._descriptions.get(language_code) or self._descriptions.get("", "")

    def short_description(self, language_code: str = "") -> str:
        """Return the short description a user of language_code sees ("": the default)."""
        return self._short.get(language_code) or self._short.get("", "")

    async def set_my_description(self, params: JSONDict) -> bool:
        """Store (or with "" remove) the description for a language."""
        self._store(self._descriptions, params, "description", MAX_DESCRIPTION)
        return True

    async def get_my_description(self, params: JSONDict) -> JSONDict:
        """Return the description users of the language see, falling back to the default."""
        return {"description": self.description(_language(params))}

    async def set_my_short_description(self, params: JSONDict) -> bool:
        """Store (or with "" remove) the short description for a language."""
        self._store(self._short, params, "short_description", MAX_SHORT_DESCRIPTION)
        return True

    async def get_my_short_description(self, params: JSONDict) -> JSONDict:
        """Return the short description users of the language see, or the default."""
        return {"short_description": self.short_description(_language(params))}

    @staticmethod
    def _store(table: dict[str, str], params: JSONDict, field: str, limit: int) -> None:
        code = _language(params)
        text = params.get(field) or ""
        if not isinstance(text, str) or len(text) > limit:
            raise bad_request(f"{field.upper()}_INVALID")
        if text:
            table[code] = text
        else:
            table.pop(code, None)
