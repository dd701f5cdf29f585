"""Formatting helpers: (label, callback_data) rows to Telegram inline keyboards."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup


def keyboard(rows: Iterable[Sequence[Sequence[str]]]) -> InlineKeyboardMarkup | None:
    """Turn rows of (label, data) pairs into an inline keyboard; None when there are none."""
    built = [
        [InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows
    ]
    return InlineKeyboardMarkup(built) if built else None
