"""Where the escalation sends a user: out-of-hours routes, the diabetic same-day words, and
the country's own words in Chinese (bot/core/care_words.py, through the message)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from bot.content.catalogs import packaged_catalogs
from bot.content.countries import load_countries
from bot.core.care_words import Routes
from bot.core.escalation import DayScore, RulesConfig
from bot.core.escalation_text import escalation_message
from bot.core.i18n import Language, Translator
from bot.core.warning_signs import RedFlag, evaluate_red_flags

EN = packaged_catalogs()[Language.EN]
ZH = packaged_catalogs()[Language.ZH]
CONFIG = RulesConfig()
BOOK = load_countries()
UK, US, HK, AU = (BOOK.get(code) for code in ("GB", "US", "HK", "AU"))


def daily(*scores: int) -> list[DayScore]:
    """Return one check-in per consecutive day."""
    return [DayScore(date(2025, 11, 12) + timedelta(days=i), s) for i, s in enumerate(scores)]


def urgent_message(t: Translator, routes: Routes | None, *, diabetes: bool = False) -> str:
    """The message for a hot, red foot: a same-day sign."""
    escalation = evaluate_red_flags(
        {RedFlag.HOT_RED_SWOLLEN}, daily(3), CONFIG, has_diabetes=diabetes
    )
    assert escalation is not None
    return escalation_message(t, [escalation], daily(3), routes=routes)


def test_same_day_in_the_uk_says_nhs_111_and_northern_irelands_own_service() -> None:
    text = urgent_message(EN, UK)
    headline = text.split("\n\n")[0]
    assert "If you cannot be seen today" in headline
    assert "NHS 111 (NHS 24 in Scotland); in Northern Ireland, your GP out-of-hours service" in (
        headline
    )


def test_same_day_with_an_urgent_line_calls_it() -> None:
    headline = urgent_message(EN, AU).split("\n\n")[0]
    assert headline.endswith(
        "If you cannot be seen today (at night or at the weekend, for example): call "
        "healthdirect on 1800022222."
    )


@pytest.mark.parametrize(("routes", "department"), [(US, "the emergency room"), (None, None)])
def test_same_day_without_an_out_of_hours_service_states_the_fallback(
    routes: Routes | None, department: str | None
) -> None:
    """No service in the file: "an out-of-hours service, or the emergency department if none
    is open", in the country's words."""
    headline = urgent_message(EN, routes).split("\n\n")[0]
    shown = department or "the nearest emergency department"
    assert f"go to an out-of-hours service, or {shown} if none is open." in headline


def test_the_diabetic_same_day_message_takes_the_weight_off() -> None:
    """Diabetes UK: take the weight off; GP or foot team; else the nearest out-of-hours."""
    headline = urgent_message(EN, US, diabetes=True).split("\n\n")[0]
    assert "primary care doctor or your diabetes foot protection team now" in headline
    assert "Take the weight off your foot" in headline
    assert (
        "If they are not available today: go to your nearest out-of-hours service, or the "
        "emergency room if none is open." in headline
    )
    uk = urgent_message(EN, UK, diabetes=True)
    assert "If they are not available today: call NHS 111 (NHS 24 in Scotland)" in uk


def test_the_diabetic_wound_sign_takes_the_weight_off_without_the_diabetes_answer() -> None:
    """The foot check's sign is diabetic by itself."""
    escalation = evaluate_red_flags({RedFlag.DIABETES_FOOT}, daily(3), CONFIG)
    assert escalation is not None
    text = escalation_message(EN, [escalation], daily(3), routes=UK)
    assert "Take the weight off your foot" in text


def test_chinese_readers_get_the_countrys_own_words_in_chinese() -> None:
    """Hong Kong in Chinese: 999, 医院急症室, 家庭医生或普通科门诊; no English words."""
    text = urgent_message(ZH, HK)
    assert "家庭医生或普通科门诊" in text
    assert "医院急症室" in text
    assert "999" in text
    assert re.search(r"[A-Za-z]", text.replace("FootCare", "").replace("NHS", "")) is None


def test_chinese_readers_are_told_what_an_advice_line_is() -> None:
    """An advice line's English name is followed by what it is, in Chinese."""
    text = urgent_message(ZH, AU)
    assert "拨打1800022222联系healthdirect（澳大利亚政府的全天候健康咨询热线）" in text
