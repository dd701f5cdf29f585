"""Expected Telegram answers, handled where they happen, so the error handler sees only the
unexpected (bot/telegram/handlers.py `error`).

Every handler callback is wrapped (`Guard.wrap`, applied in bot/app.py):
- 403 Forbidden on any call (the user blocked the bot mid-conversation, or was deactivated):
  the user is marked blocked, as the sender would, and one INFO line is logged.
- 429 that outlasted the rate limiter's own retries (bot/delivery/ratelimit.py waits out a
  flood limit and retries each request up to twice): one WARNING line, the reply is dropped.
- StorageUnavailable (a full disk or a read-only database, bot/store/base.py): the action was
  rolled back whole; the user is asked to try again later, one INFO line names the update.
  The store logs the fault itself once, so a long outage is not a traceback per update.
- Anything else gets a note naming the handler and goes on to the error handler.
`Guard.seen` runs before every handler: a blocked user who writes again is reactivated.

Log lines name the update by id and type and the user by `user_ref`, never by content.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden, RetryAfter, TelegramError

from bot.content.catalogs import packaged_catalogs
from bot.core import texts
from bot.core.i18n import Catalogs
from bot.logs import user_ref
from bot.store import StorageUnavailable

log = logging.getLogger(__name__)

HANDLER_NOTE = "handler: "
R = TypeVar("R")

# Called with a Telegram user id; return whether the stored status changed.
StatusChange = Callable[[int], Awaitable[bool]]


def update_kind(update: object) -> str:
    """Return an update's type ("message", "callback_query", ...), never its content."""
    if not isinstance(update, Update):
        return type(update).__name__
    return next((t for t in Update.ALL_TYPES if getattr(update, t, None) is not None), "unknown")


def describe(update: object, handler: str | None = None) -> str:
    """Return "update 12 (message, u:3f9a1c2b, handler X)": what an operator may see."""
    if not isinstance(update, Update):
        return f"no update ({update_kind(update)})"
    user = update.effective_user
    parts = [update_kind(update), user_ref(user.id if user is not None else None)]
    if handler is not None:
        parts.append(f"handler {handler}")
    return f"update {update.update_id} ({', '.join(parts)})"


def handler_of(exc: BaseException | None) -> str | None:
    """Return the handler `Guard.wrap` noted on an exception, if any."""
    for note in getattr(exc, "__notes__", None) or ():
        if isinstance(note, str) and note.startswith(HANDLER_NOTE):
            return note.removeprefix(HANDLER_NOTE)
    return None


def _private(update: Update) -> bool:
    chat = update.effective_chat
    user = update.effective_user
    return chat is not None and user is not None and chat.type == ChatType.PRIVATE


class Guard:
    """Wraps handler callbacks; marks users blocked on 403 and reactivates them on return."""

    def __init__(
        self, refused: StatusChange, returned: StatusChange, catalogs: Catalogs | None = None
    ) -> None:
        self._refused = refused
        self._returned = returned
        self._catalogs = catalogs or packaged_catalogs()

    def wrap(
        self, callback: Callable[[Update, Any], Coroutine[Any, Any, R]]
    ) -> Callable[[Update, Any], Coroutine[Any, Any, R | None]]:
        """Return the callback with expected Telegram answers handled."""
        name = getattr(callback, "__qualname__", repr(callback))

        @functools.wraps(callback)
        async def guarded(update: Update, context: Any) -> R | None:
            try:
                return await callback(update, context)
            except Forbidden:
                await self._blocked(update, name)
            except RetryAfter:
                log.warning(
                    "Flood limit outlasted the retries; reply dropped for %s",
                    describe(update, name),
                )
            except StorageUnavailable as exc:
                await self._try_later(update, name, exc)
            except Exception as exc:
                exc.add_note(f"{HANDLER_NOTE}{name}")
                raise
            return None

        return guarded

    async def _blocked(self, update: Update, name: str) -> None:
        user = update.effective_user
        marked = False
        if user is not None and _private(update):
            try:
                marked = await self._refused(user.id)
            except Exception as exc:  # the store may be the trouble; the 403 is still expected
                log.warning("Could not mark %s blocked: %s", user_ref(user.id), type(exc).__name__)
        log.info(
            "Telegram refused a reply with 403 (blocked by the user?) in %s%s",
            describe(update, name),
            "; marked blocked" if marked else "",
        )

    async def _try_later(self, update: Update, name: str, exc: StorageUnavailable) -> None:
        log.info(
            "Storage unavailable (%s); asked to try again later: %s",
            exc.code,
            describe(update, name),
        )
        message = update.effective_message
        if message is None:
            return
        user = update.effective_user
        # No store read: the store is the trouble. Telegram's language will do.
        t = self._catalogs.get(user.language_code if user is not None else None)
        try:
            await message.reply_text(t.gettext(texts.STORAGE_UNAVAILABLE))
        except TelegramError as failure:
            log.info("Could not ask to try again later: %s", type(failure).__name__)

    async def seen(self, update: Update, context: Any) -> None:
        """Reactivate a blocked user who writes again; runs before every handler."""
        if not _private(update) or update.effective_user is None:
            return
        try:
            returned = await self._returned(update.effective_user.id)
        except StorageUnavailable:
            # Logged by the store; they are reactivated when they write after it clears.
            return
        if returned:
            log.info(
                "%s wrote again after blocking the bot; reactivated",
                user_ref(update.effective_user.id),
            )
