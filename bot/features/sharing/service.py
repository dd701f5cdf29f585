"""Sharing the record with a clinician: make, list and revoke links; open one; build the record.

The Telegram side (/share, /shares) and the web page both go through `Sharing`. A link shows
the record as it is when opened (the last `PERIOD_DAYS` days), not as it was when made.
"""

from __future__ import annotations

import asyncio
import logging
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.core.escalation import RulesConfig
from bot.core.i18n import ENGLISH_ONLY, Catalogs, Language, Translator
from bot.core.record import Facts, Record, Section
from bot.core.replies import Document
from bot.core.schedule import local_date
from bot.features.common import subscriber, today, translator
from bot.features.sharing.sections import SECTIONS, Builder, Source
from bot.features.sharing.tokens import looks_like_token, new_token, token_hash
from bot.logs import user_ref
from bot.store import LiveShare, ShareLink, Store
from bot.store.users import User

log = logging.getLogger(__name__)

MAX_LIVE_LINKS = 5
MAX_NAME_CHARS = 64
PERIOD_DAYS = 90
MIN_PERIOD_DAYS = 30
# A language switch or a PDF download soon after "View record" is the same visit, not
# another opening in the user's log.
VISIT_WINDOW = timedelta(minutes=30)
# Revoked and expired links stay listed in the database this long, then go.
KEEP_ENDED = timedelta(days=30)
LINK_PATH = "/s/"


class Duration(IntEnum):
    """How long a link lives, in days: the three choices /share offers."""

    DAY = 1
    FORTNIGHT = 14
    QUARTER = 90


class Refusal(StrEnum):
    """Why no link was made."""

    NOT_SET_UP = "not-set-up"  # the bot runs without SHARE_PORT and PUBLIC_URL
    TOO_MANY = "too-many"  # MAX_LIVE_LINKS live already
    NOT_SUBSCRIBED = "not-subscribed"


@dataclass(frozen=True)
class NewLink:
    """A link just made: the only time its token is known, inside `url`."""

    share_id: int
    url: str
    expires_at: datetime


@dataclass(frozen=True)
class Visit:
    """A live link being looked at; `opening` is the logged opening this visit belongs to."""

    share: LiveShare
    opening: int


def clean_name(text: str) -> str:
    """Return a name fit to show: one line, no control or invisible format characters, short.

    Format characters (Unicode Cf) go too: a right-to-left override could make the page say
    something the user did not type. Escaping is the drawers' job, not this one's.
    """
    kept = "".join(
        " " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
        for c in text
        if unicodedata.category(c) != "Cf"
    )
    return " ".join(kept.split())[:MAX_NAME_CHARS]


class Sharing:
    """Links to a read-only view of a user's record, and the record they show."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        rules: RulesConfig,
        catalogs: Catalogs = ENGLISH_ONLY,
        *,
        public_url: str = "",
        on_open: Callable[[], None] = lambda: None,
        sections: tuple[Builder, ...] = tuple(SECTIONS),
    ) -> None:
        self._store = store
        self._clock = clock
        self._rules = rules
        self._catalogs = catalogs
        self._base = public_url.rstrip("/")
        self._on_open = on_open
        self._sections = sections

    @property
    def enabled(self) -> bool:
        """Say whether links can be made (PUBLIC_URL is set)."""
        return bool(self._base)

    def url(self, token: str) -> str:
        """Return the address people open for a token."""
        return f"{self._base}{LINK_PATH}{token}"

    async def create(self, user_id: int, name: str, duration: Duration) -> NewLink | Refusal:
        """Make a link showing `name` that lives for `duration` days."""
        if not self.enabled:
            return Refusal.NOT_SET_UP
        if await self._store.users.get(user_id) is None:
            return Refusal.NOT_SUBSCRIBED
        now = self._clock.now()
        await self._store.shares.prune(now - KEEP_ENDED)
        token = new_token()
        expires = now + timedelta(days=int(duration))
        share_id = await self._store.shares.create(
            user_id, token_hash(token), clean_name(name), expires, limit=MAX_LIVE_LINKS
        )
        if share_id is None:
            return Refusal.TOO_MANY
        log.info("%s made a share link for %d days", user_ref(user_id), int(duration))
        return NewLink(share_id, self.url(token), expires)

    async def links(self, user_id: int) -> list[ShareLink]:
        """Return the user's live links, newest first."""
        return await self._store.shares.for_user(user_id)

    async def revoke(self, user_id: int, share_id: int) -> bool:
        """Revoke one of the user's links at once; False if it was not a live link of theirs."""
        revoked = await self._store.shares.revoke(user_id, share_id)
        if revoked:
            log.info("%s revoked a share link", user_ref(user_id))
        return revoked

    async def revoke_all(self, user_id: int) -> int:
        """Revoke every live link of the user; return how many."""
        return await self._store.shares.revoke_all(user_id)

    async def find(self, token: str) -> LiveShare | None:
        """Return the live link a token opens, without logging an opening (the landing page)."""
        if not looks_like_token(token):
            return None
        return await self._store.shares.find(token_hash(token))

    async def open(self, token: str, visit: int | None = None) -> Visit | None:
        """Return the visit a request makes, logging an opening unless it continues one.

        `visit` is the opening a language switch or PDF download names; it continues that
        visit when it is an opening of this link from the last VISIT_WINDOW. None for an
        unknown, expired or revoked token.
        """
        share = await self.find(token)
        if share is None:
            return None
        if visit is not None:
            opened = await self._store.shares.opened_at(share.share_id, visit)
            if opened is not None and timedelta(0) <= self._clock.now() - opened <= VISIT_WINDOW:
                return Visit(share, visit)
        opening = await self._store.shares.add_opening(share.share_id)
        if opening is None:
            return None  # revoked or expired a moment ago
        self._on_open()
        return Visit(share, opening)

    async def record(self, share: LiveShare, language: Language) -> Record | None:
        """Return the record a link shows, in the reader's language; None if the user is gone."""
        user = await self._store.users.get(share.user_id)
        if user is None:
            return None
        return await self._compose(user, self._catalogs[language], share.name, share.expires_at)

    async def summary(self, user_id: int, name: str, language: Language | None = None) -> Record:
        """Return the same record for the user to send on themselves (no link, no expiry).

        In the user's language unless `language` is given; raise NotSubscribed if they are not.
        """
        user = await subscriber(self._store, user_id)
        t = translator(user, self._catalogs) if language is None else self._catalogs[language]
        return await self._compose(user, t, clean_name(name), None)

    async def summary_pdf(
        self, user_id: int, name: str, language: Language | None = None
    ) -> Document:
        """Return the record as a PDF document the user can forward by Telegram or email."""
        from bot.charts.record_pdf import render_record_pdf  # matplotlib on first use

        record = await self.summary(user_id, name, language)
        data = await asyncio.to_thread(render_record_pdf, record)
        user = await subscriber(self._store, user_id)
        caption = translator(user, self._catalogs).gettext(
            "The same record as a PDF, to forward by Telegram or email."
        )
        return Document(data, f"{record.file_stem}.pdf", caption)

    async def _compose(
        self, user: User, t: Translator, name: str, link_until: datetime | None
    ) -> Record:
        end = today(self._clock, user)
        earliest = end - timedelta(days=PERIOD_DAYS - 1)
        points = tuple(
            (day, score)
            for day, score in await self._store.diary.checkins(user.user_id, earliest)
            if day <= end
        )
        # From the first check-in, but at least MIN_PERIOD_DAYS so the chart's dates stay legible.
        start = min(points[0][0], end - timedelta(days=MIN_PERIOD_DAYS - 1)) if points else earliest
        escalations = await self._store.escalations.for_user(user.user_id)
        source = Source(
            self._store,
            user,
            start,
            end,
            self._rules.threshold,
            t,
            points,
            tuple(e.local_date for e in escalations),
        )
        sections: list[Section] = []
        for build in self._sections:
            section = await build(source)
            if section is not None:
                sections.append(section)
        about: list[tuple[str, str]] = []
        if name:
            about.append((t.gettext("Name"), name))
        period = t.gettext("{start} to {end}").format(
            start=t.date(start, "full"), end=t.date(end, "full")
        )
        about.append((t.gettext("Period"), period))
        if link_until is not None:
            expires = local_date(link_until, ZoneInfo(user.timezone))
            about.append((t.gettext("Link valid until"), t.date(expires, "full")))
        title = (
            t.gettext("FootCare record of {name}").format(name=name)
            if name
            else t.gettext("FootCare record")
        )
        notice = t.gettext(
            "Self-reported record, not a clinical assessment. The person shared it with you, a"
            " health professional, through FootCare, a self-care app for heel and foot pain."
            " Pain scores are their own daily ratings: 0 = no pain, 10 = worst pain imaginable."
        )
        return Record(
            t, title, notice, Facts(tuple(about)), tuple(sections), f"footcare-record-{end}"
        )
