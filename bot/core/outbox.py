"""The messages the outbox carries: one frozen dataclass per kind, and their one JSON codec.

Each kind owns its delivery policy, so the sender never compares kind strings. The JSON
shapes are those already stored by earlier versions, so rows queued before an upgrade decode.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import ClassVar

from bot.core.replies import Buttons

Entity = Mapping[str, object]  # a Telegram MessageEntity as JSON


class MessageKind(StrEnum):
    """The kinds of outbox row (stored in outbox.kind)."""

    TIP = "tip"
    CHECKIN = "checkin"
    DAILY = "daily"
    WEEKLY = "weekly"
    FOOT_CHECK = "footcheck"
    BROADCAST = "broadcast"


class CodecError(ValueError):
    """A stored payload does not match its kind."""


class _Policy:
    """Each kind's delivery policy; the defaults suit every kind but the check-in."""

    # Send again after a timeout that may have delivered it? Only where a missed message
    # costs more than a duplicate.
    resend_after_timeout: ClassVar[bool] = False
    # Drop it, unsent, once the day's check-in is answered?
    skip_when_answered: ClassVar[bool] = False
    # Does enqueueing it open the day's check-in, so a typed number answers it?
    opens_checkin: ClassVar[bool] = False


@dataclass(frozen=True)
class TipMessage(_Policy):
    """The daily tip (a duplicate tip is worse than a missed one)."""

    kind: ClassVar[MessageKind] = MessageKind.TIP

    text: str


@dataclass(frozen=True)
class CheckinPrompt(_Policy):
    """The daily pain question with its 0-10 buttons."""

    kind: ClassVar[MessageKind] = MessageKind.CHECKIN
    # A missing check-in costs a day of data, so it is sent again unless answered meanwhile.
    resend_after_timeout: ClassVar[bool] = True
    skip_when_answered: ClassVar[bool] = True
    opens_checkin: ClassVar[bool] = True

    text: str
    buttons: Buttons


# Between the tip and the question in a daily message. The question is the message's last
# paragraph (a check-in prompt has no blank line), so an answer can keep everything above it.
PARAGRAPH = "\n\n"


@dataclass(frozen=True)
class DailyMessage(_Policy):
    """The day's tip and check-in question in one message, under the 0-10 buttons.

    Policy, part by part, because the two halves want opposite things:
    - After a timeout that may have delivered it, it is sent again (a missing check-in costs
      a day of data), but only its question: `remaining(tip_may_have_arrived=True)` drops the
      tip, because a duplicate tip is worse than a missed one. At worst the user sees the
      question twice, never the tip.
    - It is not skipped when the check-in is answered before it goes out (by /checkin or a
      typed number): the tip has not arrived yet, so it goes alone, without the question
      (`remaining(answered=True)`). Only when both halves are moot is nothing sent.
    - Enqueueing it opens the day's check-in for a typed number, like a `CheckinPrompt`.
    """

    kind: ClassVar[MessageKind] = MessageKind.DAILY
    resend_after_timeout: ClassVar[bool] = True
    opens_checkin: ClassVar[bool] = True

    tip: str
    prompt: str
    buttons: Buttons

    @property
    def text(self) -> str:
        """Return the message as sent: the tip, a blank line, the question."""
        return f"{self.tip}{PARAGRAPH}{self.prompt}"

    def remaining(
        self, *, answered: bool = False, tip_may_have_arrived: bool = False
    ) -> DailyMessage | TipMessage | CheckinPrompt | None:
        """Return what is still worth sending of it, given what happened since it was queued."""
        if tip_may_have_arrived:
            return None if answered else CheckinPrompt(self.prompt, self.buttons)
        return TipMessage(self.tip) if answered else self


def tip_above_question(shown: str) -> str | None:
    """Return the tip of a daily message's shown text, None for a question sent alone."""
    tip, blank, _ = shown.rpartition(PARAGRAPH)
    return tip if blank and tip else None


@dataclass(frozen=True)
class WeeklyChart(_Policy):
    """The weekly pain chart, drawn at send time so it includes the latest answer."""

    kind: ClassVar[MessageKind] = MessageKind.WEEKLY

    end: date


@dataclass(frozen=True)
class FootCheck(_Policy):
    """The weekly one-tap foot check for users with diabetes, with its answer buttons."""

    kind: ClassVar[MessageKind] = MessageKind.FOOT_CHECK

    text: str
    buttons: Buttons


@dataclass(frozen=True)
class BroadcastCopy(_Policy):
    """One subscriber's copy of an admin broadcast."""

    kind: ClassVar[MessageKind] = MessageKind.BROADCAST

    text: str
    entities: tuple[Entity, ...] = ()
    paid: bool = False  # sent with allow_paid_broadcast, through the paid share of the rate


OutboxMessage = TipMessage | CheckinPrompt | DailyMessage | WeeklyChart | FootCheck | BroadcastCopy


def encode(message: OutboxMessage) -> str:
    """Return the JSON stored in outbox.payload for a message."""
    payload: dict[str, object]
    match message:
        case TipMessage(text=text):
            payload = {"text": text}
        case CheckinPrompt(text=text, buttons=buttons) | FootCheck(text=text, buttons=buttons):
            payload = {"text": text, "buttons": _encode_buttons(buttons)}
        case DailyMessage(tip=tip, prompt=prompt, buttons=buttons):
            payload = {"tip": tip, "prompt": prompt, "buttons": _encode_buttons(buttons)}
        case WeeklyChart(end=end):
            payload = {"photo": "weekly", "end": end.isoformat()}
        case BroadcastCopy(text=text, entities=entities, paid=paid):
            payload = {"text": text}
            if entities:
                payload["entities"] = [dict(e) for e in entities]
            if paid:
                payload["paid"] = True
    return json.dumps(payload, ensure_ascii=False)


def decode(kind: str, payload: str) -> OutboxMessage:
    """Rebuild a message from its stored kind and JSON; raise CodecError when they don't fit."""
    try:
        data = json.loads(payload)
        message_kind = MessageKind(kind)
        if not isinstance(data, dict):
            raise CodecError(f"{kind} payload is not an object")
        match message_kind:
            case MessageKind.TIP:
                return TipMessage(_text(data))
            case MessageKind.CHECKIN:
                return CheckinPrompt(_text(data), _buttons(data.get("buttons")))
            case MessageKind.DAILY:
                return DailyMessage(
                    _text(data, "tip"), _text(data, "prompt"), _buttons(data.get("buttons"))
                )
            case MessageKind.FOOT_CHECK:
                return FootCheck(_text(data), _buttons(data.get("buttons")))
            case MessageKind.WEEKLY:
                return WeeklyChart(date.fromisoformat(str(data["end"])))
            case MessageKind.BROADCAST:
                entities = data.get("entities") or []
                if not isinstance(entities, list) or not all(isinstance(e, dict) for e in entities):
                    raise CodecError("broadcast entities are not a list of objects")
                return BroadcastCopy(_text(data), tuple(entities), bool(data.get("paid")))
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, CodecError):
            raise
        raise CodecError(f"bad {kind} payload: {exc}") from exc


def _encode_buttons(buttons: Buttons) -> list[list[list[str]]]:
    return [[list(b) for b in row] for row in buttons]


def _text(data: dict[str, object], field: str = "text") -> str:
    text = data.get(field)
    if not isinstance(text, str):
        raise CodecError(f"payload has no {field}")
    return text


def _buttons(raw: object) -> Buttons:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise CodecError("buttons are not a list of rows")
    built = []
    for row in raw:
        if not isinstance(row, list):
            raise CodecError("a button row is not a list")
        pairs = []
        for button in row:
            if not (isinstance(button, list) and len(button) == 2):
                raise CodecError("a button is not a [label, data] pair")
            pairs.append((str(button[0]), str(button[1])))
        built.append(tuple(pairs))
    return tuple(built)
