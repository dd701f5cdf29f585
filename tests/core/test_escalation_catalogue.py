"""Every escalation message, in every language, says the reserved word; nothing else there does.

Enumerated, not hand-picked: every rule at every urgency, every warning sign alone and with a
second one, for a known country, a country with no urgent line, and no country, in each
language the bot speaks.
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
    MORE_SIGNS,
    escalation_message,
    reason_text,
    red_flag_label,
    red_flag_options,
    red_flag_question_text,
)
from bot.core.i18n import Language, Translator
from bot.core.pain_rules import evaluate
from bot.core.warning_signs import RedFlag, evaluate_red_flags

CONFIG = RulesConfig()
START = date(2025, 11, 12)
RESERVED = {Language.EN: ("doctor",), Language.ZH: ("医生", "就医")}
TRANSLATORS = [packaged_catalogs()[language] for language in Language]


BOOK = load_countries()
# A country with an urgent line and out-of-hours words, one without either, and no country.
ROUTES: list[Country | None] = [BOOK.get("GB"), BOOK.get("US"), None]


def daily(*scores: int) -> list[DayScore]:
    """One check-in per day from START."""
    return [DayScore(START + timedelta(days=i), s) for i, s in enumerate(scores)]


def escalations() -> Iterator[list[Escalation]]:
    """Every rule at every urgency, the score rules as they fire, and every warning sign."""
    history = daily(5, 8)
    for rule, urgency in itertools.product(RuleId, Urgency):
        yield [Escalation(rule, urgency, "a stored reason", tuple(history))]
    histories = [
        daily(8, 8, 8),
        daily(*[5, 6] * 7),
        daily(*[1] * 7, *[5] * 7),
        daily(*[5] * 100),
    ]
    for scores in histories:
        for diabetes in (False, True):
            fired = evaluate(scores, [], scores[-1].day, CONFIG, has_diabetes=diabetes)
            if fired:
                yield fired
    signs = [flag for flag in RedFlag if flag is not RedFlag.NONE]
    for first, second in itertools.product(signs, [None, *signs]):
        chosen = {first} if second is None else {first, second}
        for diabetes in (False, True):
            found = evaluate_red_flags(chosen, history, CONFIG, has_diabetes=diabetes)
            if found is not None:
                yield [found]


CASES = list(escalations())


@pytest.mark.parametrize("t", TRANSLATORS, ids=lambda t: t.language.value)
def test_every_escalation_message_says_the_reserved_word(t: Translator) -> None:
    """Escalations are the one place the word appears, in every language and case."""
    word = RESERVED[t.language][0]
    missing = [
        fired
        for fired, routes in itertools.product(CASES, ROUTES)
        if word not in escalation_message(t, fired, daily(5, 8), routes=routes).lower()
    ]
    assert missing == []


def test_chinese_escalations_are_written_in_chinese() -> None:
    """Structured reasons render in Chinese: no English left but names, numbers and units."""
    zh = packaged_catalogs()[Language.ZH]
    allowed = re.compile(r"NHS|FootCare|MHRA|a stored reason|GP out-of-hours")
    for fired, routes in itertools.product(CASES, ROUTES):
        text = allowed.sub("", escalation_message(zh, fired, daily(5, 8), routes=routes))
        assert re.search(r"[A-Za-z]", text) is None, text


def test_reasons_without_a_template_keep_their_stored_text() -> None:
    """A reason stored before reasons were data is shown as it was written."""
    old = Escalation(RuleId.SEVERE, Urgency.SOON, "your pain was high", ())
    assert reason_text(TRANSLATORS[1], old) == "your pain was high"


@pytest.mark.parametrize("t", TRANSLATORS, ids=lambda t: t.language.value)
def test_the_warning_sign_question_and_buttons_never_say_it(t: Translator) -> None:
    """The question and its buttons are not escalations, in any language."""
    texts = [
        red_flag_question_text(t, asked=asked, page=page, has_diabetes=diabetes)
        for asked, page, diabetes in itertools.product((True, False), range(3), (True, False))
    ]
    texts += [label for _, label in red_flag_options(t, has_diabetes=True)]
    texts += [red_flag_label(t, flag) for flag in RedFlag]
    texts.append(t.gettext(MORE_SIGNS))
    said = [text for text in texts if any(word in text.lower() for word in RESERVED[t.language])]
    assert said == []
