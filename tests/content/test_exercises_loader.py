"""The exercises file: what loads, and each content edit that would make it unsafe, as file:line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.content.exercises import DEFAULT_EXERCISES_PATH, load_exercises
from bot.content.yamlfile import ContentError
from bot.core.exercises import Kind, Site

SHIPPED = DEFAULT_EXERCISES_PATH.read_text(encoding="utf-8")
PRESCRIBE = "          - exercise: {}\n            dose: {{{}}}"
TEMPO = "tempo: {up: 3, hold: 2, down: 3}"
DOCS = Path(__file__).parents[2] / "docs" / "clinical" / "exercises.md"


def problems_after(tmp_path: Path, old: str, new: str, count: int = 1) -> list[str]:
    """Load the shipped file with `old` replaced by `new`; return the problems as text."""
    assert SHIPPED.count(old) >= count, old
    path = tmp_path / "exercises.yaml"
    path.write_text(SHIPPED.replace(old, new, count), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_exercises(path)
    return [f"{p.line}: {p.message}" for p in caught.value.problems]


def at(marker: str, message: str) -> str:
    """Return a problem as the test expects it: the shipped line of marker, then message."""
    return f"{line_of(SHIPPED, marker)}: {message}"


def line_of(text: str, marker: str, after: str = "") -> int:
    """Return the 1-based line where marker first appears (after another marker, if given)."""
    start = text.index(after) if after else 0
    return text[: text.index(marker, start)].count("\n") + 1


def test_the_shipped_programmes_load_one_per_site() -> None:
    """Three programmes, each starting gently and ending with the running stages."""
    book = load_exercises()
    assert set(book.programmes) == set(Site)
    for site in Site:
        levels = book.programme(site).levels
        assert not levels[0].loads, site
        assert levels[-1].running, site
    assert len(book.exercises) == 15


def test_an_exercise_without_a_picture_is_refused_at_its_line(tmp_path: Path) -> None:
    """No picture: the problem names the exercise's line."""
    found = problems_after(tmp_path, "    picture: seated-toe-pull\n", "")
    assert found == [
        at("- id: sole-stretch-sitting", "exercise sole-stretch-sitting has no 'picture'")
    ]


def test_a_picture_that_is_not_drawn_is_refused(tmp_path: Path) -> None:
    """A picture name the drawing code does not know."""
    found = problems_after(tmp_path, "picture: seated-toe-pull", "picture: toe-tickle")
    assert len(found) == 1
    assert "picture 'toe-tickle' is not one of: seated-toe-pull, " in found[0]


def test_an_exercise_without_a_source_is_refused(tmp_path: Path) -> None:
    """Every exercise names the page it comes from."""
    found = problems_after(tmp_path, "    source: bytes-pcn\n", "")
    assert found == [
        at("- id: sole-stretch-sitting", "exercise sole-stretch-sitting has no 'source'")
    ]


def test_a_source_missing_from_the_register_is_refused(tmp_path: Path) -> None:
    """A source id must be one of the registered pages, each with its https URL."""
    found = problems_after(tmp_path, "    dose_source: bytes-pcn\n", "    dose_source: a-blog\n")
    assert len(found) == 1
    assert found[0].startswith(at("    dose_source: bytes-pcn", "source 'a-blog' is not"))
    http = problems_after(
        tmp_path, "url: https://cuh.nhs.uk/patient-information/plantar-fasciitis", "url: http://x"
    )
    assert http == [
        at("url: https://cuh.nhs.uk", "url must be an https:// address, got 'http://x'")
    ]


def test_an_exercise_without_chinese_is_refused(tmp_path: Path) -> None:
    """Both languages always: a missing zh, or English pasted into it, is a problem."""
    zh = SHIPPED[
        SHIPPED.index("      zh:\n        name: 坐姿脚底拉伸") : SHIPPED.index(
            "  - id: calf-stretch-wall-straight"
        )
    ]
    found = problems_after(tmp_path, zh, "\n")
    assert found == [at("    text:", "text has no 'zh': every text ships in every language")]
    english = problems_after(tmp_path, "feel: 脚底有舒适的牵拉感。", "feel: A comfortable stretch.")
    assert english == [
        at(
            "feel: 脚底有舒适的牵拉感。",
            "Chinese text has no Chinese characters: is it translated?",
        )
    ]


def test_a_dose_above_what_its_source_gives_is_refused(tmp_path: Path) -> None:
    """Six sets of heel raises: Rathleff gives 3 to 5."""
    old = "dose: {schedule: every-other-day, sets: 5, reps: 8"
    found = problems_after(tmp_path, old, old.replace("sets: 5", "sets: 6"))
    assert len(found) == 1
    assert found[0].startswith(at(old, "dose.sets 6 is outside 3-5, what Goodfellow Unit"))


def test_a_dose_that_leaves_out_a_number_its_source_gives_is_refused(tmp_path: Path) -> None:
    """A stretch without its hold time, heel raises without their tempo."""
    held = problems_after(
        tmp_path, "dose: {schedule: daily, reps: 3, hold_s: 20}", "dose: {schedule: daily, reps: 3}"
    )
    assert len(held) == 1
    assert (
        "dose has no hold_s (BYTES Primary Care Network (NHS): plantar fasciitis gives 15-20)"
        in held[0]
    )
    old = "legs: one, backpack: true, tempo: {up: 3, hold: 2, down: 3}}"
    tempo = problems_after(
        tmp_path, old, "legs: one, backpack: true, tempo: {up: 1, hold: 0, down: 1}}"
    )
    assert any("tempo" in p for p in tempo)


def test_an_every_day_schedule_for_every_other_day_heel_raises_is_refused(tmp_path: Path) -> None:
    """Rathleff's 48 hours between heavy sessions cannot become daily."""
    old = "dose: {schedule: every-other-day, sets: 3, reps: 12, rm: true"
    found = problems_after(tmp_path, old, old.replace("every-other-day", "daily"))
    assert found == [
        at(
            old,
            "schedule daily is not what Goodfellow Unit: Rathleff's high-load heel raise, "
            "as taught to GPs gives",
        )
    ]


def test_the_insertional_programme_never_drops_the_heel_below_the_forefoot(tmp_path: Path) -> None:
    """A step heel drop or a stretch in the insertional programme is refused."""
    old = "          - exercise: heel-drop-floor-straight"
    found = problems_after(tmp_path, old, "          - exercise: heel-drop-step-straight")
    assert any(
        "heel-drop-step-straight takes the heel below the forefoot: not for insertional pain" in p
        for p in found
    )
    old = PRESCRIBE.format(
        "heel-raise-floor-both", "schedule: daily, sets: 2, reps: 10, legs: both"
    )
    stretch = PRESCRIBE.format("calf-stretch-wall-straight", "schedule: daily, reps: 2, hold_s: 30")
    found = problems_after(tmp_path, old, stretch)
    assert any(
        "calf-stretch-wall-straight is a stretch: not for insertional pain" in p for p in found
    )


def test_a_programme_that_starts_with_loading_is_refused(tmp_path: Path) -> None:
    """The first level of every programme is gentle: it loads nothing."""
    old = "        do:\n          - exercise: sole-stretch-sitting"
    raise_dose = "schedule: every-other-day, sets: 3, reps: 12, legs: both, " + TEMPO
    heavy = "        do:\n" + PRESCRIBE.format("heel-raise-towel", raise_dose) + "\n" + old[12:]
    found = problems_after(tmp_path, old, heavy)
    assert found == [
        at("      - id: plantar-1-stretch", "the first level must load nothing: a gentle start")
    ]


def test_achilles_loading_without_the_everyday_activities_question_is_refused(
    tmp_path: Path,
) -> None:
    """Kingston's rule is in the content check, not only in the shipped file."""
    found = problems_after(tmp_path, "        requires: [everyday-pain-free]\n", "")
    assert found == [
        at(
            "      - id: midportion-2-gentle",
            "the first Achilles level that loads must require everyday-pain-free",
        )
    ]


def test_running_without_the_walking_question_is_refused(tmp_path: Path) -> None:
    """The first running stage needs 30 minutes of pain-free brisk walking first."""
    found = problems_after(tmp_path, "    requires: [brisk-walk-30]\n", "")
    assert found == [at("  - stage: 1", "the first running stage must require brisk-walk-30")]


def test_the_word_doctor_is_kept_for_escalations(tmp_path: Path) -> None:
    """In English and in Chinese, an exercise's words never send the user to a doctor."""
    en = problems_after(
        tmp_path,
        "stop: Ease off if it hurts rather than stretches.",
        "stop: See a doctor if it hurts.",
    )
    assert en == [
        at("stop: Ease off if it hurts", "'doctor' is kept for escalations: say who else to ask")
    ]
    zh = problems_after(
        tmp_path, "stop: 如果感觉是疼痛而不是牵拉，就放松一些。", "stop: 疼就去看医生。"
    )
    assert zh == [
        at("stop: 如果感觉是疼痛而不是牵拉", "医生 is kept for escalations: say who else to ask")
    ]


def test_an_exercise_in_no_programme_is_refused(tmp_path: Path) -> None:
    """Dead content is a mistake: every exercise is prescribed somewhere."""
    old = PRESCRIBE.format("arch-roll-tin", "schedule: daily, minutes: 2, per_day: 2") + "\n"
    found = problems_after(tmp_path, old, "")
    assert found == [at("exercises:", "exercise 'arch-roll-tin' is in no programme")]


def test_min_days_needs_a_source_or_a_reason(tmp_path: Path) -> None:
    """A progression's timing is either the source's or FootCare's own, said why."""
    old = "        min_days: {days: 14, source: rathleff}"
    found = problems_after(tmp_path, old, "        min_days: {days: 7}")
    assert found == [at(old, "min_days needs either a source or `own:` with FootCare's reason")]


def test_every_problem_in_the_file_is_reported_at_once(tmp_path: Path) -> None:
    """Two mistakes far apart: both come back from one load, in file order."""
    path = tmp_path / "exercises.yaml"
    text = SHIPPED.replace("    picture: wall-calf-bent\n", "").replace(
        "        requires: [everyday-pain-free]\n", "", 1
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_exercises(path)
    assert [p.message for p in caught.value.problems] == [
        "exercise calf-stretch-wall-bent has no 'picture'",
        "the first Achilles level that loads must require everyday-pain-free",
    ]


def test_every_registered_source_is_in_the_clinical_review_page() -> None:
    """docs/clinical/exercises.md names each page the content cites, by URL."""
    documented = DOCS.read_text(encoding="utf-8")
    for source in load_exercises().sources.values():
        assert source.url in documented, source.id


# The glossary of docs/clinical/tips.md, for the words the exercises use.
ZH_TERMS = {
    r"\bAchilles\b": ("跟腱",),
    r"\bphysiotherap": ("物理治疗",),
    r"\bcalf\b": ("小腿",),
    r"\bheels?\b": ("脚跟", "踵"),  # 踵 in 提踵 and 落踵, the names of the heel raise and drop
}


def test_the_chinese_says_what_the_english_says_with_the_glossarys_words() -> None:
    """Where the English names the Achilles, the calf or the heel, the Chinese uses its term."""
    book = load_exercises()
    pairs: list[tuple[str, str, str]] = []
    for e in book.exercises:
        en, zh = e.text("en"), e.text("zh")
        pairs += [
            (e.id, a, b)
            for a, b in zip(
                (en.feel, en.stop, *en.steps), (zh.feel, zh.stop, *zh.steps), strict=True
            )
        ]
    for programme in book.programmes.values():
        pairs += [(lv.id, lv.text("en").about, lv.text("zh").about) for lv in programme.levels]
    for where, en_text, zh_text in pairs:
        for pattern, terms in ZH_TERMS.items():
            if re.search(pattern, en_text, re.IGNORECASE):
                assert any(term in zh_text for term in terms), (where, en_text, zh_text)


def test_stretches_are_the_only_exercises_that_load_nothing() -> None:
    """A rest day may keep stretches; everything else counts as load."""
    for exercise in load_exercises().exercises:
        assert exercise.loads is (exercise.kind is not Kind.STRETCH)
