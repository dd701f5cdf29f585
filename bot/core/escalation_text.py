"""Words for escalations: the see-a-doctor message, the red-flag question and its buttons.

Only escalation messages say "doctor"; the question and buttons never do, so tests can tell
an escalation apart from everything else the bot sends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Protocol

from bot.core.escalation import (
    DayScore,
    Escalation,
    RuleId,
    Urgency,
    normalise,
    sort_by_urgency,
)
from bot.core.warning_signs import RedFlag, offered

MAX_MESSAGE_CHARS = 1500
MAX_BUTTON_CHARS = 30
DEFAULT_SHOWN = 14

# Month names fixed here rather than strftime("%b"), which follows the server's locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Routes(Protocol):
    """Where a user in their country goes for help (bot.core.countries.Country fits)."""

    @property
    def emergency(self) -> str:
        """The emergency number, e.g. "999"."""

    @property
    def urgent(self) -> str | None:
        """The urgent non-emergency number, e.g. "111", if the country has one."""

    @property
    def urgent_name(self) -> str | None:
        """The name of that service, e.g. "NHS 111"."""

    @property
    def family_doctor(self) -> str:
        """The usual words for a family doctor, e.g. "GP"."""

    @property
    def emergency_department(self) -> str:
        """The usual words for an emergency department, e.g. "A&E"."""


# Who to see, per rule, given the local words for a family doctor.
_WHO: Mapping[RuleId, str] = MappingProxyType(
    {
        RuleId.PERSISTENT: "{gp} or a physiotherapist",
        RuleId.SEVERE: "{gp}",
        RuleId.SEVERE_DAY: "{gp}",
        RuleId.WORSENING: "{gp}",
        RuleId.RECURRING: "{gp} or a physiotherapist",
        RuleId.RED_FLAG_EMERGENCY: "{gp}",
        RuleId.RED_FLAG_URGENT: "{gp}",
        RuleId.RED_FLAG_SOON: "{gp}",
        RuleId.DIABETES: "{gp} or your diabetes foot protection team",
        RuleId.LONG_HAUL: "{gp} about a referral to a foot specialist",
    }
)

_UNKNOWN_EMERGENCY = "your local emergency number"
_UNKNOWN_DEPARTMENT = "the nearest emergency department"
_UNKNOWN_GP = "your family doctor"

_DISCLAIMER = (
    "FootCare cannot diagnose you and this is not medical advice. When to get checked is "
    "based on NHS guidance; how many days and points count is FootCare's own, cautious choice."
)

_RED_FLAG_LABELS: Mapping[RedFlag, str] = MappingProxyType(
    {
        RedFlag.INJURY: "Snap, pop or grinding",
        RedFlag.CANNOT_BEAR_WEIGHT: "Can't put weight on it",
        RedFlag.MISSHAPEN: "Foot looks misshapen",
        RedFlag.FALL: "Bad pain after a fall or knock",
        RedFlag.COLD_FOOT: "Foot cold, pale or blue",
        RedFlag.HOT_RED_SWOLLEN: "Hot, red or swollen",
        RedFlag.FEVER: "Fever or feeling unwell",
        RedFlag.DIABETES_FOOT: "Wound, blister or skin change",
        RedFlag.NUMBNESS: "Tingling, burning or numbness",
        RedFlag.REST_OR_NIGHT: "Pain at rest or at night",
        RedFlag.ANTIBIOTIC: "Began on quinolone antibiotic",
        RedFlag.BOTH_FEET: "Both heels + stiff joints",
        RedFlag.NONE: "None of these",
    }
)


# A quinolone antibiotic with tendon pain: the prescriber or a pharmacist should hear of it
# before the next dose (MHRA, via South Tees NHS).
_ANTIBIOTIC_WORDS = "quinolone antibiotic"
_ANTIBIOTIC_ADVICE = (
    "Before your next dose, contact the doctor who prescribed it or a pharmacist, and rest "
    "the painful leg."
)


def _words(routes: Routes | None) -> tuple[str, str, str]:
    if routes is None:
        return _UNKNOWN_EMERGENCY, _UNKNOWN_DEPARTMENT, _UNKNOWN_GP
    return routes.emergency, routes.emergency_department, routes.family_doctor


def _urgent_line(routes: Routes | None) -> str:
    if routes is None or routes.urgent is None:
        return ""
    name = routes.urgent_name or "the urgent advice line"
    return f" You can also call {name} on {routes.urgent} for advice."


def _headline(escalation: Escalation, routes: Routes | None) -> str:
    emergency, department, gp = _words(routes)
    who = _WHO[escalation.rule].format(gp=f"a {gp}" if routes is not None else gp)
    if escalation.rule is RuleId.SEVERE_DAY:
        return (
            "Pain this bad needs watching. If it goes on for more than a few days, or stops "
            f"you doing your normal activities, see a doctor: book {who}."
        )
    match escalation.urgency:
        case Urgency.EMERGENCY:
            return f"Call {emergency} or go to {department} now so a doctor can check your foot."
        case Urgency.URGENT:
            return (
                f"Please see a doctor today: ask {who} for an urgent appointment."
                + _urgent_line(routes)
            )
        case Urgency.SOON:
            return f"Please see a doctor soon, within the next few days: book {who}."
        case Urgency.ROUTINE:
            return f"Please see a doctor: book an appointment with {who}."
        case Urgency.ADVICE:
            return f"Please talk to a doctor: ask {who}."


def _safety_net(routes: Routes | None) -> str:
    emergency, department, _ = _words(routes)
    return (
        "If you cannot put weight on your foot, it changes shape, turns cold, pale or blue, "
        f"or you feel very unwell, call {emergency} or go to {department}."
    )


def _brief(urgency: Urgency, routes: Routes | None) -> str:
    emergency, department, _ = _words(routes)
    return {
        Urgency.EMERGENCY: f"call {emergency} or go to {department} now",
        Urgency.URGENT: "see a doctor today",
        Urgency.SOON: "see a doctor within days",
        Urgency.ROUTINE: "see a doctor",
        Urgency.ADVICE: "ask about a specialist referral",
    }[urgency]


def format_day(day_score: DayScore) -> str:
    """Return one check-in as "12 Nov 5"."""
    day = day_score.day
    return f"{day.day} {_MONTHS[day.month - 1]} {day_score.score}"


def score_summary(history: Sequence[DayScore], shown: int = DEFAULT_SHOWN) -> str:
    """Return the last check-ins compactly, with the year span, for showing a doctor."""
    days = normalise(history)[-shown:]
    if not days:
        return "No check-ins recorded yet."
    first, last = days[0].day, days[-1].day
    span = f"{first.year}" if first.year == last.year else f"{first.year}-{last.year}"
    count = "check-in" if len(days) == 1 else f"{len(days)} check-ins"
    header = f"Your last {count} (pain 0-10, {span}):"
    return header + "\n" + " · ".join(format_day(d) for d in days)


def escalation_message(
    escalations: Sequence[Escalation],
    history: Sequence[DayScore],
    *,
    routes: Routes | None = None,
    lang: str = "en",
    shown: int = DEFAULT_SHOWN,
) -> str:
    """Return one plain-text see-a-doctor message covering every escalation that fired.

    `routes` are the user's country's numbers and words; without them the message says
    "your local emergency number", never another country's number.
    """
    # Only English is written and reviewed so far; any other lang gets English rather than
    # an unreviewed translation of a safety message.
    if not escalations:
        raise ValueError("escalation_message needs at least one escalation")
    ordered = sort_by_urgency(escalations)
    lead, others = ordered[0], ordered[1:]
    parts = [_headline(lead, routes), f"Why: {lead.reason}."]
    if _ANTIBIOTIC_WORDS in lead.reason:
        parts.append(_ANTIBIOTIC_ADVICE)
    if others:
        also = [f"- {e.reason} ({_brief(e.urgency, routes)})" for e in others]
        parts.append("Also:\n" + "\n".join(also))
    parts.append(_DISCLAIMER)
    if lead.urgency is not Urgency.EMERGENCY:
        parts.append(_safety_net(routes))
    summary = score_summary(history, shown)
    text = "\n\n".join([*parts, summary])
    # Reasons are short, so this only bites with unusual configs; the headline, the reason
    # and the disclaimer matter more than old scores, so trim the score line first.
    while len(text) > MAX_MESSAGE_CHARS and shown > 1:
        shown -= 1
        text = "\n\n".join([*parts, score_summary(history, shown)])
    return text[:MAX_MESSAGE_CHARS]


def red_flag_question_text(*, asked: bool = True) -> str:
    """Return the warning-sign question: after a high or jumped score, or opened by the user."""
    lead = (
        "Your pain is high or has gone up, so one quick question: " if asked else "Warning signs: "
    )
    return (
        f"{lead}is any of these true for your foot? If more than one is, tap the one "
        "nearest the top."
    )


def red_flag_options(*, has_diabetes: bool = False) -> list[tuple[RedFlag, str]]:
    """Return the signs to offer with their button labels, most serious first."""
    return [(flag, _RED_FLAG_LABELS[flag]) for flag in offered(has_diabetes)]


def red_flag_label(flag: RedFlag) -> str:
    """Return the button label of any sign, offered to this user or not."""
    return _RED_FLAG_LABELS[flag]
