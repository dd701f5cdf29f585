"""Tests for the pure escalation rule engine."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.escalation import (
    DayScore,
    Escalation,
    PastEscalation,
    RuleId,
    RulesConfig,
    Urgency,
    normalise,
)
from bot.core.pain_rules import evaluate, needs_red_flag_question
from bot.core.warning_signs import SIGNS, RedFlag, evaluate_red_flags, offered, urgency_of

START = date(2025, 1, 6)
CONFIG = RulesConfig()
# Episode tests isolate the low-day reset from the cooldown by making the cooldown long.
LONG_COOLDOWN = replace(CONFIG, cooldown_days=60)


def daily(*scores: int, start: date = START) -> list[DayScore]:
    """Return one check-in per consecutive day from start."""
    return [DayScore(start + timedelta(days=i), s) for i, s in enumerate(scores)]


def rules(
    history: list[DayScore],
    past: list[PastEscalation] | None = None,
    *,
    config: RulesConfig = CONFIG,
    diabetes: bool = False,
    today: date | None = None,
) -> list[RuleId]:
    """Return the ids of the rules evaluate fires for the latest day of history."""
    when = today or max(entry.day for entry in history)
    return [e.rule for e in fired(history, past, config=config, diabetes=diabetes, today=when)]


def fired(
    history: list[DayScore],
    past: list[PastEscalation] | None = None,
    *,
    config: RulesConfig = CONFIG,
    diabetes: bool = False,
    today: date | None = None,
) -> list[Escalation]:
    """Return what evaluate fires for the latest day of history (or today)."""
    when = today or max(entry.day for entry in history)
    return evaluate(history, past or [], when, config, has_diabetes=diabetes)


def one(escalations: list[Escalation], rule: RuleId) -> Escalation:
    """Return the single escalation of rule in escalations."""
    matches = [e for e in escalations if e.rule == rule]
    assert len(matches) == 1, escalations
    return matches[0]


# --- values -------------------------------------------------------------------------------


def test_day_score_rejects_scores_outside_0_to_10() -> None:
    """A score of 11 is refused."""
    with pytest.raises(ValueError, match="0-10"):
        DayScore(START, 11)


def test_day_score_rejects_bool() -> None:
    """True is not a pain score."""
    with pytest.raises(TypeError):
        DayScore(START, True)


def test_defaults_match_the_issue() -> None:
    """The default numbers are the ones the safety promise states."""
    assert (CONFIG.threshold, CONFIG.persistent_days, CONFIG.cooldown_days) == (4, 14, 7)
    assert (CONFIG.severe_score, CONFIG.severe_days, CONFIG.long_haul_days) == (7, 3, 90)
    assert (CONFIG.red_flag_score, CONFIG.red_flag_jump, CONFIG.diabetes_score) == (7, 3, 4)
    assert CONFIG.red_flag_repeat_days == 3
    assert (CONFIG.worsening_window, CONFIG.worsening_delta) == (7, 2.0)
    assert CONFIG.episode_reset_low_days == 3


def test_with_overrides_replaces_threshold_and_days() -> None:
    """ESCALATION_PAIN_THRESHOLD and ESCALATION_DAYS replace the file's numbers."""
    config = CONFIG.with_overrides(threshold=5, days=21)
    assert (config.threshold, config.persistent_days) == (5, 21)
    assert config.severe_score == CONFIG.severe_score


def test_with_overrides_none_keeps_the_file_values() -> None:
    """No override leaves the config as it was."""
    assert CONFIG.with_overrides(None, None) == CONFIG


@pytest.mark.parametrize(
    ("field", "value"),
    [("threshold", 0), ("threshold", 11), ("persistent_days", 0), ("worsening_delta", 0.0)],
)
def test_config_rejects_out_of_range_numbers(field: str, value: float) -> None:
    """A number outside its range cannot make a config."""
    with pytest.raises(ValueError, match=field):
        replace(CONFIG, **{field: value})


def test_config_requires_an_urgency_for_every_rule() -> None:
    """A config missing a rule's urgency is refused."""
    with pytest.raises(ValueError, match="long_haul"):
        replace(CONFIG, urgency={RuleId.PERSISTENT: Urgency.ROUTINE})


# --- normalise ------------------------------------------------------------------------------


def test_normalise_keeps_the_latest_answer_of_a_day() -> None:
    """Two answers on one day become one, the later one."""
    answers = [DayScore(START, 2), DayScore(START, 6)]
    assert normalise(answers) == [DayScore(START, 6)]


def test_normalise_sorts_by_day() -> None:
    """Days come out in date order whatever order they went in."""
    later, earlier = DayScore(START + timedelta(days=1), 3), DayScore(START, 5)
    assert normalise([later, earlier]) == [earlier, later]


# --- persistent -----------------------------------------------------------------------------


def test_persistent_fires_on_the_14th_day_of_check_ins_at_threshold() -> None:
    """Fourteen daily check-ins at exactly the threshold fire the persistent rule."""
    escalation = one(fired(daily(*[4] * 14)), RuleId.PERSISTENT)
    assert escalation.urgency is Urgency.ROUTINE
    assert escalation.reason == (
        "your pain has gone on for at least 14 days, is still 4 or more, and has not got "
        "better over the last 14 days"
    )
    assert escalation.scores == tuple(daily(*[4] * 14))


def test_persistent_waits_for_14_days() -> None:
    """Thirteen days of check-ins at the threshold are not enough."""
    assert RuleId.PERSISTENT not in rules(daily(*[4] * 13))


def test_persistent_ignores_scores_just_below_threshold() -> None:
    """Fourteen check-ins at 3 (below 4) do not fire."""
    assert rules(daily(*[3] * 14)) == []


def test_a_low_day_resets_the_persistent_count() -> None:
    """One check-in below the threshold starts the count again."""
    history = daily(*[5] * 13, 3, *[5] * 13)
    assert RuleId.PERSISTENT not in rules(history)
    history = daily(*[5] * 13, 3, *[5] * 14)
    assert RuleId.PERSISTENT in rules(history)


def test_missing_days_do_not_reset_the_count() -> None:
    """High check-ins every third day still fire; the days between change nothing."""
    history = [DayScore(START + timedelta(days=3 * i), 5) for i in range(14)]
    assert RuleId.PERSISTENT in rules(history)


def test_same_day_re_answer_low_wins_when_given_last() -> None:
    """Re-answering the 14th day with a low score means no escalation."""
    history = [*daily(*[5] * 14), DayScore(START + timedelta(days=13), 2)]
    assert RuleId.PERSISTENT not in rules(history)


def test_same_day_re_answer_high_wins_when_given_last() -> None:
    """Re-answering the 14th day with a high score counts the high score."""
    day14 = START + timedelta(days=13)
    history = [*daily(*[5] * 13), DayScore(day14, 2), DayScore(day14, 6)]
    assert RuleId.PERSISTENT in rules(history)


def test_persistent_days_override_applies() -> None:
    """With ESCALATION_DAYS=7, seven days of high check-ins are enough."""
    config = CONFIG.with_overrides(days=7)
    escalation = one(fired(daily(*[4] * 7), config=config), RuleId.PERSISTENT)
    assert "over the last 7 days" in escalation.reason


def test_threshold_override_applies() -> None:
    """With ESCALATION_PAIN_THRESHOLD=5, fourteen 4s no longer fire."""
    config = CONFIG.with_overrides(threshold=5)
    assert RuleId.PERSISTENT not in rules(daily(*[4] * 14), config=config)
    assert RuleId.PERSISTENT in rules(daily(*[5] * 14), config=config)


# --- severe ---------------------------------------------------------------------------------


def test_severe_fires_after_three_check_ins_at_7() -> None:
    """Three check-ins in a row at exactly 7 fire 'see a GP soon'."""
    escalation = one(fired(daily(2, 7, 7, 7)), RuleId.SEVERE)
    assert escalation.urgency is Urgency.SOON
    assert escalation.scores == tuple(daily(2, 7, 7, 7)[1:])


def test_severe_needs_three_in_a_row() -> None:
    """A 6 between severe days breaks the run."""
    assert RuleId.SEVERE not in rules(daily(7, 6, 7, 7))
    assert RuleId.SEVERE not in rules(daily(8, 8))


def test_severe_counts_check_in_days_not_calendar_days() -> None:
    """A day without a check-in does not break a run of severe days."""
    history = [DayScore(START, 8), DayScore(START + timedelta(days=2), 8)]
    history.append(DayScore(START + timedelta(days=3), 9))
    assert RuleId.SEVERE in rules(history)


# --- worsening ------------------------------------------------------------------------------


def test_worsening_fires_at_exactly_two_points_higher() -> None:
    """Seven 4s after seven 2s is a rise of exactly 2 and fires."""
    escalation = one(fired(daily(*[2] * 7, *[4] * 7)), RuleId.WORSENING)
    assert escalation.urgency is Urgency.ROUTINE
    assert "(4.0) is 2.0 points higher than over the 7 days before (2.0)" in escalation.reason
    assert len(escalation.scores) == 14


def test_worsening_needs_a_rise_of_two() -> None:
    """A rise of just under 2 points does not fire."""
    assert RuleId.WORSENING not in rules(daily(*[2] * 7, 3, *[4] * 6))


def test_worsening_needs_latest_at_threshold() -> None:
    """A big rise that ends below the threshold does not fire."""
    assert RuleId.WORSENING not in rules(daily(*[0] * 7, 6, 6, 6, 6, 6, 6, 3))


def test_worsening_needs_two_check_ins_in_the_week_before() -> None:
    """One check-in in the week before is too little to compare with."""
    assert RuleId.WORSENING not in rules(daily(1, *[6] * 7))
    assert RuleId.WORSENING in rules(daily(1, 1, *[6] * 7))


# --- diabetes -------------------------------------------------------------------------------


def test_diabetes_fires_at_4() -> None:
    """With diabetes, a single check-in of 4 means see a GP soon (the foot check asks the rest)."""
    escalation = one(fired(daily(4), diabetes=True), RuleId.DIABETES)
    assert escalation.urgency is Urgency.SOON
    assert escalation.scores == (DayScore(START, 4),)


def test_diabetes_soon_rule_quiet_below_4() -> None:
    """With diabetes, a 3 does not fire the 'within days' rule (only the one-off routine one)."""
    assert rules(daily(3), diabetes=True) == [RuleId.DIABETES_FIRST]


def test_no_diabetes_rule_without_diabetes() -> None:
    """Without diabetes, a single 4 does not fire anything."""
    assert rules(daily(4)) == []


# --- long haul ------------------------------------------------------------------------------


def weekly(*scores: int, start: date = START) -> list[DayScore]:
    """Return one check-in a week from start."""
    return [DayScore(start + timedelta(weeks=i), s) for i, s in enumerate(scores)]


def test_long_haul_fires_after_90_days_of_pain() -> None:
    """Pain still at 5 on the 90th day since the first check-in suggests a referral."""
    history = weekly(*[5] * 13)
    today = START + timedelta(days=89)
    history.append(DayScore(today, 5))
    escalation = one(fired(history), RuleId.LONG_HAUL)
    assert escalation.urgency is Urgency.ADVICE
    assert "90 days" in escalation.reason
    assert len(escalation.scores) == CONFIG.long_haul_window


def test_long_haul_waits_for_90_days() -> None:
    """Eighty-nine days of pain are not yet long haul."""
    history = [*weekly(*[5] * 12), DayScore(START + timedelta(days=88), 5)]
    assert RuleId.LONG_HAUL not in rules(history)


def test_long_haul_counts_from_when_pain_came_back() -> None:
    """Three low check-ins in a row end a stretch; a flare after them starts a new count."""
    history = [*weekly(*[5] * 6, 1, 1, 1), *weekly(*[6] * 8, start=START + timedelta(weeks=9))]
    assert (history[-1].day - START).days >= 90
    assert RuleId.LONG_HAUL not in rules(history)


def test_long_haul_survives_scattered_good_days() -> None:
    """Single good days do not end a long stretch of pain."""
    history = weekly(*[6, 2] * 7, 6)
    assert (history[-1].day - START).days >= 90
    assert RuleId.LONG_HAUL in rules(history)


def test_long_haul_needs_recent_average_at_threshold() -> None:
    """A latest 4 after a mostly mild week does not count as still in pain."""
    history = weekly(*[6] * 8, 2, 5, 2, 5, 2, 2, 4)
    assert (history[-1].day - START).days >= 90
    assert RuleId.LONG_HAUL not in rules(history)


def test_long_haul_needs_latest_at_threshold() -> None:
    """A latest score below the threshold means not still in pain."""
    history = weekly(*[6] * 14, 3)
    assert RuleId.LONG_HAUL not in rules(history)


# --- episodes and cooldown ------------------------------------------------------------------


def test_rule_is_quiet_the_day_after_it_fired() -> None:
    """Persistent pain fired yesterday; still high today, nothing new is sent."""
    history = daily(*[5] * 15)
    past = [PastEscalation(RuleId.PERSISTENT, history[-2].day)]
    assert RuleId.PERSISTENT not in rules(history, past)


def test_re_answer_on_the_same_day_does_not_repeat() -> None:
    """Evaluating again on the day an escalation was sent sends nothing new."""
    history = daily(*[5] * 14)
    past = [PastEscalation(RuleId.PERSISTENT, history[-1].day)]
    assert rules([*history, DayScore(history[-1].day, 6)], past) == []


def test_cooldown_lets_the_rule_speak_again_after_7_days() -> None:
    """Still high 7 days after the escalation, the rule fires again."""
    history = daily(*[5] * 21)
    past = [PastEscalation(RuleId.PERSISTENT, history[13].day)]
    assert RuleId.PERSISTENT in rules(history, past)


def test_cooldown_is_not_over_after_6_days() -> None:
    """Six days after the escalation the rule is still quiet."""
    history = daily(*[5] * 20)
    past = [PastEscalation(RuleId.PERSISTENT, history[13].day)]
    assert RuleId.PERSISTENT not in rules(history, past)


def test_cooldown_counts_calendar_days_without_check_ins() -> None:
    """A week with no check-ins still ends the cooldown."""
    history = daily(*[8] * 3)
    past = [PastEscalation(RuleId.SEVERE, history[-1].day)]
    later = [*history, DayScore(history[-1].day + timedelta(days=7), 8)]
    assert RuleId.SEVERE in rules(later, past)


def test_three_low_days_end_the_episode() -> None:
    """Severe fired, then three low days and three severe days: it fires again."""
    history = daily(8, 8, 8, 2, 2, 2, 8, 8, 8)
    past = [PastEscalation(RuleId.SEVERE, history[2].day)]
    assert RuleId.SEVERE in rules(history, past, config=LONG_COOLDOWN)


def test_two_low_days_do_not_end_the_episode() -> None:
    """Severe fired, then only two low days: the rule stays quiet."""
    history = daily(8, 8, 8, 2, 2, 8, 8, 8)
    past = [PastEscalation(RuleId.SEVERE, history[2].day)]
    assert RuleId.SEVERE not in rules(history, past, config=LONG_COOLDOWN)


def test_low_days_of_an_episode_need_not_be_in_a_row() -> None:
    """Three low days with high days between them still end the episode."""
    history = daily(8, 8, 8, 2, 8, 2, 8, 2, 8, 8, 8)
    past = [PastEscalation(RuleId.SEVERE, history[2].day)]
    assert RuleId.SEVERE in rules(history, past, config=LONG_COOLDOWN)


def test_low_days_before_the_escalation_do_not_count() -> None:
    """Only low days after the last escalation end its episode."""
    history = daily(2, 2, 2, 8, 8, 8, 8)
    past = [PastEscalation(RuleId.SEVERE, history[5].day)]
    assert RuleId.SEVERE not in rules(history, past, config=LONG_COOLDOWN)


def test_suppression_is_per_rule() -> None:
    """A recent severe escalation does not hold back the persistent rule."""
    history = daily(*[8] * 14)
    past = [
        PastEscalation(RuleId.SEVERE_DAY, history[0].day),
        PastEscalation(RuleId.SEVERE, history[-2].day),
    ]
    assert rules(history, past) == [RuleId.PERSISTENT]


def test_latest_past_escalation_of_a_rule_counts() -> None:
    """An old escalation does not lift the suppression of a recent one."""
    history = daily(*[8] * 30)
    old, recent = history[2].day, history[-2].day
    past = [PastEscalation(RuleId.SEVERE, recent), PastEscalation(RuleId.SEVERE, old)]
    assert RuleId.SEVERE not in rules(history, past)


def test_diabetes_rule_has_episodes_too() -> None:
    """With diabetes, a 5 the day after the diabetes escalation sends nothing new."""
    history = daily(5, 5)
    past = [PastEscalation(RuleId.DIABETES, START)]
    assert rules(history, past, diabetes=True) == []


# --- ordering -------------------------------------------------------------------------------


def test_most_urgent_first() -> None:
    """Soon (diabetes, then severe) before routine (severe day, then persistent)."""
    history = daily(*[8] * 14)
    assert rules(history, diabetes=True) == [
        RuleId.DIABETES,
        RuleId.SEVERE,
        RuleId.SEVERE_DAY,
        RuleId.PERSISTENT,
    ]


def test_rules_file_urgency_is_used() -> None:
    """An urgency changed in the rules file changes the escalation's urgency."""
    urgency = {**CONFIG.urgency, RuleId.PERSISTENT: Urgency.SOON}
    config = replace(CONFIG, urgency=urgency)
    assert one(fired(daily(*[4] * 14), config=config), RuleId.PERSISTENT).urgency is Urgency.SOON


def test_future_check_ins_are_ignored() -> None:
    """Entries dated after today (clock skew) do not count."""
    history = daily(*[8] * 3)
    # Two days of 8 by that day: a severe day, not yet three severe days in a row.
    assert rules(history, today=history[1].day) == [RuleId.SEVERE_DAY]


def test_empty_history_fires_nothing() -> None:
    """No check-ins, no escalation."""
    assert evaluate([], [], START, CONFIG, has_diabetes=True) == []


# --- red flags ------------------------------------------------------------------------------


def test_red_flag_question_after_a_score_of_7() -> None:
    """A latest score of 7 asks the red-flag question."""
    assert needs_red_flag_question(daily(7), CONFIG)


def test_no_red_flag_question_at_6_without_a_jump() -> None:
    """A 6 after a 5 does not ask."""
    assert not needs_red_flag_question(daily(5, 6), CONFIG)


def test_red_flag_question_after_a_jump_of_3() -> None:
    """A rise of exactly 3 since the previous check-in asks."""
    assert needs_red_flag_question(daily(2, 5), CONFIG)


def test_no_red_flag_question_after_a_jump_of_2() -> None:
    """A rise of 2 does not ask."""
    assert not needs_red_flag_question(daily(2, 4), CONFIG)


def test_red_flag_jump_compares_check_in_days() -> None:
    """The jump is measured from the previous check-in, however long ago."""
    history = [DayScore(START, 1), DayScore(START + timedelta(days=5), 4)]
    assert needs_red_flag_question(history, CONFIG)


def test_red_flag_question_uses_the_latest_answer_of_the_day() -> None:
    """An 8 re-answered as 2 on the same day does not ask."""
    assert not needs_red_flag_question([DayScore(START, 8), DayScore(START, 2)], CONFIG)


def test_no_red_flag_question_without_check_ins() -> None:
    """No history, no question."""
    assert not needs_red_flag_question([], CONFIG)


@pytest.mark.parametrize(
    "flag",
    [
        RedFlag.INJURY,
        RedFlag.CANNOT_BEAR_WEIGHT,
        RedFlag.MISSHAPEN,
        RedFlag.FALL,
        RedFlag.COLD_FOOT,
    ],
)
def test_fracture_signs_mean_a_and_e_now(flag: RedFlag) -> None:
    """Injury signs, no weight-bearing, a misshapen or cold foot are an emergency."""
    escalation = evaluate_red_flags({flag}, daily(3, 8), CONFIG)
    assert escalation is not None
    assert (escalation.rule, escalation.urgency) == (
        RuleId.RED_FLAG_EMERGENCY,
        Urgency.EMERGENCY,
    )


@pytest.mark.parametrize("flag", [RedFlag.INJURY, RedFlag.CANNOT_BEAR_WEIGHT])
def test_rupture_signs_say_what_they_can_mean(flag: RedFlag) -> None:
    escalation = evaluate_red_flags({flag}, daily(2), CONFIG)
    assert escalation is not None
    assert "broken bone or a torn Achilles tendon" in escalation.reason


@pytest.mark.parametrize("flag", [RedFlag.NUMBNESS, RedFlag.REST_OR_NIGHT, RedFlag.BOTH_FEET])
def test_nerve_and_night_signs_mean_within_days(flag: RedFlag) -> None:
    escalation = evaluate_red_flags({flag}, daily(2), CONFIG)
    assert escalation is not None
    assert (escalation.rule, escalation.urgency) == (RuleId.RED_FLAG_SOON, Urgency.SOON)


def test_with_diabetes_fever_is_an_emergency_and_numbness_is_today() -> None:
    fever = evaluate_red_flags({RedFlag.FEVER}, daily(2), CONFIG, has_diabetes=True)
    numb = evaluate_red_flags({RedFlag.NUMBNESS}, daily(2), CONFIG, has_diabetes=True)
    assert fever is not None
    assert numb is not None
    assert (fever.urgency, numb.urgency) == (Urgency.EMERGENCY, Urgency.URGENT)


def test_the_diabetes_foot_sign_is_offered_only_with_diabetes() -> None:
    assert RedFlag.DIABETES_FOOT not in offered(has_diabetes=False)
    assert RedFlag.DIABETES_FOOT in offered(has_diabetes=True)
    assert offered(has_diabetes=False)[-1] is RedFlag.NONE


@pytest.mark.parametrize("diabetes", [False, True])
def test_signs_are_offered_most_serious_first_for_this_user(diabetes: bool) -> None:
    """The user taps the sign nearest the top, so the order follows their own urgency."""
    flags = offered(has_diabetes=diabetes)[:-1]
    urgencies = [urgency_of(flag, has_diabetes=diabetes) for flag in flags]
    assert urgencies == sorted(urgencies, key=lambda u: -int(u or 0))
    if diabetes:
        assert flags.index(RedFlag.FEVER) < flags.index(RedFlag.HOT_RED_SWOLLEN)


def test_a_warning_sign_at_low_pain_still_escalates() -> None:
    """A snap at pain 2 (a rupture can hurt little) is an emergency all the same."""
    escalation = evaluate_red_flags({RedFlag.INJURY}, daily(2), CONFIG)
    assert escalation is not None
    assert escalation.urgency is Urgency.EMERGENCY


def test_one_severe_day_is_told_once_per_episode() -> None:
    """A 9 on day one fires severe_day; it stays quiet while the pain stays, even past the
    cooldown, and speaks again after the pain settled and came back."""
    history = daily(9)
    assert rules(history) == [RuleId.SEVERE_DAY]
    assert rules(daily(5)) == []
    past = [PastEscalation(RuleId.SEVERE_DAY, START)]
    later = daily(9, *[5] * 9, 9)
    assert RuleId.SEVERE_DAY not in rules(later, past)
    settled = daily(9, 2, 2, 2, 9)
    assert RuleId.SEVERE_DAY in rules(settled, past)


def test_one_lower_day_does_not_restart_persistent_pain() -> None:
    history = daily(*[5] * 7, 3, *[5] * 6)
    assert RuleId.PERSISTENT in rules(history)


def test_an_improvement_of_two_points_is_not_persistent_pain() -> None:
    assert RuleId.PERSISTENT not in rules(daily(*[6] * 13, 4))
    assert RuleId.PERSISTENT in rules(daily(*[6] * 13, 5))


def test_persistent_pain_with_three_day_setting_fires_on_day_three() -> None:
    """ESCALATION_DAYS=3, threshold 4: 5 every day says 'doctor' on day 3, 2 never does."""
    config = CONFIG.with_overrides(threshold=4, days=3)
    assert RuleId.PERSISTENT not in rules(daily(5, 5), config=config)
    assert RuleId.PERSISTENT in rules(daily(5, 5, 5), config=config)
    assert rules(daily(*[2] * 30), config=config) == []


def test_pain_that_keeps_coming_back_fires_on_the_third_episode() -> None:
    """Three stretches of pain within 90 days, each after the pain settled."""
    calm = [1, 1, 1]
    two = daily(5, *calm, 5, *calm)
    three = daily(5, *calm, 5, *calm, 5)
    assert RuleId.RECURRING not in rules(two)
    assert RuleId.RECURRING in rules(three)


def test_diabetes_is_not_repeated_weekly_while_pain_stays() -> None:
    history = daily(*[4] * 20)
    past = [PastEscalation(RuleId.DIABETES, START)]
    assert RuleId.DIABETES not in rules(history, past, diabetes=True)


@pytest.mark.parametrize("flag", [RedFlag.HOT_RED_SWOLLEN, RedFlag.FEVER, RedFlag.ANTIBIOTIC])
def test_nerve_and_infection_signs_mean_gp_urgently(flag: RedFlag) -> None:
    """A hot, red, swollen foot or fever means an urgent GP visit."""
    escalation = evaluate_red_flags({flag}, daily(3, 8), CONFIG)
    assert escalation is not None
    assert (escalation.rule, escalation.urgency) == (RuleId.RED_FLAG_URGENT, Urgency.URGENT)


def test_none_of_these_means_no_red_flag() -> None:
    """'None of these' (or nothing ticked) escalates nothing."""
    assert evaluate_red_flags({RedFlag.NONE}, daily(8), CONFIG) is None
    assert evaluate_red_flags(set(), daily(8), CONFIG) is None


def test_emergency_flag_wins_and_mentions_the_others() -> None:
    """Misshapen plus numbness is an emergency whose reason names both."""
    escalation = evaluate_red_flags({RedFlag.NUMBNESS, RedFlag.MISSHAPEN}, daily(8), CONFIG)
    assert escalation is not None
    assert escalation.urgency is Urgency.EMERGENCY
    assert "misshapen" in escalation.reason
    assert "numbness" in escalation.reason


def test_real_flag_beats_none_of_these() -> None:
    """A contradictory 'none' next to a real flag does not hide the flag."""
    escalation = evaluate_red_flags({RedFlag.NONE, RedFlag.HOT_RED_SWOLLEN}, daily(8), CONFIG)
    assert escalation is not None
    assert escalation.rule is RuleId.RED_FLAG_URGENT


def test_red_flag_keeps_the_scores_that_prompted_it() -> None:
    """The stored scores are the latest check-in and the one before."""
    escalation = evaluate_red_flags({RedFlag.INJURY}, daily(1, 2, 6), CONFIG)
    assert escalation is not None
    assert escalation.scores == tuple(daily(1, 2, 6)[1:])


def test_red_flags_are_never_suppressed() -> None:
    """The same red flag on the same day escalates every time it is reported."""
    first = evaluate_red_flags({RedFlag.INJURY}, daily(8), CONFIG)
    again = evaluate_red_flags({RedFlag.INJURY}, daily(8), CONFIG)
    assert first is not None
    assert first == again


def test_red_flag_past_does_not_suppress_score_rules() -> None:
    """A red-flag escalation yesterday does not hold back the severe rule today."""
    history = daily(8, 8, 8)
    past = [PastEscalation(RuleId.RED_FLAG_EMERGENCY, history[-2].day)]
    assert RuleId.SEVERE in rules(history, past)


# --- properties -----------------------------------------------------------------------------

scores_st = st.lists(st.integers(0, 10), max_size=120)
gaps_st = st.lists(st.integers(1, 4), min_size=120, max_size=120)
past_st = st.lists(st.tuples(st.sampled_from(list(RuleId)), st.integers(0, 200)), max_size=6)


def spaced(scores: list[int], gaps: list[int]) -> list[DayScore]:
    """Return check-ins with the given gaps in days between them."""
    day, history = START, []
    for score, gap in zip(scores, gaps, strict=False):
        history.append(DayScore(day, score))
        day += timedelta(days=gap)
    return history


@settings(max_examples=200, deadline=None)
@given(scores_st, gaps_st, past_st, st.booleans(), st.integers(0, 30))
def test_evaluate_never_raises_or_repeats_a_rule(
    scores: list[int],
    gaps: list[int],
    past: list[tuple[RuleId, int]],
    diabetes: bool,
    extra_days: int,
) -> None:
    """Any history gives distinct rules, most urgent first."""
    history = spaced(scores, gaps)
    today = (history[-1].day if history else START) + timedelta(days=extra_days)
    pasts = [PastEscalation(rule, START + timedelta(days=d)) for rule, d in past]
    result = evaluate(history, pasts, today, CONFIG, has_diabetes=diabetes)
    ids = [e.rule for e in result]
    assert len(ids) == len(set(ids))
    assert [e.urgency for e in result] == sorted((e.urgency for e in result), reverse=True)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 10), st.data())
def test_below_threshold_never_escalates(threshold: int, data: st.DataObject) -> None:
    """Every score below the threshold, and no diabetes: no score-based rule fires."""
    config = replace(CONFIG, threshold=threshold, severe_score=max(threshold, 7))
    scores = data.draw(st.lists(st.integers(0, threshold - 1), max_size=150))
    gaps = data.draw(gaps_st)
    history = spaced(scores, gaps)
    today = history[-1].day if history else START
    assert evaluate(history, [], today, config, has_diabetes=False) == []


@settings(max_examples=200, deadline=None)
@given(scores_st, gaps_st, st.booleans())
def test_same_day_repeat_is_silent(scores: list[int], gaps: list[int], diabetes: bool) -> None:
    """Once today's escalations are recorded, evaluating again today sends nothing."""
    history = spaced(scores, gaps)
    today = history[-1].day if history else START
    first = evaluate(history, [], today, CONFIG, has_diabetes=diabetes)
    past = [PastEscalation(e.rule, today) for e in first]
    assert evaluate(history, past, today, CONFIG, has_diabetes=diabetes) == []


@pytest.mark.parametrize(
    ("flag", "without_diabetes", "with_diabetes", "source"),
    [
        (RedFlag.ACHILLES_RUPTURE, Urgency.EMERGENCY, Urgency.EMERGENCY, "cuh.nhs.uk"),
        (RedFlag.CALF, Urgency.URGENT, Urgency.URGENT, "uclh.nhs.uk"),
        (RedFlag.FEVER, Urgency.URGENT, Urgency.EMERGENCY, "devonformularyguidance.nhs.uk"),
        (RedFlag.HEEL_SQUEEZE, Urgency.SOON, Urgency.SOON, "fpnotebook.com"),
        (RedFlag.NIGHT_WEIGHT_LOSS, Urgency.SOON, Urgency.SOON, "nhslothian.scot"),
    ],
)
def test_the_signs_added_in_issue_20_have_their_urgency_and_an_https_source(
    flag: RedFlag, without_diabetes: Urgency, with_diabetes: Urgency, source: str
) -> None:
    """Issue 20 item 3: a rupture without a snap is an emergency; a calf, and fever or chills,
    the same day (fever an emergency with diabetes); a squeezed heel and night pain with weight
    loss within days. Each is offered to every user and cites the page it comes from."""
    for diabetes, urgency in ((False, without_diabetes), (True, with_diabetes)):
        assert urgency_of(flag, has_diabetes=diabetes) is urgency
        escalation = evaluate_red_flags({flag}, daily(1), CONFIG, has_diabetes=diabetes)
        assert escalation is not None
        assert escalation.urgency is urgency
        assert flag in offered(has_diabetes=diabetes)
    assert SIGNS[flag].source.startswith("https://")
    assert source in SIGNS[flag].source
