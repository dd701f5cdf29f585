"""From a feature's Outcome to Bot API calls, and the guards every handler goes through.

`respond` serves commands and text, `on_button` serves inline buttons: both skip updates with
no user, answer NotSubscribed with the same one reply, and send what the feature returned.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import InputFile, Message, Update
from telegram import User as TelegramUser
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.core import callbacks, texts
from bot.core.callbacks import Callback
from bot.core.replies import Document, Outcome, Photo, Reply
from bot.features.common import NotSubscribed
from bot.telegram.keyboards import keyboard

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
P = TypeVar("P", bound=Callback)


async def edit_text(message: Message | None, text: str) -> None:
    """Replace a message's text (and drop its buttons); an identical edit is not an error."""
    if message is None:
        return
    try:
        await message.edit_text(text)
    except BadRequest as exc:
        # Pressing the same button twice edits to the same text; nothing to do.
        if "not modified" not in exc.message:
            raise


async def send(chat: Message | None, outcome: Outcome, *, pressed: Message | None = None) -> None:
    """Send an outcome into the chat of `chat`; its edit goes to the pressed message if any."""
    if outcome.edit is not None:
        if pressed is not None:
            await edit_text(pressed, outcome.edit)
        elif chat is not None:
            await chat.reply_text(outcome.edit)
    if chat is None:
        return
    for item in outcome.messages:
        match item:
            case Reply(text=text, buttons=buttons):
                await chat.reply_text(text, reply_markup=keyboard(buttons))
            case Photo(png=png, caption=caption, filename=filename):
                await chat.reply_photo(InputFile(png, filename=filename), caption=caption)
            case Document(data=data, filename=filename, caption=caption):
                await chat.reply_document(
                    InputFile(data, filename=filename), caption=caption or None
                )


async def respond(update: Update, action: Callable[[TelegramUser], Awaitable[Outcome]]) -> None:
    """Run a user's action and send its outcome; 'send /start' when they aren't subscribed."""
    user = update.effective_user
    if user is None:
        return
    try:
        outcome = await action(user)
    except NotSubscribed:
        outcome = Outcome.reply(texts.NOT_SUBSCRIBED)
    await send(update.effective_message, outcome)


async def on_button(
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
        await stale_button(update)
        return
    await query.answer()
    pressed = query.message if isinstance(query.message, Message) else None
    try:
        outcome = await action(user, payload)
    except NotSubscribed:
        outcome = Outcome.reply(texts.NOT_SUBSCRIBED)
    await send(pressed, outcome, pressed=pressed)


async def stale_button(update: Update) -> None:
    """Answer a press whose data is unknown or forged with a short notice; change nothing."""
    query = update.callback_query
    if query is None:
        return
    log.info("Ignored a button press with unknown data (update %d)", update.update_id)
    await query.answer(texts.STALE_BUTTON)
