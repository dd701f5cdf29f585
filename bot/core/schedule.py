"""Schedule maths: when each user's daily message is due, in their own zone, DST included.

APScheduler's cron trigger fires a 02:30 job twice on an autumn DST change, so the daily
instant is computed here with zoneinfo: a local time that does not exist (spring gap) moves
forward by the gap, an ambiguous one (autumn overlap) takes its first occurrence, and there is
exactly one instant per local date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_HHMM = re.compile(r"^\s*([01]?\d|2[0-3])\s*[:.hH]\s*([0-5]\d)\s*$")


def parse_hhmm(text: str) -> time | None:
    """Parse '9:30', '09:30', '21.15' or '7h05' into a time; None if it is not one."""
    match = _HHMM.match(text)
    if match is None:
        return None
    return time(int(match.group(1)), int(match.group(2)))


def format_hhmm(value: time) -> str:
    """Format a time as HH:MM."""
    return f"{value.hour:02d}:{value.minute:02d}"


def send_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """Return the UTC instant of local time `at` on local date `day`.

    fold=0 gives the first occurrence of an ambiguous time; for a time inside a spring gap it
    is read with the offset from before the change, which lands just after the gap.
    """
    local = datetime.combine(day, at, tzinfo=tz).replace(fold=0)
    return local.astimezone(UTC)


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    """Return the user's local calendar date at an instant."""
    return instant.astimezone(tz).date()


@dataclass(frozen=True)
class Due:
    """A daily delivery: the local date it is for and the UTC instant it is due."""

    day: date
    at: datetime


def first_due_after(after: datetime, at: time, tz: ZoneInfo) -> Due:
    """Return the first daily instant strictly after `after`."""
    day = local_date(after, tz) - timedelta(days=1)
    while True:
        instant = send_instant(day, at, tz)
        if instant > after:
            return Due(day, instant)
        day += timedelta(days=1)


def next_due_from(day: date, at: time, tz: ZoneInfo) -> Due:
    """Return the delivery for the local date after `day`."""
    following = day + timedelta(days=1)
    return Due(following, send_instant(following, at, tz))


def should_send(due: Due, now: datetime, tz: ZoneInfo, catch_up: timedelta) -> bool:
    """Say whether a due delivery is still worth sending at `now`.

    After downtime a user still gets today's messages within the catch-up window, but never
    a previous day's: a 23:00 message is not sent at 01:00 the next morning.
    """
    return due.at <= now and now - due.at <= catch_up and local_date(now, tz) == due.day


def resume_due(due: Due, now: datetime, at: time, tz: ZoneInfo, catch_up: timedelta) -> Due:
    """Return the next delivery to consider after `due` was handled (sent or skipped).

    After long downtime this jumps straight to the first date still inside the catch-up
    window instead of walking every missed day.
    """
    following = next_due_from(due.day, at, tz)
    if following.at >= now - catch_up:
        return following
    return first_due_after(now - catch_up, at, tz)


def pause_until(next_day: date, days: int) -> date:
    """Return the first local date delivered again after pausing `days` deliveries."""
    return next_day + timedelta(days=days)
