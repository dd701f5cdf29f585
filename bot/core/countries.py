"""The user's own country: its emergency numbers and the words its people use for care.

Pure data and look-ups, no I/O: `bot/content/countries.py` reads the YAML file and the tz
database's zone tables and builds a `CountryBook` from them.

An unknown country is `None`, never a guess: callers then say "your local emergency number".
No code path falls back to another country's numbers.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

# ISO 3166 leaves ZZ to its users; stored as a user's country it means no country is known:
# "mine is not in your list", or a zone several countries share whose country the user has not
# confirmed yet. Either way the time zone does not choose one for them.
NO_COUNTRY = "ZZ"


@dataclass(frozen=True)
class Country:
    """One country's emergency routes, in the words its people use."""

    code: str  # ISO 3166 alpha-2, upper case
    name: str
    emergency: str  # e.g. "999", "911", "112"
    urgent: str | None  # urgent non-emergency line, e.g. "111" (UK), "116117" (DE); None if none
    urgent_name: str | None  # e.g. "NHS 111"
    family_doctor: str  # the usual words, e.g. "GP", "family doctor", "primary care doctor"
    emergency_department: str  # e.g. "A&E", "the emergency room", "the emergency department"
    source: str  # URL backing the numbers
    aliases: tuple[str, ...] = ()  # other names people type, e.g. "UK", "USA"
    # Where to turn when the family doctor is closed, as a clause ("call NHS 111 ..."); None
    # means "call the urgent line" where there is one, else the stated fallback.
    out_of_hours: str | None = None
    # The same words in Chinese; None where the file has none (generic Chinese is used then).
    # urgent_name_zh says what the line is, e.g. "NHS 111（英国……咨询电话）".
    family_doctor_zh: str | None = None
    emergency_department_zh: str | None = None
    urgent_name_zh: str | None = None
    out_of_hours_zh: str | None = None


def fold(text: str) -> str:
    """Return text as compared for look-ups: case, accents and extra spaces ignored."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().replace(".", "").split())


class CountryBook:
    """The countries FootCare knows, and which one each time zone belongs to.

    `zones` maps an IANA zone name to an ISO code; a code with no row in the book (or a zone
    with no code) gives `None`. `country_zones` lists each code's own zones (zone.tab's rows),
    which say which clocks its people keep.
    """

    def __init__(
        self,
        countries: Iterable[Country] = (),
        zones: Mapping[str, str] | None = None,
        country_zones: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        by_code: dict[str, Country] = {}
        for country in countries:
            if country.code in by_code:
                raise ValueError(f"duplicate country code {country.code!r}")
            by_code[country.code] = country
        self._by_code = MappingProxyType(by_code)
        self._zones = MappingProxyType(dict(zones or {}))
        self._country_zones = MappingProxyType(dict(country_zones or {}))
        names: dict[str, Country] = {}
        for country in by_code.values():
            for name in (country.code, country.name, *country.aliases):
                names.setdefault(fold(name), country)
        self._by_name = MappingProxyType(names)

    def get(self, code: str | None) -> Country | None:
        """Return the country with this ISO code (any case), or None."""
        if not code:
            return None
        return self._by_code.get(code.strip().upper())

    def code_for_zone(self, zone: str) -> str | None:
        """Return the ISO code the tz database gives a zone, in the book or not."""
        return self._zones.get(zone)

    def for_zone(self, zone: str) -> Country | None:
        """Return the country of an IANA zone, or None when the zone has none in the book."""
        return self.get(self.code_for_zone(zone))

    def zones_of(self, code: str) -> tuple[str, ...]:
        """Return the zones the tz database lists for a country (zone.tab), in its order."""
        return self._country_zones.get(code, ())

    def in_file_order(self) -> tuple[Country, ...]:
        """Return the countries in the order of the countries file (its editors' order)."""
        return tuple(self._by_code.values())

    def find(self, text: str) -> Country | None:
        """Return the country a user typed: its code, name or another usual name."""
        return self._by_name.get(fold(text)) if text.strip() else None

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Country]:
        return iter(sorted(self._by_code.values(), key=lambda c: c.name))

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.get(code) is not None
