"""Typed time zones: any case, spaces for underscores, close matches on typos."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.core.timezones import COMMON_ZONES, ZoneMatch, match_zone


def test_exact_name_any_case() -> None:
    """'europe/BERLIN' is Europe/Berlin."""
    assert match_zone("europe/BERLIN").zone == "Europe/Berlin"


def test_spaces_stand_for_underscores() -> None:
    """'America/New York' is America/New_York."""
    assert match_zone("America/New York").zone == "America/New_York"


def test_typo_gets_suggestions_not_a_guess() -> None:
    """'Europe/Berln' is not accepted but suggests Europe/Berlin first."""
    found = match_zone("Europe/Berln")
    assert found.zone is None
    assert found.suggestions[0] == "Europe/Berlin"


def test_city_alone_is_suggested() -> None:
    """'kolkata' suggests Asia/Kolkata."""
    assert match_zone("kolkata").suggestions == ("Asia/Kolkata",)


def test_nonsense_has_no_suggestions() -> None:
    """'xyzzy' matches nothing."""
    assert match_zone("xyzzy") == ZoneMatch(None, ())


def test_common_zones_exist() -> None:
    """Every onboarding button names a real zone."""
    for name in COMMON_ZONES:
        ZoneInfo(name)
