"""Pain charts and summaries as PNG bytes, drawn with matplotlib's Agg canvas and no pyplot.

`common` holds what the charts share (fonts included), `history` the pain chart and its
caption, `summary` the clinician page. `python -m bot.charts [DIR]` redraws
docs/history-example.png and docs/doctor-summary-example.png.
"""

from bot.charts.examples import write_examples
from bot.charts.history import CAPTION_LIMIT, history_caption, render_history
from bot.charts.summary import render_doctor_summary

__all__ = [
    "CAPTION_LIMIT",
    "history_caption",
    "render_doctor_summary",
    "render_history",
    "write_examples",
]
