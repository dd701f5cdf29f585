"""Charts for a Chinese reader: same sizes, Chinese captions, dates from the one Babel helper.

Whether the glyphs are drawn (not boxes) depends on the font bot/charts/common.py picks; here
the point is that every label goes through the translator and nothing breaks the layout.
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot.charts import history_caption, render_doctor_summary, render_history
from bot.content.catalogs import packaged_catalogs
from bot.core.i18n import Language
from tests.charts.helpers import HISTORY_PX, SUMMARY_PX, TODAY, TYPICAL, daily, png_size

ZH = packaged_catalogs()[Language.ZH]


def test_the_history_caption_is_chinese() -> None:
    """Average, best and worst day, week change and streak, with Chinese dates."""
    caption = history_caption(daily(*[3, 5, 6, 4, 2, 5, 7] * 2), today=TODAY, t=ZH)
    assert "平均疼痛" in caption
    assert "月" in caption
    assert re.search(r"[A-Za-z]", caption) is None


def test_a_chinese_history_chart_keeps_its_size() -> None:
    """The 30-day chart with Chinese title, axis, legend and dates is the usual PNG."""
    start = TODAY - timedelta(days=29)
    png = render_history(TYPICAL, start=start, end=TODAY, threshold=4, escalations=[TODAY], t=ZH)
    assert png_size(png) == HISTORY_PX


def test_a_chinese_summary_keeps_its_page() -> None:
    """The clinician page in Chinese, long lines wrapped by character, stays one A4 page."""
    png = render_doctor_summary(
        daily(*[7] * 40),
        today=TODAY,
        threshold=4,
        escalations=[
            (TODAY - timedelta(days=i), "你今天的疼痛是 8 分（满分 10 分），属于重度" * 3)
            for i in range(8)
        ],
        red_flags=[(TODAY, "刺痛、灼痛或麻木")],
        has_diabetes=True,
        name="小明",
        t=ZH,
    )
    assert png_size(png) == SUMMARY_PX
