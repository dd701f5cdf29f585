"""A user's record laid out for a clinician: sections of typed blocks, in the reader's language.

Pure data. The sharing feature builds it (`bot/features/sharing/sections.py`, one function per
section, a section with no data not built at all); the web page (`bot/web/page.py`) and the
PDF (`bot/charts/record_pdf.py`) draw the same blocks, so the two always hold the same
figures. Every string here is final text already translated; the user's own words are in it
as typed, and each drawer escapes them for its medium.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.i18n import Translator


@dataclass(frozen=True)
class Facts:
    """Label and value pairs, such as "Average: 4.2" or a date and what happened on it."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row; each row has one cell per column."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        if any(len(row) != len(self.columns) for row in self.rows):
            raise ValueError("every row needs one cell per column")


@dataclass(frozen=True)
class PainChart:
    """Daily 0-10 scores over a period, the threshold line and the days an escalation came."""

    points: tuple[tuple[date, int], ...]
    start: date
    end: date
    threshold: int
    marked: tuple[date, ...]
    title: str  # an English msgid: the chart translates it itself
    description: str  # the chart in words, for readers who cannot see it


@dataclass(frozen=True)
class Note:
    """A sentence that belongs to a section, such as what its colours mean."""

    text: str


Block = Facts | Table | PainChart | Note


@dataclass(frozen=True)
class Section:
    """One part of the record under a heading; `key` names it for styling and tests."""

    key: str
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Record:
    """The whole record: who and when (`about`), the notice, then the sections in order."""

    t: Translator
    title: str
    notice: str
    about: Facts
    sections: tuple[Section, ...]
    file_stem: str  # a file name without extension, e.g. footcare-record-2026-11-24
