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
    RedFlagAnswer,
    SettingsChoice,
    SettingsItem,
    TimeChoice,
    WarningSignsRequest,
    ZoneChoice,
)
from bot.core.countries import NO_COUNTRY, Country
from bot.core.replies import Button, Buttons, rows
from bot.core.timezones import COMMON_ZONES
from bot.core.warning_signs import RedFlag

TIME_CHOICES = ("07:00", "08:00", "09:00", "12:00", "18:00", "20:00")


def _button(label: str, callback: callbacks.Callback) -> Button:
    return (label, callbacks.encode(callback))


def score_buttons(day: date) -> Buttons:
    """Return the eleven 0-10 buttons of a check-in, then one that opens the warning signs."""
    buttons = [_button(str(n), CheckinAnswer(day, n)) for n in range(11)]
    warning = _button(texts.WARNING_BUTTON, WarningSignsRequest(day))
    return (tuple(buttons[:6]), tuple(buttons[6:]), (warning,))


def zone_buttons() -> Buttons:
    """Return buttons for common time zones and for typing another."""
    buttons = [_button(zone, ZoneChoice(zone)) for zone in COMMON_ZONES]
    return (*rows(buttons, 2), (_button("Another zone (type it)", ZoneChoice(None)),))


def suggestion_buttons(zones: Sequence[str]) -> Buttons:
    """Return one button per suggested zone."""
    return tuple((_button(zone, ZoneChoice(zone)),) for zone in zones)


def time_buttons() -> Buttons:
    """Return buttons for common daily times and for typing another."""
    buttons = [_button(t, TimeChoice(t)) for t in TIME_CHOICES]
    return (*rows(buttons, 3), (_button("Another time (type it)", TimeChoice(None)),))


def diabetes_buttons() -> Buttons:
    """Return the optional diabetes question's answers."""
    labels = {DiabetesAnswer.YES: "Yes", DiabetesAnswer.NO: "No", DiabetesAnswer.SKIP: "Skip"}
    return (tuple(_button(label, DiabetesChoice(answer)) for answer, label in labels.items()),)


def red_flag_buttons(day: date, *, has_diabetes: bool) -> Buttons:
    """Return one button per warning sign offered to this user, most serious first."""
    options = escalation_text.red_flag_options(has_diabetes=has_diabetes)
    return tuple((_button(label, RedFlagAnswer(day, flag)),) for flag, label in options)


def foot_check_buttons(day: date) -> Buttons:
    """Return the weekly diabetes foot check's answers."""
    return (
        (_button(texts.FOOT_CHECK_YES, RedFlagAnswer(day, RedFlag.DIABETES_FOOT)),),
        (_button(texts.FOOT_CHECK_UNWELL, RedFlagAnswer(day, RedFlag.FEVER)),),
        (_button(texts.FOOT_CHECK_NO, RedFlagAnswer(day, RedFlag.NONE)),),
    )


def settings_buttons(weekly: bool) -> Buttons:
    """Return the /settings buttons."""
    toggle = "Turn weekly summary off" if weekly else "Turn weekly summary on"
    return (
        (
            _button("Change time", SettingsChoice(SettingsItem.TIME)),
            _button("Change time zone", SettingsChoice(SettingsItem.ZONE)),
        ),
        (_button("Change country", SettingsChoice(SettingsItem.COUNTRY)),),
        (
            _button("Diabetes answer", SettingsChoice(SettingsItem.DIABETES)),
            _button("Weekly summary day", SettingsChoice(SettingsItem.WEEKDAY)),
        ),
        (_button(toggle, SettingsChoice(SettingsItem.WEEKLY)),),
    )


def country_buttons(suggested: Country | None) -> Buttons:
    """Return the country choices: the time zone's country if any, "not listed", "type it"."""
    first = (
        () if suggested is None else ((_button(suggested.name, CountryChoice(suggested.code)),),)
    )
    return (
        *first,
        (_button("My country isn't listed", CountryChoice(NO_COUNTRY)),),
        (_button("Type it", CountryChoice(None)),),
    )


def weekday_buttons() -> Buttons:
    """Return one button per weekday for the weekly summary."""
    days = [
        _button(name, SettingsChoice(SettingsItem.WEEKDAY, n))
        for n, name in enumerate(texts.WEEKDAYS)
    ]
    return rows(days, 4)


def doctor_summary_buttons() -> Buttons:
    """Return the button under an escalation that sends the summary for a clinician."""
    return ((_button("Summary for your doctor", DoctorSummaryRequest()),),)


def delete_buttons() -> Buttons:
    """Return the /delete confirmation buttons."""
    return (
        (
            _button("Delete everything", DeleteChoice(confirm=True)),
            _button("Keep my data", DeleteChoice(confirm=False)),
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
