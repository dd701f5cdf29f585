"""Generate a FootCare database of many subscribers with weeks of history, in bulk.

Not through the bot: rows go straight into the schema that `Store.open` made (so the tree whose
`bot` package is imported decides the schema), with SQLite's journal off. It takes minutes for
a million users, not the hours the dispatcher would. What a running bot would hold after `days`
days of one daily message each, 70% answering:

- `users`: ids scattered like Telegram's, 80% English, five time zones whose send times all
  fall on DUE (09:00 UTC): everyone is due in the same minute, and, as the bot stores
  `next_due_utc` at the start of the minute, in the same second;
- `tip_deliveries`: one tip a day from a per-user order over the shipped tip ids;
- `checkins`: a score on 70% of days;
- `outbox`: the last 8 days' daily messages, sent (the bot prunes older ones), with a weekly
  chart on each user's weekly day, bodies shared in `outbox_payloads`;
- a few escalations.

Rows are inserted day by day, as the bot adds them, so every B-tree grows the way it does in
use (pages part full where rows land between others), not packed as a sorted bulk load is.

`python bench/scale_db.py --users 1000000 --days 35 --out /tmp/x.db` writes one file; the scale
bench calls `generate()`.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import hashlib
import itertools
import random
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import FakeClock
from bot.composition import load_content
from bot.core import texts
from bot.core.i18n import ENGLISH_ONLY
from bot.core.outbox import DailyMessage, WeeklyChart, encode
from bot.features import keyboards
from bot.settings import Settings
from bot.store import Store

DUE = datetime(2026, 12, 15, 9, 0, tzinfo=UTC)  # everyone's next daily send
# (zone, send time) pairs that all fall on DUE, and the share of users in each.
ZONES = (
    ("Europe/London", "09:00", 0.40),
    ("UTC", "09:00", 0.10),
    ("America/New_York", "04:00", 0.20),
    ("Asia/Shanghai", "17:00", 0.20),
    ("Asia/Kolkata", "14:30", 0.10),
)
ANSWERING = 0.7
OUTBOX_DAYS = 8  # the bot prunes finished rows after 8 days (bot.runtime.PRUNE_AFTER)
# Steps through the tip order that visit 35 distinct tips of 70 (units mod 70).
STEPS = (1, 3, 9, 11, 13, 17, 19, 23, 27, 29, 31, 33, 37, 39, 41, 43, 47, 51, 53, 57)
SEED = 25


def _user_ids(count: int, rng: random.Random) -> list[int]:
    """Return `count` distinct ids spread like Telegram's user ids, ascending."""
    return sorted(rng.sample(range(100_000_000, 8_000_000_000), count))


def _local_day(day: date, zone: str, send: str) -> tuple[date, float]:
    """Return the local date and the UTC instant of a send at `send` local time on `day`."""
    hour, minute = map(int, send.split(":"))
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone))
    return local.date(), local.timestamp()


def _body(lang: str, tip: str, day: date) -> str:
    """Return a daily message body as the bot stores it (the tip's words do not matter here)."""
    t = ENGLISH_ONLY.get(lang)
    words = "Stretch the calf and the sole before the first steps of the morning. " * 3
    text = texts.tip_message(t, f"[{lang}] {tip}: {words}", "NHS")
    message = DailyMessage(text, texts.checkin_prompt(t, day), keyboards.score_buttons(t, day))
    return encode(message)


async def _migrate(path: Path) -> int:
    """Create the schema of the imported `bot` package; return its version."""
    store = await Store.open(path, FakeClock(DUE))
    try:
        row = await store.db.one("PRAGMA user_version")
        return int(row[0]) if row else 0
    finally:
        await store.close()


@dataclass(frozen=True)
class _People:
    """Per user number: time zone (index into ZONES), language, tip order, weekly day."""

    zone: list[int]
    lang: list[str]
    start: list[int]
    step: list[int]
    weekly: list[int]
    tip_ids: list[str]

    @classmethod
    def draw(cls, count: int, rng: random.Random) -> _People:
        bounds = list(itertools.accumulate(share for _, _, share in ZONES))
        return cls(
            zone=[bisect.bisect(bounds, rng.random() * bounds[-1]) for _ in range(count)],
            lang=["zh" if rng.random() < 0.2 else "en" for _ in range(count)],
            start=[rng.randrange(70) for _ in range(count)],
            step=[rng.choice(STEPS) for _ in range(count)],
            weekly=[rng.randrange(7) for _ in range(count)],
            tip_ids=_tip_ids(),
        )

    def tip(self, n: int, day: int) -> str:
        """Return the tip id user number n was given on day number `day` (35 distinct)."""
        return self.tip_ids[(self.start[n] + day * self.step[n]) % 70]


def generate(path: Path, users: int, days: int, *, quiet: bool = False) -> float:
    """Write the database at `path` (replaced if there); return the seconds it took."""
    started = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    version = asyncio.run(_migrate(path))
    rng = random.Random(SEED)
    ids = _user_ids(users, rng)
    people = _People.draw(users, rng)
    first_day = DUE.date() - timedelta(days=days)
    # Local dates and send instants per (zone, day number); day `days` is the due day.
    days_by_zone = [
        [_local_day(first_day + timedelta(days=d), zone, send) for d in range(days + 1)]
        for zone, send, _ in ZONES
    ]

    def log(what: str) -> None:
        if not quiet:
            print(f"  {time.perf_counter() - started:6.0f} s  {what}", flush=True)

    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -1000000")  # 1 GB, while generating only
        conn.execute("BEGIN")
        created = days_by_zone[0][0][1] - 86_400
        conn.executemany(
            "INSERT INTO users (user_id, chat_id, first_name, language_code, timezone,"
            " send_time, has_diabetes, next_due_utc, next_due_date, tip_seed, tip_cycle,"
            " pending_checkin_date, created_at, updated_at, weekly_day)"
            " VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10, ?11, ?11, ?12)",
            (
                (
                    uid,
                    f"Name{n % 9973}",
                    people.lang[n],
                    ZONES[people.zone[n]][0],
                    ZONES[people.zone[n]][1],
                    1 if n % 10 == 0 else (0 if n % 10 < 5 else None),
                    DUE.timestamp(),
                    days_by_zone[people.zone[n]][days][0].isoformat(),
                    f"{rng.getrandbits(64):016x}",
                    None
                    if _answers(n, days - 1)
                    else days_by_zone[people.zone[n]][days - 1][0].isoformat(),
                    created,
                    people.weekly[n],
                )
                for n, uid in enumerate(ids)
            ),
        )
        log(f"users: {users:,}")
        payloads: dict[tuple[str, str, date], int] = {}
        for d in range(days):
            conn.executemany(
                "INSERT INTO tip_deliveries (user_id, cycle, tip_id, local_date, created_at)"
                " VALUES (?, 0, ?, ?, ?)",
                (
                    (
                        uid,
                        people.tip(n, d),
                        days_by_zone[people.zone[n]][d][0].isoformat(),
                        days_by_zone[people.zone[n]][d][1],
                    )
                    for n, uid in enumerate(ids)
                ),
            )
            conn.executemany(
                "INSERT INTO checkins (user_id, local_date, score, answered_at)"
                " VALUES (?, ?, ?, ?)",
                (
                    (
                        uid,
                        days_by_zone[people.zone[n]][d][0].isoformat(),
                        (n * 7 + d * 3) % 7,
                        days_by_zone[people.zone[n]][d][1] + 3600,
                    )
                    for n, uid in enumerate(ids)
                    if _answers(n, d)
                ),
            )
            if d >= days - OUTBOX_DAYS:
                _outbox_day(conn, ids, d, days_by_zone, people, payloads)
            if d % 7 == 6:
                log(f"day {d + 1} of {days}")
        conn.executemany(
            "INSERT INTO escalations (user_id, rule, urgency, local_date, scores, created_at)"
            " VALUES (?, 'persistent_pain', 'routine', ?, '[]', ?)",
            (
                (uid, days_by_zone[people.zone[n]][days - 3][0].isoformat(), created)
                for n, uid in enumerate(ids)
                if n % 100 == 0
            ),
        )
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = WAL")
        log(f"done, schema version {version}")
    finally:
        conn.close()
    return time.perf_counter() - started


def _answers(n: int, day: int) -> bool:
    """Say whether user number n answered day `day`'s check-in (70%, fixed per pair)."""
    return ((n * 2_654_435_761 + day * 40_503) >> 7) % 100 < ANSWERING * 100


def _tip_ids() -> list[str]:
    """Return 70 tip ids: the shipped ones first, numbered ones after if there are fewer."""
    shipped = [tip.id for tip in load_content(Settings()).tips.tips]
    return (shipped + [f"tip-{n}" for n in range(70)])[:70]


def _outbox_day(
    conn: sqlite3.Connection,
    ids: list[int],
    d: int,
    days_by_zone: list[list[tuple[date, float]]],
    people: _People,
    payloads: dict[tuple[str, str, date], int],
) -> None:
    """Add one day's sent daily messages (and weekly charts) of every user."""

    def payload(key: tuple[str, str, date], body: str) -> int:
        if key not in payloads:
            cur = conn.execute(
                "INSERT INTO outbox_payloads (digest, body) VALUES (?, ?)",
                (hashlib.blake2b(body.encode(), digest_size=16).hexdigest(), body),
            )
            assert cur.lastrowid is not None
            payloads[key] = cur.lastrowid
        return payloads[key]

    rows = []
    for n, uid in enumerate(ids):
        day, at = days_by_zone[people.zone[n]][d]
        tip = people.tip(n, d)
        lang = people.lang[n]
        if (lang, tip, day) not in payloads:
            payload((lang, tip, day), _body(lang, tip, day))
        iso = day.isoformat()
        rows.append(
            (f"daily:{uid}:{iso}", uid, "daily", iso, payloads[lang, tip, day], at, at + 30)
        )
        if day.weekday() == people.weekly[n]:
            chart = payload(("", "weekly", day), encode(WeeklyChart(day)))
            rows.append((f"weekly:{uid}:{iso}", uid, "weekly", iso, chart, at, at + 40))
    conn.executemany(
        "INSERT INTO outbox (idem_key, user_id, chat_id, kind, local_date, payload, payload_id,"
        " status, attempts, message_id, created_at, sent_at)"
        " VALUES (?1, ?2, ?2, ?3, ?4, '', ?5, 'sent', 1, 1000, ?6, ?7)",
        rows,
    )


def main() -> None:
    """Parse arguments and write one database."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=35)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    elapsed = generate(args.out, args.users, args.days)
    size = args.out.stat().st_size
    print(f"{args.out}: {args.users:,} users x {args.days} days, {size / 1e6:,.0f} MB"
          f" in {elapsed:.0f} s")  # fmt: skip


if __name__ == "__main__":
    main()
