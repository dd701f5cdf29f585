"""The drawing kit for the exercise pictures: a foot and leg in side view, and the props.

A `Pose` places one foot (turned about the ball of the foot, toes bent on their own) and the
leg above it, up to a hip given as a point, the knee found between them. `Canvas` draws poses
and props on a matplotlib axes, giving every artist a `gid` so tests can check what is drawn:
`foot-start`, `foot-end`, `toes-*`, `leg-*`, `arrow`, `floor`, `step`, `towel`, `wall`, `rail`,
`chair`, `tin`, `knee`, `hand`. The start position is dashed grey, the end position solid blue.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, Polygon, Rectangle

from bot.charts.common import MUTED, PAIN, THRESHOLD

Point = tuple[float, float]

START_LINE = "#9a9a9a"
END_FILL = "#dbe7f3"
PROP_FILL = "#e8e2d6"
PROP_EDGE = "#8c7b5e"
SKIN = "#f2c7a5"
SHIN, THIGH, TORSO = 1.25, 1.15, 1.2
LIMB_WIDTH = 0.26
STEP_TOP = 0.5
STEP_EDGE = 0.3  # the step's front edge; the step runs to the right of it

# One foot in its own frame: the ball of the foot at (0, 0), the sole on y = 0, toes to +x.
_BODY: tuple[Point, ...] = (
    (-0.99, 0.12),
    (-0.95, 0.05),
    (-0.88, 0.0),
    (-0.70, 0.0),
    (-0.50, 0.05),
    (-0.30, 0.03),
    (-0.12, 0.0),
    (0.0, 0.0),
    (0.03, 0.12),
    (-0.25, 0.22),
    (-0.45, 0.33),
    (-0.55, 0.50),
    (-0.56, 0.64),
    (-0.92, 0.64),
    (-0.92, 0.40),
    (-1.0, 0.24),
)
_TOES: tuple[Point, ...] = ((0.0, 0.0), (0.28, 0.0), (0.33, 0.05), (0.29, 0.10), (0.03, 0.12))
_TOE_JOINT: Point = (0.0, 0.06)
_ANKLE: Point = (-0.74, 0.40)  # inside the foot: the foot is drawn over the end of the leg
_HEEL: Point = (-0.88, 0.0)


def rotate(points: Sequence[Point], about: Point, degrees: float) -> list[Point]:
    """Rotate points counter-clockwise about a point."""
    a = math.radians(degrees)
    cx, cy = about
    cos, sin = math.cos(a), math.sin(a)
    return [
        (cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos)
        for x, y in points
    ]


def unit(dx: float, dy: float) -> Point:
    """Return the direction of (dx, dy) as a vector of length 1."""
    length = math.hypot(dx, dy) or 1.0
    return dx / length, dy / length


def knee_between(ankle: Point, hip: Point, *, forward: bool = True) -> Point:
    """Return the knee of a leg from ankle to hip: in front of the line between them, or behind."""
    dx, dy = hip[0] - ankle[0], hip[1] - ankle[1]
    reach = math.hypot(dx, dy)
    ux, uy = unit(dx, dy)
    if reach >= SHIN + THIGH:
        return ankle[0] + ux * SHIN, ankle[1] + uy * SHIN
    cos = (SHIN**2 + reach**2 - THIGH**2) / (2 * SHIN * reach)
    angle = math.degrees(math.acos(max(-1.0, min(1.0, cos))))
    # Clockwise from the ankle-to-hip line puts the knee towards +x when the hip is above.
    (kx, ky) = rotate([(ux * SHIN, uy * SHIN)], (0.0, 0.0), -angle if forward else angle)[0]
    return ankle[0] + kx, ankle[1] + ky


@dataclass(frozen=True)
class Pose:
    """One foot and its leg.

    heel_up: degrees the foot turns about the ball of the foot, heel up (negative: heel down);
    toes: the toes' angle up from level (None: flat on what the ball stands on);
    hip: where the leg ends (None: no leg drawn); knee_forward: which way the knee bends;
    shoulder, hands: the trunk and the arm, when drawn.
    """

    ball: Point
    heel_up: float = 0.0
    toes: float | None = None
    hip: Point | None = None
    knee_forward: bool = True
    shoulder: Point | None = None
    hands: Point | None = None

    def point(self, local: Point) -> Point:
        """Return where a point of the foot's own frame is in the picture."""
        x, y = rotate([local], (0.0, 0.0), -self.heel_up)[0]
        return x + self.ball[0], y + self.ball[1]

    def foot(self) -> tuple[list[Point], list[Point]]:
        """Return the outlines of the foot and of its toes, placed in the picture."""
        bend = self.heel_up + (self.toes or 0.0)
        toes = rotate(_TOES, _TOE_JOINT, bend)
        return [self.point(p) for p in _BODY], [self.point(p) for p in toes]

    @property
    def ankle(self) -> Point:
        """Return where the leg meets the foot."""
        return self.point(_ANKLE)

    @property
    def heel(self) -> Point:
        """Return the bottom of the heel."""
        return self.point(_HEEL)

    @property
    def knee(self) -> Point | None:
        """Return the knee, or None when no leg is drawn."""
        if self.hip is None:
            return None
        return knee_between(self.ankle, self.hip, forward=self.knee_forward)

    def limbs(self) -> list[list[Point]]:
        """Return the chains of joints to draw: the leg, then the trunk and arm."""
        if self.hip is None or self.knee is None:
            return []
        chains = [[self.ankle, self.knee, self.hip]]
        if self.shoulder is not None:
            chains.append([self.hip, self.shoulder, *([self.hands] if self.hands else [])])
        return chains


def limb_outline(chain: Sequence[Point], width: float = LIMB_WIDTH) -> list[Point]:
    """Return the outline of a limb of even width along a chain of joints, mitred at bends."""
    left: list[Point] = []
    right: list[Point] = []
    for i, (x, y) in enumerate(chain):
        ends = [(chain[j], chain[j + 1]) for j in (i - 1, i) if 0 <= j < len(chain) - 1]
        dirs = [unit(b[0] - a[0], b[1] - a[1]) for a, b in ends]
        tx, ty = unit(sum(d[0] for d in dirs), sum(d[1] for d in dirs))
        nx, ny = -ty, tx
        # Half the width over the cosine of half the bend keeps the limb as wide at a joint.
        cos = max(abs(nx * -dirs[0][1] + ny * dirs[0][0]), 0.5)
        d = width / 2 / cos
        left.append((x + nx * d, y + ny * d))
        right.append((x - nx * d, y - ny * d))
    return [*left, *reversed(right)]


class Canvas:
    """One picture's axes and what can be drawn on it."""

    def __init__(
        self, ax: Axes, x_range: tuple[float, float], y_range: tuple[float, float]
    ) -> None:
        self.ax = ax
        self.x_range = x_range
        self.y_range = y_range
        ax.set_xlim(*x_range)
        ax.set_ylim(*y_range)
        ax.set_aspect("equal")
        ax.set_axis_off()

    def floor(self) -> None:
        """Draw the floor at y = 0 and the ground below it."""
        (x0, x1), y0 = self.x_range, self.y_range[0]
        self.ax.add_patch(Rectangle((x0, y0), x1 - x0, -y0, color="#f0f0f0", gid="ground"))
        self.ax.add_line(Line2D((x0, x1), (0, 0), color=MUTED, linewidth=2, gid="floor"))

    def _box(self, x: float, y: float, width: float, height: float, gid: str) -> None:
        self.ax.add_patch(
            Rectangle(
                (x, y),
                width,
                height,
                facecolor=PROP_FILL,
                edgecolor=PROP_EDGE,
                linewidth=2,
                gid=gid,
            )
        )

    def step(self) -> None:
        """Draw a step whose front edge is at STEP_EDGE."""
        self._box(STEP_EDGE, 0, self.x_range[1] - STEP_EDGE, STEP_TOP, "step")

    def towel(self) -> None:
        """Draw a rolled towel on the step's edge, under the toes."""
        self.ax.add_patch(
            Ellipse(
                (STEP_EDGE + 0.3, STEP_TOP + 0.08),
                0.34,
                0.16,
                facecolor="#f4d35e",
                edgecolor="#a08020",
                linewidth=1.5,
                gid="towel",
                zorder=2,
            )
        )

    def wall(self, x: float) -> None:
        """Draw a wall from x to the right edge."""
        self._box(x, 0, self.x_range[1] - x, self.y_range[1], "wall")

    def rail(self, x: float) -> None:
        """Draw a rail to hold: a post and a bar."""
        for xs, ys in (((x, x), (0, 2.3)), ((x - 0.35, x + 0.35), (2.3, 2.3))):
            self.ax.add_line(Line2D(xs, ys, color=PROP_EDGE, linewidth=5, gid="rail"))

    def chair(self, x: float, seat: float) -> None:
        """Draw a chair whose seat's front is at x, at height seat."""
        self._box(x - 1.3, seat - 0.12, 1.3, 0.12, "chair")
        for post in (x - 1.25, x - 0.05):
            self.ax.add_line(
                Line2D((post, post), (0, seat - 0.12), color=PROP_EDGE, linewidth=3, gid="chair")
            )

    def tin(self, x: float, radius: float) -> None:
        """Draw a tin lying on the floor."""
        self.ax.add_patch(
            Circle(
                (x, radius), radius, facecolor="#c9d6df", edgecolor=MUTED, linewidth=2, gid="tin"
            )
        )

    def knee(self, centre: Point, radius: float) -> None:
        """Draw the other knee, seen end on, that a foot rests across."""
        self.ax.add_patch(
            Circle(
                centre,
                radius,
                facecolor=END_FILL,
                edgecolor=PAIN,
                linewidth=2,
                gid="knee",
                zorder=3,
            )
        )

    def hand(self, centre: Point, angle: float) -> None:
        """Draw a hand holding the toes."""
        self.ax.add_patch(
            Ellipse(
                centre,
                0.4,
                0.2,
                angle=angle,
                facecolor=SKIN,
                edgecolor="#9c6b4e",
                linewidth=2,
                gid="hand",
                zorder=6,
            )
        )

    def pose(self, pose: Pose, which: str, *, faint: bool = False) -> None:
        """Draw a foot and its limbs: `which` is "start" (dashed grey) or "end" (solid blue)."""
        start = which == "start"
        style = {
            "edgecolor": START_LINE if start else PAIN,
            "facecolor": "none" if start else END_FILL,
            "linestyle": "--" if start else "-",
            "linewidth": 2.2,
            "alpha": 0.5 if faint else 1.0,
        }
        body, toes = pose.foot()
        self.ax.add_patch(Polygon(body, closed=True, gid=f"foot-{which}", zorder=5, **style))
        self.ax.add_patch(Polygon(toes, closed=True, gid=f"toes-{which}", zorder=5, **style))
        for chain in pose.limbs():
            outline = limb_outline(chain)
            self.ax.add_patch(Polygon(outline, closed=True, gid=f"leg-{which}", zorder=4, **style))

    def arrow(self, tail: Point, head: Point, *, both: bool = False, bend: float = 0.0) -> None:
        """Draw the movement's arrow from tail to head, lengthened a little at both ends."""
        ux, uy = unit(head[0] - tail[0], head[1] - tail[1])
        tail = (tail[0] - ux * 0.1, tail[1] - uy * 0.1)
        head = (head[0] + ux * 0.1, head[1] + uy * 0.1)
        self.ax.add_patch(
            FancyArrowPatch(
                tail,
                head,
                arrowstyle="<|-|>" if both else "-|>",
                mutation_scale=28,
                linewidth=3.5,
                color=THRESHOLD,
                connectionstyle=f"arc3,rad={bend}",
                gid="arrow",
                zorder=7,
            )
        )
