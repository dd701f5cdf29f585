"""The packaged Bot API table and the script that extracts it."""

from __future__ import annotations

from bot.sandbox.extract_spec import extract, render
from bot.sandbox.spec import load_spec


def test_extract_keeps_only_names_types_and_required() -> None:
    """Descriptions and links are dropped; fields keep their order."""
    source = {
        "version": "Bot API 0.1",
        "methods": {
            "getMe": {"name": "getMe", "description": ["..."], "returns": ["User"]},
            "sendMessage": {
                "name": "sendMessage",
                "href": "https://core.telegram.org/bots/api#sendmessage",
                "fields": [
                    {"name": "chat_id", "types": ["Integer", "String"], "required": True},
                    {"name": "text", "types": ["String"], "required": True, "description": "x"},
                ],
            },
        },
    }
    spec = extract(source)
    assert spec == {
        "version": "Bot API 0.1",
        "methods": {
            "getMe": [],
            "sendMessage": [
                {"name": "chat_id", "types": ["Integer", "String"], "required": True},
                {"name": "text", "types": ["String"], "required": True},
            ],
        },
    }
    assert '"getMe": []' in render(spec)


def test_packaged_spec_has_the_implemented_methods() -> None:
    """The shipped table is Bot API 10.1 and knows sendMessage's required fields."""
    spec = load_spec()
    assert spec.version == "Bot API 10.1"
    found = spec.lookup("sendmessage")
    assert found is not None
    name, fields = found
    assert name == "sendMessage"
    assert [f.name for f in fields if f.required] == ["chat_id", "text"]
