"""The pain history chart (also drawn inside the clinician summary) and its text caption."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.lines import Line2D

from bot.charts.common import (
    ESCALATION,
    GRID,
    MAX_SCORE,
    MIN_SCORE,
    MUTED,
    PAIN,
    THRESHOLD,
    by_day,
    new_figure,
    png,
    printable,
    shorten_to_fit,
)
from bot.core.history import checkin_streak
from bot.core.i18n import ENGLISH, N_, Translator

CAPTION_LIMIT = 1024
HISTORY_SIZE_IN = (8.0, 4.5)
HISTORY_DPI = 150
# Fewer check-ins than this in either week makes a week-on-week average too noisy to report.
MIN_WEEK_CHECKINS = 3
# Week-on-week changes smaller than this are within day-to-day noise on a 0-10 scale.
SAME_BAND = 0.5


def render_history(
    points: Sequence[tuple[date, int]],
    *,
    start: date,
    end: date,
    threshold: int,
    escalations: Sequence[date] = (),
    title: str = N_("Your heel/foot pain"),
    t: Translator = ENGLISH,
) -> bytes:
    """Return a 1200x675 PNG of daily pain from start to end, gaps left where days are missing."""
    fig = new_figure(HISTORY_SIZE_IN, HISTORY_DPI)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    draw_history(
        ax,
        by_day(points),
        start=start,
        end=end,
        threshold=threshold,
        escalations=escalations,
        font=14,
        t=t,
    )
    # The title sits on the figure, not the axes, so a long one is shortened instead of
    # squeezing the plot.
    heading = fig.text(
        0.012,
        0.985,
        printable(t.gettext(title)),
        fontsize=18,
        fontweight="bold",
        va="top",
        parse_math=False,
    )
    shorten_to_fit(heading, canvas.get_renderer(), fig.bbox.width * 0.985)
    fig.tight_layout(pad=0.6, rect=(0, 0, 1, 1 - 0.38 / HISTORY_SIZE_IN[1]))
    return png(fig)


def history_caption(
    points: Sequence[tuple[date, int]], *, today: date, t: Translator = ENGLISH
) -> str:
    """Return a short caption: average, best and worst day, week-on-week change and streak."""
    days = {d: s for d, s in by_day(points).items() if d <= today}
    if not days:
        return t.gettext("No check-ins yet.")
    scores = list(days.values())
    average = f"{sum(scores) / len(scores):.1f}"
    lines = [
        t.ngettext(
            "Average pain {average} over {n} check-in.",
            "Average pain {average} over {n} check-ins.",
            len(scores),
        ).format(average=average, n=len(scores))
    ]
    if min(scores) == max(scores):
        lines.append(t.gettext("Pain was {score} on every check-in.").format(score=scores[0]))
    else:
        # Ties go to the most recent day: it says more about how things are now.
        best = min(sorted(days, reverse=True), key=days.__getitem__)
        worst = max(sorted(days, reverse=True), key=days.__getitem__)
        lines.append(
            t.gettext("Best day: {day}: {score}.").format(
                day=t.date(best, "short"), score=days[best]
            )
        )
        lines.append(
            t.gettext("Worst day: {day}: {score}.").format(
                day=t.date(worst, "short"), score=days[worst]
            )
        )
    change = _week_change(t, days, today)
    if change is not None:
        lines.append(t.gettext("This week: {change}.").format(change=change))
    streak = checkin_streak(days, today)
    if streak:
        lines.append(
            t.ngettext("Check-in streak: {n} day.", "Check-in streak: {n} days.", streak).format(
                n=streak
            )
        )
    else:
        lines.append(t.gettext("Check in today to start a new streak."))
    return "\n".join(lines)[:CAPTION_LIMIT]


def _week_change(t: Translator, days: dict[date, int], today: date) -> str | None:
    """Return how this week's average compares with last week's, or None if either is thin."""
    this_week = [s for d, s in days.items() if 0 <= (today - d).days < 7]
    last_week = [s for d, s in days.items() if 7 <= (today - d).days < 14]
    if len(this_week) < MIN_WEEK_CHECKINS or len(last_week) < MIN_WEEK_CHECKINS:
        return None
    diff = round(sum(this_week) / len(this_week) - sum(last_week) / len(last_week), 1)
    if abs(diff) < SAME_BAND:
        return t.gettext("about the same as the week before")
    if diff < 0:
        return t.gettext("down {points} from the week before").format(points=f"{abs(diff):.1f}")
    return t.gettext("up {points} from the week before").format(points=f"{abs(diff):.1f}")


def draw_history(
    ax: Axes,
    days: dict[date, int],
    *,
    start: date,
    end: date,
    threshold: int,
    escalations: Iterable[date],
    font: float,
    t: Translator = ENGLISH,
) -> None:
    """Draw daily pain on ax with x as day offsets from start, labelled with our own dates."""
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    span = (end - start).days + 1
    # NaN on missing days breaks the line there, so gaps stay visible.
    ys = [float(days[d]) if d in days else math.nan for d in _each_day(start, end)]
    ax.set_facecolor("white")
    ax.axhspan(threshold, MAX_SCORE + 0.5, color=ESCALATION, alpha=0.06, linewidth=0)
    ax.axhline(threshold, color=THRESHOLD, linestyle="--", linewidth=2.5)
    marked = sorted({(d - start).days for d in escalations if start <= d <= end})
    for x in marked:
        ax.axvline(x, color=ESCALATION, linewidth=2, alpha=0.55, linestyle=":")
    ax.plot(
        range(span),
        ys,
        color=PAIN,
        linewidth=3,
        marker="o",
        markersize=font * 0.6,
        markerfacecolor=PAIN,
        markeredgecolor="white",
        markeredgewidth=1.2,
        zorder=3,
    )
    if marked:
        ax.plot(
            marked,
            [MAX_SCORE + 0.5] * len(marked),
            linestyle="none",
            marker="v",
            markersize=font,
            color=ESCALATION,
            clip_on=False,
            zorder=4,
        )
    if all(math.isnan(y) for y in ys):
        ax.text(
            0.5,
            0.5,
            printable(t.gettext("No check-ins in this period")),
            bbox={"facecolor": "white", "edgecolor": "none"},
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=font,
            color=MUTED,
        )

    ax.set_ylim(MIN_SCORE - 0.5, MAX_SCORE + 0.5)
    ax.set_yticks(range(MIN_SCORE, MAX_SCORE + 1))
    ax.set_ylabel(printable(t.gettext("Pain (0 = none, 10 = worst)")), fontsize=font)
    ax.set_xlim(-0.6, span - 0.4)
    step = _tick_step(span)
    # Ticks count back from end so the latest day is always labelled.
    ticks = list(range(span - 1, -1, -step))[::-1]
    two_lines = span <= 10
    ax.set_xticks(
        ticks, [_tick_label(t, start + timedelta(days=tick), two_lines) for tick in ticks]
    )
    ax.set_xticks(range(span), minor=True)
    ax.tick_params(axis="both", labelsize=font, length=6, width=1.2)
    ax.tick_params(axis="x", which="minor", length=3)
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.grid(axis="x", which="major", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _draw_legend(t, ax, threshold=threshold, escalated=bool(marked), font=font)


def _draw_legend(t: Translator, ax: Axes, *, threshold: int, escalated: bool, font: float) -> None:
    """Draw the legend in one row above the axes, the escalation entry only when marked."""
    handles = [
        Line2D(
            [],
            [],
            color=PAIN,
            linewidth=3,
            marker="o",
            markersize=font * 0.6,
            label=printable(t.gettext("daily pain")),
        ),
        Line2D(
            [],
            [],
            color=THRESHOLD,
            linewidth=2.5,
            linestyle="--",
            label=printable(
                t.gettext("get-checked threshold ({threshold})").format(threshold=threshold)
            ),
        ),
    ]
    if escalated:
        handles.append(
            Line2D(
                [],
                [],
                color=ESCALATION,
                linestyle="none",
                marker="v",
                markersize=font * 0.8,
                label=printable(t.gettext("told to get checked")),
            )
        )
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(-0.01, 1.01),
        ncol=3,
        frameon=False,
        fontsize=font - 1,
        handlelength=1.8,
        columnspacing=1.2,
        borderaxespad=0.2,
    )


def _tick_step(span: int) -> int:
    """Return days between labelled ticks: daily for a week, weekly for a month."""
    if span <= 10:
        return 1
    if span <= 20:
        return 2
    if span <= 63:
        return 7
    return 7 * math.ceil(span / 56)


def _each_day(start: date, end: date) -> list[date]:
    """Return every day from start to end inclusive."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _tick_label(t: Translator, day: date, two_lines: bool) -> str:
    """Return an axis label like "24 Nov", with the weekday above it on short ranges."""
    label = printable(t.date(day, "day_month"))
    return f"{printable(t.date(day, 'weekday_short'))}\n{label}" if two_lines else label
