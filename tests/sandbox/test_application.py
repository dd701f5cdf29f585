"""A full python-telegram-bot Application polls the sandbox and answers through it."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.sandbox import Sandbox

USER = 2002


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet the user with a button."""
    assert update.effective_message is not None
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Thanks", callback_data="thanks")]])
    await update.effective_message.reply_text("hi", reply_markup=markup)


async def thanks(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Acknowledge the button and replace the message text."""
    query = update.callback_query
    assert query is not None
    await query.answer("You're welcome")
    await query.edit_message_text("hi again")


async def test_polling_application_answers_start() -> None:
    """/start sent by a user gets "hi" from a polling Application; a button press edits it."""
    async with Sandbox() as sb:
        sb.add_user(USER, "Bob")
        app = ApplicationBuilder().token(sb.token).base_url(f"{sb.base_url}/bot").build()
        app.add_handler(CommandHandler("start", start))
        app.add_handler(CallbackQueryHandler(thanks))
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0, timeout=1)
            sb.send_text(USER, "/start")
            reply = await sb.next_message(USER, timeout=5)
            # ChatMessage is live state, so read the text before the edit lands.
            assert reply.text == "hi"
            sb.press_button(USER, "Thanks")
            await sb.settle(quiet=0.2, timeout=5)
            await app.updater.stop()
            await app.stop()
    [message] = sb.messages(USER)
    assert (message.text, message.edit_count, message.reply_markup) == ("hi again", 1, None)
    assert sb.callback_answers[0]["text"] == "You're welcome"
    assert all(c.ok for c in sb.calls), [c for c in sb.calls if not c.ok]
