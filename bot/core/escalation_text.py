"""Words for escalations: the see-a-doctor message, the red-flag question and its buttons.

Only escalation messages say "doctor"; the question and buttons never do, so tests can tell
an escalation apart from everything else the bot sends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from bot.core.escalation import (
    DayScore,
    Escalation,
    RedFlag,
    RuleId,
    Urgency,
    normalise,
    sort_by_urgency,
)

MAX_MESSAGE_CHARS = 1500
MAX_BUTTON_CHARS = 30
DEFAULT_SHOWN = 14

# Month names fixed here rather than strftime("%b"), which follows the server's locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_GP = "a GP (your family doctor)"

# Who to see, per rule; how soon comes from the urgency, which the rules file may change.
_WHO: Mapping[RuleId, str] = MappingProxyType(
    {
        RuleId.PERSISTENT: f"{_GP} or a physiotherapist",
        RuleId.SEVERE: _GP,
        RuleId.WORSENING: _GP,
        RuleId.RED_FLAG_EMERGENCY: _GP,
        RuleId.RED_FLAG_URGENT: _GP,
        RuleId.DIABETES: f"{_GP} or your diabetes foot-care team",
        RuleId.LONG_HAUL: f"{_GP} about a referral to a foot specialist",
    }
)

# Short "what to do" for the secondary rules listed under "Also".
_BRIEF: Mapping[Urgency, str] = MappingProxyType(
    {
        Urgency.EMERGENCY: "go to urgent care or A&E now",
        Urgency.URGENT: "see a doctor today",
        Urgency.SOON: "see a doctor within days",
        Urgency.ROUTINE: "see a doctor",
        Urgency.ADVICE: "ask about a specialist referral",
    }
)

_DISCLAIMER = (
    "FootCare cannot diagnose you and this is not medical advice: it only tells you when "
    "NHS guidance says to get your foot checked."
)
_SAFETY_NET = (
    "If you cannot put weight on your foot, it changes shape, or you feel feverish, "
    "go to urgent care or A&E."
)

_RED_FLAG_LABELS: tuple[tuple[RedFlag, str], ...] = (
    (RedFlag.INJURY, "Snap, pop or grinding"),
    (RedFlag.CANNOT_BEAR_WEIGHT, "Can't put weight on it"),
    (RedFlag.MISSHAPEN, "Foot looks misshapen"),
    (RedFlag.NUMBNESS, "Numbness or tingling"),
    (RedFlag.HOT_RED_SWOLLEN, "Hot, red or swollen"),
    (RedFlag.NONE, "None of these"),
)


def _headline(escalation: Escalation) -> str:
    who = _WHO[escalation.rule]
    match escalation.urgency:
        case Urgency.EMERGENCY:
            return (
                "Go to urgent care or A&E now so a doctor can check your foot. "
                "In the UK call 111, or 999 if it is an emergency."
            )
        case Urgency.URGENT:
            return (
                f"Please see a doctor today: ask {who} for an urgent appointment "
                "(in the UK you can also call 111)."
            )
        case Urgency.SOON:
            return f"Please see a doctor soon, within the next few days: book {who}."
        case Urgency.ROUTINE:
            return f"Please see a doctor: book an appointment with {who}."
        case Urgency.ADVICE:
            return f"Please talk to a doctor: ask {who}."


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
    lang: str = "en",
    shown: int = DEFAULT_SHOWN,
) -> str:
    """Return one plain-text see-a-doctor message covering every escalation that fired."""
    # Only English is written and reviewed so far; any other lang gets English rather than
    # an unreviewed translation of a safety message.
    if not escalations:
        raise ValueError("escalation_message needs at least one escalation")
    ordered = sort_by_urgency(escalations)
    lead, others = ordered[0], ordered[1:]
    parts = [_headline(lead), f"Why: {lead.reason}."]
    if others:
        also = [f"- {e.reason} ({_BRIEF[e.urgency]})" for e in others]
        parts.append("Also:\n" + "\n".join(also))
    parts.append(_DISCLAIMER)
    if lead.urgency is not Urgency.EMERGENCY:
        parts.append(_SAFETY_NET)
    summary = score_summary(history, shown)
    text = "\n\n".join([*parts, summary])
    # Reasons are short, so this only bites with unusual configs; the headline, the reason
    # and the disclaimer matter more than old scores, so trim the score line first.
    while len(text) > MAX_MESSAGE_CHARS and shown > 1:
        shown -= 1
        text = "\n\n".join([*parts, score_summary(history, shown)])
    return text[:MAX_MESSAGE_CHARS]


def red_flag_question_text() -> str:
    """Return the one-tap follow-up asked after a high or sharply higher score."""
    return (
        "Your pain is high or has gone up, so one quick question: is any of these true "
        "for your foot? If more than one is, tap the one nearest the top."
    )


def red_flag_options() -> list[tuple[RedFlag, str]]:
    """Return each red flag with its button label, "None of these" last."""
    return list(_RED_FLAG_LABELS)
