"""Keeps each running broadcast's progress message up to date, then posts the final report.

One message per broadcast, edited at most every `interval` seconds (Telegram frowns on edit
storms). The broadcasts being watched are read from SQLite, so a restart picks them up again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Bot
from telegram.error import BadRequest, TelegramError

from bot.core.states import BroadcastStatus
from bot.features.admin import Admin
from bot.store import Store

log = logging.getLogger(__name__)


class BroadcastMonitor:
    """Edits progress messages of running broadcasts until they finish."""

    def __init__(self, admin: Admin, store: Store, bot: Bot, interval: float = 3.0) -> None:
        self._admin = admin
        self._store = store
        self._bot = bot
        self._interval = interval
        self._watching: set[int] = set()
        self._shown: dict[int, str] = {}
        self._poke = asyncio.Event()
        self._lock = asyncio.Lock()  # one refresh at a time, or two could make the same edit
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start watching in the background."""
        self._task = asyncio.create_task(self._run(), name="broadcast-monitor")

    async def stop(self) -> None:
        """Stop watching."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def poke(self) -> None:
        """Look at broadcasts now (a broadcast started or was cancelled)."""
        self._poke.set()

    async def _run(self) -> None:
        while True:
            try:
                await self.update_once()
            except Exception:
                log.exception("Broadcast progress update failed")
            self._poke.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._interval):
                    await self._poke.wait()

    def shown(self, broadcast_id: int, text: str) -> None:
        """Note a text already on the progress message (the confirm handler wrote it)."""
        self._shown[broadcast_id] = text

    async def update_once(self) -> None:
        """Refresh every watched broadcast's message; finish the ones that are done."""
        async with self._lock:
            await self._update()

    async def _update(self) -> None:
        broadcasts = self._store.broadcasts
        for broadcast in await broadcasts.with_status(BroadcastStatus.SENDING):
            self._watching.add(broadcast.id)
        for broadcast_id in sorted(self._watching):
            text, finished = await self._admin.progress(broadcast_id)
            current = await broadcasts.get(broadcast_id)
            if current is None:
                self._watching.discard(broadcast_id)
                continue
            if finished:
                await broadcasts.finish(broadcast_id)
                self._watching.discard(broadcast_id)
                log.info("Broadcast %d finished: %s", broadcast_id, text.replace("\n", "; "))
            if (
                text
                and text != self._shown.get(broadcast_id)
                and current.admin_chat_id is not None
                and current.progress_message_id is not None
            ):
                await self._edit(current.admin_chat_id, current.progress_message_id, text)
                self._shown[broadcast_id] = text
            if finished:
                self._shown.pop(broadcast_id, None)

    async def _edit(self, chat_id: int, message_id: int, text: str) -> None:
        try:
            await self._bot.edit_message_text(text, chat_id=chat_id, message_id=message_id)
        except BadRequest as exc:
            if "not modified" not in exc.message:
                log.warning("Could not update broadcast progress: %s", exc.message)
        except TelegramError as exc:
            log.warning("Could not update broadcast progress: %s", exc)
