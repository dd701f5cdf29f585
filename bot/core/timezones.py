"""Understand a typed time zone: exact IANA names case-insensitively, close matches on typos."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.core.i18n import Language

# Offered as buttons during onboarding: a spread of the most common zones of English speakers
# plus one south of the equator and one with a half-hour offset.
COMMON_ZONES: tuple[str, ...] = (
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Australia/Sydney",
)


# Chinese readers also live outside mainland China (issue 20): their zones come first for them.
CHINESE_READERS_ZONES: tuple[str, ...] = (
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
)


def zones_to_offer(language: Language) -> tuple[str, ...]:
    """Return the zone buttons for a reader of language (Chinese: the Chinese readers' first)."""
    if language is not Language.ZH:
        return COMMON_ZONES
    return (*CHINESE_READERS_ZONES, *(z for z in COMMON_ZONES if z not in CHINESE_READERS_ZONES))


@cache
def _zones_by_folded_name() -> dict[str, str]:
    # Only Area/City names: legacy aliases like "EST5EDT" or "posix/..." confuse people.
    names = {
        z for z in available_timezones() if "/" in z and not z.startswith(("posix/", "right/"))
    }
    names.add("UTC")
    return {name.casefold(): name for name in names}


@dataclass(frozen=True)
class ZoneMatch:
    """The zone a text names, or up to three suggestions when it names none."""

    zone: str | None
    suggestions: tuple[str, ...] = ()


def match_zone(text: str) -> ZoneMatch:
    """Match typed text to an IANA zone, accepting any case, spaces for underscores."""
    cleaned = "_".join(text.strip().split()).casefold()
    zones = _zones_by_folded_name()
    if cleaned in zones:
        return ZoneMatch(zones[cleaned])
    if cleaned in ("gmt", "utc", "z"):
        return ZoneMatch("UTC")
    close = difflib.get_close_matches(cleaned, zones.keys(), n=3, cutoff=0.6)
    if not close:
        # People often type only the city: "berlin", "new york".
        by_city = {key.rsplit("/", 1)[-1]: key for key in zones}
        cities = difflib.get_close_matches(cleaned, by_city.keys(), n=3, cutoff=0.75)
        close = [by_city[city] for city in cities]
    return ZoneMatch(None, tuple(zones[c] for c in close))


def zone(name: str) -> ZoneInfo:
    """Return the ZoneInfo for a stored zone name."""
    return ZoneInfo(name)
