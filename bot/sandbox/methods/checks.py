"""Argument checks shared by the methods that send and edit messages, with Telegram's limits."""

from __future__ import annotations

import html
import re
from typing import Any

from bot.sandbox.models import JSONDict, bad_request

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
_HTML_TAG = re.compile(r"<[^>]*>")


def visible_length(text: str, parse_mode: str | None) -> int:
    """Approximate the length Telegram checks, which is after entity parsing.

    Python characters, not UTF-16 code units: Telegram's own count is close to this and the
    difference only shows with astral-plane characters such as emoji. HTML markup is stripped;
    Markdown markers are counted, which makes the check slightly stricter than Telegram's.
    """
    if parse_mode and parse_mode.upper() == "HTML":
        return len(html.unescape(_HTML_TAG.sub("", text)))
    return len(text)


def check_text_length(text: str, parse_mode: str | None) -> None:
    """Refuse message texts over Telegram's limit."""
    if visible_length(text, parse_mode) > MAX_TEXT:
        raise bad_request("message is too long")


def check_markup(markup: Any) -> JSONDict | None:
    """Validate an inline keyboard's buttons; return the markup as stored."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return markup
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" must be an Array of Array')
    for row in rows:
        for button in row:
            _check_button(button)
    return markup


def _check_button(button: Any) -> None:
    """Refuse a button without a label, with bad callback_data, or that does nothing."""
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button")
    data = button.get("callback_data")
    if data is not None and (
        not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA
    ):
        raise bad_request("BUTTON_DATA_INVALID")
    if not BUTTON_ACTIONS & button.keys():
        raise bad_request("text buttons are unallowed in the inline keyboard")
