"""The user's own data, independent of Telegram: charts, summaries, export and deletion.

Charts are rendered with matplotlib in a worker thread (`asyncio.to_thread`) so the bot keeps
answering other users while a PNG is drawn.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta

from bot import charts
from bot.core import texts
from bot.core.escalation import RulesConfig
from bot.core.escalation_text import red_flag_options
from bot.core.export import export_csv
from bot.service import FootCare, Reply
from bot.store import Store, User

HISTORY_DAYS = 30
WEEK = 7


@dataclass(frozen=True)
class Photo:
    """A PNG with its caption."""

    png: bytes
    caption: str


@dataclass(frozen=True)
class Document:
    """A file to send."""

    data: bytes
    filename: str
    caption: str = ""


class Reports:
    """History charts, the weekly summary, the doctor summary, /export and /delete."""

    def __init__(self, footcare: FootCare) -> None:
        self._footcare = footcare

    @property
    def _store(self) -> Store:
        return self._footcare.store

    @property
    def _rules(self) -> RulesConfig:
        return self._footcare.rules

    async def _user(self, user_id: int) -> User | None:
        return await self._store.users.get(user_id)

    async def history(self, user_id: int) -> Photo | Reply:
        """Return the 30-day chart, or a friendly text when there is too little to draw."""
        user = await self._user(user_id)
        if user is None:
            return Reply(texts.NOT_SUBSCRIBED)
        today = self._footcare.today(user)
        start = today - timedelta(days=HISTORY_DAYS - 1)
        points = await self._store.diary.checkins(user_id, start)
        if len(points) < 2:
            return Reply(texts.HISTORY_TOO_SHORT)
        escalated = [e.local_date for e in await self._store.escalations.for_user(user_id)]
        png = await asyncio.to_thread(
            charts.render_history,
            points,
            start=start,
            end=today,
            threshold=self._rules.threshold,
            escalations=[d for d in escalated if d >= start],
        )
        return Photo(png, charts.history_caption(points, today=today))

    async def weekly(self, user_id: int, end: date) -> Photo | None:
        """Return the week's chart and a two-line summary; None with nothing to show."""
        user = await self._user(user_id)
        if user is None:
            return None
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
            title="Your week",
        )
        scores = [s for _, s in points]
        return Photo(png, texts.weekly_summary(scores, previous))

    async def doctor_summary(self, user_id: int, name: str) -> list[Document]:
        """Return the one-page summary (PNG) and the full CSV for a clinician."""
        user = await self._user(user_id)
        if user is None:
            return []
        today = self._footcare.today(user)
        points = await self._store.diary.checkins(user_id)
        labels = {flag.value: label for flag, label in red_flag_options()}
        flags = [
            (day, ", ".join(labels.get(f, f) for f in answer.split(",")))
            for day, answer in await self._store.diary.red_flag_answers(user_id)
        ]
        escalations = [
            (e.local_date, e.reason or e.rule.replace("_", " "))
            for e in await self._store.escalations.for_user(user_id)
        ]
        png = await asyncio.to_thread(
            charts.render_doctor_summary,
            points,
            today=today,
            threshold=self._rules.threshold,
            escalations=escalations,
            red_flags=flags,
            has_diabetes=user.has_diabetes,
            name=name or "FootCare user",
        )
        table = await self.export(user_id)
        summary = Document(png, f"footcare-summary-{today.isoformat()}.png", texts.DOCTOR_SUMMARY)
        return [summary, table] if isinstance(table, Document) else [summary]

    async def export(self, user_id: int) -> Document | Reply:
        """Return everything stored about the user's days as CSV."""
        user = await self._user(user_id)
        if user is None:
            return Reply(texts.NOTHING_STORED)
        day = self._footcare.today(user)
        data = export_csv(
            await self._store.diary.checkins(user_id),
            await self._store.diary.red_flag_answers(user_id),
            [(t.local_date, t.tip_id) for t in await self._store.tips.history(user_id)],
            [
                (e.local_date, e.rule, e.urgency)
                for e in await self._store.escalations.for_user(user_id)
            ],
        )
        caption = texts.export_caption(user.timezone, user.send_time, user.has_diabetes)
        return Document(data.encode("utf-8"), f"footcare-export-{day.isoformat()}.csv", caption)

    async def delete(self, user_id: int) -> Reply:
        """Erase every row about the user."""
        await self._store.users.delete(user_id)
        return Reply(texts.DELETED)
