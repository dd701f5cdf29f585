"""Warning signs: the one-tap list a user can open at any time, and what each one means.

Every sign maps to an urgency and the page it comes from; the sign's urgency, not the pain
score, decides what the user is told. Pure: no clock, no storage, no Telegram.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from bot.core.escalation import (
    DayScore,
    Escalation,
    RuleId,
    RulesConfig,
    Urgency,
    make,
    normalise,
)
from bot.core.i18n import N_

NHS_HEEL_PAIN = "https://www.nhs.uk/conditions/heel-pain/"
NHS_TENDONITIS = "https://www.nhs.uk/conditions/tendonitis/"
LIVEWELL_URGENT_FOOT = (
    "https://www.livewellsouthwest.co.uk/podiatry-advice-does-my-foot-problem-require-urgent-care"
)
DIABETES_UK_SERIOUS = (
    "https://www.diabetes.org.uk/guide-to-diabetes/complications/feet/serious-foot-problem"
)
NHS_TAYSIDE_HEEL = "https://www.nhstayside.scot.nhs.uk/WorkingWithUs/ReferralHelpSystem/PROD_351194"
FLUOROQUINOLONES = "https://www.southtees.nhs.uk/resources/fluoroquinolone-antibiotics/"
NHS_DEVON_HOT_RED_FOOT = (
    "https://northeast.devonformularyguidance.nhs.uk/referral-guidance/eastern-locality/"
    "vascular/the-hot-red-foot"
)


class RedFlag(enum.StrEnum):
    """One answer to the warning-sign question (values are stored; never rename one)."""

    INJURY = "injury"  # a snap, pop or grinding at the time of injury
    CANNOT_BEAR_WEIGHT = "cannot_bear_weight"  # or cannot move the foot
    MISSHAPEN = "misshapen"
    FALL = "fall"  # severe pain that started with an injury or a fall
    COLD_FOOT = "cold_foot"  # cold, pale or blue
    HOT_RED_SWOLLEN = "hot_red_swollen"
    FEVER = "fever"  # fever or feeling unwell with a painful foot
    DIABETES_FOOT = "diabetes_foot"  # with diabetes: a new wound, blister, colour change...
    NUMBNESS = "numbness"  # tingling, burning or electric-shock pain, or numbness
    REST_OR_NIGHT = "rest_or_night"
    ANTIBIOTIC = "antibiotic"  # Achilles pain that began on a fluoroquinolone antibiotic
    BOTH_FEET = "both_feet"  # both heels, with stiff or swollen joints or back
    NONE = "none"


@dataclass(frozen=True)
class Sign:
    """What a warning sign means: how urgent, in plain words, and where that comes from."""

    urgency: Urgency
    words: str  # read after "you told us about"
    source: str


# Most serious first; the list the user sees follows this order.
SIGNS: Mapping[RedFlag, Sign] = MappingProxyType(
    {
        RedFlag.INJURY: Sign(
            Urgency.EMERGENCY, N_("a snap, pop or grinding when it happened"), NHS_HEEL_PAIN
        ),
        RedFlag.CANNOT_BEAR_WEIGHT: Sign(
            Urgency.EMERGENCY,
            N_("not being able to put weight on the foot or move it"),
            NHS_HEEL_PAIN,
        ),
        RedFlag.MISSHAPEN: Sign(Urgency.EMERGENCY, N_("the foot looking misshapen"), NHS_HEEL_PAIN),
        RedFlag.FALL: Sign(
            Urgency.EMERGENCY,
            N_("severe pain that started with an injury or a fall"),
            NHS_HEEL_PAIN,
        ),
        RedFlag.COLD_FOOT: Sign(
            Urgency.EMERGENCY, N_("a cold, pale or blue foot"), LIVEWELL_URGENT_FOOT
        ),
        RedFlag.HOT_RED_SWOLLEN: Sign(
            Urgency.URGENT, N_("a hot, red or swollen foot"), NHS_DEVON_HOT_RED_FOOT
        ),
        RedFlag.FEVER: Sign(
            Urgency.URGENT,
            N_("a fever or feeling unwell with a painful foot"),
            NHS_DEVON_HOT_RED_FOOT,
        ),
        RedFlag.DIABETES_FOOT: Sign(
            Urgency.URGENT,
            N_(
                "a new wound or blister, a colour change, swelling, a hot or cold patch or loss of "
                "feeling in a foot, with diabetes"
            ),
            DIABETES_UK_SERIOUS,
        ),
        # Same day, not "within days": the next dose is usually due within a day, and the
        # advice is to stop and ask before taking it (see docs/CLINICAL-SAFETY.md).
        RedFlag.ANTIBIOTIC: Sign(
            Urgency.URGENT,
            N_(
                "Achilles or heel pain that began while taking a quinolone antibiotic "
                "(such as ciprofloxacin or levofloxacin)"
            ),
            FLUOROQUINOLONES,
        ),
        RedFlag.NUMBNESS: Sign(
            Urgency.SOON,
            N_("tingling, burning or electric-shock pain, or numbness"),
            NHS_TAYSIDE_HEEL,
        ),
        RedFlag.REST_OR_NIGHT: Sign(Urgency.SOON, N_("pain at rest or at night"), NHS_TAYSIDE_HEEL),
        RedFlag.BOTH_FEET: Sign(
            Urgency.SOON,
            N_("pain in both heels together with stiff or swollen joints or back"),
            NHS_HEEL_PAIN,
        ),
    }
)

# Signs only offered to users who said they have diabetes.
DIABETES_ONLY = frozenset({RedFlag.DIABETES_FOOT})

_RULE_FOR: Mapping[Urgency, RuleId] = MappingProxyType(
    {
        Urgency.EMERGENCY: RuleId.RED_FLAG_EMERGENCY,
        Urgency.URGENT: RuleId.RED_FLAG_URGENT,
        Urgency.SOON: RuleId.RED_FLAG_SOON,
    }
)


def offered(has_diabetes: bool) -> list[RedFlag]:
    """Return the signs to offer, most serious for this user first, "None of these" last.

    The user is asked to tap the sign nearest the top, so the order must follow this user's
    urgency: with diabetes, fever moves up among the emergencies.
    """
    signs = [flag for flag in SIGNS if has_diabetes or flag not in DIABETES_ONLY]
    # sorted() is stable, so signs of equal urgency keep the order of SIGNS.
    signs.sort(key=lambda flag: -(urgency_of(flag, has_diabetes=has_diabetes) or 0))
    return [*signs, RedFlag.NONE]


def urgency_of(flag: RedFlag, *, has_diabetes: bool) -> Urgency | None:
    """Return how urgent a sign is for this user; None for "None of these"."""
    if flag is RedFlag.NONE:
        return None
    if has_diabetes and flag is RedFlag.FEVER:
        # Diabetes UK / NHS Devon: infection in a diabetic foot is an emergency.
        return Urgency.EMERGENCY
    if has_diabetes and flag is RedFlag.NUMBNESS:
        # Diabetes UK: loss of feeling with diabetes needs action the same day.
        return Urgency.URGENT
    return SIGNS[flag].urgency


def evaluate_red_flags(
    flags: Collection[RedFlag],
    history: Iterable[DayScore],
    config: RulesConfig,
    *,
    has_diabetes: bool = False,
) -> Escalation | None:
    """Return the escalation for the signs the user reported; never suppressed."""
    # "None of these" next to a real sign is contradictory; the real sign wins, to be safe.
    ranked = [
        (urgency, flag)
        for flag in RedFlag
        if flag in flags and (urgency := urgency_of(flag, has_diabetes=has_diabetes)) is not None
    ]
    if not ranked:
        return None
    worst = max(urgency for urgency, _ in ranked)
    main = [flag for urgency, flag in ranked if urgency == worst]
    others = [flag for urgency, flag in ranked if urgency != worst]
    injury = worst is Urgency.EMERGENCY and bool(
        {RedFlag.INJURY, RedFlag.CANNOT_BEAR_WEIGHT} & set(main)
    )
    template = _REASONS[injury, bool(others)]
    signs = tuple(flag.value for flag in main)
    also = tuple(flag.value for flag in others)
    reason = template.format(signs=_join(main), others=_join(others))
    # The scores around the answer: the latest check-in and the one before it.
    scores = normalise(history)[-2:]
    params = {"signs": signs, "others": also} if others else {"signs": signs}
    return make(_RULE_FOR[worst], template, scores, config, reason=reason, **params)


# The red-flag reason, by (a sign of a break or tear among the worst, other signs too).
_REASONS: Mapping[tuple[bool, bool], str] = MappingProxyType(
    {
        (False, False): N_("you told us about {signs}"),
        (True, False): N_(
            "you told us about {signs}, which can be signs of a broken bone or a torn "
            "Achilles tendon"
        ),
        (False, True): N_("you told us about {signs}; you also mentioned {others}"),
        (True, True): N_(
            "you told us about {signs}, which can be signs of a broken bone or a torn "
            "Achilles tendon; you also mentioned {others}"
        ),
    }
)


def _join(flags: Sequence[RedFlag]) -> str:
    words = [SIGNS[flag].words for flag in flags]
    if not words:
        return ""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
