"""Thin handlers for admin commands. Anyone else gets exactly the unknown-command reply."""

from __future__ import annotations

import logging

from telegram import Message, Update

from bot.admin import Admin, stats_text
from bot.core import texts
from bot.delivery.monitor import BroadcastMonitor
from bot.delivery.sender import Sender
from bot.service import Reply
from bot.telegram.handlers import Context, edit_text, send_replies
from bot.telegram.keyboards import keyboard

log = logging.getLogger(__name__)


class AdminHandlers:
    """Admin callbacks bound to the Admin service, the sender and the progress monitor."""

    def __init__(self, admin: Admin, sender: Sender, monitor: BroadcastMonitor) -> None:
        self._admin = admin
        self._sender = sender
        self._monitor = monitor

    async def _allowed(self, update: Update, what: str) -> bool:
        user = update.effective_user
        if user is not None and self._admin.is_admin(user.id):
            return True
        # Reveal nothing: the same answer as for any unknown command, and a log line.
        log.warning("Non-admin %s tried %s", user.id if user else "unknown", what)
        await send_replies(update.effective_message, [Reply(texts.UNKNOWN_COMMAND)])
        return False

    async def broadcast(self, update: Update, context: Context) -> None:
        """Preview a broadcast: /broadcast <text>, or /broadcast in reply to a message."""
        message = update.effective_message
        user = update.effective_user
        if not await self._allowed(update, "/broadcast") or message is None or user is None:
            return
        source = message.reply_to_message
        if source is not None and (source.text or source.caption):
            text = source.text or source.caption or ""
            entities = [e.to_dict() for e in (source.entities or source.caption_entities)]
        else:
            full = message.text or ""
            text = full.partition(" ")[2].strip()
            prefix = full[: full.index(text)] if text else full
            # Entity offsets count UTF-16 code units, not Python characters.
            entities = _shifted_entities(message, len(prefix.encode("utf-16-le")) // 2)
        reply = await self._admin.preview(user.id, message.chat_id, text, entities or None)
        await message.reply_text(
            reply.text,
            reply_markup=keyboard(reply.buttons),
        )

    async def broadcast_cancel(self, update: Update, context: Context) -> None:
        """Stop the running broadcast."""
        if not await self._allowed(update, "/broadcast_cancel"):
            return
        reply = await self._admin.cancel_running()
        await send_replies(update.effective_message, [reply])
        await self._monitor.poke()

    async def stats(self, update: Update, context: Context) -> None:
        """Show the stats."""
        if not await self._allowed(update, "/stats"):
            return
        figures = await self._admin.stats(self._sender.last_error)
        await send_replies(update.effective_message, [Reply(stats_text(figures))])

    async def button(self, update: Update, context: Context) -> None:
        """Handle the preview's Send and Cancel buttons."""
        query = update.callback_query
        user = update.effective_user
        if query is None or user is None:
            return
        await query.answer()
        if not self._admin.is_admin(user.id):
            log.warning("Non-admin %d pressed a broadcast button", user.id)
            return
        _, action, raw_id = (query.data or "").split(":", 2)
        if not raw_id.isdigit():
            return
        broadcast_id = int(raw_id)
        if action == "send":
            text, started = await self._admin.confirm(user.id, broadcast_id)
            await edit_text(query.message, text)
            if started and isinstance(query.message, Message):
                self._monitor.shown(broadcast_id, text)
                await self._admin.store.broadcasts.set_progress_message(
                    broadcast_id, query.message.message_id
                )
                self._sender.wake()
                await self._monitor.poke()
        else:
            await edit_text(query.message, await self._admin.cancel_draft(broadcast_id))


def _shifted_entities(message: Message, offset: int) -> list[dict[str, object]]:
    """Keep the formatting of /broadcast's own text, minus the command in front of it."""
    shifted = []
    for entity in message.entities:
        if entity.type == "bot_command" or entity.offset < offset:
            continue
        data = entity.to_dict()
        data["offset"] = entity.offset - offset
        shifted.append(data)
    return shifted
