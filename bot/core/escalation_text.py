"""Words for escalations: the see-a-doctor message, the red-flag question and its buttons.

Only escalation messages say "doctor" (医生 in Chinese); the question and buttons never do, so
tests can tell an escalation apart from everything else the bot sends. Every text is an
English msgid of the gettext catalogue, rendered in the reader's language.
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
from bot.core.i18n import N_, Language, Translator
from bot.core.warning_signs import SIGNS, RedFlag, offered

MAX_MESSAGE_CHARS = 1500
MAX_BUTTON_CHARS = 30
DEFAULT_SHOWN = 14


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
        RuleId.PERSISTENT: N_("{gp} or a physiotherapist"),
        RuleId.SEVERE: "{gp}",
        RuleId.SEVERE_DAY: "{gp}",
        RuleId.WORSENING: "{gp}",
        RuleId.RECURRING: N_("{gp} or a physiotherapist"),
        RuleId.RED_FLAG_EMERGENCY: "{gp}",
        RuleId.RED_FLAG_URGENT: "{gp}",
        RuleId.RED_FLAG_SOON: "{gp}",
        RuleId.DIABETES: N_("{gp} or your diabetes foot protection team"),
        RuleId.LONG_HAUL: N_("{gp} about a referral to a foot specialist"),
    }
)

_UNKNOWN_EMERGENCY = N_("your local emergency number")
_UNKNOWN_DEPARTMENT = N_("the nearest emergency department")
_UNKNOWN_GP = N_("your family doctor")

_DISCLAIMER = N_(
    "FootCare cannot diagnose you and this is not medical advice. When to get checked is "
    "based on NHS guidance; how many days and points count is FootCare's own, cautious choice."
)

_RED_FLAG_LABELS: Mapping[RedFlag, str] = MappingProxyType(
    {
        RedFlag.INJURY: N_("Snap, pop or grinding"),
        RedFlag.CANNOT_BEAR_WEIGHT: N_("Can't put weight on it"),
        RedFlag.MISSHAPEN: N_("Foot looks misshapen"),
        RedFlag.FALL: N_("Bad pain after a fall or knock"),
        RedFlag.COLD_FOOT: N_("Foot cold, pale or blue"),
        RedFlag.HOT_RED_SWOLLEN: N_("Hot, red or swollen"),
        RedFlag.FEVER: N_("Fever or feeling unwell"),
        RedFlag.DIABETES_FOOT: N_("Wound, blister or skin change"),
        RedFlag.NUMBNESS: N_("Tingling, burning or numbness"),
        RedFlag.REST_OR_NIGHT: N_("Pain at rest or at night"),
        RedFlag.ANTIBIOTIC: N_("Began on quinolone antibiotic"),
        RedFlag.BOTH_FEET: N_("Both heels + stiff joints"),
        RedFlag.NONE: N_("None of these"),
    }
)


# A quinolone antibiotic with tendon pain: the prescriber or a pharmacist should hear of it
# before the next dose (MHRA, via South Tees NHS).
_ANTIBIOTIC_WORDS = "quinolone antibiotic"
_ANTIBIOTIC_ADVICE = N_(
    "Before your next dose, contact the doctor who prescribed it or a pharmacist, and rest "
    "the painful leg."
)


def _words(t: Translator, routes: Routes | None) -> tuple[str, str, str]:
    if routes is None:
        return (
            t.gettext(_UNKNOWN_EMERGENCY),
            t.gettext(_UNKNOWN_DEPARTMENT),
            t.gettext(_UNKNOWN_GP),
        )
    if t.language is not Language.EN:
        # The country's words are English ("GP", "A&E"); its numbers speak every language.
        return routes.emergency, t.gettext(_UNKNOWN_DEPARTMENT), t.gettext(_UNKNOWN_GP)
    return routes.emergency, routes.emergency_department, f"a {routes.family_doctor}"


def _urgent_line(t: Translator, routes: Routes | None) -> str:
    if routes is None or routes.urgent is None:
        return ""
    name = routes.urgent_name or t.gettext("the urgent advice line")
    return t.gap + t.gettext("You can also call {service} on {number} for advice.").format(
        service=name, number=routes.urgent
    )


def _headline(t: Translator, escalation: Escalation, routes: Routes | None) -> str:
    emergency, department, gp = _words(t, routes)
    template = _WHO[escalation.rule]
    # A bare "{gp}" has nothing to translate, so it is not in the catalogue.
    who = (template if template == "{gp}" else t.gettext(template)).format(gp=gp)
    if escalation.rule is RuleId.SEVERE_DAY:
        return t.gettext(
            "Pain this bad needs watching. If it goes on for more than a few days, or stops "
            "you doing your normal activities, see a doctor: book {who}."
        ).format(who=who)
    match escalation.urgency:
        case Urgency.EMERGENCY:
            return t.gettext(
                "Call {emergency} or go to {department} now so a doctor can check your foot."
            ).format(emergency=emergency, department=department)
        case Urgency.URGENT:
            return t.gettext(
                "Please see a doctor today: ask {who} for an urgent appointment."
            ).format(who=who) + _urgent_line(t, routes)
        case Urgency.SOON:
            return t.gettext(
                "Please see a doctor soon, within the next few days: book {who}."
            ).format(who=who)
        case Urgency.ROUTINE:
            return t.gettext("Please see a doctor: book an appointment with {who}.").format(who=who)
        case Urgency.ADVICE:
            return t.gettext("Please talk to a doctor: ask {who}.").format(who=who)


def _safety_net(t: Translator, routes: Routes | None) -> str:
    emergency, department, _ = _words(t, routes)
    return t.gettext(
        "If you cannot put weight on your foot, it changes shape, turns cold, pale or blue, "
        "or you feel very unwell, call {emergency} or go to {department}."
    ).format(emergency=emergency, department=department)


def _brief(t: Translator, urgency: Urgency, routes: Routes | None) -> str:
    emergency, department, _ = _words(t, routes)
    if urgency is Urgency.EMERGENCY:
        return t.gettext("call {emergency} or go to {department} now").format(
            emergency=emergency, department=department
        )
    return t.gettext(
        {
            Urgency.URGENT: N_("see a doctor today"),
            Urgency.SOON: N_("see a doctor within days"),
            Urgency.ROUTINE: N_("see a doctor"),
            Urgency.ADVICE: N_("ask about a specialist referral"),
        }[urgency]
    )


def join_signs(t: Translator, values: Sequence[str]) -> str:
    """Join warning-sign values as words in the reader's language ("a, b and c")."""
    words = [
        t.gettext(SIGNS[RedFlag(value)].words) if value in _SIGN_VALUES else value
        for value in values
    ]
    if len(words) <= 1:
        return "".join(words)
    return t.gettext("{items} and {last}").format(
        items=t.gettext(", ").join(words[:-1]), last=words[-1]
    )


_SIGN_VALUES = frozenset(flag.value for flag in SIGNS)


def reason_text(t: Translator, escalation: Escalation) -> str:
    """Return why an escalation fired, in the reader's language (stored text if no template)."""
    return render_reason(t, escalation.template, dict(escalation.params), escalation.reason)


def render_reason(
    t: Translator,
    template: str | None,
    params: Mapping[str, object] | None,
    fallback: str,
) -> str:
    """Render a reason stored as data (msgid and parameters); `fallback` for older rows.

    A list or tuple parameter is warning-sign values, joined in the reader's language. A row
    whose data no longer fits the template (renamed placeholders) shows its stored text.
    """
    if not template:
        return fallback
    values = {
        name: join_signs(t, [str(v) for v in value]) if isinstance(value, list | tuple) else value
        for name, value in (params or {}).items()
    }
    try:
        return t.gettext(template).format(**values)
    except (KeyError, IndexError, ValueError):
        return fallback


def format_day(t: Translator, day_score: DayScore) -> str:
    """Return one check-in as "12 Nov 5"."""
    return f"{t.date(day_score.day, 'day_month')} {day_score.score}"


def score_summary(t: Translator, history: Sequence[DayScore], shown: int = DEFAULT_SHOWN) -> str:
    """Return the last check-ins compactly, with the year span, for showing a doctor."""
    days = normalise(history)[-shown:]
    if not days:
        return t.gettext("No check-ins recorded yet.")
    first, last = days[0].day, days[-1].day
    span = f"{first.year}" if first.year == last.year else f"{first.year}-{last.year}"
    header = t.ngettext(
        "Your last check-in (pain 0-10, {span}):",
        "Your last {n} check-ins (pain 0-10, {span}):",
        len(days),
    ).format(n=len(days), span=span)
    return header + "\n" + " · ".join(format_day(t, d) for d in days)


def escalation_message(
    t: Translator,
    escalations: Sequence[Escalation],
    history: Sequence[DayScore],
    *,
    routes: Routes | None = None,
    shown: int = DEFAULT_SHOWN,
) -> str:
    """Return one plain-text see-a-doctor message covering every escalation that fired.

    `routes` are the user's country's numbers and words; without them the message says
    "your local emergency number", never another country's number.
    """
    if not escalations:
        raise ValueError("escalation_message needs at least one escalation")
    ordered = sort_by_urgency(escalations)
    lead, others = ordered[0], ordered[1:]
    parts = [
        _headline(t, lead, routes),
        t.gettext("Why: {reason}.").format(reason=reason_text(t, lead)),
    ]
    if _ANTIBIOTIC_WORDS in lead.reason:
        parts.append(t.gettext(_ANTIBIOTIC_ADVICE))
    if others:
        also = [
            t.gettext("- {reason} ({action})").format(
                reason=reason_text(t, e), action=_brief(t, e.urgency, routes)
            )
            for e in others
        ]
        parts.append(t.gettext("Also:") + "\n" + "\n".join(also))
    parts.append(t.gettext(_DISCLAIMER))
    if lead.urgency is not Urgency.EMERGENCY:
        parts.append(_safety_net(t, routes))
    summary = score_summary(t, history, shown)
    text = "\n\n".join([*parts, summary])
    # Reasons are short, so this only bites with unusual configs; the headline, the reason
    # and the disclaimer matter more than old scores, so trim the score line first.
    while len(text) > MAX_MESSAGE_CHARS and shown > 1:
        shown -= 1
        text = "\n\n".join([*parts, score_summary(t, history, shown)])
    return text[:MAX_MESSAGE_CHARS]


def red_flag_question_text(t: Translator, *, asked: bool = True) -> str:
    """Return the warning-sign question: after a high or jumped score, or opened by the user."""
    if asked:
        return t.gettext(
            "Your pain is high or has gone up, so one quick question: is any of these true for "
            "your foot? If more than one is, tap the one nearest the top."
        )
    return t.gettext(
        "Warning signs: is any of these true for your foot? If more than one is, tap the one "
        "nearest the top."
    )


def red_flag_options(t: Translator, *, has_diabetes: bool = False) -> list[tuple[RedFlag, str]]:
    """Return the signs to offer with their button labels, most serious first."""
    return [(flag, t.gettext(_RED_FLAG_LABELS[flag])) for flag in offered(has_diabetes)]


def red_flag_label(t: Translator, flag: RedFlag) -> str:
    """Return the button label of any sign, offered to this user or not."""
    return t.gettext(_RED_FLAG_LABELS[flag])
