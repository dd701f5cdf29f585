"""docs/clinical/exercises.md: its hazard rows name real tests and are rated by the matrix."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_hazard_log import MATRIX, SEVERITIES

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "clinical" / "exercises.md"
NAMED = re.compile(r"`([\w/]+\.py)::(\w+)`")
# A rating row: severity, likelihood and risk before the controls, likelihood and risk after.
RATING = re.compile(r"^\| (E\d+) \| (\w+) \| ([\w ]+) \| (\d) \| ([\w ]+) \| (\d) \|$")


def test_every_test_the_exercise_hazards_name_exists() -> None:
    """Each `file::test` in the hazard rows is a test function in that file."""
    text = DOC.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if re.match(r"\| E\d+ \|", line)]
    rows = [row for row in rows if not RATING.match(row)]
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


def test_every_exercise_hazard_is_rated_by_the_hazard_logs_matrix() -> None:
    """Each E row has a rating row whose risks are the matrix's, none raised by its control."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if re.match(r"\| E\d+ \|", line) and not RATING.match(line)]
    hazards = [row.split("|")[1].strip() for row in rows]
    ratings = {m[1]: m.groups()[1:] for line in lines if (m := RATING.match(line))}
    assert sorted(ratings) == sorted(hazards)
    for hazard, (severity, before, risk_before, after, risk_after) in ratings.items():
        column = SEVERITIES.index(severity)
        assert MATRIX[before][column] == int(risk_before), hazard
        assert MATRIX[after][column] == int(risk_after), hazard
        assert int(risk_after) <= int(risk_before), hazard
