"""The message catalogue: routine messages never mention a doctor, and stay short.

The doctor check does not trust a hand-kept list: it enumerates everything bot/core/texts.py
can produce in every language (each module-level string and its translation, each string
inside its tuples, lists and dicts, and each public function called over a product of sample
arguments built from its annotations, the translator among them), so a string added there
cannot escape it; in Chinese the reserved word is 医生. A function whose parameters this test cannot
generate fails it; a trace checks that the samples run every line of the catalogue; and a
source scan catches a literal in a one-line branch (`a if x else b`) that the trace cannot see.
"""

from __future__ import annotations
import __future__

import ast
import inspect
import itertools
import re
import sys
import types
from collections.abc import Callable, Iterator, Sequence
from datetime import date, time
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Union, get_args, get_origin, get_type_hints

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

from bot.content.catalogs import packaged_catalogs
from bot.core import texts
from bot.core.escalation import PainDuration
from bot.core.i18n import Language, Translator

DAY = date(2026, 11, 24)
TRANSLATORS = tuple(packaged_catalogs()[language] for language in Language)
# Every msgid the catalogue holds (English is the msgids themselves).
MSGIDS = packaged_catalogs()[Language.ZH].messages.keys()
EN, ZH = TRANSLATORS
# A Han character: the text is in Chinese.
HAN = re.compile(r"[\u4e00-\u9fff]")
# The word "doctor" in each language the bot speaks; in Chinese also 就医 ("see a doctor").
RESERVED = ("doctor", "医生", "就医")


def says_doctor(text: str) -> bool:
    """Tell whether a text uses the word reserved for escalations, in any language."""
    return any(word in text.lower() for word in RESERVED)


# Texts that legitimately say "doctor", each with why. Keep it short: the word is reserved for
# the escalation path so that it stands out.
DOCTOR_SUMMARY_TEXTS = {
    # The caption of the summary document (bot/reports.py, doctor_summary) that a user gets by
    # tapping "Summary for your doctor" on an escalation message: it exists to be shown to one.
    "DOCTOR_SUMMARY",
}


class CannotGenerate(Exception):
    """A parameter (or a value) this test does not know how to produce (or read)."""


# --- sample arguments -----------------------------------------------------------------------

# Sample values per annotation, chosen so that every branch in texts.py is taken: an empty and
# a non-empty name, a leap day next to an ordinary one, no/falling/rising/flat pain weeks...
SAMPLES: dict[object, tuple[object, ...]] = {
    str: ("", "Sam", "Europe/London", "09:00"),
    bool: (False, True),
    float: (0.0, 12.5),
    date: (DAY, date(2028, 2, 29)),
    time: (time(0, 0), time(9, 5), time(23, 59)),
    Sequence[str]: ((), ("Europe/Berlin", "Europe/Paris")),
    list[int]: ([], [0], [5, 5], [9, 10]),
    types.NoneType: (None,),
    Translator: TRANSLATORS,
    tuple[tuple[str, int], ...]: ((), (("en", 3), ("zh", 0))),
    PainDuration: tuple(PainDuration),
}
SCORES = tuple(range(11))
COUNTS = (0, 1, 2, 3, 1000)
WEEKDAY_INDEXES = tuple(range(7))
# An int is a pain score, a weekday index or a count, and only its name says which (a weekday
# index outside 0-6 raises; a count would leave the pain bands untested), so a new int
# parameter must be listed here.
INT_SAMPLES: dict[str, tuple[int, ...]] = {
    "score": SCORES,
    "old": SCORES,
    "weekday": WEEKDAY_INDEXES,
    "weekly_day": WEEKDAY_INDEXES,
    "streak": COUNTS,
    "recipients": COUNTS,
    "sent": COUNTS,
    "blocked": COUNTS,
    "failed": COUNTS,
    "skipped": COUNTS,
    "total": COUNTS,
    "not_sent": COUNTS,
}
# Strings that a function compares with a literal: their values choose the branch.
STR_SAMPLES: dict[str, tuple[str, ...]] = {
    "status": ("active", "stopped"),
    "answer": ("yes", "no", "skip"),
}


def samples_for(name: str, hint: object) -> tuple[object, ...]:
    """Sample values for one parameter, or CannotGenerate naming what to add."""
    if get_origin(hint) in (Union, types.UnionType):
        return tuple(value for member in get_args(hint) for value in samples_for(name, member))
    if hint is int:
        if name in INT_SAMPLES:
            return INT_SAMPLES[name]
        raise CannotGenerate(f"int parameter {name!r}: list its values in INT_SAMPLES")
    if hint is str and name in STR_SAMPLES:
        return STR_SAMPLES[name]
    try:
        return SAMPLES[hint]
    except (KeyError, TypeError):  # TypeError: an unhashable annotation
        raise CannotGenerate(f"parameter {name!r}: add samples for {hint!r}") from None


def calls(function: Callable[..., object]) -> Iterator[tuple[list[object], dict[str, object]]]:
    """Every combination of sample arguments for `function`, as (args, kwargs)."""
    hints = get_type_hints(function)
    parameters = list(inspect.signature(function).parameters.values())
    choices = []
    for parameter in parameters:
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            raise CannotGenerate(f"parameter {parameter.name!r}: *args and **kwargs")
        if parameter.name not in hints:
            raise CannotGenerate(f"parameter {parameter.name!r} has no annotation")
        choices.append(samples_for(parameter.name, hints[parameter.name]))
    for values in itertools.product(*choices):
        args: list[object] = []
        kwargs: dict[str, object] = {}
        for parameter, value in zip(parameters, values, strict=True):
            if parameter.kind is parameter.POSITIONAL_ONLY:
                args.append(value)
            else:
                kwargs[parameter.name] = value
        yield args, kwargs


# --- enumerating the catalogue --------------------------------------------------------------


def is_imported(value: object) -> bool:
    """Tell a name texts.py imports (a module, class or function) from one it defines."""
    if inspect.ismodule(value) or value is __future__.annotations:
        return True
    defined_in = getattr(value, "__module__", None)
    return (inspect.isclass(value) or inspect.isroutine(value)) and defined_in != texts.__name__


def strings_in(value: object, where: str) -> list[str]:
    """Every string in a value, looking inside tuples, lists, sets and dicts."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict | MappingProxyType):
        return [s for pair in value.items() for item in pair for s in strings_in(item, where)]
    if isinstance(value, list | tuple | set | frozenset):
        return [s for item in value for s in strings_in(item, where)]
    if value is None or isinstance(value, int | float):  # bool is an int
        return []
    # A new kind of value (a class, an enum, a dataclass of texts...) must be read explicitly.
    raise CannotGenerate(f"{where}: cannot read a {type(value).__name__} for texts")


def catalogue_names() -> list[str]:
    """The names of texts.py whose values or results are user-facing text."""
    names = []
    for name, value in vars(texts).items():
        # Dunders are module machinery (and __doc__ is the developer note about the reserved
        # word); imports belong to other modules; private helpers only build parts of the
        # public texts, which are checked whole (and their literals by the source scan).
        if name.startswith("__") or is_imported(value):
            continue
        if name.startswith("_") and inspect.isfunction(value):
            continue
        names.append(name)
    return sorted(names)


@cache
def produced(name: str) -> tuple[str, ...]:
    """Every text that the catalogue entry `name` is or can return."""
    value = getattr(texts, name)
    where = f"texts.{name}"
    if not inspect.isfunction(value):
        # A constant marked N_ is a msgid, shown through the reader's translator; the others
        # (admin texts, command names, typed words) are shown or matched as they are.
        found = strings_in(value, where)
        return tuple(
            t.gettext(text) if text in MSGIDS else text for text in found for t in TRANSLATORS
        )
    return tuple(
        text for args, kwargs in calls(value) for text in strings_in(value(*args, **kwargs), where)
    )


def produced_or_fail(name: str) -> tuple[str, ...]:
    """produced(), turning 'cannot generate' into a test failure that says what to add."""
    try:
        return produced(name)
    except CannotGenerate as exc:
        pytest.fail(f"texts.{name}: {exc}; extend tests/core/test_texts.py")


CATALOGUE = catalogue_names()
ROUTINE = [name for name in CATALOGUE if name not in DOCTOR_SUMMARY_TEXTS]


# --- the doctor check -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ROUTINE)
def test_routine_messages_do_not_mention_a_doctor(name: str) -> None:
    """Only escalation messages say 'doctor', so they stand out."""
    said = [text for text in produced_or_fail(name) if says_doctor(text)]
    assert said == []


@pytest.mark.parametrize("name", sorted(DOCTOR_SUMMARY_TEXTS))
def test_each_doctor_summary_exception_still_says_doctor(name: str) -> None:
    """An exception that is gone or no longer says 'doctor' is dropped from the list."""
    assert name in CATALOGUE
    for words in (("doctor",), ("医生", "就医")):
        assert any(word in text.lower() for text in produced_or_fail(name) for word in words)


def test_no_string_literal_in_the_catalogue_says_doctor() -> None:
    """A source scan: catches a literal on a branch that the sample arguments never take."""
    tree = ast.parse(Path(texts.__file__).read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        # Docstrings are notes for developers, never sent (the module's explains the rule).
        if isinstance(
            node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
        ) and (ast.get_docstring(node, clean=False) is not None):
            skipped.add(id(node.body[0]))
            skipped.update(id(n) for n in ast.walk(node.body[0]))
    for statement in tree.body:
        if defined_names(statement) & DOCTOR_SUMMARY_TEXTS:
            skipped.update(id(n) for n in ast.walk(statement))
    said = [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skipped
        and says_doctor(node.value)
    ]
    assert said == []


# Where the reserved word belongs: the escalation message and what opens from it (the summary
# for a doctor: its button, its caption and its page).
ESCALATION_MODULES = {
    "core/escalation_text.py",
    "core/care_words.py",
    "core/warning_signs.py",
    "charts/summary.py",
}
FROM_AN_ESCALATION = {"Summary for your doctor", texts.DOCTOR_SUMMARY}


def test_no_msgid_outside_escalations_says_doctor_in_any_language() -> None:
    """Every marked text of the whole bot, in English and in its translation: charts,
    keyboards, exports and features say neither "doctor" nor 医生/就医 (issue 20: the /history
    chart said "doctor advised" and 就医)."""
    found = extract_from_dir(
        Path(texts.__file__).parent.parent,
        [("**.py", "python")],
        keywords={**DEFAULT_KEYWORDS, "N_": None},
    )
    where: dict[str, set[str]] = {}
    for filename, _, msgid, _, _ in found:
        text = msgid if isinstance(msgid, str) else msgid[0]
        where.setdefault(text, set()).add(Path(filename).as_posix())
    said = [
        (sorted(files), t.gettext(msgid))
        for msgid, files in where.items()
        if msgid not in FROM_AN_ESCALATION and not files <= ESCALATION_MODULES
        for t in TRANSLATORS
        if says_doctor(t.gettext(msgid))
    ]
    assert said == []
    assert "charts/history.py" in {f for files in where.values() for f in files}


def defined_names(statement: ast.stmt) -> set[str]:
    """The module-level names a statement assigns or defines."""
    if isinstance(statement, ast.FunctionDef | ast.ClassDef):
        return {statement.name}
    if isinstance(statement, ast.Assign):
        return {t.id for t in statement.targets if isinstance(t, ast.Name)}
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return {statement.target.id}
    return set()


def test_the_enumeration_reaches_constants_collections_and_functions() -> None:
    """Guards the check itself: it sees texts of every kind, and skips only imports."""
    for name in ("ERROR", "COMMANDS", "CHOOSE_WEEKDAY", "welcome", "settings_summary"):
        assert name in CATALOGUE
    for name in ("date", "Sequence", "N_", "Translator", "annotations", "_band"):
        assert name not in CATALOGUE
    assert "Delete all your data" in produced("COMMANDS")  # strings inside nested tuples
    assert "删除你的全部数据" in produced("COMMANDS")  # and their translations
    for t in TRANSLATORS:
        assert texts.welcome(t, "Sam") in produced("welcome")
    assert any("Sunday" in text for text in produced("weekly_toggled"))
    assert any("星期日" in text for text in produced("weekly_toggled"))


def text_with_a_complex(ratio: complex) -> str:
    """A parameter type with no samples."""
    return str(ratio)


def text_with_an_unknown_int(minutes: int) -> str:
    """An int whose meaning (and so its range) is not declared."""
    return str(minutes)


def text_without_annotation(name) -> str:  # type: ignore[no-untyped-def]
    """A parameter with nothing to build a value from."""
    return str(name)


def text_with_varargs(*names: str) -> str:
    """Any number of arguments: no single product covers them."""
    return " ".join(names)


@pytest.mark.parametrize(
    "function",
    [text_with_a_complex, text_with_an_unknown_int, text_without_annotation, text_with_varargs],
)
def test_a_parameter_that_cannot_be_generated_fails_the_check(
    function: Callable[..., str],
) -> None:
    """A new function with a new kind of parameter forces this test to be extended."""
    with pytest.raises(CannotGenerate):
        list(calls(function))


def test_a_value_that_cannot_be_read_fails_the_check() -> None:
    """A new kind of module-level value (not text, a collection or a number) is not skipped."""
    with pytest.raises(CannotGenerate):
        strings_in(object(), "texts.SOMETHING")


def test_the_samples_run_every_line_of_the_catalogue() -> None:
    """Guards the samples: every line of every texts.py function runs for some sample."""
    functions = [v for v in vars(texts).values() if inspect.isfunction(v) and not is_imported(v)]
    runnable = set().union(*(lines_of(function.__code__) for function in functions))
    ran: set[int] = set()

    def trace(frame: types.FrameType, event: str, arg: object) -> Any:
        if frame.f_code.co_filename != texts.__file__:
            return None  # don't trace calls into other modules
        if event == "line":
            ran.add(frame.f_lineno)
        return trace

    previous = sys.gettrace()  # a coverage tool's tracer, if any, is put back afterwards
    produced.cache_clear()  # cached results would run nothing
    sys.settrace(trace)
    try:
        for name in CATALOGUE:
            produced(name)
    finally:
        sys.settrace(previous)
    assert sorted(runnable - ran) == []


def lines_of(code: types.CodeType) -> set[int]:
    """Body lines of a code object and the code objects nested in it."""
    lines = {line for _, _, line in code.co_lines() if line is not None}
    lines.discard(code.co_firstlineno)  # the def line itself runs no body code
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            lines |= lines_of(constant)
    return lines


# --- the rest of the catalogue --------------------------------------------------------------


@pytest.mark.parametrize("name", CATALOGUE)
def test_every_text_fits_a_telegram_message(name: str) -> None:
    """Every text is non-empty and well under Telegram's 4096-character limit."""
    assert all(0 < len(text) <= 1500 for text in produced_or_fail(name))


def test_checkin_ack_mentions_streak_from_three_days() -> None:
    """The acknowledgement mentions the streak at 3 days, not at 2."""
    assert "3 days in a row" in texts.checkin_recorded(EN, DAY, 2, 3)
    assert "in a row" not in texts.checkin_recorded(EN, DAY, 2, 2)
    assert "连续 3 天" in texts.checkin_recorded(ZH, DAY, 2, 3)


def test_weekly_summary_encourages_falling_pain() -> None:
    """A week with lower pain than the one before gets a word of encouragement."""
    assert "Well done" in texts.weekly_summary(EN, [2, 2, 3], [5, 5, 6])
    assert "Well done" not in texts.weekly_summary(EN, [6, 6], [2, 2])


def test_a_first_weekly_summary_ends_in_the_readers_language() -> None:
    """With no week before, the last line is Chinese for a Chinese reader (it was English:
    its msgid sat inside an f-string and never reached the catalogue)."""
    last = texts.weekly_summary(ZH, [2, 3], []).splitlines()[-1]
    assert last == ZH.gettext("Keep checking in to see how it changes.")
    assert last != "Keep checking in to see how it changes."
    assert HAN.search(last)


def test_every_command_description_fits_telegram() -> None:
    """Command names are lowercase and descriptions are at most 256 characters."""
    for name, description in texts.COMMANDS:
        assert name.islower()
        for t in TRANSLATORS:
            assert 3 <= len(t.gettext(description)) <= 256


def test_diabetes_question_says_it_is_optional() -> None:
    """The onboarding diabetes question tells people they can skip it."""
    assert "diabetes" in texts.ASK_DIABETES
    assert "skip" in texts.ASK_DIABETES


def test_start_and_help_say_footcare_is_for_adults() -> None:
    """A child's heel pain should be checked by a GP, not managed with these tips."""
    for text in (texts.welcome(EN, "Sam"), texts.help_text(EN)):
        assert "for adults" in text
        assert "child" in text
    for text in (texts.welcome(ZH, "小明"), texts.help_text(ZH)):
        assert "成年人" in text
        assert "儿童" in text


def test_dates_follow_the_readers_language() -> None:
    """One date helper: English and Chinese day names, no server locale involved."""
    assert "Tuesday 24 November" in texts.onboarding_done(EN, "Europe/London", "09:00", DAY)
    assert "11月24日星期二" in texts.onboarding_done(ZH, "Asia/Shanghai", "09:00", DAY)
    assert texts.checkin_prompt(EN, DAY).startswith("Check-in for Tue 24 Nov")
