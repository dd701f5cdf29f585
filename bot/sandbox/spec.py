"""The Bot API method table (extracted into bot_api_spec.json) and parameter decoding against it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.sandbox.models import UploadedFile, bad_request

SPEC_PATH = Path(__file__).with_name("bot_api_spec.json")

_INTEGER = re.compile(r"-?\d+")

# Telegram words some missing-parameter errors specially; everything else gets the generic text.
_MISSING: dict[tuple[str, str], str] = {
    ("*", "chat_id"): "chat_id is empty",
    ("sendMessage", "text"): "message text is empty",
    ("editMessageText", "text"): "message text is empty",
    ("sendPhoto", "photo"): "there is no photo in the request",
    ("sendDocument", "document"): "there is no document in the request",
    ("sendChatAction", "action"): "wrong parameter action in request",
    ("answerCallbackQuery", "callback_query_id"): (
        "query is too old and response timeout expired or query ID is invalid"
    ),
}


# Required parameters whose empty string is a value: setWebhook(url="") removes the webhook.
_EMPTY_MEANS_NONE = frozenset({("setWebhook", "url")})


@dataclass(frozen=True)
class Field:
    """One parameter of a Bot API method."""

    name: str
    types: tuple[str, ...]
    required: bool

    @property
    def is_plain_string(self) -> bool:
        """Tell whether form values arrive raw (PTB JSON-encodes everything but strings)."""
        return "String" in self.types and all(t in ("String", "InputFile") for t in self.types)


@dataclass(frozen=True)
class ApiSpec:
    """Every Bot API method with its parameters, keyed by lower-cased name."""

    version: str
    methods: dict[str, tuple[str, tuple[Field, ...]]]

    def lookup(self, method: str) -> tuple[str, tuple[Field, ...]] | None:
        """Find a method the way Telegram does, ignoring case; return its canonical name."""
        return self.methods.get(method.lower())

    def canonical(self, method: str) -> str:
        """Return the spec's spelling of a method name, or raise ValueError."""
        found = self.lookup(method)
        if found is None:
            raise ValueError(f"{method!r} is not a Bot API method in {self.version}")
        return found[0]


@cache
def load_spec(path: Path = SPEC_PATH) -> ApiSpec:
    """Load the packaged method table once."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    methods = {
        name.lower(): (
            name,
            tuple(Field(f["name"], tuple(f["types"]), bool(f["required"])) for f in fields),
        )
        for name, fields in raw["methods"].items()
    }
    return ApiSpec(version=raw["version"], methods=methods)


def decode_form_value(field: Field | None, value: str) -> Any:
    """Undo PTB's form encoding: strings are sent raw, every other value as JSON text."""
    if field is None or field.is_plain_string:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _missing_message(method: str, name: str) -> str:
    """Return Telegram's wording for a missing required parameter."""
    return _MISSING.get((method, name)) or _MISSING.get(("*", name)) or f"{name} is required"


def _is_empty(value: Any) -> bool:
    """Treat absent and empty-string values alike, as Telegram does."""
    return value is None or (isinstance(value, str) and value == "")


def _coerce(method: str, field: Field, value: Any) -> Any:
    """Check a value against the field's types, converting the loose forms Telegram accepts."""
    for type_name in field.types:
        converted = _convert(type_name, value)
        if converted is not _NO_MATCH:
            return converted
    if field.name == "chat_id":
        raise bad_request("chat not found")
    types = " or ".join(field.types)
    raise bad_request(f'field "{field.name}" of {method} must be of type {types}')


_NO_MATCH = object()


def _convert(type_name: str, value: Any) -> Any:
    """Return value as type_name, or _NO_MATCH when it cannot be one."""
    if type_name == "Integer":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and _INTEGER.fullmatch(value):
            return int(value)
    elif type_name == "Float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif type_name == "Boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
    elif type_name == "String":
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
    elif type_name == "InputFile":
        if isinstance(value, UploadedFile):
            return value
    else:
        # Objects and arrays may come as JSON text even inside a JSON body.
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return _NO_MATCH
        expected = list if type_name.startswith("Array of ") else dict
        if isinstance(value, expected):
            return value
    return _NO_MATCH


def validate(method: str, fields: tuple[Field, ...], params: dict[str, Any]) -> dict[str, Any]:
    """Check required parameters and types in spec order; return the normalised parameters."""
    result = dict(params)
    for field in fields:
        value = params.get(field.name)
        if _is_empty(value):
            if (method, field.name) in _EMPTY_MEANS_NONE and value == "":
                result[field.name] = value
                continue
            if field.required:
                raise bad_request(_missing_message(method, field.name))
            result.pop(field.name, None)
            continue
        result[field.name] = _coerce(method, field, value)
    return result


def field_map(fields: tuple[Field, ...]) -> dict[str, Field]:
    """Index a method's fields by name."""
    return {f.name: f for f in fields}
