"""sendMessage, sendPhoto, sendDocument and sendChatAction: new bot messages in a user's chat."""

from __future__ import annotations

from typing import Any

from bot.sandbox.faults import Faults
from bot.sandbox.methods import Handler
from bot.sandbox.methods.checks import check_markup, check_text_length, visible_length
from bot.sandbox.models import ChatMessage, JSONDict, UploadedFile, bad_request
from bot.sandbox.world import World

MAX_CAPTION = 1024
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


class SendingMethods:
    """Sending text, photos and documents, and showing chat actions."""

    def __init__(self, world: World, faults: Faults) -> None:
        self._world = world
        self._faults = faults
        self._files: dict[str, UploadedFile] = {}

    def handlers(self) -> dict[str, Handler]:
        """Map this group's method names to their handlers."""
        return {
            "sendMessage": self.send_message,
            "sendPhoto": self.send_photo,
            "sendDocument": self.send_document,
            "sendChatAction": self.send_chat_action,
        }

    async def send_message(self, params: JSONDict) -> JSONDict:
        """Send a text message."""
        chat_id = self._world.target_chat(params)
        text: str = params["text"]
        if not text.strip():
            raise bad_request("message text is empty")
        check_text_length(text, params.get("parse_mode"))
        markup = check_markup(params.get("reply_markup"))
        reply_to = self._reply_target(chat_id, params)
        self._faults.check_flood("sendMessage", chat_id)
        message = self._world.add_bot_message(chat_id, params, text=text, reply_markup=markup)
        message.reply_to_message_id = reply_to
        return self._world.message_json(message)

    async def send_photo(self, params: JSONDict) -> JSONDict:
        """Send a photo, keeping the uploaded bytes."""
        message, upload, file_id = self._send_media("sendPhoto", "photo", params)
        message.photo = upload.data if upload else None
        message.photo_file_id = file_id
        return self._world.message_json(message)

    async def send_document(self, params: JSONDict) -> JSONDict:
        """Send a document, keeping the uploaded bytes and file name."""
        message, upload, file_id = self._send_media("sendDocument", "document", params)
        message.document = upload.data if upload else None
        message.document_file_id = file_id
        message.file_name = upload.filename if upload else None
        return self._world.message_json(message)

    async def send_chat_action(self, params: JSONDict) -> bool:
        """Accept a valid chat action."""
        self._world.target_chat(params)
        if params["action"] not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def _send_media(
        self, method: str, kind: str, params: JSONDict
    ) -> tuple[ChatMessage, UploadedFile | None, str]:
        """Check and store a captioned media message; the caller attaches the file."""
        chat_id = self._world.target_chat(params)
        caption = params.get("caption")
        if caption and visible_length(caption, params.get("parse_mode")) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        markup = check_markup(params.get("reply_markup"))
        file_id, upload = self._resolve_file(params[kind], kind)
        reply_to = self._reply_target(chat_id, params)
        self._faults.check_flood(method, chat_id)
        message = self._world.add_bot_message(chat_id, params, caption=caption, reply_markup=markup)
        message.reply_to_message_id = reply_to
        return message, upload, file_id

    def _reply_target(self, chat_id: int, params: JSONDict) -> int | None:
        """Return the id of the message being replied to, checking that it exists."""
        reply = params.get("reply_parameters")
        if not reply:
            return None
        target = reply.get("message_id")
        if reply.get("chat_id") not in (None, chat_id) or (
            not isinstance(target, int) or self._world.find_message(chat_id, target) is None
        ):
            if reply.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return target

    def _resolve_file(self, value: Any, kind: str) -> tuple[str, UploadedFile | None]:
        """Store an upload under a new file_id, or look up a file_id or URL sent earlier."""
        if isinstance(value, UploadedFile):
            if not value.data:
                raise bad_request("file must be non-empty")
            file_id = f"sandbox-{kind}-{len(self._files) + 1}"
            self._files[file_id] = value
            return file_id, value
        if value in self._files:
            return value, self._files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            # A URL is accepted but never fetched: nothing leaves this machine.
            return f"sandbox-url-{len(self._files) + 1}", None
        raise bad_request("wrong file identifier/HTTP URL specified")
