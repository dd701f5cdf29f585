"""The outcome record file: one row per answer, codes not sentences, late days marked, the
user's words kept as text and never run as a spreadsheet formula; in /export only for users
who used the outcome measures."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.clock import FakeClock
from bot.composition import Content
from bot.content.catalogs import packaged_catalogs
from bot.core.i18n import Language
from bot.core.outcomes import (
    Activity,
    ActivityRating,
    FootProfile,
    GlobalChange,
    MonthlyAnswer,
    PainEntry,
    PainSite,
    Side,
)
from bot.core.replies import Document
from bot.features.my_data import MyData
from bot.features.outcomes import words
from bot.features.outcomes.record import COLUMNS, outcomes_csv, spreadsheet_safe
from bot.store import Store
from bot.store.users import UserPatch
from tests.features.conftest import onboard

TODAY = date(2026, 11, 24)
START = TODAY - timedelta(days=30)
ZH = packaged_catalogs()[Language.ZH]


def read(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_every_answer_is_one_dated_row() -> None:
    walk = Activity(
        1,
        "walk the dog",
        START,
        dropped_on=TODAY,
        ratings=(ActivityRating(START, 3), ActivityRating(START + timedelta(days=14), 6)),
    )
    text = outcomes_csv(
        FootProfile(PainSite.UNDER_HEEL, Side.BOTH, started_on=START),
        [PainEntry(START, 7), PainEntry(START + timedelta(days=1), 6, filled_late=True)],
        [PainEntry(START, 5, filled_late=True)],
        [walk],
        [MonthlyAnswer(TODAY, True, GlobalChange.MUCH_BETTER), MonthlyAnswer(TODAY - timedelta(1))],
    )
    rows = [tuple(r.values()) for r in read(text)]
    start, later = START.isoformat(), (START + timedelta(days=14)).isoformat()
    assert rows == [
        (start, "pain_site", "", "under_heel", ""),
        (start, "side", "", "both", ""),
        (start, "first_step_pain", "", "7", "0"),
        (start, "daily_pain", "", "5", "1"),
        (start, "activity_added", "walk the dog", "", ""),
        (start, "activities", "walk the dog", "3", ""),
        ((START + timedelta(days=1)).isoformat(), "first_step_pain", "", "6", "1"),
        (later, "activities", "walk the dog", "6", ""),
        (TODAY.isoformat(), "activity_dropped", "walk the dog", "", ""),
        (TODAY.isoformat(), "acceptable", "", "yes", ""),
        (TODAY.isoformat(), "global_change", "", "much_better", ""),
    ]
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert text.endswith("\r\n")


def test_a_name_that_looks_like_a_formula_is_kept_as_text() -> None:
    for typed in ('=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)"):
        assert spreadsheet_safe(typed) == f"'{typed}"
    assert spreadsheet_safe("walk <b>the</b> dog") == "walk <b>the</b> dog"


names = st.text(min_size=1, max_size=60)


@given(name=names)
def test_any_name_round_trips_and_never_starts_a_formula(name: str) -> None:
    """Commas, quotes, line breaks and markup survive the CSV; a formula start always gets
    its apostrophe."""
    activity = Activity(1, name, START, ratings=(ActivityRating(START, 4),))
    [added, rated] = read(outcomes_csv(None, [], [], [activity], []))
    assert added["activity"] == rated["activity"] == spreadsheet_safe(name)
    cell = rated["activity"]
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell in (name, f"'{name}")


async def test_export_adds_the_outcome_file_only_for_users_who_used_it(
    store: Store, clock: FakeClock, content: Content
) -> None:
    """Skipping every outcome question leaves /export as it was: one file."""
    await onboard(store, clock)
    my_data = MyData(store, clock, content.rules, packaged_catalogs())
    await store.diary.record_checkin(1, TODAY, 4)
    assert len((await my_data.export(1)).messages) == 1

    await store.outcomes.save_profile(1, FootProfile(site=PainSite.ACHILLES), TODAY)
    await store.outcomes.record_late_checkin(1, TODAY - timedelta(days=1), 6)
    [days, record] = (await my_data.export(1)).messages
    assert isinstance(days, Document)
    assert isinstance(record, Document)
    assert record.filename == f"footcare-outcomes-{TODAY.isoformat()}.csv"
    rows = read(record.data.decode())
    assert {r["measure"]: r["value"] for r in rows}["pain_site"] == "achilles"
    assert [r["filled_late"] for r in rows if r["measure"] == "daily_pain"] == ["1", "0"]


async def test_a_late_check_in_alone_brings_the_file(
    store: Store, clock: FakeClock, content: Content
) -> None:
    """The late flag is stored data: it reaches /export even with no other outcome answer."""
    await onboard(store, clock)
    await store.outcomes.record_late_checkin(1, TODAY - timedelta(days=1), 6)
    messages = (await MyData(store, clock, content.rules).export(1)).messages
    assert len(messages) == 2


async def test_a_chinese_reader_gets_chinese_headers_and_the_same_codes(
    store: Store, clock: FakeClock, content: Content
) -> None:
    await onboard(store, clock)
    await store.users.update(1, UserPatch(language_code="zh"))
    activity = await store.outcomes.add_activity(1, "遛狗", TODAY, limit=3)
    assert activity is not None
    await store.outcomes.rate_activity(1, activity.activity_id, TODAY, 5)
    my_data = MyData(store, clock, content.rules, packaged_catalogs())
    [_, record] = (await my_data.export(1)).messages
    assert isinstance(record, Document)
    assert record.caption == ZH.gettext(words.EXPORT_CAPTION) != words.EXPORT_CAPTION
    header, *rows = list(csv.reader(io.StringIO(record.data.decode())))
    assert header == ["日期", "指标", "活动", "数值", "隔天补填"]
    assert rows == [
        [TODAY.isoformat(), "activity_added", "遛狗", "", ""],
        [TODAY.isoformat(), "activities", "遛狗", "5", ""],
    ]
