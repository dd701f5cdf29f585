"""The exercise pictures: a side view of the foot and leg, the step, towel, wall or tin, the
start position dashed in grey, the end position solid in blue, and an arrow for the movement.

Drawn in code (`exercise_figure.py` is the kit) so each picture can be checked by its artists
and reviewed in the contact sheet (`python -m bot exercises sheet`). The pictures hold no words,
so one PNG per exercise serves every language: the bot sends it once and reuses its file_id.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Callable, Sequence
from functools import cache

from matplotlib.figure import Figure
from matplotlib.image import imread

from bot.charts.common import MUTED, drawable, new_figure, png
from bot.charts.exercise_figure import STEP_EDGE, STEP_TOP, Canvas, Point, Pose
from bot.core.exercises import Picture

SIZE = (7.2, 4.8)  # inches: 720 x 480 pixels
DPI = 100
CLOSE = ((-2.4, 2.4), (-0.3, 2.9))  # the x and y ranges of most pictures
WIDE = ((-3.0, 3.0), (-0.4, 3.6))  # a whole leaning body
SEATED = ((-2.6, 1.9), (-0.4, 2.6))

_STRAIGHT_REACH = 2.38  # ankle to hip of a straight leg (a hair short of full length)
_BENT_REACH = 2.05


def _standing(ball: Point, heel_up: float, toes: float | None = None, bent: bool = False) -> Pose:
    """Return a foot and a leg standing upright above it, the knee straight or a little bent."""
    foot = Pose(ball, heel_up, toes)
    ax, ay = foot.ankle
    hip = (ax - 0.15, ay + _BENT_REACH) if bent else (ax + 0.03, ay + _STRAIGHT_REACH)
    return Pose(ball, heel_up, toes, hip=hip)


def _both_feet(c: Canvas, start: Pose, end: Pose) -> None:
    """Draw the other foot just behind, faint: the exercise is done on both legs."""
    for pose, which in ((start, "start"), (end, "end")):
        behind = Pose((pose.ball[0] - 0.14, pose.ball[1]), pose.heel_up, pose.toes)
        c.pose(behind, which, faint=True)


def _heel_arrow(c: Canvas, start: Pose, end: Pose) -> None:
    """Draw the arrow beside the heel, from where it starts to where it ends."""
    c.arrow((start.heel[0] - 0.3, start.heel[1]), (end.heel[0] - 0.3, end.heel[1]))


def _on_step(c: Canvas, *, towel: bool, up: bool, both: bool, bent: bool = False) -> None:
    """A heel raise (up) or heel drop (down) with the ball of the foot on the step's edge."""
    c.floor()
    c.step()
    c.rail(-1.9)
    if towel:
        c.towel()
    ball = (STEP_EDGE + 0.05, STEP_TOP)
    toes = 25.0 if towel else None
    high = _standing(ball, 30, toes, bent)
    low = _standing(ball, -22, toes, bent)
    start, end = (low, high) if up else (high, low)
    if both:
        _both_feet(c, start, end)
    c.pose(start, "start")
    c.pose(end, "end")
    _heel_arrow(c, start, end)


def _on_floor(c: Canvas, *, up: bool, both: bool, bent: bool = False) -> None:
    """A heel raise or drop on the flat floor: the heel never goes below the forefoot."""
    c.floor()
    c.rail(-1.9)
    ball = (0.6, 0.0)
    high = _standing(ball, 30, bent=bent)
    flat = _standing(ball, 0, bent=bent)
    start, end = (flat, high) if up else (high, flat)
    if both:
        _both_feet(c, start, end)
    c.pose(start, "start")
    c.pose(end, "end")
    _heel_arrow(c, start, end)


def _wall_stretch(c: Canvas, *, bent: bool) -> None:
    """The back leg of a calf stretch at a wall: the heel stays down while the body leans in."""
    c.floor()
    wall = 2.3
    c.wall(wall)
    ball = (-1.0, 0.0)
    ax, ay = Pose(ball).ankle
    hip = (ax + 0.55, ay + 2.3)
    upright = Pose(ball, hip=hip, shoulder=(hip[0] + 0.3, hip[1] + 1.15), hands=(wall, 2.7))
    if bent:
        hip = (ax + 0.75, ay + 1.85)
        lean = Pose(ball, hip=hip, shoulder=(hip[0] + 0.55, hip[1] + 1.05), hands=(wall, 2.6))
    else:
        hip = (ax + 1.25, ay + 1.98)
        lean = Pose(ball, hip=hip, shoulder=(hip[0] + 0.85, hip[1] + 0.85), hands=(wall, 2.5))
    c.pose(upright, "start")
    c.pose(lean, "end")
    if bent and upright.knee is not None and lean.knee is not None:
        c.arrow(upright.knee, lean.knee)
    else:
        c.arrow((upright.hip or hip), (lean.hip or hip))


def _toe_pull(c: Canvas) -> None:
    """Sitting, the foot across the other knee: the toes pulled back towards the shin."""
    c.chair(-1.2, 1.25)
    c.floor()
    hip = (-2.1, 1.5)
    c.knee((0.0, 1.3), 0.22)
    relaxed = Pose((0.95, 1.52), toes=-5, hip=hip, knee_forward=False)
    pulled = Pose((0.95, 1.52), toes=55, hip=hip, knee_forward=False)
    c.pose(relaxed, "start")
    c.pose(pulled, "end")
    c.hand((1.2, 1.85), 60)
    c.arrow((1.35, 1.5), (1.25, 2.05), bend=0.45)


def _arch_roll(c: Canvas) -> None:
    """Sitting, the arch rolled back and forth over a tin on the floor."""
    c.chair(-1.2, 1.25)
    c.floor()
    radius = 0.16
    c.tin(0.35, radius)
    hip = (-1.6, 1.45)
    back = Pose((0.6, 2 * radius), heel_up=6, hip=hip)
    forward = Pose((1.05, 2 * radius), heel_up=6, hip=hip)
    c.pose(back, "start")
    c.pose(forward, "end")
    c.arrow((-0.3, -0.2), (1.3, -0.2), both=True)


def _balance(c: Canvas) -> None:
    """Standing on the painful leg; the other foot lifts off the floor behind."""
    c.floor()
    c.rail(1.9)
    standing = _standing((0.55, 0.0), 0)
    c.pose(standing, "end")
    hip = standing.hip
    down = Pose((0.35, 0.0), hip=hip)
    lifted = Pose((-0.45, 0.75), heel_up=-10, hip=hip)
    c.pose(down, "start")
    c.pose(lifted, "end")
    _heel_arrow(c, down, lifted)


def _stride(c: Canvas, *, start_lift: float, end_lift: float) -> None:
    """One stride forward, from pushing off behind to landing in front; off the floor to jog."""
    c.floor()
    hip = (0.4, 2.7 + max(start_lift, end_lift) * 0.5)
    push = Pose((-0.4, start_lift), heel_up=40 + 30 * start_lift, hip=hip)
    land = Pose((1.3, 0.3 + end_lift), heel_up=-20, hip=hip)
    c.pose(push, "start")
    c.pose(land, "end")
    c.arrow((-0.5, -0.15), (1.4, -0.15))


_DRAWINGS: dict[
    Picture, tuple[tuple[tuple[float, float], tuple[float, float]], Callable[[Canvas], None]]
] = {
    Picture.SEATED_TOE_PULL: (SEATED, _toe_pull),
    Picture.WALL_CALF_STRAIGHT: (WIDE, lambda c: _wall_stretch(c, bent=False)),
    Picture.WALL_CALF_BENT: (WIDE, lambda c: _wall_stretch(c, bent=True)),
    Picture.ARCH_ROLL: (SEATED, _arch_roll),
    Picture.HEEL_RAISE_TOWEL: (CLOSE, lambda c: _on_step(c, towel=True, up=True, both=False)),
    Picture.HEEL_DROP_STEP_BOTH: (CLOSE, lambda c: _on_step(c, towel=False, up=False, both=True)),
    Picture.HEEL_DROP_STEP_STRAIGHT: (
        CLOSE,
        lambda c: _on_step(c, towel=False, up=False, both=False),
    ),
    Picture.HEEL_DROP_STEP_BENT: (
        CLOSE,
        lambda c: _on_step(c, towel=False, up=False, both=False, bent=True),
    ),
    Picture.HEEL_RAISE_FLOOR_BOTH: (CLOSE, lambda c: _on_floor(c, up=True, both=True)),
    Picture.HEEL_DROP_FLOOR_STRAIGHT: (CLOSE, lambda c: _on_floor(c, up=False, both=False)),
    Picture.HEEL_DROP_FLOOR_BENT: (CLOSE, lambda c: _on_floor(c, up=False, both=False, bent=True)),
    Picture.BALANCE_ONE_LEG: (CLOSE, _balance),
    Picture.WALK: (CLOSE, lambda c: _stride(c, start_lift=0.0, end_lift=0.0)),
    Picture.WALK_JOG: (CLOSE, lambda c: _stride(c, start_lift=0.0, end_lift=0.35)),
    Picture.JOG: (CLOSE, lambda c: _stride(c, start_lift=0.4, end_lift=0.5)),
}


def draw_picture(picture: Picture) -> Figure:
    """Return the figure for an exercise picture (tests read its artists by gid)."""
    fig = new_figure(SIZE, DPI)
    (x_range, y_range), draw = _DRAWINGS[picture]
    draw(Canvas(fig.add_axes((0, 0, 1, 1)), x_range, y_range))
    return fig


@cache
def render_picture(picture: Picture) -> bytes:
    """Return an exercise picture as PNG bytes, drawn once per process."""
    return png(draw_picture(picture))


CELL = (3.6, 2.75)  # inches per picture in the contact sheet, caption included
COLUMNS = 3
CAPTION_WIDTH = 44  # characters on a caption line


def draw_contact_sheet(items: Sequence[tuple[Picture, str]]) -> Figure:
    """Return one figure with every picture and its caption below it."""
    rows = max(1, math.ceil(len(items) / COLUMNS))
    fig = new_figure((CELL[0] * COLUMNS, CELL[1] * rows), DPI)
    for index, (picture, caption) in enumerate(items):
        row, col = divmod(index, COLUMNS)
        left, bottom = col / COLUMNS, 1 - (row + 1) / rows
        ax = fig.add_axes((left + 0.005, bottom + 0.12 / rows, 1 / COLUMNS - 0.01, 0.86 / rows))
        ax.imshow(imread(io.BytesIO(render_picture(picture)), format="png"))
        ax.set_axis_off()
        ax.set_gid(f"cell-{picture.value}")
        fig.text(
            left + 0.5 / COLUMNS,
            bottom + 0.05 / rows,
            drawable("\n".join(textwrap.wrap(caption, CAPTION_WIDTH, break_on_hyphens=False))),
            ha="center",
            va="center",
            fontsize=9,
            color=MUTED,
            gid=f"caption-{picture.value}",
        )
    return fig


def contact_sheet(items: Sequence[tuple[Picture, str]]) -> bytes:
    """Return the contact sheet as PNG bytes, for review in the docs."""
    return png(draw_contact_sheet(items))
