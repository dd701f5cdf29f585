"""The small picture for "where does it hurt": a side view of a foot with the sites numbered.

Drawn in code (no image file to license or keep in step with the words): the outline of a
foot and lower leg seen from the inner side, heel on the left, and a numbered spot for each
site the question offers, 1 under the heel, 2 the Achilles tendon a few centimetres above the
heel, 3 the back of the heel bone where the tendon attaches, 4 elsewhere in the foot (a dashed
area over the arch and forefoot). The legend beside it says each site in the reader's language,
wrapped by its rendered width, so Chinese lines are not cut by a character count. "Not sure"
has no spot. Every drawn part carries a gid naming what it is, which the tests read back.
The words come in translated (bot/features/outcomes/picture.py): charts import no feature.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Ellipse, Polygon
from matplotlib.text import Text

from bot.charts.common import MUTED, PAIN, drawable, new_figure, png, printable
from bot.core.outcomes import PainSite

PICTURE_SIZE_IN = (8.0, 4.0)
PICTURE_DPI = 100  # 800 x 400 px: small enough for a quick tap, large enough to read

SKIN = "#f6e7d8"
OUTLINE = "#8a6d5a"

# The outline in centimetres of an adult foot seen from the inner side (x forward from the
# back of the heel, y up from the floor), closed back to the first point.
FOOT_OUTLINE: tuple[tuple[float, float], ...] = (
    (1.3, 15.0),  # back of the lower leg, where the picture stops
    (1.6, 11.5),
    (2.0, 8.5),  # the Achilles tendon, narrowest above the heel
    (1.7, 6.2),
    (1.0, 4.8),  # the back of the heel bone bulges out
    (0.3, 3.4),
    (0.0, 2.1),
    (0.3, 0.8),
    (1.3, 0.0),  # under the heel
    (4.8, 0.1),
    (8.0, 0.9),  # the arch lifts off the floor
    (11.0, 1.5),
    (14.0, 1.2),
    (16.5, 0.4),
    (18.5, 0.0),  # the ball of the foot
    (22.5, 0.1),
    (24.8, 0.3),  # the big toe
    (25.8, 0.9),
    (25.7, 1.7),
    (24.6, 2.2),
    (21.5, 2.7),
    (16.5, 4.4),  # the top of the foot
    (12.0, 6.4),
    (9.0, 8.4),  # the front of the ankle
    (8.2, 11.5),
    (8.0, 15.0),
)


@dataclass(frozen=True)
class Spot:
    """Where a site's number is drawn, in the outline's centimetres."""

    number: int
    x: float
    y: float


# Where each site is marked: under the heel at the front of the heel pad, the tendon 2-6 cm
# above its attachment (mid-portion), the attachment at the back of the heel bone, and the
# middle of the area marked "elsewhere".
SPOTS: dict[PainSite, Spot] = {
    PainSite.UNDER_HEEL: Spot(1, 2.7, 1.0),
    PainSite.ACHILLES: Spot(2, 2.9, 8.7),
    PainSite.INSERTION: Spot(3, 1.4, 4.0),
    PainSite.ELSEWHERE: Spot(4, 15.5, 2.5),
}
ELSEWHERE_AREA = (15.5, 2.5, 15.0, 3.4)  # centre x, centre y, width, height of the dashed area
ANKLE_BONE = (5.6, 8.6, 2.4, 2.0)  # the inner ankle bone, drawn faintly so the foot reads as one

_SPOT_RADIUS = 0.95
_LEGEND_LEFT = 0.52  # figure fraction where the legend starts
_LEGEND_RIGHT_PX = 780


def render_site_picture(title: str, labels: Mapping[PainSite, str]) -> bytes:
    """Return the picture as an 800x400 PNG with its title and each spot's label."""
    return png(draw_site_picture(title, labels))


def draw_site_picture(title: str, labels: Mapping[PainSite, str]) -> Figure:
    """Return the picture's figure; `labels` names each site with a spot, in the reader's
    language (a missing one is a bug: KeyError)."""
    fig = new_figure(PICTURE_SIZE_IN, PICTURE_DPI)
    renderer = FigureCanvasAgg(fig).get_renderer()
    heading = fig.text(0.03, 0.93, printable(title), fontsize=18, fontweight="bold")
    heading.set_gid("title")
    ax = fig.add_axes((0.02, 0.02, 0.48, 0.82))
    _draw_foot(ax)
    _draw_legend(fig, renderer, labels)
    return fig


def _draw_foot(ax: Axes) -> None:
    ax.set_xlim(-0.6, 26.4)
    ax.set_ylim(-0.6, 15.4)
    ax.set_aspect("equal")
    ax.set_axis_off()
    foot = Polygon(FOOT_OUTLINE, closed=True, facecolor=SKIN, edgecolor=OUTLINE, linewidth=2)
    foot.set_gid("foot")
    ax.add_patch(foot)
    x, y, width, height = ANKLE_BONE
    bone = Ellipse((x, y), width, height, fill=False, edgecolor=OUTLINE, alpha=0.5)
    bone.set_gid("ankle-bone")
    ax.add_patch(bone)
    x, y, width, height = ELSEWHERE_AREA
    area = Ellipse(
        (x, y), width, height, fill=False, edgecolor=MUTED, linestyle="--", linewidth=1.5
    )
    area.set_gid(f"area-{PainSite.ELSEWHERE.value}")
    ax.add_patch(area)
    for site, spot in SPOTS.items():
        circle = Circle((spot.x, spot.y), _SPOT_RADIUS, facecolor=PAIN, edgecolor="white")
        circle.set_gid(f"spot-{site.value}")
        ax.add_patch(circle)
        number = ax.text(
            spot.x,
            spot.y,
            str(spot.number),
            ha="center",
            va="center_baseline",
            color="white",
            fontsize=12,
            fontweight="bold",
        )
        number.set_gid(f"number-{site.value}")


def _draw_legend(fig: Figure, renderer: RendererAgg, labels: Mapping[PainSite, str]) -> None:
    """Write "1  Under the heel" and the rest down the right-hand side, wrapped to fit."""
    top = 0.78
    for site, spot in SPOTS.items():
        number = fig.text(
            _LEGEND_LEFT,
            top,
            str(spot.number),
            fontsize=13,
            fontweight="bold",
            color=PAIN,
            va="top",
        )
        number.set_gid(f"legend-number-{site.value}")
        lines = list(_fit(fig, renderer, printable(labels[site])))
        label = fig.text(
            _LEGEND_LEFT + 0.04, top, drawable("\n".join(lines)), fontsize=13, va="top"
        )
        label.set_gid(f"legend-{site.value}")
        box = label.get_window_extent(renderer)
        top -= box.height / fig.bbox.height + 0.05


def _fit(fig: Figure, renderer: RendererAgg, text: str) -> Iterator[str]:
    """Yield the lines of text that fit the legend column, measured as drawn.

    English breaks between words; Chinese, which has no spaces, between characters.
    """
    probe = Text(0, 0, "", fontsize=13, figure=fig)
    left_px = (_LEGEND_LEFT + 0.04) * fig.bbox.width
    room = _LEGEND_RIGHT_PX - left_px

    def fits(line: str) -> bool:
        probe.set_text(line)
        return probe.get_window_extent(renderer).width <= room

    spaced = " " in text
    pieces = text.split(" ") if spaced else list(text)
    glue = " " if spaced else ""
    line = ""
    for piece in pieces:
        candidate = f"{line}{glue}{piece}" if line else piece
        if line and not fits(candidate):
            yield line
            line = piece
        else:
            line = candidate
    if line:
        yield line
