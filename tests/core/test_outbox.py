"""Outbox messages: every kind round-trips through the codec and owns its delivery policy."""

from __future__ import annotations

from datetime import date

import pytest

from bot.content.catalogs import packaged_catalogs
from bot.core import outbox, texts
from bot.core.i18n import Language
from bot.core.outbox import (
    BroadcastCopy,
    CheckinPrompt,
    CodecError,
    DailyMessage,
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
    DailyMessage("Today's foot-care tip\n\nRest.\n\nSource: NHS", "Check-in\nPain?", BUTTONS),
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


def test_only_what_carries_a_check_in_is_resent_after_an_ambiguous_timeout() -> None:
    """A lost check-in costs a day of data; a duplicate tip or broadcast is worse than none."""
    resent = {m.kind for m in ONE_OF_EACH if m.resend_after_timeout}
    assert resent == {MessageKind.CHECKIN, MessageKind.DAILY}


def test_only_the_lone_check_in_is_skipped_once_answered() -> None:
    """A daily message still carries an undelivered tip when its check-in is answered."""
    skipped = {m.kind for m in ONE_OF_EACH if m.skip_when_answered}
    assert skipped == {MessageKind.CHECKIN}


def test_what_opens_the_check_in_for_typed_numbers() -> None:
    opening = {m.kind for m in ONE_OF_EACH if m.opens_checkin}
    assert opening == {MessageKind.CHECKIN, MessageKind.DAILY}


DAILY = DailyMessage("Tip\n\nSource: NHS", "Check-in for 24 Nov\nPain?", BUTTONS)


def test_a_daily_message_shows_the_tip_above_the_question() -> None:
    assert DAILY.text == "Tip\n\nSource: NHS\n\nCheck-in for 24 Nov\nPain?"


def test_a_daily_message_goes_whole_when_nothing_happened() -> None:
    assert DAILY.remaining() == DAILY


def test_an_answered_daily_message_still_delivers_its_tip_alone() -> None:
    assert DAILY.remaining(answered=True) == TipMessage(DAILY.tip)


def test_a_resend_after_an_ambiguous_timeout_never_repeats_the_tip() -> None:
    """Only the question goes again: at worst it is seen twice, the tip never."""
    resend = DAILY.remaining(tip_may_have_arrived=True)
    assert resend == CheckinPrompt(DAILY.prompt, BUTTONS)
    assert DAILY.remaining(answered=True, tip_may_have_arrived=True) is None


def test_the_tip_above_a_question_is_found_in_the_shown_text() -> None:
    assert outbox.tip_above_question(DAILY.text) == DAILY.tip


def test_a_question_sent_alone_has_no_tip_above_it() -> None:
    assert outbox.tip_above_question("Check-in for 24 Nov\nPain?") is None


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        ("tip", "{}"),
        ("tip", "[]"),
        ("tip", "not json"),
        ("weekly", '{"end": "soon"}'),
        ("checkin", '{"text": "q", "buttons": [["not a pair"]]}'),
        ("daily", '{"text": "tip and question"}'),
        ("daily", '{"tip": "t", "prompt": 3}'),
        ("broadcast", '{"text": "x", "entities": "bold"}'),
        ("carrier-pigeon", '{"text": "x"}'),
    ],
)
def test_a_payload_that_does_not_fit_its_kind_is_refused(kind: str, payload: str) -> None:
    with pytest.raises(CodecError):
        outbox.decode(kind, payload)


@pytest.mark.parametrize("language", list(Language))
def test_the_check_in_question_is_one_paragraph_in_every_language(language: Language) -> None:
    """An answer keeps what is above the question's paragraph: the question has only one."""
    t = packaged_catalogs()[language]
    prompt = texts.checkin_prompt(t, DAY)
    assert outbox.PARAGRAPH not in prompt
    tip = texts.tip_message(t, "Rest.", "NHS")
    shown = DailyMessage(tip, prompt, BUTTONS).text
    assert outbox.tip_above_question(shown) == tip
