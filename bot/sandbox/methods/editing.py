"""editMessageText, editMessageReplyMarkup and answerCallbackQuery: reacting to button presses."""

from __future__ import annotations

from bot.sandbox.faults import Faults
from bot.sandbox.methods import Handler
from bot.sandbox.methods.checks import check_markup, check_text_length
from bot.sandbox.models import ChatMessage, JSONDict, bad_request
from bot.sandbox.world import World

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


class EditingMethods:
    """Edits of the bot's own messages and answers to the callback queries users raise."""

    def __init__(self, world: World, faults: Faults) -> None:
        self._world = world
        self._faults = faults
        self._answered: set[str] = set()
        self.callback_answers: list[JSONDict] = []

    def handlers(self) -> dict[str, Handler]:
        """Map this group's method names to their handlers."""
        return {
            "editMessageText": self.edit_message_text,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "answerCallbackQuery": self.answer_callback_query,
        }

    async def edit_message_text(self, params: JSONDict) -> JSONDict:
        """Replace a text message's text and inline keyboard (omitted keyboard is removed)."""
        message = self._message_to_edit(params)
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise bad_request("message text is empty")
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        parse_mode = params.get("parse_mode")
        check_text_length(text, parse_mode)
        markup = check_markup(params.get("reply_markup"))
        if (text, parse_mode, markup) == (message.text, message.parse_mode, message.reply_markup):
            raise bad_request(NOT_MODIFIED)
        self._faults.check_flood("editMessageText", message.chat_id)
        message.text, message.parse_mode, message.reply_markup = text, parse_mode, markup
        return self._world.mark_edited(message)

    async def edit_message_reply_markup(self, params: JSONDict) -> JSONDict:
        """Replace a message's inline keyboard (omitted keyboard is removed)."""
        message = self._message_to_edit(params)
        markup = check_markup(params.get("reply_markup"))
        if markup == message.reply_markup:
            raise bad_request(NOT_MODIFIED)
        self._faults.check_flood("editMessageReplyMarkup", message.chat_id)
        message.reply_markup = markup
        return self._world.mark_edited(message)

    async def answer_callback_query(self, params: JSONDict) -> bool:
        """Record the answer to a button press; each query can be answered once."""
        query_id = params["callback_query_id"]
        if query_id not in self._world.queries or query_id in self._answered:
            raise bad_request(QUERY_INVALID)
        self._answered.add(query_id)
        self.callback_answers.append(params)
        return True

    def _message_to_edit(self, params: JSONDict) -> ChatMessage:
        """Find the bot message an edit call points at."""
        if params.get("inline_message_id"):
            raise bad_request("inline messages are not supported by the sandbox")
        if "chat_id" not in params:
            raise bad_request("chat_id is empty")
        chat_id = self._world.target_chat(params)
        message_id = params.get("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = self._world.find_message(chat_id, message_id)
        if message is None:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message
