"""Schedule maths: one send per local date at the chosen time, DST gaps and overlaps included."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.schedule import (
    Due,
    first_due_after,
    next_due_from,
    parse_hhmm,
    resume_due,
    send_instant,
    should_send,
)

BERLIN = ZoneInfo("Europe/Berlin")
ZONES = ["Europe/Berlin", "America/New_York", "Australia/Adelaide", "Asia/Kolkata", "UTC",
         "Australia/Lord_Howe", "America/Santiago", "Pacific/Chatham"]  # fmt: skip


def test_spring_gap_moves_forward() -> None:
    """02:30 does not exist on Berlin's spring change day; it is sent at 03:30 local."""
    instant = send_instant(date(2026, 3, 29), time(2, 30), BERLIN)
    assert instant.astimezone(BERLIN).time() == time(3, 30)


def test_autumn_overlap_takes_first_occurrence() -> None:
    """02:30 happens twice on Berlin's autumn change day; the first (summer time) is used."""
    instant = send_instant(date(2026, 10, 25), time(2, 30), BERLIN)
    assert instant == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_first_due_after_is_today_when_time_not_passed() -> None:
    """At 07:00 local, a 09:00 schedule is due today."""
    due = first_due_after(datetime(2026, 11, 24, 6, 0, tzinfo=UTC), time(9, 0), BERLIN)
    assert due.day == date(2026, 11, 24)


def test_first_due_after_is_tomorrow_when_time_passed() -> None:
    """At 10:00 local, a 09:00 schedule is next due tomorrow."""
    due = first_due_after(datetime(2026, 11, 24, 9, 0, tzinfo=UTC), time(9, 0), BERLIN)
    assert due.day == date(2026, 11, 25)


def test_catch_up_sends_today_within_window() -> None:
    """After downtime a message due 3 hours ago is still sent with a 6-hour window."""
    due = Due(date(2026, 11, 24), datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    now = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
    assert should_send(due, now, BERLIN, timedelta(hours=6))


def test_catch_up_never_sends_yesterday() -> None:
    """A 23:00 message missed by downtime is not sent after local midnight."""
    due = Due(date(2026, 11, 24), send_instant(date(2026, 11, 24), time(23, 0), BERLIN))
    now = due.at + timedelta(hours=2)
    assert not should_send(due, now, BERLIN, timedelta(hours=6))


def test_catch_up_window_closes() -> None:
    """A message due more than the window ago is skipped."""
    due = Due(date(2026, 11, 24), datetime(2026, 11, 24, 5, 0, tzinfo=UTC))
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert not should_send(due, now, BERLIN, timedelta(hours=6))


def test_resume_after_long_downtime_jumps_to_window() -> None:
    """After a week of downtime the next delivery considered is today's, not last week's."""
    due = Due(date(2026, 11, 10), send_instant(date(2026, 11, 10), time(9, 0), BERLIN))
    now = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    following = resume_due(due, now, time(9, 0), BERLIN, timedelta(hours=6))
    assert following.day == date(2026, 11, 24)


def test_parse_hhmm_accepts_common_forms() -> None:
    """9:30, 09:30, 21.15 and 7h05 are times; 24:00 and 'noon' are not."""
    assert parse_hhmm("9:30") == time(9, 30)
    assert parse_hhmm(" 21.15 ") == time(21, 15)
    assert parse_hhmm("7h05") == time(7, 5)
    assert parse_hhmm("24:00") is None
    assert parse_hhmm("noon") is None


@settings(max_examples=200, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 15, 30, 45]),
    start=st.dates(date(2025, 1, 1), date(2030, 12, 31)),
)
def test_one_send_per_local_date(zone: str, hour: int, minute: int, start: date) -> None:
    """Walking 400 days gives strictly increasing instants, each on its own local date."""
    tz = ZoneInfo(zone)
    at = time(hour, minute)
    due = first_due_after(datetime.combine(start, time(0), tzinfo=UTC), at, tz)
    previous = None
    for _ in range(400):
        local = due.at.astimezone(tz)
        assert local.date() == due.day
        # Exactly the chosen time, except inside a DST gap where it moves forward by the gap.
        assert local.time() >= at or local.date() != due.day
        if previous is not None:
            assert due.at > previous.at
            assert due.day == previous.day + timedelta(days=1)
        previous = due
        due = next_due_from(due.day, at, tz)
