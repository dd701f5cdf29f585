"""Small helpers every feature shares: finding the subscriber, their local date, their country."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.core.countries import Country, CountryBook
from bot.core.i18n import Catalogs, Translator
from bot.core.schedule import local_date
from bot.core.states import Awaiting
from bot.store import Store
from bot.store.users import User


class NotSubscribed(Exception):
    """The user has never started the bot (or deleted their data), or is not active.

    Raised by features and answered once, by the handlers, with the "send /start" reply.
    """


def before_start(user: User | None) -> bool:
    """Say whether the user never sent /start: no row, or only a language chosen before it."""
    return user is None or user.awaiting is Awaiting.START


async def subscriber(store: Store, user_id: int, *, active: bool = False) -> User:
    """Return the stored user; raise NotSubscribed if there is none (or not active).

    A row holding only a language chosen before /start is not a subscriber either.
    """
    user = await store.users.get(user_id)
    if user is None or before_start(user) or (active and not user.active):
        raise NotSubscribed(user_id)
    return user


def translator(user: User, catalogs: Catalogs) -> Translator:
    """Return the translator of the user's stored language (an old "en-US" row still works)."""
    return catalogs.get(user.language_code)


def today(clock: Clock, user: User) -> date:
    """Return the user's local date now."""
    return local_date(clock.now(), ZoneInfo(user.timezone))


def country_of(user: User, book: CountryBook) -> Country | None:
    """Return the user's country: the one stored, else their time zone's; None when unknown.

    A stored code the book lacks (NO_COUNTRY, "not in your list", or a row since removed)
    gives None rather than the zone's guess, and None means "your local emergency number".
    """
    if user.country is not None:
        return book.get(user.country)
    return book.for_zone(user.timezone)
