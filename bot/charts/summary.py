"""The one-page A4 summary of the last 30 days that a user can show a clinician."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure

from bot.charts.common import (
    ESCALATION,
    MUTED,
    by_day,
    drawable,
    new_figure,
    png,
    printable,
    shorten_to_fit,
)
from bot.charts.history import draw_history
from bot.core.i18n import ENGLISH, Language, Translator

# A4 portrait is 8.27 x 11.69 in; these sizes are exact in binary so the pixel size never
# depends on float rounding (Agg truncates width * dpi).
SUMMARY_SIZE_IN = (8.25, 11.75)
SUMMARY_DPI = 120
SUMMARY_DAYS = 30
SUMMARY_TABLE_ROWS = 14
# Characters per line in the summary's right-hand column at 11 pt.
_WRAP = 56


def render_doctor_summary(
    points: Sequence[tuple[date, int]],
    *,
    today: date,
    threshold: int,
    escalations: Sequence[tuple[date, str]],
    red_flags: Sequence[tuple[date, str]],
    has_diabetes: bool | None,
    name: str,
    t: Translator = ENGLISH,
    details: Sequence[str] = (),
) -> bytes:
    """Return a one-page A4 PNG (990x1410) of the last 30 days a user can show a clinician.

    Drawn in the reader's language `t`; escalation and warning-sign texts come in rendered.
    `details` are more self-reported lines (where it hurts, which foot), drawn in the order given.
    """
    days = {d: s for d, s in by_day(points).items() if d <= today}
    width, height = SUMMARY_SIZE_IN
    fig = new_figure(SUMMARY_SIZE_IN, SUMMARY_DPI)
    page = _Page(fig, FigureCanvasAgg(fig).get_renderer(), width, height)
    margin = 0.55

    y = margin
    who = printable(name) or printable(t.gettext("(no name)"))
    heading = printable(t.gettext("FootCare pain summary for {name}").format(name=who))
    y = page.text(margin, y, heading, size=18, bold=True, max_right=width - margin)
    generated = t.gettext("Generated {day}").format(day=t.date(today, "full"))
    y = page.text(margin, y + 0.06, printable(generated), size=11, color=MUTED)
    disclaimer = t.gettext(
        "Self-reported data from FootCare, a self-care app for heel and foot pain. Scores are "
        "the user's own daily ratings (0 = no pain, 10 = worst pain). This is not a diagnosis."
    )
    for line in _wrap(t, printable(disclaimer), width=92, indent=""):
        y = page.text(margin, y + 0.02, line, size=11, italic=True)
    if has_diabetes is None:
        diabetes = t.gettext("not answered")
    else:
        diabetes = t.gettext("yes") if has_diabetes else t.gettext("no")
    said = t.gettext("Diabetes (self-reported): {answer}").format(answer=diabetes)
    y = page.text(margin, y + 0.12, printable(said), size=13, bold=True)
    for detail in details:
        y = page.text(margin, y + 0.04, printable(detail), size=12, max_right=width - margin)

    start = today - timedelta(days=SUMMARY_DAYS - 1)
    chart_top = y + 0.75
    chart_bottom = chart_top + 3.1
    ax = fig.add_axes(page.box(1.05, chart_top, width - 0.4, chart_bottom))
    draw_history(
        ax,
        days,
        start=start,
        end=today,
        threshold=threshold,
        escalations=[d for d, _ in escalations],
        font=11,
        t=t,
    )
    ax.set_title(
        printable(
            t.gettext("Daily pain, {start} to {end}").format(
                start=t.date(start, "day_month"), end=t.date(today, "day_month")
            )
        ),
        fontsize=13,
        fontweight="bold",
        loc="left",
        pad=30,
    )

    top = chart_bottom + 0.85
    _draw_recent_table(t, page, days, threshold=threshold, x=margin, y=top)
    _draw_lists(
        t,
        page,
        days,
        today=today,
        escalations=escalations,
        red_flags=red_flags,
        x=3.25,
        y=top,
        right=width - margin,
        bottom=height - margin,
    )
    return png(fig)


@dataclass(frozen=True)
class _Page:
    """A figure addressed in inches from the top-left corner, like a printed page."""

    fig: Figure
    renderer: RendererAgg
    width: float
    height: float

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float,
        bold: bool = False,
        italic: bool = False,
        color: str = "black",
        ha: str = "left",
        max_right: float | None = None,
    ) -> float:
        """Draw one line with its top at (x, y) inches and return the y of the next line."""
        artist = self.fig.text(
            x / self.width,
            1 - y / self.height,
            drawable(text),
            fontsize=size,
            fontweight="bold" if bold else "normal",
            fontstyle="italic" if italic else "normal",
            color=color,
            ha=ha,
            va="top",
            parse_math=False,
        )
        if max_right is not None:
            shorten_to_fit(artist, self.renderer, max_right * self.fig.dpi)
        return y + size * 1.45 / 72

    def box(
        self, left: float, top: float, right: float, bottom: float
    ) -> tuple[float, float, float, float]:
        """Return (left, bottom, width, height) figure fractions for a box given in inches."""
        return (
            left / self.width,
            1 - bottom / self.height,
            (right - left) / self.width,
            (bottom - top) / self.height,
        )


def _draw_recent_table(
    t: Translator, page: _Page, days: dict[date, int], *, threshold: int, x: float, y: float
) -> None:
    """Draw the latest check-ins as a date/score table, scores at or over threshold in red."""
    last = t.ngettext("Last {n} check-in", "Last {n} check-ins", SUMMARY_TABLE_ROWS)
    y = page.text(x, y, printable(last.format(n=SUMMARY_TABLE_ROWS)), size=13, bold=True)
    recent = sorted(days, reverse=True)[:SUMMARY_TABLE_ROWS]
    if not recent:
        page.text(x, y + 0.05, printable(t.gettext("No check-ins recorded.")), size=11)
        return
    y = page.text(x, y + 0.04, printable(t.gettext("Date")), size=10, color=MUTED)
    pain = printable(t.gettext("Pain"))
    page.text(x + 2.3, y - 10 * 1.45 / 72, pain, size=10, color=MUTED, ha="right")
    for day in recent:
        score = days[day]
        high = score >= threshold
        page.text(x, y, printable(t.date(day, "full")), size=11)
        y = page.text(
            x + 2.3,
            y,
            str(score),
            size=11,
            bold=high,
            color=ESCALATION if high else "black",
            ha="right",
        )
    red = t.gettext("Red: at or above the threshold ({threshold})").format(threshold=threshold)
    page.text(x, y + 0.05, printable(red), size=9.5, color=MUTED)


def _draw_lists(
    t: Translator,
    page: _Page,
    days: dict[date, int],
    *,
    today: date,
    escalations: Sequence[tuple[date, str]],
    red_flags: Sequence[tuple[date, str]],
    x: float,
    y: float,
    right: float,
    bottom: float,
) -> None:
    """Draw red-flag answers, escalations and check-in dates, shortened to fit above bottom."""
    lines: list[tuple[str, bool]] = []

    def section(heading: str, items: Sequence[str]) -> None:
        if lines:
            lines.append(("", False))
        lines.append((printable(heading), True))
        lines.extend((item, False) for item in items)

    none = t.gettext("None.")
    # Red flags first: they matter most to a clinician and must not be the part cut off.
    flags = _dated_lines(t, red_flags, limit=6) or [printable(t.gettext("None reported."))]
    section(t.gettext("Warning-sign answers"), flags)
    advised = _dated_lines(t, escalations, limit=4) or [printable(none)]
    section(t.gettext("App advised seeing a doctor"), advised)
    start = today - timedelta(days=SUMMARY_DAYS - 1)
    checked = [d for d in sorted(days) if d >= start]
    section(
        t.gettext("Check-in dates, last {days} days ({n})").format(
            days=SUMMARY_DAYS, n=len(checked)
        ),
        _dates_by_month(t, checked) or [printable(none)],
    )

    size = 11.0
    line_height = size * 1.45 / 72
    room = int((bottom - y) / line_height)
    if len(lines) > room:
        shortened = printable(t.gettext("(shortened to fit the page; more in the app)"))
        lines = [*lines[: room - 1], (shortened, False)]
    for text, heading in lines:
        y = page.text(x, y, text, size=13 if heading else size, bold=heading, max_right=right)
        if heading:
            # Headings are drawn larger but advance one body line, keeping the room sum simple.
            y -= (13 - size) * 1.45 / 72


def _dated_lines(t: Translator, entries: Sequence[tuple[date, str]], *, limit: int) -> list[str]:
    """Return the newest entries as wrapped "Mon 23 Nov 2026: text" lines, noting any left out."""
    newest = sorted(entries, key=lambda entry: entry[0], reverse=True)
    lines = [
        line
        for day, text in newest[:limit]
        for line in _wrap(
            t,
            printable(f"{t.date(day, 'full')}: {text}"),
            width=_WRAP,
            max_lines=2,
        )
    ]
    if len(newest) > limit:
        earlier = t.gettext("… and {n} earlier").format(n=len(newest) - limit)
        lines.append(printable(earlier))
    return lines


def _dates_by_month(t: Translator, days: Sequence[date]) -> list[str]:
    """Return lines like "Nov 2026: 1, 2, 3, 5, 8", a month at a time, wrapped to the column."""
    months: dict[date, list[int]] = {}
    for day in days:
        months.setdefault(day.replace(day=1), []).append(day.day)
    lines: list[str] = []
    for month, numbers in months.items():
        text = f"{t.date(month, 'month_year')}: " + ", ".join(map(str, numbers))
        lines.extend(_wrap(t, printable(text), width=_WRAP))
    return lines


_TOKENS = re.compile(r"\s+|[^\s]")


def columns(text: str) -> int:
    """Return how many columns a text takes: two for a wide (Chinese) character, else one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _tokens(text: str) -> list[str]:
    """Split into unbreakable pieces: each wide character, each run of spaces, each run of
    other (Latin) characters."""
    pieces: list[str] = []
    for ch in text:
        wide = columns(ch) == 2
        glued = (
            pieces
            and not wide
            and not ch.isspace()
            and not pieces[-1].isspace()
            and columns(pieces[-1][-1]) == 1
        )
        if glued:
            pieces[-1] += ch
        else:
            pieces.append(ch)
    return pieces


def wrap_columns(text: str, width: int, indent: str = "") -> list[str]:
    """Wrap `text` so that no line takes more than `width` columns (indent included)."""
    lines: list[str] = []
    line = ""
    room = width
    for piece in _tokens(text):
        if piece.isspace() and not line:
            continue  # no line starts with a space
        while columns(piece) > room and not line:
            # A piece wider than a whole line (a long Latin run): cut it by columns.
            cut = 0
            while cut < len(piece) and columns(piece[: cut + 1]) <= room:
                cut += 1
            lines.append(piece[:cut])
            piece = piece[cut:]
            room = width - columns(indent)
        if columns(line + piece) > room:
            lines.append(line.rstrip())
            line, room = "", width - columns(indent)
            if piece.isspace():
                continue
        line += piece
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return [indent + text if n else text for n, text in enumerate(lines)]


def _wrap(
    t: Translator, text: str, *, width: int, max_lines: int | None = None, indent: str = "    "
) -> list[str]:
    """Wrap a line to a column of `width` Latin characters: at spaces in English; in Chinese
    by display width (a Chinese character takes two columns, a Latin one one), between any
    two Chinese characters but never inside a Latin word or number."""
    if t.language is Language.ZH:
        lines = wrap_columns(text, width, indent)
        if max_lines is not None and len(lines) > max_lines:
            lines = [*lines[: max_lines - 1], lines[max_lines - 1][:-1] + "…"]
        return lines
    return textwrap.wrap(
        text, width=width, subsequent_indent=indent, max_lines=max_lines, placeholder=" …"
    )
