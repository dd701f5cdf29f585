"""Reading what the share listener serves, as a reader would: the page's text and the PDF's."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

from pypdf import PdfReader


@dataclass
class Page:
    """The visible text of a page, by section, with its label/value pairs and table rows."""

    text: str = ""
    sections: dict[str, str] = field(default_factory=dict)
    facts: list[tuple[str, str]] = field(default_factory=list)
    rows: list[tuple[str, ...]] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)
    styles: list[str] = field(default_factory=list)
    attributes: list[tuple[str, str, str]] = field(default_factory=list)  # tag, name, value


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._sections: list[str] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._label: str | None = None
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.tags.add(tag)
        for name, value in attrs:
            self.page.attributes.append((tag, name, value or ""))
        if tag == "style":
            self._in_style = True
            self.page.styles.append("")
        elif tag == "section":
            key = dict(attrs).get("class") or ""
            self._sections.append(key)
            self.page.sections.setdefault(key, "")
        elif tag in ("dt", "dd", "td", "th"):
            self._cell = []
        elif tag == "tr":
            self._row = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False
        elif tag == "section":
            self._sections.pop()
        elif tag in ("dt", "dd", "td", "th") and self._cell is not None:
            text = "".join(self._cell)
            self._cell = None
            if tag == "dt":
                self._label = text
            elif tag == "dd" and self._label is not None:
                self.page.facts.append((self._label, text))
                self._label = None
            elif tag == "td" and self._row is not None:
                self._row.append(text)
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.page.rows.append(tuple(self._row))
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.page.styles[-1] += data
            return
        self.page.text += data + " "
        for key in self._sections:
            self.page.sections[key] += data + " "
        if self._cell is not None:
            self._cell.append(data)


def read_page(html: str) -> Page:
    """Parse a served page."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def pdf_text(data: bytes) -> str:
    """Return the text of every page of a PDF, pages joined by newlines."""
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    """Remove all whitespace, so lines wrapped differently still compare equal.

    NFKC too: a PDF's font may map a character to a compatibility twin (Chromium's print of
    自 reads back as the Kangxi radical ⾃), which NFKC folds back.
    """
    return "".join(unicodedata.normalize("NFKC", text).split())
