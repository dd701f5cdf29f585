"""Words for escalations: the see-a-doctor message, the red-flag question and its buttons.

Only escalation messages say "doctor" (医生 or 就医 in Chinese); the question and buttons never
do, so tests can tell an escalation apart from everything else the bot sends. Every text is an
English msgid of the gettext catalogue, rendered in the reader's language; where to go comes
from bot/core/care_words.py. Nothing here cuts a message: only old scores make room.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from bot.core.care_words import CareWords, Routes, care_words, out_of_hours_fallback
from bot.core.escalation import (
    DayScore,
    Escalation,
    RuleId,
    Urgency,
    normalise,
    sort_by_urgency,
)
from bot.core.i18n import N_, Translator
from bot.core.warning_signs import (
    DIABETES,
    SIGNS,
    RedFlag,
    offered,
    pages,
    reported,
    urgency_of,
)

__all__ = ["Routes", "escalation_message"]

MAX_MESSAGE_CHARS = 4096  # Telegram's limit for a message's text
MAX_BUTTON_CHARS = 30
DEFAULT_SHOWN = 14

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
        RuleId.DIABETES_FIRST: N_("{gp} or your diabetes foot protection team"),
        RuleId.LONG_HAUL: N_("{gp} about a referral to a foot specialist"),
    }
)

DISCLAIMER = N_(
    "FootCare cannot diagnose you and this is not medical advice. When to get checked is "
    "based on NHS guidance; how many days and points count is FootCare's own, cautious choice."
)

_RED_FLAG_LABELS: Mapping[RedFlag, str] = MappingProxyType(
    {
        RedFlag.INJURY: N_("Snap, pop or grinding"),
        RedFlag.CANNOT_BEAR_WEIGHT: N_("Can't put weight on it"),
        RedFlag.MISSHAPEN: N_("Foot looks misshapen"),
        RedFlag.FALL: N_("Bad pain after a fall or knock"),
        RedFlag.ACHILLES_RUPTURE: N_("Felt a kick at back of ankle"),
        RedFlag.COLD_FOOT: N_("Foot cold, pale or blue"),
        RedFlag.HOT_RED_SWOLLEN: N_("Hot to touch, red or swollen"),
        RedFlag.FEVER: N_("Fever, chills or very unwell"),
        RedFlag.CALF: N_("One calf painful or swollen"),
        RedFlag.DIABETES_FOOT: N_("Wound, blister or skin change"),
        RedFlag.NUMBNESS: N_("Tingling, burning or numbness"),
        RedFlag.REST_OR_NIGHT: N_("Pain at rest or at night"),
        RedFlag.NIGHT_WEIGHT_LOSS: N_("Night pain + weight loss"),
        RedFlag.HEEL_SQUEEZE: N_("Heel hurts when squeezed"),
        RedFlag.ANTIBIOTIC: N_("Pain on/after quinolone"),
        RedFlag.BOTH_FEET: N_("Both heels + stiff joints"),
        RedFlag.NONE: N_("None of these"),
    }
)
MORE_SIGNS = N_("None of these: more signs")

# What each page of the list holds, by the urgency of its signs.
_PAGE_TITLES: Mapping[Urgency, str] = MappingProxyType(
    {
        Urgency.EMERGENCY: N_("signs that need help now"),
        Urgency.URGENT: N_("signs that need help today"),
        Urgency.SOON: N_("signs to get checked within days"),
    }
)


# The first sentence of a message, by the urgency of the rule that leads it.
HEADLINES: Mapping[Urgency, str] = MappingProxyType(
    {
        Urgency.EMERGENCY: N_(
            "Call {emergency} or go to {department} now so a doctor can check your foot."
        ),
        Urgency.URGENT: N_("Please see a doctor today: ask {who} for an urgent appointment."),
        Urgency.SOON: N_("Please see a doctor soon, within the next few days: book {who}."),
        Urgency.ROUTINE: N_("Please see a doctor: book an appointment with {who}."),
        Urgency.ADVICE: N_("Please talk to a doctor: ask {who}."),
    }
)


def _same_day(t: Translator, who: str, words: CareWords, *, diabetic: bool) -> str:
    """Return what a same-day message says about the day, and when the usual doctor is closed."""
    if diabetic:
        # Diabetes UK, serious foot problems: take the weight off; GP or foot protection team
        # at once; the nearest out-of-hours service if they are not available.
        route = words.advice_line or out_of_hours_fallback(t, words, nearest=True)
        return t.gap.join(
            [
                t.gettext("Please see a doctor today: contact {who} now.").format(who=who),
                t.gettext(
                    "Take the weight off your foot: rest it and avoid standing or walking on it."
                ),
                t.gettext("If they are not available today: {route}.").format(route=route),
            ]
        )
    route = words.advice_line or out_of_hours_fallback(t, words)
    return t.gap.join(
        [
            t.gettext(HEADLINES[Urgency.URGENT]).format(who=who),
            t.gettext(
                "If you cannot be seen today (at night or at the weekend, for example): {route}."
            ).format(route=route),
        ]
    )


def _headline(t: Translator, escalation: Escalation, words: CareWords) -> str:
    diabetic = escalation.urgency is Urgency.URGENT and _is_diabetic(escalation)
    template = _WHO[RuleId.DIABETES if diabetic else escalation.rule]
    # A bare "{gp}" has nothing to translate, so it is not in the catalogue.
    who = (template if template == "{gp}" else t.gettext(template)).format(gp=words.gp)
    if escalation.rule is RuleId.SEVERE_DAY:
        return t.gettext(
            "Pain this bad needs watching. If it goes on for more than a few days, or stops "
            "you doing your normal activities, see a doctor: book {who}."
        ).format(who=who)
    if escalation.urgency is Urgency.URGENT:
        return _same_day(t, who, words, diabetic=diabetic)
    return t.gettext(HEADLINES[escalation.urgency]).format(
        who=who, emergency=words.emergency, department=words.department
    )


def _is_diabetic(escalation: Escalation) -> bool:
    params = dict(escalation.params)
    return params.get("diabetes") == DIABETES or RedFlag.DIABETES_FOOT in reported(params)


def _safety_net(t: Translator, urgency: Urgency, words: CareWords) -> str:
    """Return the closing lines: when to call the emergency number, and the advice line."""
    if urgency is Urgency.EMERGENCY:
        lines = []
        if words.advice_line:
            lines.append(
                t.gettext("If you are not sure where to go: {route}.").format(
                    route=words.advice_line
                )
            )
        return t.gap.join(lines)
    lines = [
        t.gettext(
            "If you cannot put weight on your foot, it changes shape, turns cold, pale or blue, "
            "or you feel very unwell, call {emergency} or go to {department}."
        ).format(emergency=words.emergency, department=words.department)
    ]
    # A same-day headline already says where to go when the usual doctor is closed.
    if words.advice_line and urgency is not Urgency.URGENT:
        lines.append(
            t.gettext("If it gets worse before you are seen, or you are not sure: {route}.").format(
                route=words.advice_line
            )
        )
    return t.gap.join(lines)


def _brief(t: Translator, urgency: Urgency, words: CareWords) -> str:
    if urgency is Urgency.EMERGENCY:
        return t.gettext("call {emergency} or go to {department} now").format(
            emergency=words.emergency, department=words.department
        )
    return t.gettext(
        {
            Urgency.URGENT: N_("see a doctor today"),
            Urgency.SOON: N_("see a doctor within days"),
            Urgency.ROUTINE: N_("see a doctor"),
            Urgency.ADVICE: N_("ask about a specialist referral"),
        }[urgency]
    )


def sign_advice(t: Translator, escalations: Sequence[Escalation], words: CareWords) -> list[str]:
    """Return what the reported signs add (the MHRA's quinolone advice...), each sign once."""
    flags = {flag for e in escalations for flag in reported(dict(e.params))}
    return [
        t.gettext(advice).format(emergency=words.emergency)
        for flag, sign in SIGNS.items()
        if flag in flags and (advice := sign.advice) is not None
    ]


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
    if shown <= 0:
        return ""
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
    words = care_words(t, routes)
    ordered = sort_by_urgency(escalations)
    lead, others = ordered[0], ordered[1:]
    parts = [
        _headline(t, lead, words),
        t.gettext("Why: {reason}.").format(reason=reason_text(t, lead)),
        *sign_advice(t, ordered, words),
    ]
    also = [(reason_text(t, e), _brief(t, e.urgency, words)) for e in others]
    tail = [t.gettext(DISCLAIMER), _safety_net(t, lead.urgency, words)]
    # Old scores give way first, then the score line, then the other rules' reasons (their
    # actions stay); no safety text is ever cut. Real messages are far below the limit.
    for keep_reasons, count in [(True, n) for n in range(shown, 0, -1)] + [(True, 0), (False, 0)]:
        text = _assemble(t, parts, also, tail, keep_reasons, score_summary(t, history, count))
        if _length(text) <= MAX_MESSAGE_CHARS:
            return text
    return text


def _assemble(
    t: Translator,
    parts: list[str],
    also: list[tuple[str, str]],
    tail: list[str],
    keep_reasons: bool,
    summary: str,
) -> str:
    body = list(parts)
    if also:
        lines = [
            t.gettext("- {reason} ({action})").format(reason=reason, action=action)
            if keep_reasons
            else f"- {action}"
            for reason, action in also
        ]
        body.append(t.gettext("Also:") + "\n" + "\n".join(lines))
    return "\n\n".join(part for part in [*body, *tail, summary] if part)


def _length(text: str) -> int:
    """Return a text's length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def red_flag_question_text(
    t: Translator, *, asked: bool = True, page: int = 0, has_diabetes: bool = False
) -> str:
    """Return the warning-sign question for one page of the list.

    The first page follows a high or jumped score (`asked`) or the user's own request; each
    page names how urgent its signs are, and how many pages there are.
    """
    groups = pages(has_diabetes)
    page = min(max(page, 0), len(groups) - 1)
    urgency = urgency_of(groups[page][0], has_diabetes=has_diabetes) or Urgency.SOON
    where = t.gettext("{page} of {pages}: {title}").format(
        page=page + 1, pages=len(groups), title=t.gettext(_PAGE_TITLES[urgency])
    )
    if page > 0:
        intro = t.gettext(
            "More warning signs. Is any of these true for your foot? If more than one is, tap "
            "the one nearest the top."
        )
    elif asked:
        intro = t.gettext(
            "Your pain is high or has gone up, so one quick question: is any of these true for "
            "your foot? If more than one is, tap the one nearest the top."
        )
    else:
        intro = t.gettext(
            "Warning signs: is any of these true for your foot? If more than one is, tap the "
            "one nearest the top."
        )
    return f"{intro}\n\n{where}"


def red_flag_options(t: Translator, *, has_diabetes: bool = False) -> list[tuple[RedFlag, str]]:
    """Return the signs to offer with their button labels, most serious first."""
    return [(flag, t.gettext(_RED_FLAG_LABELS[flag])) for flag in offered(has_diabetes)]


def red_flag_page(
    t: Translator, page: int, *, has_diabetes: bool = False
) -> tuple[list[tuple[RedFlag, str]], bool]:
    """Return one page's signs with their labels, and whether another page follows."""
    groups = pages(has_diabetes)
    page = min(max(page, 0), len(groups) - 1)
    options = [(flag, t.gettext(_RED_FLAG_LABELS[flag])) for flag in groups[page]]
    return options, page + 1 < len(groups)


def red_flag_label(t: Translator, flag: RedFlag) -> str:
    """Return the button label of any sign, offered to this user or not."""
    return t.gettext(_RED_FLAG_LABELS[flag])
