"""The countries file, its checker (every problem as file:line) and the zone -> country map."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.content.countries import (
    DEFAULT_COUNTRIES_PATH,
    check_report,
    load_countries,
    parse_zone_tables,
)
from bot.content.yamlfile import ContentError
from bot.core import texts
from bot.core.countries import NO_COUNTRY, Country, CountryBook
from bot.core.i18n import ENGLISH as EN

REQUIRED = (
    *("GB", "IE", "US", "CA", "AU", "NZ", "DE", "FR", "ES", "IT", "NL", "BE", "AT", "CH", "SE"),
    *("NO", "DK", "FI", "PL", "PT", "CZ", "GR", "IN", "CN", "HK", "TW", "SG", "MY", "JP", "KR"),
    *("PH", "ID", "TH", "VN", "ZA", "NG", "KE", "BR", "MX", "AR", "AE", "IL", "TR"),
)

GERMANY = """\
- code: DE
  name: Germany
  emergency: "112"
  urgent: "116117"
  urgent_name: Patientenservice 116117
  family_doctor: family doctor
  emergency_department: the emergency department
  source: https://www.116117.de/
  urgent_name_zh: Patientenservice 116117（德国的医疗值班热线）
"""


def row(**changes: str | None) -> str:
    """Return one valid row (Germany) with keys replaced (a value) or removed (None)."""
    lines = []
    for line in GERMANY.splitlines():
        key = line.removeprefix("- ").strip().partition(":")[0]
        if key in changes:
            value = changes[key]
            if value is None:
                continue
            line = f"{line.partition(':')[0]}: {value}"
        lines.append(line)
    return "\n".join(lines) + "\n"


Writer = Callable[[str], Path]


@pytest.fixture
def write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Writer:
    """Write countries.yaml in a temp folder so reports read `countries.yaml:N`."""
    monkeypatch.chdir(tmp_path)

    def _write(text: str) -> Path:
        path = Path("countries.yaml")
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


def problems(path: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_countries(path)
    return [str(p) for p in caught.value.problems]


# --- the shipped file ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def book() -> CountryBook:
    return load_countries()


def test_the_shipped_file_has_every_required_country(book: CountryBook) -> None:
    assert len(book) >= 40
    assert [code for code in REQUIRED if book.get(code) is None] == []


def test_every_shipped_row_has_an_https_source_and_digit_numbers(book: CountryBook) -> None:
    for country in book:
        assert country.source.startswith("https://"), country.code
        assert country.emergency.isdigit(), country.code
        assert country.urgent is None or country.urgent.isdigit(), country.code
        assert (country.urgent is None) == (country.urgent_name is None), country.code


def test_no_country_confirmation_says_doctor(book: CountryBook) -> None:
    """The /country confirmation is routine and shows urgent_name; 'doctor' is reserved."""
    said = {
        c.code: texts.country_set(EN, c.name, c.emergency, c.urgent, c.urgent_name) for c in book
    }
    assert [code for code, text in said.items() if "doctor" in text.lower()] == []


@pytest.mark.parametrize(
    ("zone", "code"),
    [
        ("America/New_York", "US"),
        ("Europe/London", "GB"),
        ("Asia/Shanghai", "CN"),
        ("Asia/Kolkata", "IN"),
        ("Australia/Sydney", "AU"),
        ("Europe/Oslo", "NO"),  # zone.tab names Norway although the clock is Berlin's
        ("Asia/Calcutta", "IN"),  # an old alias follows its link to one country
        ("US/Eastern", "US"),
        ("Etc/UTC", None),
        ("UTC", None),
        ("Atlantic/Jan_Mayen", None),  # links to Europe/Berlin, which five countries share
        ("Asia/Kathmandu", None),  # Nepal: a country, but not in the file
        ("Mars/Olympus_Mons", None),
    ],
)
def test_for_zone(book: CountryBook, zone: str, code: str | None) -> None:
    country = book.for_zone(zone)
    assert (country.code if country else None) == code


def test_the_default_path_is_the_packaged_file() -> None:
    assert DEFAULT_COUNTRIES_PATH.name == "countries.yaml"
    assert DEFAULT_COUNTRIES_PATH.is_file()


def test_check_report_ok_on_the_shipped_file() -> None:
    code, report = check_report()
    assert code == 0
    assert report.startswith("OK: ")


# --- the checker --------------------------------------------------------------------------------


def test_a_good_file_loads(write: Writer) -> None:
    book = load_countries(write(GERMANY))
    germany = book.get("de")
    assert germany == Country(
        "DE",
        "Germany",
        "112",
        "116117",
        "Patientenservice 116117",
        "family doctor",
        "the emergency department",
        "https://www.116117.de/",
        urgent_name_zh="Patientenservice 116117（德国的医疗值班热线）",
    )
    assert book.for_zone("Europe/Berlin") == germany
    assert book.for_zone("Europe/Paris") is None, "France is not in this file"


def test_a_missing_field_is_reported(write: Writer) -> None:
    assert problems(write(row(emergency=None))) == [
        "countries.yaml:1: country #1 (DE) is missing 'emergency'"
    ]


def test_a_missing_urgent_asks_for_null(write: Writer) -> None:
    [problem] = problems(write(row(urgent=None, urgent_name="null", urgent_name_zh=None)))
    assert problem.startswith("countries.yaml:1: country #1 (DE) is missing 'urgent'")
    assert "null" in problem


def test_a_duplicate_code_names_the_first(write: Writer) -> None:
    assert problems(write(GERMANY + GERMANY)) == [
        "countries.yaml:10: duplicate code 'DE' (first at countries.yaml:1)"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"1 1 2"', "emergency must be digits only (2 to 15, no spaces), got '1 1 2'"),
        ('"+49112"', "emergency must be digits only (2 to 15, no spaces), got '+49112'"),
        ('"#7119"', "emergency must be digits only (2 to 15, no spaces), got '#7119'"),
        ("112", 'emergency must be quoted digits, e.g. "112", got a YAML number'),
        ("000", 'emergency must be quoted digits, e.g. "0", got a YAML number'),
    ],
)
def test_a_number_that_is_not_digits(write: Writer, value: str, message: str) -> None:
    assert problems(write(row(emergency=value))) == [f"countries.yaml:3: {message}"]


def test_urgent_is_checked_like_emergency(write: Writer) -> None:
    assert problems(write(row(urgent='"116 117"'))) == [
        "countries.yaml:4: urgent must be digits only (2 to 15, no spaces), got '116 117'"
    ]


def test_urgent_and_its_name_go_together(write: Writer) -> None:
    assert problems(write(row(urgent="null", urgent_name_zh=None))) == [
        "countries.yaml:1: country #1 (DE): urgent and urgent_name go together (both or neither)"
    ]


@pytest.mark.parametrize(
    "source", ["http://www.116117.de/", "www.116117.de", "https://", '"https://x.de/a b"', "42"]
)
def test_a_source_that_is_not_https(write: Writer, source: str) -> None:
    [problem] = problems(write(row(source=source)))
    assert problem.startswith("countries.yaml:8: source must be an https:// URL")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("XX", "unknown ISO code 'XX' (not in the tz database's iso3166.tab)"),
        (NO_COUNTRY, f"unknown ISO code '{NO_COUNTRY}' (not in the tz database's iso3166.tab)"),
        ("de", "code must be two capital letters (ISO 3166 alpha-2), got 'de'"),
        ("DEU", "code must be two capital letters (ISO 3166 alpha-2), got 'DEU'"),
        # YAML 1.1 reads a bare NO (Norway) as false: the checker says so instead of crashing.
        ("NO", "code must be two capital letters (ISO 3166 alpha-2), got False"),
    ],
)
def test_an_unknown_iso_code(write: Writer, code: str, message: str) -> None:
    assert problems(write(row(code=code))) == [f"countries.yaml:1: {message}"]


def test_an_unknown_key_and_an_empty_name(write: Writer) -> None:
    text = row(name="") + "  phone: 112\n"
    assert problems(write(text)) == [
        "countries.yaml:2: name must not be empty",
        "countries.yaml:10: unknown key 'phone' (allowed: code, name, emergency, urgent, "
        "urgent_name, family_doctor, emergency_department, source, aliases, out_of_hours, "
        "family_doctor_zh, emergency_department_zh, urgent_name_zh, out_of_hours_zh)",
    ]


def test_two_countries_may_not_share_a_name(write: Writer) -> None:
    austria = row(code="AT", name="Austria").replace("- code: AT", "- code: AT\n  aliases: [DE]")
    assert problems(write(GERMANY + austria)) == [
        "countries.yaml:10: name 'DE' is also DE's (at countries.yaml:1)"
    ]


def test_every_problem_of_the_file_is_reported_at_once(write: Writer) -> None:
    text = row(emergency="112") + row(code="XX", source="http://x.example/")
    assert len(problems(write(text))) == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code: DE\n", "countries.yaml:1: top level must be a list of countries, got dict"),
        ("[]\n", "countries.yaml:1: no countries found"),
        ("- just a name\n", "countries.yaml:1: country #1 must be a mapping, got str"),
        (
            "- code: [DE\n",
            "countries.yaml:2: bad YAML: expected ',' or ']', but got '<stream end>'",
        ),
    ],
)
def test_a_file_of_the_wrong_shape(write: Writer, text: str, message: str) -> None:
    assert problems(write(text)) == [message]


def test_check_report_lists_problems_and_counts_them(write: Writer) -> None:
    path = write(row(emergency="112", source="http://x.example/"))
    code, report = check_report(path)
    assert code == 1
    lines = report.splitlines()
    assert lines[-1] == "2 problems found in countries.yaml"
    assert all(line.startswith("countries.yaml:") for line in lines[:-1])


def test_an_urgent_line_needs_its_name_in_chinese(write: Writer) -> None:
    """A Chinese reader must be told what the line is, in Chinese (issue 20)."""
    assert problems(write(row(urgent_name_zh=None))) == [
        "countries.yaml:1: country #1 (DE) has urgent but no urgent_name_zh (its words in Chinese)"
    ]


def test_out_of_hours_needs_its_chinese_and_chinese_must_be_chinese(write: Writer) -> None:
    text = row() + "  family_doctor_zh: GP\n  out_of_hours: call your GP's out-of-hours line\n"
    assert problems(write(text)) == [
        "countries.yaml:1: country #1 (DE) has out_of_hours but no out_of_hours_zh (its words "
        "in Chinese)",
        "countries.yaml:10: family_doctor_zh must be written in Chinese, got 'GP'",
    ]


def test_chinese_words_without_the_english_they_translate_are_refused(write: Writer) -> None:
    text = row() + "  out_of_hours_zh: 联系当地的值班诊所\n"
    assert problems(write(text)) == ["countries.yaml:10: out_of_hours_zh without out_of_hours"]


def test_another_countrys_number_in_the_words_is_refused(write: Writer) -> None:
    """Words naming a number the file gives another country could send a user to it."""
    france = row(code="FR", name="France", emergency='"15"', urgent="null", urgent_name="null")
    france = france.replace("  urgent_name_zh: Patientenservice 116117（德国的医疗值班热线）\n", "")
    germany = row(urgent_name="Patientenservice 116117, or 15 in France")
    assert problems(write(germany + france)) == [
        "countries.yaml:5: urgent_name names 15, another country's number"
    ]


def test_the_shipped_words_cover_the_chinese_speaking_places(book: CountryBook) -> None:
    """Chinese readers in these places get their own words for the doctor and the hospital."""
    for code in ("CN", "HK", "TW", "SG", "MY"):
        country = book.get(code)
        assert country is not None
        assert country.family_doctor_zh, code
        assert country.emergency_department_zh, code


def test_uk_out_of_hours_names_northern_irelands_own_service(book: CountryBook) -> None:
    """NHS 111 does not cover Northern Ireland, whose zone is Europe/London (issue 20)."""
    uk = book.get("GB")
    assert uk is not None
    assert uk.out_of_hours is not None
    assert (
        "NHS 111 (NHS 24 in Scotland); in Northern Ireland, your GP out-of-hours service"
        in uk.out_of_hours
    )


# --- the zone tables ----------------------------------------------------------------------------

ZONE_TAB = "# comment\nNO\t+5955+01045\tEurope/Oslo\nDE\t+5230+01322\tEurope/Berlin\tmost\n"
ZONE1970_TAB = "DE,DK,NO,SE,SJ\t+5230+01322\tEurope/Berlin\nIN\t+2232+08822\tAsia/Kolkata\n"
ISO3166_TAB = "# codes\nDE\tGermany\nIN\tIndia\nNO\tNorway\n"
TZDATA_ZI = (
    "# version\nZ Europe/Berlin 0:53:28 - LMT 1893 Ap\n"
    "L Europe/Berlin Europe/Oslo\nL Europe/Berlin Atlantic/Jan_Mayen\n"
    "L Asia/Kolkata Asia/Calcutta\nL Asia/Calcutta Asia/Old_Calcutta\n"
)


def test_zone_tables_follow_links_only_to_one_country() -> None:
    tables = parse_zone_tables(ZONE_TAB, ZONE1970_TAB, ISO3166_TAB, TZDATA_ZI)
    assert tables.iso_codes == {"DE", "IN", "NO"}
    assert tables.zones == {
        "Europe/Oslo": "NO",  # zone.tab first
        "Europe/Berlin": "DE",
        "Asia/Kolkata": "IN",
        "Asia/Calcutta": "IN",
        "Asia/Old_Calcutta": "IN",  # a chain of links
    }


# --- the book -----------------------------------------------------------------------------------


def _country(code: str, name: str, *aliases: str) -> Country:
    return Country(code, name, "112", None, None, "GP", "A&E", "https://x.example/", aliases)


def test_the_book_finds_by_code_name_or_alias_in_any_case_or_accent() -> None:
    turkey = _country("TR", "Türkiye", "Turkey")
    book = CountryBook([turkey, _country("GB", "United Kingdom", "UK")], {"Europe/Istanbul": "TR"})
    for typed in ("TR", "tr", " türkiye ", "TURKIYE", "turkey"):
        assert book.find(typed) == turkey, typed
    assert book.find("U.K.") == book.get("GB")
    assert book.find("") is None
    assert book.find("Narnia") is None
    assert book.get(None) is None
    assert book.get(" gb ") == book.get("GB")
    assert [c.code for c in book] == ["TR", "GB"], "sorted by name"
    assert "TR" in book
    assert NO_COUNTRY not in book
    assert book.for_zone("Europe/Istanbul") == turkey


def test_a_zone_whose_country_is_not_in_the_book_gives_none() -> None:
    book = CountryBook([_country("GB", "United Kingdom")], {"Asia/Kathmandu": "NP"})
    assert book.code_for_zone("Asia/Kathmandu") == "NP"
    assert book.for_zone("Asia/Kathmandu") is None


def test_the_book_refuses_a_duplicate_code() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        CountryBook([_country("GB", "UK"), _country("GB", "Britain")])


def test_an_empty_book_knows_nothing() -> None:
    book = CountryBook()
    assert len(book) == 0
    assert book.for_zone("Europe/London") is None
