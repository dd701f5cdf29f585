"""Where it hurts and which foot: the numbers on the buttons match the picture, skipping keeps
an earlier answer, both feet asks the joints sign once and its "yes" is the sign's own button."""

from __future__ import annotations

from datetime import date

from bot.charts.foot import SPOTS
from bot.clock import FakeClock
from bot.core import callbacks
from bot.core.callbacks import RedFlagAnswer, SideChoice, SiteChoice
from bot.core.i18n import ENGLISH as EN
from bot.core.outcomes import PainSite, Side
from bot.core.replies import Reply
from bot.core.warning_signs import RedFlag
from bot.features.outcomes import words
from bot.features.outcomes.foot import FootSite, profile_lines
from bot.features.outcomes.keyboards import SPOT_NUMBERS, site_buttons
from bot.store import Store
from tests.features.conftest import onboard

DAY = date(2026, 11, 24)


def test_the_buttons_number_the_sites_as_the_picture_does() -> None:
    assert {site: spot.number for site, spot in SPOTS.items()} == SPOT_NUMBERS
    labels = [label for row in site_buttons(EN) for label, _ in row]
    assert labels == [
        "1. Under the heel",
        "2. The Achilles tendon, a few centimetres above the heel",
        "3. The back of the heel bone, where the tendon attaches",
        "4. Elsewhere in the foot",
        "Not sure",
        "Skip",
    ]


async def test_skipping_keeps_an_earlier_answer(store: Store, clock: FakeClock) -> None:
    await onboard(store, clock)
    foot = FootSite(store, clock)
    await foot.choose_site(1, SiteChoice(PainSite.UNDER_HEEL))
    await foot.choose_side(1, SideChoice(Side.RIGHT))
    skipped = await foot.choose_site(1, SiteChoice(None))
    assert skipped.edit is not None
    assert skipped.edit.endswith("Your answer: skipped.")
    profile = await store.outcomes.profile(1)
    assert profile is not None
    assert (profile.site, profile.side) == (PainSite.UNDER_HEEL, Side.RIGHT)
    assert profile_lines(EN, profile) == [
        "Where it hurts: Under the heel",
        "Which foot: Right foot",
    ]


async def test_both_feet_asks_the_joints_sign_once(store: Store, clock: FakeClock) -> None:
    await onboard(store, clock)
    foot = FootSite(store, clock)
    await foot.choose_site(1, SiteChoice(PainSite.NOT_SURE))
    first = await foot.choose_side(1, SideChoice(Side.BOTH))
    question, saved = first.messages
    assert isinstance(question, Reply)
    assert question.text == f"{words.BOTH_FEET_NOTE}\n\n{words.ASK_JOINTS}"
    pressed = [callbacks.decode(data) for row in question.buttons for _, data in row]
    assert pressed[0] == RedFlagAnswer(DAY, RedFlag.BOTH_FEET)
    assert isinstance(saved, Reply)
    assert saved.text == words.PROFILE_SAVED
    await foot.choose_side(1, SideChoice(Side.LEFT))
    again = await foot.choose_side(1, SideChoice(Side.BOTH))
    assert [m.text for m in again.messages if isinstance(m, Reply)] == [words.PROFILE_SAVED]
    profile = await store.outcomes.profile(1)
    assert profile is not None
    assert profile.joint_question_on == DAY
