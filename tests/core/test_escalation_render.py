"""Every escalation message, rendered for every rule × sign × country × language, is whole.

Enumerated, not sampled: each rule as it fires, each warning sign with and without diabetes,
each rule together with each sign, for every country in the shipped file and for no country,
in each language the bot speaks. Each message must fit Telegram's 4096-character limit with
its headline, its numbers and its safety net intact, and name no phone number of the file but
the user's own (numbers matched whole: 9999 is not 999). In Chinese no sign is joined into the
"you told us about" sentence as broken Chinese ("你告诉我们有有糖尿病", issue 20 item 4).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from bot.content.catalogs import packaged_catalogs
from bot.content.countries import load_countries
from bot.core.countries import Country
from bot.core.escalation import DayScore, Escalation, RuleId, RulesConfig, Urgency
from bot.core.escalation_text import (
    DISCLAIMER,
    MAX_MESSAGE_CHARS,
    escalation_message,
    score_summary,
)
from bot.core.i18n import Language, Translator
from bot.core.pain_rules import evaluate
from bot.core.warning_signs import RedFlag, evaluate_red_flags

CONFIG = RulesConfig()
BOOK = load_countries()
COUNTRIES: list[Country | None] = [*BOOK, None]
TRANSLATORS = [packaged_catalogs()[language] for language in Language]
# Every phone number the file gives any country.
FILE_NUMBERS = {n for c in BOOK for n in (c.emergency, c.urgent) if n is not None}
WHOLE_NUMBER = re.compile(r"(?<![0-9])[0-9]+(?![0-9])")
# Days 1-14 of a month and scores 0-10: no date or score reads as one of the file's numbers
# (France's emergency number is 15).
START = date(2025, 11, 1)


def daily(*scores: int) -> list[DayScore]:
    """One check-in per day from START."""
    return [DayScore(START + timedelta(days=i), s) for i, s in enumerate(scores)]


HISTORY = daily(5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 8)
SIGNS = [flag for flag in RedFlag if flag is not RedFlag.NONE]


def rule_escalations() -> Iterator[Escalation]:
    """Each rule once, as the rules make it where a history fires it, else at its urgency."""
    fired: dict[RuleId, Escalation] = {}
    for diabetes in (False, True):
        for found in evaluate(HISTORY, [], HISTORY[-1].day, CONFIG, has_diabetes=diabetes):
            fired.setdefault(found.rule, found)
    for rule in RuleId:
        yield fired.get(rule) or Escalation(
            rule, CONFIG.urgency[rule], f"the {rule.value} rule fired", tuple(HISTORY)
        )


def sign_escalations() -> Iterator[Escalation]:
    """Each sign alone, with and without diabetes."""
    for flag, diabetes in itertools.product(SIGNS, (False, True)):
        found = evaluate_red_flags({flag}, HISTORY, CONFIG, has_diabetes=diabetes)
        assert found is not None
        yield found


def cases() -> Iterator[list[Escalation]]:
    """Every rule alone, every sign alone, and every rule with every sign."""
    rules, signs = list(rule_escalations()), list(sign_escalations())
    yield from ([rule] for rule in rules)
    yield from ([sign] for sign in signs)
    yield from ([rule, sign] for rule, sign in itertools.product(rules, signs))


CASES = list(cases())


def own_numbers(country: Country | None) -> set[str]:
    """The numbers a user of this country may be given."""
    if country is None:
        return set()
    return {n for n in (country.emergency, country.urgent) if n is not None}


def check(t: Translator, fired: list[Escalation], country: Country | None) -> list[str]:
    """Return what is wrong with one rendered message (nothing, when it is whole)."""
    text = escalation_message(t, fired, HISTORY, routes=country)
    problems = []
    if len(text.encode("utf-16-le")) // 2 > MAX_MESSAGE_CHARS:
        problems.append("over Telegram's limit")
    paragraphs = text.split("\n\n")
    lead = max(fired, key=lambda e: e.urgency)
    emergency = country.emergency if country else t.gettext("your local emergency number")
    if lead.urgency is Urgency.EMERGENCY and emergency not in paragraphs[0]:
        problems.append("an emergency headline without the emergency number")
    if lead.urgency is not Urgency.EMERGENCY and not any(
        emergency in p and p != paragraphs[0] for p in paragraphs
    ):
        problems.append("no safety net with the emergency number")
    if lead.urgency is Urgency.URGENT and not _says_out_of_hours(t, paragraphs[0], country):
        problems.append("a same-day headline without the out-of-hours route")
    if t.gettext(DISCLAIMER) not in text:
        problems.append("no disclaimer")
    if t.language is Language.ZH and "有有" in text:
        problems.append("a sign joined into broken Chinese (有有)")
    if score_summary(t, HISTORY) not in text:
        problems.append("scores cut")
    numbers = set(WHOLE_NUMBER.findall(text))
    if missing := own_numbers(country) - numbers:
        problems.append(f"missing its own numbers {sorted(missing)}")
    if foreign := (numbers & FILE_NUMBERS) - own_numbers(country):
        problems.append(f"names another country's numbers {sorted(foreign)}")
    return problems


def _says_out_of_hours(t: Translator, headline: str, country: Country | None) -> bool:
    if country is not None and country.urgent is not None:
        return country.urgent in headline
    if country is not None and country.out_of_hours is not None:
        words = country.out_of_hours_zh if t.language is Language.ZH else country.out_of_hours
        return words is not None and words in headline
    department = (
        t.gettext("the nearest emergency department")
        if country is None
        else (country.emergency_department_zh or t.gettext("the nearest emergency department"))
        if t.language is Language.ZH
        else country.emergency_department
    )
    fallbacks = [
        t.gettext(f).format(department=department)
        for f in (
            "go to an out-of-hours service, or {department} if none is open",
            "go to your nearest out-of-hours service, or {department} if none is open",
        )
    ]
    return any(f in headline for f in fallbacks)


def test_the_cases_cover_every_rule_and_every_sign() -> None:
    """Guards the enumeration itself."""
    rules = {e.rule for fired in CASES for e in fired}
    signs = {v for fired in CASES for e in fired for v in dict(e.params).get("signs", ())}
    assert rules == set(RuleId)
    assert signs == {flag.value for flag in SIGNS}
    assert len(COUNTRIES) == len(BOOK) + 1


@pytest.mark.parametrize("t", TRANSLATORS, ids=lambda t: t.language.value)
@pytest.mark.parametrize("country", COUNTRIES, ids=lambda c: c.code if c else "none")
def test_every_message_is_whole_and_names_only_the_users_numbers(
    t: Translator, country: Country | None
) -> None:
    """Fits 4096 with its headline, numbers, safety net and scores; no other country's number."""
    found = {}
    for fired in CASES:
        if problems := check(t, fired, country):
            found[" + ".join(f"{e.rule.value}{dict(e.params).get('signs', '')}" for e in fired)] = (
                problems
            )
    assert found == {}


def test_a_number_inside_a_longer_one_does_not_count() -> None:
    """Whole numbers only: 19990 and 1999 are neither 999 nor 199."""
    assert WHOLE_NUMBER.findall("call 19990 or 1999, not 999.") == ["19990", "1999", "999"]
    assert "999" not in set(WHOLE_NUMBER.findall("19990 1999"))
