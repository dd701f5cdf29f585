"""Tests for the `tips check` and `tips list` commands."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from bot.content.tips_cli import check, default_tips_dir, list_tips

GOOD = """\
- id: footwear-replace-worn-shoes
  topic: footwear
  tags: [footwear, plantar_fascia]
  suits: {min: 4, max: 10}
  text:
    en: >-
      Look at the heels of your everyday shoes. If the cushioning is flattened or the
      heel counter leans, replace them: worn shoes put more strain on the heel.
    zh: 看看你日常穿的鞋的鞋跟。如果缓冲被压扁或后帮歪斜，就换掉：旧鞋会加重脚跟的负担。
  source: "NHS: Heel pain - https://www.nhs.uk/conditions/heel-pain/"
- id: stretch-calf-wall
  topic: stretching
  tags: [stretching]
  text: {en: Lean against a wall to stretch your calf for 30 seconds., zh: 靠墙拉伸小腿 30 秒。}
  source: "NHS: Heel pain - https://www.nhs.uk/conditions/heel-pain/"
"""


@pytest.fixture
def tips_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a relative, empty `tips` folder so output reads `tips/x.yaml:N`."""
    monkeypatch.chdir(tmp_path)
    directory = Path("tips")
    directory.mkdir()
    return directory


def test_check_good_folder_prints_ok_and_exits_zero(tips_dir: Path) -> None:
    """A valid folder prints the tip and topic counts and exits 0."""
    (tips_dir / "a.yaml").write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    assert check(tips_dir, out) == 0
    assert out.getvalue() == "OK: 2 tips in 2 topics, all with a source URL and text in en and zh\n"


def test_check_bad_folder_prints_each_problem_and_exits_one(tips_dir: Path) -> None:
    """An invalid folder prints every problem on its own line, then a count, and exits 1."""
    (tips_dir / "a.yaml").write_text(
        GOOD.replace('  source: "NHS', '  source: ""  # "NHS'), "utf-8"
    )
    out = io.StringIO()
    assert check(tips_dir, out) == 1
    assert out.getvalue().splitlines() == [
        "tips/a.yaml:10: source must not be empty",
        "tips/a.yaml:15: source must not be empty",
        "2 problems found in tips",
    ]


def test_check_missing_folder_exits_one(tips_dir: Path) -> None:
    """A folder that does not exist is reported, not a traceback."""
    out = io.StringIO()
    assert check(tips_dir / "nowhere", out) == 1
    assert out.getvalue().startswith("tips/nowhere:0: not a directory\n")


def test_list_groups_tips_by_topic(tips_dir: Path) -> None:
    """The listing shows each topic with its count, then each tip's id, tags, suits and text."""
    (tips_dir / "a.yaml").write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    assert list_tips(tips_dir, out) == 0
    assert out.getvalue().splitlines() == [
        "footwear (1)",
        "  footwear-replace-worn-shoes  [footwear, plantar_fascia]  (suits 4-10)",
        "      Look at the heels of your everyday shoes. If the cushioning is flatte…",
        "stretching (1)",
        "  stretch-calf-wall  [stretching]",
        "      Lean against a wall to stretch your calf for 30 seconds.",
    ]


def test_list_bad_folder_prints_problems_and_exits_one(tips_dir: Path) -> None:
    """Listing an invalid folder prints its problems instead."""
    (tips_dir / "a.yaml").write_text("not: a list\n", encoding="utf-8")
    out = io.StringIO()
    assert list_tips(tips_dir, out) == 1
    assert out.getvalue() == "tips/a.yaml:1: top level must be a list of tips, got dict\n"


def test_default_tips_dir_is_the_repository_tips_folder() -> None:
    """The default folder is tips/ at the repository root, wherever the command runs."""
    directory = default_tips_dir()
    assert directory.name == "tips"
    assert (directory.parent / "pyproject.toml").is_file()


UNSAFE = """\
- id: rest-feet
  topic: rest
  tags: [rest]
  text: {en: Sit down and rest your feet., zh: 坐下来让双脚休息。}
  source: {title: "NHS: Heel pain", url: "https://www.nhs.uk/conditions/heel-pain/"}
- id: walk-run
  topic: load-and-training
  tags: [running]
  text: {en: Mix running with walking., zh: 跑步和走路交替。}
  source: {title: "NHS: Running tips", url: "https://www.nhs.uk/live-well/exercise/"}
- id: toe-scrunch
  topic: stretching
  tags: [stretching]
  text: {en: Scrunch a towel with your toes., zh: 用脚趾抓毛巾。}
  source: "Heel pain after exercise (the article FootCare is based on)"
"""


def test_check_rejects_a_source_without_url_and_a_loading_tip_without_range(
    tips_dir: Path,
) -> None:
    """`python -m bot tips check` names both problems as file:line and exits 1."""
    (tips_dir / "a.yaml").write_text(UNSAFE, encoding="utf-8")
    result = subprocess.run(
        # tips_dir is the relative `tips` folder in the test's working directory.
        [sys.executable, "-m", "bot", "tips", "check", "tips"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "tips/a.yaml:6: loading tip ('running') has no suits range: "
        "add e.g. suits: {min: 0, max: 3}",
        "tips/a.yaml:15: source has no URL: give it as {title: ..., url: https://...}",
        "2 problems found in tips",
    ]


UNTRANSLATED = """\
- id: rest-feet
  topic: rest
  tags: [rest]
  text:
    en: Sit down and rest your feet.
  source: {title: "NHS: Heel pain", url: "https://www.nhs.uk/conditions/heel-pain/"}
- id: calf-stretch
  topic: stretching
  tags: [stretching]
  text:
    en: Lean against a wall to stretch your calf.
    zh: "  "
  source: {title: "NHS: Heel pain", url: "https://www.nhs.uk/conditions/heel-pain/"}
- id: heel-pads
  topic: footwear
  tags: [footwear]
  text:
    en: Soft heel pads add cushioning.
    zh-CN: 柔软的脚跟垫能增加缓冲。
  source: {title: "NHS: Heel pain", url: "https://www.nhs.uk/conditions/heel-pain/"}
"""


def test_check_names_each_missing_or_empty_chinese_text(tips_dir: Path) -> None:
    """`python -m bot tips check` reports a missing `zh`, a blank one and a misspelt key."""
    (tips_dir / "a.yaml").write_text(UNTRANSLATED, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "tips", "check", "tips"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "tips/a.yaml:4: text is missing 'zh'",
        "tips/a.yaml:12: text.zh must not be empty",
        "tips/a.yaml:17: text is missing 'zh'",
        "tips/a.yaml:19: unknown language 'zh-CN' (allowed: en, zh)",
        "4 problems found in tips",
    ]
