"""The message catalogue: routine messages never mention a doctor, and stay short."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core import texts

DAY = date(2026, 11, 24)

ROUTINE = [
    texts.welcome("Sam"),
    texts.already_subscribed("Europe/London", "09:00"),
    texts.welcome_back("Europe/London", "09:00"),
    texts.timezone_set("Europe/London"),
    texts.bad_timezone("Mars", ["Europe/Berlin"]),
    texts.bad_time("25:00"),
    texts.onboarding_done("Europe/London", "09:00", DAY),
    texts.schedule_changed("Europe/London", "09:00", DAY),
    texts.settings_summary("Europe/London", "09:00", None, "active", None),
    texts.settings_summary(
        "Europe/London", "09:00", None, "active", True, country="United Kingdom"
    ),
    texts.timezone_set("Europe/London", "United Kingdom"),
    texts.zone_changed("Asia/Tokyo", "09:00", DAY, "Japan"),
    texts.zone_changed("Etc/UTC", "09:00", DAY, None),
    texts.country_status(texts.country_label("Germany", from_zone=True)),
    texts.country_status(texts.COUNTRY_NOT_SET),
    texts.choose_country("Mexico"),
    texts.country_set("United Kingdom", "999", "111", "NHS 111"),
    texts.country_set("United States", "911", None, None),
    texts.country_unknown("Narnia"),
    texts.COUNTRY_NOT_LISTED,
    texts.ASK_COUNTRY_TYPED,
    texts.export_caption("Europe/London", "09:00", None, "GB"),
    texts.help_text(),
    texts.checkin_prompt(DAY),
    texts.checkin_recorded(DAY, 5, 4),
    texts.paused(DAY),
    texts.weekly_summary([3, 4, 5], [6, 6, 6]),
    texts.ASK_DIABETES,
    texts.CHECKIN_HINT,
    texts.FREE_TEXT,
    texts.UNKNOWN_COMMAND,
    texts.STOPPED,
    texts.RED_FLAG_NONE,
    texts.HISTORY_TOO_SHORT,
]


@pytest.mark.parametrize("text", ROUTINE)
def test_routine_messages_do_not_mention_a_doctor(text: str) -> None:
    """Only escalation messages say 'doctor', so they stand out."""
    assert "doctor" not in text.lower()


@pytest.mark.parametrize("text", ROUTINE)
def test_routine_messages_fit_a_telegram_message(text: str) -> None:
    """Every routine message is well under Telegram's 4096-character limit."""
    assert 0 < len(text) <= 1500


def test_checkin_ack_mentions_streak_from_three_days() -> None:
    """The acknowledgement mentions the streak at 3 days, not at 2."""
    assert "3 days in a row" in texts.checkin_recorded(DAY, 2, 3)
    assert "in a row" not in texts.checkin_recorded(DAY, 2, 2)


def test_weekly_summary_encourages_falling_pain() -> None:
    """A week with lower pain than the one before gets a word of encouragement."""
    assert "Well done" in texts.weekly_summary([2, 2, 3], [5, 5, 6])
    assert "Well done" not in texts.weekly_summary([6, 6], [2, 2])


def test_every_command_description_fits_telegram() -> None:
    """Command names are lowercase and descriptions are at most 256 characters."""
    for name, description in texts.COMMANDS:
        assert name.islower()
        assert 3 <= len(description) <= 256


def test_diabetes_question_says_it_is_optional() -> None:
    """The onboarding diabetes question tells people they can skip it."""
    assert "diabetes" in texts.ASK_DIABETES
    assert "skip" in texts.ASK_DIABETES
