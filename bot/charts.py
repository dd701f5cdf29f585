"""Pain charts and summaries as PNG bytes, drawn with matplotlib's Agg canvas and no pyplot.

`python -m bot.charts [DIR]` redraws docs/history-example.png and docs/doctor-summary-example.png.
"""

from __future__ import annotations

import io
import math
import sys
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.lines import Line2D
from matplotlib.text import Text

from bot.core.history import checkin_streak

MIN_SCORE = 0
MAX_SCORE = 10
CAPTION_LIMIT = 1024
HISTORY_SIZE_IN = (8.0, 4.5)
HISTORY_DPI = 150
# A4 portrait is 8.27 x 11.69 in; these sizes are exact in binary so the pixel size never
# depends on float rounding (Agg truncates width * dpi).
SUMMARY_SIZE_IN = (8.25, 11.75)
SUMMARY_DPI = 120
SUMMARY_DAYS = 30
SUMMARY_TABLE_ROWS = 14
# Fewer check-ins than this in either week makes a week-on-week average too noisy to report.
MIN_WEEK_CHECKINS = 3
# Week-on-week changes smaller than this are within day-to-day noise on a 0-10 scale.
SAME_BAND = 0.5

# Fixed names rather than strftime, which follows the server's locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

_PAIN = "#1f4e79"
_THRESHOLD = "#b35900"
_ESCALATION = "#c00000"
_GRID = "#d0d0d0"
_MUTED = "#444444"
# Characters per line in the summary's right-hand column at 11 pt.
_WRAP = 56


def render_history(
    points: Sequence[tuple[date, int]],
    *,
    start: date,
    end: date,
    threshold: int,
    escalations: Sequence[date] = (),
    title: str = "Your heel/foot pain",
) -> bytes:
    """Return a 1200x675 PNG of daily pain from start to end, gaps left where days are missing."""
    fig = Figure(figsize=HISTORY_SIZE_IN, dpi=HISTORY_DPI, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    _draw_history(
        ax,
        _by_day(points),
        start=start,
        end=end,
        threshold=threshold,
        escalations=escalations,
        font=14,
    )
    # The title sits on the figure, not the axes, so a long one is shortened instead of
    # squeezing the plot.
    heading = fig.text(
        0.012,
        0.985,
        _printable(title),
        fontsize=18,
        fontweight="bold",
        va="top",
        parse_math=False,
    )
    _shorten_to_fit(heading, canvas.get_renderer(), fig.bbox.width * 0.985)
    fig.tight_layout(pad=0.6, rect=(0, 0, 1, 1 - 0.38 / HISTORY_SIZE_IN[1]))
    return _png(fig)


def render_doctor_summary(
    points: Sequence[tuple[date, int]],
    *,
    today: date,
    threshold: int,
    escalations: Sequence[tuple[date, str]],
    red_flags: Sequence[tuple[date, str]],
    has_diabetes: bool | None,
    name: str,
) -> bytes:
    """Return a one-page A4 PNG (990x1410) of the last 30 days a user can show a clinician."""
    days = {d: s for d, s in _by_day(points).items() if d <= today}
    width, height = SUMMARY_SIZE_IN
    fig = Figure(figsize=SUMMARY_SIZE_IN, dpi=SUMMARY_DPI, facecolor="white")
    page = _Page(fig, FigureCanvasAgg(fig).get_renderer(), width, height)
    margin = 0.55

    y = margin
    heading = f"FootCare pain summary for {_printable(name) or '(no name)'}"
    y = page.text(margin, y, heading, size=18, bold=True, max_right=width - margin)
    y = page.text(margin, y + 0.06, f"Generated {_long_day(today)}", size=11, color=_MUTED)
    disclaimer = (
        "Self-reported data from FootCare, a self-care app for heel and foot pain. Scores are "
        "the user's own daily ratings (0 = no pain, 10 = worst pain). This is not a diagnosis."
    )
    for line in textwrap.wrap(disclaimer, width=92):
        y = page.text(margin, y + 0.02, line, size=11, italic=True)
    diabetes = {True: "yes", False: "no", None: "not answered"}[has_diabetes]
    y = page.text(margin, y + 0.12, f"Diabetes (self-reported): {diabetes}", size=13, bold=True)

    start = today - timedelta(days=SUMMARY_DAYS - 1)
    chart_top = y + 0.75
    chart_bottom = chart_top + 3.1
    ax = fig.add_axes(page.box(1.05, chart_top, width - 0.4, chart_bottom))
    _draw_history(
        ax,
        days,
        start=start,
        end=today,
        threshold=threshold,
        escalations=[d for d, _ in escalations],
        font=11,
    )
    ax.set_title(
        f"Daily pain, {_short_day(start)} to {_short_day(today)}",
        fontsize=13,
        fontweight="bold",
        loc="left",
        pad=30,
    )

    top = chart_bottom + 0.85
    _draw_recent_table(page, days, threshold=threshold, x=margin, y=top)
    _draw_lists(
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
    return _png(fig)


def history_caption(points: Sequence[tuple[date, int]], *, today: date) -> str:
    """Return a short caption: average, best and worst day, week-on-week change and streak."""
    days = {d: s for d, s in _by_day(points).items() if d <= today}
    if not days:
        return "No check-ins yet."
    scores = list(days.values())
    count = f"{len(scores)} check-in" + ("" if len(scores) == 1 else "s")
    lines = [f"Average pain {sum(scores) / len(scores):.1f} over {count}."]
    if min(scores) == max(scores):
        lines.append(f"Pain was {scores[0]} on every check-in.")
    else:
        # Ties go to the most recent day: it says more about how things are now.
        best = min(sorted(days, reverse=True), key=days.__getitem__)
        worst = max(sorted(days, reverse=True), key=days.__getitem__)
        lines.append(f"Best day: {_short_day(best, weekday=True)}: {days[best]}.")
        lines.append(f"Worst day: {_short_day(worst, weekday=True)}: {days[worst]}.")
    change = _week_change(days, today)
    if change is not None:
        lines.append(f"This week: {change}.")
    streak = checkin_streak(days, today)
    if streak:
        lines.append(f"Check-in streak: {streak} day" + ("" if streak == 1 else "s") + ".")
    else:
        lines.append("Check in today to start a new streak.")
    return "\n".join(lines)[:CAPTION_LIMIT]


def _by_day(points: Iterable[tuple[date, int]]) -> dict[date, int]:
    """Return scores keyed by day, the last entry for a day winning."""
    days: dict[date, int] = {}
    for day, score in points:
        if not MIN_SCORE <= score <= MAX_SCORE:
            raise ValueError(f"pain score {score} on {day} is outside 0-10")
        days[day] = score
    return days


def _week_change(days: dict[date, int], today: date) -> str | None:
    """Return how this week's average compares with last week's, or None if either is thin."""
    this_week = [s for d, s in days.items() if 0 <= (today - d).days < 7]
    last_week = [s for d, s in days.items() if 7 <= (today - d).days < 14]
    if len(this_week) < MIN_WEEK_CHECKINS or len(last_week) < MIN_WEEK_CHECKINS:
        return None
    diff = round(sum(this_week) / len(this_week) - sum(last_week) / len(last_week), 1)
    if abs(diff) < SAME_BAND:
        return "about the same as the week before"
    return f"{'down' if diff < 0 else 'up'} {abs(diff):.1f} from the week before"


def _draw_history(
    ax: Axes,
    days: dict[date, int],
    *,
    start: date,
    end: date,
    threshold: int,
    escalations: Iterable[date],
    font: float,
) -> None:
    """Draw daily pain on ax with x as day offsets from start, labelled with our own dates."""
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    span = (end - start).days + 1
    # NaN on missing days breaks the line there, so gaps stay visible.
    ys = [float(days[d]) if d in days else math.nan for d in _each_day(start, end)]
    ax.set_facecolor("white")
    ax.axhspan(threshold, MAX_SCORE + 0.5, color=_ESCALATION, alpha=0.06, linewidth=0)
    ax.axhline(threshold, color=_THRESHOLD, linestyle="--", linewidth=2.5)
    marked = sorted({(d - start).days for d in escalations if start <= d <= end})
    for x in marked:
        ax.axvline(x, color=_ESCALATION, linewidth=2, alpha=0.55, linestyle=":")
    ax.plot(
        range(span),
        ys,
        color=_PAIN,
        linewidth=3,
        marker="o",
        markersize=font * 0.6,
        markerfacecolor=_PAIN,
        markeredgecolor="white",
        markeredgewidth=1.2,
        zorder=3,
    )
    if marked:
        ax.plot(
            marked,
            [MAX_SCORE + 0.5] * len(marked),
            linestyle="none",
            marker="v",
            markersize=font,
            color=_ESCALATION,
            clip_on=False,
            zorder=4,
        )
    if all(math.isnan(y) for y in ys):
        ax.text(
            0.5,
            0.5,
            "No check-ins in this period",
            bbox={"facecolor": "white", "edgecolor": "none"},
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=font,
            color=_MUTED,
        )

    ax.set_ylim(MIN_SCORE - 0.5, MAX_SCORE + 0.5)
    ax.set_yticks(range(MIN_SCORE, MAX_SCORE + 1))
    ax.set_ylabel("Pain (0 = none, 10 = worst)", fontsize=font)
    ax.set_xlim(-0.6, span - 0.4)
    step = _tick_step(span)
    # Ticks count back from end so the latest day is always labelled.
    ticks = list(range(span - 1, -1, -step))[::-1]
    two_lines = span <= 10
    ax.set_xticks(ticks, [_tick_label(start + timedelta(days=t), two_lines) for t in ticks])
    ax.set_xticks(range(span), minor=True)
    ax.tick_params(axis="both", labelsize=font, length=6, width=1.2)
    ax.tick_params(axis="x", which="minor", length=3)
    ax.grid(axis="y", color=_GRID, linewidth=0.8)
    ax.grid(axis="x", which="major", color=_GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)

    handles = [
        Line2D(
            [], [], color=_PAIN, linewidth=3, marker="o", markersize=font * 0.6, label="daily pain"
        ),
        Line2D(
            [],
            [],
            color=_THRESHOLD,
            linewidth=2.5,
            linestyle="--",
            label=f"see-a-GP threshold ({threshold})",
        ),
    ]
    if marked:
        handles.append(
            Line2D(
                [],
                [],
                color=_ESCALATION,
                linestyle="none",
                marker="v",
                markersize=font * 0.8,
                label="doctor advised",
            )
        )
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(-0.01, 1.01),
        ncol=3,
        frameon=False,
        fontsize=font - 1,
        handlelength=1.8,
        columnspacing=1.2,
        borderaxespad=0.2,
    )


def _tick_step(span: int) -> int:
    """Return days between labelled ticks: daily for a week, weekly for a month."""
    if span <= 10:
        return 1
    if span <= 20:
        return 2
    if span <= 63:
        return 7
    return 7 * math.ceil(span / 56)


def _each_day(start: date, end: date) -> list[date]:
    """Return every day from start to end inclusive."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _tick_label(day: date, two_lines: bool) -> str:
    """Return an axis label like "24 Nov", with the weekday above it on short ranges."""
    label = f"{day.day} {_MONTHS[day.month - 1]}"
    return f"{_WEEKDAYS[day.weekday()]}\n{label}" if two_lines else label


def _short_day(day: date, *, weekday: bool = False) -> str:
    """Return a day like "23 Nov", or "Mon 23 Nov" with weekday."""
    text = f"{day.day} {_MONTHS[day.month - 1]}"
    return f"{_WEEKDAYS[day.weekday()]} {text}" if weekday else text


def _long_day(day: date) -> str:
    """Return a day like "Mon 23 Nov 2026" for the clinician's page."""
    return f"{_short_day(day, weekday=True)} {day.year}"


@cache
def _font_charmap() -> frozenset[int]:
    """Return the code points the default font can draw."""
    return frozenset(get_font(findfont(FontProperties())).get_charmap())


def _printable(text: str) -> str:
    """Return text on one line without characters the font lacks, which would draw as boxes."""
    charmap = _font_charmap()
    return " ".join("".join(c if ord(c) in charmap else " " for c in text).split())


def _shorten_to_fit(text: Text, renderer: RendererAgg, right_px: float) -> None:
    """Cut text from the end, adding an ellipsis, until it ends left of right_px."""
    full = text.get_text()
    keep = len(full)
    while keep > 1 and text.get_window_extent(renderer).x1 > right_px:
        keep -= 1
        text.set_text(full[:keep].rstrip() + "…")


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
            text,
            fontsize=size,
            fontweight="bold" if bold else "normal",
            fontstyle="italic" if italic else "normal",
            color=color,
            ha=ha,
            va="top",
            parse_math=False,
        )
        if max_right is not None:
            _shorten_to_fit(artist, self.renderer, max_right * self.fig.dpi)
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
    page: _Page, days: dict[date, int], *, threshold: int, x: float, y: float
) -> None:
    """Draw the latest check-ins as a date/score table, scores at or over threshold in red."""
    y = page.text(x, y, f"Last {SUMMARY_TABLE_ROWS} check-ins", size=13, bold=True)
    recent = sorted(days, reverse=True)[:SUMMARY_TABLE_ROWS]
    if not recent:
        page.text(x, y + 0.05, "No check-ins recorded.", size=11)
        return
    y = page.text(x, y + 0.04, "Date", size=10, color=_MUTED)
    page.text(x + 2.3, y - 10 * 1.45 / 72, "Pain", size=10, color=_MUTED, ha="right")
    for day in recent:
        score = days[day]
        high = score >= threshold
        page.text(x, y, _long_day(day), size=11)
        y = page.text(
            x + 2.3,
            y,
            str(score),
            size=11,
            bold=high,
            color=_ESCALATION if high else "black",
            ha="right",
        )
    page.text(x, y + 0.05, f"Red: at or above the threshold ({threshold})", size=9.5, color=_MUTED)


def _draw_lists(
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
        lines.append((heading, True))
        lines.extend((item, False) for item in items)

    # Red flags first: they matter most to a clinician and must not be the part cut off.
    section("Warning-sign answers", _dated_lines(red_flags, limit=6) or ["None reported."])
    section("App advised seeing a doctor", _dated_lines(escalations, limit=4) or ["None."])
    start = today - timedelta(days=SUMMARY_DAYS - 1)
    checked = [d for d in sorted(days) if d >= start]
    section(
        f"Check-in dates, last {SUMMARY_DAYS} days ({len(checked)})",
        _dates_by_month(checked) or ["None."],
    )

    size = 11.0
    line_height = size * 1.45 / 72
    room = int((bottom - y) / line_height)
    if len(lines) > room:
        lines = [*lines[: room - 1], ("(shortened to fit the page; more in the app)", False)]
    for text, heading in lines:
        y = page.text(x, y, text, size=13 if heading else size, bold=heading, max_right=right)
        if heading:
            # Headings are drawn larger but advance one body line, keeping the room sum simple.
            y -= (13 - size) * 1.45 / 72


def _dated_lines(entries: Sequence[tuple[date, str]], *, limit: int) -> list[str]:
    """Return the newest entries as wrapped "Mon 23 Nov 2026: text" lines, noting any left out."""
    newest = sorted(entries, key=lambda entry: entry[0], reverse=True)
    lines = [
        line
        for day, text in newest[:limit]
        for line in textwrap.wrap(
            f"{_long_day(day)}: {_printable(text)}",
            width=_WRAP,
            subsequent_indent="    ",
            max_lines=2,
            placeholder=" …",
        )
    ]
    if len(newest) > limit:
        lines.append(f"… and {len(newest) - limit} earlier")
    return lines


def _dates_by_month(days: Sequence[date]) -> list[str]:
    """Return lines like "Nov 2026: 1, 2, 3, 5, 8", a month at a time, wrapped to the column."""
    months: dict[tuple[int, int], list[int]] = {}
    for day in days:
        months.setdefault((day.year, day.month), []).append(day.day)
    lines: list[str] = []
    for (year, month), numbers in months.items():
        text = f"{_MONTHS[month - 1]} {year}: " + ", ".join(map(str, numbers))
        lines.extend(textwrap.wrap(text, width=_WRAP, subsequent_indent="    "))
    return lines


def _png(fig: Figure) -> bytes:
    """Return the figure as PNG bytes at its own size and dpi."""
    buffer = io.BytesIO()
    # No bbox_inches="tight": it would make the pixel size depend on the data.
    fig.savefig(buffer, format="png", dpi=fig.dpi, facecolor="white")
    return buffer.getvalue()


def write_examples(directory: Path) -> None:
    """Write the example history chart and clinician summary shown in the docs."""
    today = date(2026, 11, 24)
    # One character per day, "-" for a missed check-in: a flare above 5 in the middle.
    scores = "332343223---344556655443-32322"
    start = today - timedelta(days=len(scores) - 1)
    points = [(start + timedelta(days=i), int(s)) for i, s in enumerate(scores) if s != "-"]
    escalated = start + timedelta(days=17)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "history-example.png").write_bytes(
        render_history(points, start=start, end=today, threshold=5, escalations=[escalated])
    )
    (directory / "doctor-summary-example.png").write_bytes(
        render_doctor_summary(
            points,
            today=today,
            threshold=5,
            escalations=[(escalated, "Pain 5 or more on 3 days in a row.")],
            red_flags=[(escalated, "No, none of these")],
            has_diabetes=False,
            name="Alex Example",
        )
    )


if __name__ == "__main__":
    write_examples(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / "docs")
