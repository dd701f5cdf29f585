"""Regenerate bot_api_spec.json from the official Bot API list in ../shared/telegram.
Run from the repository root: `python -m bot.sandbox.extract_spec [SOURCE]`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

DEFAULT_SOURCE = Path(__file__).resolve().parents[3] / "shared" / "telegram" / "bot-api-10.1.json"
TARGET = Path(__file__).with_name("bot_api_spec.json")


def extract(source: dict[str, Any]) -> dict[str, Any]:
    """Keep only what request validation needs: each method's fields with types and required."""
    methods = {
        name: [
            {"name": f["name"], "types": list(f["types"]), "required": bool(f["required"])}
            for f in method.get("fields", [])
        ]
        for name, method in sorted(source["methods"].items())
    }
    return {"version": source["version"], "methods": methods}


def render(spec: dict[str, Any]) -> str:
    """Format the spec with one field per line, so diffs between API versions stay readable."""
    lines = ["{", f'  "version": {json.dumps(spec["version"])},', '  "methods": {']
    names = list(spec["methods"])
    for i, name in enumerate(names):
        fields = spec["methods"][name]
        tail = "," if i < len(names) - 1 else ""
        if not fields:
            lines.append(f"    {json.dumps(name)}: []{tail}")
            continue
        lines.append(f"    {json.dumps(name)}: [")
        lines.extend(
            "      " + json.dumps(f, ensure_ascii=False) + ("," if j < len(fields) - 1 else "")
            for j, f in enumerate(fields)
        )
        lines.append(f"    ]{tail}")
    lines.extend(["  }", "}"])
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Read the official spec and write the compact copy next to this module."""
    args = sys.argv[1:] if argv is None else argv
    source_path = Path(args[0]) if args else DEFAULT_SOURCE
    spec = extract(json.loads(source_path.read_text(encoding="utf-8")))
    TARGET.write_text(render(spec), encoding="utf-8")
    print(f"wrote {len(spec['methods'])} methods of {spec['version']} to {TARGET}")


if __name__ == "__main__":
    main()
