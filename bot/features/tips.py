"""Tips: which one a subscriber gets next, and /tip on demand."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from bot.clock import Clock
from bot.core import texts
from bot.core.i18n import ENGLISH_ONLY, Catalogs, Translator
from bot.core.replies import Outcome
from bot.core.rotation import next_tip, recent_pain, recent_pain_since
from bot.core.tips import Tip, TipSet
from bot.features.common import subscriber, today, translator
from bot.store import Store
from bot.store.tips import TipRecord
from bot.store.users import User


class Tips:
    """The per-user rotation over the shipped tips."""

    def __init__(
        self, store: Store, clock: Clock, tips: TipSet, catalogs: Catalogs = ENGLISH_ONLY
    ) -> None:
        self._store = store
        self._clock = clock
        self.tips = tips
        self._catalogs = catalogs

    async def pick(self, user: User, day: date) -> tuple[Tip, TipRecord]:
        """Pick the user's next tip for a local date, reading what `choose` needs."""
        checkins = await self._store.diary.checkins(user.user_id, recent_pain_since(day))
        seen = await self._store.tips.seen(user.user_id, user.tip_cycle)
        return self.choose(user, day, checkins, seen)

    def choose(
        self,
        user: User,
        day: date,
        checkins: Iterable[tuple[date, int]],
        seen: Collection[str],
    ) -> tuple[Tip, TipRecord]:
        """Choose the user's next tip for a local date from their recent check-ins and the
        tips already seen in their cycle.

        The tip fits their highest check-in of that day and the six before (never one made
        for lower pain; no loading tip without a check-in), and a tip with ice or cold, or one
        too weak for diabetes, only if they said they do not have diabetes.
        """
        chosen = next_tip(
            self.tips,
            user.tip_seed,
            user.tip_cycle,
            seen,
            recent_pain(checkins, day),
            has_diabetes=user.has_diabetes,
        )
        return chosen.tip, TipRecord(chosen.tip.id, chosen.cycle, day)

    def text(self, tip: Tip, user: User) -> str:
        """Return the tip as a message in the user's language, with its source."""
        t = translator(user, self._catalogs)
        return texts.tip_message(t, tip.text_for(t.language.value), tip.source.label)

    def translator(self, user: User) -> Translator:
        """Return the user's translator (the daily plan writes the day's texts with it)."""
        return translator(user, self._catalogs)

    async def now(self, user_id: int) -> Outcome:
        """Give the next tip now; it counts as today's, so the daily one won't repeat it."""
        user = await subscriber(self._store, user_id)
        day = today(self._clock, user)
        tip, record = await self.pick(user, day)
        await self._store.tips.record(user_id, record)
        return Outcome.reply(self.text(tip, user))
