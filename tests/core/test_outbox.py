"""Outbox messages: every kind round-trips through the codec and owns its delivery policy."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core import outbox
from bot.core.outbox import (
    BroadcastCopy,
    CheckinPrompt,
    CodecError,
    FootCheck,
    MessageKind,
    OutboxMessage,
    TipMessage,
    WeeklyChart,
)

DAY = date(2026, 11, 24)
BUTTONS = (
    (("0", "ci:2026-11-24:0"), ("1", "ci:2026-11-24:1")),
    (("Warning sign", "ws:2026-11-24"),),
)

ONE_OF_EACH: list[OutboxMessage] = [
    TipMessage("Rest your foot."),
    CheckinPrompt("How is your pain?", BUTTONS),
    WeeklyChart(DAY),
    FootCheck("Weekly foot check", BUTTONS),
    BroadcastCopy("Hello 小明", ({"type": "bold", "offset": 0, "length": 5},), paid=True),
    BroadcastCopy("Plain"),
]


@pytest.mark.parametrize("message", ONE_OF_EACH, ids=repr)
def test_every_kind_round_trips(message: OutboxMessage) -> None:
    assert outbox.decode(message.kind, outbox.encode(message)) == message


def test_every_kind_has_a_message_class() -> None:
    assert {m.kind for m in ONE_OF_EACH} == set(MessageKind)


def test_only_the_check_in_is_resent_after_an_ambiguous_timeout() -> None:
    """A lost check-in costs a day of data; a duplicate tip or broadcast is worse than none."""
    resent = {m.kind for m in ONE_OF_EACH if m.resend_after_timeout}
    skipped = {m.kind for m in ONE_OF_EACH if m.skip_when_answered}
    assert resent == skipped == {MessageKind.CHECKIN}


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        ("tip", "{}"),
        ("tip", "[]"),
        ("tip", "not json"),
        ("weekly", '{"end": "soon"}'),
        ("checkin", '{"text": "q", "buttons": [["not a pair"]]}'),
        ("broadcast", '{"text": "x", "entities": "bold"}'),
        ("carrier-pigeon", '{"text": "x"}'),
    ],
)
def test_a_payload_that_does_not_fit_its_kind_is_refused(kind: str, payload: str) -> None:
    with pytest.raises(CodecError):
        outbox.decode(kind, payload)
