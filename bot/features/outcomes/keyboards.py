"""The outcome questions' buttons, as plain (label, callback data) rows."""

from __future__ import annotations

from datetime import date

from bot.core import callbacks, texts
from bot.core.callbacks import (
    FirstStepAnswer,
    JointsAnswer,
    RedFlagAnswer,
    SettingsChoice,
    SettingsItem,
    SideChoice,
    SiteChoice,
    WarningSignsRequest,
)
from bot.core.i18n import Translator
from bot.core.outcomes import PainSite
from bot.core.replies import Button, Buttons
from bot.core.warning_signs import RedFlag
from bot.features.outcomes import words

# The picture's numbers (bot/charts/foot.py SPOTS, which loads matplotlib, so not imported;
# tests/features/outcomes/test_foot.py checks they agree); "not sure" has no spot.
SPOT_NUMBERS: dict[PainSite, int] = {
    PainSite.UNDER_HEEL: 1,
    PainSite.ACHILLES: 2,
    PainSite.INSERTION: 3,
    PainSite.ELSEWHERE: 4,
}


def _button(label: str, callback: callbacks.Callback) -> Button:
    return (label, callbacks.encode(callback))


def site_buttons(t: Translator) -> Buttons:
    """Return one button a row per site, numbered as the picture is, then Skip."""

    def label(site: PainSite) -> str:
        text = t.gettext(words.SITE_LABELS[site])
        number = SPOT_NUMBERS.get(site)
        return text if number is None else f"{number}. {text}"

    return (
        *((_button(label(site), SiteChoice(site)),) for site in words.SITE_LABELS),
        (_button(t.gettext(words.SKIP), SiteChoice(None)),),
    )


def side_buttons(t: Translator) -> Buttons:
    """Return left, right and both feet, then Skip."""
    return (
        tuple(
            _button(t.gettext(label), SideChoice(side)) for side, label in words.SIDE_LABELS.items()
        ),
        (_button(t.gettext(words.SKIP), SideChoice(None)),),
    )


def joints_buttons(t: Translator, day: date) -> Buttons:
    """Return Yes (the warning sign's own answer, so it escalates as the sign does) and No."""
    return (
        (
            _button(t.gettext("Yes"), RedFlagAnswer(day, RedFlag.BOTH_FEET)),
            _button(t.gettext("No"), JointsAnswer()),
        ),
    )


def first_step_buttons(t: Translator, day: date) -> Buttons:
    """Return the eleven 0-10 buttons of the first-steps question, Skip, and the warning
    signs, laid out as the check-in's are."""
    scores = [_button(str(n), FirstStepAnswer(day, n)) for n in range(11)]
    skip = _button(t.gettext(words.SKIP), FirstStepAnswer(day, None))
    warning = _button(t.gettext(texts.WARNING_BUTTON), WarningSignsRequest(day))
    return (tuple(scores[:6]), tuple(scores[6:]), (skip, warning))


def first_step_toggle(t: Translator, *, asks: bool) -> Buttons:
    """Return the /settings button that turns the first-steps question off or on."""
    label = words.TURN_FIRST_STEP_OFF if asks else words.TURN_FIRST_STEP_ON
    return ((_button(t.gettext(label), SettingsChoice(SettingsItem.FIRST_STEP)),),)
