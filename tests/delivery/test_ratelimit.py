"""The bot-wide rate limiter, its flood gate, and the flaws of PTB's AIORateLimiter it avoids.

The first tests drive python-telegram-bot's own `AIORateLimiter.process_request` with fake
requests that answer 429 (`RetryAfter`), to show the flaws that bot/delivery/ratelimit.py's
docstring gives as the reason for replacing it (a short 429 cuts a longer pause short; with
max_retries=0 queued requests ignore a 429), plus a third of the same cause (a request that
succeeds mid-pause ends it), each beside the same scenario through our `FloodAwareRateLimiter`.
The rest unit-test `FloodGate`, the sliding window (`AdmissionLog` with hypothesis over
arrival patterns and round trips, then `FloodAwareRateLimiter` on the event loop: never more
than the rate in any one-second window, a burst of `rate` at once, paid broadcasts in their own
window, interactive replies ahead of queued sends) and its 429 handling.

Should a PTB release fix one of these flaws, its test fails: time to reconsider our own limiter.
No test here needs Telegram or the sandbox. Times come from the event loop's clock, which is what
both limiters schedule by; where a flaw shows as "sent too early", the margin is most of a
second, so only a stall that long on a loaded machine could blur it.
"""

from __future__ import annotations

import asyncio
import heapq
import math
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise
from typing import Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter, BaseRateLimiter

from bot.delivery.ratelimit import (
    IN_FLIGHT_LIMIT,
    OUTBOX,
    Admission,
    AdmissionLog,
    FloodAwareRateLimiter,
    FloodGate,
    JSONResult,
    Lane,
    RateLimitArgs,
)

Request = Callable[[], Coroutine[Any, Any, JSONResult]]
# Long enough that "before this pause ended" cannot be confused with scheduling noise, short
# enough that each test stays near a second.
LONG_PAUSE = 1.0
SHORT_PAUSE = 0.1
CHAT = 1001  # a private chat: PTB's per-group limiter stays out of the way
TIMEOUT = 5.0  # a hung limiter fails the test instead of hanging the suite


@dataclass(frozen=True)
class Event:
    """A request reaching the fake Telegram, or Telegram refusing it with a 429."""

    name: str
    kind: Literal["arrived", "refused"]
    at: float  # event-loop time
    retry_after: float | None = None


class FakeTelegram:
    """Builds request callbacks that log when they reach 'Telegram' and answer from a script."""

    def __init__(self) -> None:
        self.log: list[Event] = []
        self._changed = asyncio.Event()

    def request(self, name: str, *refusals: float, hold: asyncio.Event | None = None) -> Request:
        """A request refused with a 429 for each of `refusals` (seconds) in turn, then accepted.

        With `hold`, every attempt stays on the wire (arrived, not yet answered) until it is
        set, like a slow round trip.
        """
        script = list(refusals)
        loop = asyncio.get_running_loop()

        async def send() -> JSONResult:
            self._record(Event(name, "arrived", loop.time()))
            if hold is not None:
                await hold.wait()
            if script:
                retry_after = script.pop(0)
                self._record(Event(name, "refused", loop.time(), retry_after))
                raise RetryAfter(timedelta(seconds=retry_after))
            return True

        return send

    def _record(self, event: Event) -> None:
        self.log.append(event)
        # Wake whoever waits in until(); a fresh Event for the next change.
        self._changed.set()
        self._changed = asyncio.Event()

    async def until(self, condition: Callable[[], bool]) -> None:
        """Return once `condition` holds, re-checking after every logged event."""
        async with asyncio.timeout(TIMEOUT):
            while not condition():
                await self._changed.wait()

    def count(self, kind: str) -> int:
        """How many events of this kind were logged."""
        return sum(e.kind == kind for e in self.log)

    def refusal(self, name: str) -> Event:
        """The first 429 that `name` got."""
        return next(e for e in self.log if e.name == name and e.kind == "refused")

    def arrivals(self, name: str | None = None) -> list[Event]:
        """Every arrival, or those of one request, in order."""
        return [e for e in self.log if e.kind == "arrived" and name in (None, e.name)]

    def sent_during(self, refusal: Event) -> list[str]:
        """Names of the requests that reached Telegram while the pause `refusal` asked for ran."""
        assert refusal.retry_after is not None
        end = refusal.at + refusal.retry_after
        return [e.name for e in self.arrivals() if refusal.at < e.at < end]


def submit(
    limiter: BaseRateLimiter[Any],
    request: Request,
    *,
    chat_id: int | None = CHAT,
    paid: bool = False,
    args: RateLimitArgs | None = None,
) -> asyncio.Task[JSONResult]:
    """Pass one request through the limiter as the Bot would, in a task of its own."""
    data: dict[str, Any] = {"text": "hi"}
    if chat_id is not None:
        data["chat_id"] = chat_id
    if paid:
        data["allow_paid_broadcast"] = True
    return asyncio.create_task(limiter.process_request(request, (), {}, "sendMessage", data, args))


def gaps(events: list[Event]) -> list[float]:
    """Seconds between consecutive events."""
    return [b.at - a.at for a, b in pairwise(events)]


async def finish(*tasks: asyncio.Task[JSONResult]) -> list[JSONResult | BaseException]:
    """Wait for every task (bounded), returning results and exceptions alike."""
    return await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), TIMEOUT)


# --- the flaws of PTB's AIORateLimiter, and the same scenarios through ours ----------------


async def two_overlapping_429s(limiter: BaseRateLimiter[Any]) -> FakeTelegram:
    """Two requests on the wire get a long, then a short 429; then a third request comes."""
    telegram = FakeTelegram()
    on_wire = asyncio.Event()
    # Both are sent before either answer comes back, as with Telegram's round trip; the long
    # refusal comes first, so a limiter that kept the latest pause would shorten it.
    long = submit(limiter, telegram.request("long", LONG_PAUSE, hold=on_wire))
    short = submit(limiter, telegram.request("short", SHORT_PAUSE, hold=on_wire))
    await telegram.until(lambda: len(telegram.arrivals()) >= 2)
    on_wire.set()
    await telegram.until(lambda: telegram.count("refused") >= 2)
    after = submit(limiter, telegram.request("after"))
    assert await finish(long, short, after) == [True, True, True]
    return telegram


async def test_ptb_lets_a_short_429_cut_a_longer_one_short() -> None:
    """PTB: when the shorter pause ends, its retry reopens the Event for everyone."""
    telegram = await two_overlapping_429s(AIORateLimiter(max_retries=1))
    assert telegram.sent_during(telegram.refusal("long")) == ["short", "after"]


async def test_our_limiter_holds_everything_until_the_longer_429_ends() -> None:
    """Ours: the gate's deadline only moves later, so nothing is sent inside the long pause."""
    telegram = await two_overlapping_429s(FloodAwareRateLimiter(1000, max_retries=1))
    assert telegram.sent_during(telegram.refusal("long")) == []


async def a_429_with_a_request_queued_behind_it(
    limiter: BaseRateLimiter[Any],
) -> tuple[FakeTelegram, JSONResult | BaseException]:
    """With no retries, the first request gets a long 429 while the next waits for its slot."""
    telegram = FakeTelegram()
    answer_first = asyncio.Event()
    first = submit(limiter, telegram.request("first", LONG_PAUSE, hold=answer_first))
    queued = submit(limiter, telegram.request("queued"))
    # Tasks start in order, so once `first` is on the wire `queued` is waiting for its slot;
    # one more loop turn keeps that from hinging on the order alone.
    await telegram.until(lambda: len(telegram.arrivals()) >= 1)
    await asyncio.sleep(0)
    answer_first.set()
    refused, result = await finish(first, queued)
    assert isinstance(refused, RetryAfter)  # max_retries=0: the 429 goes back to the caller
    return telegram, result


async def test_ptb_without_retries_lets_queued_requests_ignore_a_429() -> None:
    """PTB, max_retries=0: the Event is never cleared, so the queued request goes at its slot."""
    # One request per 0.3 s, so `queued` waits inside the limiter while `first` is refused.
    limiter = AIORateLimiter(overall_max_rate=1, overall_time_period=0.3, max_retries=0)
    telegram, result = await a_429_with_a_request_queued_behind_it(limiter)
    assert result is True
    assert telegram.sent_during(telegram.refusal("first")) == ["queued"]


async def test_our_limiter_without_retries_holds_queued_requests_through_a_429() -> None:
    """Ours, max_retries=0: the 429 still closes the gate, so the queued request waits it out."""
    limiter = FloodAwareRateLimiter(2, max_retries=0)
    # A request 0.2 s earlier fills the window with `first`, so `queued` waits inside the
    # limiter and its slot comes up 0.8 s into the 1 s pause.
    await finish(submit(limiter, FakeTelegram().request("earlier")))
    await asyncio.sleep(0.2)
    telegram, result = await a_429_with_a_request_queued_behind_it(limiter)
    assert result is True
    assert telegram.sent_during(telegram.refusal("first")) == []


async def a_429_while_another_request_is_in_flight(limiter: BaseRateLimiter[Any]) -> FakeTelegram:
    """A slow request is on the wire when another gets a 429; it succeeds; a third comes."""
    telegram = FakeTelegram()
    answer_slow = asyncio.Event()
    slow = submit(limiter, telegram.request("slow", hold=answer_slow))
    await telegram.until(lambda: len(telegram.arrivals()) >= 1)
    refused = submit(limiter, telegram.request("refused", LONG_PAUSE))
    await telegram.until(lambda: telegram.count("refused") >= 1)
    after = submit(limiter, telegram.request("after"))
    await asyncio.sleep(0)  # let `after` reach the limiter's pause before `slow` succeeds
    answer_slow.set()
    assert await finish(slow, refused, after) == [True, True, True]
    return telegram


async def test_ptb_lets_a_success_in_flight_end_a_429_pause() -> None:
    """PTB: any attempt that finishes sets the Event, even one that succeeded mid-pause."""
    telegram = await a_429_while_another_request_is_in_flight(AIORateLimiter(max_retries=1))
    assert telegram.sent_during(telegram.refusal("refused")) == ["after"]


async def test_our_limiter_keeps_a_429_pause_when_a_request_in_flight_succeeds() -> None:
    """Ours: a success does not touch the gate, so the pause runs its full length."""
    telegram = await a_429_while_another_request_is_in_flight(
        FloodAwareRateLimiter(1000, max_retries=1)
    )
    assert telegram.sent_during(telegram.refusal("refused")) == []


# --- FloodGate -----------------------------------------------------------------------------


async def test_a_new_gate_is_open() -> None:
    """Nothing holds requests before the first 429."""
    assert FloodGate().is_open()


async def test_a_closed_gate_opens_when_its_hold_ends() -> None:
    """close_for closes the gate; wait() returns once the hold has run out, not before."""
    loop = asyncio.get_running_loop()
    gate = FloodGate()
    start = loop.time()
    gate.close_for(0.05)
    assert not gate.is_open()
    await asyncio.wait_for(gate.wait(), TIMEOUT)
    assert gate.is_open()
    assert loop.time() >= start + 0.05


async def test_a_shorter_hold_never_shortens_a_longer_one() -> None:
    """A later 429 with a smaller retry_after leaves the longer hold in place."""
    gate = FloodGate()
    gate.close_for(LONG_PAUSE)
    gate.close_for(0.01)
    await asyncio.sleep(0.05)  # well past the short hold, well inside the long one
    assert not gate.is_open()


async def test_wait_honours_a_hold_extended_while_waiting() -> None:
    """A 429 that arrives while requests wait pushes their release out to its own end."""
    loop = asyncio.get_running_loop()
    gate = FloodGate()
    gate.close_for(0.02)
    waiting = asyncio.create_task(gate.wait())
    await asyncio.sleep(0)  # the waiter is now asleep until the first deadline
    extended_at = loop.time()
    gate.close_for(0.2)
    await asyncio.wait_for(waiting, TIMEOUT)
    assert loop.time() >= extended_at + 0.2


# --- AdmissionLog: never more than the rate in any window, in the server's stamps ----------


def busiest_second(times: list[float], slack: float = 0.0) -> int:
    """Return the most times within any one-second window (1.0 s apart is two windows; with
    `slack`, so is 1.0 s less that much)."""
    times = sorted(times)
    best, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0 - slack:
            start += 1
        best = max(best, end - start + 1)
    return best


def simulate(
    log: AdmissionLog, arrivals: list[float], legs: list[tuple[float, float]]
) -> list[float]:
    """Run requests arriving at `arrivals` through the log in order, each handed to the network
    the moment the log admits it, reaching the server `legs[i][0]` s later (the server's stamp)
    and answered `legs[i][1]` s after that. Return the server's stamps."""
    waiting: deque[int] = deque()
    on_wire: list[tuple[float, int, Admission]] = []  # (answer time, request, admission)
    stamps: list[float] = []
    now, arrived = 0.0, 0
    while arrived < len(arrivals) or waiting or on_wire:
        while arrived < len(arrivals) and arrivals[arrived] <= now:
            waiting.append(arrived)
            arrived += 1
        while on_wire and on_wire[0][0] <= now:
            answered_at, _, admission = heapq.heappop(on_wire)
            log.answered(admission, answered_at)
        while waiting and log.delay(now) == 0:
            request = waiting.popleft()
            admission = log.admit(now)
            there, back = legs[request]
            stamps.append(now + there)
            heapq.heappush(on_wire, (now + there + back, request, admission))
        upcoming = [arrivals[arrived]] if arrived < len(arrivals) else []
        upcoming += [on_wire[0][0]] if on_wire else []
        upcoming += [now + log.delay(now)] if waiting else []
        if not upcoming:
            break  # the last answers just came back
        # Never stand still: a delay that rounds to nothing moves on by the smallest step.
        now = max(min(upcoming), math.nextafter(now, math.inf))
    return stamps


arrival_patterns = st.lists(
    st.integers(0, 3000).map(lambda ms: ms / 1000), min_size=1, max_size=80
).map(sorted)
# Each leg is a fixed floor plus any extra delay (a stalled loop, a slow network): only a leg
# faster than its floor could fool the log, and none is.
jitter = st.integers(0, 600).map(lambda ms: ms / 1000)


@settings(max_examples=200, deadline=None)
@given(
    rate=st.integers(1, 12),
    arrivals=arrival_patterns,
    floors=st.tuples(st.integers(0, 100), st.integers(0, 100)),
    extra=st.lists(st.tuples(jitter, jitter), min_size=80, max_size=80),
)
def test_the_server_never_stamps_more_than_rate_in_any_second(
    rate: int,
    arrivals: list[float],
    floors: tuple[int, int],
    extra: list[tuple[float, float]],
) -> None:
    """Whatever the arrivals and however late each request reaches the server or is answered,
    no one-second window of the server's stamps holds more than `rate` requests."""
    there, back = floors[0] / 1000, floors[1] / 1000
    # The first round trip runs at the floors: the fastest trip the log learns from is then the
    # true floor (in production the fastest of many trips comes within SAFETY_MARGIN of it).
    legs = [(there, back)] + [(there + a, back + b) for a, b in extra[1:]]
    stamps = simulate(AdmissionLog(rate, margin=0.0), arrivals, legs)
    assert len(stamps) == len(arrivals)
    # With no margin, 3.001 + 1.0 == 4.0009999999999994 in floating point: a nanosecond of
    # slack keeps rounding from counting as two requests in one second.
    assert busiest_second(stamps, slack=1e-9) <= rate


@settings(max_examples=100, deadline=None)
@given(rate=st.integers(1, 12), arrivals=arrival_patterns)
def test_requests_leave_as_soon_as_the_window_allows(rate: int, arrivals: list[float]) -> None:
    """With instant round trips, the log holds nothing back that the window would allow: the
    first `rate` go on arrival, and each later one within a window of the one `rate` before."""
    stamps = simulate(AdmissionLog(rate, margin=0.0), arrivals, [(0.0, 0.0)] * len(arrivals))
    assert stamps[:rate] == arrivals[:rate]
    for n in range(rate, len(stamps)):
        assert stamps[n] <= max(arrivals[n], stamps[n - rate] + 1.0) + 1e-9


def test_a_rate_below_one_allows_one_request_per_period() -> None:
    """A rate of 0.5 is one request every 2 s, as the sandbox and Telegram count it."""
    log = AdmissionLog(0.5, margin=0.0)
    log.answered(log.admit(0.0), 0.0)
    assert log.delay(1.0) == pytest.approx(1.0)
    assert log.delay(2.0) == 0


def test_an_unanswered_request_holds_its_slot_until_the_in_flight_limit() -> None:
    """A request still on the wire may yet be stamped, so its slot stays taken until it is
    answered or IN_FLIGHT_LIMIT has passed."""
    log = AdmissionLog(1, margin=0.0)
    log.admit(0.0)
    assert log.delay(1.5) == pytest.approx(IN_FLIGHT_LIMIT + 1.0 - 1.5)


# --- FloodAwareRateLimiter: windows on the event loop ---------------------------------------


def arrival_times(telegram: FakeTelegram) -> list[float]:
    """When each request reached the fake Telegram (its 'server stamp')."""
    return [e.at for e in telegram.arrivals()]


@pytest.mark.usefixtures("quiet_gc")
async def test_a_burst_of_rate_requests_goes_at_once_and_the_next_waits() -> None:
    """`rate` requests arriving together all leave at once; one more waits a full second."""
    rate = 10
    telegram = FakeTelegram()
    limiter = FloodAwareRateLimiter(rate)
    await finish(*(submit(limiter, telegram.request(f"r{i}"), chat_id=i) for i in range(rate + 1)))
    times = arrival_times(telegram)
    assert times[rate - 1] - times[0] < 0.5  # no spacing: they did not wait for one another
    assert times[rate] - times[0] >= 1.0


@pytest.mark.usefixtures("quiet_gc")
async def test_waves_of_requests_never_exceed_the_rate_in_any_second() -> None:
    """Requests arriving in uneven waves reach Telegram at most `rate` in any one second."""
    rate = 5
    telegram = FakeTelegram()
    limiter = FloodAwareRateLimiter(rate)
    tasks = []
    for wave, (size, pause) in enumerate([(7, 0.3), (2, 0.4), (6, 0.05), (4, 0.0)]):
        tasks += [submit(limiter, telegram.request(f"w{wave}-{i}")) for i in range(size)]
        await asyncio.sleep(pause)
    await finish(*tasks)
    assert len(telegram.arrivals()) == 19
    assert busiest_second(arrival_times(telegram)) <= rate


@pytest.mark.usefixtures("quiet_gc")
async def test_a_request_on_the_wire_counts_from_its_answer() -> None:
    """A slow request may be stamped late, so its slot is free again a second after its answer,
    not a second after it left."""
    telegram = FakeTelegram()
    limiter = FloodAwareRateLimiter(1)
    slow_answer = asyncio.Event()
    slow = submit(limiter, telegram.request("slow", hold=slow_answer))
    await telegram.until(lambda: len(telegram.arrivals()) >= 1)
    following = submit(limiter, telegram.request("following"))
    await asyncio.sleep(0.3)
    answered_at = asyncio.get_running_loop().time()
    slow_answer.set()
    await finish(slow, following)
    [_, after] = telegram.arrivals()
    assert after.at >= answered_at + 1.0


async def test_requests_without_a_chat_are_not_limited() -> None:
    """Calls such as getMe address no chat, so no window holds them back."""
    telegram = FakeTelegram()
    limiter = FloodAwareRateLimiter(1)
    await finish(*(submit(limiter, telegram.request(f"r{i}"), chat_id=None) for i in range(3)))
    times = arrival_times(telegram)
    assert times[-1] - times[0] < 0.5


@pytest.mark.usefixtures("quiet_gc")
async def test_paid_broadcasts_are_counted_in_their_own_window() -> None:
    """Paid broadcasts go `paid_rate` at once, not held by the ordinary rate, then wait."""
    rate, paid_rate = 1, 5
    telegram = FakeTelegram()
    limiter = FloodAwareRateLimiter(rate, paid_rate=paid_rate)
    await finish(
        *(submit(limiter, telegram.request(f"p{i}"), chat_id=i, paid=True) for i in range(6))
    )
    times = arrival_times(telegram)
    assert times[paid_rate - 1] - times[0] < 0.5
    assert times[paid_rate] - times[0] >= 1.0


async def test_paid_broadcasts_do_not_wait_behind_ordinary_requests() -> None:
    """A full ordinary window does not delay a paid broadcast."""
    telegram = FakeTelegram()
    limiter = FloodAwareRateLimiter(1, paid_rate=20)
    await finish(
        submit(limiter, telegram.request("ordinary")),
        submit(limiter, telegram.request("waiting")),
        submit(limiter, telegram.request("paid"), paid=True),
    )
    assert [e.name for e in telegram.arrivals()] == ["ordinary", "paid", "waiting"]


@pytest.mark.usefixtures("quiet_gc")
async def test_without_paid_rate_paid_broadcasts_share_the_ordinary_window() -> None:
    """With no paid_rate configured, allow_paid_broadcast buys no extra speed."""
    telegram = FakeTelegram()
    limiter = FloodAwareRateLimiter(1)
    await finish(
        submit(limiter, telegram.request("ordinary")),
        submit(limiter, telegram.request("paid"), paid=True),
    )
    [ordinary, paid] = telegram.arrivals()
    assert paid.at - ordinary.at >= 1.0


async def test_an_interactive_reply_gets_the_next_slot_before_queued_sends() -> None:
    """When the window is full, a handler's reply waiting for a slot leaves before outbox sends
    that were queued earlier; the outbox sends keep their own order."""
    telegram = FakeTelegram()
    limiter = FloodAwareRateLimiter(2)
    fillers = [submit(limiter, telegram.request(f"f{i}")) for i in range(2)]
    await telegram.until(lambda: len(telegram.arrivals()) >= 2)
    queued = [submit(limiter, telegram.request(f"o{i}"), args=OUTBOX) for i in range(2)]
    await asyncio.sleep(0)  # the outbox sends are waiting before the reply comes
    reply = submit(limiter, telegram.request("reply"))
    await finish(*fillers, *queued, reply)
    assert [e.name for e in telegram.arrivals()] == ["f0", "f1", "reply", "o0", "o1"]


async def test_a_cancelled_waiter_does_not_hold_up_the_queue() -> None:
    """A request given up while waiting for a slot leaves the queue; the next one still goes."""
    telegram = FakeTelegram()
    limiter = FloodAwareRateLimiter(1)
    await finish(submit(limiter, telegram.request("first")))
    given_up = submit(limiter, telegram.request("given up"), args=OUTBOX)
    following = submit(limiter, telegram.request("following"), args=OUTBOX)
    await asyncio.sleep(0.1)
    given_up.cancel()
    [result] = await finish(following)
    assert result is True
    assert [e.name for e in telegram.arrivals()] == ["first", "following"]


def test_lanes_put_interactive_replies_first() -> None:
    """The lane order is what the queue sorts by."""
    assert Lane.INTERACTIVE < Lane.OUTBOX
    assert OUTBOX.lane is Lane.OUTBOX
    assert RateLimitArgs().lane is Lane.INTERACTIVE


# --- FloodAwareRateLimiter: 429s ------------------------------------------------------------


async def test_a_429_is_retried_after_its_pause_until_accepted() -> None:
    """Two 429s within max_retries=2: the request is sent three times and succeeds."""
    telegram = FakeTelegram()
    limiter = FloodAwareRateLimiter(1000, max_retries=2)
    [result] = await finish(submit(limiter, telegram.request("r", 0.05, 0.05)))
    assert result is True
    arrivals = telegram.arrivals()
    refusals = [e for e in telegram.log if e.kind == "refused"]
    assert len(arrivals) == 3
    for refusal, retry in zip(refusals, arrivals[1:], strict=True):
        assert retry.at >= refusal.at + 0.05


async def test_a_request_refused_more_than_max_retries_times_raises() -> None:
    """The third 429 with max_retries=2 goes back to the caller (the sender)."""
    telegram = FakeTelegram()
    limiter = FloodAwareRateLimiter(1000, max_retries=2)
    [result] = await finish(submit(limiter, telegram.request("r", 0.01, 0.01, 0.01)))
    assert isinstance(result, RetryAfter)
    assert len(telegram.arrivals()) >= 3


async def test_rate_limit_args_zero_means_no_retries() -> None:
    """A per-call 0 overrides max_retries (PTB's limiter would read 0 as 'use the default')."""
    telegram = FakeTelegram()
    limiter = FloodAwareRateLimiter(1000, max_retries=2)
    [result] = await finish(
        submit(limiter, telegram.request("r", 0.01), args=RateLimitArgs(retries=0))
    )
    assert isinstance(result, RetryAfter)
    assert len(telegram.arrivals()) >= 1


async def test_the_gate_stays_closed_after_the_last_retry_fails() -> None:
    """A 429 given back to the caller still closes the gate, so the sender waits it out too."""
    telegram = FakeTelegram()
    limiter = FloodAwareRateLimiter(1000, max_retries=0)
    [result] = await finish(submit(limiter, telegram.request("r", LONG_PAUSE)))
    assert isinstance(result, RetryAfter)
    assert not limiter.gate.is_open()


async def test_a_429_holds_requests_that_address_no_chat_too() -> None:
    """The gate is bot-wide: a getMe-like call sent during a pause waits for its end."""
    telegram = FakeTelegram()
    limiter = FloodAwareRateLimiter(1000, max_retries=0)
    await finish(submit(limiter, telegram.request("refused", 0.2)))
    await finish(submit(limiter, telegram.request("no-chat"), chat_id=None))
    assert telegram.sent_during(telegram.refusal("refused")) == []


@pytest.mark.usefixtures("quiet_gc")
async def test_requests_queued_during_a_pause_leave_after_it_within_the_rate() -> None:
    """Requests whose slots come up while the gate is closed leave after it, and never more
    than the rate in any second: the window, not the gate's opening, decides when."""
    rate = 3
    telegram = FakeTelegram()
    limiter = FloodAwareRateLimiter(rate, max_retries=0)
    answer_first = asyncio.Event()
    first = submit(limiter, telegram.request("first", 0.3, hold=answer_first))
    queued = [submit(limiter, telegram.request(f"q{i}"), chat_id=i) for i in range(6)]
    # As above: once `first` is on the wire (and a loop turn later), the others wait for slots.
    await telegram.until(lambda: len(telegram.arrivals()) >= 1)
    await asyncio.sleep(0)
    answer_first.set()
    await finish(first, *queued)
    refusal = telegram.refusal("first")
    assert telegram.sent_during(refusal) == []
    assert len(telegram.arrivals()) == 7
    assert busiest_second(arrival_times(telegram)) <= rate
