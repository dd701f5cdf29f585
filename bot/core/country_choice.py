"""Which countries to offer once a user has picked a time zone: those whose clocks agree with it.

A time zone does not name a country: Asia/Shanghai's clock is also Hong Kong's, Taiwan's,
Macau's and Singapore's, Europe/London's is also Ireland's and Portugal's. So the user is asked,
and offered every country of the book with a zone of its own (the tz database's zone.tab) whose
UTC offset equals the chosen zone's both in January and in July, at most MAX_OFFERED.

Pure: the offsets come from the tz rules through zoneinfo (the `tzdata` package), as in
bot/core/schedule.py; which zones each country keeps comes in with the CountryBook. Nothing
here is a hand-kept list of zones.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.core.countries import Country, CountryBook

MAX_OFFERED = 6
# Readers of Traditional Chinese most often live in these; they see them first (issue 20).
TRADITIONAL_FIRST = ("HK", "TW", "MO")

Clock = tuple[timedelta | None, timedelta | None]


@lru_cache(maxsize=1024)
def clock_of(zone: str, year: int) -> Clock:
    """Return a zone's UTC offsets at noon UTC on 15 January and 15 July of year."""
    tz = ZoneInfo(zone)
    return (
        datetime(year, 1, 15, 12, tzinfo=UTC).astimezone(tz).utcoffset(),
        datetime(year, 7, 15, 12, tzinfo=UTC).astimezone(tz).utcoffset(),
    )


def sharing_clock(
    book: CountryBook, zone: str, year: int, *, traditional: bool = False
) -> list[Country]:
    """Return the countries to offer for a zone, in the order to offer them.

    The zone's own country first; then countries whose main zone keeps this clock before those
    where only another zone does (Perth, not Sydney, keeps Shanghai's), each in the countries
    file's order. With
    `traditional` (a Telegram language of zh-hant, zh-hk, zh-tw), Hong Kong, Taiwan and Macau
    come first when their clocks agree, the zone's own among them leading.
    """
    return _agreeing(book, zone, year, traditional)[:MAX_OFFERED]


def _agreeing(book: CountryBook, zone: str, year: int, traditional: bool) -> list[Country]:
    wanted = clock_of(zone, year)
    own = book.for_zone(zone)
    ranked: list[tuple[tuple[int, int, int], Country]] = []
    for index, country in enumerate(book.in_file_order()):
        zones = book.zones_of(country.code)
        agreeing = [name for name in zones if clock_of(name, year) == wanted]
        if country != own and not agreeing:
            continue
        # zone.tab lists a country's most populous zone first where geography allows: when it
        # agrees, most of its people keep this clock (all of China, not only Australia's Perth).
        main = bool(zones) and zones[0] in agreeing
        ranked.append((_rank(country, own, index, main, traditional), country))
    ranked.sort(key=lambda item: item[0])
    return [country for _, country in ranked]


def _rank(
    country: Country, own: Country | None, index: int, main: bool, traditional: bool
) -> tuple[int, int, int]:
    is_own = country == own
    if traditional and country.code in TRADITIONAL_FIRST:
        return (0, 0 if is_own else 1, TRADITIONAL_FIRST.index(country.code))
    if is_own:
        return (1, 0, 0)
    return (2, 0 if main else 1, index)


def provisional(book: CountryBook, zone: str, current: str | None, year: int) -> str | None:
    """Return the country to keep while the user has not yet answered for a new zone.

    Their current country when its clock still agrees; else the one country whose clock
    agrees, when there is exactly one; else None: no number is guessed for a zone several
    countries share (the caller stores that as "not known").
    """
    codes = [country.code for country in _agreeing(book, zone, year, traditional=False)]
    if current in codes:
        return current
    return codes[0] if len(codes) == 1 else None
