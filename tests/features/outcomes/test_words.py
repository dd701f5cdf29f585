"""The outcome measures' words: one for every choice, translated, and never the reserved word.

"doctor" (医生, and 就医 "see a doctor", 大夫 and 医师 which say the same) is kept for
escalations so that it stands out. The check enumerates every string words.py defines, in
every language the bot speaks, and scans its source for literals, so a new sentence cannot
escape it.
"""

from __future__ import annotations
import __future__

import ast
import inspect
from enum import StrEnum
from pathlib import Path

import pytest

from bot.content.catalogs import packaged_catalogs
from bot.core.i18n import Language, Translator
from bot.core.outcomes import GlobalChange, PainSite, Side
from bot.features.outcomes import words
from bot.features.outcomes.measures import Measure, NameProblem, Verdict

TRANSLATORS = tuple(packaged_catalogs()[language] for language in Language)
EN, ZH = TRANSLATORS
RESERVED = ("doctor", "医生", "就医", "大夫", "医师")


def is_imported(value: object) -> bool:
    """Tell a name words.py imports (a module, class or function) from one it defines."""
    if inspect.ismodule(value) or value is __future__.annotations:
        return True
    defined_in = getattr(value, "__module__", None)
    return (inspect.isclass(value) or inspect.isroutine(value)) and defined_in != words.__name__


def msgids() -> list[str]:
    """Every string words.py defines, inside its tuples and dictionaries too."""
    found: list[str] = []
    for name, value in vars(words).items():
        if name.startswith("_") or is_imported(value):
            continue
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            found.extend(value.values())
        elif isinstance(value, tuple):
            found.extend(value)
        else:
            raise AssertionError(f"words.{name}: a {type(value).__name__} this test cannot read")
    return found


def test_the_enumeration_sees_constants_dictionaries_and_tuples() -> None:
    """Guards the check itself."""
    found = msgids()
    assert words.ASK_ACCEPTABLE in found
    assert words.SITE_LABELS[PainSite.ACHILLES] in found
    assert "filled_late" in found
    assert len(found) > 60


@pytest.mark.parametrize("t", TRANSLATORS, ids=lambda t: t.language.value)
def test_no_outcome_sentence_says_doctor(t: Translator) -> None:
    said = [t.gettext(m) for m in msgids() if any(w in t.gettext(m).lower() for w in RESERVED)]
    assert said == []


def test_no_string_literal_in_words_says_doctor() -> None:
    """A source scan besides the enumeration (docstrings are notes for developers)."""
    tree = ast.parse(Path(words.__file__).read_text(encoding="utf-8"))
    docstring = tree.body[0]
    literals = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node is not getattr(docstring, "value", None)
    ]
    assert [s for s in literals if any(w in s.lower() for w in RESERVED)] == []


def test_every_sentence_is_in_chinese() -> None:
    """Translated, not left in English (column names and placeholders aside)."""
    untranslated = [m for m in msgids() if ZH.gettext(m) == m]
    assert untranslated == []
    ascii_only = [ZH.gettext(m) for m in msgids() if ZH.gettext(m).isascii()]
    assert ascii_only == []


@pytest.mark.parametrize(
    ("table", "enum"),
    [
        (words.SITE_LABELS, PainSite),
        (words.SIDE_LABELS, Side),
        (words.CHANGE_LABELS, GlobalChange),
        (words.MEASURE_NAMES, Measure),
        (words.VERDICTS, Verdict),
        (words.NAME_PROBLEMS, NameProblem),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_every_choice_has_its_words(table: dict[StrEnum, str], enum: type[StrEnum]) -> None:
    assert list(table) == list(enum)


@pytest.mark.parametrize("t", TRANSLATORS, ids=lambda t: t.language.value)
def test_the_users_words_go_into_the_sentences_as_given(t: Translator) -> None:
    """Placeholders are filled as text; markup in an activity is kept for the display to
    escape, not lost or interpreted here."""
    typed = "<b>walk</b> {the} dog"
    asked = t.gettext(words.ASK_RATE_ACTIVITY).format(activity=typed)
    assert typed in asked
    line = t.gettext(words.PROGRESS_LINE).format(
        measure=t.gettext(words.MEASURE_NAMES[Measure.DAILY_PAIN]),
        start="6.0",
        last="4.1",
        change="-1.9",
    )
    assert "6.0" in line
    assert "-1.9" in line


def test_the_acceptable_state_question_keeps_its_three_parts() -> None:
    """Daily activities, pain and function, then: would staying like this be acceptable."""
    for part in ("daily activities", "your pain", "what your foot lets you do", "acceptable"):
        assert part in words.ASK_ACCEPTABLE
    for part in ("日常活动", "疼痛", "能让你做", "接受"):
        assert part in ZH.gettext(words.ASK_ACCEPTABLE)
