"""The one owner of inline-button callback data: every button's data is built and read here.

Each action has a typed payload; `encode` writes it as a short string (Telegram allows 64
bytes) and `decode` reads it back, returning None for anything unknown or forged. The string
shapes are those earlier versions sent, so buttons already in users' chats keep working.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.core.escalation import PainDuration
from bot.core.i18n import Language
from bot.core.outcomes import PainSite, Side
from bot.core.warning_signs import RedFlag

MAX_BYTES = 64  # Telegram's limit for callback_data
MAX_SCORE = 10
MAX_SIGN_PAGE = 9  # the warning-sign list has one page per urgency
_HHMM = re.compile(r"\d{1,2}:\d{2}")
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")


class Action(StrEnum):
    """What a button does; the value is the data's prefix."""

    CHECKIN = "ci"
    RED_FLAG = "rf"
    ZONE = "tz"
    TIME = "time"
    DIABETES = "dia"
    SETTINGS = "set"
    BROADCAST = "bc"
    DELETE = "del"
    DOCTOR_SUMMARY = "doc"
    WARNING_SIGNS = "ws"
    COUNTRY = "cty"
    LANGUAGE = "lang"
    PAIN = "pain"
    SHARE_NAME = "shn"
    SHARE_DAYS = "shd"
    SHARE_REVOKE = "shr"
    SITE = "site"
    SIDE = "side"
    JOINTS = "jnt"
    FIRST_STEP = "fs"


class DiabetesAnswer(StrEnum):
    """The optional diabetes question's answers."""

    YES = "yes"
    NO = "no"
    SKIP = "skip"


class SettingsItem(StrEnum):
    """The /settings buttons."""

    TIME = "time"
    ZONE = "tz"
    DIABETES = "diabetes"
    WEEKDAY = "weekday"  # without a day: offer the days; with one: choose it
    WEEKLY = "weekly"  # turn the weekly summary on or off
    COUNTRY = "country"  # offer the country choices
    PAIN = "pain"  # ask again how long the pain has gone on
    SITE = "site"  # ask again where it hurts and which foot
    FIRST_STEP = "first_step"  # turn the morning first-steps question on or off


@dataclass(frozen=True)
class CheckinAnswer:
    """A 0-10 score for the check-in of a local date."""

    day: date
    score: int


@dataclass(frozen=True)
class RedFlagAnswer:
    """An answer to the warning-sign question asked on a local date."""

    day: date
    flag: RedFlag


@dataclass(frozen=True)
class ZoneChoice:
    """A time zone, or None for "I'll type it"."""

    zone: str | None


@dataclass(frozen=True)
class TimeChoice:
    """A daily time as HH:MM, or None for "I'll type it"."""

    time: str | None


@dataclass(frozen=True)
class CountryChoice:
    """An ISO country code (NO_COUNTRY: "not listed"), or None for "I'll type it"."""

    code: str | None


@dataclass(frozen=True)
class PainChoice:
    """How long the pain has gone on, or None for "skip"."""

    duration: PainDuration | None


@dataclass(frozen=True)
class DiabetesChoice:
    """An answer to the diabetes question."""

    answer: DiabetesAnswer


@dataclass(frozen=True)
class SettingsChoice:
    """A /settings button; `weekday` (0 Monday) only with SettingsItem.WEEKDAY."""

    item: SettingsItem
    weekday: int | None = None


@dataclass(frozen=True)
class BroadcastChoice:
    """An admin's Send or Cancel under a broadcast preview."""

    broadcast_id: int
    send: bool


@dataclass(frozen=True)
class DeleteChoice:
    """The answer to "delete everything?"."""

    confirm: bool


@dataclass(frozen=True)
class WarningSignsRequest:
    """Open the warning-sign list for a local date: the button under a check-in (page 0), or
    "None of these: more signs" under a page of the list (the next page)."""

    day: date
    page: int = 0


@dataclass(frozen=True)
class DoctorSummaryRequest:
    """The "summary for your doctor" button under an escalation; with a language, the
    summary in that language (an English copy for a doctor abroad), else the user's own."""

    language: Language | None = None


@dataclass(frozen=True)
class LanguageChoice:
    """A /language button: speak this language from now on."""

    language: Language


@dataclass(frozen=True)
class ShareNameChoice:
    """/share's first question: show the user's first name on the page, or no name."""

    first_name: bool


# How long a share link may live, in days (bot.features.sharing.Duration's values).
SHARE_DAYS = (1, 14, 90)


@dataclass(frozen=True)
class ShareDaysChoice:
    """/share's second question: how many days the link works."""

    days: int


@dataclass(frozen=True)
class ShareRevoke:
    """A /shares button: withdraw that link now."""

    share_id: int


@dataclass(frozen=True)
class SiteChoice:
    """Where it hurts, tapped under the picture; None for "skip"."""

    site: PainSite | None


@dataclass(frozen=True)
class SideChoice:
    """Which foot hurts; None for "skip"."""

    side: Side | None


@dataclass(frozen=True)
class JointsAnswer:
    """ "No" to the once-asked both-feet question (stiff or swollen joints or back). Its "yes"
    is the warning sign's own button (RedFlagAnswer with RedFlag.BOTH_FEET)."""


@dataclass(frozen=True)
class FirstStepAnswer:
    """This morning's first-steps pain, 0-10, for a local date; None for "skip"."""

    day: date
    score: int | None


Callback = (
    CheckinAnswer
    | RedFlagAnswer
    | ZoneChoice
    | TimeChoice
    | CountryChoice
    | DiabetesChoice
    | PainChoice
    | SettingsChoice
    | BroadcastChoice
    | DeleteChoice
    | DoctorSummaryRequest
    | WarningSignsRequest
    | LanguageChoice
    | ShareNameChoice
    | ShareDaysChoice
    | ShareRevoke
    | SiteChoice
    | SideChoice
    | JointsAnswer
    | FirstStepAnswer
)

_OTHER = "other"
_SKIP = "skip"


def action_of(callback: Callback) -> Action:
    """Return the action a payload belongs to."""
    match callback:
        case CheckinAnswer():
            return Action.CHECKIN
        case RedFlagAnswer():
            return Action.RED_FLAG
        case ZoneChoice():
            return Action.ZONE
        case TimeChoice():
            return Action.TIME
        case CountryChoice():
            return Action.COUNTRY
        case DiabetesChoice():
            return Action.DIABETES
        case PainChoice():
            return Action.PAIN
        case SettingsChoice():
            return Action.SETTINGS
        case BroadcastChoice():
            return Action.BROADCAST
        case DeleteChoice():
            return Action.DELETE
        case DoctorSummaryRequest():
            return Action.DOCTOR_SUMMARY
        case WarningSignsRequest():
            return Action.WARNING_SIGNS
        case LanguageChoice():
            return Action.LANGUAGE
        case ShareNameChoice():
            return Action.SHARE_NAME
        case ShareDaysChoice():
            return Action.SHARE_DAYS
        case ShareRevoke():
            return Action.SHARE_REVOKE
        case SiteChoice():
            return Action.SITE
        case SideChoice():
            return Action.SIDE
        case JointsAnswer():
            return Action.JOINTS
        case FirstStepAnswer():
            return Action.FIRST_STEP


def _fields(callback: Callback) -> list[str]:
    match callback:
        case CheckinAnswer(day=day, score=score):
            return [day.isoformat(), str(score)]
        case RedFlagAnswer(day=day, flag=flag):
            return [day.isoformat(), flag.value]
        case ZoneChoice(zone=zone):
            return [zone or _OTHER]
        case TimeChoice(time=at):
            return [at or _OTHER]
        case CountryChoice(code=code):
            return [code or _OTHER]
        case DiabetesChoice(answer=answer):
            return [answer.value]
        case PainChoice(duration=duration):
            return [duration.value if duration is not None else _SKIP]
        case SettingsChoice(item=item, weekday=weekday):
            return [item.value] if weekday is None else [item.value, str(weekday)]
        case BroadcastChoice(broadcast_id=broadcast_id, send=send):
            return ["send" if send else "cancel", str(broadcast_id)]
        case DeleteChoice(confirm=confirm):
            return ["yes" if confirm else "no"]
        case DoctorSummaryRequest(language=language):
            return ["summary"] if language is None else ["summary", language.value]
        case WarningSignsRequest(day=day, page=page):
            return [day.isoformat()] if page == 0 else [day.isoformat(), str(page)]
        case LanguageChoice(language=language):
            return [language.value]
        case ShareNameChoice(first_name=first_name):
            return ["first" if first_name else "none"]
        case ShareDaysChoice(days=days):
            return [str(days)]
        case ShareRevoke(share_id=share_id):
            return [str(share_id)]
        case SiteChoice(site=site):
            return [site.value if site is not None else _SKIP]
        case SideChoice(side=side):
            return [side.value if side is not None else _SKIP]
        case JointsAnswer():
            return ["no"]
        case FirstStepAnswer(day=day, score=score):
            return [day.isoformat(), _SKIP if score is None else str(score)]


def encode(callback: Callback) -> str:
    """Return the callback data for a button; raise ValueError past Telegram's 64 bytes."""
    data = ":".join([action_of(callback).value, *_fields(callback)])
    if len(data.encode("utf-8")) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def decode(data: str | None) -> Callback | None:
    """Read callback data back; None when it is unknown, malformed or out of range."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES:
        return None
    prefix, _, rest = data.partition(":")
    try:
        action = Action(prefix)
    except ValueError:
        return None
    try:
        return _decode(action, rest)
    except ValueError:
        return None


def _decode(action: Action, rest: str) -> Callback | None:
    match action:
        case Action.CHECKIN:
            day, _, score = rest.rpartition(":")
            if not score.isdigit() or int(score) > MAX_SCORE:
                return None
            return CheckinAnswer(date.fromisoformat(day), int(score))
        case Action.RED_FLAG:
            day, _, flag = rest.partition(":")
            return RedFlagAnswer(date.fromisoformat(day), RedFlag(flag))
        case Action.ZONE:
            return ZoneChoice(None if rest == _OTHER else rest) if rest else None
        case Action.TIME:
            if rest == _OTHER:
                return TimeChoice(None)
            return TimeChoice(rest) if _HHMM.fullmatch(rest) else None
        case Action.COUNTRY:
            if rest == _OTHER:
                return CountryChoice(None)
            return CountryChoice(rest) if _COUNTRY_CODE.fullmatch(rest) else None
        case Action.DIABETES:
            return DiabetesChoice(DiabetesAnswer(rest))
        case Action.PAIN:
            return PainChoice(None if rest == _SKIP else PainDuration(rest))
        case Action.SETTINGS:
            item, _, weekday = rest.partition(":")
            choice = SettingsItem(item)
            if not weekday:
                return SettingsChoice(choice)
            if choice is not SettingsItem.WEEKDAY or not weekday.isdigit() or int(weekday) > 6:
                return None
            return SettingsChoice(choice, int(weekday))
        case Action.BROADCAST:
            verb, _, raw_id = rest.partition(":")
            if verb not in ("send", "cancel") or not raw_id.isdigit():
                return None
            return BroadcastChoice(int(raw_id), verb == "send")
        case Action.DELETE:
            return (
                DeleteChoice(True)
                if rest == "yes"
                else DeleteChoice(False)
                if rest == "no"
                else None
            )
        case Action.DOCTOR_SUMMARY:
            if rest == "summary":
                return DoctorSummaryRequest()
            what, _, language = rest.partition(":")
            return DoctorSummaryRequest(Language(language)) if what == "summary" else None
        case Action.WARNING_SIGNS:
            day, _, page = rest.partition(":")
            if not page:
                return WarningSignsRequest(date.fromisoformat(day))
            if not page.isdigit() or int(page) > MAX_SIGN_PAGE:
                return None
            return WarningSignsRequest(date.fromisoformat(day), int(page))
        case Action.LANGUAGE:
            return LanguageChoice(Language(rest))
        case Action.SHARE_NAME:
            return {"first": ShareNameChoice(True), "none": ShareNameChoice(False)}.get(rest)
        case Action.SHARE_DAYS:
            if not rest.isdecimal() or int(rest) not in SHARE_DAYS:
                return None
            return ShareDaysChoice(int(rest))
        case Action.SHARE_REVOKE:
            if not rest.isdecimal() or len(rest) > 18:
                return None
            return ShareRevoke(int(rest))
        case Action.SITE:
            return SiteChoice(None if rest == _SKIP else PainSite(rest))
        case Action.SIDE:
            return SideChoice(None if rest == _SKIP else Side(rest))
        case Action.JOINTS:
            return JointsAnswer() if rest == "no" else None
        case Action.FIRST_STEP:
            day, _, score = rest.partition(":")
            if score == _SKIP:
                return FirstStepAnswer(date.fromisoformat(day), None)
            if not score.isdigit() or int(score) > MAX_SCORE:
                return None
            return FirstStepAnswer(date.fromisoformat(day), int(score))


def matches(action: Action) -> Callable[[object], bool]:
    """Return a predicate for python-telegram-bot's CallbackQueryHandler(pattern=...)."""

    def match(data: object) -> bool:
        return isinstance(data, str) and data.partition(":")[0] == action.value

    return match
