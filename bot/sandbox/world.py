"""What the sandbox's Telegram knows: the bot, its users, their private chats and messages, the
updates waiting for getUpdates (`updates.py`), and how all of these look as Bot API JSON."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from dataclasses import dataclass
from typing import Literal

from bot.clock import Clock
from bot.sandbox.models import ApiError, ChatMessage, JSONDict, bad_request
from bot.sandbox.updates import UpdateQueue

# The button field press_button matches on: the label, or the data the bot gets back.
ButtonField = Literal["text", "callback_data"]
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(@\w+)?")


def _utf16_len(text: str) -> int:
    """Measure text the way message entity offsets do."""
    return len(text.encode("utf-16-le")) // 2


def _image_size(data: bytes) -> tuple[int, int]:
    """Read width and height from a PNG header; other formats get a plausible default."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return 512, 512


@dataclass(frozen=True)
class BotIdentity:
    """Who the bot is, as getMe and every bot message's sender show it."""

    id: int
    username: str
    first_name: str

    def as_user(self) -> JSONDict:
        """Return the bot as a Telegram User."""
        return {
            "id": self.id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
        }


class World:
    """Users, their private chats with the bot (chat id = user id) and every message in them."""

    def __init__(self, bot: BotIdentity, clock: Clock, first_update_id: int = 1) -> None:
        self.bot = bot
        self.updates = UpdateQueue(first_update_id)
        # Open callback queries: query id -> (user id, id of the message whose button it was).
        self.queries: dict[str, tuple[int, int]] = {}
        self._clock = clock
        self._users: dict[int, JSONDict] = {}
        self._blocked: set[int] = set()
        self._chats: dict[int, list[ChatMessage]] = {}
        self._next_message_id: dict[int, int] = {}
        self._message_event = asyncio.Event()

    # ----- users -----------------------------------------------------------------------------

    def add_user(self, user_id: int, first_name: str, username: str | None, language: str) -> None:
        """Make a user known, with an empty private chat."""
        user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        user["language_code"] = language
        self._users[user_id] = user
        self._chats.setdefault(user_id, [])

    def user(self, user_id: int) -> JSONDict:
        """Return a known user or raise LookupError."""
        user = self._users.get(user_id)
        if user is None:
            raise LookupError(f"unknown user {user_id}; call add_user({user_id}) first")
        return user

    def block(self, user_id: int) -> None:
        """Mark a known user as having blocked the bot."""
        self.user(user_id)
        self._blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        """Mark a user as no longer blocking the bot."""
        self._blocked.discard(user_id)

    def target_chat(self, params: JSONDict) -> int:
        """Resolve a call's chat_id to a known private chat whose user has not blocked the bot."""
        chat_id = params.get("chat_id")
        # Private chats cannot be addressed by @username, so only numeric ids can match.
        if not isinstance(chat_id, int) or chat_id not in self._users:
            raise bad_request("chat not found")
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    # ----- messages --------------------------------------------------------------------------

    def find_message(self, chat_id: int, message_id: int) -> ChatMessage | None:
        """Find any message, the user's or the bot's, in a chat."""
        for message in self._chats.get(chat_id, []):
            if message.message_id == message_id:
                return message
        return None

    def bot_messages(self, chat_id: int) -> list[ChatMessage]:
        """Return the bot's messages in a chat, oldest first."""
        return [m for m in self._chats.get(chat_id, []) if m.from_bot]

    def add_bot_message(
        self,
        chat_id: int,
        params: JSONDict,
        *,
        text: str | None = None,
        caption: str | None = None,
        reply_markup: JSONDict | None,
    ) -> ChatMessage:
        """Store a message the bot sent and wake whoever waits for one."""
        message = self._new_message(chat_id, from_bot=True)
        message.text = text
        message.caption = caption
        message.parse_mode = params.get("parse_mode")
        message.reply_markup = reply_markup
        message.allow_paid_broadcast = bool(params.get("allow_paid_broadcast"))
        message.params = params
        self._message_event.set()
        self._message_event = asyncio.Event()
        return message

    async def wait_for_bot_message(self, within: float) -> None:
        """Return once the bot sends any message, or after `within` seconds."""
        event = self._message_event
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), within)

    def mark_edited(self, message: ChatMessage) -> JSONDict:
        """Count an edit and return the edited message."""
        message.edit_count += 1
        message.edited_at = time.monotonic()
        message.edit_date = int(self._clock.now().timestamp())
        return self.message_json(message)

    def add_user_message(self, user_id: int, text: str, reply_to: ChatMessage | None) -> int:
        """Store a message from the user, queue it as an update and return the update_id.

        As in Telegram, writing to the bot unblocks it.
        """
        return self.updates.push({"message": self.user_message(user_id, text, reply_to)})

    def user_message(self, user_id: int, text: str, reply_to: ChatMessage | None) -> JSONDict:
        """Store a message from the user and return it as a Telegram Message, unqueued."""
        self.user(user_id)
        self._blocked.discard(user_id)
        message = self._new_message(user_id, from_bot=False)
        message.text = text
        command = _COMMAND.match(text)
        if command:
            message.entities = [
                {"type": "bot_command", "offset": 0, "length": _utf16_len(command.group())}
            ]
        if reply_to is not None:
            message.reply_to_message_id = reply_to.message_id
        return self.message_json(message)

    def press_button(
        self, user_id: int, by: ButtonField, value: str, message_id: int | None
    ) -> int:
        """Queue a callback_query for the newest button whose `by` field equals value.

        Only the given message is searched, if any, else the chat's bot messages newest first;
        return the update_id, or raise LookupError listing what could have been pressed.
        """
        user = self.user(user_id)
        candidates = [
            m
            for m in reversed(self.bot_messages(user_id))
            if message_id is None or m.message_id == message_id
        ]
        for message in candidates:
            for button in message.inline_buttons():
                if button.get(by) == value and "callback_data" in button:
                    return self._queue_callback_query(user, message, button["callback_data"])
        where = f"message {message_id}" if message_id is not None else f"chat {user_id}"
        if by == "text":
            missing = f"no inline button {value!r} with callback_data in {where}"
            listed = [f"{m.message_id}: {m.button_labels()}" for m in candidates[:5]]
            kind = "buttons"
        else:
            missing = f"no inline button with callback_data {value!r} in {where}"
            listed = [f"{m.message_id}: {m.button_data()}" for m in candidates[:5]]
            kind = "callback data"
        available = "; ".join(listed) or "none"
        raise LookupError(f"{missing}; {kind} available (newest first): {available}")

    def forge_callback(self, user_id: int, data: str) -> int:
        """Queue a callback_query with arbitrary data on the newest bot message in the chat.

        A modified client can send any data for any message; the bot must survive it.
        """
        user = self.user(user_id)
        messages = self.bot_messages(user_id)
        if not messages:
            raise LookupError(f"no bot message in chat {user_id} to attach a callback to")
        return self._queue_callback_query(user, messages[-1], data)

    def _queue_callback_query(self, user: JSONDict, message: ChatMessage, data: str) -> int:
        """Queue the user's press of a button carrying `data` on a message; return update_id."""
        user_id = user["id"]
        query_id = f"{user_id}{self.updates.next_id:08d}"
        self.queries[query_id] = (user_id, message.message_id)
        return self.updates.push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user,
                    "message": self.message_json(message),
                    "chat_instance": str(-user_id),
                    "data": data,
                }
            }
        )

    def _new_message(self, chat_id: int, *, from_bot: bool) -> ChatMessage:
        """Create the next message in a chat; ids are shared by both sides, as on Telegram."""
        message_id = self._next_message_id.get(chat_id, 0) + 1
        self._next_message_id[chat_id] = message_id
        message = ChatMessage(
            message_id=message_id,
            chat_id=chat_id,
            from_bot=from_bot,
            date=int(self._clock.now().timestamp()),
            sent_at=time.monotonic(),
        )
        self._chats.setdefault(chat_id, []).append(message)
        return message

    # ----- JSON ------------------------------------------------------------------------------

    def chat_json(self, chat_id: int) -> JSONDict:
        """Return the private chat with a user as a Telegram Chat."""
        user = self._users[chat_id]
        chat: JSONDict = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
        if "username" in user:
            chat["username"] = user["username"]
        return chat

    def message_json(self, message: ChatMessage, *, nested: bool = False) -> JSONDict:
        """Render a stored message as a Telegram Message object."""
        sender = self.bot.as_user() if message.from_bot else self._users[message.chat_id]
        result: JSONDict = {
            "message_id": message.message_id,
            "from": sender,
            "chat": self.chat_json(message.chat_id),
            "date": message.date,
        }
        if message.text is not None:
            result["text"] = message.text
        if message.entities:
            result["entities"] = message.entities
        if message.photo_file_id is not None:
            result["photo"] = [_photo_size(message.photo_file_id, message.photo or b"")]
        if message.document_file_id is not None:
            result["document"] = _document(message)
        if message.caption is not None:
            result["caption"] = message.caption
        # Telegram echoes only inline keyboards back in Message.reply_markup.
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            result["reply_markup"] = message.reply_markup
        if message.edit_date is not None:
            result["edit_date"] = message.edit_date
        if message.reply_to_message_id is not None and not nested:
            original = self.find_message(message.chat_id, message.reply_to_message_id)
            if original is not None:
                result["reply_to_message"] = self.message_json(original, nested=True)
        return result


def _photo_size(file_id: str, data: bytes) -> JSONDict:
    """Render a stored photo as its one Telegram PhotoSize."""
    width, height = _image_size(data)
    return {
        "file_id": file_id,
        "file_unique_id": f"u{file_id}",
        "width": width,
        "height": height,
        "file_size": len(data),
    }


def _document(message: ChatMessage) -> JSONDict:
    """Render a stored document as a Telegram Document."""
    file_id = message.document_file_id
    document: JSONDict = {
        "file_id": file_id,
        "file_unique_id": f"u{file_id}",
        "file_size": len(message.document or b""),
    }
    if message.file_name:
        document["file_name"] = message.file_name
    return document
