"""The user's own data: the history and weekly charts, the summary for a clinician, /export
and /delete.

Charts are drawn with matplotlib in a worker thread (`asyncio.to_thread`) so the bot keeps
answering other users while a PNG is drawn. `bot.charts` is imported by the methods that draw,
so matplotlib (about 40 MB resident) loads with the first chart, not with every process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import date, timedelta

from bot.clock import Clock
from bot.core import texts
from bot.core.countries import NO_COUNTRY
from bot.core.escalation import RulesConfig
from bot.core.escalation_text import red_flag_label, render_reason
from bot.core.export import COLUMN_TITLES, export_csv
from bot.core.i18n import ENGLISH_ONLY, N_, Catalogs, Language, Translator
from bot.core.replies import Document, Outcome, Photo, Reply
from bot.core.warning_signs import RedFlag
from bot.features import keyboards
from bot.features.common import subscriber, today, translator
from bot.features.outcomes import words as outcome_words
from bot.features.outcomes.foot import profile_lines
from bot.features.outcomes.progress import progress_text
from bot.features.outcomes.record import outcomes_document
from bot.logs import user_ref
from bot.store import Store
from bot.store.users import User

log = logging.getLogger(__name__)

# The record as a PDF document for a user, their name and a language (None: theirs); the
# sharing feature makes it (see composition.py).
RecordPdf = Callable[[int, str, Language | None], Awaitable[Document]]

HISTORY_DAYS = 30
WEEK = 7


class MyData:
    """History charts, the weekly summary, the doctor summary, /export and /delete."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        rules: RulesConfig,
        catalogs: Catalogs = ENGLISH_ONLY,
        *,
        record_pdf: RecordPdf | None = None,
    ) -> None:
        self._record_pdf = record_pdf
        self._catalogs = catalogs
        self._store = store
        self._clock = clock
        self._rules = rules

    async def history(self, user_id: int) -> Outcome:
        """Return the 30-day chart, or a friendly text when there is too little to draw."""
        from bot import charts  # matplotlib loads with the first chart

        user = await subscriber(self._store, user_id)
        end = today(self._clock, user)
        start = end - timedelta(days=HISTORY_DAYS - 1)
        points = await self._store.diary.checkins(user_id, start)
        t = translator(user, self._catalogs)
        if len(points) < 2:
            return Outcome.reply(t.gettext(texts.HISTORY_TOO_SHORT))
        escalated = [e.local_date for e in await self._store.escalations.for_user(user_id)]
        png = await asyncio.to_thread(
            charts.render_history,
            points,
            start=start,
            end=end,
            threshold=self._rules.threshold,
            escalations=[d for d in escalated if d >= start],
            t=t,
        )
        caption = charts.history_caption(points, today=end, t=t)
        # Issue 22: start, now, change and whether it matters, for users of the measures.
        progress = await progress_text(self._store, user_id, t, end)
        if progress is not None:
            caption = f"{caption}\n\n{progress}"
        return Outcome((Photo(png, caption, "pain-history.png"),))

    async def weekly(self, user_id: int, end: date) -> Photo | None:
        """Return the week's chart and a two-line summary; None when the user is gone."""
        from bot import charts  # matplotlib loads with the first chart

        user = await self._store.users.get(user_id)
        if user is None:
            return None
        t = translator(user, self._catalogs)
        start = end - timedelta(days=WEEK - 1)
        fortnight = await self._store.diary.checkins(user_id, start - timedelta(days=WEEK))
        points = [(d, s) for d, s in fortnight if start <= d <= end]
        previous = [s for d, s in fortnight if d < start]
        png = await asyncio.to_thread(
            charts.render_history,
            points,
            start=start,
            end=end,
            threshold=self._rules.threshold,
            title=N_("Your week"),
            t=t,
        )
        scores = [s for _, s in points]
        caption = texts.weekly_summary(t, scores, previous)
        progress = await progress_text(self._store, user_id, t, end)
        if progress is not None:
            caption = f"{caption}\n\n{progress}"
        return Photo(png, caption, "weekly.png")

    async def doctor_summary(
        self,
        user_id: int,
        name: str,
        language: Language | None = None,
        *,
        caption: str = texts.DOCTOR_SUMMARY,
    ) -> Outcome:
        """Return the one-page summary (PNG) and the full CSV for a clinician.

        In the user's language, or in `language` (an English copy for a doctor abroad); a
        user who does not read English is offered that copy.
        """
        from bot import charts  # matplotlib loads with the first chart

        user = await subscriber(self._store, user_id)
        day = today(self._clock, user)
        points = await self._store.diary.checkins(user_id)
        t = translator(user, self._catalogs)
        page = t if language is None else self._catalogs[language]
        labels = {flag.value: red_flag_label(page, flag) for flag in RedFlag}
        flags = [
            (answered, page.gettext(", ").join(labels.get(f, f) for f in answer.split(",")))
            for answered, answer in await self._store.diary.red_flag_answers(user_id)
        ]
        escalations = [
            (
                e.local_date,
                render_reason(
                    page, e.reason_key, e.reason_params, e.reason or e.rule.replace("_", " ")
                ),
            )
            for e in await self._store.escalations.for_user(user_id)
        ]
        png = await asyncio.to_thread(
            charts.render_doctor_summary,
            points,
            today=day,
            threshold=self._rules.threshold,
            escalations=escalations,
            red_flags=flags,
            has_diabetes=user.has_diabetes,
            name=name or page.gettext("FootCare user"),
            t=page,
            details=[
                page.gettext("How long the pain had gone on: {pain}.").format(
                    pain=texts.pain_label(page, user.pain_duration, user.pain_duration_on)
                ),
                *profile_lines(page, await self._store.outcomes.profile(user_id)),
            ],
        )
        # "My record" (issue 22) opens it outside an escalation, with words free of "doctor".
        said = t.gettext(caption)
        summary = Document(png, f"footcare-summary-{day.isoformat()}.png", said)
        # The same record as the share page, as a PDF to forward by Telegram or email.
        pdf = () if self._record_pdf is None else (await self._record_pdf(user_id, name, language),)
        # The outcome measures' own file (site, side, ...), for a user who has used them.
        record = await outcomes_document(self._store, user_id, t, day, page)
        files = (await self._csv(user, page), *(() if record is None else (record,)))
        outcome = Outcome((summary, *pdf, *files))
        if language is None and t.language is not Language.EN:
            offer = Reply(t.gettext(texts.SUMMARY_IN_ENGLISH), keyboards.english_summary_buttons())
            outcome = outcome.then(offer)
        return outcome

    async def my_record(self, user_id: int, name: str) -> Outcome:
        """The "My record" command: the same summary, at any time, captioned without the
        word reserved for escalations."""
        return await self.doctor_summary(user_id, name, caption=outcome_words.MY_RECORD)

    async def export(self, user_id: int) -> Outcome:
        """Return everything stored about the user's days as CSV."""
        user = await self._store.users.get(user_id)
        if user is None:
            return Outcome.reply(self._catalogs.get(None).gettext(texts.NOTHING_STORED))
        outcome = Outcome((await self._csv(user),))
        # Issue 22: the outcome measures' own file, only for a user who has used them.
        t = translator(user, self._catalogs)
        record = await outcomes_document(self._store, user_id, t, today(self._clock, user))
        return outcome if record is None else outcome.then(record)

    async def _csv(self, user: User, page: Translator | None = None) -> Document:
        """The CSV, its headers in `page`'s language (default the user's); caption in theirs."""
        user_id = user.user_id
        t = translator(user, self._catalogs)
        headers = [(page or t).gettext(title) for title in COLUMN_TITLES]
        escalations = await self._store.escalations.for_user(user_id)
        data = export_csv(
            await self._store.diary.checkins(user_id),
            await self._store.diary.red_flag_answers(user_id),
            [(t.local_date, t.tip_id) for t in await self._store.tips.history(user_id)],
            [(e.local_date, e.rule, e.urgency) for e in escalations],
            headers=headers,
        )
        if user.country == NO_COUNTRY:
            country: str | None = t.gettext("not listed")
        else:
            country = t.country(user.country, user.country) if user.country else None
        pain = (
            None
            if user.pain_duration is None
            else texts.pain_label(t, user.pain_duration, user.pain_duration_on)
        )
        caption = texts.export_caption(
            t, user.timezone, user.send_time, user.has_diabetes, country, pain
        )
        day = today(self._clock, user)
        return Document(data.encode("utf-8"), f"footcare-export-{day.isoformat()}.csv", caption)

    async def confirm_delete(self, user_id: int, telegram_code: str | None) -> Outcome:
        """Ask before deleting everything."""
        t = await self._speaker(user_id, telegram_code)
        return Outcome.reply(t.gettext(texts.DELETE_CONFIRM), keyboards.delete_buttons(t))

    async def delete(
        self, user_id: int, *, confirm: bool, telegram_code: str | None = None
    ) -> Outcome:
        """Erase every row about the user when confirmed; the question shows the result."""
        # Read before the rows go: the answer is in the language the user chose.
        t = await self._speaker(user_id, telegram_code)
        if not confirm:
            return Outcome(edit=t.gettext(texts.DELETE_KEEP))
        await self._store.users.delete(user_id)
        log.info("%s deleted their data", user_ref(user_id))
        return Outcome(edit=t.gettext(texts.DELETED))

    async def _speaker(self, user_id: int, telegram_code: str | None) -> Translator:
        user = await self._store.users.get(user_id)
        return (
            self._catalogs.get(telegram_code) if user is None else translator(user, self._catalogs)
        )
