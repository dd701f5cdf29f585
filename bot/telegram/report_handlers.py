"""Thin handlers for the user's own data: /history, /export, /delete and the doctor summary."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatAction

from bot.core.callbacks import DeleteChoice, DoctorSummaryRequest
from bot.core.replies import Outcome
from bot.features.my_data import MyData
from bot.telegram.respond import Context, on_button, respond


class ReportHandlers:
    """Callbacks bound to the MyData feature."""

    def __init__(self, my_data: MyData) -> None:
        self._my_data = my_data

    async def history(self, update: Update, context: Context) -> None:
        """Send the 30-day pain chart."""
        if update.effective_message is not None:
            await update.effective_message.reply_chat_action(ChatAction.UPLOAD_PHOTO)
        await respond(update, lambda user: self._my_data.history(user.id))

    async def export(self, update: Update, context: Context) -> None:
        """Send everything stored about the user as CSV."""
        await respond(update, lambda user: self._my_data.export(user.id))

    async def delete(self, update: Update, context: Context) -> None:
        """Ask for confirmation before deleting everything."""
        await respond(update, lambda user: _confirm_delete(self._my_data))

    async def delete_choice(self, update: Update, context: Context) -> None:
        """Delete everything, or nothing, as the user pressed."""
        await on_button(
            update,
            DeleteChoice,
            lambda user, choice: self._my_data.delete(user.id, confirm=choice.confirm),
        )

    async def doctor_summary(self, update: Update, context: Context) -> None:
        """Send the one-page summary and the CSV for a clinician."""
        await on_button(
            update,
            DoctorSummaryRequest,
            lambda user, _: self._my_data.doctor_summary(user.id, user.full_name),
        )


async def _confirm_delete(my_data: MyData) -> Outcome:
    return my_data.confirm_delete()
