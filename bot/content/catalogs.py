"""Load the gettext catalogues (bot/locale/<lang>/LC_MESSAGES/footcare.po) straight from .po.

No compile step: a fresh clone runs as it is. Every problem is reported as file:line, and a
catalogue that is incomplete or whose placeholders differ from the English stops the bot.
"""

from __future__ import annotations

import gettext
import re
from functools import cache
from pathlib import Path
from types import MappingProxyType

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from bot.content.yamlfile import ContentError, Problem
from bot.core.i18n import Catalogs, Language, Translator

DOMAIN = "footcare"
# {name}, {name:.1f} and {name!r}; doubled braces are literal braces, not placeholders.
_PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


def locale_dir() -> Path:
    """Return the packaged folder of catalogues."""
    return Path(__file__).resolve().parent.parent / "locale"


def placeholders(text: str) -> list[str]:
    """Return the {placeholders} of a text, sorted, so two languages can be compared."""
    return sorted(_PLACEHOLDER.findall(text))


def po_path(language: Language, root: Path | None = None) -> Path:
    """Return where the catalogue of one language lives."""
    return (root or locale_dir()) / language.value / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(path: Path, name: str) -> Catalog:
    """Parse one .po file; a syntax error becomes a ContentError with file:line."""
    try:
        with path.open("rb") as handle:
            return read_po(handle, abort_invalid=True)
    except OSError as exc:
        raise ContentError([Problem(name, 1, f"cannot read catalogue: {exc}")]) from exc
    except PoFileError as exc:
        line = int(match.group(1)) if (match := re.search(r"(?:line|on) (\d+)", str(exc))) else 1
        raise ContentError([Problem(name, line, f"bad .po file: {exc}")]) from exc


def check_catalog(catalog: Catalog, name: str) -> list[Problem]:
    """Every message translated, non-empty, with the msgid's placeholders and all plurals."""
    problems: list[Problem] = []
    for message in catalog:
        if not message.id:
            continue  # the header
        line = message.lineno or 1
        if message.fuzzy:
            problems.append(Problem(name, line, "translation is marked fuzzy"))
        if isinstance(message.id, tuple | list):
            strings = message.string if isinstance(message.string, tuple | list) else ()
            if len(strings) != catalog.num_plurals or not all(s.strip() for s in strings):
                problems.append(
                    Problem(name, line, f"needs {catalog.num_plurals} non-empty plural forms")
                )
                continue
            expected = placeholders(message.id[1])
            problems += [
                Problem(name, line, f"placeholders {placeholders(s)} differ from {expected}")
                for s in strings
                if placeholders(s) != expected
            ]
            continue
        text = message.string if isinstance(message.string, str) else ""
        if not text.strip():
            problems.append(Problem(name, line, f"no translation for {message.id[:50]!r}"))
        elif placeholders(text) != placeholders(message.id):
            problems.append(
                Problem(
                    name,
                    line,
                    f"placeholders {placeholders(text)} differ from {placeholders(message.id)}",
                )
            )
    return problems


def translator_from(catalog: Catalog, language: Language) -> Translator:
    """Build a pure translator from a parsed catalogue."""
    messages: dict[str, str | tuple[str, ...]] = {}
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            forms = message.string if isinstance(message.string, tuple | list) else ()
            messages[message.id[0]] = tuple(forms)
        elif isinstance(message.string, str):
            messages[message.id] = message.string
    plural = gettext.c2py(catalog.plural_expr)
    return Translator(language, MappingProxyType(messages), plural)


def load_catalogs(root: Path | None = None) -> Catalogs:
    """Load and check every non-English catalogue; raise ContentError listing every problem."""
    translators: dict[Language, Translator] = {Language.EN: Translator()}
    problems: list[Problem] = []
    for language in Language:
        if language is Language.EN:
            continue  # the msgids are the English texts
        path = po_path(language, root)
        name = str(path.relative_to(path.parents[3])) if root is None else str(path)
        catalog = read_catalog(path, name)
        problems += check_catalog(catalog, name)
        translators[language] = translator_from(catalog, language)
    if problems:
        raise ContentError(problems)
    return Catalogs(translators)


@cache
def packaged_catalogs() -> Catalogs:
    """The shipped catalogues, loaded once (they never change while the bot runs)."""
    return load_catalogs()
