"""The "where does it hurt" picture: what is drawn where, in English and Chinese, as a PNG.

The checks read the drawn artists back by their gid: the foot outline, a numbered spot for
each site inside it and in anatomical order, the legend in the reader's language, wrapped by
rendered width so no line runs off the picture.
"""

from __future__ import annotations

import pytest
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Ellipse, Polygon
from matplotlib.text import Text

from bot.charts.common import chart_fonts
from bot.charts.foot import SPOTS, draw_site_picture
from bot.content.catalogs import packaged_catalogs
from bot.core.i18n import ENGLISH, Language, Translator
from bot.core.outcomes import PainSite
from bot.features.outcomes import words
from bot.features.outcomes.picture import site_picture
from tests.charts.helpers import png_size

ZH = packaged_catalogs()[Language.ZH]
MARKED = (PainSite.UNDER_HEEL, PainSite.ACHILLES, PainSite.INSERTION, PainSite.ELSEWHERE)


def drawn(t: Translator) -> tuple[Figure, dict[str, Artist]]:
    """Draw the picture for `t` and return its artists by gid."""
    labels = {site: t.gettext(words.SITE_LABELS[site]) for site in SPOTS}
    fig = draw_site_picture(t.gettext(words.PICTURE_TITLE), labels)
    FigureCanvasAgg(fig).draw()
    found = {a.get_gid(): a for a in fig.findobj() if a.get_gid() is not None}
    return fig, found


def test_sites_with_a_place_are_numbered_and_not_sure_is_not() -> None:
    assert list(SPOTS) == list(MARKED)
    assert [SPOTS[s].number for s in MARKED] == [1, 2, 3, 4]
    _, found = drawn(ENGLISH)
    assert f"spot-{PainSite.NOT_SURE.value}" not in found


def test_each_spot_is_on_the_foot_in_anatomical_order() -> None:
    """1 is the lowest and at the back, 2 the highest (the tendon above the heel), 3 the back
    of the heel between them; 4 lies forward of the heel, over the arch and forefoot."""
    _, found = drawn(ENGLISH)
    foot = found["foot"]
    assert isinstance(foot, Polygon)
    centres = {}
    for site in MARKED:
        spot = found[f"spot-{site.value}"]
        assert isinstance(spot, Circle)
        centres[site] = spot.center
        assert foot.get_path().contains_point(spot.center), site
        number = found[f"number-{site.value}"]
        assert isinstance(number, Text)
        assert number.get_text() == str(SPOTS[site].number)
        assert number.get_position() == spot.center
    heel, tendon = centres[PainSite.UNDER_HEEL], centres[PainSite.ACHILLES]
    insertion, elsewhere = centres[PainSite.INSERTION], centres[PainSite.ELSEWHERE]
    assert heel[1] < insertion[1] < tendon[1]
    assert insertion[0] < heel[0]  # the attachment is at the very back
    sole = min(y for _, y in foot.get_xy())
    assert heel[1] - sole < 1.5  # "under the heel" sits on the sole
    assert elsewhere[0] > 3 * max(heel[0], tendon[0], insertion[0])
    area = found[f"area-{PainSite.ELSEWHERE.value}"]
    assert isinstance(area, Ellipse)
    assert area.get_linestyle() == "--"
    assert area.center == elsewhere


@pytest.mark.parametrize("t", [ENGLISH, ZH], ids=["en", "zh"])
def test_the_legend_says_each_site_in_the_readers_language_within_the_picture(
    t: Translator,
) -> None:
    fig, found = drawn(t)
    title = found["title"]
    assert isinstance(title, Text)
    assert title.get_text() == t.gettext(words.PICTURE_TITLE)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    width = fig.bbox.width
    bottoms = []
    for site in MARKED:
        label = found[f"legend-{site.value}"]
        assert isinstance(label, Text)
        said = t.gettext(words.SITE_LABELS[site])
        # Wrapped lines join back to the label: spaces between English words, none in Chinese.
        glue = " " if t is ENGLISH else ""
        assert glue.join(label.get_text().split("\n")) == said
        box = label.get_window_extent(renderer)
        assert box.x1 <= width
        bottoms.append(box.y0)
        number = found[f"legend-number-{site.value}"]
        assert isinstance(number, Text)
        assert number.get_text() == str(SPOTS[site].number)
    assert bottoms == sorted(bottoms, reverse=True)  # 1 to 4, top to bottom, not overlapping


def test_the_long_english_labels_wrap_and_chinese_fits_its_line() -> None:
    _, english = drawn(ENGLISH)
    achilles = english[f"legend-{PainSite.ACHILLES.value}"]
    assert isinstance(achilles, Text)
    assert "\n" in achilles.get_text()
    _, chinese = drawn(ZH)
    heel = chinese[f"legend-{PainSite.UNDER_HEEL.value}"]
    assert isinstance(heel, Text)
    assert "\n" not in heel.get_text()


def test_the_chinese_labels_are_drawn_not_blanked() -> None:
    """Every character of the Chinese words is in the chart fonts (none drawn as a gap)."""
    if chart_fonts().cjk_path is None:
        pytest.skip("the Chinese chart font (pylopdf-fonts-zh-cn) is not installed")
    _, found = drawn(ZH)
    for site in MARKED:
        label = found[f"legend-{site.value}"]
        assert isinstance(label, Text)
        assert label.get_text().replace("\n", "") == ZH.gettext(words.SITE_LABELS[site])


@pytest.mark.parametrize("t", [ENGLISH, ZH], ids=["en", "zh"])
def test_the_picture_is_a_small_png(t: Translator) -> None:
    assert png_size(site_picture(t)) == (800, 400)
