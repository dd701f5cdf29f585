"""Tests for bot/demo.py: the terminal demo driven by a scripted reader."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterable
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.content.catalogs import packaged_catalogs
from bot.core import texts
from bot.core.i18n import ENGLISH as EN
from bot.core.i18n import Language
from bot.core.replies import Outcome
from bot.demo import BANNER, ReadLine, run_demo
from bot.features.tips import Tips
from bot.settings import Settings


def script(lines: Iterable[str | None]) -> tuple[ReadLine, list[str]]:
    """Return a reader answering with lines in order (None at the end) and its prompts."""
    pending = list(lines)
    prompts: list[str] = []

    async def read_line(prompt: str) -> str | None:
        prompts.append(prompt)
        return pending.pop(0) if pending else None

    return read_line, prompts


async def test_demo_onboarding_checkin_and_help(tmp_path: Path, clock: FakeClock) -> None:
    """The demo shows the welcome, numbered buttons, the recorded score, help and Bye."""
    read_line, prompts = script(
        ["/start", "#1", "#1", "#5", "#6", "#3", "#3", "/checkin", "#6", "/help", None]
    )
    out = io.StringIO()
    code = await run_demo(Settings(database_path=tmp_path / "demo.db"), out, read_line, clock)
    shown = out.getvalue()
    assert code == 0
    assert shown.startswith(BANNER)
    assert "bot: Hi, Alex! I'm FootCare." in shown
    assert "[#1 Europe/London]" in shown
    assert "[#1 United Kingdom]" in shown
    assert "[#5 Skip]" in shown
    assert "[#6 Skip]" in shown  # where it hurts (issue 22)
    assert "[#3 09:00]" in shown
    assert "[#3 Skip]" in shown
    assert "[#6 5]" in shown
    assert "bot (edited): Check-in for Tue 24 Nov: 5/10" in shown
    assert texts.help_text(EN).splitlines()[0] in shown
    assert shown.endswith("Bye.\n")
    assert prompts == ["> "] * 11
    assert (tmp_path / "demo.db").exists()


async def test_demo_out_of_range_button_is_answered_and_loop_goes_on(
    tmp_path: Path, clock: FakeClock
) -> None:
    """Typing #99 prints a friendly line and the demo keeps reading input."""
    read_line, prompts = script(["/start", "#99", "/help", ":quit"])
    out = io.StringIO()
    code = await run_demo(Settings(database_path=tmp_path / "demo.db"), out, read_line, clock)
    shown = out.getvalue()
    assert code == 0
    assert "(no button with that number)\n" in shown
    after = shown.split("(no button with that number)\n", 1)[1]
    assert texts.help_text(EN).splitlines()[0] in after
    assert prompts == ["> "] * 4
    assert shown.endswith("Bye.\n")


async def test_demo_button_before_any_keyboard_is_answered(
    tmp_path: Path, clock: FakeClock
) -> None:
    """Typing #1 before the bot has shown any button prints the friendly line."""
    read_line, _ = script(["#1"])
    out = io.StringIO()
    await run_demo(Settings(database_path=tmp_path / "demo.db"), out, read_line, clock)
    assert "(no button with that number)\n" in out.getvalue()


async def test_demo_shows_the_score_notice_then_the_answered_daily_message(
    tmp_path: Path, clock: FakeClock
) -> None:
    """Pressing 5 under the daily message prints the notice, then the edit keeping the tip."""
    read_line, _ = script(["/start", "#1", "#1", "#5", "#6", "#3", "#3", ":next", "#6", None])
    out = io.StringIO()
    await run_demo(Settings(database_path=tmp_path / "demo.db"), out, read_line, clock)
    after = out.getvalue().split("skipped ahead", 1)[1]
    notice = after.index("bot (notice): Recorded: 5/10")
    edited = after.index("bot (edited): Today's foot-care tip")
    assert notice < edited
    assert "Check-in for Tue 24 Nov: 5/10 (moderate). Recorded, thank you." in after[edited:]


async def test_demo_next_skips_to_the_daily_message(tmp_path: Path, clock: FakeClock) -> None:
    """':next' moves the demo clock to the daily time: one message, the tip and check-in."""
    read_line, _ = script(["/start", "#1", "#1", "#5", "#6", "#3", "#3", ":next", None])
    out = io.StringIO()
    await run_demo(Settings(database_path=tmp_path / "demo.db"), out, read_line, clock)
    shown = out.getvalue()
    assert "(skipped ahead to Tue 24 Nov 09:00 Europe/London)" in shown
    after = shown.split("skipped ahead", 1)[1]
    assert after.count("\nbot: ") == 1
    assert "bot: Today's foot-care tip" in after
    assert "How is your heel/foot pain today?" in after


async def test_demo_waits_for_a_slow_answer_before_prompting_again(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reply that takes longer than a quiet spell (the first chart loads matplotlib) is
    still printed under its own line, not after the next one."""
    original = Tips.now

    async def slow(self: Tips, user_id: int) -> Outcome:
        await asyncio.sleep(1.0)
        return await original(self, user_id)

    monkeypatch.setattr(Tips, "now", slow)
    read_line, _ = script(["/start", "#1", "#1", "#5", "#6", "#3", "#3", "/tip", ":quit"])
    out = io.StringIO()
    await run_demo(Settings(database_path=tmp_path / "demo.db"), out, read_line, clock)
    shown = out.getvalue()
    assert "bot: Today's foot-care tip" in shown
    assert shown.rstrip().endswith("Bye.")


async def test_demo_in_chinese_speaks_chinese_from_the_banner_to_bye(
    tmp_path: Path, clock: FakeClock
) -> None:
    """With language "zh" the demo user's Telegram is Chinese: the banner, /start's welcome,
    the demo's own notes and the goodbye are all Chinese."""
    zh = packaged_catalogs()[Language.ZH]
    read_line, _ = script(["/start", "#99", ":next", None])
    out = io.StringIO()
    settings = Settings(database_path=tmp_path / "demo.db")
    await run_demo(settings, out, read_line, clock, language="zh")
    shown = out.getvalue()
    assert shown.startswith(zh.gettext(BANNER))
    assert zh.gettext(BANNER) != BANNER
    assert "bot: Alex，你好！我是 FootCare。" in shown
    assert "（没有这个编号的按钮）\n" in shown
    assert "（已跳到 11月24日周二 09:00，UTC）" in shown
    assert shown.endswith("再见。\n")
