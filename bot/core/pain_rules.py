"""The score rules: from a user's daily pain check-ins, which escalations fire today.

"Days" are calendar days (issue 20, item 6): the persistent and long-haul rules count from
the day the pain began (the user's answer at onboarding, else the first check-in of the
current stretch), and a day without a check-in still passes. Runs of check-ins ("3 in a row")
stay in check-ins.

Pure: dates come in as arguments; no clock, no storage, no Telegram, no file reading.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from fractions import Fraction

from bot.core.escalation import (
    ONCE_EVER,
    ONCE_PER_EPISODE,
    DayScore,
    Escalation,
    PastEscalation,
    ReportedPain,
    RuleId,
    RulesConfig,
    make,
    normalise,
    sort_by_urgency,
)
from bot.core.i18n import N_

# The worsening rule compares two averages; each needs at least this many check-ins.
MIN_CHECKINS_PER_WEEK = 2

# Reasons that rules of earlier versions stored (an escalation keeps its template and renders
# it when shown, on /history's doctor summary): kept so the catalogue keeps them translated.
EARLIER_REASONS = (
    N_("your pain has been {threshold} or more for your last {n} check-ins and has not got better"),
    N_(
        "your average pain over your last {n} check-ins ({now}) is "
        "{delta} points higher than over the {n} before ({then})"
    ),
    N_(
        "you have been recording foot pain for {days} days and it is still "
        "{threshold} or more (average {average} over your last {n} check-ins)"
    ),
)


def _mean(scores: Sequence[DayScore]) -> Fraction:
    return Fraction(sum(s.score for s in scores), len(scores))


def a_third(days: int) -> int:
    """Return the check-ins needed over a span of days: at least a third of them (5 of 14)."""
    return -(-days // 3)


def days_of_pain(began: date, today: date) -> int:
    """Return how many calendar days the pain has gone on, counting the first day and today."""
    return (today - began).days + 1


def _last_days(days: Sequence[DayScore], today: date, n: int) -> list[DayScore]:
    """Return the check-ins of the n calendar days ending today."""
    since = today - timedelta(days=n - 1)
    return [entry for entry in days if since <= entry.day <= today]


def onset(days: Sequence[DayScore], config: RulesConfig, reported: ReportedPain | None) -> date:
    """Return the day the current stretch of pain began (days: normalised, not empty).

    The user's answer counts when it is about this stretch: the pain has not settled since
    they gave it. Otherwise, and when they skipped the question, the stretch's first check-in.
    """
    start = _stretch_start(days, config)
    if start == len(days):
        return days[-1].day  # the pain has just settled: no stretch goes on
    first = days[start].day
    if reported is None:
        return first
    if start > 0 and days[start - 1].day >= reported.answered_on:
        return first  # the pain settled after the answer: a new stretch
    return min(first, reported.onset)


def _persistent(
    days: Sequence[DayScore], today: date, config: RulesConfig, reported: ReportedPain | None
) -> Escalation | None:
    # NHS: "not improved after two weeks of home treatment", in calendar days: the pain began
    # persistent_days or more ago (counting today), the user checked in on at least a third
    # of the last persistent_days days, the first of those check-ins and the latest are at or
    # above the threshold, and the latest is not improvement_delta points below the first.
    # One lower day does not restart the count; the pain settling (a reset) does.
    n = config.persistent_days
    if days[-1].score < config.threshold:
        return None
    lasted = days_of_pain(onset(days, config, reported), today)
    if lasted < n:
        return None
    recent = _last_days(days[_stretch_start(days, config) :], today, n)
    if len(recent) < a_third(n) or recent[0].score < config.threshold:
        return None
    latest = recent[-1].score
    if latest < config.threshold or recent[0].score - latest >= config.improvement_delta:
        return None
    reason = N_(
        "your pain has gone on for at least {days} days, is still {threshold} or more, and "
        "has not got better over the last {n} days"
    )
    return make(
        RuleId.PERSISTENT,
        reason,
        recent,
        config,
        days=lasted,
        threshold=config.threshold,
        n=n,
    )


def _severe_day(days: Sequence[DayScore], config: RulesConfig) -> Escalation | None:
    # NHS: see a GP when pain is severe or stops normal activities. One severe day is told
    # what to watch for; three in a row is the SEVERE rule.
    latest = days[-1]
    if latest.score < config.severe_score:
        return None
    reason = N_("your pain today is {score} out of 10, which is severe")
    return make(RuleId.SEVERE_DAY, reason, days[-1:], config, score=latest.score)


def _recurring(days: Sequence[DayScore], today: date, config: RulesConfig) -> Escalation | None:
    # NHS: see a GP if heel pain keeps coming back. An episode is a stretch of check-ins at or
    # above the threshold that starts after the pain settled (episode_reset_low_days lows in
    # a row); the third to start within recurrence_window days counts as "keeps coming back".
    if days[-1].score < config.threshold:
        return None
    since = today - timedelta(days=config.recurrence_window)
    starts = [d for d in _episode_starts(days, config) if d >= since]
    if len(starts) < config.recurrence_episodes:
        return None
    reason = N_("your pain has come back {n} times in the last {window} days after settling")
    return make(
        RuleId.RECURRING, reason, days[-1:], config, n=len(starts), window=config.recurrence_window
    )


def _episode_starts(days: Sequence[DayScore], config: RulesConfig) -> list[date]:
    starts: list[date] = []
    settled, run = True, 0
    for entry in days:
        if entry.score >= config.threshold:
            if settled:
                starts.append(entry.day)
            settled, run = False, 0
        else:
            run += 1
            if run >= config.episode_reset_low_days:
                settled = True
    return starts


def _severe(days: Sequence[DayScore], config: RulesConfig) -> Escalation | None:
    # "In a row" means consecutive check-in days, the same counting as the persistent rule.
    n = config.severe_days
    recent = days[-n:]
    if len(recent) < n or any(s.score < config.severe_score for s in recent):
        return None
    reason = N_("your pain has been {score} or more (severe) on each of your last {n} check-ins")
    return make(RuleId.SEVERE, reason, recent, config, score=config.severe_score, n=n)


def _worsening(days: Sequence[DayScore], today: date, config: RulesConfig) -> Escalation | None:
    # NHS: see a GP if the pain is getting worse. The check-ins of the last worsening_window
    # calendar days average at least worsening_delta points more than those of the
    # worsening_window days before, each with MIN_CHECKINS_PER_WEEK check-ins or more, so
    # it can show from the second week.
    w = config.worsening_window
    if days[-1].score < config.threshold:
        return None
    recent = _last_days(days, today, w)
    before = _last_days(days, today - timedelta(days=w), w)
    if len(recent) < MIN_CHECKINS_PER_WEEK or len(before) < MIN_CHECKINS_PER_WEEK:
        return None
    now, then = _mean(recent), _mean(before)
    # Fractions keep "exactly 2 points higher" exact; floats could land a hair under.
    if now - then < Fraction(str(config.worsening_delta)):
        return None
    reason = N_(
        "your average pain over the last {n} days ({now}) is "
        "{delta} points higher than over the {n} days before ({then})"
    )
    return make(
        RuleId.WORSENING,
        reason,
        [*before, *recent],
        config,
        n=w,
        now=f"{float(now):.1f}",
        delta=f"{float(now - then):.1f}",
        then=f"{float(then):.1f}",
    )


def _diabetes(days: Sequence[DayScore], config: RulesConfig) -> Escalation | None:
    latest = days[-1]
    if latest.score < config.diabetes_score:
        return None
    reason = N_(
        "you told us you have diabetes, and your latest pain score is {score}; "
        "with diabetes, foot pain of {limit} or more needs checking promptly"
    )
    return make(
        RuleId.DIABETES, reason, days[-1:], config, score=latest.score, limit=config.diabetes_score
    )


def _diabetes_first(days: Sequence[DayScore], config: RulesConfig) -> Escalation | None:
    # NHS Heel pain: with diabetes, heel pain is a reason to see a GP. Any pain (1 or more)
    # gets this once in the user's life (ONCE_EVER), below the diabetes rule's score.
    latest = days[-1]
    if latest.score < 1:
        return None
    reason = N_(
        "you told us you have diabetes and you have foot pain today ({score} out of 10); "
        "with diabetes, any foot pain is worth getting checked"
    )
    return make(RuleId.DIABETES_FIRST, reason, days[-1:], config, score=latest.score)


def _stretch_start(days: Sequence[DayScore], config: RulesConfig) -> int:
    """Return the index where the current stretch of pain began."""
    # The stretch restarts after a run of episode_reset_low_days check-ins in a row below the
    # threshold: that is "the pain settled", so a fresh flare months later is not "long haul".
    start, run = 0, 0
    for index, entry in enumerate(days):
        run = run + 1 if entry.score < config.threshold else 0
        if run >= config.episode_reset_low_days:
            start = index + 1
    return start


def _long_haul(
    days: Sequence[DayScore], today: date, config: RulesConfig, reported: ReportedPain | None
) -> Escalation | None:
    # Interpretation of "still at or above the threshold after 90 days": the current stretch
    # of pain began long_haul_days or more before today (by the user's answer at onboarding,
    # else its first check-in), and the pain is still there now: the latest check-in and the
    # average of the stretch's last long_haul_window check-ins are at or above the threshold,
    # with at least a third of that many check-ins (so one bad day after a good month does
    # not count, and someone who has had pain for months hears it within days).
    stretch = days[_stretch_start(days, config) :]
    w = config.long_haul_window
    if len(stretch) < a_third(w) or stretch[-1].score < config.threshold:
        return None
    lasted = days_of_pain(onset(days, config, reported), today)
    recent = stretch[-w:]
    average = _mean(recent)
    if lasted < config.long_haul_days or average < config.threshold:
        return None
    reason = N_(
        "your foot pain has gone on for at least {days} days and is still {threshold} or "
        "more (average {average} over your last {n} check-ins)"
    )
    return make(
        RuleId.LONG_HAUL,
        reason,
        recent,
        config,
        days=lasted,
        threshold=config.threshold,
        average=f"{float(average):.1f}",
        n=len(recent),
    )


def is_suppressed(
    rule: RuleId,
    days: Sequence[DayScore],
    past: Sequence[PastEscalation],
    today: date,
    config: RulesConfig,
) -> bool:
    """Return whether rule already fired in this episode and so must stay quiet today."""
    previous = [p.day for p in past if p.rule == rule]
    if not previous:
        return False
    if rule in ONCE_EVER:
        return True
    last = max(previous)
    if rule not in ONCE_PER_EPISODE and today >= last + timedelta(days=config.cooldown_days):
        return False
    # Low days need not be consecutive: any three below the threshold end the episode, so
    # the rule speaks again sooner rather than later when the pain comes back.
    low_days = sum(1 for s in days if last < s.day <= today and s.score < config.threshold)
    return low_days < config.episode_reset_low_days


def evaluate(
    history: Iterable[DayScore],
    past: Sequence[PastEscalation],
    today: date,
    config: RulesConfig,
    *,
    has_diabetes: bool,
    reported: ReportedPain | None = None,
) -> list[Escalation]:
    """Return the score-based escalations to send now, most urgent first, repeats suppressed.

    `reported` is how long the user said their pain had gone on, if they answered.
    """
    # Call right after a check-in is saved; later-dated entries (clock skew) are ignored.
    days = [entry for entry in normalise(history) if entry.day <= today]
    if not days:
        return []
    diabetes = _diabetes(days, config) if has_diabetes else None
    # The one-off diabetes message is for pain below the diabetes rule's score: once that
    # rule has spoken (today or before), it has said more than the one-off would.
    told = diabetes is not None or any(p.rule is RuleId.DIABETES for p in past)
    fired = [
        _severe(days, config),
        _severe_day(days, config),
        _worsening(days, today, config),
        _persistent(days, today, config, reported),
        _recurring(days, today, config),
        _long_haul(days, today, config, reported),
        diabetes,
        _diabetes_first(days, config) if has_diabetes and not told else None,
    ]
    return sort_by_urgency(
        e for e in fired if e is not None and not is_suppressed(e.rule, days, past, today, config)
    )


def needs_red_flag_question(history: Iterable[DayScore], config: RulesConfig) -> bool:
    """Return whether the latest check-in should be followed by the warning-sign question.

    A jump of red_flag_jump points or more always asks. A score of red_flag_score or more
    asks unless the question was already asked within the last red_flag_repeat_days days of
    the same run of such scores (a lower check-in ends the run): asked every day, a warning
    that is always there stops being read. The asks are replayed from the history itself.
    """
    days = normalise(history)
    asked: date | None = None  # the last ask in the current run of high scores
    ask = False
    for index, entry in enumerate(days):
        high = entry.score >= config.red_flag_score
        jump = index > 0 and entry.score - days[index - 1].score >= config.red_flag_jump
        if not high:
            asked = None
        due = asked is None or (entry.day - asked).days >= config.red_flag_repeat_days
        ask = jump or (high and due)
        if ask and high:
            asked = entry.day
    return ask
