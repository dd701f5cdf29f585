"""From a feature's Outcome to Bot API calls, and the guards every handler goes through.

`Responder.respond` serves commands and text, `Responder.on_button` serves inline buttons: both
skip updates with no user, answer NotSubscribed with the same one reply (in the user's stored
language, else their Telegram language), and send what the feature returned.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import CallbackQuery, InputFile, LinkPreviewOptions, Message, Update
from telegram import User as TelegramUser
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.core import callbacks, texts
from bot.core.callbacks import Callback
from bot.core.i18n import Translator
from bot.core.replies import Buttons, Document, Outcome, Photo, Reply
from bot.features.common import NotSubscribed
from bot.telegram.keyboards import keyboard

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
P = TypeVar("P", bound=Callback)


async def edit_text(message: Message | None, text: str, buttons: Buttons = ()) -> None:
    """Replace a message's text (its buttons dropped, or replaced by `buttons`); an identical
    edit is not an error."""
    if message is None:
        return
    if message.text is None:
        # A press on a photo or a document (a forged one: the bot puts no buttons there)
        # cannot become text; say it in a new message instead.
        await message.reply_text(text, reply_markup=keyboard(buttons))
        return
    # Already so (a button pressed twice, a forged press on an answered message): Telegram
    # would refuse the edit as "not modified", so spare the request.
    if message.text == text and message.reply_markup is None and not buttons:
        return
    try:
        await message.edit_text(text, reply_markup=keyboard(buttons))
    except BadRequest as exc:
        # Pressing the same button twice edits to the same text; nothing to do.
        if "not modified" not in exc.message.lower():
            raise


async def send(chat: Message | None, outcome: Outcome, *, pressed: Message | None = None) -> None:
    """Send an outcome into the chat of `chat`; its edit goes to the pressed message if any."""
    if outcome.edit is not None:
        if pressed is not None:
            await edit_text(pressed, outcome.edit, outcome.edit_buttons)
        elif chat is not None:
            await chat.reply_text(outcome.edit, reply_markup=keyboard(outcome.edit_buttons))
    if chat is None:
        return
    for item in outcome.messages:
        match item:
            case Reply(text=text, buttons=buttons, preview=preview):
                await chat.reply_text(
                    text,
                    reply_markup=keyboard(buttons),
                    link_preview_options=None if preview else NO_PREVIEW,
                )
            case Photo(png=png, caption=caption, filename=filename):
                await chat.reply_photo(InputFile(png, filename=filename), caption=caption)
            case Document(data=data, filename=filename, caption=caption):
                await chat.reply_document(
                    InputFile(data, filename=filename), caption=caption or None
                )


# What Telegram says when a button press can no longer be answered (the query timed out, or
# the bot restarted in between): the press itself is still handled.
QUERY_GONE = ("query is too old", "query id is invalid")


async def answer(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button press; one Telegram no longer knows is not an error."""
    try:
        await query.answer(text)
    except BadRequest as exc:
        if not any(gone in exc.message.lower() for gone in QUERY_GONE):
            raise
        log.info("A button press was too old to answer; handling it anyway")


# The user's translator: their stored language, else their Telegram one (no row yet).
Speaker = Callable[[int, str | None], Awaitable[Translator]]


class Responder:
    """Runs actions for handlers and answers the cases every handler shares."""

    def __init__(self, speaker: Speaker) -> None:
        self._speaker = speaker

    async def translator(self, user: TelegramUser) -> Translator:
        """Return the translator for a Telegram user."""
        return await self._speaker(user.id, user.language_code)

    async def respond(
        self, update: Update, action: Callable[[TelegramUser], Awaitable[Outcome]]
    ) -> None:
        """Run a user's action and send its outcome; 'send /start' when they aren't subscribed."""
        user = update.effective_user
        if user is None:
            return
        try:
            outcome = await action(user)
        except NotSubscribed:
            t = await self.translator(user)
            outcome = Outcome.reply(t.gettext(texts.NOT_SUBSCRIBED))
        await send(update.effective_message, outcome)

    async def say(self, update: Update, text: Callable[[Translator], str]) -> None:
        """Reply with a text that needs no feature, in the user's language."""

        async def reply(user: TelegramUser) -> Outcome:
            return Outcome.reply(text(await self.translator(user)))

        await self.respond(update, reply)

    async def on_button(
        self,
        update: Update,
        payload_type: type[P],
        action: Callable[[TelegramUser, P], Awaitable[Outcome]],
    ) -> None:
        """Decode a button press, run its action and send the outcome; refuse forged data."""
        query = update.callback_query
        user = update.effective_user
        if query is None or user is None:
            return
        payload = callbacks.decode(query.data)
        if not isinstance(payload, payload_type):
            await self.stale_button(update)
            return
        pressed = query.message if isinstance(query.message, Message) else None
        try:
            outcome = await action(user, payload)
        except NotSubscribed:
            t = await self.translator(user)
            outcome = Outcome.reply(t.gettext(texts.NOT_SUBSCRIBED))
        # The answer is not a chat message, so no rate slot holds it: the toast shows at once,
        # while the edit below may wait its turn behind queued sends.
        await answer(query, outcome.toast)
        await send(pressed, outcome, pressed=pressed)

    async def stale_button(self, update: Update) -> None:
        """Answer a press whose data is unknown or forged with a short notice; change nothing."""
        query = update.callback_query
        if query is None:
            return
        log.info("Ignored a button press with unknown data (update %d)", update.update_id)
        user = update.effective_user
        t = await self.translator(user) if user is not None else None
        await answer(query, t.gettext(texts.STALE_BUTTON) if t else texts.STALE_BUTTON)
