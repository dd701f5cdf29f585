"""Load countries.yaml and the tz database's zone tables into a CountryBook.

The zone -> country mapping comes from the `tzdata` package's own tables, read once at start:
`zone.tab` names one country for each zone it lists (Europe/Oslo is Norway even though its
clock is Berlin's); a zone it does not list (an old alias such as Asia/Calcutta or US/Eastern)
follows its link in `tzdata.zi` to a canonical zone and takes that zone's country only when
`zone1970.tab` gives it exactly one. An alias whose zone several countries share
(Atlantic/Jan_Mayen -> Europe/Berlin: DE, DK, NO, SE, SJ) gets no country rather than a guess.
`iso3166.tab` is the list of codes the validator accepts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.content.yamlfile import ContentError, PathKey, Problem, YamlDoc, read_yaml
from bot.core.countries import Country, CountryBook, fold

DEFAULT_COUNTRIES_PATH = Path(__file__).parent / "countries.yaml"

_REQUIRED = (
    "code",
    "name",
    "emergency",
    "urgent",
    "urgent_name",
    "family_doctor",
    "emergency_department",
    "source",
)
# Optional words: where to go when the family doctor is closed, and the Chinese for each word.
_WORDS_ZH = ("family_doctor_zh", "emergency_department_zh", "urgent_name_zh", "out_of_hours_zh")
_KEYS = (*_REQUIRED, "aliases", "out_of_hours", *_WORDS_ZH)
_CODE = re.compile(r"[A-Z]{2}")
_NUMBER = re.compile(r"[0-9]{2,15}")
_WHOLE_NUMBER = re.compile(r"(?<![0-9])[0-9]+(?![0-9])")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_MAX_LINK_HOPS = 10  # links in tzdata.zi point at a zone directly; this only stops a cycle


@dataclass(frozen=True)
class ZoneTables:
    """What the tz database says about countries: their codes and each zone's country."""

    iso_codes: frozenset[str]
    zones: Mapping[str, str]  # IANA zone -> ISO code
    # ISO code -> its zone.tab zones, in the file's order: which clocks each country keeps.
    country_zones: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


def parse_zone_tables(
    zone_tab: str, zone1970_tab: str, iso3166_tab: str, tzdata_zi: str
) -> ZoneTables:
    """Build the zone -> country mapping from the text of the four tzdata files."""
    direct = {row[2]: row[0] for row in _rows(zone_tab) if len(row) >= 3}
    by_country: dict[str, list[str]] = {}
    for zone, code in direct.items():
        by_country.setdefault(code, []).append(zone)
    shared = {row[2]: row[0].split(",") for row in _rows(zone1970_tab) if len(row) >= 3}
    links: dict[str, str] = {}
    for line in tzdata_zi.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L":
            links[parts[2]] = parts[1]
    zones = dict(direct)
    for name in (*shared, *links):
        if name in zones:
            continue
        target = name
        for _ in range(_MAX_LINK_HOPS):
            if target not in links:
                break
            target = links[target]
        codes = shared.get(target, [])
        if len(codes) == 1:
            zones[name] = codes[0]
    iso_codes = frozenset(row[0] for row in _rows(iso3166_tab) if row and row[0])
    country_zones = {code: tuple(names) for code, names in by_country.items()}
    return ZoneTables(iso_codes, zones, country_zones)


def _tzdata_text(name: str) -> str:
    return (resources.files("tzdata") / "zoneinfo" / name).read_text(encoding="utf-8")


@cache
def zone_tables() -> ZoneTables:
    """Read the tzdata package's tables once; raise ContentError if they cannot be read."""
    names = ("zone.tab", "zone1970.tab", "iso3166.tab", "tzdata.zi")
    texts: list[str] = []
    for name in names:
        try:
            texts.append(_tzdata_text(name))
        except (ImportError, OSError, UnicodeDecodeError) as exc:
            where = f"tzdata/zoneinfo/{name}"
            raise ContentError([Problem(where, 0, f"cannot read the tz database: {exc}")]) from exc
    return parse_zone_tables(*texts)


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


class _Checker:
    """Collect every problem in the file while building the countries that are valid."""

    def __init__(self, doc: YamlDoc, iso_codes: frozenset[str]) -> None:
        self.doc = doc
        self.iso_codes = iso_codes
        self.problems: list[Problem] = []
        self.countries: list[Country] = []
        self.codes: dict[str, int] = {}  # code -> line of its first row
        self.names: dict[str, tuple[str, int]] = {}  # folded name -> (code, line)

    def report(self, path: PathKey, message: str) -> None:
        self.problems.append(self.doc.problem(path, message))

    def check(self) -> None:
        data = self.doc.data
        if not isinstance(data, list):
            self.report((), f"top level must be a list of countries, got {_kind(data)}")
            return
        if not data:
            self.report((), "no countries found")
        for index, item in enumerate(data):
            country = self.check_row(index, item)
            if country is not None:
                self.countries.append(country)

    def check_row(self, index: int, item: Any) -> Country | None:
        path: PathKey = (index,)
        if not isinstance(item, dict):
            self.report(path, f"country #{index + 1} must be a mapping, got {_kind(item)}")
            return None
        before = len(self.problems)
        label = f"country #{index + 1}" + (f" ({item['code']})" if "code" in item else "")
        for key in item:
            if str(key) not in _KEYS:
                allowed = ", ".join(_KEYS)
                self.report((*path, str(key)), f"unknown key {key!r} (allowed: {allowed})")
        for key in _REQUIRED:
            if key not in item:
                hint = " (write `null` where there is none)" if key.startswith("urgent") else ""
                self.report(path, f"{label} is missing {key!r}{hint}")
        code = self.check_code(path, item.get("code"))
        name = self.check_text(path, "name", item.get("name"))
        emergency = self.check_number(path, "emergency", item.get("emergency"))
        urgent = self.check_number(path, "urgent", item.get("urgent"), optional=True)
        urgent_name = self.check_text(path, "urgent_name", item.get("urgent_name"), optional=True)
        raw_urgent, raw_name = item.get("urgent"), item.get("urgent_name")
        if (
            "urgent" in item
            and "urgent_name" in item
            and (raw_urgent is None) != (raw_name is None)
        ):
            self.report(path, f"{label}: urgent and urgent_name go together (both or neither)")
        family_doctor = self.check_text(path, "family_doctor", item.get("family_doctor"))
        department = self.check_text(path, "emergency_department", item.get("emergency_department"))
        source = self.check_source(path, item.get("source"))
        aliases = self.check_aliases(path, item.get("aliases"))
        out_of_hours = self.check_text(
            path, "out_of_hours", item.get("out_of_hours"), optional=True
        )
        zh = {key: self.check_zh(path, key, item.get(key)) for key in _WORDS_ZH}
        # A Chinese reader must learn what a line is, and where to go out of hours, in Chinese.
        for key, needs in (("urgent_name_zh", "urgent"), ("out_of_hours_zh", "out_of_hours")):
            if item.get(needs) is not None and item.get(key) is None:
                self.report(path, f"{label} has {needs} but no {key} (its words in Chinese)")
            if item.get(needs) is None and item.get(key) is not None:
                self.report((*path, key), f"{key} without {needs}")
        if code is not None and name is not None:
            self.check_names(path, code, (name, *aliases))
        if len(self.problems) > before:
            return None
        if None in (code, name, emergency, family_doctor, department, source):
            return None
        return Country(
            code=str(code),
            name=str(name),
            emergency=str(emergency),
            urgent=urgent,
            urgent_name=urgent_name,
            family_doctor=str(family_doctor),
            emergency_department=str(department),
            source=str(source),
            aliases=aliases,
            out_of_hours=out_of_hours,
            **zh,
        )

    def check_zh(self, path: PathKey, key: str, value: Any) -> str | None:
        text = self.check_text(path, key, value, optional=True)
        if text is not None and not _CJK.search(text):
            self.report((*path, key), f"{key} must be written in Chinese, got {value!r}")
            return None
        return text

    def check_numbers_in_words(self) -> None:
        """Refuse another country's phone number inside a row's words (a wrong number to call)."""
        numbers = {c.code: {c.emergency, c.urgent} - {None} for c in self.countries}
        every = set().union(*numbers.values()) if numbers else set()
        rows = self.doc.data if isinstance(self.doc.data, list) else []
        for index, country in enumerate(self.countries_by_row(rows)):
            if country is None:
                continue
            for key in ("urgent_name", "out_of_hours", *_WORDS_ZH):
                text = getattr(country, key) or ""
                for found in _WHOLE_NUMBER.findall(text):
                    if found in every and found not in numbers[country.code]:
                        message = f"{key} names {found}, another country's number"
                        self.report((index, key), message)

    def countries_by_row(self, rows: list[Any]) -> list[Country | None]:
        by_code = {c.code: c for c in self.countries}
        return [
            by_code.get(str(row.get("code"))) if isinstance(row, dict) else None for row in rows
        ]

    def check_code(self, path: PathKey, value: Any) -> str | None:
        where = (*path, "code")
        if value is None:
            return None
        if not isinstance(value, str) or not _CODE.fullmatch(value):
            self.report(
                where, f"code must be two capital letters (ISO 3166 alpha-2), got {value!r}"
            )
            return None
        if value not in self.iso_codes:
            self.report(where, f"unknown ISO code {value!r} (not in the tz database's iso3166.tab)")
            return None
        line = self.doc.line(where)
        first = self.codes.get(value)
        if first is not None:
            self.report(where, f"duplicate code {value!r} (first at {self.doc.file}:{first})")
            return None
        self.codes[value] = line
        return value

    def check_text(
        self, path: PathKey, key: str, value: Any, *, optional: bool = False
    ) -> str | None:
        where = (*path, key)
        if value is None:
            if not optional and where in self.doc.lines:
                self.report(where, f"{key} must not be empty")
            return None
        if not isinstance(value, str) or not value.strip():
            self.report(where, f"{key} must be non-empty text, got {value!r}")
            return None
        return value.strip()

    def check_number(
        self, path: PathKey, key: str, value: Any, *, optional: bool = False
    ) -> str | None:
        where = (*path, key)
        if value is None:
            if not optional and where in self.doc.lines:
                self.report(where, f"{key} must not be empty")
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            # YAML reads 000 as 0 and 0800 as octal: a number is only safe as quoted text.
            self.report(where, f'{key} must be quoted digits, e.g. "{value}", got a YAML number')
            return None
        if not isinstance(value, str) or not _NUMBER.fullmatch(value):
            self.report(where, f"{key} must be digits only (2 to 15, no spaces), got {value!r}")
            return None
        return value

    def check_source(self, path: PathKey, value: Any) -> str | None:
        where = (*path, "source")
        if value is None:
            if where in self.doc.lines:
                self.report(where, "source must not be empty")
            return None
        parts = urlsplit(value) if isinstance(value, str) else None
        if parts is None or parts.scheme != "https" or not parts.netloc or " " in value:
            self.report(where, f"source must be an https:// URL, got {value!r}")
            return None
        return str(value)

    def check_aliases(self, path: PathKey, value: Any) -> tuple[str, ...]:
        where = (*path, "aliases")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.report(where, f"aliases must be a list of names, got {_kind(value)}")
            return ()
        aliases: list[str] = []
        for i, alias in enumerate(value):
            if not isinstance(alias, str) or not alias.strip():
                self.report((*where, i), f"alias #{i + 1} must be non-empty text")
            else:
                aliases.append(alias.strip())
        return tuple(aliases)

    def check_names(self, path: PathKey, code: str, names: tuple[str, ...]) -> None:
        line = self.doc.line(path)
        for name in (code, *names):
            key = fold(name)
            seen = self.names.get(key)
            if seen is not None and seen[0] != code:
                other, other_line = seen
                message = f"name {name!r} is also {other}'s (at {self.doc.file}:{other_line})"
                self.report(path, message)
            else:
                self.names.setdefault(key, (code, line))


def load_countries(path: Path | None = None) -> CountryBook:
    """Load and check the countries file (the packaged one by default); raise ContentError."""
    tables = zone_tables()
    doc = read_yaml(path or DEFAULT_COUNTRIES_PATH)
    checker = _Checker(doc, tables.iso_codes)
    checker.check()
    checker.check_numbers_in_words()
    if checker.problems:
        raise ContentError(checker.problems)
    return CountryBook(checker.countries, tables.zones, tables.country_zones)


def check_report(path: Path | None = None) -> tuple[int, str]:
    """Check the countries file; return an exit code and a report to print."""
    shown = path or DEFAULT_COUNTRIES_PATH
    try:
        book = load_countries(shown)
    except ContentError as exc:
        count = len(exc.problems)
        lines = [str(problem) for problem in exc.problems]
        lines.append(f"{count} problem{'' if count == 1 else 's'} found in {shown}")
        return 1, "\n".join(lines)
    zones = sum(1 for zone in zone_tables().zones if book.for_zone(zone) is not None)
    with_urgent = sum(1 for country in book if country.urgent is not None)
    return 0, (
        f"OK: {len(book)} countries, each with a source; {with_urgent} with an urgent "
        f"advice line; {zones} time zones map to one of them"
    )
