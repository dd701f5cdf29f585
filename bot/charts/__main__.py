"""`python -m bot.charts [DIR]` redraws the docs' example PNGs, into docs/ by default."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.charts.examples import write_examples

# parents[2] is the repository root: bot/charts/__main__.py -> bot/charts -> bot -> root.
write_examples(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[2] / "docs")
