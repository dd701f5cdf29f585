"""Where it hurts and which foot: asked in onboarding after the pain duration (skippable, one
tap each, under the small picture), changeable from /settings.

Choosing both feet asks once whether joints or the back are stiff or swollen: its "yes" is
the existing warning sign's own button (RedFlag.BOTH_FEET, handled by the check-ins feature),
so both feet alone is never a sign. Other features read the site through
`bot.store.outcomes.Outcomes.profile` (the exercise programme picks by it).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bot.clock import Clock
from bot.core import texts
from bot.core.callbacks import JointsAnswer, SideChoice, SiteChoice
from bot.core.i18n import ENGLISH_ONLY, Catalogs, Language, Translator
from bot.core.outcomes import FootProfile, PainSite, Side
from bot.core.replies import Message, Outcome, Photo, Reply
from bot.core.states import Awaiting
from bot.features import keyboards
from bot.features.common import subscriber, today, translator
from bot.features.outcomes import words
from bot.features.outcomes.keyboards import joints_buttons, side_buttons, site_buttons
from bot.store import Store
from bot.store.users import User, UserPatch

# The picture differs only by language: drawn once per language, then reused.
_PICTURES: dict[Language, bytes] = {}


async def site_question(t: Translator) -> tuple[Message, ...]:
    """Return the picture, then "where does it hurt most?" with one button per site."""
    png = _PICTURES.get(t.language)
    if png is None:
        from bot.features.outcomes.picture import site_picture  # matplotlib loads here

        png = await asyncio.to_thread(site_picture, t)
        _PICTURES[t.language] = png
    return (
        Photo(png, t.gettext(words.PICTURE_TITLE), "where-it-hurts.png"),
        Reply(t.gettext(words.ASK_SITE), site_buttons(t)),
    )


def site_label(t: Translator, site: PainSite | None) -> str:
    """Return the site in words, or "not answered"."""
    return t.gettext(words.NOT_ANSWERED if site is None else words.SITE_LABELS[site])


def side_label(t: Translator, side: Side | None) -> str:
    """Return the side in words, or "not answered"."""
    return t.gettext(words.NOT_ANSWERED if side is None else words.SIDE_LABELS[side])


def profile_lines(t: Translator, profile: FootProfile | None) -> list[str]:
    """Return "Where it hurts: ..." and "Which foot: ..." for /settings and the summary."""
    site = None if profile is None else profile.site
    side = None if profile is None else profile.side
    return [
        t.gettext(words.SETTINGS_SITE).format(site=site_label(t, site)),
        t.gettext(words.SETTINGS_SIDE).format(side=side_label(t, side)),
    ]


def _answered(t: Translator, question: str, answer: str | None) -> str:
    shown = t.gettext("skipped") if answer is None else answer
    said = t.gettext("Your answer: {answer}.").format(answer=shown)
    return f"{t.gettext(question)}\n\n{said}"


class FootSite:
    """The site and side questions and their answers."""

    def __init__(self, store: Store, clock: Clock, catalogs: Catalogs = ENGLISH_ONLY) -> None:
        self._store = store
        self._clock = clock
        self._catalogs = catalogs

    async def ask(self, user_id: int) -> Outcome:
        """Offer the site question again (the /settings button)."""
        user = await subscriber(self._store, user_id)
        return Outcome(await site_question(translator(user, self._catalogs)))

    async def choose_site(self, user_id: int, choice: SiteChoice) -> Outcome:
        """Store the site (skip keeps what was there) and ask which foot; the question's
        message shows the answer. Skipping the site skips the side too."""
        user = await subscriber(self._store, user_id)
        t = translator(user, self._catalogs)
        edit = _answered(
            t, words.ASK_SITE, None if choice.site is None else site_label(t, choice.site)
        )
        if choice.site is None:
            return Outcome(await self._next(user_id, user.awaiting), edit=edit)
        profile = await self._profile(user_id)
        await self._save(user_id, replace(profile, site=choice.site), user)
        question = Reply(t.gettext(words.ASK_SIDE), side_buttons(t))
        return Outcome((question,), edit=edit)

    async def choose_side(self, user_id: int, choice: SideChoice) -> Outcome:
        """Store the side; both feet asks the joints question once; then onboarding goes on."""
        user = await subscriber(self._store, user_id)
        t = translator(user, self._catalogs)
        edit = _answered(
            t, words.ASK_SIDE, None if choice.side is None else side_label(t, choice.side)
        )
        messages: tuple[Message, ...] = ()
        if choice.side is not None:
            profile = replace(await self._profile(user_id), side=choice.side)
            day = today(self._clock, user)
            if choice.side is Side.BOTH and profile.joint_question_on is None:
                profile = replace(profile, joint_question_on=day)
                note = f"{t.gettext(words.BOTH_FEET_NOTE)}\n\n{t.gettext(words.ASK_JOINTS)}"
                messages = (Reply(note, joints_buttons(t, day)),)
            await self._save(user_id, profile, user)
        return Outcome((*messages, *await self._next(user_id, user.awaiting)), edit=edit)

    async def joints_no(self, user_id: int, choice: JointsAnswer) -> Outcome:
        """ "No" to the joints question: nothing is stored; the question shows the answer."""
        user = await subscriber(self._store, user_id)
        t = translator(user, self._catalogs)
        return Outcome(edit=_answered(t, words.ASK_JOINTS, t.gettext("No")))

    async def _profile(self, user_id: int) -> FootProfile:
        return await self._store.outcomes.profile(user_id) or FootProfile()

    async def _save(self, user_id: int, profile: FootProfile, user: User) -> None:
        await self._store.outcomes.save_profile(user_id, profile, today(self._clock, user))

    async def _next(self, user_id: int, awaiting: Awaiting | None) -> tuple[Message, ...]:
        """During onboarding, ask the daily time next; after it, say where to change this."""
        user = await subscriber(self._store, user_id)
        t = translator(user, self._catalogs)
        if awaiting is Awaiting.SITE:
            await self._store.users.update(user_id, UserPatch(awaiting=Awaiting.TIME))
            return (Reply(t.gettext(texts.ASK_TIME), keyboards.time_buttons(t)),)
        return (Reply(t.gettext(words.PROFILE_SAVED)),)
