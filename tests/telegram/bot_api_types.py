"""The Bot API object types reachable from Update (fields, their types, whether required, the
values a field is documented to take), kept in bot_api_types.json for the update strategy.

Regenerate from the official table: `python -m tests.telegram.bot_api_types SOURCE.json`
(the same bot-api-10.1.json bot/sandbox/extract_spec.py reads). Tests read only the copy.
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

TARGET = Path(__file__).with_name("bot_api_types.json")
# "Type of the chat, can be either "private", "group", ..." / "always "user"".
_ENUMERATED = re.compile(r"\b(always|can be|one of|must be)\b")
_QUOTED = re.compile(r'"([^"]+)"')
_ARRAY = re.compile(r"^(Array of )+")


def _values(field: dict[str, Any]) -> list[str]:
    """Return the documented values of a String field, if its description lists them."""
    description = field.get("description", "")
    if field["types"] != ["String"] or not _ENUMERATED.search(description):
        return []
    return _QUOTED.findall(description)


def extract(source: dict[str, Any]) -> dict[str, Any]:
    """Keep the types reachable from Update, with what the strategy needs of each field."""
    types = source["types"]
    kept: dict[str, Any] = {}
    pending = ["Update"]
    while pending:
        name = pending.pop()
        if name in kept or name not in types:
            continue
        entry = types[name]
        fields = []
        for field in entry.get("fields", []):
            compact: dict[str, Any] = {
                "name": field["name"],
                "types": list(field["types"]),
                "required": bool(field["required"]),
            }
            if values := _values(field):
                compact["values"] = values
            fields.append(compact)
            pending.extend(_ARRAY.sub("", t) for t in field["types"])
        kept[name] = {"fields": fields, "subtypes": list(entry.get("subtypes", []))}
        pending.extend(kept[name]["subtypes"])
    return {"version": source["version"], "types": dict(sorted(kept.items()))}


@cache
def load_types() -> dict[str, Any]:
    """Return the kept types, by name."""
    return dict(json.loads(TARGET.read_text(encoding="utf-8"))["types"])


def main(argv: list[str] | None = None) -> None:
    """Read the official table and write the compact copy next to this module."""
    args = sys.argv[1:] if argv is None else argv
    extracted = extract(json.loads(Path(args[0]).read_text(encoding="utf-8")))
    TARGET.write_text(json.dumps(extracted, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(extracted['types'])} types of {extracted['version']} to {TARGET}")


if __name__ == "__main__":
    main()
