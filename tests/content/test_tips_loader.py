"""Tests for loading the tips folder and reporting every problem with file:line."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from bot.content.tips import MAX_TIP_CHARS, load_tips
from bot.content.tips_cli import default_tips_dir
from bot.content.yamlfile import ContentError
from bot.core.tips import LOADING, PainRange, Source

# A valid source in flow style, for tips written inline.
SRC = "{title: NHS, url: https://www.nhs.uk/}"


def tip_yaml(tip_id: str = "rest-feet", *, topic: str = "rest", extra: str = "") -> str:
    """Return one valid tip as a YAML list item, with optional extra lines."""
    return textwrap.dedent(f"""\
        - id: {tip_id}
          topic: {topic}
          tags: [rest]
          text:
            en: Sit down and rest your feet for ten minutes.
            zh: 坐下来，让双脚休息十分钟。
          source: "NHS: Heel pain - https://www.nhs.uk/conditions/heel-pain/"
        """) + textwrap.indent(textwrap.dedent(extra), "  ")


@pytest.fixture
def tips_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a relative, empty `tips` folder so reports read `tips/x.yaml:N`."""
    monkeypatch.chdir(tmp_path)
    directory = Path("tips")
    directory.mkdir()
    return directory


def write(directory: Path, name: str, text: str) -> None:
    (directory / name).write_text(textwrap.dedent(text), encoding="utf-8")


def problems(directory: Path) -> list[str]:
    """Return every problem load_tips reports, as `file:line: message` strings."""
    with pytest.raises(ContentError) as caught:
        load_tips(directory)
    return [str(problem) for problem in caught.value.problems]


def test_valid_folder_loads_all_tips_in_file_order(tips_dir: Path) -> None:
    """Tips come back in sorted-file order, then item order, with their fields."""
    write(tips_dir, "b.yaml", tip_yaml("b-one", topic="footwear"))
    write(
        tips_dir, "a.yaml", tip_yaml("a-one") + tip_yaml("a-two", extra="suits: {min: 4, max: 10}")
    )
    tips = load_tips(tips_dir)
    assert tips.ids == ("a-one", "a-two", "b-one")
    assert tips.by_id("a-two") is not None
    assert tips.tips[1].suits == PainRange(4, 10)
    assert tips.tips[0].suits is None
    assert tips.tips[0].tags == ("rest",)
    assert list(tips.topics()) == ["rest", "footwear"]


def test_folded_text_is_stripped(tips_dir: Path) -> None:
    """A folded `>` text loses its trailing newline."""
    write(
        tips_dir,
        "a.yaml",
        """\
        - id: a
          topic: rest
          tags: []
          text:
            en: >
              Rest your
              feet.
            zh: 休息一下。
          source: {SRC}
        """.replace("{SRC}", SRC),
    )
    tip = load_tips(tips_dir).tips[0]
    assert tip.text_for("en") == "Rest your feet."
    assert tip.text_for("zh") == "休息一下。"


def test_bad_yaml_is_reported_at_its_line(tips_dir: Path) -> None:
    """Broken YAML yields one problem at the line where parsing failed."""
    write(tips_dir, "a.yaml", "- id: a\n  topic: [rest\n  tags: []\n")
    reported = problems(tips_dir)
    assert len(reported) == 1
    assert reported[0].startswith("tips/a.yaml:3: bad YAML")


def test_bad_yaml_does_not_stop_checking_other_files(tips_dir: Path) -> None:
    """A file with bad YAML is reported and the next file is still checked."""
    write(tips_dir, "a.yaml", "- id: a\n  topic: [rest\n")
    write(tips_dir, "b.yaml", tip_yaml("b", extra="colour: red\n"))
    reported = problems(tips_dir)
    assert [line.split(":")[0] for line in reported] == ["tips/a.yaml", "tips/b.yaml"]
    assert "unknown key 'colour'" in reported[1]


def test_unknown_key_is_reported_at_the_key(tips_dir: Path) -> None:
    """An unknown key in a tip is reported at the key's own line."""
    write(tips_dir, "a.yaml", tip_yaml("a", extra="priority: 3\n"))
    assert problems(tips_dir) == [
        "tips/a.yaml:8: unknown key 'priority' (allowed: id, topic, tags, suits, text, source)"
    ]


def test_missing_field_is_reported_at_the_tip(tips_dir: Path) -> None:
    """A tip without a source is reported at the line where the tip starts."""
    write(
        tips_dir,
        "a.yaml",
        tip_yaml("a") + "- id: b\n  topic: rest\n  tags: []\n  text: {en: Hi, zh: 你好}\n",
    )
    assert problems(tips_dir) == ["tips/a.yaml:8: tip #2 is missing 'source'"]


def test_missing_english_text_is_reported(tips_dir: Path) -> None:
    """A text mapping without `en` is reported at the `text` key."""
    write(
        tips_dir,
        "a.yaml",
        "- id: a\n  topic: rest\n  tags: []\n  text:\n    zh: 休息\n  source: " + SRC + "\n",
    )
    assert problems(tips_dir) == ["tips/a.yaml:4: text is missing 'en'"]


def test_duplicate_id_across_files_names_the_first(tips_dir: Path) -> None:
    """A second use of an id is reported there and points at the first."""
    write(tips_dir, "a.yaml", tip_yaml("rest-feet"))
    write(tips_dir, "b.yaml", tip_yaml("other") + tip_yaml("rest-feet"))
    assert problems(tips_dir) == [
        "tips/b.yaml:8: duplicate id 'rest-feet' (first at tips/a.yaml:1)"
    ]


def test_id_that_is_not_a_slug_is_reported(tips_dir: Path) -> None:
    """Ids must be lowercase words joined by single dashes."""
    write(tips_dir, "a.yaml", tip_yaml("Rest_Feet"))
    assert problems(tips_dir) == [
        "tips/a.yaml:1: id 'Rest_Feet' is not a slug (lowercase-words-with-dashes)"
    ]


def test_over_long_text_is_reported_at_the_language(tips_dir: Path) -> None:
    """Text over MAX_TIP_CHARS is reported at its language key with its length."""
    long_text = "a" * (MAX_TIP_CHARS + 1)
    write(
        tips_dir,
        "a.yaml",
        f"- id: a\n  topic: rest\n  tags: []\n  text:\n    en: {long_text}\n    zh: 休息\n"
        f"  source: {SRC}\n",
    )
    assert problems(tips_dir) == [
        f"tips/a.yaml:5: text.en is {MAX_TIP_CHARS + 1} characters, over {MAX_TIP_CHARS}"
    ]


def test_text_of_exactly_the_limit_is_accepted(tips_dir: Path) -> None:
    """Text of exactly MAX_TIP_CHARS characters loads."""
    text = "a" * MAX_TIP_CHARS
    write(
        tips_dir,
        "a.yaml",
        f"- id: a\n  topic: rest\n  tags: []\n  text: {{en: {text}, zh: 休息}}\n  source: {SRC}\n",
    )
    assert len(load_tips(tips_dir).tips[0].text_for()) == MAX_TIP_CHARS


def test_unknown_language_is_reported(tips_dir: Path) -> None:
    """Only the supported languages may appear under text."""
    write(
        tips_dir,
        "a.yaml",
        "- id: a\n  topic: rest\n  tags: []\n  text:\n    en: Hi\n    fr: Salut\n    zh: 你好\n"
        + f"  source: {SRC}\n",
    )
    assert problems(tips_dir) == ["tips/a.yaml:6: unknown language 'fr' (allowed: en, zh)"]


def zh_tip(zh_line: str) -> str:
    """Return one tip whose text ends with zh_line (on line 6), e.g. `zh: 休息`."""
    return (
        f"- id: a\n  topic: rest\n  tags: []\n  text:\n    en: Hi\n    {zh_line}\n  source: {SRC}\n"
    )


def test_missing_chinese_text_is_reported_at_the_text_key(tips_dir: Path) -> None:
    """A tip with English only is reported at its `text` key: every tip ships in both."""
    write(
        tips_dir,
        "a.yaml",
        "- id: a\n  topic: rest\n  tags: []\n  text:\n    en: Hi\n  source: " + SRC + "\n",
    )
    assert problems(tips_dir) == ["tips/a.yaml:4: text is missing 'zh'"]


def test_text_with_no_language_reports_both(tips_dir: Path) -> None:
    """An empty text mapping misses both languages, each reported at the `text` key."""
    write(tips_dir, "a.yaml", "- id: a\n  topic: rest\n  tags: []\n  text: {}\n  source: " + SRC)
    assert problems(tips_dir) == [
        "tips/a.yaml:4: text is missing 'en'",
        "tips/a.yaml:4: text is missing 'zh'",
    ]


@pytest.mark.parametrize(
    ("zh_line", "message"),
    [
        ("zh:", "text.zh must not be empty"),
        ('zh: ""', "text.zh must not be empty"),
        ('zh: "   "', "text.zh must not be empty"),
        # Ideographic spaces (U+3000), the blank a Chinese keyboard types, are blank too.
        ('zh: "\u3000\u3000"', "text.zh must not be empty"),
        ("zh: 3", "text.zh must be text, got int"),
        ("zh: [休息]", "text.zh must be text, got list"),
        ("zh: Sit down and rest.", "text.zh has no Chinese characters: is it translated?"),
    ],
)
def test_bad_chinese_text_is_reported_at_its_line(
    tips_dir: Path, zh_line: str, message: str
) -> None:
    """An empty, blank, non-text or untranslated `zh` is reported at the `zh` line."""
    write(tips_dir, "a.yaml", zh_tip(zh_line))
    assert problems(tips_dir) == [f"tips/a.yaml:6: {message}"]


def test_empty_chinese_text_in_a_later_tip_names_its_own_line(tips_dir: Path) -> None:
    """The line is the `zh` key of the tip at fault, not the file's first tip."""
    second = tip_yaml("b").replace("zh: 坐下来，让双脚休息十分钟。", "zh:   ")
    write(tips_dir, "a.yaml", tip_yaml("a") + second)
    assert problems(tips_dir) == ["tips/a.yaml:13: text.zh must not be empty"]


def test_empty_english_text_is_reported_at_its_line(tips_dir: Path) -> None:
    """The same rule holds for `en`."""
    write(
        tips_dir,
        "a.yaml",
        "- id: a\n  topic: rest\n  tags: []\n  text:\n    en: ' '\n    zh: 你好\n  source: " + SRC,
    )
    assert problems(tips_dir) == ["tips/a.yaml:5: text.en must not be empty"]


@pytest.mark.parametrize("key", ["zh-hans", "zh_CN", "zh-Hans", "ZH", "cn"])
def test_misspelt_chinese_key_is_unknown_and_zh_missing(tips_dir: Path, key: str) -> None:
    """A near-miss for `zh` is an unknown language at its line, and `zh` is still missing."""
    write(tips_dir, "a.yaml", zh_tip(f"{key}: 你好"))
    assert problems(tips_dir) == [
        "tips/a.yaml:4: text is missing 'zh'",
        f"tips/a.yaml:6: unknown language {key!r} (allowed: en, zh)",
    ]


def test_over_long_chinese_text_is_reported(tips_dir: Path) -> None:
    """Chinese text has the same limit as English, counted in characters."""
    write(tips_dir, "a.yaml", zh_tip("zh: " + "休" * (MAX_TIP_CHARS + 1)))
    assert problems(tips_dir) == [
        f"tips/a.yaml:6: text.zh is {MAX_TIP_CHARS + 1} characters, over {MAX_TIP_CHARS}"
    ]


def test_chinese_text_of_exactly_the_limit_is_accepted(tips_dir: Path) -> None:
    """Chinese text of exactly MAX_TIP_CHARS characters loads."""
    write(tips_dir, "a.yaml", zh_tip("zh: " + "休" * MAX_TIP_CHARS))
    assert load_tips(tips_dir).tips[0].text_for("zh") == "休" * MAX_TIP_CHARS


def test_empty_topic_is_reported(tips_dir: Path) -> None:
    """A topic key with no value is reported at its line."""
    write(
        tips_dir,
        "a.yaml",
        "- id: a\n  topic:\n  tags: []\n  text: {en: Hi, zh: 你好}\n  source: " + SRC + "\n",
    )
    assert problems(tips_dir) == ["tips/a.yaml:2: topic must not be empty"]


def test_blank_source_is_reported(tips_dir: Path) -> None:
    """A source of only spaces counts as empty."""
    write(
        tips_dir,
        "a.yaml",
        '- id: a\n  topic: rest\n  tags: []\n  text: {en: Hi, zh: 你好}\n  source: "  "\n',
    )
    assert problems(tips_dir) == ["tips/a.yaml:5: source must not be empty"]


def test_wrong_type_is_reported(tips_dir: Path) -> None:
    """Tags given as a string instead of a list are reported."""
    write(
        tips_dir,
        "a.yaml",
        "- id: a\n  topic: rest\n  tags: rest\n  text: {en: Hi, zh: 你好}\n  source: " + SRC + "\n",
    )
    assert problems(tips_dir) == ["tips/a.yaml:3: tags must be a list of strings, got str"]


@pytest.mark.parametrize(
    ("suits", "message"),
    [
        ("{min: 4, max: 11}", "8: suits.max must be a whole number 0-10, got 11"),
        ("{min: 4.5, max: 10}", "8: suits.min must be a whole number 0-10, got 4.5"),
        ("{min: 7, max: 3}", "8: suits.min 7 is above suits.max 3"),
        ("{min: 1}", "8: suits is missing 'max'"),
        ("{min: 1, max: 2, when: daily}", "8: unknown key 'when' in suits (allowed: min, max)"),
        ("[4, 10]", "8: suits must be a mapping {min, max}, got list"),
    ],
)
def test_bad_suits_is_reported(tips_dir: Path, suits: str, message: str) -> None:
    """Every kind of bad pain range is reported at the suits line."""
    write(tips_dir, "a.yaml", tip_yaml("a", extra=f"suits: {suits}\n"))
    assert problems(tips_dir) == [f"tips/a.yaml:{message}"]


def test_top_level_not_a_list_is_reported(tips_dir: Path) -> None:
    """A file holding one mapping instead of a list is reported at line 1."""
    write(tips_dir, "a.yaml", "id: a\ntopic: rest\n")
    assert problems(tips_dir) == ["tips/a.yaml:1: top level must be a list of tips, got dict"]


def test_item_not_a_mapping_is_reported(tips_dir: Path) -> None:
    """A list item that is a plain string is reported at its line."""
    write(tips_dir, "a.yaml", tip_yaml("a") + "- just some text\n")
    assert problems(tips_dir) == ["tips/a.yaml:8: tip #2 must be a mapping, got str"]


def test_empty_directory_is_reported(tips_dir: Path) -> None:
    """A folder without tip files is one problem on the folder."""
    assert problems(tips_dir) == ["tips:0: no *.yaml tip files found"]


def test_files_without_tips_are_reported(tips_dir: Path) -> None:
    """A folder whose files hold only empty lists has no tips, which is a problem."""
    write(tips_dir, "a.yaml", "[]\n")
    assert problems(tips_dir) == ["tips:0: no tips found"]


def test_yml_file_is_reported_as_ignored(tips_dir: Path) -> None:
    """A .yml file would be skipped silently, so it is reported."""
    write(tips_dir, "a.yaml", tip_yaml("a"))
    write(tips_dir, "b.yml", tip_yaml("b"))
    assert problems(tips_dir) == ["tips/b.yml:1: ignored: tip files must end in .yaml"]


def test_every_problem_in_the_set_is_reported_at_once(tips_dir: Path) -> None:
    """Problems from several tips and files all come back together, sorted."""
    write(tips_dir, "a.yaml", tip_yaml("a", extra="colour: red\n") + "- id: b\n  topic: rest\n")
    write(tips_dir, "b.yaml", tip_yaml("a"))
    write(tips_dir, "c.yaml", "{not: [closed\n")
    reported = problems(tips_dir)
    assert reported == [
        "tips/a.yaml:8: unknown key 'colour' (allowed: id, topic, tags, suits, text, source)",
        "tips/a.yaml:9: tip #2 is missing 'source'",
        "tips/a.yaml:9: tip #2 is missing 'tags'",
        "tips/a.yaml:9: tip #2 is missing 'text'",
        "tips/b.yaml:1: duplicate id 'a' (first at tips/a.yaml:1)",
        "tips/c.yaml:2: bad YAML: expected ',' or ']', but got '<stream end>'",
    ]


def test_shipped_tips_load_with_sources() -> None:
    """The repository's tips/ folder loads, holds at least 60 tips, each with a source URL."""
    tips = load_tips(default_tips_dir())
    assert len(tips) >= 60
    assert all(tip.source.title and tip.source.url.startswith("https://") for tip in tips.tips)


def test_shipped_tips_never_say_doctor_or_give_doses() -> None:
    """The word 'doctor' is kept for escalations, and no tip gives a medicine dose."""
    dose = re.compile(r"\d+\s*(mg|milligram|ml|tablet|pill)", re.IGNORECASE)
    for tip in load_tips(default_tips_dir()).tips:
        text = tip.text_for("en")
        assert "doctor" not in text.lower(), tip.id
        assert not dose.search(text), tip.id


HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_shipped_tip_has_english_and_chinese_text() -> None:
    """Each shipped tip has exactly `en` and `zh`, both non-empty, the Chinese really Chinese."""
    tips = load_tips(default_tips_dir())
    assert len(tips) >= 60
    for tip in tips.tips:
        assert set(tip.text) == {"en", "zh"}, tip.id
        assert tip.text["en"].strip(), tip.id
        assert tip.text["zh"].strip(), tip.id
        assert HAN.search(tip.text_for("zh")), tip.id
        assert tip.text_for("zh") != tip.text_for("en"), tip.id


# 医生 is the Chinese for "doctor"; 大夫 and 医师 say the same, so they are kept out too.
RESERVED_ZH = ("医生", "大夫", "医师")
ZH_DOSE = re.compile(r"\d+\s*(mg|ml|毫克|毫升|克|片|粒|颗|次/日)", re.IGNORECASE)


def test_shipped_chinese_tips_never_say_doctor_or_give_doses() -> None:
    """医生 is kept for escalations, as 'doctor' is in English, and no tip gives a dose."""
    for tip in load_tips(default_tips_dir()).tips:
        text = tip.text_for("zh")
        for word in RESERVED_ZH:
            assert word not in text, (tip.id, word)
        assert not ZH_DOSE.search(text), tip.id


# The glossary in docs/clinical/tips.md ("Chinese terms"): where the English says the first,
# the Chinese says the second, in every tip.
ZH_TERMS = {
    r"\bGP\b": "全科诊所",
    r"\bemergency department\b": "急诊",
    r"\bphysiotherapist\b": "物理治疗师",
    r"\bpodiatrist\b": "足病诊疗师",
    r"\bpharmacist\b": "药剂师",
    r"\bAchilles\b": "跟腱",
    r"\bplantar fascia\b": "足底筋膜",
    r"\bpain under the heel\b": "脚跟底部疼痛",
    r"\bheel pain\b": "脚跟痛",
    r"\bback of (the|your) heel\b": "脚跟后侧",
    r"\bdiabetes\b": "糖尿病",
    r"\bNHS\b": "NHS",
    # A foot that is hot to the touch; 发热 would read as a fever.
    r"\b(hot|heat),? (red|or|swelling)": "摸起来发烫",
    r"\bout-of-hours\b": "非工作时间医疗服务",
}
# Other words for the same things, which would make one idea look like two.
ZH_AVOIDED = (
    "理疗师",
    "足科",
    "足病医",
    "药师",
    "跟腱炎",
    "跖筋膜",
    "足跟",
    "急症",
    "急救室",
    "发热",
)


def test_shipped_chinese_tips_use_the_glossary_terms() -> None:
    """Each English term is always rendered by the same Chinese term, never a synonym."""
    for tip in load_tips(default_tips_dir()).tips:
        english, chinese = tip.text_for("en"), tip.text_for("zh")
        for pattern, term in ZH_TERMS.items():
            if re.search(pattern, english, re.IGNORECASE):
                assert term in chinese, (tip.id, term)
        for word in ZH_AVOIDED:
            assert word not in chinese, (tip.id, word)


def test_shipped_chinese_tips_keep_the_numbers() -> None:
    """Every figure in the English (days, minutes, hours, weeks) is in the Chinese, unchanged."""
    for tip in load_tips(default_tips_dir()).tips:
        english = sorted(re.findall(r"\d+", tip.text_for("en")))
        assert sorted(re.findall(r"\d+", tip.text_for("zh"))) == english, tip.id


def test_source_as_title_and_url_loads(tips_dir: Path) -> None:
    """The mapping form gives the tip a title and a URL; the label joins them."""
    write(
        tips_dir,
        "a.yaml",
        """\
        - id: a
          topic: rest
          tags: [rest]
          text: {en: Rest., zh: 休息。}
          source:
            title: "NHS: Heel pain"
            url: https://www.nhs.uk/conditions/heel-pain/
        """,
    )
    [tip] = load_tips(tips_dir).tips
    assert tip.source == Source("NHS: Heel pain", "https://www.nhs.uk/conditions/heel-pain/")
    assert tip.source.label == "NHS: Heel pain - https://www.nhs.uk/conditions/heel-pain/"


def test_one_line_source_with_url_still_loads(tips_dir: Path) -> None:
    """The older `Title - URL` string form is split into title and URL."""
    write(tips_dir, "a.yaml", tip_yaml("a"))
    [tip] = load_tips(tips_dir).tips
    assert tip.source == Source("NHS: Heel pain", "https://www.nhs.uk/conditions/heel-pain/")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("NHS", "5: source has no URL: give it as {title: ..., url: https://...}"),
        (
            '"Heel pain after exercise (the article FootCare is based on)"',
            "5: source has no URL: give it as {title: ..., url: https://...}",
        ),
        ("{title: NHS}", "5: source has no URL: give it as {title: ..., url: https://...}"),
        ("{title: NHS, url: }", "5: source has no URL: give it as {title: ..., url: https://...}"),
        (
            "{title: NHS, url: www.nhs.uk}",
            "5: source.url must be an http(s) address, got 'www.nhs.uk'",
        ),
        ("{url: https://www.nhs.uk/}", "5: source is missing 'title'"),
        (
            "{title: NHS, url: https://www.nhs.uk/, page: 2}",
            "5: unknown key 'page' in source (allowed: title, url)",
        ),
        ("[NHS, https://www.nhs.uk/]", "5: source must be a mapping {title, url}, got list"),
    ],
)
def test_source_without_a_url_is_reported(tips_dir: Path, source: str, message: str) -> None:
    """A source must name the page by URL; every way of getting it wrong is at the source line."""
    write(
        tips_dir,
        "a.yaml",
        f"- id: a\n  topic: rest\n  tags: []\n  text: {{en: Hi, zh: 你好}}\n  source: {source}\n",
    )
    assert problems(tips_dir) == [f"tips/a.yaml:{message}"]


def test_url_on_its_own_line_is_reported_there(tips_dir: Path) -> None:
    """In block style, a bad URL is reported at the url line, not the source line."""
    write(
        tips_dir,
        "a.yaml",
        """\
        - id: a
          topic: rest
          tags: []
          text: {en: Hi, zh: 你好}
          source:
            title: NHS
            url: nhs.uk/conditions/heel-pain
        """,
    )
    assert problems(tips_dir) == [
        "tips/a.yaml:7: source.url must be an http(s) address, got 'nhs.uk/conditions/heel-pain'"
    ]


@pytest.mark.parametrize(
    ("topic", "tags", "named"),
    [
        ("load", "[running, prevention]", "'running'"),
        ("load", "[jumping]", "'jumping'"),
        ("load", "[heel-raises, loading]", "'heel-raises', 'loading'"),
        ("load", "[return-to-sport]", "'return-to-sport'"),
        ("strengthening", "[achilles]", "'strengthening'"),
        ("strengthening", "[strengthening]", "'strengthening'"),
    ],
)
def test_loading_tip_without_a_range_is_reported(
    tips_dir: Path, topic: str, tags: str, named: str
) -> None:
    """A running, jumping or loading tip (by tag or topic) must say which pain it suits."""
    write(tips_dir, "a.yaml", tip_yaml("rest-first"))
    write(
        tips_dir,
        "b.yaml",
        f"- id: b\n  topic: {topic}\n  tags: {tags}\n  text: {{en: Go., zh: 走。}}\n"
        f"  source: {SRC}\n",
    )
    assert problems(tips_dir) == [
        f"tips/b.yaml:1: loading tip ({named}) has no suits range: "
        "add e.g. suits: {min: 0, max: 3}"
    ]


def test_loading_tip_with_a_range_loads(tips_dir: Path) -> None:
    """With a range, a running tip is fine."""
    write(
        tips_dir,
        "a.yaml",
        tip_yaml("rest-first")
        + tip_yaml("run", extra="suits: {min: 0, max: 3}\n").replace(
            "tags: [rest]", "tags: [running]"
        ),
    )
    tips = load_tips(tips_dir)
    assert tips.by_id("run") is not None


@pytest.mark.parametrize("tag", ["cold", "no-diabetes"])
def test_set_with_no_tip_for_everyone_is_reported(tips_dir: Path, tag: str) -> None:
    """Every tip ranged, cold or kept from diabetes would leave a user in pain (or who may
    have diabetes) with nothing."""
    write(
        tips_dir,
        "a.yaml",
        tip_yaml("low", extra="suits: {min: 0, max: 3}\n")
        + tip_yaml("ice").replace("tags: [rest]", f"tags: [rest, {tag}]"),
    )
    assert problems(tips_dir) == [
        "tips:0: no tip fits everyone: at least one needs no suits range"
        " and no 'cold' or 'no-diabetes' tag"
    ]


LOADING_WORDS = re.compile(r"\b(run|running|jump|jumping|heel raises?|strengthening)\b", re.I)
COLD_WORDS = re.compile(r"\b(ice|icy|frozen)\b|cold (drinks|water|pack)", re.I)


def test_shipped_cold_tips_are_tagged_cold() -> None:
    """Every shipped tip that uses ice or cold carries the `cold` tag (kept from diabetes)."""
    tips = load_tips(default_tips_dir())
    untagged = [t.id for t in tips.tips if COLD_WORDS.search(t.text_for()) and not t.is_cold]
    assert untagged == []
    assert len([t for t in tips.tips if t.is_cold]) >= 3


def test_shipped_tips_that_add_load_have_a_low_pain_range() -> None:
    """A shipped tip that talks about building up running, jumping or strength stops at 3.

    The rest tips that tell people to stop running are allowed at high pain; every tip the
    validator counts as loading carries a range whose maximum is at most 3.
    """
    for tip in load_tips(default_tips_dir()).tips:
        labels = {tip.topic, *tip.tags}
        if labels & LOADING:
            assert tip.suits is not None, tip.id
            assert tip.suits.max <= 3, tip.id
        elif LOADING_WORDS.search(tip.text_for()) and tip.suits is not None:
            # Mentions running only to say "stop": such a tip is for high pain.
            assert tip.suits.min >= 4, tip.id
