"""Tests for the charts' Chinese fallback font (Noto Sans SC) and for charts drawn without it."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.font_manager import FontProperties, findfont, get_font

from bot.charts import common
from bot.charts.common import chart_fonts, drawable, printable
from bot.charts.history import render_history
from tests.charts.helpers import (
    HISTORY_PX,
    MONTH_START,
    SUMMARY_PX,
    TODAY,
    TYPICAL,
    png_size,
    summary,
)

CHINESE = "疼痛记录"  # "pain record"
CJK_FAMILY = "Noto Sans SC"


def _chinese_history(title: str = CHINESE) -> bytes:
    return render_history(TYPICAL, start=MONTH_START, end=TODAY, threshold=4, title=title)


def _font_files() -> list[Path]:
    """Return the font file matplotlib takes for each family in font.family, in order."""
    families = matplotlib.rcParams["font.family"]
    return [Path(str(findfont(FontProperties(family=[family])))) for family in families]


def _bitmap(font_files: list[Path], text: str) -> np.ndarray:
    """Return text drawn by FreeType as matplotlib's Agg does, falling back through the files."""
    font = get_font(font_files)
    font.set_size(32, 72)
    font.set_text(text)
    font.draw_glyphs_to_bitmap()
    return np.asarray(font.get_image()).copy()


@pytest.fixture
def without_cjk_font(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Set the chart fonts up as on a machine without the font package, afresh after."""
    monkeypatch.setattr(common, "cjk_font_path", lambda: None)
    default = list(matplotlib.rcParamsDefault["font.family"])
    monkeypatch.setitem(matplotlib.rcParams, "font.family", default)
    common._load_chart_fonts.cache_clear()
    yield
    common._load_chart_fonts.cache_clear()


def test_chinese_font_is_a_fallback_after_the_default() -> None:
    """Noto Sans SC from the font package comes after the default family, which stays first."""
    fonts = chart_fonts()
    assert fonts.cjk_path is not None, "pylopdf-fonts-zh-cn is a dependency: install it"
    assert fonts.families[0] == matplotlib.rcParamsDefault["font.family"][0]
    assert fonts.families[-1] == CJK_FAMILY
    assert tuple(matplotlib.rcParams["font.family"]) == fonts.families
    found = findfont(FontProperties(family=[CJK_FAMILY]), fallback_to_default=False)
    assert Path(str(found)) == fonts.cjk_path


def test_printable_keeps_chinese_and_drawable_keeps_layout() -> None:
    """Chinese stays in chart text; drawable keeps line breaks and indents but drops emoji."""
    assert printable(f" {CHINESE}\n小明 🦶 ") == f"{CHINESE} 小明"
    assert drawable(f"    {CHINESE}\n24 Nov🦶") == f"    {CHINESE}\n24 Nov "


def test_each_chinese_character_is_a_real_glyph_in_the_font() -> None:
    """The font maps every character to a glyph with an outline, not .notdef (the empty box)."""
    path = chart_fonts().cjk_path
    assert path is not None
    font = TTFont(path, lazy=True)
    try:
        cmap = font.getBestCmap()
        glyphs = font.getGlyphSet()
        notdef = font.getGlyphOrder()[0]
        for char in CHINESE + "小明：":
            name = cmap.get(ord(char))
            assert name not in (None, notdef), char
            pen = BoundsPen(glyphs)
            glyphs[name].draw(pen)
            assert pen.bounds is not None, f"{char} has an empty outline"
    finally:
        font.close()


def test_matplotlib_draws_chinese_from_the_fallback_font() -> None:
    """Through the font.family chain, each character comes out as Noto Sans SC draws it."""
    files = _font_files()
    primary, cjk = files[0], chart_fonts().cjk_path
    assert cjk is not None
    assert files[-1] == cjk
    primary_chars = get_font(primary).get_charmap()
    for char in CHINESE:
        assert ord(char) not in primary_chars  # so the fallback is what draws it
        drawn = _bitmap(files, char)
        assert drawn.any(), f"{char} drew nothing"
        assert np.array_equal(drawn, _bitmap([cjk], char)), char
    # Latin text is still drawn by the default font.
    assert np.array_equal(_bitmap(files, "Pain"), _bitmap([primary], "Pain"))


# A title the catalogue lacks (the bot only passes msgids) stands for any Chinese text.
@pytest.mark.usefixtures("any_msgid")
def test_charts_draw_chinese_text_with_no_missing_glyph(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chinese title, name and reasons reach the renderer whole, and no glyph is missing."""
    drawn: list[str] = []
    draw_text = RendererAgg.draw_text

    def spy(self: RendererAgg, gc: Any, x: float, y: float, s: str, *args: Any, **kw: Any) -> Any:
        drawn.append(s)
        return draw_text(self, gc, x, y, s, *args, **kw)

    monkeypatch.setattr(RendererAgg, "draw_text", spy)
    with warnings.catch_warnings():
        # Agg warns "Glyph ... missing from font(s)" for any character no font in the chain has.
        warnings.simplefilter("error")
        history_png = _chinese_history()
        summary_png = summary(
            TYPICAL,
            name="小明",
            escalations=[(TODAY, "连续三天疼痛评分达到4分或以上")],
            red_flags=[(TODAY, "脚部麻木或刺痛")],
        )
    assert png_size(history_png) == HISTORY_PX
    assert png_size(summary_png) == SUMMARY_PX
    assert CHINESE in drawn
    assert any("小明" in text for text in drawn)
    assert any("脚部麻木或刺痛" in text for text in drawn)


@pytest.mark.usefixtures("without_cjk_font", "any_msgid")
def test_without_the_font_charts_still_render_and_say_so_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Missing font: one INFO line, Chinese left out instead of drawn as boxes, charts drawn."""
    caplog.set_level(logging.INFO, logger="bot.charts.common")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no missing-glyph warning: nothing undrawable is drawn
        assert printable(f"{CHINESE} pain") == "pain"
        assert png_size(_chinese_history()) == HISTORY_PX
        assert png_size(summary(TYPICAL, name="小明")) == SUMMARY_PX
    assert chart_fonts().cjk_path is None
    assert CJK_FAMILY not in matplotlib.rcParams["font.family"]
    notes = [r for r in caplog.records if r.name == "bot.charts.common"]
    assert len(notes) == 1
    assert notes[0].levelno == logging.INFO
    assert "not installed" in notes[0].getMessage()


@pytest.mark.usefixtures("without_cjk_font")
def test_unusable_font_file_falls_back_too(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A font file FreeType cannot open is treated as missing rather than breaking charts."""
    broken = tmp_path / "broken.otf"
    broken.write_bytes(b"not a font")
    monkeypatch.setattr(common, "cjk_font_path", lambda: broken)
    caplog.set_level(logging.INFO, logger="bot.charts.common")
    assert printable(f"{CHINESE} pain") == "pain"
    assert chart_fonts().cjk_path is None
    assert "unusable" in caplog.text


def test_first_use_from_several_threads_sets_up_once() -> None:
    """Charts render in worker threads: concurrent first use registers the font once."""
    common._load_chart_fonts.cache_clear()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: chart_fonts(), range(8)))
    assert all(result is results[0] for result in results)
    assert list(matplotlib.rcParams["font.family"]).count(CJK_FAMILY) == 1
