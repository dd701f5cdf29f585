"""The outcome rules: start, last, change and whether it matters; when each question is due;
yesterday's check-in. Pure functions over dates, checked by examples and with hypothesis."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.outcomes import Activity, ActivityRating, FootProfile, PainEntry, PainSite, Side
from bot.features.outcomes.measures import (
    ACTIVITY_NAME_MAX,
    MONTH,
    SMALLEST_CHANGE,
    Carrier,
    Fill,
    Measure,
    NameProblem,
    Verdict,
    activities_invite_due,
    activity_progress,
    asks_first_step,
    asks_joint_question,
    clean_activity_name,
    fill_rule,
    judge,
    missed_yesterday,
    monthly_due,
    pain_progress,
    rerate_due,
    rerate_offer,
    tenths,
)

START = date(2026, 11, 2)  # a Monday
DAY = timedelta(days=1)
PAIN_MEASURES = (Measure.FIRST_STEP_PAIN, Measure.DAILY_PAIN)


def week(first: date, *scores: int, late: bool = False) -> list[PainEntry]:
    """Return one entry a day from `first`."""
    return [PainEntry(first + i * DAY, s, late) for i, s in enumerate(scores)]


# --- the figures and their conversion -------------------------------------------------------


def test_first_step_pain_uses_19_mm_on_100_mm_as_1_9_points() -> None:
    """Landorf 2010's -19 mm on a 100 mm scale is 1.9 on 0-10 (10 mm a point), lower better."""
    rule = SMALLEST_CHANGE[Measure.FIRST_STEP_PAIN]
    assert rule.points == Decimal(19) / 10
    assert rule.lower_is_better
    assert "19 mm" in rule.derivation
    assert "100 mm" in rule.derivation
    assert rule.source.startswith("http")


def test_daily_pain_uses_8_mm_and_activities_use_1_3_points() -> None:
    """Average pain -8 mm is 0.8 points; the PSFS score's small change is 1.3, higher better."""
    assert SMALLEST_CHANGE[Measure.DAILY_PAIN].points == Decimal(8) / 10
    activities = SMALLEST_CHANGE[Measure.ACTIVITIES]
    assert activities.points == Decimal("1.3")
    assert not activities.lower_is_better
    assert "no conversion" in activities.derivation


@pytest.mark.parametrize(
    ("measure", "change", "verdict"),
    [
        (Measure.FIRST_STEP_PAIN, "-1.9", Verdict.BETTER),
        (Measure.FIRST_STEP_PAIN, "-1.8", Verdict.SMALLER),
        (Measure.FIRST_STEP_PAIN, "1.9", Verdict.WORSE),
        (Measure.FIRST_STEP_PAIN, "0.0", Verdict.SMALLER),
        (Measure.DAILY_PAIN, "-0.8", Verdict.BETTER),
        (Measure.DAILY_PAIN, "-0.7", Verdict.SMALLER),
        (Measure.ACTIVITIES, "1.3", Verdict.BETTER),
        (Measure.ACTIVITIES, "1.2", Verdict.SMALLER),
        (Measure.ACTIVITIES, "-1.3", Verdict.WORSE),
    ],
)
def test_a_change_is_judged_at_the_smallest_change_that_matters(
    measure: Measure, change: str, verdict: Verdict
) -> None:
    """Exactly the figure counts; a tenth less does not; pain falls and activities rise."""
    assert judge(measure, Decimal(change)) is verdict


def test_tenths_round_halves_up_exactly() -> None:
    """Means are rounded to a tenth, halves up, with no binary floating point in the way."""
    assert tenths(Fraction(21, 4)) == Decimal("5.3")
    assert tenths(Fraction(29, 7)) == Decimal("4.1")
    assert tenths(0) == Decimal("0.0")


# --- first-step and daily pain --------------------------------------------------------------


@pytest.mark.parametrize("measure", PAIN_MEASURES)
def test_nothing_recorded_says_no_data(measure: Measure) -> None:
    assert pain_progress(measure, [], START).verdict is Verdict.NO_DATA


def test_first_step_pain_from_6_to_4_1_is_a_change_that_matters() -> None:
    """A first week at 6.0 and a latest week at 4.1 (29/7): -1.9, the smallest that matters."""
    entries = week(START, *[6] * 7) + week(START + 14 * DAY, 4, 4, 4, 4, 4, 4, 5)
    progress = pain_progress(Measure.FIRST_STEP_PAIN, entries, START + 20 * DAY)
    assert (progress.start, progress.last, progress.change) == (
        Decimal("6.0"),
        Decimal("4.1"),
        Decimal("-1.9"),
    )
    assert progress.verdict is Verdict.BETTER
    assert progress.matters
    assert (progress.start_day, progress.last_day) == (START, START + 20 * DAY)
    assert (progress.start_count, progress.last_count) == (7, 7)


def test_the_same_change_matters_for_daily_pain_but_not_for_first_steps() -> None:
    """-1.7 reaches daily pain's 0.8 but not first-step pain's 1.9."""
    entries = week(START, *[6] * 7) + week(START + 14 * DAY, 4, 4, 4, 5, 5, 4, 4)
    on = START + 20 * DAY
    assert pain_progress(Measure.FIRST_STEP_PAIN, entries, on).verdict is Verdict.SMALLER
    assert pain_progress(Measure.DAILY_PAIN, entries, on).verdict is Verdict.BETTER


def test_worse_by_as_much_is_said_too() -> None:
    entries = week(START, *[3] * 7) + week(START + 14 * DAY, *[6] * 7)
    progress = pain_progress(Measure.FIRST_STEP_PAIN, entries, START + 21 * DAY)
    assert (progress.change, progress.verdict) == (Decimal("3.0"), Verdict.WORSE)


def test_the_first_two_weeks_are_too_early_to_tell() -> None:
    """Day 13 of the record: the start is known, no last value and no change yet."""
    entries = week(START, *[7] * 14)
    progress = pain_progress(Measure.DAILY_PAIN, entries, START + 13 * DAY)
    assert progress.verdict is Verdict.TOO_EARLY
    assert progress.start == Decimal("7.0")
    assert (progress.last, progress.change) == (None, None)
    assert pain_progress(Measure.DAILY_PAIN, entries, START + 14 * DAY).verdict is (Verdict.SMALLER)


def test_no_answers_after_the_first_week_leaves_nothing_to_compare() -> None:
    entries = week(START, 5, 5, 5, 5, 5, 5, 5, 5)
    progress = pain_progress(Measure.DAILY_PAIN, entries, START + 30 * DAY)
    assert progress.verdict is Verdict.NO_RECENT
    assert progress.change is None


def test_the_activities_score_is_not_a_pain_measure() -> None:
    with pytest.raises(ValueError, match="activity_progress"):
        pain_progress(Measure.ACTIVITIES, [], START)


scores = st.integers(min_value=0, max_value=10)
diaries = st.dictionaries(st.integers(min_value=0, max_value=60), scores, min_size=1)
offsets = st.integers(min_value=0, max_value=90)


def entries_of(diary: dict[int, int]) -> list[PainEntry]:
    return [PainEntry(START + d * DAY, s) for d, s in sorted(diary.items())]


@given(diary=diaries, today_offset=offsets, measure=st.sampled_from(PAIN_MEASURES))
def test_the_verdict_follows_the_calendar(
    diary: dict[int, int], today_offset: int, measure: Measure
) -> None:
    """Too early before day 14 of the measure; then a change once a later week stands apart."""
    today = START + today_offset * DAY
    shown = {d: s for d, s in diary.items() if d <= today_offset}
    progress = pain_progress(measure, entries_of(diary), today)
    if not shown:
        assert progress.verdict is Verdict.NO_DATA
        return
    first, latest = min(shown), max(shown)
    if today_offset < first + 14:
        assert progress.verdict is Verdict.TOO_EARLY
    elif latest < first + 13:
        assert progress.verdict is Verdict.NO_RECENT
    else:
        assert progress.verdict in (Verdict.BETTER, Verdict.WORSE, Verdict.SMALLER)


@given(diary=diaries, today_offset=offsets, measure=st.sampled_from(PAIN_MEASURES))
def test_the_numbers_shown_add_up_and_are_the_weeks_means(
    diary: dict[int, int], today_offset: int, measure: Measure
) -> None:
    """Start and last are their week's mean to a tenth; change is last - start as shown."""
    today = START + today_offset * DAY
    progress = pain_progress(measure, entries_of(diary), today)
    shown = {d: s for d, s in diary.items() if d <= today_offset}
    if progress.start is not None:
        first = min(shown)
        opening = [s for d, s in shown.items() if d < first + 7]
        assert abs(progress.start - Decimal(sum(opening)) / len(opening)) <= Decimal("0.05")
        assert progress.start_count == len(opening)
    if progress.change is not None:
        assert progress.last is not None
        assert progress.start is not None
        assert progress.change == progress.last - progress.start
        assert progress.verdict is judge(measure, progress.change)


@given(diary=diaries, today_offset=offsets, future=st.lists(scores, min_size=1, max_size=5))
def test_answers_after_today_change_nothing(
    diary: dict[int, int], today_offset: int, future: list[int]
) -> None:
    today = START + today_offset * DAY
    entries = entries_of(diary)
    later = [PainEntry(today + (i + 1) * DAY, s) for i, s in enumerate(future)]
    assert pain_progress(Measure.DAILY_PAIN, entries + later, today) == pain_progress(
        Measure.DAILY_PAIN, entries, today
    )


# --- the user's own activities --------------------------------------------------------------


def activity(activity_id: int, *ratings: tuple[int, int], dropped: date | None = None) -> Activity:
    """An activity named on its first rating's day, rated (day offset, score)."""
    rated = tuple(ActivityRating(START + d * DAY, s) for d, s in ratings)
    added = rated[0].day if rated else START
    return Activity(activity_id, f"activity {activity_id}", added, dropped, ratings=rated)


def test_two_activities_rated_again_two_weeks_later() -> None:
    """Named and rated 2 and 4 in week one, 5 and 5 two weeks later: 3.0 to 5.0, +2.0."""
    walk = activity(1, (0, 2), (7, 3), (14, 5))
    stand = activity(2, (1, 4), (15, 5))
    progress, each = activity_progress([walk, stand], START + 15 * DAY)
    assert (progress.start, progress.last, progress.change) == (
        Decimal("3.0"),
        Decimal("5.0"),
        Decimal("2.0"),
    )
    assert progress.verdict is Verdict.BETTER
    assert [p.change for p in each] == [3, 1]


def test_an_activity_added_later_waits_for_its_own_two_weeks() -> None:
    """Its single rating neither starts nor moves the score; it is listed with its start."""
    walk = activity(1, (0, 2), (14, 4))
    run = activity(2, (13, 1))
    progress, each = activity_progress([walk, run], START + 14 * DAY)
    assert (progress.start, progress.last, progress.start_count) == (
        Decimal("2.0"),
        Decimal("4.0"),
        1,
    )
    assert (each[1].start, each[1].change) == (1, None)


def test_a_dropped_activity_leaves_the_score() -> None:
    walk = activity(1, (0, 2), (14, 8), dropped=START + 15 * DAY)
    stand = activity(2, (0, 5), (14, 5))
    progress, each = activity_progress([walk, stand], START + 16 * DAY)
    assert (progress.change, progress.verdict) == (Decimal("0.0"), Verdict.SMALLER)
    assert [p.activity.activity_id for p in each] == [2]


def test_activities_too_early_not_rerated_or_not_rated() -> None:
    first_week = activity(1, (0, 3), (7, 4))
    assert activity_progress([first_week], START + 10 * DAY)[0].verdict is Verdict.TOO_EARLY
    assert activity_progress([first_week], START + 30 * DAY)[0].verdict is Verdict.NO_RECENT
    assert activity_progress([activity(1)], START)[0].verdict is Verdict.NO_DATA
    assert activity_progress([], START)[0].verdict is Verdict.NO_DATA


# --- when to ask ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "asked"),
    [
        (None, False),
        (FootProfile(), False),
        (FootProfile(site=PainSite.UNDER_HEEL), True),
        (FootProfile(site=PainSite.UNDER_HEEL, first_step=False), False),
        (FootProfile(site=PainSite.ACHILLES), False),
        (FootProfile(site=PainSite.NOT_SURE, first_step=True), True),
    ],
)
def test_first_steps_are_asked_for_pain_under_the_heel_or_when_turned_on(
    profile: FootProfile | None, asked: bool
) -> None:
    assert asks_first_step(profile) is asked


def test_both_feet_ask_the_joint_question_once() -> None:
    assert asks_joint_question(FootProfile(side=Side.BOTH))
    assert not asks_joint_question(FootProfile(side=Side.BOTH, joint_question_on=START))
    assert not asks_joint_question(FootProfile(side=Side.LEFT))
    assert not asks_joint_question(None)


def test_activities_are_invited_once_in_the_first_week() -> None:
    assert activities_invite_due(START + 6 * DAY, START, named=0, invited_on=None)
    assert not activities_invite_due(START + 7 * DAY, START, named=0, invited_on=None)
    assert not activities_invite_due(START, START, named=0, invited_on=START)
    assert not activities_invite_due(START, START, named=1, invited_on=None)


def test_the_monthly_questions_come_after_four_weeks_and_then_every_four() -> None:
    assert not monthly_due(START + 27 * DAY, START, None)
    assert monthly_due(START + 28 * DAY, START, None)
    assert not monthly_due(START + 40 * DAY, START, START + 28 * DAY)
    assert monthly_due(START + 56 * DAY, START, START + 28 * DAY)


@given(days=st.integers(min_value=1, max_value=400))
def test_offering_whenever_due_gives_one_offer_every_four_weeks(days: int) -> None:
    """An ignored offer counts: the questions never come back within four weeks."""
    offered: list[date] = []
    for n in range(days):
        today = START + n * DAY
        if monthly_due(today, START, offered[-1] if offered else None):
            offered.append(today)
    assert offered == [START + k * MONTH for k in range(1, len(offered) + 1)]
    assert len(offered) == (days - 1) // 28


def test_a_rerating_waits_for_the_weekly_summary_day() -> None:
    """Rated on Monday (the summary's day): due next Monday, not before; a Sunday rating
    waits until the Monday after next."""
    monday = activity(1, (0, 3))
    assert not rerate_due(monday, START + 6 * DAY, weekly_day=0)
    assert rerate_due(monday, START + 7 * DAY, weekly_day=0)
    sunday = activity(2, (6, 3))
    assert not rerate_due(sunday, START + 7 * DAY, weekly_day=0)
    assert rerate_due(sunday, START + 14 * DAY, weekly_day=0)


def test_without_a_weekly_summary_a_rerating_comes_seven_days_on() -> None:
    tuesday = activity(1, (1, 3))
    assert not rerate_due(tuesday, START + 7 * DAY, weekly_day=None)
    assert rerate_due(tuesday, START + 8 * DAY, weekly_day=None)


def test_an_unanswered_offer_waits_a_week_and_unrated_or_dropped_ones_are_not_due() -> None:
    offered = Activity(
        1, "walk", START, rerate_offered_on=START + 7 * DAY, ratings=(ActivityRating(START, 3),)
    )
    assert not rerate_due(offered, START + 7 * DAY, weekly_day=0)
    assert rerate_due(offered, START + 14 * DAY, weekly_day=0)
    assert not rerate_due(activity(2), START + 30 * DAY, weekly_day=None)
    dropped = activity(3, (0, 3), dropped=START + DAY)
    assert not rerate_due(dropped, START + 30 * DAY, weekly_day=None)


@pytest.mark.parametrize(
    ("weekly_day", "sent", "carrier"),
    [
        (0, True, Carrier.WEEKLY_SUMMARY),
        (0, False, Carrier.DAILY_MESSAGE),  # the summary skipped a week without check-ins
        (None, False, Carrier.DAILY_MESSAGE),  # the summary is off
    ],
)
def test_the_weekly_summary_carries_a_rerating_else_the_daily_message(
    weekly_day: int | None, sent: bool, carrier: Carrier
) -> None:
    walk, stand = activity(1, (0, 3)), activity(2, (0, 5))
    offer = rerate_offer(
        [walk, stand], START + 7 * DAY, weekly_day=weekly_day, summary_sent_today=sent
    )
    assert offer is not None
    assert (offer.carrier, offer.activities) == (carrier, (walk, stand))
    assert rerate_offer([walk], START + DAY, weekly_day=0, summary_sent_today=True) is None


@given(
    weekly_day=st.one_of(st.none(), st.integers(min_value=0, max_value=6)),
    first=st.integers(min_value=0, max_value=6),
    answers=st.lists(st.booleans(), min_size=1, max_size=30),
)
def test_rerating_comes_about_weekly_never_twice_in_five_days(
    weekly_day: int | None, first: int, answers: list[bool]
) -> None:
    """Offered whenever due and answered or not: 5-11 days apart on the summary's day, or
    exactly 7 days apart without a summary."""
    ratings = (ActivityRating(START + first * DAY, 4),)
    offered: date | None = None
    offers: list[date] = []
    replies = iter(answers)
    for n in range(first, first + 7 * len(answers)):
        today = START + n * DAY
        current = Activity(1, "walk", START, rerate_offered_on=offered, ratings=ratings)
        if rerate_due(current, today, weekly_day):
            offers.append(today)
            offered = today
            if next(replies, False):
                ratings = (*ratings, ActivityRating(today, 5))
    gaps = [(b - a).days for a, b in zip([START + first * DAY, *offers], offers, strict=False)]
    if weekly_day is None:
        assert set(gaps) <= {7}
    else:
        assert all(o.weekday() == weekly_day for o in offers)
        assert all(5 <= gap <= 11 for gap in gaps)


# --- yesterday's check-in -------------------------------------------------------------------

TODAY = START + 10 * DAY


@pytest.mark.parametrize(
    ("day", "recorded", "fill"),
    [
        (TODAY, False, Fill.ON_TIME),
        (TODAY, True, Fill.ON_TIME),  # a second answer today replaces the first, as before
        (TODAY - DAY, False, Fill.LATE),
        (TODAY - DAY, True, Fill.ALREADY),
        (TODAY - 2 * DAY, False, Fill.CLOSED),
        (TODAY + DAY, False, Fill.NOT_YET),
    ],
)
def test_only_yesterday_can_be_filled_in_late(day: date, recorded: bool, fill: Fill) -> None:
    assert fill_rule(day, TODAY, recorded=recorded) is fill


@given(offset=st.integers(min_value=-5, max_value=5), recorded=st.booleans())
def test_a_late_fill_is_marked_reruns_the_rules_and_never_asks_warning_signs(
    offset: int, recorded: bool
) -> None:
    """Stored only for today or an empty yesterday; yesterday's is marked late; the rules run
    on anything stored; the warning-sign question follows only today's answer."""
    fill = fill_rule(TODAY + offset * DAY, TODAY, recorded=recorded)
    assert fill.stores == (offset == 0 or (offset == -1 and not recorded))
    assert fill.filled_late == (offset == -1 and not recorded)
    assert fill.reruns_rules == fill.stores
    assert fill.asks_warning_signs == (offset == 0)


def test_yesterday_is_offered_only_when_it_is_empty_and_the_user_was_there() -> None:
    yesterday = TODAY - DAY
    assert missed_yesterday(TODAY, START, [TODAY - 2 * DAY]) == yesterday
    assert missed_yesterday(TODAY, START, [yesterday]) is None
    assert missed_yesterday(TODAY, TODAY, []) is None


# --- the user's own words -------------------------------------------------------------------


def test_an_activity_name_keeps_markup_as_typed_and_loses_control_characters() -> None:
    """Markup is kept (it is escaped where shown); line breaks and tabs become single spaces."""
    assert clean_activity_name("  walk <b>the</b>\n\tdog  ") == "walk <b>the</b> dog"
    assert clean_activity_name("遛狗") == "遛狗"
    assert clean_activity_name(" \n ") is NameProblem.EMPTY
    assert clean_activity_name("x" * (ACTIVITY_NAME_MAX + 1)) is NameProblem.TOO_LONG
    assert clean_activity_name("x" * ACTIVITY_NAME_MAX) == "x" * ACTIVITY_NAME_MAX


@given(text=st.text())
def test_a_cleaned_name_is_one_tidy_printable_line(text: str) -> None:
    cleaned = clean_activity_name(text)
    if isinstance(cleaned, NameProblem):
        return
    assert 1 <= len(cleaned) <= ACTIVITY_NAME_MAX
    assert cleaned == cleaned.strip()
    assert all(c.isprintable() for c in cleaned)
    assert "  " not in cleaned
