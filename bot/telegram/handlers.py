"""Thin Telegram handlers: read the update, call FootCare, send the replies."""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Sequence

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.core import texts
from bot.service import CheckinOutcome, FootCare, Reply
from bot.telegram.keyboards import keyboard

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE


async def send_replies(message: Message | None, replies: Sequence[Reply]) -> None:
    """Send each reply to the chat of `message`, in order."""
    if message is None:
        return
    for reply in replies:
        await message.reply_text(reply.text, reply_markup=keyboard(reply.buttons))


async def edit_text(message: object, text: str) -> None:
    """Replace a message's text (and drop its buttons); an identical edit is not an error."""
    if not isinstance(message, Message):
        return
    try:
        await message.edit_text(text)
    except BadRequest as exc:
        # Pressing the same button twice edits to the same text; nothing to do.
        if "not modified" not in exc.message:
            raise


class Handlers:
    """The bot's callbacks, bound to one FootCare service (no lookups in bot_data)."""

    def __init__(self, footcare: FootCare) -> None:
        self._footcare = footcare

    async def start(self, update: Update, context: Context) -> None:
        """Subscribe the user and begin onboarding."""
        user = update.effective_user
        chat = update.effective_chat
        if user is None or chat is None:
            return
        replies = await self._footcare.start(
            user.id, chat.id, user.first_name or "", user.language_code or "en"
        )
        await send_replies(update.effective_message, replies)

    async def stop(self, update: Update, context: Context) -> None:
        """Unsubscribe the user from daily messages."""
        if update.effective_user is None:
            return
        reply = await self._footcare.stop(update.effective_user.id)
        await send_replies(update.effective_message, [reply])

    async def help(self, update: Update, context: Context) -> None:
        """List the commands."""
        await send_replies(update.effective_message, [Reply(texts.help_text())])

    async def tip(self, update: Update, context: Context) -> None:
        """Send the next tip now."""
        if update.effective_user is None:
            return
        reply = await self._footcare.tip_now(update.effective_user.id)
        await send_replies(update.effective_message, [reply])

    async def checkin(self, update: Update, context: Context) -> None:
        """Ask for today's pain score now."""
        if update.effective_user is None:
            return
        reply = await self._footcare.checkin_prompt(update.effective_user.id)
        await send_replies(update.effective_message, [reply])

    async def settings(self, update: Update, context: Context) -> None:
        """Show the user's settings."""
        if update.effective_user is None:
            return
        reply = await self._footcare.settings(update.effective_user.id)
        await send_replies(update.effective_message, [reply])

    async def time(self, update: Update, context: Context) -> None:
        """Set the daily time: /time HH:MM."""
        if update.effective_user is None:
            return
        replies = await self._footcare.set_time(
            update.effective_user.id, " ".join(context.args or [])
        )
        await send_replies(update.effective_message, replies)

    async def timezone(self, update: Update, context: Context) -> None:
        """Set the time zone: /timezone Area/City."""
        if update.effective_user is None:
            return
        text = " ".join(context.args or [])
        replies = await self._footcare.set_timezone(update.effective_user.id, text)
        await send_replies(update.effective_message, replies)

    async def pause(self, update: Update, context: Context) -> None:
        """Pause daily messages: /pause N."""
        if update.effective_user is None:
            return
        reply = await self._footcare.pause(update.effective_user.id, " ".join(context.args or []))
        await send_replies(update.effective_message, [reply])

    async def resume(self, update: Update, context: Context) -> None:
        """End a pause."""
        if update.effective_user is None:
            return
        reply = await self._footcare.resume(update.effective_user.id)
        await send_replies(update.effective_message, [reply])

    async def unknown_command(self, update: Update, context: Context) -> None:
        """Answer a command the bot doesn't know."""
        await send_replies(update.effective_message, [Reply(texts.UNKNOWN_COMMAND)])

    async def text(self, update: Update, context: Context) -> None:
        """Handle typed text: zone, time, check-in score or a hint."""
        message = update.effective_message
        if update.effective_user is None or message is None or message.text is None:
            return
        result = await self._footcare.text(update.effective_user.id, message.text)
        if isinstance(result, CheckinOutcome):
            await send_replies(message, [Reply(result.edit), *result.replies])
        else:
            await send_replies(message, result)

    async def other(self, update: Update, context: Context) -> None:
        """Answer stickers, photos and anything else that isn't text."""
        await send_replies(update.effective_message, [Reply(texts.FREE_TEXT)])

    async def button(self, update: Update, context: Context) -> None:
        """Route an inline button press by its data prefix."""
        query = update.callback_query
        if query is None or update.effective_user is None:
            return
        user_id = update.effective_user.id
        kind, _, rest = (query.data or "").partition(":")
        replies: list[Reply] = []
        edit: str | None = None
        if kind == "ci":
            day, _, score = rest.rpartition(":")
            outcome = await self._footcare.answer_checkin(
                user_id, day, int(score) if score.isdigit() else -1
            )
            edit, replies = outcome.edit, outcome.replies
        elif kind == "rf":
            day, _, flag = rest.partition(":")
            outcome = await self._footcare.answer_red_flag(user_id, day, flag)
            edit, replies = outcome.edit, outcome.replies
        elif kind == "tz":
            if rest == "other":
                replies = [await self._footcare.ask_typed(user_id, "timezone")]
            else:
                replies = await self._footcare.set_timezone(user_id, rest)
        elif kind == "time":
            if rest == "other":
                replies = [await self._footcare.ask_typed(user_id, "time")]
            else:
                replies = await self._footcare.set_time(user_id, rest)
        elif kind == "dia":
            replies = [await self._footcare.set_diabetes(user_id, rest)]
            edit = texts.diabetes_answered(rest)
        elif kind == "set":
            replies = await self._footcare.settings_action(user_id, rest)
        await query.answer()
        if edit is not None:
            await edit_text(query.message, edit)
        message = query.message if isinstance(query.message, Message) else None
        await send_replies(message, replies)

    async def error(self, update: object, context: Context) -> None:
        """Log the traceback with the update, then apologise; never raise."""
        try:
            detail = update.to_dict() if isinstance(update, Update) else repr(update)
            log.error(
                "Unhandled error while handling an update: %s",
                html.escape(json.dumps(detail, default=str))[:2000],
                exc_info=context.error,
            )
            if isinstance(update, Update) and update.effective_message is not None:
                await update.effective_message.reply_text(texts.ERROR)
        except Exception:
            log.exception("The error handler itself failed")
