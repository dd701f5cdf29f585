"""How long 100 users pressing a check-in score at the same moment wait, with and without a big
daily dispatch running in the bot.

Run `python bench/bench_checkin_latency.py [--answers 100] [--dispatch 100000]`. The real bot
(default settings: SEND_RATE_LIMIT=25) talks over HTTP to a sandbox in a child process, so the
sandbox's timestamps do not wait on the bot's event loop. Two groups of `--answers` users get
their check-in from the bot's own dispatcher and sender; the first group presses a score button
at once with nothing else running (the peer), the second while one dispatcher tick enqueues
`--dispatch` more users due in the same second. For each press the figures are the time from
the press being queued to the callback answer (the toast) and to the edit of the check-in
message, as the sandbox logged them: p50, p99 and max. Prints figures only.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import sqlite3
import tempfile
import time
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sandbox_process import JSON, SandboxProcess

from bot.clock import FakeClock
from bot.composition import load_content
from bot.core import callbacks
from bot.core.callbacks import CheckinAnswer
from bot.runtime import Runtime
from bot.settings import Secret, Settings
from bot.store import Store

DAY = date(2026, 11, 24)
PROMPTED = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # the two answering groups' daily time
RUSH = datetime(2026, 11, 24, 9, 10, tzinfo=UTC)  # everyone in the dispatch
FIRST_ANSWERER = 10_000
FIRST_DISPATCHED = 1_000_000
SCORE = 2  # low: no escalation, so each press gets exactly one answer and one edit
EDITS = ("editMessageText", "editMessageReplyMarkup")


async def seed(path: Path, answerers: list[int], dispatched: list[int]) -> None:
    """Create the database before the bot starts, so its first tick finds the answerers due."""
    store = await Store.open(path, FakeClock(PROMPTED))
    now = PROMPTED.timestamp() - 86_400
    rows = [(u, PROMPTED.timestamp()) for u in answerers]
    rows += [(u, RUSH.timestamp()) for u in dispatched]
    try:
        for first in range(0, len(rows), 10_000):
            async with store.db.transaction() as conn:
                await conn.executemany(
                    "INSERT INTO users (user_id, chat_id, first_name, tip_seed, next_due_utc,"
                    " next_due_date, created_at, updated_at)"
                    " VALUES (?, ?, 'U', ?, ?, ?, ?, ?)",
                    [
                        (u, u, f"{u:016x}", due, DAY.isoformat(), now, now)
                        for u, due in rows[first : first + 10_000]
                    ],
                )
    finally:
        await store.close()


async def wait_for_prompts(sb: SandboxProcess, users: list[int], within: float) -> list[JSON]:
    """Wait until every user has a check-in with score buttons; return one press each."""
    wanted = set(users)
    delivered = 0  # one daily message (the tip above the check-in question) each
    since = 0
    deadline = time.monotonic() + within
    while delivered < len(users):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{delivered} of {len(users)} daily messages sent in {within} s")
        await asyncio.sleep(0.5)
        rows, since = await sb.calls("sendMessage", since)
        delivered += sum(1 for r in rows if r["status"] == 200 and r["chat_id"] in wanted)
    presses: list[JSON] = []
    for user_id in users:
        presses.append(await score_press(sb, user_id))
    return presses


async def score_press(sb: SandboxProcess, user_id: int) -> JSON:
    """Return a press of the user's check-in score button."""
    for message in reversed(await sb.messages(user_id)):
        for row in (message["reply_markup"] or {}).get("inline_keyboard") or []:
            for button in row:
                choice = callbacks.decode(button.get("callback_data"))
                if isinstance(choice, CheckinAnswer) and choice.score == SCORE:
                    data = button["callback_data"]
                    return {"user_id": user_id, "data": data, "message_id": message["message_id"]}
    raise LookupError(f"no check-in in chat {user_id}")


def stored_scores(path: Path, users: list[int]) -> set[int]:
    """Return which of these users have a check-in row, read on a connection of our own (WAL
    lets it read beside the bot's writer)."""
    marks = ",".join("?" * len(users))
    with closing(sqlite3.connect(path, timeout=5)) as conn:
        query = f"SELECT user_id FROM checkins WHERE user_id IN ({marks})"  # noqa: S608
        return {row[0] for row in conn.execute(query, users)}


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


async def answer_all(
    sb: SandboxProcess, db: Path, presses: list[JSON], name: str, within: float
) -> tuple[float, JSON]:
    """Press every score at once; print the latencies to the toast, to the score being stored
    and to the edit; return when the last came, and the figures printed."""
    _, since = await sb.calls("getMe")
    pressed = await sb.press(presses)
    # The sandbox names each callback query after its user and update id.
    queries = {
        f"{p['user_id']}{q['update_id']:08d}": (p, q["at"])
        for p, q in zip(presses, pressed, strict=True)
    }
    targets = {
        (p["user_id"], p["message_id"]): q["at"] for p, q in zip(presses, pressed, strict=True)
    }
    pressed_at = {p["user_id"]: q["at"] for p, q in zip(presses, pressed, strict=True)}
    answered: dict[str, float] = {}
    edited: dict[tuple[int, int], float] = {}
    stored: dict[int, float] = {}
    toasts: list[str] = []
    deadline = time.monotonic() + within
    while (
        len(answered) < len(queries) or len(edited) < len(targets) or len(stored) < len(presses)
    ) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        # Both clocks are CLOCK_MONOTONIC, shared by every process on the machine.
        found = await asyncio.to_thread(stored_scores, db, list(pressed_at))
        seen = time.monotonic()
        for user_id in found:
            stored.setdefault(user_id, seen - pressed_at[user_id])
        rows, since = await sb.calls(None, since)
        for r in rows:
            if r["status"] != 200:
                continue
            if r["method"] == "answerCallbackQuery" and r["query_id"] in queries:
                answered.setdefault(r["query_id"], r["at"] - queries[r["query_id"]][1])
                toasts += [r["text"]] if r["text"] else []
            key = (r["chat_id"], r["message_id"])
            if r["method"] in EDITS and key in targets:
                edited.setdefault(key, r["at"] - targets[key])
    figures: JSON = {}
    for key, label, got, total in (
        ("toast", "callback answered (toast)", list(answered.values()), len(queries)),
        ("stored", "score stored (polled every 50 ms)", list(stored.values()), len(presses)),
        ("edit", "edit shown", list(edited.values()), len(targets)),
    ):
        if not got:
            print(f"{name}: {label}: none of {total} arrived within {within:.0f} s")
            continue
        figures[key] = {
            "arrived": len(got),
            "of": total,
            "p50": percentile(got, 0.5),
            "p99": percentile(got, 0.99),
            "max": max(got),
        }
        print(
            f"{name}: {label}: {len(got)}/{total}, p50 {percentile(got, 0.5):.3f} s,"
            f" p99 {percentile(got, 0.99):.3f} s, max {max(got):.3f} s"
        )
    example = f", e.g. {toasts[0]!r}" if toasts else ""
    print(f"{name}: {len(toasts)} of {len(answered)} callback answers carried a text{example}")
    return time.monotonic(), figures


async def main() -> None:
    """Parse arguments, run the quiet peer, then the same presses during a dispatch."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--answers", type=int, default=100, help="users pressing at once")
    parser.add_argument("--dispatch", type=int, default=100_000, help="users in the dispatch")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds of dispatch first")
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    quiet = list(range(FIRST_ANSWERER, FIRST_ANSWERER + args.answers))
    busy = list(range(FIRST_ANSWERER + args.answers, FIRST_ANSWERER + 2 * args.answers))
    dispatched = list(range(FIRST_DISPATCHED, FIRST_DISPATCHED + args.dispatch))
    clock = FakeClock(PROMPTED + timedelta(minutes=1))
    with tempfile.TemporaryDirectory(prefix="footcare-bench-") as tmp:
        path = Path(tmp) / "latency.db"
        await seed(path, quiet + busy, dispatched)
        async with SandboxProcess() as sb:
            await sb.add_users(quiet + busy + dispatched)
            settings = Settings(
                bot_token=Secret(sb.token), telegram_api_url=sb.base_url, database_path=path
            )
            runtime = Runtime(
                settings,
                clock,
                content=load_content(settings),
                poll_timeout=1,
                dispatch_interval=3600,  # ticks are started by hand below (the first at 0.5 s)
            )
            async with runtime:
                print(
                    f"{2 * args.answers} users get their check-in first"
                    f" (SEND_RATE_LIMIT={settings.send_rate_limit:g})"
                )
                presses = await wait_for_prompts(sb, quiet + busy, within=600)
                await runtime.sender.drain()
                await answer_all(sb, path, presses[: args.answers], "no dispatch", within=60)
                clock.set(RUSH + timedelta(seconds=30))
                started = time.monotonic()
                tick = asyncio.create_task(runtime.tick())
                await asyncio.sleep(args.settle)
                print(f"dispatch of {args.dispatch:,} users running for {args.settle:g} s")
                name = f"during dispatch of {args.dispatch:,}"
                ended, _ = await answer_all(sb, path, presses[args.answers :], name, within=120)
                if tick.done():
                    print(f"dispatch had ENDED before the last answer ({ended - started:.1f} s)")
                else:
                    late = ended - started
                    print(f"dispatch still running when the last answer came ({late:.1f} s)")
                    tick.cancel()
                    await asyncio.gather(tick, return_exceptions=True)


if __name__ == "__main__":
    asyncio.run(main())
