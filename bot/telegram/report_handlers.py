"""Thin handlers for the user's own data: /history, /export, /delete and the doctor summary."""

from __future__ import annotations

import logging

from telegram import InputFile, Message, Update
from telegram.constants import ChatAction

from bot.core import texts
from bot.reports import Document, Photo, Reports
from bot.service import Reply
from bot.telegram.handlers import Context, edit_text, send_replies

log = logging.getLogger(__name__)

DELETE_BUTTONS = ((("Delete everything", "del:yes"), ("Keep my data", "del:no")),)


async def send_documents(message: Message | None, documents: list[Document]) -> None:
    """Send each document to the chat of `message`."""
    if message is None:
        return
    for document in documents:
        await message.reply_document(
            InputFile(document.data, filename=document.filename),
            caption=document.caption or None,
        )


class ReportHandlers:
    """Callbacks bound to the Reports service."""

    def __init__(self, reports: Reports) -> None:
        self._reports = reports

    async def history(self, update: Update, context: Context) -> None:
        """Send the 30-day pain chart."""
        message = update.effective_message
        if update.effective_user is None or message is None:
            return
        await message.reply_chat_action(ChatAction.UPLOAD_PHOTO)
        result = await self._reports.history(update.effective_user.id)
        if isinstance(result, Photo):
            await message.reply_photo(
                InputFile(result.png, filename="pain-history.png"), caption=result.caption
            )
        else:
            await send_replies(message, [result])

    async def export(self, update: Update, context: Context) -> None:
        """Send everything stored about the user as CSV."""
        if update.effective_user is None:
            return
        result = await self._reports.export(update.effective_user.id)
        if isinstance(result, Document):
            await send_documents(update.effective_message, [result])
        else:
            await send_replies(update.effective_message, [result])

    async def delete(self, update: Update, context: Context) -> None:
        """Ask for confirmation before deleting everything."""
        await send_replies(update.effective_message, [Reply(texts.DELETE_CONFIRM, DELETE_BUTTONS)])

    async def button(self, update: Update, context: Context) -> None:
        """Handle the delete confirmation and the doctor summary buttons."""
        query = update.callback_query
        user = update.effective_user
        if query is None or user is None:
            return
        await query.answer()
        message = query.message if isinstance(query.message, Message) else None
        if query.data == "doc:summary":
            documents = await self._reports.doctor_summary(user.id, user.full_name)
            await send_documents(message, documents)
            return
        text = texts.DELETE_KEEP
        if query.data == "del:yes":
            text = (await self._reports.delete(user.id)).text
            log.info("User %d deleted their data", user.id)
        await edit_text(message, text)
