"""Which countries to offer for a time zone: those whose clocks agree with it in January and July
(issue 20, item 1), computed from zoneinfo and tzdata's zone.tab, with the shipped book."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.content.countries import load_countries, zone_tables
from bot.core.countries import CountryBook
from bot.core.country_choice import MAX_OFFERED, clock_of, provisional, sharing_clock

YEAR = 2026
BOOK = load_countries()


def codes(zone: str, *, traditional: bool = False) -> list[str]:
    return [c.code for c in sharing_clock(BOOK, zone, YEAR, traditional=traditional)]


def test_shanghai_offers_china_first_then_its_neighbours_on_the_same_clock() -> None:
    assert codes("Asia/Shanghai") == ["CN", "HK", "MO", "TW", "SG", "MY"]


def test_traditional_chinese_lists_hong_kong_taiwan_and_macau_first() -> None:
    assert codes("Asia/Shanghai", traditional=True)[:4] == ["HK", "TW", "MO", "CN"]
    assert codes("Asia/Taipei", traditional=True)[:3] == ["TW", "HK", "MO"]


def test_london_is_shared_with_ireland_portugal_and_the_canaries() -> None:
    """Portugal's mainland keeps London's clock; Spain only in the Canaries, so it comes last."""
    assert codes("Europe/London") == ["GB", "IE", "PT", "ES"]


def test_a_zone_one_country_keeps_offers_just_it() -> None:
    assert codes("Asia/Kolkata") == ["IN"]
    assert codes("Asia/Calcutta") == ["IN"], "an old alias follows its link"


def test_a_zone_with_no_country_offers_none() -> None:
    assert codes("Etc/UTC") == []


def test_the_clocks_come_from_zone_tab_not_a_list() -> None:
    """China keeps two clocks in zone.tab; the book reads them from the tzdata package."""
    assert BOOK.zones_of("CN") == ("Asia/Shanghai", "Asia/Urumqi")
    assert zone_tables().country_zones["PT"][0] == "Europe/Lisbon"


def _offsets(zone: str) -> tuple[object, object]:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    return tuple(
        datetime(YEAR, month, 15, 12, tzinfo=UTC).astimezone(tz).utcoffset() for month in (1, 7)
    )


def test_every_zone_offers_only_countries_on_its_clock() -> None:
    """For every zone the tz database maps: at most 6, no repeats, the zone's own country
    first, each with a zone of its own whose offsets equal the zone's in January and July,
    and a country left out only when the offer is full."""
    for zone in sorted(zone_tables().zones):
        offered = sharing_clock(BOOK, zone, YEAR)
        assert len(offered) <= MAX_OFFERED, zone
        assert len({c.code for c in offered}) == len(offered), zone
        own = BOOK.for_zone(zone)
        if own is not None:
            assert offered[0] == own, zone
        wanted = _offsets(zone)
        agreeing = [c for c in BOOK if any(_offsets(z) == wanted for z in BOOK.zones_of(c.code))]
        assert set(offered) - {own} <= set(agreeing), zone
        assert len(offered) == MAX_OFFERED or set(agreeing) <= set(offered), zone


def test_clock_of_reads_summer_time() -> None:
    winter, summer = clock_of("Europe/London", YEAR)
    assert winter is not None
    assert summer is not None
    assert (winter.total_seconds(), summer.total_seconds()) == (0, 3600)


def test_while_unanswered_the_country_is_kept_only_where_its_clock_agrees() -> None:
    """A Briton moving to Lisbon stays British until they say; to Tokyo, nothing is guessed;
    a zone only one country keeps gives that country."""
    assert provisional(BOOK, "Europe/Lisbon", "GB", YEAR) == "GB"
    assert provisional(BOOK, "Asia/Tokyo", "GB", YEAR) is None
    assert provisional(BOOK, "Asia/Shanghai", None, YEAR) is None
    assert provisional(BOOK, "Asia/Kolkata", None, YEAR) == "IN"
    assert provisional(CountryBook(), "Asia/Kolkata", None, YEAR) is None
