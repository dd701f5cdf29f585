"""Thin handlers for sharing the record with a clinician: /share, /shares and their buttons."""

from __future__ import annotations

from telegram import Update

from bot.core.callbacks import ShareDaysChoice, ShareNameChoice, ShareRevoke
from bot.features.sharing.chat import ShareChat
from bot.telegram.respond import Context, Responder


class ShareHandlers:
    """Callbacks bound to the sharing feature's chat side."""

    def __init__(self, chat: ShareChat, responder: Responder) -> None:
        self._chat = chat
        self._r = responder

    async def share(self, update: Update, context: Context) -> None:
        """Explain sharing and ask which name the page shows (`/share NAME` names it)."""
        typed = " ".join(context.args or ())
        await self._r.respond(
            update, lambda user: self._chat.start(user.id, user.first_name, typed)
        )

    async def shares(self, update: Update, context: Context) -> None:
        """List the live links, each with a button that withdraws it."""
        await self._r.respond(update, lambda user: self._chat.links(user.id))

    async def name(self, update: Update, context: Context) -> None:
        """Keep the chosen name and ask for how long."""
        await self._r.on_button(
            update,
            ShareNameChoice,
            lambda user, choice: self._chat.choose_name(
                user.id, user.first_name, choice.first_name
            ),
        )

    async def days(self, update: Update, context: Context) -> None:
        """Make the link and send it."""
        await self._r.on_button(
            update,
            ShareDaysChoice,
            lambda user, choice: self._chat.choose_days(user.id, choice.days),
        )

    async def revoke(self, update: Update, context: Context) -> None:
        """Withdraw a link at once."""
        await self._r.on_button(
            update, ShareRevoke, lambda user, choice: self._chat.revoke(user.id, choice.share_id)
        )
