"""The sender through the sandbox and the real Runtime: volume, rate limits, faults, blocks."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.delivery.sender import SenderOptions
from bot.runtime import Runtime
from bot.sandbox import Call, Sandbox
from bot.store.users import UserPatch
from tests.conftest import FAST_SENDER
from tests.delivery.conftest import DAY, DUE, Harness, chat_calls, is_daily, subscribe
from tests.store.helpers import outbox_rows

DRAIN_TIMEOUT = 60


async def dispatch(runtime: Runtime, clock: FakeClock) -> int:
    """Move to 09:00 UTC, run one tick and wait until the outbox is empty."""
    clock.set(DUE)
    added = await runtime.tick()
    await asyncio.wait_for(runtime.sender.drain(), DRAIN_TIMEOUT)
    return added


def assert_one_daily_message(sandbox: Sandbox, user_id: int) -> None:
    """The chat holds exactly the day's message: its tip above its check-in question."""
    texts = [m.text for m in sandbox.messages(user_id)]
    assert len(texts) == 1, f"chat {user_id}: {texts}"
    assert is_daily(texts[0]), f"chat {user_id}: {texts}"


async def two_messages_each(runtime: Runtime, users: list[int]) -> list[int]:
    """Give users with diabetes their weekly foot check today: a second row after the daily."""
    for user_id in users:
        await runtime.store.users.update(
            user_id, UserPatch(has_diabetes=True, weekly_day=DAY.weekday())
        )
    return users


def assert_daily_then_foot_check(sandbox: Sandbox, user_id: int) -> None:
    """The chat holds the day's message, then the weekly foot check (no chart: no data)."""
    texts = [m.text for m in sandbox.messages(user_id)]
    assert len(texts) == 2, f"chat {user_id}: {texts}"
    assert [is_daily(t) for t in texts] == [True, False], f"chat {user_id}: {texts}"


def busiest_second(calls: list[Call]) -> int:
    """Return the most calls found in any sliding one-second window."""
    times = sorted(c.at for c in calls)
    most = 0
    end = 0
    for start, at in enumerate(times):
        while end < len(times) and times[end] < at + 1.0:
            end += 1
        most = max(most, end - start)
    return most


async def test_many_due_users_get_one_daily_message_each(
    harness: Harness, clock: FakeClock
) -> None:
    """120 users due in the same minute each get exactly one daily message."""
    sandbox = await harness.sandbox()
    runtime = await harness.bot(sandbox, send_rate_limit=30)
    users = await subscribe(runtime, sandbox, 120)
    assert await dispatch(runtime, clock) == 120
    for user_id in users:
        assert_one_daily_message(sandbox, user_id)
    assert len(sandbox.calls_to("sendMessage")) == 120


async def test_delivered_rows_are_sent_with_telegram_message_id(
    harness: Harness, clock: FakeClock
) -> None:
    """Each delivered outbox row is 'sent' and holds the message_id Telegram answered."""
    sandbox = await harness.sandbox()
    runtime = await harness.bot(sandbox, send_rate_limit=30)
    users = await subscribe(runtime, sandbox, 5)
    await dispatch(runtime, clock)
    for user_id in users:
        rows = await outbox_rows(runtime.store, user_id)
        assert [r["status"] for r in rows] == ["sent"]
        assert [r["message_id"] for r in rows] == [m.message_id for m in sandbox.messages(user_id)]


@pytest.mark.usefixtures("quiet_gc")
async def test_send_rate_limit_holds_in_every_second(
    harness: Harness, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    """With SEND_RATE_LIMIT=10, no sliding one-second window sees more than ten chat calls."""
    sandbox = await harness.sandbox(global_limit=10)
    runtime = await harness.bot(sandbox, send_rate_limit=10)
    await subscribe(runtime, sandbox, 60)
    assert await dispatch(runtime, clock) == 60
    calls = chat_calls(sandbox)
    span = calls[-1].at - calls[0].at
    with capsys.disabled():
        print(f"\n{len(calls)} chat calls in {span:.2f} s: {(len(calls) - 1) / span:.2f}/s")
    assert busiest_second(calls) <= 10
    # The sandbox enforces the same limit; it never had to refuse anything.
    assert all(c.ok for c in calls)


def sends_within(sandbox: Sandbox, refusal: Call, seconds: float) -> list[Call]:
    """Return the sendMessage calls that arrived less than `seconds` after a refusal."""
    return [c for c in sandbox.calls_to("sendMessage") if refusal.at < c.at < refusal.at + seconds]


async def test_429_storm_delivers_everything_exactly_once(
    harness: Harness, clock: FakeClock
) -> None:
    """Five 429 answers in a row delay delivery but lose and duplicate nothing."""
    sandbox = await harness.sandbox()
    runtime = await harness.bot(sandbox, send_rate_limit=30)
    users = await subscribe(runtime, sandbox, 20)
    sandbox.inject_failure("sendMessage", 429, count=5, retry_after=1)
    await dispatch(runtime, clock)
    for user_id in users:
        assert_one_daily_message(sandbox, user_id)
    statuses = Counter(c.status for c in sandbox.calls_to("sendMessage"))
    assert statuses == {200: 20, 429: 5}
    assert {r["status"] for r in await outbox_rows(runtime.store)} == {"sent"}


async def test_429_storm_sends_nothing_before_retry_after(
    harness: Harness, clock: FakeClock
) -> None:
    """After each 429, no sendMessage reaches Telegram before retry_after has elapsed."""
    sandbox = await harness.sandbox()
    # One worker: the limiter lets a burst go at once, and requests already on the wire when a
    # 429 comes back cannot be recalled; with one in flight, every later send is held.
    one_at_a_time = SenderOptions(workers=1, backoff_base=0.01, idle_poll=0.05)
    runtime = await harness.bot(sandbox, sender=one_at_a_time, send_rate_limit=30)
    await subscribe(runtime, sandbox, 10)
    sandbox.inject_failure("sendMessage", 429, count=5, retry_after=1)
    await dispatch(runtime, clock)
    for refusal in [c for c in sandbox.calls_to("sendMessage") if c.status == 429]:
        assert sends_within(sandbox, refusal, 1.0) == []


async def test_a_longer_429_is_not_cut_short_by_a_shorter_one(
    harness: Harness, clock: FakeClock
) -> None:
    """Two overlapping 429s (1 s, then 3 s): nothing is sent until the longer one ends."""
    sandbox = await harness.sandbox()
    runtime = await harness.bot(sandbox, send_rate_limit=30)
    users = await subscribe(runtime, sandbox, 2)
    # Slow answers put both messages on the wire before the first 429 comes back, as with
    # Telegram's round trip, so the two pauses overlap.
    sandbox.set_delay("sendMessage", 0.2)
    sandbox.inject_failure("sendMessage", 429, retry_after=1)
    sandbox.inject_failure("sendMessage", 429, retry_after=3)
    await dispatch(runtime, clock)
    [longer] = [
        c
        for c in sandbox.calls_to("sendMessage")
        if c.description == "Too Many Requests: retry after 3"
    ]
    assert sends_within(sandbox, longer, 3.0) == []
    for user_id in users:
        assert_one_daily_message(sandbox, user_id)


async def test_a_send_waiting_for_its_chat_slot_honours_a_429(
    harness: Harness, clock: FakeClock
) -> None:
    """A foot check held back by the one-per-second chat limit still waits out a 429."""
    sandbox = await harness.sandbox()
    # One worker: with several, another chat's send can already be on the wire when the 429
    # comes back, and a request that left cannot be recalled.
    options = SenderOptions(workers=1, backoff_base=0.01, per_chat_interval=1.0, idle_poll=0.05)
    runtime = await harness.bot(sandbox, sender=options, send_rate_limit=30)
    users = await two_messages_each(runtime, await subscribe(runtime, sandbox, 2))

    async def refuse_the_second_send() -> None:
        # The sandbox offers no event for "a call was recorded", so poll briefly.
        while not sandbox.calls_to("sendMessage"):  # noqa: ASYNC110
            await asyncio.sleep(0.002)
        sandbox.inject_failure("sendMessage", 429, retry_after=2)

    injector = asyncio.create_task(refuse_the_second_send())
    await dispatch(runtime, clock)
    await injector
    [refusal] = [c for c in sandbox.calls_to("sendMessage") if c.status == 429]
    assert sends_within(sandbox, refusal, 2.0) == []
    for user_id in users:
        assert_daily_then_foot_check(sandbox, user_id)


async def test_5xx_is_retried_and_delivered_once(harness: Harness, clock: FakeClock) -> None:
    """A few 500 and 502 answers are retried; every message still arrives exactly once."""
    sandbox = await harness.sandbox()
    runtime = await harness.bot(sandbox, send_rate_limit=30)
    users = await subscribe(runtime, sandbox, 10)
    sandbox.inject_failure("sendMessage", 500, count=2)
    sandbox.inject_failure("sendMessage", 502, count=2)
    await dispatch(runtime, clock)
    for user_id in users:
        assert_one_daily_message(sandbox, user_id)
    statuses = Counter(c.status for c in sandbox.calls_to("sendMessage"))
    assert statuses == {200: 10, 500: 2, 502: 2}
    rows = await outbox_rows(runtime.store)
    assert {r["status"] for r in rows} == {"sent"}


async def test_too_many_5xx_marks_the_row_failed(harness: Harness, clock: FakeClock) -> None:
    """Failures beyond max_attempts leave the row 'failed' with last_error; nothing is stuck."""
    sandbox = await harness.sandbox()
    options = SenderOptions(
        workers=1, max_attempts=3, backoff_base=0.01, per_chat_interval=0.02, idle_poll=0.05
    )
    runtime = await harness.bot(sandbox, sender=options, send_rate_limit=30)
    [user_id] = await subscribe(runtime, sandbox, 1)
    sandbox.inject_failure("sendMessage", 500, count=3)
    await dispatch(runtime, clock)
    [failed] = await outbox_rows(runtime.store, user_id)
    assert (failed["status"], failed["attempts"] >= 1) == ("failed", True)
    assert failed["last_error"]
    assert "Internal Server Error" in failed["last_error"]
    assert await runtime.store.outbox.pending_count() == 0
    assert sandbox.messages(user_id) == []
    assert len(sandbox.calls_to("sendMessage")) == 3


async def test_blocked_user_is_marked_and_never_retried(harness: Harness, clock: FakeClock) -> None:
    """A 403 marks the user blocked after one attempt; others are unaffected, also next day."""
    sandbox = await harness.sandbox()
    runtime = await harness.bot(sandbox, sender=FAST_SENDER, send_rate_limit=30)
    first, blocked, last = await subscribe(runtime, sandbox, 3)
    sandbox.block(blocked)
    await dispatch(runtime, clock)

    def attempts_to(chat_id: int) -> list[Call]:
        return [c for c in sandbox.calls_to("sendMessage") if c.params["chat_id"] == chat_id]

    assert [c.status for c in attempts_to(blocked)] == [403]
    user = await runtime.store.users.get(blocked)
    assert user is not None
    assert user.status == "blocked"
    rows = await outbox_rows(runtime.store, blocked)
    assert {r["status"] for r in rows} <= {"blocked", "skipped"}
    assert rows[0]["status"] == "blocked"
    for user_id in (first, last):
        assert_one_daily_message(sandbox, user_id)

    clock.set(DUE + timedelta(days=1))
    assert await runtime.tick() == 2
    await asyncio.wait_for(runtime.sender.drain(), DRAIN_TIMEOUT)
    assert len(attempts_to(blocked)) == 1
    assert len(sandbox.messages(first)) == len(sandbox.messages(last)) == 2


async def test_a_chat_waiting_for_its_slot_does_not_hold_up_other_chats(
    harness: Harness, clock: FakeClock
) -> None:
    """With the real one-per-second chat limit and prefetch, every chat's first message goes
    out before any chat's second."""
    sandbox = await harness.sandbox()
    options = SenderOptions(
        workers=2, prefetch=32, backoff_base=0.01, per_chat_interval=1.0, idle_poll=0.05
    )
    runtime = await harness.bot(sandbox, sender=options, send_rate_limit=30)
    users = await two_messages_each(runtime, await subscribe(runtime, sandbox, 10))
    await dispatch(runtime, clock)
    order = [is_daily(c.params["text"]) for c in sandbox.calls_to("sendMessage")]
    assert order == [True] * 10 + [False] * 10
    for user_id in users:
        assert_daily_then_foot_check(sandbox, user_id)
