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
    ReasonParam,
    RuleId,
    RulesConfig,
    Urgency,
    make,
    normalise,
)
from bot.core.i18n import N_

NHS_HEEL_PAIN = "https://www.nhs.uk/conditions/heel-pain/"
LIVEWELL_URGENT_FOOT = (
    "https://www.livewellsouthwest.co.uk/podiatry-advice-does-my-foot-problem-require-urgent-care"
)
DIABETES_UK_SERIOUS = (
    "https://www.diabetes.org.uk/guide-to-diabetes/complications/feet/serious-foot-problem"
)
NHS_TAYSIDE_HEEL = "https://www.nhstayside.scot.nhs.uk/WorkingWithUs/ReferralHelpSystem/PROD_351194"
# MHRA Drug Safety Update (2024): stop at the first sign of tendon pain; tendon damage can start
# within 48 hours of the first dose and up to several months after stopping.
MHRA_FLUOROQUINOLONES = "https://www.gov.uk/government/news/mhra-introduces-new-restrictions-for-fluoroquinolone-antibiotics"
NHS_DEVON_HOT_RED_FOOT = (
    "https://northeast.devonformularyguidance.nhs.uk/referral-guidance/eastern-locality/"
    "vascular/the-hot-red-foot"
)
UCLH_DVT = (
    "https://www.uclh.nhs.uk/patients-and-visitors/patient-information-pages/deep-vein-thrombosis"
)
CUH_ACHILLES_RUPTURE = "https://www.cuh.nhs.uk/patient-information/achilles-tendon-rupture/"
NHS_LOTHIAN_BONE_PAIN = (
    "https://apps.nhslothian.scot/refhelp/guidelines/orthopaedics/sarcoma/suspectedbonetumour"
)
# A clinician reference, not a patient page: no NHS patient page on calcaneal stress fractures
# was found (see docs/escalation-rules.md).
FPNOTEBOOK_STRESS_FRACTURE = "https://fpnotebook.com/Ortho/Foot/ClcnsStrsFrctr.htm"


class RedFlag(enum.StrEnum):
    """One answer to the warning-sign question (values are stored; never rename one)."""

    INJURY = "injury"  # a snap, pop or grinding at the time of injury
    CANNOT_BEAR_WEIGHT = "cannot_bear_weight"  # or cannot move the foot
    MISSHAPEN = "misshapen"
    FALL = "fall"  # severe pain that started with an injury or a fall
    ACHILLES_RUPTURE = "achilles_rupture"  # a "kick" at the back of the ankle, then no tiptoe
    COLD_FOOT = "cold_foot"  # cold, pale or blue
    HOT_RED_SWOLLEN = "hot_red_swollen"
    FEVER = "fever"  # fever or chills, or feeling very unwell, with a painful foot
    CALF = "calf"  # pain or swelling in one calf (a clot)
    DIABETES_FOOT = "diabetes_foot"  # with diabetes: a new wound, blister, colour change...
    NUMBNESS = "numbness"  # tingling, burning or electric-shock pain, or numbness
    REST_OR_NIGHT = "rest_or_night"
    NIGHT_WEIGHT_LOSS = "night_weight_loss"  # night pain with weight loss not explained
    HEEL_SQUEEZE = "heel_squeeze"  # squeezing the heel hurts after more running (stress fracture)
    ANTIBIOTIC = "antibiotic"  # Achilles pain during or after a fluoroquinolone antibiotic
    BOTH_FEET = "both_feet"  # both heels, with stiff or swollen joints or back
    NONE = "none"


@dataclass(frozen=True)
class Sign:
    """What a warning sign means: how urgent, in plain words, and where that comes from.

    `advice` is what the escalation adds whenever this sign was reported, leading or not (an
    English msgid; {emergency} is the user's emergency number).
    """

    urgency: Urgency
    words: str  # read after "you told us about"
    source: str
    advice: str | None = None


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
        # CUH: "as if you have been hit or kicked in your calf"; a rupture can come without a
        # snap, so the sign is the kick and what the foot cannot do since.
        RedFlag.ACHILLES_RUPTURE: Sign(
            Urgency.EMERGENCY,
            N_(
                "sudden pain at the back of the ankle as if kicked (with or without a snap), and "
                "since then not being able to stand on tiptoe on that leg or walk normally"
            ),
            CUH_ACHILLES_RUPTURE,
        ),
        RedFlag.COLD_FOOT: Sign(
            Urgency.EMERGENCY,
            N_("a foot that feels much colder than the other one, or looks pale or blue"),
            LIVEWELL_URGENT_FOOT,
        ),
        RedFlag.HOT_RED_SWOLLEN: Sign(
            Urgency.URGENT,
            N_("a foot that is hot to the touch, red or swollen"),
            NHS_DEVON_HOT_RED_FOOT,
        ),
        RedFlag.FEVER: Sign(
            Urgency.URGENT,
            N_("a fever or chills, or feeling very unwell, with a painful foot"),
            NHS_DEVON_HOT_RED_FOOT,
        ),
        # A clot: same day; with breathlessness or chest pain, the emergency number (NHS DVT).
        RedFlag.CALF: Sign(
            Urgency.URGENT,
            N_("pain or swelling in one calf, which may be warm or red"),
            UCLH_DVT,
            N_(
                "If you also become short of breath or have chest pain, call {emergency} now: "
                "a clot can travel to the lungs."
            ),
        ),
        RedFlag.DIABETES_FOOT: Sign(
            Urgency.URGENT,
            N_(
                "a new wound or blister, a change of colour, swelling, a patch that feels hot or "
                "cold to the touch, or loss of feeling in a foot, with diabetes"
            ),
            DIABETES_UK_SERIOUS,
        ),
        # Same day, not "within days": the MHRA says to stop the antibiotic at the first sign
        # of tendon pain, and a dose is usually due within the day (docs/CLINICAL-SAFETY.md).
        RedFlag.ANTIBIOTIC: Sign(
            Urgency.URGENT,
            N_(
                "Achilles or heel pain during or in the months after a quinolone antibiotic "
                "(such as ciprofloxacin or levofloxacin)"
            ),
            MHRA_FLUOROQUINOLONES,
            N_(
                "Quinolone antibiotics can damage tendons. If you are still taking it, stop, and "
                "contact the doctor who prescribed it or a pharmacist now; rest the painful leg. "
                "Tendon problems can start within 48 hours of the first dose or up to several "
                "months after the course (MHRA)."
            ),
        ),
        RedFlag.NUMBNESS: Sign(
            Urgency.SOON,
            N_("tingling, burning or electric-shock pain, or numbness"),
            NHS_TAYSIDE_HEEL,
        ),
        RedFlag.REST_OR_NIGHT: Sign(Urgency.SOON, N_("pain at rest or at night"), NHS_TAYSIDE_HEEL),
        RedFlag.NIGHT_WEIGHT_LOSS: Sign(
            Urgency.SOON,
            N_("pain at night together with weight loss you cannot explain"),
            NHS_LOTHIAN_BONE_PAIN,
        ),
        RedFlag.HEEL_SQUEEZE: Sign(
            Urgency.SOON,
            N_(
                "pain when the heel is squeezed from both sides, after running or jumping more "
                "than before"
            ),
            FPNOTEBOOK_STRESS_FRACTURE,
            N_("Until you have been checked, stop running, jumping and other impact exercise."),
        ),
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
    injury = worst is Urgency.EMERGENCY and bool(_BREAK_OR_TEAR & set(main))
    template = _REASONS[injury, bool(others)]
    signs = tuple(flag.value for flag in main)
    also = tuple(flag.value for flag in others)
    reason = template.format(signs=_join(main), others=_join(others))
    # The scores around the answer: the latest check-in and the one before it.
    scores = normalise(history)[-2:]
    params: dict[str, ReasonParam] = {"signs": signs}
    if others:
        params["others"] = also
    if has_diabetes:
        # The words of the message differ with diabetes (take the weight off, the foot team).
        params["diabetes"] = DIABETES
    return make(_RULE_FOR[worst], template, scores, config, reason=reason, **params)


DIABETES = "yes"  # the value of an escalation's "diabetes" parameter

# Signs that can mean a broken bone or a torn Achilles tendon: the reason says so.
_BREAK_OR_TEAR = frozenset({RedFlag.INJURY, RedFlag.CANNOT_BEAR_WEIGHT, RedFlag.ACHILLES_RUPTURE})


def reported(params: Mapping[str, object]) -> list[RedFlag]:
    """Return the signs an escalation's parameters name, leading or not, in list order."""
    values = {
        str(value)
        for name in ("signs", "others")
        if isinstance(found := params.get(name), list | tuple)
        for value in found
    }
    return [flag for flag in SIGNS if flag.value in values]


def pages(has_diabetes: bool) -> list[list[RedFlag]]:
    """Return the offered signs in pages, one per urgency, most urgent first ("None" left out).

    Sixteen buttons do not fit a phone's screen; one urgency at a time do, and the user still
    meets the most serious signs first.
    """
    grouped: dict[Urgency, list[RedFlag]] = {}
    for flag in offered(has_diabetes)[:-1]:
        urgency = urgency_of(flag, has_diabetes=has_diabetes)
        if urgency is not None:
            grouped.setdefault(urgency, []).append(flag)
    return [grouped[urgency] for urgency in sorted(grouped, reverse=True)]


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
