"""The shared record as a PDF: A4 pages, every block's words, text drawn literally, wrapping."""

from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader

from bot.charts.record_pdf import render_record_pdf, wrap
from bot.content.catalogs import packaged_catalogs
from bot.core.i18n import ENGLISH, Language, Translator
from bot.core.record import Facts, Note, PainChart, Record, Section, Table
from tests.charts.helpers import TODAY
from tests.web.reading import pdf_text, squash

A4_POINTS = (595, 842)  # 8.27 x 11.69 in, rounded


def record(rows: int = 3, name: str = "Sam", t: Translator = ENGLISH) -> Record:
    days = [TODAY - timedelta(days=n) for n in range(rows)]
    chart = PainChart(
        tuple((d, n % 11) for n, d in enumerate(reversed(days))),
        days[-1],
        TODAY,
        4,
        (TODAY,),
        "Daily pain",
        "a chart",
    )
    return Record(
        t,
        f"Record of {name}",
        "Self-reported record, not a clinical assessment.",
        Facts((("Name", name), ("Period", "then to now"))),
        (
            Section("pain", "Daily pain", (Facts((("Average pain", "4.2 / 10"),)), chart)),
            Section("escalations", "Escalations", (Note("Rules from NHS guidance."),)),
            Section(
                "checkins",
                "Every check-in",
                (
                    Table(
                        ("Date", "Pain"),
                        tuple((d.isoformat(), str(n % 11)) for n, d in enumerate(days)),
                    ),
                ),
            ),
        ),
        "footcare-record",
    )


def pages(data: bytes) -> list[tuple[int, int]]:
    reader = PdfReader(io.BytesIO(data))
    return [(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages]


def test_a_short_record_is_one_a4_page_with_every_word() -> None:
    data = render_record_pdf(record())
    assert data.startswith(b"%PDF")
    assert pages(data) == [A4_POINTS]
    text = squash(pdf_text(data))
    for words in (
        "Record of Sam",
        "Self-reported record, not a clinical assessment.",
        "NameSam",
        "Average pain4.2 / 10",
        "Rules from NHS guidance.",
        f"{TODAY.isoformat()}0",
        "Page 1 of 1",
    ):
        assert squash(words) in text


def test_a_long_table_flows_onto_more_pages_with_its_header() -> None:
    data = render_record_pdf(record(rows=90))
    assert len(pages(data)) >= 3
    reader = PdfReader(io.BytesIO(data))
    last = squash(reader.pages[-1].extract_text())
    assert "DatePain" in last
    assert f"Page{len(reader.pages)}of{len(reader.pages)}" in last
    text = squash(pdf_text(data))
    for n in range(90):
        assert squash(f"{(TODAY - timedelta(days=n)).isoformat()}{n % 11}") in text


def test_user_words_are_drawn_as_typed() -> None:
    for name in ("<script>alert(1)</script>", "$x^2$ & 100%"):
        assert squash(f"Record of {name}") in squash(pdf_text(render_record_pdf(record(name=name))))


def test_chinese_comes_out_in_the_bundled_font() -> None:
    t = packaged_catalogs()[Language.ZH]
    data = render_record_pdf(record(name="小明", t=t))
    assert "Recordof小明" in squash(pdf_text(data))
    assert b"NotoSansSC" in data.replace(b"-", b"")


def test_wrap_breaks_at_spaces_and_anywhere_in_chinese() -> None:
    assert wrap("aaa bbb ccc", 10, 0.8) == ["aaa bbb", "ccc"]
    assert wrap("一二三四五六七八", 10, 0.5) == ["一二三", "四五六", "七八"]
    assert wrap("x" * 25, 10, 0.8) == ["x" * 10, "x" * 10, "x" * 5]
    assert wrap("", 10, 1) == [""]
    assert wrap("a\nb", 10, 1) == ["a", "b"]
