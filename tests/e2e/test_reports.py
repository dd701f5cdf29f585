"""The user's own data end to end: /history, /export, /delete, the doctor summary and the
weekly summary."""

from __future__ import annotations

import csv
import io
import struct
from collections import Counter
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.clock import FakeClock
from bot.core import texts
from bot.core.callbacks import DeleteChoice, DoctorSummaryRequest, SettingsChoice, SettingsItem
from bot.core.i18n import ENGLISH as EN
from bot.core.warning_signs import RedFlag
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from tests.e2e.chat import Chat
from tests.store.helpers import outbox_rows, rows_mentioning, table_columns
from tests.web.reading import pdf_text

USER = 1201
TODAY = date(2026, 11, 24)
PNG = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Read a PNG's width and height from its IHDR chunk."""
    assert data.startswith(PNG)
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def seed_scores(bot: Runtime, scores: dict[int, int]) -> None:
    """Store check-ins `days_ago -> score` for USER."""
    for days_ago, score in scores.items():
        await bot.store.diary.record_checkin(USER, TODAY - timedelta(days=days_ago), score)


async def test_history_with_too_few_checkins_explains(bot: Runtime, sandbox: Sandbox) -> None:
    """/history with one check-in answers with text on how to start, not an empty chart."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await seed_scores(bot, {0: 3})
    [reply] = await chat.say("/history")
    assert reply.text == texts.HISTORY_TOO_SHORT
    assert reply.photo is None


async def test_history_sends_a_chart_with_caption(bot: Runtime, sandbox: Sandbox) -> None:
    """/history sends a phone-sized PNG and a caption with average and streak."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await seed_scores(bot, {0: 3, 1: 4, 2: 5, 5: 6})
    [reply] = await chat.say("/history", expect=1)
    assert reply.photo is not None
    assert png_size(reply.photo) == (1200, 675)
    assert reply.caption is not None
    assert "3" in reply.caption
    assert "doctor" not in reply.caption.lower()
    assert sandbox.calls_to("sendChatAction")


async def test_export_matches_the_stored_history(bot: Runtime, sandbox: Sandbox) -> None:
    """/export sends a CSV whose rows are exactly the seeded days."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await seed_scores(bot, {2: 5, 1: 7})
    await bot.store.diary.record_red_flags(USER, TODAY - timedelta(days=1), ["numbness"])
    await bot.store.escalations.add(
        USER, "red_flag_urgent", "urgent", TODAY - timedelta(days=1), [(TODAY, 7)]
    )
    await chat.say("/tip")
    [document] = await chat.say("/export")
    assert document.document is not None
    assert document.file_name is not None
    assert document.file_name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(document.document.decode())))
    tip_id = (await bot.store.tips.history(USER))[0].tip_id
    assert rows == [
        {"date": "2026-11-22", "pain_score": "5", "follow_up_answers": "", "tip_sent": "",
         "escalations": ""},
        {"date": "2026-11-23", "pain_score": "7", "follow_up_answers": "numbness",
         "tip_sent": "", "escalations": "red_flag_urgent (urgent)"},
        {"date": "2026-11-24", "pain_score": "", "follow_up_answers": "", "tip_sent": tip_id,
         "escalations": ""},
    ]  # fmt: skip


async def test_delete_leaves_nothing_about_the_user(bot: Runtime, sandbox: Sandbox) -> None:
    """/delete, confirmed, removes every row mentioning the user from every table."""
    chat = Chat(sandbox, USER)
    other = Chat(sandbox, USER + 1)
    await chat.onboard()
    await other.onboard()
    await chat.say("/checkin")
    await chat.score(8)
    await chat.flag(RedFlag.NUMBNESS)
    await chat.say("/tip")
    [confirm] = await chat.say("/delete")
    assert confirm.text == texts.DELETE_CONFIRM
    await chat.tap(DeleteChoice(confirm=True))
    assert chat.last().text == texts.DELETED
    leftovers = {
        f"{table}.{column}": n
        for table, columns in (await table_columns(bot.store)).items()
        for column in columns
        if (n := await rows_mentioning(bot.store, table, column, USER))
    }
    assert leftovers == {}
    assert await bot.store.users.get(USER + 1) is not None
    [welcome] = await chat.say("/start")
    assert welcome.text is not None
    assert welcome.text.startswith("Hi")


async def test_delete_can_be_called_off(bot: Runtime, sandbox: Sandbox) -> None:
    """'Keep my data' deletes nothing."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/delete")
    await chat.tap(DeleteChoice(confirm=False))
    assert chat.last().text == texts.DELETE_KEEP
    assert await bot.store.users.get(USER) is not None


async def test_doctor_summary_button_sends_png_pdf_and_csv(bot: Runtime, sandbox: Sandbox) -> None:
    """The escalation's 'Summary for your doctor' button sends a one-page PNG, the record as
    a PDF to forward, and the CSV."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/checkin")
    await chat.score(9)
    await chat.flag(RedFlag.CANNOT_BEAR_WEIGHT)
    summary, pdf, table = await chat.tap(DoctorSummaryRequest(), expect=3)
    assert summary.document is not None
    assert png_size(summary.document) == (990, 1410)
    assert pdf.document is not None
    assert pdf.document.startswith(b"%PDF")
    assert pdf.file_name == "footcare-record-2026-11-24.pdf"
    assert "FootCare record of Sam" in pdf_text(pdf.document)
    assert table.document is not None
    assert table.document.decode().startswith("date,pain_score")


async def test_weekly_summary_once_a_week_for_five_weeks(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    """Over five simulated weeks the weekly chart arrives on Sundays, except after a week
    without a single check-in: an empty chart is not sent."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.replies()
    quiet = {date(2026, 12, 7) + timedelta(days=n) for n in range(7)}  # Monday to Sunday
    weekly: dict[object, object] = {}
    for _ in range(35 * 24):
        clock.advance(timedelta(hours=1))
        if await bot.tick():
            await bot.sender.drain()
            day = clock.now().astimezone(ZoneInfo("Europe/London")).date()
            if day not in quiet:  # answered after the day's message went out
                await bot.store.diary.record_checkin(USER, day, 3)
        # Read as it goes: delivered rows are pruned after a week.
        rows = await outbox_rows(bot.store, USER)
        weekly |= {r["local_date"]: r["status"] for r in rows if r["kind"] == "weekly"}
    photos = [m for m in await chat.replies() if m.photo is not None]
    assert len(photos) == 4
    sundays = [date.fromisoformat(str(day)) for day in weekly]
    assert Counter(d.weekday() for d in sundays) == {6: 4}
    assert date(2026, 12, 13) not in sundays
    assert set(weekly.values()) == {"sent"}
    assert all(png_size(m.photo or b"") == (1200, 675) for m in photos)


async def test_weekly_summary_day_and_opt_out_in_settings(bot: Runtime, sandbox: Sandbox) -> None:
    """/settings lets a user move the weekly chart to Wednesday, then turn it off."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/settings")
    await chat.tap(SettingsChoice(SettingsItem.WEEKDAY))
    [moved] = await chat.tap(SettingsChoice(SettingsItem.WEEKDAY, 2))
    assert moved.text == texts.weekly_toggled(EN, True, 2)
    await chat.say("/settings")
    [off] = await chat.tap(SettingsChoice(SettingsItem.WEEKLY))
    assert off.text == texts.weekly_toggled(EN, False)
    user = await bot.store.users.get(USER)
    assert user is not None
    assert (user.weekly_day, user.weekly_summary) == (2, False)


async def test_export_for_a_stranger_says_nothing_is_stored(bot: Runtime, sandbox: Sandbox) -> None:
    """/export from someone who never subscribed answers in words, with no empty file."""
    [reply] = await Chat(sandbox, USER).say("/export")
    assert reply.text == texts.NOTHING_STORED
    assert reply.document is None
