"""Thin handlers for the user's own data: /history, /export, /delete and the doctor summary."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatAction

from bot.core.callbacks import DeleteChoice, DoctorSummaryRequest
from bot.features.my_data import MyData
from bot.telegram.respond import Context, Responder


class ReportHandlers:
    """Callbacks bound to the MyData feature."""

    def __init__(self, my_data: MyData, responder: Responder) -> None:
        self._my_data = my_data
        self._r = responder

    async def history(self, update: Update, context: Context) -> None:
        """Send the 30-day pain chart."""
        if update.effective_message is not None:
            await update.effective_message.reply_chat_action(ChatAction.UPLOAD_PHOTO)
        await self._r.respond(update, lambda user: self._my_data.history(user.id))

    async def export(self, update: Update, context: Context) -> None:
        """Send everything stored about the user as CSV."""
        await self._r.respond(update, lambda user: self._my_data.export(user.id))

    async def delete(self, update: Update, context: Context) -> None:
        """Ask for confirmation before deleting everything."""
        await self._r.respond(
            update, lambda user: self._my_data.confirm_delete(user.id, user.language_code)
        )

    async def delete_choice(self, update: Update, context: Context) -> None:
        """Delete everything, or nothing, as the user pressed."""
        await self._r.on_button(
            update,
            DeleteChoice,
            lambda user, choice: self._my_data.delete(
                user.id, confirm=choice.confirm, telegram_code=user.language_code
            ),
        )

    async def doctor_summary(self, update: Update, context: Context) -> None:
        """Send the one-page summary and the CSV for a clinician."""
        await self._r.on_button(
            update,
            DoctorSummaryRequest,
            lambda user, request: self._my_data.doctor_summary(
                user.id, user.full_name, request.language
            ),
        )
