"""What every chart shares: the score range, colours, date wording, fonts and PNG output.

Fonts live only here. Text is drawn in matplotlib's default font (DejaVu Sans) with Noto Sans SC
after it as a fallback family for Chinese: matplotlib (>= 3.6) takes each glyph from the first
family in `font.family` that has it. The fallback comes from the PyPI package
pylopdf-fonts-zh-cn, so every install (developer machine, CI, the Docker image) has the same
font and no system font is needed. Text goes through `printable` (or `drawable`, which keeps
line breaks) before drawing, so characters that neither font has are left out instead of
drawn as boxes; adding another fallback font means changing `_load_chart_fonts`, not the
drawing modules. Charts make their figures with `new_figure`, which sets the fonts up first.
Noto Sans SC comes in one weight, so bold Chinese is drawn regular.
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, fontManager, get_font
from matplotlib.text import Text

log = logging.getLogger(__name__)

MIN_SCORE = 0
MAX_SCORE = 10

PAIN = "#1f4e79"
THRESHOLD = "#b35900"
ESCALATION = "#c00000"
GRID = "#d0d0d0"
MUTED = "#444444"


def by_day(points: Iterable[tuple[date, int]]) -> dict[date, int]:
    """Return scores keyed by day, the last entry for a day winning."""
    days: dict[date, int] = {}
    for day, score in points:
        if not MIN_SCORE <= score <= MAX_SCORE:
            raise ValueError(f"pain score {score} on {day} is outside 0-10")
        days[day] = score
    return days


@dataclass(frozen=True)
class ChartFonts:
    """The font families chart text is drawn with and the code points they can draw."""

    families: tuple[str, ...]
    # The Chinese fallback font file, or None when it is not installed.
    cjk_path: Path | None
    charmap: frozenset[int]


_fonts_lock = threading.Lock()


# Why pylopdf-fonts-zh-cn: it is data only (no code, no dependencies) and holds Noto Sans SC
# Regular, the file upstream noto-cjk publishes (its SHA-256 is in the package's metadata), under
# OFL-1.1, in a 17 MB wheel. From PyPI it is on a developer machine, in CI and in the Docker image
# alike. A Debian font (fonts-noto-cjk, fonts-wqy-microhei) would be in the image only, and
# mplfonts (82 MB) bundles SimHei, which is not freely licensed.
def cjk_font_path() -> Path | None:
    """Return the Noto Sans SC file the charts fall back to, or None if it is not installed."""
    try:
        from pylopdf_fonts_zh_cn import sans_path
    except ImportError:
        return None
    path = Path(sans_path())
    return path if path.is_file() else None


def chart_fonts() -> ChartFonts:
    """Return the chart fonts, registering the Chinese fallback with matplotlib on first use."""
    # Charts render in worker threads: the lock makes the one-time setup happen once.
    with _fonts_lock:
        return _load_chart_fonts()


@cache
def _load_chart_fonts() -> ChartFonts:
    """Register Noto Sans SC and append it to rcParams["font.family"]; log once if missing."""
    families = list(matplotlib.rcParams["font.family"])
    path = cjk_font_path()
    if path is None:
        log.info(
            "Chinese chart font not installed (PyPI package pylopdf-fonts-zh-cn): "
            "characters the default font lacks are left out of charts"
        )
    else:
        try:
            if not any(Path(entry.fname) == path for entry in fontManager.ttflist):
                fontManager.addfont(path)
            family = get_font(path).family_name
        except (OSError, RuntimeError, ValueError) as error:
            log.info("Chinese chart font %s unusable (%s): left out of charts", path, error)
            path = None
        else:
            if family not in families:
                families.append(family)
                # Process-wide, so every Text made from now on falls back to it. Set once,
                # under the lock, before any chart that needs it is drawn.
                matplotlib.rcParams["font.family"] = families
            # Noto Sans SC ships one weight: bold Chinese is drawn regular, by design, so
            # matplotlib's warning about it is dropped instead of logged for every text size.
            _ONE_WEIGHT.families.add(family)
            logging.getLogger("matplotlib.font_manager").addFilter(_ONE_WEIGHT)
    paths = [findfont(FontProperties(family=[family])) for family in families]
    charmap = frozenset().union(*(get_font(p).get_charmap() for p in paths))
    return ChartFonts(tuple(families), path, charmap)


class _OneWeightFilter(logging.Filter):
    """Drop matplotlib's "Failed to find font weight" warning for one-weight fallback fonts."""

    def __init__(self) -> None:
        super().__init__()
        self.families: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            str(record.msg).startswith("findfont: Failed to find font weight")
            and isinstance(record.args, tuple)
            and any(arg in self.families for arg in record.args)
        )


_ONE_WEIGHT = _OneWeightFilter()


def new_figure(size: tuple[float, float], dpi: float) -> Figure:
    """Return a white figure, the chart fonts set up first so all its text can fall back."""
    chart_fonts()
    return Figure(figsize=size, dpi=dpi, facecolor="white")


def drawable(text: str) -> str:
    """Return text with each character the fonts lack as a space; line breaks and indents stay.

    Use it for the charts' own labels, whose layout is deliberate; `printable` for free text.
    """
    charmap = chart_fonts().charmap
    return "".join(c if c == "\n" or ord(c) in charmap else " " for c in text)


def printable(text: str) -> str:
    """Return text on one line without characters the fonts lack, which would draw as boxes."""
    return " ".join(drawable(text).split())


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
