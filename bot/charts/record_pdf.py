"""The shared record (`bot.core.record.Record`) as an A4 PDF, with matplotlib's PDF backend.

The same blocks as the web page, laid out top to bottom and flowing onto further pages: facts
as label and value, tables (their header repeated on each page), notes, and the pain chart
drawn as vectors by the same `draw_history` as every other chart. Text is drawn literally
(`parse_math=False`), so a name such as `<script>` or `$x$` is printed as typed; Chinese comes
from the bundled Noto Sans SC (see `common`), embedded as a subset.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from bot.charts.common import MUTED, by_day, drawable, new_figure, printable
from bot.charts.history import draw_history
from bot.core.record import Block, Facts, Note, PainChart, Record, Table

A4_IN = (8.27, 11.69)
MARGIN = 0.6
LABEL_WIDTH = 2.3  # inches for a fact's label; the value takes the rest of the line
CHART_HEIGHT = 3.0
LEADING = 1.4  # line height as a multiple of the font size
BODY = 10.0
# Width of a character in ems, roughly: wide (CJK) characters are square, others narrower.
_NARROW_EM = 0.56
_WIDE_EM = 1.0


def render_record_pdf(record: Record) -> bytes:
    """Return the record as a PDF of one or more A4 pages."""
    layout = _Layout(record)
    layout.heading(record.title, size=18)
    layout.paragraph(record.notice, size=BODY, italic=True)
    layout.space(0.08)
    layout.facts(record.about)
    for section in record.sections:
        layout.space(0.12)
        layout.heading(section.heading, size=13.5, keep_with=0.6)
        for block in section.blocks:
            layout.block(block)
    return layout.finish()


def _em(c: str) -> float:
    return _WIDE_EM if unicodedata.east_asian_width(c) in ("W", "F") else _NARROW_EM


def wrap(text: str, size: float, width: float) -> list[str]:
    """Break text into lines no wider than width inches at size points.

    Breaks at spaces where it can and anywhere in a run of Chinese or a very long word.
    """
    limit = width * 72 / size  # in ems
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for word in _pieces(paragraph):
            need = sum(_em(c) for c in word)
            if line and used + need > limit:
                lines.append(line.rstrip())
                word = word.lstrip()
                line, used = "", 0.0
                need = sum(_em(c) for c in word)
            while need > limit:  # a word longer than a line: cut it
                cut, taken = 0, 0.0
                while cut < len(word) and taken + _em(word[cut]) <= limit:
                    taken += _em(word[cut])
                    cut += 1
                lines.append(word[: max(cut, 1)])
                word = word[max(cut, 1) :]
                need = sum(_em(c) for c in word)
            line += word
            used += need
        lines.append(line.rstrip())
    return lines


def _pieces(text: str) -> list[str]:
    """Split into break points: each wide character alone, other runs with their space."""
    pieces: list[str] = []
    current = ""
    for c in text:
        if _em(c) == _WIDE_EM:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(c)
        elif c == " ":
            pieces.append(current + c)
            current = ""
        else:
            current += c
    if current:
        pieces.append(current)
    return pieces


@dataclass
class _Layout:
    """A cursor down A4 pages, adding a page whenever the next thing does not fit."""

    record: Record
    pages: list[Figure] = field(default_factory=list)
    y: float = 0.0  # inches from the top of the current page

    def __post_init__(self) -> None:
        self._new_page()

    @property
    def _width(self) -> float:
        return A4_IN[0] - 2 * MARGIN

    def _new_page(self) -> None:
        self.pages.append(new_figure(A4_IN, 72))
        self.y = MARGIN

    def _room(self, height: float) -> None:
        if self.y + height > A4_IN[1] - MARGIN - 0.3 and self.y > MARGIN:
            self._new_page()

    def _text(
        self,
        x: float,
        text: str,
        *,
        size: float,
        bold: bool = False,
        italic: bool = False,
        color: str = "black",
        ha: str = "left",
    ) -> None:
        fig = self.pages[-1]
        fig.text(
            x / A4_IN[0],
            1 - self.y / A4_IN[1],
            drawable(text),
            fontsize=size,
            fontweight="bold" if bold else "normal",
            fontstyle="italic" if italic else "normal",
            color=color,
            ha=ha,
            va="top",
            parse_math=False,
        )

    def _line_height(self, size: float) -> float:
        return size * LEADING / 72

    def space(self, inches: float) -> None:
        self.y += inches

    def heading(self, text: str, *, size: float, keep_with: float = 0.0) -> None:
        lines = wrap(printable(text), size, self._width)
        self._room(self._line_height(size) * len(lines) + keep_with)
        for line in lines:
            self._text(MARGIN, line, size=size, bold=True)
            self.y += self._line_height(size)
        self.y += 0.04

    def paragraph(
        self, text: str, *, size: float, italic: bool = False, color: str = "black"
    ) -> None:
        for line in wrap(printable(text), size, self._width):
            self._room(self._line_height(size))
            self._text(MARGIN, line, size=size, italic=italic, color=color)
            self.y += self._line_height(size)

    def facts(self, facts: Facts) -> None:
        value_width = self._width - LABEL_WIDTH
        for label, value in facts.items:
            label_lines = wrap(printable(label), BODY, LABEL_WIDTH - 0.15)
            value_lines = wrap(printable(value), BODY, value_width)
            rows = max(len(label_lines), len(value_lines))
            self._room(self._line_height(BODY) * min(rows, 3))
            for n in range(rows):
                if n:
                    self._room(self._line_height(BODY))
                if n < len(label_lines):
                    self._text(MARGIN, label_lines[n], size=BODY, bold=True)
                if n < len(value_lines):
                    self._text(MARGIN + LABEL_WIDTH, value_lines[n], size=BODY)
                self.y += self._line_height(BODY)
            self.y += 0.03

    def table(self, table: Table) -> None:
        width = min(self._width / len(table.columns), 2.6)

        def header() -> None:
            for n, column in enumerate(table.columns):
                self._text(MARGIN + n * width, printable(column), size=BODY, color=MUTED)
            self.y += self._line_height(BODY)

        self._room(self._line_height(BODY) * 3)
        header()
        for row in table.rows:
            if self.y + self._line_height(BODY) > A4_IN[1] - MARGIN - 0.3:
                self._new_page()
                header()
            for n, cell in enumerate(row):
                text = wrap(printable(cell), BODY, width - 0.1)[0]
                self._text(MARGIN + n * width, text, size=BODY)
            self.y += self._line_height(BODY)

    def chart(self, chart: PainChart) -> None:
        # Room above the axes for the legend, below for two lines of date labels.
        self._room(CHART_HEIGHT + 0.9)
        self.y += 0.35
        top = self.y
        bottom = top + CHART_HEIGHT
        left = MARGIN + 0.45
        right = A4_IN[0] - MARGIN
        ax = self.pages[-1].add_axes(
            (
                left / A4_IN[0],
                1 - bottom / A4_IN[1],
                (right - left) / A4_IN[0],
                (bottom - top) / A4_IN[1],
            )
        )
        draw_history(
            ax,
            by_day(chart.points),
            start=chart.start,
            end=chart.end,
            threshold=chart.threshold,
            escalations=chart.marked,
            font=8.5,
            t=self.record.t,
        )
        self.y = bottom + 0.5

    def block(self, block: Block) -> None:
        if isinstance(block, Facts):
            self.facts(block)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, PainChart):
            self.chart(block)
        elif isinstance(block, Note):
            self.paragraph(block.text, size=9, italic=True, color=MUTED)

    def finish(self) -> bytes:
        """Number the pages and return the PDF."""
        t = self.record.t
        total = len(self.pages)
        buffer = io.BytesIO()
        metadata = {"Title": printable(self.record.title), "Creator": "FootCare"}
        with PdfPages(buffer, metadata=metadata) as pdf:
            for number, fig in enumerate(self.pages, start=1):
                footer = t.gettext("FootCare, self-reported record. Page {n} of {total}").format(
                    n=number, total=total
                )
                fig.text(
                    0.5,
                    MARGIN / 2 / A4_IN[1],
                    printable(footer),
                    fontsize=8,
                    color=MUTED,
                    ha="center",
                    va="bottom",
                    parse_math=False,
                )
                pdf.savefig(fig)
        return buffer.getvalue()
