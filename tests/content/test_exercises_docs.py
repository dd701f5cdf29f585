"""docs/clinical/exercises.md: the hazard rows name tests that exist, the sources are listed."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "clinical" / "exercises.md"
NAMED = re.compile(r"`([\w/]+\.py)::(\w+)`")


def test_every_test_the_exercise_hazards_name_exists() -> None:
    """Each `file::test` in the hazard rows is a test function in that file."""
    text = DOC.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if re.match(r"\| E\d+ \|", line)]
    assert len(rows) >= 6
    for row in rows:
        named = NAMED.findall(row)
        assert named, row
        for file, name in named:
            source = (ROOT / "tests" / file).read_text(encoding="utf-8")
            assert re.search(rf"def {name}\(", source), f"{file}::{name}"


def test_the_page_says_the_plantar_thresholds_are_footcares_own_extrapolation() -> None:
    """The pain-monitoring thresholds come from Achilles studies; the page says so."""
    text = DOC.read_text(encoding="utf-8")
    assert "FootCare's own extrapolation" in text
    assert "Achilles tendinopathy" in text
