"""Chinese lines of the summary wrap by display width: no line wider than its column, no Latin
word or number cut, nothing lost."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.charts.summary import columns, wrap_columns

MIXED = (
    "两只脚跟都痛，同时关节或腰背僵硬、肿胀 FootCare 2026-11-24 记录了很多很多的内容以便测试换行"
)


def test_no_line_is_wider_than_the_column_and_latin_words_stay_whole() -> None:
    lines = wrap_columns(MIXED, 20, "    ")
    assert all(columns(line) <= 20 for line in lines)
    assert "    胀 FootCare" in lines
    assert any(line.strip().startswith("2026-11-24") for line in lines)
    assert "".join(line.replace(" ", "") for line in lines) == MIXED.replace(" ", "")


def test_a_chinese_character_counts_two_columns() -> None:
    assert columns("脚") == 2
    assert columns("a脚1") == 4
    assert wrap_columns("脚" * 10, 10) == ["脚" * 5, "脚" * 5]


@given(st.text(alphabet="脚痛，ab 12-", max_size=80), st.integers(min_value=8, max_value=40))
def test_any_text_fits_and_keeps_its_characters(text: str, width: int) -> None:
    lines = wrap_columns(text, width, "  ")
    assert all(columns(line) <= width for line in lines)
    assert "".join(line.replace(" ", "") for line in lines) == text.replace(" ", "")
