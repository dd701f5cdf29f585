"""Logging set-up: one format, httpx quieted, the bot token redacted from every line, and
pseudonymous user references (`user_ref`) so that no INFO+ line carries a Telegram user id."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

REDACTED = "[REDACTED]"


class RedactingFormatter(logging.Formatter):
    """A formatter that removes secrets from the whole formatted line, traceback included."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self._secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        """Format the record, then replace every secret."""
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text


def setup_logging(level: str, secrets: Iterable[str], stream: TextIO | None = None) -> None:
    """Configure the root logger once, from main()."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO, and Bot API URLs contain the token. The formatter
    # would redact it anyway; quieting it also keeps the log readable.
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))


# ----- pseudonymous user references ---------------------------------------------------------

LOG_KEY_SUFFIX = ".logkey"
# Until a per-install key is loaded (unit tests, tools), a random key: stable for the process.
_key: bytes = secrets.token_bytes(32)


def log_key_path(database: Path) -> Path:
    """Return where the per-install log key lives: next to the database, `<db>.logkey`."""
    return database.with_name(database.name + LOG_KEY_SUFFIX)


def load_log_key(database: Path) -> None:
    """Use the install's log key, creating it (0600) at first start.

    The key makes `user_ref` stable across restarts, so an operator can follow one user's trail
    through the logs without the logs holding their Telegram id.
    """
    # Logging is process-wide; so is the key that pseudonymises it.
    global _key
    path = log_key_path(database)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        _key = bytes.fromhex(path.read_text(encoding="ascii").strip())
        return
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key.hex() + "\n")
    _key = key


def user_ref(user_id: int | None) -> str:
    """Return a stable pseudonym for a Telegram user id, e.g. "u:3f9a1c2b" (keyed HMAC-SHA256)."""
    if user_id is None:
        return "u:-"
    digest = hmac.new(_key, str(user_id).encode("ascii"), hashlib.sha256).hexdigest()
    return f"u:{digest[:8]}"
