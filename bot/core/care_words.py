"""Where a user turns for care, in their country's words and their own language.

The escalation message (bot/core/escalation_text.py) says who to see, which number to call and
where to go when the family doctor is closed; this module picks those words from the user's
country (`Routes`), in English or Chinese. Without a country it says "your local emergency
number", never another country's number. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.core.i18n import N_, Language, Translator


class Routes(Protocol):
    """Where a user in their country goes for help (bot.core.countries.Country fits)."""

    @property
    def emergency(self) -> str:
        """The emergency number, e.g. "999"."""

    @property
    def urgent(self) -> str | None:
        """The urgent advice line's number, e.g. "111", if the country has one."""

    @property
    def urgent_name(self) -> str | None:
        """The name of that line, e.g. "NHS 111"."""

    @property
    def family_doctor(self) -> str:
        """The usual words for a family doctor, e.g. "GP"."""

    @property
    def emergency_department(self) -> str:
        """The usual words for an emergency department, e.g. "A&E"."""

    @property
    def out_of_hours(self) -> str | None:
        """Where to turn when the family doctor is closed, as a clause; None: the urgent line."""

    @property
    def family_doctor_zh(self) -> str | None:
        """The family doctor in Chinese, if the file has it."""

    @property
    def emergency_department_zh(self) -> str | None:
        """The emergency department in Chinese, if the file has it."""

    @property
    def urgent_name_zh(self) -> str | None:
        """The urgent line's name in Chinese, saying what it is."""

    @property
    def out_of_hours_zh(self) -> str | None:
        """out_of_hours in Chinese."""


UNKNOWN_EMERGENCY = N_("your local emergency number")
UNKNOWN_DEPARTMENT = N_("the nearest emergency department")
UNKNOWN_GP = N_("your family doctor")
CALL_LINE = N_("call {service} on {number}")


@dataclass(frozen=True)
class CareWords:
    """The words one message uses for care, in the reader's language."""

    emergency: str  # the number, or "your local emergency number"
    department: str  # "A&E", "医院急症室", "the nearest emergency department"...
    gp: str  # who to book: "a GP", "家庭医生或普通科门诊", "your family doctor"
    # What to do when the family doctor is closed, as a clause after a colon ("call NHS 111
    # on 111"); None when the file knows no such service for the country (or no country).
    advice_line: str | None


def care_words(t: Translator, routes: Routes | None) -> CareWords:
    """Return the care words for a reader of `t` in the country of `routes`."""
    if routes is None:
        return CareWords(
            t.gettext(UNKNOWN_EMERGENCY), t.gettext(UNKNOWN_DEPARTMENT), t.gettext(UNKNOWN_GP), None
        )
    if t.language is Language.ZH:
        return CareWords(
            routes.emergency,
            routes.emergency_department_zh or t.gettext(UNKNOWN_DEPARTMENT),
            routes.family_doctor_zh or t.gettext(UNKNOWN_GP),
            _advice_line(t, routes.out_of_hours_zh, routes.urgent_name_zh, routes.urgent),
        )
    return CareWords(
        routes.emergency,
        routes.emergency_department,
        f"a {routes.family_doctor}",
        _advice_line(t, routes.out_of_hours, routes.urgent_name, routes.urgent),
    )


def _advice_line(
    t: Translator, out_of_hours: str | None, name: str | None, number: str | None
) -> str | None:
    if out_of_hours:
        return out_of_hours
    if number is None:
        return None
    # The loader requires a name (in each language) with every urgent number; a test double
    # without one still gets the number.
    return t.gettext(CALL_LINE).format(service=name or number, number=number)


def out_of_hours_fallback(t: Translator, words: CareWords, *, nearest: bool = False) -> str:
    """Return the stated fallback where the file knows no out-of-hours service."""
    if nearest:
        return t.gettext(
            "go to your nearest out-of-hours service, or {department} if none is open"
        ).format(department=words.department)
    return t.gettext("go to an out-of-hours service, or {department} if none is open").format(
        department=words.department
    )
