"""Tests for loading and checking the escalation rules file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.rules import DEFAULT_RULES_PATH, RuleBook, load_rules
from bot.content.yamlfile import ContentError
from bot.core.escalation import RuleId, RulesConfig, Urgency

VALID = """\
settings:
  threshold: 4
  persistent_days: 14
  improvement_delta: 2.0
  severe_score: 7
  severe_days: 3
  worsening_window: 7
  worsening_delta: 2.0
  long_haul_days: 90
  long_haul_window: 7
  recurrence_episodes: 3
  recurrence_window: 90
  red_flag_score: 7
  red_flag_jump: 3
  red_flag_repeat_days: 3
  episode_reset_low_days: 3
  cooldown_days: 7
  diabetes_score: 4
rules:
  - id: red_flag_emergency
    urgency: emergency
    description: Fracture or rupture signs.
    source: NHS heel pain
  - id: red_flag_urgent
    urgency: urgent
    description: Nerve or infection signs.
    source: NHS heel pain
  - id: red_flag_soon
    urgency: soon
    description: Nerve signs.
    source: NHS Tayside
  - id: diabetes
    urgency: urgent
    description: Diabetes and pain.
    source: [Diabetes UK, NHS heel pain]
  - id: diabetes_first
    urgency: routine
    description: First pain with diabetes.
    source: NHS heel pain
  - id: severe
    urgency: soon
    description: Severe pain.
    source: NHS heel pain
  - id: severe_day
    urgency: routine
    description: One severe day.
    source: NHS heel pain
  - id: recurring
    urgency: routine
    description: Keeps coming back.
    source: NHS heel pain
  - id: worsening
    urgency: routine
    description: Getting worse.
    source: NHS heel pain
  - id: persistent
    urgency: routine
    description: Two weeks without improvement.
    source: NHS heel pain
  - id: long_haul
    urgency: advice
    description: Three months.
    source: NHS Lothian
"""


def write(tmp_path: Path, text: str) -> Path:
    """Write a rules file and return its path."""
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def edit(old: str, new: str) -> str:
    """Return VALID with one exact piece of text replaced."""
    assert old in VALID
    return VALID.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    """Return the 1-based line of the first line containing needle."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def problems(tmp_path: Path, text: str) -> list[str]:
    """Load text as a rules file and return the reported problems as strings."""
    path = write(tmp_path, text)
    with pytest.raises(ContentError) as caught:
        load_rules(path)
    return [str(p) for p in caught.value.problems]


def assert_at(tmp_path: Path, text: str, line: int, message: str) -> None:
    """Assert that loading text reports message at file:line."""
    found = problems(tmp_path, text)
    where = f"{tmp_path / 'rules.yaml'}:{line}: "
    assert any(p.startswith(where) and message in p for p in found), found


def assert_reported(tmp_path: Path, text: str, needle: str, message: str) -> None:
    """Assert that loading text reports message at the line of needle."""
    assert_at(tmp_path, text, line_of(text, needle), message)


# --- the shipped file -----------------------------------------------------------------------


def test_shipped_file_loads() -> None:
    """The rules file shipped with the package is valid."""
    book = load_rules()
    assert isinstance(book, RuleBook)


def test_shipped_numbers_match_the_engine_defaults() -> None:
    """The shipped file and RulesConfig's defaults agree."""
    assert load_rules().config == RulesConfig()


def test_shipped_file_describes_every_rule_with_a_source() -> None:
    """Every rule has a description and at least one source."""
    book = load_rules()
    assert {info.id for info in book.rules} == set(RuleId)
    for info in book.rules:
        assert info.description
        assert info.source


def test_shipped_sources_cite_the_nhs_pages() -> None:
    """The persistent rule cites the NHS heel pain page; long haul cites Lothian and Tayside."""
    book = load_rules()
    assert any("nhs.uk/conditions/heel-pain" in s for s in book.info(RuleId.PERSISTENT).source)
    long_haul = " ".join(book.info(RuleId.LONG_HAUL).source)
    assert "NHS Lothian" in long_haul
    assert "NHS Tayside" in long_haul


def test_default_path_is_inside_the_package() -> None:
    """The default rules file is found next to the loader, not in the working directory."""
    assert DEFAULT_RULES_PATH.is_file()
    assert DEFAULT_RULES_PATH.parent == Path(load_rules.__code__.co_filename).parent


# --- overrides ------------------------------------------------------------------------------


def test_overrides_apply(tmp_path: Path) -> None:
    """ESCALATION_PAIN_THRESHOLD and ESCALATION_DAYS replace the file's numbers."""
    book = load_rules(write(tmp_path, VALID), threshold=5, days=21)
    assert (book.config.threshold, book.config.persistent_days) == (5, 21)


def test_no_overrides_keep_file_values(tmp_path: Path) -> None:
    """Without overrides, the file's numbers are used."""
    text = edit("persistent_days: 14", "persistent_days: 10")
    assert load_rules(write(tmp_path, text)).config.persistent_days == 10


def test_bad_override_is_refused(tmp_path: Path) -> None:
    """An override outside its range raises rather than being ignored."""
    with pytest.raises(ValueError, match="threshold"):
        load_rules(write(tmp_path, VALID), threshold=0)


def test_urgency_from_the_file_reaches_the_engine(tmp_path: Path) -> None:
    """A reviewer's change of urgency changes the config the engine uses."""
    text = edit("id: severe\n    urgency: soon", "id: severe\n    urgency: urgent")
    book = load_rules(write(tmp_path, text))
    assert book.config.urgency[RuleId.SEVERE] is Urgency.URGENT
    assert book.info(RuleId.SEVERE).urgency is Urgency.URGENT


def test_source_list_is_kept(tmp_path: Path) -> None:
    """A list of sources is kept in order."""
    book = load_rules(write(tmp_path, VALID))
    assert book.info(RuleId.DIABETES).source == ("Diabetes UK", "NHS heel pain")


# --- broken files ---------------------------------------------------------------------------


def test_unknown_setting_is_reported_at_its_line(tmp_path: Path) -> None:
    """A misspelt setting is named with file:line."""
    text = edit("  severe_days: 3", "  severe_days: 3\n  sevre_score: 7")
    assert_reported(tmp_path, text, "sevre_score", "unknown key 'sevre_score'")


def test_missing_setting_is_reported(tmp_path: Path) -> None:
    """A missing number is reported at the settings block."""
    text = edit("  cooldown_days: 7\n", "")
    assert_reported(tmp_path, text, "settings:", "settings is missing 'cooldown_days'")


def test_wrong_type_is_reported(tmp_path: Path) -> None:
    """A word where a number belongs is reported at its line."""
    text = edit("severe_days: 3", "severe_days: three")
    assert_reported(tmp_path, text, "severe_days", "severe_days must be a whole number")


def test_bool_is_not_a_number(tmp_path: Path) -> None:
    """`yes` is not accepted as a number."""
    text = edit("red_flag_jump: 3", "red_flag_jump: yes")
    assert_reported(tmp_path, text, "red_flag_jump", "red_flag_jump must be a whole number")


def test_score_out_of_range_is_reported(tmp_path: Path) -> None:
    """A score threshold above 10 is reported."""
    text = edit("severe_score: 7", "severe_score: 11")
    assert_reported(tmp_path, text, "severe_score", "severe_score must be 1 to 10, got 11")


def test_days_below_one_are_reported(tmp_path: Path) -> None:
    """A number of days below 1 is reported."""
    text = edit("long_haul_days: 90", "long_haul_days: 0")
    assert_reported(tmp_path, text, "long_haul_days", "long_haul_days must be at least 1")


def test_unknown_urgency_is_reported(tmp_path: Path) -> None:
    """An urgency that is not one of the five is reported with the allowed values."""
    text = edit("urgency: soon", "urgency: asap")
    assert_reported(tmp_path, text, "urgency: asap", "unknown urgency 'asap' (allowed: emergency")


def test_missing_source_is_reported(tmp_path: Path) -> None:
    """A rule without a source is reported at the rule."""
    text = edit("    source: NHS Lothian\n", "")
    assert_reported(tmp_path, text, "id: long_haul", "rule 'long_haul' is missing 'source'")


def test_empty_source_is_reported(tmp_path: Path) -> None:
    """A source key with nothing after it is reported at its line."""
    text = edit("    source: NHS Lothian", "    source:")
    line = line_of(text, "Three months") + 1
    assert_at(tmp_path, text, line, "source must not be empty: every rule needs a source")


def test_empty_item_in_source_list_is_reported(tmp_path: Path) -> None:
    """A blank entry in a list of sources is reported."""
    text = edit("source: [Diabetes UK, NHS heel pain]", "source: [Diabetes UK, '']")
    assert_reported(tmp_path, text, "Diabetes UK", "source #2 must be non-empty text")


def test_unknown_rule_key_is_reported(tmp_path: Path) -> None:
    """A misspelt key in a rule is reported at its line."""
    text = edit("    source: NHS Lothian", "    source: NHS Lothian\n    sorce: typo")
    assert_reported(tmp_path, text, "sorce", "unknown key 'sorce' in rule 'long_haul'")


def test_unknown_rule_id_is_reported(tmp_path: Path) -> None:
    """A rule the engine does not know is reported."""
    text = VALID + "  - id: chilblains\n    urgency: soon\n    description: x\n    source: y\n"
    assert_reported(tmp_path, text, "chilblains", "unknown id 'chilblains'")


def test_duplicate_rule_is_reported(tmp_path: Path) -> None:
    """A rule listed twice is reported at the second, pointing to the first."""
    extra = "  - id: severe\n    urgency: urgent\n    description: x\n    source: y\n"
    text = VALID + extra
    first = line_of(VALID, "id: severe")
    assert_at(tmp_path, text, len(VALID.splitlines()) + 1, f"first at line {first}")


def test_missing_rule_is_reported(tmp_path: Path) -> None:
    """Every rule must be in the file."""
    text = edit(
        "  - id: worsening\n    urgency: routine\n    description: Getting worse.\n"
        "    source: NHS heel pain\n",
        "",
    )
    assert_reported(tmp_path, text, "rules:", "rule 'worsening' is missing")


def test_bad_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    """A YAML syntax error names its line."""
    text = edit("  severe_days: 3", "  severe_days: [3")
    found = problems(tmp_path, text)
    assert len(found) == 1
    assert found[0].startswith(f"{tmp_path / 'rules.yaml'}:")
    assert "bad YAML" in found[0]


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    """A file holding a list is refused."""
    found = problems(tmp_path, "- threshold: 4\n")
    message = "top level must be a mapping with settings and rules, got list"
    assert found == [f"{tmp_path / 'rules.yaml'}:1: {message}"]


def test_unknown_top_level_key_is_reported(tmp_path: Path) -> None:
    """A stray top-level key is reported at its line."""
    text = VALID + "thresholds: 4\n"
    assert_reported(tmp_path, text, "thresholds:", "unknown key 'thresholds'")


def test_missing_file_is_reported(tmp_path: Path) -> None:
    """A missing file (bad ESCALATION_RULES) is refused with its name."""
    with pytest.raises(ContentError, match="cannot read file"):
        load_rules(tmp_path / "nope.yaml")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    """Several mistakes give several problems, each with its own line."""
    text = edit("threshold: 4", "threshold: 0")
    text = text.replace("urgency: advice", "urgency: later")
    text = text.replace("severe_days: 3", "severe_days: -1")
    found = problems(tmp_path, text)
    lines = [line_of(text, "threshold"), line_of(text, "severe_days"), line_of(text, "later")]
    assert found == [
        f"{tmp_path / 'rules.yaml'}:{lines[0]}: threshold must be 1 to 10, got 0",
        f"{tmp_path / 'rules.yaml'}:{lines[1]}: severe_days must be at least 1, got -1",
        f"{tmp_path / 'rules.yaml'}:{lines[2]}: unknown urgency 'later' (allowed: "
        "emergency, urgent, soon, routine, advice)",
    ]


# --- only as cautious as shipped, or more ---------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        (
            "threshold: 4",
            "threshold: 5",
            "threshold must be at most the shipped 4, got 5: FootCare may only be configured "
            "to be more cautious than it ships",
        ),
        ("persistent_days: 14", "persistent_days: 15", "persistent_days must be at most"),
        ("improvement_delta: 2.0", "improvement_delta: 1.5", "improvement_delta must be at least"),
        ("long_haul_days: 90", "long_haul_days: 365", "long_haul_days must be at most"),
        ("recurrence_window: 90", "recurrence_window: 60", "recurrence_window must be at least"),
        ("red_flag_repeat_days: 3", "red_flag_repeat_days: 7", "red_flag_repeat_days must be"),
        ("cooldown_days: 7", "cooldown_days: 30", "cooldown_days must be at most"),
        ("diabetes_score: 4", "diabetes_score: 6", "diabetes_score must be at most"),
        (
            "worsening_window: 7",
            "worsening_window: 5",
            "worsening_window must be the shipped 7, got 5: neither way is safer",
        ),
    ],
)
def test_a_less_cautious_number_stops_the_load_at_its_line(
    tmp_path: Path, before: str, after: str, message: str
) -> None:
    """A valid number that makes FootCare speak later than it ships is refused at its line."""
    text = edit(before, after)
    assert_reported(tmp_path, text, after, message)


def test_more_cautious_numbers_are_accepted(tmp_path: Path) -> None:
    """A lower threshold, fewer days and a bigger improvement needed all load."""
    text = edit("threshold: 4", "threshold: 3")
    text = text.replace("persistent_days: 14", "persistent_days: 7")
    text = text.replace("improvement_delta: 2.0", "improvement_delta: 3.0")
    config = load_rules(write(tmp_path, text)).config
    assert (config.threshold, config.persistent_days, config.improvement_delta) == (3, 7, 3.0)


def test_a_lowered_urgency_stops_the_load_at_its_line(tmp_path: Path) -> None:
    """An emergency made 'soon' in the rules file is refused, naming the file and line."""
    text = edit(
        "id: red_flag_emergency\n    urgency: emergency",
        "id: red_flag_emergency\n    urgency: soon",
    )
    found = problems(tmp_path, text)
    line = text.splitlines().index("    urgency: soon") + 1
    assert found == [
        f"{tmp_path / 'rules.yaml'}:{line}: urgency of red_flag_emergency must be emergency or "
        "more urgent (as shipped), got soon: FootCare may only be configured to be more "
        "cautious than it ships"
    ]


def test_a_raised_urgency_is_accepted(tmp_path: Path) -> None:
    """Making a rule more urgent than it ships is allowed."""
    text = edit("id: long_haul\n    urgency: advice", "id: long_haul\n    urgency: routine")
    assert load_rules(write(tmp_path, text)).config.urgency[RuleId.LONG_HAUL] is Urgency.ROUTINE
