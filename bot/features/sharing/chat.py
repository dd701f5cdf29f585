"""/share and /shares in the chat: what the user is asked and told, as Outcomes.

/share explains what a link does and asks which name the page shows (the first name, none,
or one typed after the command: `/share Sam W.`), then for how long; the link comes with
previews off, so no robot opens it before a person does. /shares lists the live links with
how often each was opened, and a button withdraws each at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.core import callbacks
from bot.core.callbacks import ShareDaysChoice, ShareNameChoice, ShareRevoke
from bot.core.i18n import ENGLISH_ONLY, N_, Catalogs, Translator
from bot.core.replies import Button, Buttons, Outcome, Reply, rows
from bot.features.common import subscriber, translator
from bot.features.sharing.service import (
    MAX_LIVE_LINKS,
    Duration,
    NewLink,
    Refusal,
    Sharing,
    clean_name,
)
from bot.store import ShareLink, Store
from bot.store.users import User

# The name chosen at the first question waits this long for the second.
DRAFT_LIFE = timedelta(hours=1)

INTRO = N_(
    "Share your pain record with a health professional, such as a physiotherapist or a"
    " podiatrist: I make a private link to a read-only page of your record (pain chart,"
    " check-ins, warning-sign answers and the advice FootCare gave), which they open in a"
    " browser and can print or save as a PDF. Anyone with the link can see your record until"
    " it expires, so send it only to them. /shares lists your links and withdraws any of"
    " them at once."
)
ASK_NAME = N_(
    "Which name should the page show? To show another name, send /share followed by it,"
    " e.g. /share Sam W."
)
ASK_DAYS = N_("How long should the link work? It stops working by itself after that.")
NOT_SET_UP = N_("Sharing is not set up on this FootCare bot.")
EXPIRED_QUESTION = N_("That question has expired. Send /share to start again.")
NO_LINKS = N_("You have no live share links. /share makes one.")


def _button(label: str, callback: callbacks.Callback) -> Button:
    return (label, callbacks.encode(callback))


def _name_line(t: Translator, name: str) -> str:
    if name:
        return t.gettext("Name on the page: {name}.").format(name=name)
    return t.gettext("No name on the page.")


def _days(t: Translator, days: int) -> str:
    return t.ngettext("{n} day", "{n} days", days).format(n=days)


def _when(t: Translator, instant: datetime, zone: str) -> str:
    local = instant.astimezone(ZoneInfo(zone))
    return f"{t.date(local.date(), 'short')} {local:%H:%M}"


class ShareChat:
    """The chat side of sharing: each method returns what the bot says."""

    def __init__(
        self, sharing: Sharing, store: Store, clock: Clock, catalogs: Catalogs = ENGLISH_ONLY
    ) -> None:
        self._sharing = sharing
        self._store = store
        self._clock = clock
        self._catalogs = catalogs

    async def _refusal(self, user: User) -> str | None:
        t = translator(user, self._catalogs)
        if not self._sharing.enabled:
            return t.gettext(NOT_SET_UP)
        if len(await self._sharing.links(user.user_id)) >= MAX_LIVE_LINKS:
            return self._too_many(t)
        return None

    def _too_many(self, t: Translator) -> str:
        return t.gettext(
            "You already have {n} live links, the most there can be. Withdraw one with"
            " /shares first."
        ).format(n=MAX_LIVE_LINKS)

    async def start(self, user_id: int, first_name: str, typed: str = "") -> Outcome:
        """Explain /share and ask for the name; with a typed name, ask for the days."""
        user = await subscriber(self._store, user_id)
        t = translator(user, self._catalogs)
        refusal = await self._refusal(user)
        if refusal is not None:
            return Outcome.reply(refusal)
        name = clean_name(typed)
        if name:
            await self._store.shares.set_draft(user_id, name)
            text = "\n\n".join((t.gettext(INTRO), _name_line(t, name), t.gettext(ASK_DAYS)))
            return Outcome((Reply(text, self.days_buttons(t)),))
        text = f"{t.gettext(INTRO)}\n\n{t.gettext(ASK_NAME)}"
        return Outcome((Reply(text, self.name_buttons(t, clean_name(first_name))),))

    def name_buttons(self, t: Translator, first_name: str) -> Buttons:
        """Return the first question's buttons: the first name (when there is one) or none."""
        choices = [_button(t.gettext("No name"), ShareNameChoice(first_name=False))]
        if first_name:
            shown = t.gettext("Show “{name}”").format(name=first_name)
            choices.insert(0, _button(shown, ShareNameChoice(first_name=True)))
        return (tuple(choices),)

    def days_buttons(self, t: Translator) -> Buttons:
        """Return the second question's buttons, one per duration."""
        return (tuple(_button(_days(t, d), ShareDaysChoice(int(d))) for d in Duration),)

    async def choose_name(self, user_id: int, first_name: str, use_first: bool) -> Outcome:
        """Keep the chosen name and ask for how long."""
        user = await subscriber(self._store, user_id)
        t = translator(user, self._catalogs)
        name = clean_name(first_name) if use_first else ""
        await self._store.shares.set_draft(user_id, name)
        return Outcome(
            (Reply(t.gettext(ASK_DAYS), self.days_buttons(t)),), edit=_name_line(t, name)
        )

    async def choose_days(self, user_id: int, days: int) -> Outcome:
        """Make the link with the kept name and send it, previews off."""
        user = await subscriber(self._store, user_id)
        t = translator(user, self._catalogs)
        name = await self._store.shares.take_draft(user_id, self._clock.now() - DRAFT_LIFE)
        if name is None:
            return Outcome(edit=t.gettext(EXPIRED_QUESTION))
        made = await self._sharing.create(user_id, name, Duration(days))
        if made is Refusal.TOO_MANY:
            return Outcome(edit=self._too_many(t))
        if not isinstance(made, NewLink):
            return Outcome(edit=t.gettext(NOT_SET_UP))
        text = t.gettext(
            "Here is your link. It works until {until}; send it only to the person who should"
            " see your record. /shares shows when it is opened and withdraws it."
        ).format(until=_when(t, made.expires_at, user.timezone))
        chosen = t.ngettext(
            "Link made, working for {n} day.", "Link made, working for {n} days.", days
        ).format(n=days)
        edit = f"{_name_line(t, name)} {chosen}" if t.gap else f"{_name_line(t, name)}{chosen}"
        return Outcome((Reply(f"{text}\n\n{made.url}", preview=False),), edit=edit)

    async def links(self, user_id: int) -> Outcome:
        """List the live links, each with its openings and a button that withdraws it."""
        user = await subscriber(self._store, user_id)
        t = translator(user, self._catalogs)
        links = await self._sharing.links(user_id)
        if not links:
            return Outcome.reply(t.gettext(NO_LINKS))
        lines = [t.gettext("Your live share links:")]
        buttons = []
        for number, link in enumerate(links, start=1):
            lines.append(f"{number}. {self._describe(t, link, user.timezone)}")
            label = t.gettext("Withdraw {n}").format(n=number)
            buttons.append(_button(label, ShareRevoke(link.share_id)))
        return Outcome((Reply("\n\n".join(lines), rows(buttons, 3)),))

    def _describe(self, t: Translator, link: ShareLink, zone: str) -> str:
        name = link.name or t.gettext("no name")
        made = t.gettext("{name}: made {made}, works until {until}.").format(
            name=name, made=_when(t, link.created_at, zone), until=_when(t, link.expires_at, zone)
        )
        if link.last_opened is None:
            opened = t.gettext("Not opened yet.")
        else:
            opened = t.ngettext(
                "Opened {n} time, last {last}.", "Opened {n} times, last {last}.", link.openings
            ).format(n=link.openings, last=_when(t, link.last_opened, zone))
        return f"{made}{t.gap}{opened}"

    async def revoke(self, user_id: int, share_id: int) -> Outcome:
        """Withdraw one link at once; the list message says so."""
        user = await subscriber(self._store, user_id)
        t = translator(user, self._catalogs)
        if await self._sharing.revoke(user_id, share_id):
            text = t.gettext("Link withdrawn: it no longer opens. /shares lists the rest.")
        else:
            text = t.gettext("That link had already stopped working. /shares lists the rest.")
        return Outcome(edit=text)
