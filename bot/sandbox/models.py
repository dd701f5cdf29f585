"""Records the sandbox keeps for tests: HTTP calls, uploaded files and the bot's chat messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Telegram's JSON objects, as they go over the wire.
JSONDict = dict[str, Any]


class ApiError(Exception):
    """An error answer, shaped exactly like Telegram's {"ok": false, ...} body."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        """Return the JSON body Telegram would send for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    """Build a 400 with Telegram's "Bad Request: ..." prefix."""
    return ApiError(400, f"Bad Request: {detail}")


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request, kept byte for byte."""

    data: bytes
    filename: str | None
    content_type: str | None = None


@dataclass(frozen=True)
class Call:
    """One HTTP request the bot made, with the answer it got."""

    method: str
    params: dict[str, Any]
    status: int
    result: Any
    description: str | None
    at: float
    wall: datetime

    @property
    def ok(self) -> bool:
        """Tell whether Telegram would have answered ok=true."""
        return self.status == 200


@dataclass
class ChatMessage:
    """A message in a chat, in its current state after any edits."""

    message_id: int
    chat_id: int
    from_bot: bool
    date: int
    sent_at: float
    text: str | None = None
    caption: str | None = None
    parse_mode: str | None = None
    entities: list[dict[str, Any]] | None = None
    reply_markup: dict[str, Any] | None = None
    photo: bytes | None = None
    photo_file_id: str | None = None
    document: bytes | None = None
    document_file_id: str | None = None
    file_name: str | None = None
    reply_to_message_id: int | None = None
    allow_paid_broadcast: bool = False
    edit_count: int = 0
    edited_at: float | None = None
    edit_date: int | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def content(self) -> str | None:
        """Return the text, or the caption of a media message."""
        return self.text if self.text is not None else self.caption

    def button_labels(self) -> list[str]:
        """List the texts of all inline keyboard buttons, row by row."""
        return [button.get("text", "") for button in self.inline_buttons()]

    def button_data(self) -> list[str]:
        """List the callback_data of all inline keyboard buttons that have one, row by row."""
        return [b["callback_data"] for b in self.inline_buttons() if "callback_data" in b]

    def inline_buttons(self) -> list[dict[str, Any]]:
        """List the inline keyboard buttons, row by row."""
        if not self.reply_markup:
            return []
        rows = self.reply_markup.get("inline_keyboard") or []
        return [button for row in rows for button in row if isinstance(button, dict)]

    def describe(self) -> str:
        """Summarise the message in one line for assertion and timeout messages."""
        kind = "photo" if self.photo is not None else "document" if self.document else "text"
        labels = self.button_labels()
        buttons = f" buttons={labels}" if labels else ""
        return f"#{self.message_id} {kind} {self.content!r}{buttons}"
