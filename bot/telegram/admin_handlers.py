"""Thin handlers for admin commands. Anyone else gets exactly the unknown-command reply."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from telegram import Message, Update

from bot.core import callbacks, texts
from bot.core.callbacks import BroadcastChoice
from bot.core.i18n import Language
from bot.core.outbox import Entity
from bot.core.replies import Outcome
from bot.features.admin import Admin, stats_text
from bot.logs import user_ref
from bot.telegram.respond import Context, Speaker, answer, edit_text, send

log = logging.getLogger(__name__)


class ProgressWatcher(Protocol):
    """What the admin handlers need of the broadcast progress monitor."""

    def shown(self, broadcast_id: int, text: str) -> None:
        """Note a text already on the progress message."""

    async def poke(self) -> None:
        """Look at broadcasts now."""


class AdminHandlers:
    """Admin callbacks bound to the Admin feature, the sender's wake-up and the monitor."""

    def __init__(
        self,
        admin: Admin,
        monitor: ProgressWatcher,
        *,
        wake_sender: Callable[[], None],
        last_send_error: Callable[[], str | None],
        speaker: Speaker,
    ) -> None:
        self._speaker = speaker
        self._admin = admin
        self._monitor = monitor
        self._wake_sender = wake_sender
        self._last_send_error = last_send_error

    async def _allowed(self, update: Update, what: str) -> bool:
        user = update.effective_user
        if user is not None and self._admin.is_admin(user.id):
            return True
        # Reveal nothing: the same answer as for any unknown command, and a log line.
        log.warning("Non-admin %s tried %s", user_ref(user.id if user else None), what)
        t = await self._speaker(user.id, user.language_code) if user is not None else None
        unknown = t.gettext(texts.UNKNOWN_COMMAND) if t is not None else texts.UNKNOWN_COMMAND
        await send(update.effective_message, Outcome.reply(unknown))
        return False

    async def broadcast(self, update: Update, context: Context) -> None:
        """Preview a broadcast: /broadcast <text>, or /broadcast in reply to a message."""
        message = update.effective_message
        user = update.effective_user
        if not await self._allowed(update, "/broadcast") or message is None or user is None:
            return
        source = message.reply_to_message
        entities: list[Entity]
        # "/broadcast zh ..." or "/broadcast en ..." sends to one language only.
        language = _target_language(message.text or "")
        if source is not None and (source.text or source.caption):
            text = source.text or source.caption or ""
            entities = [e.to_dict() for e in (source.entities or source.caption_entities)]
        else:
            full = message.text or ""
            text = full.partition(" ")[2].strip()
            if language is not None:
                text = text.partition(" ")[2].strip()
            prefix = full[: full.index(text)] if text else full
            # Entity offsets count UTF-16 code units, not Python characters.
            entities = _shifted_entities(message, len(prefix.encode("utf-16-le")) // 2)
        outcome = await self._admin.preview(
            user.id, message.chat_id, text, entities or None, language
        )
        await send(message, outcome)

    async def broadcast_cancel(self, update: Update, context: Context) -> None:
        """Stop the running broadcast."""
        if not await self._allowed(update, "/broadcast_cancel"):
            return
        await send(update.effective_message, await self._admin.cancel_running())
        await self._monitor.poke()

    async def stats(self, update: Update, context: Context) -> None:
        """Show the stats."""
        if not await self._allowed(update, "/stats"):
            return
        figures = await self._admin.stats(self._last_send_error())
        await send(update.effective_message, Outcome.reply(stats_text(figures)))

    async def button(self, update: Update, context: Context) -> None:
        """Handle the preview's Send and Cancel buttons."""
        query = update.callback_query
        user = update.effective_user
        if query is None or user is None:
            return
        choice = callbacks.decode(query.data)
        await answer(query)
        if not self._admin.is_admin(user.id):
            log.warning("Non-admin %s pressed a broadcast button", user_ref(user.id))
            return
        if not isinstance(choice, BroadcastChoice):
            return
        pressed = query.message if isinstance(query.message, Message) else None
        if not choice.send:
            await edit_text(pressed, await self._admin.cancel_draft(choice.broadcast_id))
            return
        text, started = await self._admin.confirm(user.id, choice.broadcast_id)
        await edit_text(pressed, text)
        if started and pressed is not None:
            self._monitor.shown(choice.broadcast_id, text)
            await self._admin.shown_at(choice.broadcast_id, pressed.message_id)
            self._wake_sender()
            await self._monitor.poke()


def _shifted_entities(message: Message, offset: int) -> list[Entity]:
    """Keep the formatting of /broadcast's own text, minus the command in front of it."""
    shifted: list[Entity] = []
    for entity in message.entities:
        if entity.type == "bot_command" or entity.offset < offset:
            continue
        data = entity.to_dict()
        data["offset"] = entity.offset - offset
        shifted.append(data)
    return shifted


def _target_language(command: str) -> Language | None:
    """Read the optional language after /broadcast ("/broadcast zh ..."); None means all."""
    words = command.split(maxsplit=2)
    if len(words) < 2:
        return None
    try:
        return Language(words[1].lower())
    except ValueError:
        return None
