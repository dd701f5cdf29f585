"""Check-ins: scores by button and typed, late and closed prompts, warning signs, escalations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.clock import FakeClock
from bot.composition import Content
from bot.core import callbacks, texts
from bot.core.callbacks import CheckinAnswer, RedFlagAnswer, WarningSignsRequest
from bot.core.escalation import RulesConfig
from bot.core.i18n import ENGLISH as EN
from bot.core.outbox import DailyMessage
from bot.core.replies import Reply
from bot.core.warning_signs import RedFlag
from bot.features.checkins import Checkins, parse_score
from bot.features.conversation import Conversation
from bot.features.subscription import Subscription
from bot.store import Store
from tests.features.conftest import onboard

TODAY = date(2026, 11, 24)  # the fake clock's date in London


@pytest.fixture
def rules(content: Content) -> RulesConfig:
    """The shipped rules."""
    return content.rules


async def test_prompt_offers_eleven_buttons_for_today(
    store: Store, clock: FakeClock, rules: RulesConfig
) -> None:
    await onboard(store, clock)
    outcome = await Checkins(store, clock, rules).prompt(1)
    [prompt] = outcome.messages
    assert isinstance(prompt, Reply)
    decoded = [callbacks.decode(data) for row in prompt.buttons for _, data in row]
    assert decoded == [*(CheckinAnswer(TODAY, n) for n in range(11)), WarningSignsRequest(TODAY)]
    user = await store.users.get(1)
    assert user is not None
    assert user.pending_checkin_date == TODAY


async def test_an_answer_is_stored_and_acknowledged(
    store: Store, clock: FakeClock, rules: RulesConfig
) -> None:
    await onboard(store, clock)
    outcome = await Checkins(store, clock, rules).answer(1, CheckinAnswer(TODAY, 3))
    assert outcome.edit == texts.checkin_recorded(EN, TODAY, 3, 1)
    assert outcome.messages == ()
    assert await store.diary.checkins(1) == [(TODAY, 3)]


async def test_a_pressed_score_is_confirmed_in_a_toast(
    store: Store, clock: FakeClock, rules: RulesConfig
) -> None:
    """The button's own notice says what was recorded, before any edit goes out."""
    await onboard(store, clock)
    outcome = await Checkins(store, clock, rules).answer(1, CheckinAnswer(TODAY, 5))
    assert outcome.toast == "Recorded: 5/10"


async def test_an_answer_under_a_daily_message_keeps_its_tip(
    store: Store, clock: FakeClock, rules: RulesConfig
) -> None:
    await onboard(store, clock)
    tip = texts.tip_message(EN, "Stretch your calf.", "NHS")
    shown = DailyMessage(tip, texts.checkin_prompt(EN, TODAY), ()).text
    outcome = await Checkins(store, clock, rules).answer(1, CheckinAnswer(TODAY, 3), shown)
    assert outcome.edit == f"{tip}\n\n{texts.checkin_recorded(EN, TODAY, 3, 1)}"


async def test_an_answer_under_a_lone_question_shows_only_the_answer(
    store: Store, clock: FakeClock, rules: RulesConfig
) -> None:
    await onboard(store, clock)
    shown = texts.checkin_prompt(EN, TODAY)
    outcome = await Checkins(store, clock, rules).answer(1, CheckinAnswer(TODAY, 3), shown)
    assert outcome.edit == texts.checkin_recorded(EN, TODAY, 3, 1)


async def test_a_closed_daily_message_keeps_its_tip_and_records_nothing(
    store: Store, clock: FakeClock, rules: RulesConfig
) -> None:
    await onboard(store, clock)
    old = TODAY - timedelta(days=2)
    tip = texts.tip_message(EN, "Ice it.", "NHS")
    shown = DailyMessage(tip, texts.checkin_prompt(EN, old), ()).text
    outcome = await Checkins(store, clock, rules).answer(1, CheckinAnswer(old, 3), shown)
    assert outcome.edit == f"{tip}\n\n{EN.gettext(texts.CHECKIN_CLOSED)}"
    assert outcome.toast is None
    assert await store.diary.checkins(1) == []


async def test_a_second_answer_replaces_the_first(
    store: Store, clock: FakeClock, rules: RulesConfig
) -> None:
    await onboard(store, clock)
    checkins = Checkins(store, clock, rules)
    await checkins.answer(1, CheckinAnswer(TODAY, 3))
    outcome = await checkins.answer(1, CheckinAnswer(TODAY, 4))
    assert outcome.edit == texts.checkin_replaced(EN, TODAY, 3, 4)
    assert await store.diary.checkins(1) == [(TODAY, 4)]


async def test_a_prompt_older_than_yesterday_is_closed(
    store: Store, clock: FakeClock, rules: RulesConfig
) -> None:
    await onboard(store, clock)
    old = TODAY - timedelta(days=2)
    outcome = await Checkins(store, clock, rules).answer(1, CheckinAnswer(old, 3))
    assert outcome.edit == texts.CHECKIN_CLOSED
    assert await store.diary.checkins(1) == []


async def test_a_high_score_asks_about_warning_signs(
    store: Store, clock: FakeClock, rules: RulesConfig
) -> None:
    await onboard(store, clock)
    outcome = await Checkins(store, clock, rules).answer(1, CheckinAnswer(TODAY, 8))
    *_, question = outcome.messages
    assert isinstance(question, Reply)
    decoded = {callbacks.decode(data) for row in question.buttons for _, data in row}
    assert RedFlagAnswer(TODAY, RedFlag.INJURY) in decoded
    assert WarningSignsRequest(TODAY, 1) in decoded, "None of these: more signs"
    assert "doctor" not in question.text.lower()


async def test_the_list_pages_one_urgency_at_a_time_and_ends_with_none_of_these(
    store: Store, clock: FakeClock, rules: RulesConfig
) -> None:
    """ "None of these: more signs" replaces its page with that answer and sends the next;
    the last page ends with "None of these"; every sign is on exactly one page."""
    await onboard(store, clock)
    checkins = Checkins(store, clock, rules)
    seen: list[object] = []
    outcome = await checkins.warning_signs(1)
    for page in (1, 2, 3):
        *_, question = outcome.messages
        assert isinstance(question, Reply)
        assert question.text.endswith(
            f"{page} of 3: "
            + (
                "signs that need help now",
                "signs that need help today",
                "signs to get checked within days",
            )[page - 1]
        )
        decoded = [callbacks.decode(data) for row in question.buttons for _, data in row]
        *signs, last = decoded
        seen += signs
        if page < 3:
            assert last == WarningSignsRequest(TODAY, page)
            outcome = await checkins.warning_signs(1, page)
            assert outcome.edit == "You answered: None of these: more signs."
        else:
            assert last == RedFlagAnswer(TODAY, RedFlag.NONE)
    flags = [
        RedFlagAnswer(TODAY, flag)
        for flag in RedFlag
        if flag not in (RedFlag.NONE, RedFlag.DIABETES_FOOT)
    ]
    assert sorted(map(repr, seen)) == sorted(map(repr, flags))


async def test_warning_signs_open_at_any_pain(
    store: Store, clock: FakeClock, rules: RulesConfig
) -> None:
    await onboard(store, clock)
    outcome = await Checkins(store, clock, rules).warning_signs(1)
    [question] = outcome.messages
    assert isinstance(question, Reply)
    decoded = [callbacks.decode(data) for row in question.buttons for _, data in row]
    assert decoded[0] == RedFlagAnswer(TODAY, RedFlag.INJURY)
    assert RedFlagAnswer(TODAY, RedFlag.DIABETES_FOOT) not in decoded


async def test_a_severe_first_day_says_doctor_and_a_moderate_one_does_not(
    store: Store, clock: FakeClock, rules: RulesConfig
) -> None:
    await onboard(store, clock, 1)
    await onboard(store, clock, 2)
    checkins = Checkins(store, clock, rules)
    severe = await checkins.answer(1, CheckinAnswer(TODAY, 9))
    moderate = await checkins.answer(2, CheckinAnswer(TODAY, 5))
    assert any("doctor" in m.text for m in severe.messages if isinstance(m, Reply))
    assert not any("doctor" in m.text for m in moderate.messages if isinstance(m, Reply))
    [stored] = await store.escalations.for_user(1)
    assert stored.rule == "severe_day"


async def test_a_serious_warning_sign_escalates_at_once(
    store: Store, clock: FakeClock, rules: RulesConfig
) -> None:
    await onboard(store, clock)
    checkins = Checkins(store, clock, rules)
    await checkins.answer(1, CheckinAnswer(TODAY, 8))
    outcome = await checkins.answer_red_flag(1, RedFlagAnswer(TODAY, RedFlag.CANNOT_BEAR_WEIGHT))
    [urgent] = outcome.messages
    assert isinstance(urgent, Reply)
    assert "doctor" in urgent.text.lower()
    assert urgent.buttons, "the summary button"
    *_, stored = await store.escalations.for_user(1)
    assert stored.rule == "red_flag_emergency"


async def test_none_of_these_escalates_nothing(
    store: Store, clock: FakeClock, rules: RulesConfig
) -> None:
    await onboard(store, clock)
    outcome = await Checkins(store, clock, rules).answer_red_flag(
        1, RedFlagAnswer(TODAY, RedFlag.NONE)
    )
    assert [m.text for m in outcome.messages if isinstance(m, Reply)] == [texts.RED_FLAG_NONE]
    assert await store.escalations.for_user(1) == []


@pytest.mark.parametrize(
    ("days", "flag"),
    [(1, RedFlag.COLD_FOOT), (3000, RedFlag.COLD_FOOT), (-2, RedFlag.NONE), (-30, RedFlag.NONE)],
)
async def test_a_foreign_day_or_an_old_no_sign_answer_changes_nothing(
    store: Store, clock: FakeClock, rules: RulesConfig, days: int, flag: RedFlag
) -> None:
    """An answer for a day the user's calendar has not reached (forged, or another zone's
    date) is closed; so is "no warning sign" on an old question: it says nothing new."""
    await onboard(store, clock)
    day = TODAY + timedelta(days=days)
    outcome = await Checkins(store, clock, rules).answer_red_flag(1, RedFlagAnswer(day, flag))
    assert outcome.edit == texts.RED_FLAG_CLOSED
    assert outcome.messages == ()
    assert await store.diary.red_flag_answers(1) == []
    assert await store.escalations.for_user(1) == []


@pytest.mark.parametrize("days", [-2, -30, -400])
async def test_a_warning_sign_tapped_late_still_escalates(
    store: Store, clock: FakeClock, rules: RulesConfig, days: int
) -> None:
    """However old the question (or however late the tap is handled, after a crash), a
    warning sign escalates; it is recorded for today, so no past day is rewritten."""
    await onboard(store, clock)
    outcome = await Checkins(store, clock, rules).answer_red_flag(
        1, RedFlagAnswer(TODAY + timedelta(days=days), RedFlag.COLD_FOOT)
    )
    assert outcome.edit != texts.RED_FLAG_CLOSED
    assert outcome.messages, "no escalation message"
    assert await store.diary.red_flag_answers(1) == [(TODAY, RedFlag.COLD_FOOT.value)]
    [escalation] = await store.escalations.for_user(1)
    assert escalation.local_date == TODAY


async def test_a_warning_sign_from_yesterdays_question_still_counts(
    store: Store, clock: FakeClock, rules: RulesConfig
) -> None:
    """Like a check-in, yesterday's question answered after midnight is recorded."""
    await onboard(store, clock)
    yesterday = TODAY - timedelta(days=1)
    await Checkins(store, clock, rules).answer_red_flag(1, RedFlagAnswer(yesterday, RedFlag.NONE))
    assert await store.diary.red_flag_answers(1) == [(yesterday, RedFlag.NONE.value)]


async def test_a_typed_number_answers_the_pending_check_in(
    store: Store, clock: FakeClock, rules: RulesConfig
) -> None:
    await onboard(store, clock)
    checkins = Checkins(store, clock, rules)
    await checkins.prompt(1)
    conversation = Conversation(store, Subscription(store, clock), checkins)
    outcome = await conversation.text(1, " 6/10 ")
    assert outcome.edit == texts.checkin_recorded(EN, TODAY, 6, 1)
    assert await store.diary.checkins(1) == [(TODAY, 6)]


async def test_text_without_a_pending_check_in_gets_the_hint(
    store: Store, clock: FakeClock, rules: RulesConfig
) -> None:
    await onboard(store, clock)
    conversation = Conversation(store, Subscription(store, clock), Checkins(store, clock, rules))
    outcome = await conversation.text(1, "5")
    assert outcome.messages == (Reply(texts.FREE_TEXT),)
    assert await store.diary.checkins(1) == []


@pytest.mark.parametrize(
    ("text", "score"), [("5", 5), (" 7 ", 7), ("3/10", 3), ("0", 0), ("11", None), ("x", None)]
)
def test_parse_score(text: str, score: int | None) -> None:
    assert parse_score(text) == score
