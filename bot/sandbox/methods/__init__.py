"""Emulation of the Bot API methods the bot uses, one module per group of related methods."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.sandbox.models import JSONDict

# Each group maps the spec's method names to one of these; params are already validated.
Handler = Callable[[JSONDict], Awaitable[Any]]
