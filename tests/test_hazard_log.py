"""The hazard log names real tests: every control it claims points at a test that exists.

Hazards are H (clinical), T (tips), S (sharing with a clinician) and E (exercise programmes)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
LOG = ROOT / "docs" / "CLINICAL-SAFETY.md"
NAMED = re.compile(r"`([\w/]+\.py)::(\w+)`")


def test_every_test_the_hazard_log_names_exists() -> None:
    named = NAMED.findall(LOG.read_text(encoding="utf-8"))
    assert len(named) >= 20
    missing = [
        f"{file}::{name}"
        for file, name in named
        if not (ROOT / "tests" / file).exists()
        or not re.search(rf"def {name}\(", (ROOT / "tests" / file).read_text(encoding="utf-8"))
    ]
    assert missing == []


def test_every_hazard_row_names_a_test_or_another_row() -> None:
    lines = LOG.read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if line in _hazard_rows(lines)]
    assert rows
    for row in rows:
        assert NAMED.search(row) or "see T" in row or "reviewed by hand" in row, row


# DCB0129's matrix: MATRIX[likelihood][severity] is the risk, 1 (acceptable) to 5.
SEVERITIES = ("Minor", "Significant", "Considerable", "Major", "Catastrophic")
MATRIX = {
    "Very high": (3, 4, 4, 5, 5),
    "High": (2, 3, 3, 4, 5),
    "Medium": (2, 2, 3, 3, 4),
    "Low": (1, 2, 2, 3, 4),
    "Very low": (1, 1, 2, 2, 3),
}
RATING = re.compile(r"^\| ([HSTE]\d+) \| (\w+) \| ([\w ]+) \| (\d) \| ([\w ]+) \| (\d) \|$")


def _hazard_rows(lines: list[str]) -> list[str]:
    """The rows of the hazard tables (not of the ratings table)."""
    return [line for line in lines if re.match(r"\| [HSTE]\d+ \|", line) and not RATING.match(line)]


def _hazard_ids(lines: list[str]) -> list[str]:
    return [line.split("|")[1].strip() for line in _hazard_rows(lines)]


def test_every_hazard_is_rated_by_the_matrix_and_no_control_raises_a_risk() -> None:
    lines = LOG.read_text(encoding="utf-8").splitlines()
    ratings = {m[1]: m.groups()[1:] for line in lines if (m := RATING.match(line))}
    ids = _hazard_ids(lines)
    assert len(ids) == len(set(ids)), "a hazard number used twice"
    hazards = [h for h in ids if h not in ratings]
    assert hazards == [], "hazards without a rating row"
    assert [h for h in ratings if h not in ids] == [], "ratings without a hazard row"
    for hazard, (severity, before, risk_before, after, risk_after) in ratings.items():
        column = SEVERITIES.index(severity)
        assert MATRIX[before][column] == int(risk_before), hazard
        assert MATRIX[after][column] == int(risk_after), hazard
        assert int(risk_after) <= int(risk_before), hazard


def test_the_matrix_in_the_log_is_dcb0129s() -> None:
    text = LOG.read_text(encoding="utf-8")
    for likelihood, risks in MATRIX.items():
        assert f"| {likelihood} | {' | '.join(map(str, risks))} |" in text
