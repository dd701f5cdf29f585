"""The gettext catalogues: complete, matching the code, and refused at start when broken."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

import bot
from bot.content.catalogs import load_catalogs, po_path, read_catalog
from bot.content.yamlfile import ContentError
from bot.core.i18n import Language, is_traditional, pick_language

PACKAGE = Path(bot.__file__).parent
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}


def code_msgids() -> set[str]:
    """Every msgid the code marks, as `make messages` extracts them."""
    found = extract_from_dir(PACKAGE, [("**.py", "python")], keywords=KEYWORDS)
    return {msgid if isinstance(msgid, str) else msgid[0] for _, _, msgid, _, _ in found}


def catalogue_msgids(language: Language) -> set[str]:
    """Every msgid in one language's catalogue."""
    catalog = read_catalog(po_path(language), language.value)
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def test_shipped_catalogues_load_and_are_complete() -> None:
    """Every msgid translated, non-empty, same placeholders, all plural forms (or no start)."""
    load_catalogs()


@pytest.mark.parametrize("language", [lang for lang in Language if lang is not Language.EN])
def test_every_msgid_in_the_code_is_in_the_catalogue_and_no_other(language: Language) -> None:
    """A text added to the code, or left in the catalogue after removal, fails here."""
    code, catalogue = code_msgids(), catalogue_msgids(language)
    assert sorted(code - catalogue) == []
    assert sorted(catalogue - code) == []


TRANSLATING = {"gettext", "ngettext", "N_"}


def literal_msgids(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of every string literal handed to gettext, ngettext or N_, anywhere,
    f-strings included: the parser sees inside them where extraction may not."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        first = node.args[0]
        if name in TRANSLATING and isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.append((node.lineno, first.value))
    return found


def test_every_literal_msgid_in_the_code_is_extracted() -> None:
    """A gettext call on a literal that extraction misses (inside an f-string, say) would be
    missing from the catalogue and reach Chinese readers in English."""
    extracted = code_msgids()
    missed = [
        f"{path.relative_to(PACKAGE)}:{line}: {text!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, text in literal_msgids(ast.parse(path.read_text(encoding="utf-8")))
        if text not in extracted
    ]
    assert missed == []


def test_a_msgid_inside_an_f_string_is_found() -> None:
    """The scan above reaches into f-strings, where the weekly summary's last line once hid."""
    code = "def f(t):\n    return f\"{t.gettext('Hidden.')} and {t.ngettext('a', 'b', 2)}\"\n"
    assert literal_msgids(ast.parse(code)) == [(2, "Hidden."), (2, "a")]


HEADER = """msgid ""
msgstr ""
"Language: zh\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"
"Content-Type: text/plain; charset=utf-8\\n"

"""


def broken(tmp_path: Path, body: str) -> Path:
    """Write a zh catalogue with the given entries under a locale root; return the root."""
    path = po_path(Language.ZH, tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(HEADER + body, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('msgid "Hi, {name}!"\nmsgstr "你好！"\n', "placeholders"),
        ('msgid "Hi, {name}!"\nmsgstr "{姓名}，你好！"\n', "placeholders"),
        ('msgid "Yes"\nmsgstr ""\n', "no translation"),
        ('msgid "{n} day"\nmsgid_plural "{n} days"\nmsgstr[0] ""\n', "plural forms"),
        ('#, fuzzy\nmsgid "Yes"\nmsgstr "有"\n', "fuzzy"),
        ('msgid "Yes"\ngarbage\nmsgstr "有"\n', "bad .po"),
    ],
)
def test_a_broken_catalogue_stops_the_bot_naming_file_and_line(
    tmp_path: Path, body: str, problem: str
) -> None:
    """Missing text, a changed placeholder, a missing plural or bad syntax: file:line."""
    root = broken(tmp_path, body)
    with pytest.raises(ContentError) as caught:
        load_catalogs(root)
    assert f"{po_path(Language.ZH, root)}:" in str(caught.value)
    assert problem in str(caught.value)


@pytest.mark.parametrize(
    ("code", "language", "traditional"),
    [
        ("zh", Language.ZH, False),
        ("zh-hans", Language.ZH, False),
        ("zh-CN", Language.ZH, False),
        ("zh-sg", Language.ZH, False),
        ("zh-hant", Language.ZH, True),
        ("zh-TW", Language.ZH, True),
        ("zh-hk", Language.ZH, True),
        ("en", Language.EN, False),
        ("en-US", Language.EN, False),
        ("de", Language.EN, False),
        (None, Language.EN, False),
        ("", Language.EN, False),
    ],
)
def test_telegram_language_codes_choose_a_language(
    code: str | None, language: Language, traditional: bool
) -> None:
    """Simplified for zh, zh-hans, zh-cn, zh-sg; Traditional noted; everything else English."""
    assert pick_language(code) is language
    assert is_traditional(code) is traditional
