"""Tests for the see-a-doctor message and the red-flag question wording."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.core.escalation import (
    DayScore,
    Escalation,
    RedFlag,
    RuleId,
    RulesConfig,
    Urgency,
    evaluate,
    evaluate_red_flags,
)
from bot.core.escalation_text import (
    MAX_BUTTON_CHARS,
    MAX_MESSAGE_CHARS,
    escalation_message,
    red_flag_options,
    red_flag_question_text,
    score_summary,
)

START = date(2025, 11, 12)
CONFIG = RulesConfig()


def daily(*scores: int, start: date = START) -> list[DayScore]:
    """Return one check-in per consecutive day from start."""
    return [DayScore(start + timedelta(days=i), s) for i, s in enumerate(scores)]


def persistent_message() -> tuple[str, list[DayScore]]:
    """Return the message for fourteen days at 5 and 6, and the history behind it."""
    history = daily(*[5, 6] * 7)
    fired = evaluate(history, [], history[-1].day, CONFIG, has_diabetes=False)
    return escalation_message(fired, history), history


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
    assert "your pain has been 4 or more on each of your last 14 check-ins" in text


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
    """A fracture sign sends the user to urgent care or A&E now."""
    history = daily(3, 9)
    escalation = evaluate_red_flags({RedFlag.INJURY}, history, CONFIG)
    assert escalation is not None
    text = escalation_message([escalation], history)
    assert text.startswith("Go to urgent care or A&E now")
    assert "999" in text
    assert "doctor" in text


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
    headline = escalation_message([escalation], daily(8)).split("\n")[0]
    assert words in headline
    assert "doctor" in headline


def test_most_urgent_leads_and_others_are_mentioned() -> None:
    """Given in any order, the most urgent leads and the rest follow briefly."""
    history = daily(*[8] * 14)
    fired = evaluate(history, [], history[-1].day, CONFIG, has_diabetes=True)
    text = escalation_message(list(reversed(fired)), history)
    assert text.startswith("Please see a doctor today")
    assert "Why: you told us you have diabetes" in text
    for other in fired[1:]:
        assert other.reason in text


def test_shows_one_score_per_day() -> None:
    """A re-answered day appears once, with the later answer."""
    history = [*daily(5, 5), DayScore(START, 8)]
    assert score_summary(history) == "Your last 2 check-ins (pain 0-10, 2025):\n12 Nov 8 · 13 Nov 5"


def test_summary_spans_years() -> None:
    """Check-ins across New Year show both years."""
    history = daily(5, 5, start=date(2025, 12, 31))
    assert "2025-2026" in score_summary(history)


def test_worst_case_message_fits() -> None:
    """Every rule firing at once, with long numbers, stays within the length bound."""
    history = daily(*[10] * 400, start=date(2024, 1, 1))
    reasons = "x" * 60
    escalations = [Escalation(rule, Urgency.SOON, reasons, ()) for rule in RuleId]
    text = escalation_message(escalations, history, shown=400)
    assert len(text) <= MAX_MESSAGE_CHARS
    assert "cannot diagnose" in text


def test_real_worst_case_keeps_14_scores() -> None:
    """All real rules and both red flags still fit with the last 14 scores shown."""
    history = daily(*[4] * 100, *[10] * 7, start=date(2025, 1, 1))
    today = history[-1].day
    fired = evaluate(history, [], today, CONFIG, has_diabetes=True)
    assert len(fired) == 5
    flag = evaluate_red_flags(set(RedFlag), history, CONFIG)
    assert flag is not None
    text = escalation_message([flag, *fired], history)
    assert len(text) <= MAX_MESSAGE_CHARS
    assert "Your last 14 check-ins" in text


def test_message_needs_an_escalation() -> None:
    """Asking for a message with nothing fired is a bug, not an empty message."""
    with pytest.raises(ValueError, match="at least one"):
        escalation_message([], daily(5))


def test_unknown_language_falls_back_to_english() -> None:
    """A language without reviewed text gets the English message."""
    history = daily(8, 8, 8)
    fired = evaluate(history, [], history[-1].day, CONFIG, has_diabetes=False)
    assert escalation_message(fired, history, lang="zh") == escalation_message(fired, history)


def test_red_flag_question_does_not_say_doctor() -> None:
    """The follow-up question never says 'doctor', which marks escalations."""
    assert "doctor" not in red_flag_question_text().lower()


def test_red_flag_labels_do_not_say_doctor_and_fit_a_button() -> None:
    """Every label is short and free of 'doctor'."""
    for _, label in red_flag_options():
        assert "doctor" not in label.lower()
        assert 0 < len(label) <= MAX_BUTTON_CHARS


def test_red_flag_options_cover_every_flag_once_none_last() -> None:
    """Each red flag has one button, 'None of these' at the bottom."""
    flags = [flag for flag, _ in red_flag_options()]
    assert sorted(flags) == sorted(RedFlag)
    assert flags[-1] is RedFlag.NONE
