"""The score rules: from a user's daily pain check-ins, which escalations fire today.

Pure: dates come in as arguments; no clock, no storage, no Telegram, no file reading.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from fractions import Fraction

from bot.core.escalation import (
    ONCE_PER_EPISODE,
    DayScore,
    Escalation,
    PastEscalation,
    RuleId,
    RulesConfig,
    make,
    normalise,
    sort_by_urgency,
)
from bot.core.i18n import N_


def _mean(scores: Sequence[DayScore]) -> Fraction:
    return Fraction(sum(s.score for s in scores), len(scores))


def _persistent(days: Sequence[DayScore], config: RulesConfig) -> Escalation | None:
    # NHS: "not improved after two weeks of home treatment". Counted in check-in days within
    # the current stretch of pain, so one lower day does not restart the count; what does is
    # the pain settling (a reset) or a real improvement: the latest score at least
    # improvement_delta points below where the window started.
    n = config.persistent_days
    stretch = days[_stretch_start(days, config) :]
    recent = stretch[-n:]
    if len(recent) < n or recent[0].score < config.threshold:
        return None
    latest = recent[-1].score
    if latest < config.threshold or recent[0].score - latest >= config.improvement_delta:
        return None
    reason = N_(
        "your pain has been {threshold} or more for your last {n} check-ins and has not got better"
    )
    return make(RuleId.PERSISTENT, reason, recent, config, threshold=config.threshold, n=n)


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


def _worsening(days: Sequence[DayScore], config: RulesConfig) -> Escalation | None:
    w = config.worsening_window
    if len(days) < 2 * w or days[-1].score < config.threshold:
        return None
    before, recent = days[-2 * w : -w], days[-w:]
    now, then = _mean(recent), _mean(before)
    # Fractions keep "exactly 2 points higher" exact; floats could land a hair under.
    if now - then < Fraction(str(config.worsening_delta)):
        return None
    reason = N_(
        "your average pain over your last {n} check-ins ({now}) is "
        "{delta} points higher than over the {n} before ({then})"
    )
    return make(
        RuleId.WORSENING,
        reason,
        days[-2 * w :],
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


def _long_haul(days: Sequence[DayScore], today: date, config: RulesConfig) -> Escalation | None:
    # Interpretation of "still at or above the threshold after 90 days of check-ins": the
    # current stretch of pain began long_haul_days or more before today, and the pain is still
    # there now (latest check-in at or above the threshold and the average of the last
    # long_haul_window check-ins too, so one bad day after a good month does not count).
    stretch = days[_stretch_start(days, config) :]
    w = config.long_haul_window
    if len(stretch) < w or stretch[-1].score < config.threshold:
        return None
    span = (today - stretch[0].day).days
    average = _mean(stretch[-w:])
    if span < config.long_haul_days or average < config.threshold:
        return None
    reason = N_(
        "you have been recording foot pain for {days} days and it is still "
        "{threshold} or more (average {average} over your last {n} check-ins)"
    )
    return make(
        RuleId.LONG_HAUL,
        reason,
        stretch[-w:],
        config,
        days=span,
        threshold=config.threshold,
        average=f"{float(average):.1f}",
        n=w,
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
) -> list[Escalation]:
    """Return the score-based escalations to send now, most urgent first, repeats suppressed."""
    # Call right after a check-in is saved; later-dated entries (clock skew) are ignored.
    days = [entry for entry in normalise(history) if entry.day <= today]
    if not days:
        return []
    fired = [
        _severe(days, config),
        _severe_day(days, config),
        _worsening(days, config),
        _persistent(days, config),
        _recurring(days, today, config),
        _long_haul(days, today, config),
        _diabetes(days, config) if has_diabetes else None,
    ]
    return sort_by_urgency(
        e for e in fired if e is not None and not is_suppressed(e.rule, days, past, today, config)
    )


def needs_red_flag_question(history: Iterable[DayScore], config: RulesConfig) -> bool:
    """Return whether the latest check-in is high enough, or jumped enough, to ask."""
    days = normalise(history)
    if not days:
        return False
    latest = days[-1].score
    if latest >= config.red_flag_score:
        return True
    return len(days) >= 2 and latest - days[-2].score >= config.red_flag_jump
