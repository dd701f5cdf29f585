"""Callback data: every action round-trips within 64 bytes; forgeries decode to None."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core import callbacks
from bot.core.callbacks import (
    SHARE_DAYS,
    Action,
    BroadcastChoice,
    Callback,
    CheckinAnswer,
    CountryChoice,
    DeleteChoice,
    DiabetesAnswer,
    DiabetesChoice,
    DoctorSummaryRequest,
    FirstStepAnswer,
    JointsAnswer,
    LanguageChoice,
    PainChoice,
    RedFlagAnswer,
    SettingsChoice,
    SettingsItem,
    ShareDaysChoice,
    ShareNameChoice,
    ShareRevoke,
    SideChoice,
    SiteChoice,
    TimeChoice,
    WarningSignsRequest,
    ZoneChoice,
)
from bot.core.countries import NO_COUNTRY
from bot.core.escalation import PainDuration
from bot.core.i18n import Language
from bot.core.outcomes import PainSite, Side
from bot.core.timezones import COMMON_ZONES
from bot.core.warning_signs import RedFlag

DAY = date(2026, 11, 24)
# The longest zone name in the tz database, to show zone buttons stay under the limit.
LONGEST_ZONE = "America/Argentina/ComodRivadavia"

ONE_OF_EACH: list[Callback] = [
    CheckinAnswer(DAY, 0),
    CheckinAnswer(DAY, 10),
    *(RedFlagAnswer(DAY, flag) for flag in RedFlag),
    *(ZoneChoice(zone) for zone in COMMON_ZONES),
    ZoneChoice(LONGEST_ZONE),
    ZoneChoice(None),
    TimeChoice("07:30"),
    TimeChoice(None),
    CountryChoice("DE"),
    CountryChoice(NO_COUNTRY),
    CountryChoice(None),
    *(DiabetesChoice(answer) for answer in DiabetesAnswer),
    *(PainChoice(duration) for duration in PainDuration),
    PainChoice(None),
    *(SettingsChoice(item) for item in SettingsItem),
    *(SettingsChoice(SettingsItem.WEEKDAY, day) for day in range(7)),
    BroadcastChoice(2**40, send=True),
    BroadcastChoice(7, send=False),
    DeleteChoice(confirm=True),
    DeleteChoice(confirm=False),
    DoctorSummaryRequest(),
    *(DoctorSummaryRequest(language) for language in Language),
    WarningSignsRequest(DAY),
    *(LanguageChoice(language) for language in Language),
    ShareNameChoice(first_name=True),
    ShareNameChoice(first_name=False),
    *(ShareDaysChoice(days) for days in SHARE_DAYS),
    ShareRevoke(2**40),
    *(SiteChoice(site) for site in PainSite),
    SiteChoice(None),
    *(SideChoice(side) for side in Side),
    SideChoice(None),
    JointsAnswer(),
    FirstStepAnswer(DAY, 0),
    FirstStepAnswer(DAY, 10),
    FirstStepAnswer(DAY, None),
]


@pytest.mark.parametrize("callback", ONE_OF_EACH, ids=repr)
def test_every_payload_round_trips_within_64_bytes(callback: Callback) -> None:
    data = callbacks.encode(callback)
    assert len(data.encode("utf-8")) <= callbacks.MAX_BYTES
    assert callbacks.decode(data) == callback


def test_every_action_has_a_payload_in_the_round_trip() -> None:
    assert {callbacks.action_of(c) for c in ONE_OF_EACH} == set(Action)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("ci:2026-11-24:7", CheckinAnswer(DAY, 7)),
        ("rf:2026-11-24:numbness", RedFlagAnswer(DAY, RedFlag.NUMBNESS)),
        ("tz:Europe/London", ZoneChoice("Europe/London")),
        ("tz:other", ZoneChoice(None)),
        ("time:08:00", TimeChoice("08:00")),
        ("dia:skip", DiabetesChoice(DiabetesAnswer.SKIP)),
        ("set:weekday:3", SettingsChoice(SettingsItem.WEEKDAY, 3)),
        ("bc:send:12", BroadcastChoice(12, send=True)),
        ("del:no", DeleteChoice(confirm=False)),
        ("doc:summary", DoctorSummaryRequest()),
        ("cty:US", CountryChoice("US")),
        ("cty:other", CountryChoice(None)),
    ],
)
def test_data_sent_by_earlier_versions_still_decodes(data: str, expected: Callback) -> None:
    assert callbacks.decode(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        "",
        None,
        "zz:1",
        "ci:2026-11-24:11",
        "ci:2026-11-24:-1",
        "ci:not-a-date:3",
        "ci:2026-11-24",
        "rf:2026-11-24:snakebite",
        "tz:",
        "time:soon",
        "dia:maybe",
        "set:colour",
        "set:weekday:7",
        "set:time:3",
        "bc:send:x",
        "bc:explode:3",
        "del:perhaps",
        "doc:other",
        "ws:yesterday",
        "cty:",
        "cty:de",
        "cty:DEU",
        "cty:D1",
        "lang:fr",
        "doc:summary:fr",
        "doc:summary:",
        "lang:",
        "ci:" + "9" * 70,
        "shn:maybe",
        "shd:7",
        "shd:-1",
        "shd:",
        "shr:x",
        "shr:-3",
        "shr:" + "9" * 19,
        "site:knee",
        "site:",
        "side:middle",
        "jnt:yes",
        "jnt:",
        "fs:2026-11-24:11",
        "fs:2026-11-24:",
        "fs:2026-11-24:-1",
        "fs:tomorrow:3",
    ],
)
def test_forged_or_unknown_data_decodes_to_none(data: str | None) -> None:
    assert callbacks.decode(data) is None


@given(st.text(max_size=80))
def test_decode_never_raises(data: str) -> None:
    result = callbacks.decode(data)
    if result is not None:
        assert callbacks.decode(callbacks.encode(result)) == result


def test_encode_refuses_data_over_64_bytes() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        callbacks.encode(ZoneChoice("Z" * 64))


@pytest.mark.parametrize("action", list(Action))
def test_handler_pattern_matches_only_its_action(action: Action) -> None:
    match = callbacks.matches(action)
    for callback in ONE_OF_EACH:
        data = callbacks.encode(callback)
        assert match(data) == (callbacks.action_of(callback) is action)
    assert not match(None)


# Matches a string literal (plain or f-string) that starts like one of our callback actions.
_PREFIXES = "|".join(re.escape(a.value) for a in Action)
_BUILT = re.compile(rf"""(?<![\w.])[fFrR]{{0,2}}["']({_PREFIXES}):""")
_READ = re.compile(r"\bquery\.data\b|\bcallback_query\.data\b")


def test_callback_data_is_built_and_parsed_only_in_the_codec() -> None:
    """No module but bot/core/callbacks.py spells an action prefix or reads raw query data."""
    package = Path(callbacks.__file__).parents[1]
    offenders = []
    for path in sorted(package.rglob("*.py")):
        if path == Path(callbacks.__file__):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            built = _BUILT.search(line)
            read = _READ.search(line) and "callbacks.decode(" not in line
            if built or read:
                offenders.append(f"{path.relative_to(package.parent)}:{number}: {line.strip()}")
    assert offenders == []
