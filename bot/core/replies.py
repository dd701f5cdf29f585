"""What a user action produces: replies with buttons, pictures and files, as plain data.

Features return an `Outcome`; the Telegram handlers turn it into API calls. Nothing here knows
Telegram, so features and their tests stay free of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Button = tuple[str, str]  # (label, callback data from bot.core.callbacks)
Buttons = tuple[tuple[Button, ...], ...]


def rows(buttons: Sequence[Button], per_row: int) -> Buttons:
    """Lay buttons out `per_row` to a row."""
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


@dataclass(frozen=True)
class Reply:
    """A text message with optional inline buttons."""

    text: str
    buttons: Buttons = ()
    # False: no link preview, so Telegram's servers never fetch a link in the text (a share
    # link's page must be opened by people, not by a preview robot).
    preview: bool = True


@dataclass(frozen=True)
class Photo:
    """A PNG with its caption."""

    png: bytes
    caption: str
    filename: str = "chart.png"


@dataclass(frozen=True)
class Document:
    """A file to send."""

    data: bytes
    filename: str
    caption: str = ""


Message = Reply | Photo | Document


@dataclass(frozen=True)
class Outcome:
    """The result of one user action.

    `edit` is the new text of the message whose button was pressed (sent as a new message
    when the action came from typed text); `messages` follow in order. `toast` is the short
    notice that answers the button press itself, shown at once, before the edit, which may
    wait for its rate slot.
    """

    messages: tuple[Message, ...] = ()
    edit: str | None = None
    toast: str | None = None
    # Buttons the edited message carries (none by default: an answered question loses them);
    # the first-steps answer turns its message into today's pain question this way.
    edit_buttons: Buttons = ()

    @classmethod
    def reply(cls, text: str, buttons: Buttons = ()) -> Outcome:
        """Return an outcome of one text reply."""
        return cls((Reply(text, buttons),))

    def then(self, *messages: Message) -> Outcome:
        """Return this outcome with more messages after it."""
        return Outcome((*self.messages, *messages), self.edit, self.toast, self.edit_buttons)
