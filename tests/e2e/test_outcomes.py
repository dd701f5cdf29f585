"""Where it hurts and which foot, end to end in English and Chinese (issue 22): chosen in
onboarding under the picture, both feet asking the joints sign once, shown and changed in
/settings, in the doctor summary's files and /export, gone with /delete; skipped, nothing."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from bot.clock import FakeClock
from bot.content.catalogs import packaged_catalogs
from bot.core import texts
from bot.core.callbacks import (
    DeleteChoice,
    DoctorSummaryRequest,
    FirstStepAnswer,
    JointsAnswer,
    PainChoice,
    RedFlagAnswer,
    SettingsChoice,
    SettingsItem,
    SideChoice,
    SiteChoice,
)
from bot.core.i18n import ENGLISH as EN
from bot.core.i18n import Language
from bot.core.outbox import PARAGRAPH, tip_above_question
from bot.core.outcomes import PainEntry, PainSite, Side
from bot.core.warning_signs import RedFlag
from bot.features.outcomes import words
from bot.features.outcomes.first_step import first_step_prompt
from bot.features.outcomes.measures import Measure, Verdict
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from tests.e2e.chat import Chat, buttons
from tests.e2e.test_chinese import latin_left, shown
from tests.store.helpers import rows_mentioning

USER = 2201
TODAY = date(2026, 11, 24)
ZH = packaged_catalogs()[Language.ZH]


def _csv_rows(data: bytes | None) -> list[list[str]]:
    assert data is not None
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


async def test_site_and_side_chosen_shown_changed_exported_and_deleted(
    bot: Runtime, sandbox: Sandbox
) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard(site=PainSite.INSERTION, side=Side.BOTH)
    # Both feet: the joints question once, "yes" being the warning sign's own button.
    joints = next(m for m in chat.sandbox.messages(USER) if words.ASK_JOINTS in (m.text or ""))
    assert (joints.text or "").startswith(words.BOTH_FEET_NOTE)
    assert buttons(joints) == ["Yes", "No"]
    await chat.tap(JointsAnswer())
    answered = next(m for m in chat.sandbox.messages(USER) if m.message_id == joints.message_id)
    assert (answered.text or "").endswith("Your answer: No.")
    assert await bot.store.escalations.for_user(USER) == []  # both feet is not a sign
    profile = await bot.store.outcomes.profile(USER)
    assert profile is not None
    assert (profile.site, profile.side, profile.joint_question_on) == (
        PainSite.INSERTION,
        Side.BOTH,
        TODAY,
    )

    [settings] = await chat.say("/settings")
    text = settings.text or ""
    assert "• Where it hurts: The back of the heel bone, where the tendon attaches\n" in text
    assert "• Which foot: Both feet\n• Morning first-steps question: off\n\n" in text
    assert "Where it hurts" in buttons(settings)
    picture, question = await chat.tap(SettingsChoice(SettingsItem.SITE), expect=2)
    assert picture.photo
    assert question.text == words.ASK_SITE
    await chat.tap(SiteChoice(PainSite.ACHILLES), expect=1)
    # Both feet again: the joints question was asked once already, so not again.
    [saved] = await chat.tap(SideChoice(Side.BOTH), expect=1)
    assert saved.text == words.PROFILE_SAVED
    profile = await bot.store.outcomes.profile(USER)
    assert profile is not None
    assert (profile.site, profile.side) == (PainSite.ACHILLES, Side.BOTH)

    _, outcomes = await chat.say("/export", expect=2)
    assert outcomes.file_name == "footcare-outcomes-2026-11-24.csv"
    assert _csv_rows(outcomes.document)[1:] == [
        ["2026-11-24", "pain_site", "", "achilles", ""],
        ["2026-11-24", "side", "", "both", ""],
    ]

    await chat.say("/checkin")
    await chat.score(9)
    await chat.flag(RedFlag.CANNOT_BEAR_WEIGHT)
    files = await chat.tap(DoctorSummaryRequest(), expect=4)
    assert [f.file_name for f in files] == [
        "footcare-summary-2026-11-24.png",
        "footcare-record-2026-11-24.pdf",
        "footcare-export-2026-11-24.csv",
        "footcare-outcomes-2026-11-24.csv",
    ]

    await chat.say("/delete")
    await chat.tap(DeleteChoice(confirm=True))
    assert await bot.store.outcomes.profile(USER) is None
    assert await rows_mentioning(bot.store, "foot_profiles", "user_id", USER) == 0


async def test_skipping_where_it_hurts_stores_nothing(bot: Runtime, sandbox: Sandbox) -> None:
    """Skipped, the bot is as before: no profile, no outcome file, the same export."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    assert await bot.store.outcomes.profile(USER) is None
    [settings] = await chat.say("/settings")
    assert "• Where it hurts: not answered\n• Which foot: not answered\n" in (settings.text or "")
    [export] = await chat.say("/export", expect=1)
    assert export.file_name == "footcare-export-2026-11-24.csv"
    assert await chat.replies() == []  # the one file only


async def test_in_chinese_both_feet_with_stiff_joints_is_the_warning_sign(
    bot: Runtime, sandbox: Sandbox
) -> None:
    chat = Chat(sandbox, USER, language_code="zh-hans")
    await chat.say("/start", expect=1)
    await chat.say("Asia/Shanghai", expect=1)
    await chat.confirm_country()
    picture, question = await chat.tap(PainChoice(None), expect=2)
    assert picture.caption == ZH.gettext(words.PICTURE_TITLE)
    assert question.text == ZH.gettext(words.ASK_SITE)
    assert buttons(question)[0] == "1. " + ZH.gettext(words.SITE_LABELS[PainSite.UNDER_HEEL])
    [side] = await chat.tap(SiteChoice(PainSite.UNDER_HEEL), expect=1)
    assert side.text == ZH.gettext(words.ASK_SIDE)
    joints, ask_time = await chat.tap(SideChoice(Side.BOTH), expect=2)
    assert ZH.gettext(words.ASK_JOINTS) in (joints.text or "")
    assert ask_time.text == ZH.gettext(texts.ASK_TIME)
    for text in shown([picture, question, side, joints, ask_time]):
        assert latin_left(text) == "", text
    await chat.tap(lambda c: isinstance(c, RedFlagAnswer) and c.flag is RedFlag.BOTH_FEET)
    [escalation] = await bot.store.escalations.for_user(USER)
    assert escalation.local_date == TODAY
    [settings] = await chat.say("/settings")
    assert ZH.gettext(words.SETTINGS_SITE).format(
        site=ZH.gettext(words.SITE_LABELS[PainSite.UNDER_HEEL])
    ) in (settings.text or "")


async def run_hours(bot: Runtime, clock: FakeClock, hours: int) -> None:
    """Move the clock on an hour at a time, ticking the dispatcher and draining the outbox."""
    for _ in range(hours):
        clock.advance(timedelta(hours=1))
        await bot.tick()
        await bot.sender.drain()


async def test_first_steps_then_todays_pain_in_one_message(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    """Pain under the heel: the daily message asks the first steps first; a tap turns it into
    today's pain question in place; first steps never escalate; stored per local day."""
    chat = Chat(sandbox, USER)
    await chat.onboard(site=PainSite.UNDER_HEEL, side=Side.RIGHT)
    await run_hours(bot, clock, 3)
    [daily] = await chat.replies()
    text = daily.text or ""
    assert text.startswith("Today's foot-care tip")
    assert text.endswith(PARAGRAPH + first_step_prompt(EN, TODAY).text)
    assert buttons(daily) == [*(str(n) for n in range(11)), "Skip", "Warning sign"]
    tip = tip_above_question(text)
    # A 9 for the first steps: stored, no escalation, and the same message asks today's pain.
    await chat.tap(FirstStepAnswer(TODAY, 9))
    assert sandbox.callback_answers[-1].get("text") == "First steps: 9/10"
    assert daily.text == (
        f"{tip}{PARAGRAPH}First steps: 9/10{PARAGRAPH}{texts.checkin_prompt(EN, TODAY)}"
    )
    assert buttons(daily) == [*(str(n) for n in range(11)), "Warning sign"]
    assert await bot.store.escalations.for_user(USER) == []
    assert await bot.store.outcomes.first_step_pain(USER) == [PainEntry(TODAY, 9)]
    await chat.score(3)
    assert await bot.store.diary.checkins(USER) == [(TODAY, 3)]
    assert daily.reply_markup is None


async def test_typed_numbers_answer_the_pending_question_and_skips_are_kept(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard(site=PainSite.UNDER_HEEL, side=Side.LEFT)
    await run_hours(bot, clock, 3)
    await chat.replies(1)
    [reply] = await chat.say("6")  # first steps pending: a 6 answers them
    assert (reply.text or "").endswith(texts.checkin_prompt(EN, TODAY))
    assert await bot.store.outcomes.first_step_pain(USER) == [PainEntry(TODAY, 6)]
    await chat.say("4")  # then today's pain
    assert await bot.store.diary.checkins(USER) == [(TODAY, 4)]
    # Next day: skipped by button, so a typed number is today's pain.
    await run_hours(bot, clock, 24)
    [daily] = await chat.replies()
    await chat.tap(FirstStepAnswer(TODAY + timedelta(days=1), None))
    assert "Your answer: skipped." in (daily.text or "")
    await chat.say("2")
    assert await bot.store.diary.checkins(USER) == [(TODAY, 4), (TODAY + timedelta(days=1), 2)]
    assert len(await bot.store.outcomes.first_step_pain(USER)) == 1


async def test_first_steps_turned_on_and_off_in_settings(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    """Skipped site: no first-steps question, until turned on in /settings (and off again)."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    [settings] = await chat.say("/settings")
    assert "• Morning first-steps question: off\n" in (settings.text or "")
    [on] = await chat.tap(SettingsChoice(SettingsItem.FIRST_STEP), expect=1)
    assert on.text == words.SETTINGS_FIRST_STEP_ON
    await run_hours(bot, clock, 3)
    [daily] = await chat.replies()
    assert (daily.text or "").endswith(first_step_prompt(EN, TODAY).text)
    [settings] = await chat.say("/settings")
    assert "Stop the first-steps question" in buttons(settings)
    [off] = await chat.tap(SettingsChoice(SettingsItem.FIRST_STEP), expect=1)
    assert off.text == words.SETTINGS_FIRST_STEP_OFF
    await run_hours(bot, clock, 24)
    [daily] = await chat.replies()
    assert (daily.text or "").endswith(texts.checkin_prompt(EN, TODAY + timedelta(days=1)))


async def test_history_shows_start_now_change_and_whether_it_matters(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    """Three weeks of answers: /history says the first week, now, the change and the verdict
    with its source; in the first two weeks, too early to tell."""
    chat = Chat(sandbox, USER)
    await chat.onboard(site=PainSite.UNDER_HEEL, side=Side.LEFT)
    start = TODAY - timedelta(days=20)
    for n in range(21):
        day = start + timedelta(days=n)
        await bot.store.diary.record_checkin(USER, day, 6 if n < 7 else 3)
        await bot.store.outcomes.record_first_step(USER, day, 8 if n < 7 else 7)
    [history] = await chat.say("/history", expect=1)
    caption = history.caption or ""
    assert (
        "First-step pain: first week 8.0, now 7.0, change -1.0: a smaller change than people, "
        "on average, find worthwhile (a change of 1.9 points; Landorf et al. 2010)"
    ) in caption
    assert (
        "Daily pain: first week 6.0, now 3.0, change -3.0: better by at least the change "
        "that people with this pain, on average, find worthwhile (a change of 0.8 points; "
        "Landorf et al. 2010)"
    ) in caption
    assert caption.endswith(words.GROUP_FIGURES)


async def test_history_in_the_first_two_weeks_is_too_early_to_tell_in_chinese(
    bot: Runtime, sandbox: Sandbox
) -> None:
    chat = Chat(sandbox, USER, language_code="zh-hans")
    await chat.onboard(zone="Asia/Shanghai", site=PainSite.UNDER_HEEL, side=Side.LEFT)
    for n in range(3):
        day = TODAY - timedelta(days=n)
        await bot.store.diary.record_checkin(USER, day, 5)
        await bot.store.outcomes.record_first_step(USER, day, 6)
    [history] = await chat.say("/history", expect=1)
    caption = history.caption or ""
    too_early = ZH.gettext(words.VERDICTS[Verdict.TOO_EARLY])
    first = ZH.gettext(words.PROGRESS_START_ONLY).format(
        measure=ZH.gettext(words.MEASURE_NAMES[Measure.FIRST_STEP_PAIN]), start="6.0"
    )
    assert f"{first}: {too_early}" in caption


async def test_my_record_opens_the_summary_any_time_without_the_reserved_word(
    bot: Runtime, sandbox: Sandbox
) -> None:
    """/record needs no escalation; its caption and the menu say "health professional"."""
    chat = Chat(sandbox, USER)
    await chat.onboard(site=PainSite.ACHILLES, side=Side.RIGHT)
    summary, pdf, table, outcomes = await chat.say("/record", expect=4)
    assert summary.file_name == "footcare-summary-2026-11-24.png"
    assert summary.caption == words.MY_RECORD
    assert "doctor" not in (summary.caption or "").lower()
    assert pdf.file_name == "footcare-record-2026-11-24.pdf"
    assert table.file_name == "footcare-export-2026-11-24.csv"
    assert _csv_rows(outcomes.document)[1] == ["2026-11-24", "pain_site", "", "achilles", ""]
    assert await bot.store.escalations.for_user(USER) == []


async def test_my_record_in_chinese(bot: Runtime, sandbox: Sandbox) -> None:
    chat = Chat(sandbox, USER, language_code="zh-hans")
    await chat.onboard(zone="Asia/Shanghai")
    summary, *_ = await chat.say("/record", expect=3)
    assert summary.caption == ZH.gettext(words.MY_RECORD)
    assert "医生" not in (summary.caption or "")
    assert "就医" not in (summary.caption or "")


async def test_first_steps_in_chinese_and_gone_with_delete(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    chat = Chat(sandbox, USER, language_code="zh-hans")
    await chat.onboard(site=PainSite.UNDER_HEEL, side=Side.LEFT)
    await run_hours(bot, clock, 3)
    [daily] = await chat.replies()
    assert (daily.text or "").endswith(first_step_prompt(ZH, TODAY).text)
    await chat.tap(FirstStepAnswer(TODAY, 7))
    said = ZH.gettext(words.FIRST_STEP_TOAST).format(score=7)
    assert sandbox.callback_answers[-1].get("text") == said
    assert (daily.text or "").endswith(f"{said}{PARAGRAPH}{texts.checkin_prompt(ZH, TODAY)}")
    assert latin_left(said + texts.checkin_prompt(ZH, TODAY)) == ""  # the tip may cite a source
    await chat.say("/delete")
    await chat.tap(DeleteChoice(confirm=True))
    assert await rows_mentioning(bot.store, "first_step_pain", "user_id", USER) == 0
