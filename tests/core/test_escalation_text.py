"""Tests for the see-a-doctor message and the red-flag question wording."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from bot.content.catalogs import packaged_catalogs
from bot.content.countries import load_countries
from bot.core.escalation import (
    DayScore,
    Escalation,
    RuleId,
    RulesConfig,
    Urgency,
)
from bot.core.escalation_text import (
    MAX_BUTTON_CHARS,
    MAX_MESSAGE_CHARS,
    escalation_message,
    red_flag_options,
    red_flag_page,
    red_flag_question_text,
    score_summary,
)
from bot.core.i18n import Language
from bot.core.pain_rules import evaluate
from bot.core.warning_signs import SIGNS, RedFlag, evaluate_red_flags, urgency_of

START = date(2025, 11, 12)
EN = packaged_catalogs()[Language.EN]
ZH = packaged_catalogs()[Language.ZH]
CONFIG = RulesConfig()


BOOK = load_countries()
UK, US, HK, AU = (BOOK.get(code) for code in ("GB", "US", "HK", "AU"))


def daily(*scores: int, start: date = START) -> list[DayScore]:
    """Return one check-in per consecutive day from start."""
    return [DayScore(start + timedelta(days=i), s) for i, s in enumerate(scores)]


def persistent_message() -> tuple[str, list[DayScore]]:
    """Return the message for fourteen days at 5 and 6, and the history behind it."""
    history = daily(*[5, 6] * 7)
    fired = evaluate(history, [], history[-1].day, CONFIG, has_diabetes=False)
    return escalation_message(EN, fired, history, routes=UK), history


def test_message_says_doctor() -> None:
    """The escalation message contains the word 'doctor'."""
    text, _ = persistent_message()
    assert "doctor" in text


def test_message_says_who_to_see() -> None:
    """Persistent pain names a GP or a physiotherapist."""
    text, _ = persistent_message()
    assert "GP" in text
    assert "physiotherapist" in text


def test_message_gives_the_reason() -> None:
    """The reason is spelled out with the numbers."""
    text, _ = persistent_message()
    assert "your pain has gone on for at least 14 days, is still 4 or more" in text


def test_message_shows_recent_scores_compactly() -> None:
    """The last check-ins appear as '12 Nov 5 · 13 Nov 6 · ...'."""
    text, _ = persistent_message()
    assert "12 Nov 5 · 13 Nov 6 · 14 Nov 5" in text
    assert "25 Nov 6" in text


def test_message_says_it_cannot_diagnose() -> None:
    """The message says FootCare cannot diagnose and is not medical advice."""
    text, _ = persistent_message()
    assert "cannot diagnose" in text
    assert "not medical advice" in text


def test_emergency_message_says_a_and_e_now() -> None:
    """A fracture sign in the UK: call 999 or go to A&E now."""
    history = daily(3, 9)
    escalation = evaluate_red_flags({RedFlag.INJURY}, history, CONFIG)
    assert escalation is not None
    text = escalation_message(EN, [escalation], history, routes=UK)
    assert text.startswith("Call 999 or go to A&E now")
    assert "doctor" in text


def test_emergency_message_in_the_us_says_911_and_no_uk_number() -> None:
    history = daily(3, 9)
    escalation = evaluate_red_flags({RedFlag.INJURY}, history, CONFIG)
    assert escalation is not None
    text = escalation_message(EN, [escalation], history, routes=US)
    assert "911" in text
    assert "emergency room" in text
    for uk in ("999", "111", "A&E", "GP"):
        assert uk not in text


@pytest.mark.parametrize("urgency", list(Urgency))
def test_an_unknown_country_gets_no_number(urgency: Urgency) -> None:
    """Without a country: 'your local emergency number', never a number from elsewhere."""
    escalation = Escalation(RuleId.SEVERE, urgency, "a reason", tuple(daily(8)))
    text = escalation_message(EN, [escalation], daily(8))
    assert "your local emergency number" in text
    assert not any(number in text for number in ("999", "111", "911", "112", "000"))


def test_urgent_advice_line_is_offered_where_the_country_has_one() -> None:
    escalation = Escalation(RuleId.RED_FLAG_URGENT, Urgency.URGENT, "a reason", tuple(daily(8)))
    assert "call healthdirect on 1800022222" in escalation_message(
        EN, [escalation], daily(8), routes=AU
    )
    assert "111" not in escalation_message(EN, [escalation], daily(8), routes=US)


@pytest.mark.parametrize(
    ("urgency", "words"),
    [
        (Urgency.EMERGENCY, "A&E now"),
        (Urgency.URGENT, "today"),
        (Urgency.SOON, "within the next few days"),
        (Urgency.ROUTINE, "book an appointment"),
        (Urgency.ADVICE, "referral"),
    ],
)
def test_each_urgency_says_how_soon(urgency: Urgency, words: str) -> None:
    """The headline's timing follows the urgency, and always says 'doctor'."""
    rule = RuleId.LONG_HAUL if urgency is Urgency.ADVICE else RuleId.SEVERE
    escalation = Escalation(rule, urgency, "a reason", tuple(daily(8)))
    headline = escalation_message(EN, [escalation], daily(8), routes=UK).split("\n")[0]
    assert words in headline
    assert "doctor" in headline


def test_most_urgent_leads_and_others_are_mentioned() -> None:
    """Given in any order, the most urgent leads and the rest follow briefly."""
    history = daily(*[8] * 14)
    fired = evaluate(history, [], history[-1].day, CONFIG, has_diabetes=True)
    text = escalation_message(EN, list(reversed(fired)), history, routes=UK)
    assert text.startswith("Please see a doctor soon")
    assert "Why: you told us you have diabetes" in text
    for other in fired[1:]:
        assert other.reason in text


def test_shows_one_score_per_day() -> None:
    """A re-answered day appears once, with the later answer."""
    history = [*daily(5, 5), DayScore(START, 8)]
    assert (
        score_summary(EN, history)
        == "Your last 2 check-ins (pain 0-10, 2025):\n12 Nov 8 · 13 Nov 5"
    )
    assert (
        score_summary(ZH, history)
        == "你最近 2 次记录（疼痛 0-10 分，2025 年）：\n11月12日 8 · 11月13日 5"
    )


def test_summary_spans_years() -> None:
    """Check-ins across New Year show both years."""
    history = daily(5, 5, start=date(2025, 12, 31))
    assert "2025-2026" in score_summary(EN, history)


def test_worst_case_message_fits() -> None:
    """Every rule firing at once, with long numbers, stays within the length bound."""
    history = daily(*[10] * 400, start=date(2024, 1, 1))
    reasons = "x" * 60
    escalations = [Escalation(rule, Urgency.SOON, reasons, ()) for rule in RuleId]
    text = escalation_message(EN, escalations, history, shown=400)
    assert len(text) <= MAX_MESSAGE_CHARS
    assert "cannot diagnose" in text


def test_an_over_long_message_gives_up_scores_and_reasons_but_never_safety_text() -> None:
    """Past Telegram's limit, old scores go, then the score line, then the other rules'
    reasons (their actions stay); the headline, disclaimer and safety net always stay."""
    history = daily(*[10] * 400, start=date(2024, 1, 1))
    long_reason = "y" * 500
    lead = Escalation(RuleId.SEVERE, Urgency.URGENT, "lead", ())
    others = [Escalation(rule, Urgency.SOON, long_reason, ()) for rule in RuleId] * 2
    text = escalation_message(EN, [lead, *others], history, routes=UK, shown=400)
    assert len(text) <= MAX_MESSAGE_CHARS
    assert text.startswith("Please see a doctor today")
    assert "in Northern Ireland, your GP out-of-hours service" in text
    assert "cannot diagnose" in text
    assert "call 999 or go to A&E" in text
    assert long_reason not in text
    assert "- see a doctor within days" in text


def test_real_worst_case_keeps_14_scores() -> None:
    """Every real rule and a sign of each urgency still fit with the last 14 scores shown."""
    history = daily(*[4] * 100, *[10] * 7, start=date(2025, 1, 1))
    today = history[-1].day
    fired = evaluate(history, [], today, CONFIG, has_diabetes=True)
    assert len(fired) == 6
    signs = {RedFlag.INJURY, RedFlag.HOT_RED_SWOLLEN, RedFlag.NUMBNESS}
    flag = evaluate_red_flags(signs, history, CONFIG)
    assert flag is not None
    text = escalation_message(EN, [flag, *fired], history, routes=UK)
    assert len(text) <= MAX_MESSAGE_CHARS
    assert "Your last 14 check-ins" in text


def test_message_needs_an_escalation() -> None:
    """Asking for a message with nothing fired is a bug, not an empty message."""
    with pytest.raises(ValueError, match="at least one"):
        escalation_message(EN, [], daily(5))


def test_chinese_readers_get_the_message_in_chinese() -> None:
    """The escalation message is translated too, and says 医生 where English says doctor."""
    history = daily(8, 8, 8)
    fired = evaluate(history, [], history[-1].day, CONFIG, has_diabetes=False)
    text = escalation_message(ZH, fired, history, routes=UK)
    assert "医生" in text
    assert "doctor" not in text.lower()
    assert "11月14日 8" in text


def test_red_flag_question_does_not_say_doctor() -> None:
    """The follow-up question never says 'doctor', which marks escalations."""
    assert "doctor" not in red_flag_question_text(EN).lower()


def test_red_flag_labels_do_not_say_doctor_and_fit_a_button() -> None:
    """Every label is short and free of 'doctor'."""
    for _, label in red_flag_options(EN, has_diabetes=True):
        assert "doctor" not in label.lower()
        assert 0 < len(label) <= MAX_BUTTON_CHARS


def test_red_flag_options_cover_every_flag_once_none_last() -> None:
    """With diabetes every sign has one button, 'None of these' at the bottom."""
    flags = [flag for flag, _ in red_flag_options(EN, has_diabetes=True)]
    assert sorted(flags) == sorted(RedFlag)
    assert flags[-1] is RedFlag.NONE


MHRA_ADVICE = (
    "If you are still taking it, stop, and contact the doctor who prescribed it or a pharmacist "
    "now; rest the painful leg. Tendon problems can start within 48 hours of the first dose or "
    "up to several months after the course (MHRA)."
)


def test_antibiotic_tendon_pain_says_to_ask_before_the_next_dose() -> None:
    """MHRA: stop the antibiotic and ask the prescriber or a pharmacist now (so before any
    next dose); tendon damage can start within 48 hours or months after the course. The name
    is the one the hazard log (H2) cites."""
    escalation = evaluate_red_flags({RedFlag.ANTIBIOTIC}, daily(3), CONFIG)
    assert escalation is not None
    text = escalation_message(EN, [escalation], daily(3), routes=UK)
    assert MHRA_ADVICE in text
    assert "during or in the months after a quinolone antibiotic" in text


@pytest.mark.parametrize("lead", [RedFlag.INJURY, RedFlag.HOT_RED_SWOLLEN, RedFlag.NUMBNESS])
def test_the_mhra_advice_follows_the_sign_when_it_does_not_lead(lead: RedFlag) -> None:
    """Attached by the sign's type: a more urgent sign leading does not lose it."""
    escalation = evaluate_red_flags({lead, RedFlag.ANTIBIOTIC}, daily(3), CONFIG)
    assert escalation is not None
    for t in (EN, ZH):
        text = escalation_message(t, [escalation], daily(3), routes=UK)
        assert t.gettext(SIGNS[RedFlag.ANTIBIOTIC].advice or "") in text


def test_the_mhra_advice_follows_the_sign_behind_a_score_rule() -> None:
    """Stored with a score escalation that leads, the sign still brings its advice."""
    history = daily(8, 8, 8)
    fired = evaluate(history, [], history[-1].day, CONFIG, has_diabetes=False)
    sign = evaluate_red_flags({RedFlag.ANTIBIOTIC}, history, CONFIG)
    assert sign is not None
    old = replace(sign, urgency=Urgency.ROUTINE)  # as if the rules file ranked it last
    text = escalation_message(EN, [*fired, old], history, routes=UK)
    assert MHRA_ADVICE in text


def test_a_calf_sign_says_what_to_do_if_breathless() -> None:
    """NHS DVT: same day; with breathlessness or chest pain, the emergency number now."""
    escalation = evaluate_red_flags({RedFlag.CALF}, daily(3), CONFIG)
    assert escalation is not None
    assert escalation.urgency is Urgency.URGENT
    text = escalation_message(EN, [escalation], daily(3), routes=US)
    assert "short of breath or have chest pain, call 911 now" in text


def test_a_squeezed_heel_says_to_stop_impact() -> None:
    escalation = evaluate_red_flags({RedFlag.HEEL_SQUEEZE}, daily(3), CONFIG)
    assert escalation is not None
    assert escalation.urgency is Urgency.SOON
    text = escalation_message(EN, [escalation], daily(3), routes=UK)
    assert "stop running, jumping and other impact exercise" in text


# --- the warning-sign list --------------------------------------------------------------------


@pytest.mark.parametrize("diabetes", [False, True])
def test_the_list_is_paged_by_urgency_and_covers_every_sign_once(diabetes: bool) -> None:
    """One page per urgency, most urgent first, no page longer than a phone screen."""
    seen: list[RedFlag] = []
    page, more = 0, True
    while more:
        options, more = red_flag_page(EN, page, has_diabetes=diabetes)
        urgencies = {urgency_of(flag, has_diabetes=diabetes) for flag, _ in options}
        assert len(urgencies) == 1
        assert len(options) <= 7
        seen += [flag for flag, _ in options]
        page += 1
    assert page == 3
    assert seen == [flag for flag, _ in red_flag_options(EN, has_diabetes=diabetes)][:-1]


def test_each_page_says_where_it_is_and_how_urgent_its_signs_are() -> None:
    assert red_flag_question_text(EN, page=0).endswith("1 of 3: signs that need help now")
    assert red_flag_question_text(EN, page=1).endswith("2 of 3: signs that need help today")
    assert red_flag_question_text(ZH, page=2).endswith("第 3 页，共 3 页：需要几天内检查的信号")
