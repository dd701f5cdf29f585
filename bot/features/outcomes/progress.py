"""Getting better, in numbers people can read: for each measure the starting value (its
first week), the value now, the change, and whether the change reaches the smallest change
that matters to patients (a group figure from a cited study; "too early to tell" in the first
two weeks). Shown under /history and the weekly summary, for users who use the outcome
measures (a user who skipped every question sees the bot as before)."""

from __future__ import annotations

from datetime import date

from bot.core.i18n import Translator
from bot.features.outcomes import words
from bot.features.outcomes.measures import Measure, Progress, Verdict, pain_progress
from bot.store import Store


def cite(progress: Progress) -> str:
    """Return the study the smallest change comes from, as "Author et al. year"."""
    return progress.smallest.derivation.split(",", 1)[0]


def progress_line(t: Translator, progress: Progress) -> str | None:
    """Return one measure's line, or None when it has no answers."""
    if progress.verdict is Verdict.NO_DATA or progress.start is None:
        return None
    name = t.gettext(words.MEASURE_NAMES[progress.measure])
    if progress.last is None or progress.change is None:
        head = t.gettext(words.PROGRESS_START_ONLY).format(measure=name, start=progress.start)
    else:
        change = f"{progress.change:+}" if progress.change else "0.0"
        head = t.gettext(words.PROGRESS_LINE).format(
            measure=name, start=progress.start, last=progress.last, change=change
        )
    verdict = t.gettext(words.VERDICTS[progress.verdict])
    if progress.verdict in (Verdict.TOO_EARLY, Verdict.NO_RECENT):
        return f"{head}: {verdict}"
    size = t.gettext(words.SMALLEST_CHANGE_SIZE).format(
        points=progress.smallest.points, source=cite(progress)
    )
    return f"{head}: {verdict} {size}"


async def progress_text(store: Store, user_id: int, t: Translator, today: date) -> str | None:
    """Return the progress lines of a user who uses the outcome measures, else None."""
    outcomes = store.outcomes
    profile = await outcomes.profile(user_id)
    first_step = await outcomes.first_step_pain(user_id)
    if profile is None and not first_step:
        return None
    lines = [
        progress_line(t, pain_progress(Measure.FIRST_STEP_PAIN, first_step, today)),
        progress_line(
            t, pain_progress(Measure.DAILY_PAIN, await outcomes.daily_pain(user_id), today)
        ),
    ]
    shown = [line for line in lines if line is not None]
    if not shown:
        return None
    return "\n".join([*shown, t.gettext(words.GROUP_FIGURES)])
