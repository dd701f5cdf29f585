"""Thin handlers for a subscriber's commands and typed text: read the update, call the
feature, send the outcome (bot/telegram/respond.py)."""

from __future__ import annotations

import contextlib
import json
import logging
import traceback

from telegram import Update
from telegram import User as TelegramUser
from telegram.error import Forbidden, RetryAfter
from telegram.ext import ContextTypes

from bot.content.catalogs import packaged_catalogs
from bot.core import texts
from bot.core.callbacks import LanguageChoice
from bot.core.replies import Outcome
from bot.features.checkins import Checkins
from bot.features.common import NotSubscribed
from bot.features.conversation import Conversation
from bot.features.preferences import Preferences
from bot.features.subscription import Subscription
from bot.features.tips import Tips
from bot.telegram.guard import describe, handler_of
from bot.telegram.profile import deep_link_language
from bot.telegram.respond import Context, Responder

log = logging.getLogger(__name__)


def _args(context: Context) -> str:
    return " ".join(context.args or [])


class UserHandlers:
    """Command and text callbacks, bound to the features they call."""

    def __init__(
        self,
        subscription: Subscription,
        preferences: Preferences,
        tips: Tips,
        checkins: Checkins,
        conversation: Conversation,
        responder: Responder,
    ) -> None:
        self._r = responder
        self._subscription = subscription
        self._preferences = preferences
        self._tips = tips
        self._checkins = checkins
        self._conversation = conversation

    async def start(self, update: Update, context: Context) -> None:
        """Subscribe the user and begin onboarding, in the language a deep link names."""
        chat = update.effective_chat
        if chat is None:
            return
        # t.me/<bot>?start=zh: the link's language wins over the Telegram app's.
        linked = deep_link_language(context.args)

        async def begin(user: TelegramUser) -> Outcome:
            if linked is not None:
                with contextlib.suppress(NotSubscribed):  # no row yet: start() stores it
                    await self._preferences.choose_language(user.id, LanguageChoice(linked))
            code = linked.value if linked is not None else user.language_code or "en"
            return await self._subscription.start(user.id, chat.id, user.first_name or "", code)

        await self._r.respond(update, begin)

    async def stop(self, update: Update, context: Context) -> None:
        """Unsubscribe the user from daily messages."""
        await self._r.respond(update, lambda user: self._subscription.stop(user.id))

    async def help(self, update: Update, context: Context) -> None:
        """List the commands."""
        await self._r.say(update, texts.help_text)

    async def tip(self, update: Update, context: Context) -> None:
        """Send the next tip now."""
        await self._r.respond(update, lambda user: self._tips.now(user.id))

    async def checkin(self, update: Update, context: Context) -> None:
        """Ask for today's pain score now."""
        await self._r.respond(update, lambda user: self._checkins.prompt(user.id))

    async def warning(self, update: Update, context: Context) -> None:
        """Open the warning-sign list, whatever today's pain."""
        await self._r.respond(update, lambda user: self._checkins.warning_signs(user.id))

    async def settings(self, update: Update, context: Context) -> None:
        """Show the user's settings."""
        await self._r.respond(update, lambda user: self._preferences.show(user.id))

    async def time(self, update: Update, context: Context) -> None:
        """Set the daily time: /time HH:MM."""
        await self._r.respond(
            update, lambda user: self._subscription.set_time(user.id, _args(context))
        )

    async def timezone(self, update: Update, context: Context) -> None:
        """Set the time zone: /timezone Area/City."""
        text = _args(context)
        await self._r.respond(
            update,
            lambda user: self._subscription.set_timezone(user.id, text, user.language_code),
        )

    async def country(self, update: Update, context: Context) -> None:
        """Show or set the user's country: /country DE, /country Germany, /country other."""
        text = _args(context)
        await self._r.respond(update, lambda user: self._preferences.country(user.id, text))

    async def pause(self, update: Update, context: Context) -> None:
        """Pause daily messages: /pause N."""
        await self._r.respond(update, lambda user: self._preferences.pause(user.id, _args(context)))

    async def resume(self, update: Update, context: Context) -> None:
        """End a pause."""
        await self._r.respond(update, lambda user: self._preferences.resume(user.id))

    async def unknown_command(self, update: Update, context: Context) -> None:
        """Answer a command the bot doesn't know."""
        await self._r.say(update, lambda t: t.gettext(texts.UNKNOWN_COMMAND))

    async def text(self, update: Update, context: Context) -> None:
        """Handle typed text: zone, time, check-in score or a hint."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        text = message.text
        await self._r.respond(
            update, lambda user: self._conversation.text(user.id, text, user.language_code)
        )

    async def other(self, update: Update, context: Context) -> None:
        """Answer stickers, photos and anything else that isn't text."""
        await self._r.say(update, lambda t: t.gettext(texts.FREE_TEXT))

    async def edited(self, update: Update, context: Context) -> None:
        """Answer an edited message: a command or an answer is acted on once, when sent."""
        await self._r.say(update, lambda t: t.gettext(texts.EDITED))

    async def language(self, update: Update, context: Context) -> None:
        """Offer the languages: /language."""
        await self._r.respond(
            update, lambda user: self._preferences.language(user.id, user.language_code)
        )


async def error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log an unexpected error without personal data, then apologise; never raise.

    Expected Telegram answers (403, an outlasted 429, a stale button) are handled where they
    happen (bot/telegram/guard.py, respond.py). At ERROR: the update id and type, the handler,
    the exception type, the user's pseudonym and the stack without exception messages (they
    can quote what the user typed). The update body and the full traceback are DEBUG only.
    """
    exc = context.error
    try:
        where = describe(update, handler_of(exc))
        log.error("Unexpected %s in %s\n%s", _type_name(exc), where, _stack(exc))
        if log.isEnabledFor(logging.DEBUG):
            body = update.to_dict() if isinstance(update, Update) else repr(update)
            log.debug("The update: %s", json.dumps(body, default=str), exc_info=exc)
        # A chat that just refused a message (or a flood limit) gets no apology on top.
        if isinstance(exc, Forbidden | RetryAfter) or not isinstance(update, Update):
            return
        if update.effective_message is not None:
            user = update.effective_user
            code = user.language_code if user is not None else None
            # No store read here: the error may be the store's; Telegram's language will do.
            await update.effective_message.reply_text(_error_text(code))
    except Exception as failure:
        # Its own reply may fail too (the chat is gone, the network is down): one line, no raise.
        log.warning("The error handler could not apologise: %s", _type_name(failure))


def _type_name(exc: BaseException | None) -> str:
    if exc is None:
        return "error"
    module = type(exc).__module__
    name = type(exc).__qualname__
    return name if module == "builtins" else f"{module}.{name}"


def _stack(exc: BaseException | None) -> str:
    """Format the traceback of an exception and its causes, leaving out their messages."""
    parts: list[str] = []
    seen: set[int] = set()
    current = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_tb(current.__traceback__))
        parts.append(f"{frames}{_type_name(current)} (message withheld)")
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    # Python prints the first cause first; so do we.
    return "\nwhich led to:\n".join(reversed(parts))


def _error_text(code: str | None) -> str:
    return packaged_catalogs().get(code).gettext(texts.ERROR)
