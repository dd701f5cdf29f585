"""Escalations use the user's own country: its emergency number, and never another's."""

from __future__ import annotations

import pytest

from bot.core.warning_signs import RedFlag
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from tests.e2e.chat import Chat

USER = 5151


async def _emergency(sandbox: Sandbox, zone: str) -> str:
    chat = Chat(sandbox, USER)
    await chat.onboard(zone=zone)
    await chat.say("/warning")
    [reply] = await chat.flag(RedFlag.CANNOT_BEAR_WEIGHT, expect=1)
    return reply.text or ""


@pytest.mark.parametrize(
    ("zone", "present", "absent"),
    [
        ("America/New_York", ["911"], ["999", "111", "A&E"]),
        ("Europe/London", ["999", "A&E"], ["911", "112"]),
        ("Asia/Shanghai", ["120"], ["999", "911", "111"]),
        ("Etc/UTC", ["your local emergency number"], ["999", "911", "111", "112"]),
    ],
)
async def test_the_emergency_reply_names_the_users_own_number(
    bot: Runtime, sandbox: Sandbox, zone: str, present: list[str], absent: list[str]
) -> None:
    text = await _emergency(sandbox, zone)
    for words in present:
        assert words in text
    for words in absent:
        assert words not in text


async def test_an_urgent_reply_in_london_offers_111(bot: Runtime, sandbox: Sandbox) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard(zone="Europe/London")
    await chat.say("/warning")
    [reply] = await chat.flag(RedFlag.HOT_RED_SWOLLEN, expect=1)
    assert "111" in (reply.text or "")
    assert "today" in (reply.text or "")


async def test_a_country_set_by_hand_wins_over_the_zone(bot: Runtime, sandbox: Sandbox) -> None:
    """A user in Europe/London who says they live in Germany gets 112, not 999."""
    chat = Chat(sandbox, USER)
    await chat.onboard(zone="Europe/London")
    await chat.say("/country DE")
    await chat.say("/warning")
    [reply] = await chat.flag(RedFlag.CANNOT_BEAR_WEIGHT, expect=1)
    assert "112" in (reply.text or "")
    assert "999" not in (reply.text or "")
