"""One `JobQueue.run_daily` job per user beside FootCare's one row per user and one dispatcher.

Run `python bench/bench_jobqueue.py [--subscribers 100000] [--due 20000] [--users 20000]`.
Each side runs in a fresh child process of this one, so their memory figures start from the
same baseline:
- JobQueue: time to add a daily job for every subscriber and the RSS that adds; then, on a
  real scheduler and the real clock, `--due` jobs due in the same second, counting how many
  APScheduler runs and how many it skips as missed (its default misfire grace, 1 s, unless
  `--grace` sets one: then how late the last job ran).
- FootCare: time to insert every subscriber's schedule row and the RSS that adds, the time to
  reopen that database (what a restart costs: nothing to rebuild), and one dispatcher tick for
  `--users` users due in the same second (rows enqueued, users left behind).
Prints figures only.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobEvent
from telegram.ext import Application, CallbackContext, JobQueue

from bot.clock import FakeClock
from bot.composition import load_content
from bot.features.daily import DailyPlan, Dispatcher
from bot.features.tips import Tips
from bot.sandbox import SANDBOX_TOKEN
from bot.settings import Settings
from bot.store import Store

PAGE = os.sysconf("SC_PAGE_SIZE")
DAY = date(2026, 11, 24)
DUE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
FIRST_USER = 1_000_000
BATCH = 10_000
PARTS = ("jobqueue", "misfires", "footcare")


def rss_mb() -> float:
    """Return this process's resident set size in MB, from /proc/self/statm."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE / 1e6


async def remind(context: CallbackContext) -> None:  # type: ignore[type-arg]
    """What a per-user daily job would start; kept empty so only the scheduler is measured."""


def spread(n: int, now: datetime) -> dtime:
    """Spread users over the minutes of a day, as their chosen times would be, leaving out the
    coming hour so that no job fires while the jobs are being added and measured."""
    minute = (now.hour * 60 + now.minute + 60 + n % 1380) % 1440
    return dtime(minute // 60, minute % 60, tzinfo=UTC)


def job_queue() -> tuple[Application, JobQueue]:  # type: ignore[type-arg]
    """Build an application only for its JobQueue; nothing talks to Telegram."""
    app = Application.builder().token(SANDBOX_TOKEN).build()
    if app.job_queue is None:
        raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
    return app, app.job_queue


async def jobqueue_add(subscribers: int) -> None:
    """Add one run_daily job per subscriber to a running scheduler; print time and RSS."""
    _, queue = job_queue()
    await queue.start()
    base = rss_mb()
    now = datetime.now(UTC)
    started = time.perf_counter()
    for n in range(subscribers):
        user_id = FIRST_USER + n
        at = spread(n, now)
        queue.run_daily(remind, at, chat_id=user_id, user_id=user_id, name=f"d{user_id}")
    elapsed = time.perf_counter() - started
    grown = rss_mb() - base
    await queue.stop(wait=False)
    print(
        f"JobQueue: {subscribers:,} run_daily jobs added in {elapsed:.2f} s"
        f" = {subscribers / elapsed:,.0f} jobs/s; RSS +{grown:.1f} MB (from {base:.1f} MB),"
        f" {grown * 1e6 / subscribers:,.0f} bytes per job"
    )


async def jobqueue_misfires(due: int, lead: float, grace: int | None) -> None:
    """Put `due` daily jobs on one second and count what APScheduler runs and skips."""
    _, queue = job_queue()
    counts = {EVENT_JOB_EXECUTED: 0, EVENT_JOB_MISSED: 0, EVENT_JOB_ERROR: 0}
    latest = 0.0
    finished = asyncio.Event()

    def seen(event: JobEvent) -> None:
        nonlocal latest
        counts[event.code] += 1
        if event.code == EVENT_JOB_EXECUTED:
            late = datetime.now(UTC) - event.scheduled_run_time
            latest = max(latest, late.total_seconds())
        if sum(counts.values()) >= due:
            finished.set()

    # Every skipped job is a WARNING line; the count below says it once.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    queue.scheduler.add_listener(seen, EVENT_JOB_EXECUTED | EVENT_JOB_MISSED | EVENT_JOB_ERROR)
    await queue.start()
    # Paused while adding, so the jobs meet the due second together, as at 09:00 in one zone.
    queue.scheduler.pause()
    at = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=lead)
    kwargs = {} if grace is None else {"misfire_grace_time": grace}
    grace_text = "APScheduler's default, 1 s" if grace is None else f"{grace:g} s"
    started = time.perf_counter()
    for n in range(due):
        user_id = FIRST_USER + n
        queue.run_daily(
            remind,
            at.timetz(),
            chat_id=user_id,
            user_id=user_id,
            name=f"d{user_id}",
            job_kwargs=kwargs,
        )
    left = (at - datetime.now(UTC)).total_seconds()
    added = time.perf_counter() - started
    if left < 1:
        print(
            f"JobQueue: adding {due:,} jobs took {added:.1f} s, past their due second; raise --lead"
        )
        await queue.stop(wait=False)
        return
    queue.scheduler.resume()
    try:
        await asyncio.wait_for(finished.wait(), left + 120)
    except TimeoutError:
        print("JobQueue: not every job reported within two minutes of its due second")
    await queue.stop(wait=True)
    ran, missed = counts[EVENT_JOB_EXECUTED], counts[EVENT_JOB_MISSED]
    last = f"the last that ran ended {latest:.2f} s after its due second" if ran else "none ran"
    print(
        f"JobQueue: {due:,} jobs due at the same second: {ran:,} ran, {missed:,} skipped as"
        f" missed ({missed / due:.0%}), {counts[EVENT_JOB_ERROR]} errors; {last}"
        f" (jobs added in {added:.1f} s; misfire grace: {grace_text})"
    )


async def footcare_side(subscribers: int, users: int, folder: Path) -> None:
    """Insert every subscriber's schedule row, reopen the database, run one dispatcher tick."""
    users = min(users, subscribers)
    content = load_content(Settings())
    clock = FakeClock(DUE + timedelta(seconds=1))
    path = folder / "footcare.db"
    store = await Store.open(path, clock)
    base = rss_mb()
    now = DUE.timestamp() - 86_400
    started = time.perf_counter()
    for first in range(0, subscribers, BATCH):
        rows = []
        for n in range(first, min(first + BATCH, subscribers)):
            # The first `users` are due at exactly 09:00:00; the rest later that day.
            due = DUE.timestamp() if n < users else DUE.timestamp() + 60 + n % 86_000
            user_id = FIRST_USER + n
            rows.append((user_id, user_id, "U", f"{n:016x}", due, DAY.isoformat(), now, now))
        async with store.db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO users (user_id, chat_id, first_name, tip_seed, next_due_utc,"
                " next_due_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
    elapsed = time.perf_counter() - started
    grown = rss_mb() - base
    await store.close()
    size = path.stat().st_size
    print(
        f"FootCare: {subscribers:,} schedules inserted in {elapsed:.2f} s"
        f" = {subscribers / elapsed:,.0f} rows/s ({BATCH:,} per transaction);"
        f" RSS +{grown:.1f} MB (from {base:.1f} MB); file {size / 1e6:.1f} MB"
        f" ({size / subscribers:,.0f} bytes per subscriber)"
    )
    started = time.perf_counter()
    store = await Store.open(path, clock)
    reopened = time.perf_counter() - started
    print(f"FootCare: restart: database reopened in {reopened:.3f} s, no jobs to rebuild")
    try:
        plan = DailyPlan(store, clock, Tips(store, clock, content.tips))
        dispatcher = Dispatcher(plan, store, clock)
        started = time.perf_counter()
        added = await dispatcher.tick()
        elapsed = time.perf_counter() - started
        left = len(await store.users.due(clock.now(), users + 1))
    finally:
        await store.close()
    print(
        f"FootCare: {users:,} users due at the same second: dispatcher enqueued {added:,} rows"
        f" in {elapsed:.2f} s = {users / elapsed:,.0f} users/s; {left} users still due"
        f" (skipped: none can be; RSS now {rss_mb():.1f} MB)"
    )


def child(args: argparse.Namespace, part: str) -> None:
    """Run one side in a fresh interpreter, so its RSS starts from the same baseline."""
    command = [sys.executable, __file__, "--part", part]
    command += ["--subscribers", str(args.subscribers), "--due", str(args.due)]
    command += ["--users", str(args.users), "--lead", str(args.lead)]
    command += [] if args.grace is None else ["--grace", str(args.grace)]
    subprocess.run(command, check=True)  # noqa: S603


def main() -> None:
    """Parse arguments; run both sides in children, or one side when --part says so."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=100_000, help="jobs / schedule rows")
    parser.add_argument("--due", type=int, default=20_000, help="jobs due in the same second")
    parser.add_argument(
        "--users", type=int, default=20_000, help="FootCare users due for the dispatcher tick"
    )
    parser.add_argument("--lead", type=float, default=25.0, help="seconds to add the due jobs")
    parser.add_argument("--grace", type=int, help="misfire_grace_time (s) for the due jobs")
    parser.add_argument("--part", choices=PARTS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.part == "jobqueue":
        asyncio.run(jobqueue_add(args.subscribers))
    elif args.part == "misfires":
        asyncio.run(jobqueue_misfires(args.due, args.lead, args.grace))
    elif args.part == "footcare":
        with tempfile.TemporaryDirectory(prefix="footcare-bench-") as tmp:
            asyncio.run(footcare_side(args.subscribers, args.users, Path(tmp)))
    else:
        for part in PARTS:
            child(args, part)


if __name__ == "__main__":
    main()
