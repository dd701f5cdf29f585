"""The inline keyboards features offer, as plain (label, callback data) rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.core import callbacks, escalation_text, texts
from bot.core.callbacks import (
    BroadcastChoice,
    CheckinAnswer,
    CountryChoice,
    DeleteChoice,
    DiabetesAnswer,
    DiabetesChoice,
    DoctorSummaryRequest,
    LanguageChoice,
    PainChoice,
    RedFlagAnswer,
    SettingsChoice,
    SettingsItem,
    TimeChoice,
    WarningSignsRequest,
    ZoneChoice,
)
from bot.core.countries import NO_COUNTRY, Country
from bot.core.i18n import N_, Language, Translator
from bot.core.replies import Button, Buttons, rows
from bot.core.timezones import zones_to_offer
from bot.core.warning_signs import RedFlag

TIME_CHOICES = ("07:00", "08:00", "09:00", "12:00", "18:00", "20:00")


def _button(label: str, callback: callbacks.Callback) -> Button:
    return (label, callbacks.encode(callback))


def score_buttons(t: Translator, day: date) -> Buttons:
    """Return the eleven 0-10 buttons of a check-in, then one that opens the warning signs."""
    buttons = [_button(str(n), CheckinAnswer(day, n)) for n in range(11)]
    warning = _button(t.gettext(texts.WARNING_BUTTON), WarningSignsRequest(day))
    return (tuple(buttons[:6]), tuple(buttons[6:]), (warning,))


def zone_buttons(t: Translator) -> Buttons:
    """Return buttons for common time zones (Chinese readers' own first) and typing another."""
    buttons = [_button(zone, ZoneChoice(zone)) for zone in zones_to_offer(t.language)]
    return (*rows(buttons, 2), (_button(t.gettext("Another zone (type it)"), ZoneChoice(None)),))


def suggestion_buttons(zones: Sequence[str]) -> Buttons:
    """Return one button per suggested zone."""
    return tuple((_button(zone, ZoneChoice(zone)),) for zone in zones)


def time_buttons(t: Translator) -> Buttons:
    """Return buttons for common daily times and for typing another."""
    buttons = [_button(t, TimeChoice(t)) for t in TIME_CHOICES]
    return (*rows(buttons, 3), (_button(t.gettext("Another time (type it)"), TimeChoice(None)),))


def diabetes_buttons(t: Translator) -> Buttons:
    """Return the optional diabetes question's answers."""
    labels = {
        DiabetesAnswer.YES: N_("Yes"),
        DiabetesAnswer.NO: N_("No"),
        DiabetesAnswer.SKIP: N_("Skip"),
    }
    return (
        tuple(
            _button(t.gettext(label), DiabetesChoice(answer)) for answer, label in labels.items()
        ),
    )


def red_flag_buttons(t: Translator, day: date, *, has_diabetes: bool, page: int = 0) -> Buttons:
    """Return one page of the warning signs offered to this user, most serious first, then
    "None of these: more signs" (the next page) or, on the last page, "None of these"."""
    options, more = escalation_text.red_flag_page(t, page, has_diabetes=has_diabetes)
    signs = tuple((_button(label, RedFlagAnswer(day, flag)),) for flag, label in options)
    if more:
        last = _button(t.gettext(escalation_text.MORE_SIGNS), WarningSignsRequest(day, page + 1))
    else:
        none = escalation_text.red_flag_label(t, RedFlag.NONE)
        last = _button(none, RedFlagAnswer(day, RedFlag.NONE))
    return (*signs, (last,))


def foot_check_buttons(t: Translator, day: date) -> Buttons:
    """Return the weekly diabetes foot check's answers."""
    return (
        (_button(t.gettext(texts.FOOT_CHECK_YES), RedFlagAnswer(day, RedFlag.DIABETES_FOOT)),),
        (_button(t.gettext(texts.FOOT_CHECK_UNWELL), RedFlagAnswer(day, RedFlag.FEVER)),),
        (_button(t.gettext(texts.FOOT_CHECK_NO), RedFlagAnswer(day, RedFlag.NONE)),),
    )


def settings_buttons(t: Translator, weekly: bool) -> Buttons:
    """Return the /settings buttons."""
    toggle = t.gettext("Turn weekly summary off") if weekly else t.gettext("Turn weekly summary on")
    return (
        (
            _button(t.gettext("Change time"), SettingsChoice(SettingsItem.TIME)),
            _button(t.gettext("Change time zone"), SettingsChoice(SettingsItem.ZONE)),
        ),
        (_button(t.gettext("Change country"), SettingsChoice(SettingsItem.COUNTRY)),),
        (
            _button(t.gettext("Diabetes answer"), SettingsChoice(SettingsItem.DIABETES)),
            _button(t.gettext("Weekly summary day"), SettingsChoice(SettingsItem.WEEKDAY)),
        ),
        (_button(t.gettext("How long the pain had gone on"), SettingsChoice(SettingsItem.PAIN)),),
        (_button(t.gettext("Where it hurts"), SettingsChoice(SettingsItem.SITE)),),
        (_button(toggle, SettingsChoice(SettingsItem.WEEKLY)),),
    )


def _countries(t: Translator, countries: Sequence[Country]) -> Buttons:
    named = [_button(t.country(c.code, c.name), CountryChoice(c.code)) for c in countries]
    return rows(named, 2)


def confirm_country_buttons(t: Translator, countries: Sequence[Country]) -> Buttons:
    """Return one button per country whose clock agrees with the zone, then "Other"."""
    other = _button(t.gettext("Other (type it)"), CountryChoice(None))
    return (*_countries(t, countries), (other,))


def country_buttons(t: Translator, countries: Sequence[Country]) -> Buttons:
    """Return the /settings country choices: the zone's countries, "not listed", "type it"."""
    return (
        *_countries(t, countries),
        (_button(t.gettext("My country isn't listed"), CountryChoice(NO_COUNTRY)),),
        (_button(t.gettext("Type it"), CountryChoice(None)),),
    )


def pain_buttons(t: Translator) -> Buttons:
    """Return the answers to "how long has the pain gone on?", one per row, then Skip."""
    durations = [
        (_button(t.gettext(label), PainChoice(duration)),)
        for duration, label in texts.PAIN_DURATIONS.items()
    ]
    return (*durations, (_button(t.gettext("Skip"), PainChoice(None)),))


def weekday_buttons(t: Translator) -> Buttons:
    """Return one button per weekday for the weekly summary."""
    days = [_button(t.weekday(n), SettingsChoice(SettingsItem.WEEKDAY, n)) for n in range(7)]
    return rows(days, 4)


def doctor_summary_buttons(t: Translator) -> Buttons:
    """Return the button under an escalation that sends the summary for a clinician."""
    return ((_button(t.gettext("Summary for your doctor"), DoctorSummaryRequest()),),)


def english_summary_buttons() -> Buttons:
    """Return the button that sends the summary again in English."""
    return ((_button("English", DoctorSummaryRequest(Language.EN)),),)


def delete_buttons(t: Translator) -> Buttons:
    """Return the /delete confirmation buttons."""
    return (
        (
            _button(t.gettext("Delete everything"), DeleteChoice(confirm=True)),
            _button(t.gettext("Keep my data"), DeleteChoice(confirm=False)),
        ),
    )


def broadcast_buttons(broadcast_id: int, send_label: str) -> Buttons:
    """Return a broadcast preview's Send and Cancel buttons."""
    return (
        (
            _button(send_label, BroadcastChoice(broadcast_id, send=True)),
            _button("Cancel", BroadcastChoice(broadcast_id, send=False)),
        ),
    )


# Each language named in itself, so anyone can find theirs whatever the bot speaks now.
LANGUAGE_NAMES = {Language.EN: "English", Language.ZH: "中文"}


def language_buttons() -> Buttons:
    """Return one button per language the bot speaks."""
    return (
        tuple(_button(name, LanguageChoice(language)) for language, name in LANGUAGE_NAMES.items()),
    )
