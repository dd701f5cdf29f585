"""What every chart shares: the score range, colours, date wording, fonts and PNG output.

Fonts live only here: text goes through `printable` before drawing, so adding a fallback font
means changing `_font_charmap` (and the font it describes), not the drawing modules.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from functools import cache

from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.text import Text

MIN_SCORE = 0
MAX_SCORE = 10

PAIN = "#1f4e79"
THRESHOLD = "#b35900"
ESCALATION = "#c00000"
GRID = "#d0d0d0"
MUTED = "#444444"

# Fixed names rather than strftime, which follows the server's locale.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def by_day(points: Iterable[tuple[date, int]]) -> dict[date, int]:
    """Return scores keyed by day, the last entry for a day winning."""
    days: dict[date, int] = {}
    for day, score in points:
        if not MIN_SCORE <= score <= MAX_SCORE:
            raise ValueError(f"pain score {score} on {day} is outside 0-10")
        days[day] = score
    return days


def short_day(day: date, *, weekday: bool = False) -> str:
    """Return a day like "23 Nov", or "Mon 23 Nov" with weekday."""
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def long_day(day: date) -> str:
    """Return a day like "Mon 23 Nov 2026" for the clinician's page."""
    return f"{short_day(day, weekday=True)} {day.year}"


@cache
def _font_charmap() -> frozenset[int]:
    """Return the code points the default font can draw."""
    # The one place that knows which font draws chart text; a fallback font's code points
    # would be added here so printable keeps them instead of blanking them.
    return frozenset(get_font(findfont(FontProperties())).get_charmap())


def printable(text: str) -> str:
    """Return text on one line without characters the font lacks, which would draw as boxes."""
    charmap = _font_charmap()
    return " ".join("".join(c if ord(c) in charmap else " " for c in text).split())


def shorten_to_fit(text: Text, renderer: RendererAgg, right_px: float) -> None:
    """Cut text from the end, adding an ellipsis, until it ends left of right_px."""
    full = text.get_text()
    keep = len(full)
    while keep > 1 and text.get_window_extent(renderer).x1 > right_px:
        keep -= 1
        text.set_text(full[:keep].rstrip() + "…")


def png(fig: Figure) -> bytes:
    """Return the figure as PNG bytes at its own size and dpi."""
    buffer = io.BytesIO()
    # No bbox_inches="tight": it would make the pixel size depend on the data.
    fig.savefig(buffer, format="png", dpi=fig.dpi, facecolor="white")
    return buffer.getvalue()
