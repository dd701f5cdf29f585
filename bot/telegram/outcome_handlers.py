"""Thin handlers for the outcome measures' buttons (issue 22): where it hurts, which foot, and
the both-feet follow-up's "no". The logic is in bot/features/outcomes."""

from __future__ import annotations

from telegram import Message, Update

from bot.core.callbacks import FirstStepAnswer, JointsAnswer, SideChoice, SiteChoice
from bot.features.my_data import MyData
from bot.features.outcomes.first_step import FirstStep
from bot.features.outcomes.foot import FootSite
from bot.telegram.respond import Context, Responder


class OutcomeHandlers:
    """Callbacks bound to the outcomes feature."""

    def __init__(
        self, foot: FootSite, first_step: FirstStep, my_data: MyData, responder: Responder
    ) -> None:
        self._my_data = my_data
        self._foot = foot
        self._first_step = first_step
        self._r = responder

    async def record(self, update: Update, context: Context) -> None:
        """/record ("My record"): the summary and its files, at any time."""
        await self._r.respond(update, lambda user: self._my_data.my_record(user.id, user.full_name))

    async def site(self, update: Update, context: Context) -> None:
        """Store where it hurts and ask which foot."""
        await self._r.on_button(
            update, SiteChoice, lambda user, choice: self._foot.choose_site(user.id, choice)
        )

    async def side(self, update: Update, context: Context) -> None:
        """Store which foot; both feet asks the joints question once."""
        await self._r.on_button(
            update, SideChoice, lambda user, choice: self._foot.choose_side(user.id, choice)
        )

    async def joints(self, update: Update, context: Context) -> None:
        """Show "no" under the joints question."""
        await self._r.on_button(
            update, JointsAnswer, lambda user, choice: self._foot.joints_no(user.id, choice)
        )

    async def first_step(self, update: Update, context: Context) -> None:
        """Store this morning's first steps (or skip) and ask today's pain in the same message
        (a daily message keeps its tip)."""
        query = update.callback_query
        pressed = (
            query.message if query is not None and isinstance(query.message, Message) else None
        )
        shown = pressed.text if pressed is not None else None
        await self._r.on_button(
            update,
            FirstStepAnswer,
            lambda user, answer: self._first_step.answer(user.id, answer, shown),
        )
