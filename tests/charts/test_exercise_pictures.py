"""The exercise pictures: each renders, shows what its exercise needs, and moves the right way."""

from __future__ import annotations

import math

import pytest
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Polygon
from matplotlib.path import Path as MplPath

from bot.charts.exercise_figure import STEP_TOP
from bot.charts.exercise_pictures import (
    contact_sheet,
    draw_contact_sheet,
    draw_picture,
    render_picture,
)
from bot.content.exercises import load_exercises
from bot.core.exercises import Picture
from tests.charts.helpers import png_size

POSES = {"foot-start", "foot-end", "arrow"}
STANDING = POSES | {"floor", "leg-start", "leg-end"}
# What each picture must show besides the start and end positions and the arrow.
NEEDS: dict[Picture, set[str]] = {
    Picture.SEATED_TOE_PULL: {"chair", "knee", "hand", "toes-start", "toes-end"},
    Picture.WALL_CALF_STRAIGHT: STANDING | {"wall"},
    Picture.WALL_CALF_BENT: STANDING | {"wall"},
    Picture.ARCH_ROLL: STANDING | {"chair", "tin"},
    Picture.HEEL_RAISE_TOWEL: STANDING | {"step", "towel", "rail"},
    Picture.HEEL_DROP_STEP_BOTH: STANDING | {"step", "rail"},
    Picture.HEEL_DROP_STEP_STRAIGHT: STANDING | {"step", "rail"},
    Picture.HEEL_DROP_STEP_BENT: STANDING | {"step", "rail"},
    Picture.HEEL_RAISE_FLOOR_BOTH: STANDING | {"rail"},
    Picture.HEEL_DROP_FLOOR_STRAIGHT: STANDING | {"rail"},
    Picture.HEEL_DROP_FLOOR_BENT: STANDING | {"rail"},
    Picture.BALANCE_ONE_LEG: STANDING | {"rail"},
    Picture.WALK: STANDING,
    Picture.WALK_JOG: STANDING,
    Picture.JOG: STANDING,
}
UP = {Picture.HEEL_RAISE_TOWEL, Picture.HEEL_RAISE_FLOOR_BOTH, Picture.BALANCE_ONE_LEG}
DOWN = {
    Picture.HEEL_DROP_STEP_BOTH,
    Picture.HEEL_DROP_STEP_STRAIGHT,
    Picture.HEEL_DROP_STEP_BENT,
    Picture.HEEL_DROP_FLOOR_STRAIGHT,
    Picture.HEEL_DROP_FLOOR_BENT,
}
FORWARD = {Picture.WALK, Picture.WALK_JOG, Picture.JOG, Picture.WALL_CALF_STRAIGHT}
FLOOR_ONLY = {
    Picture.HEEL_RAISE_FLOOR_BOTH,
    Picture.HEEL_DROP_FLOOR_STRAIGHT,
    Picture.HEEL_DROP_FLOOR_BENT,
}
BELOW_STEP = {
    Picture.HEEL_DROP_STEP_BOTH,
    Picture.HEEL_DROP_STEP_STRAIGHT,
    Picture.HEEL_DROP_STEP_BENT,
}


def artists(fig: Figure) -> list[Artist]:
    """Return every artist of the picture's axes."""
    (ax,) = fig.axes
    return [*ax.patches, *ax.lines, *ax.texts]


def gids(fig: Figure) -> set[str]:
    """Return the gids drawn."""
    return {gid for a in artists(fig) if (gid := a.get_gid())}


def with_gid(fig: Figure, gid: str) -> list[Artist]:
    """Return the artists drawn with this gid."""
    return [a for a in artists(fig) if a.get_gid() == gid]


def arrow_vector(fig: Figure) -> tuple[float, float]:
    """Return the arrow's direction: from its tail to the point of it farthest away."""
    (arrow,) = with_gid(fig, "arrow")
    assert isinstance(arrow, FancyArrowPatch)
    path = arrow.get_path()
    # A closed head ends with a CLOSEPOLY vertex whose coordinates mean nothing.
    points = [
        v for v, code in zip(path.vertices, path.codes, strict=True) if code != MplPath.CLOSEPOLY
    ]
    tail = points[0]
    tip = max(points, key=lambda p: math.dist(p, tail))
    return tip[0] - tail[0], tip[1] - tail[1]


def lowest(polygons: list[Artist]) -> float:
    """Return the lowest y of some polygons."""
    return min(y for p in polygons if isinstance(p, Polygon) for _, y in p.get_xy())


@pytest.mark.parametrize("picture", list(Picture), ids=str)
def test_every_picture_renders_what_its_exercise_needs(picture: Picture) -> None:
    """Each picture is a 720x480 PNG with its props, both positions and the arrow."""
    assert png_size(render_picture(picture)) == (720, 480)
    drawn = gids(draw_picture(picture))
    assert NEEDS[picture] | POSES <= drawn, NEEDS[picture] - drawn


@pytest.mark.parametrize("picture", list(Picture), ids=str)
def test_start_is_dashed_and_end_is_solid_and_no_words(picture: Picture) -> None:
    """Start dashed and unfilled, end solid; no words, so one PNG serves every language."""
    fig = draw_picture(picture)
    (start, *_) = with_gid(fig, "foot-start")
    (end, *_) = with_gid(fig, "foot-end")
    assert isinstance(start, Polygon)
    assert isinstance(end, Polygon)
    assert start.get_linestyle() == "--"
    assert start.get_fill() is False or start.get_facecolor()[3] == 0
    assert end.get_linestyle() == "-"
    assert end.get_facecolor()[3] > 0
    assert fig.texts == []
    assert len(fig.axes[0].texts) == 0


@pytest.mark.parametrize("picture", sorted(UP | DOWN | FORWARD, key=str), ids=str)
def test_the_arrow_points_the_way_the_foot_moves(picture: Picture) -> None:
    """Raises point up, drops down, walking and leaning forward."""
    dx, dy = arrow_vector(draw_picture(picture))
    if picture in UP:
        assert dy > abs(dx) * 0.5
    elif picture in DOWN:
        assert dy < -abs(dx) * 0.5
    else:
        assert dx > abs(dy)


@pytest.mark.parametrize("picture", sorted(FLOOR_ONLY, key=str), ids=str)
def test_floor_pictures_never_show_the_heel_below_the_forefoot(picture: Picture) -> None:
    """The insertional exercises: nothing of either foot goes below the floor."""
    fig = draw_picture(picture)
    assert "step" not in gids(fig)
    assert lowest(with_gid(fig, "foot-start") + with_gid(fig, "foot-end")) >= -0.01


@pytest.mark.parametrize("picture", sorted(BELOW_STEP, key=str), ids=str)
def test_step_drops_show_the_heel_below_the_step(picture: Picture) -> None:
    """The mid-portion heel drops end with the heel below the level of the step."""
    fig = draw_picture(picture)
    assert lowest(with_gid(fig, "foot-end")) < STEP_TOP - 0.1
    assert lowest(with_gid(fig, "foot-start")) >= STEP_TOP - 0.01


def test_every_shipped_exercise_has_a_picture_that_renders() -> None:
    """The picture named in the content is one of the drawn ones."""
    for exercise in load_exercises().exercises:
        assert png_size(render_picture(exercise.picture)) == (720, 480), exercise.id


def test_a_picture_is_drawn_once_and_reused() -> None:
    """The bytes are cached: the bot sends each picture once and keeps its file_id."""
    assert render_picture(Picture.WALK) is render_picture(Picture.WALK)


def test_the_contact_sheet_shows_every_picture_with_its_caption() -> None:
    """One cell and one caption per picture, the caption's words as given."""
    items = [(p, f"{p.value} caption") for p in Picture]
    fig = draw_contact_sheet(items)
    assert sorted(ax.get_gid() for ax in fig.axes) == sorted(f"cell-{p.value}" for p in Picture)
    assert all(ax.images for ax in fig.axes)
    captions = {t.get_gid(): t.get_text().replace("\n", " ") for t in fig.texts}
    assert captions == {f"caption-{p.value}": f"{p.value} caption" for p in Picture}
    assert png_size(contact_sheet(items)) == (1080, 275 * 5)
