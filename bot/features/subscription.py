"""Subscribing: /start and /stop, and onboarding: the time zone, the country confirmed among
those sharing its clock, how long the pain has gone on, where it hurts and which foot, the daily
time and the diabetes answer."""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.core import texts
from bot.core.callbacks import DiabetesAnswer, PainChoice
from bot.core.countries import NO_COUNTRY, CountryBook
from bot.core.country_choice import provisional, sharing_clock
from bot.core.i18n import ENGLISH_ONLY, Catalogs, Translator, is_traditional, pick_language
from bot.core.replies import Buttons, Outcome, Reply
from bot.core.schedule import Due, first_due_after, format_hhmm, parse_hhmm
from bot.core.states import Awaiting, UserStatus
from bot.core.timezones import match_zone
from bot.features import keyboards
from bot.features.common import subscriber, today, translator
from bot.features.outcomes.foot import site_question
from bot.store import Store
from bot.store.users import UNSET, User, UserPatch

DEFAULT_TIME = time(9, 0)


class Subscription:
    """Onboarding and the schedule: who gets a daily message, in which zone, at what time."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        countries: CountryBook | None = None,
        catalogs: Catalogs = ENGLISH_ONLY,
    ) -> None:
        self._store = store
        self._clock = clock
        self._countries = countries if countries is not None else CountryBook()
        self._catalogs = catalogs

    async def reschedule(self, user: User, send_time: str, zone: str) -> Due:
        """Point the user's next daily delivery at the first slot after now."""
        at = parse_hhmm(send_time) or DEFAULT_TIME
        due = first_due_after(self._clock.now(), at, ZoneInfo(zone))
        await self._store.users.update(
            user.user_id,
            UserPatch(
                timezone=zone,
                send_time=send_time,
                next_due_utc=due.at.timestamp(),
                next_due_date=due.day,
            ),
        )
        return due

    async def start(self, user_id: int, chat_id: int, first_name: str, language: str) -> Outcome:
        """Subscribe (idempotently) and start onboarding for a new user."""
        existing = await self._store.users.get(user_id)
        # No row, or only a language chosen before /start (features.common.before_start).
        if existing is None or existing.awaiting is Awaiting.START:
            if existing is None:
                # Stored normalised ("zh-hans" -> "zh"); /language changes it later.
                chosen = pick_language(language)
                user = await self._store.users.create(user_id, chat_id, first_name, chosen.value)
                traditional = is_traditional(language)
            else:
                # The language chosen with /language before /start wins over Telegram's.
                user, traditional = existing, False
                patch = UserPatch(status=UserStatus.ACTIVE, chat_id=chat_id, first_name=first_name)
                await self._store.users.update(user_id, patch)
            t = translator(user, self._catalogs)
            # Scheduled at once with the defaults, so a user who never finishes onboarding
            # still gets their daily message; choosing a zone and time reschedules it.
            await self.reschedule(user, user.send_time, user.timezone)
            await self._store.users.update(user_id, UserPatch(awaiting=Awaiting.TIMEZONE))
            welcome = texts.welcome(t, first_name)
            if traditional:
                welcome = f"{t.gettext(texts.TRADITIONAL_NOT_AVAILABLE)}\n\n{welcome}"
            return Outcome.reply(welcome, keyboards.zone_buttons(t))
        t = translator(existing, self._catalogs)
        if existing.active:
            await self._store.users.update(user_id, UserPatch(chat_id=chat_id))
            return Outcome.reply(texts.already_subscribed(t, existing.timezone, existing.send_time))
        await self._store.users.update(
            user_id, UserPatch(status=UserStatus.ACTIVE, chat_id=chat_id, paused_until=None)
        )
        await self.reschedule(existing, existing.send_time, existing.timezone)
        return Outcome.reply(texts.welcome_back(t, existing.timezone, existing.send_time))

    async def refused(self, user_id: int) -> bool:
        """Record a 403 on a reply: an active user becomes blocked, as the sender marks them.

        Stopped users stay stopped (writing again must not resubscribe them). Return whether
        the status changed.
        """
        user = await self._store.users.get(user_id)
        if user is None or not user.active:
            return False
        await self._store.users.update(user_id, UserPatch(status=UserStatus.BLOCKED))
        return True

    async def returned(self, user_id: int) -> bool:
        """Reactivate a blocked user who writes again (writing to a bot unblocks it).

        Their schedule restarts at the next slot; a pause they set stays. Return whether they
        were blocked.
        """
        user = await self._store.users.get(user_id)
        if user is None or user.status is not UserStatus.BLOCKED:
            return False
        await self._store.users.update(user_id, UserPatch(status=UserStatus.ACTIVE))
        await self.reschedule(user, user.send_time, user.timezone)
        return True

    async def stop(self, user_id: int) -> Outcome:
        """Unsubscribe: no more scheduled messages; the data stays until /delete."""
        user = await subscriber(self._store, user_id)
        await self._store.users.update(
            user_id,
            UserPatch(
                status=UserStatus.STOPPED, next_due_utc=None, next_due_date=None, awaiting=None
            ),
        )
        return Outcome.reply(translator(user, self._catalogs).gettext(texts.STOPPED))

    async def set_timezone(
        self, user_id: int, text: str, telegram_language: str | None = None
    ) -> Outcome:
        """Set the zone from a button or typed text, then ask which country the user is in.

        A zone does not name a country (issue 20): the user is offered the countries whose
        clocks agree with it. Until they answer, their country stays the one they had if its
        clock agrees, else the only country that fits, else none (no number is guessed).
        `telegram_language` is Telegram's code for the user (zh-hant, zh-hk... order the offer).
        """
        user = await subscriber(self._store, user_id)
        t = translator(user, self._catalogs)
        if not text.strip():
            return Outcome.reply(t.gettext(texts.TIMEZONE_USAGE), keyboards.zone_buttons(t))
        found = match_zone(text)
        if found.zone is None:
            return Outcome.reply(
                texts.bad_timezone(t, text, found.suggestions),
                keyboards.suggestion_buttons(found.suggestions),
            )
        due = await self.reschedule(user, user.send_time, found.zone)
        year = self._clock.now().year
        kept = provisional(self._countries, found.zone, user.country, year)
        patch = UserPatch(country=kept or NO_COUNTRY)
        buttons = self.country_choices(t, found.zone, telegram_language)
        # A second zone tapped on the welcome before the country is answered is still onboarding.
        if user.awaiting in (Awaiting.TIMEZONE, Awaiting.ONBOARDING_COUNTRY):
            await self._store.users.update(
                user_id, replace(patch, awaiting=Awaiting.ONBOARDING_COUNTRY)
            )
            return Outcome.reply(texts.timezone_set(t, found.zone), buttons)
        if user.awaiting is Awaiting.ZONE:
            patch = replace(patch, awaiting=None)
        await self._store.users.update(user_id, patch)
        return Outcome.reply(texts.zone_changed(t, found.zone, user.send_time, due.day), buttons)

    def country_choices(self, t: Translator, zone: str, telegram_language: str | None) -> Buttons:
        """Return the buttons of "which country are you in?" for a zone."""
        offered = sharing_clock(
            self._countries,
            zone,
            self._clock.now().year,
            traditional=is_traditional(telegram_language),
        )
        return keyboards.confirm_country_buttons(t, offered)

    async def set_pain_duration(self, user_id: int, choice: PainChoice) -> Outcome:
        """Record how long the pain has gone on (or skip it); during onboarding, ask the time.

        The question's message shows the answer. Skipping clears an earlier answer: the rules
        then count from the first check-in of the current stretch of pain.
        """
        user = await subscriber(self._store, user_id)
        t = translator(user, self._catalogs)
        duration = choice.duration
        patch = UserPatch(
            pain_duration=duration,
            pain_duration_on=None if duration is None else today(self._clock, user),
        )
        if user.awaiting is Awaiting.PAIN_DURATION:
            # Onboarding goes on: where it hurts and which foot (issue 22), then the time.
            await self._store.users.update(user_id, replace(patch, awaiting=Awaiting.SITE))
            return Outcome(await site_question(t), edit=texts.pain_answered(t, duration))
        await self._store.users.update(user_id, patch)
        thanks = Reply(t.gettext(texts.DIABETES_THANKS))
        return Outcome((thanks,), edit=texts.pain_answered(t, duration))

    async def set_time(self, user_id: int, text: str) -> Outcome:
        """Set the daily time from a button or typed HH:MM."""
        user = await subscriber(self._store, user_id)
        t = translator(user, self._catalogs)
        if not text.strip():
            return Outcome.reply(t.gettext(texts.TIME_USAGE), keyboards.time_buttons(t))
        at = parse_hhmm(text)
        if at is None:
            return Outcome.reply(texts.bad_time(t, text))
        send_time = format_hhmm(at)
        due = await self.reschedule(user, send_time, user.timezone)
        # A time set while where-it-hurts is still open (/time) finishes onboarding too.
        if user.awaiting not in (Awaiting.TIME, Awaiting.SITE):
            return Outcome.reply(texts.schedule_changed(t, user.timezone, send_time, due.day))
        await self._store.users.update(user_id, UserPatch(awaiting=None))
        done = Outcome.reply(texts.onboarding_done(t, user.timezone, send_time, due.day))
        if user.has_diabetes is None:
            return done.then(Reply(t.gettext(texts.ASK_DIABETES), keyboards.diabetes_buttons(t)))
        return done

    async def ask_typed(self, user_id: int, what: Awaiting) -> Outcome:
        """Expect the next typed text to be a zone or a time."""
        user = await subscriber(self._store, user_id)
        if what is Awaiting.TIMEZONE and user.awaiting is not Awaiting.TIMEZONE:
            what = Awaiting.ZONE  # after onboarding: a new zone is not a new onboarding
        await self._store.users.update(user_id, UserPatch(awaiting=what))
        zone = what in (Awaiting.TIMEZONE, Awaiting.ZONE)
        usage = texts.ASK_TIMEZONE_TYPED if zone else texts.TIME_USAGE
        return Outcome.reply(translator(user, self._catalogs).gettext(usage))

    async def set_diabetes(self, user_id: int, answer: DiabetesAnswer) -> Outcome:
        """Record the optional diabetes answer; the question's message shows the answer."""
        user = await subscriber(self._store, user_id)
        t = translator(user, self._catalogs)
        has_diabetes = UNSET if answer is DiabetesAnswer.SKIP else answer is DiabetesAnswer.YES
        await self._store.users.update(user_id, UserPatch(has_diabetes=has_diabetes))
        return Outcome(
            (Reply(t.gettext(texts.DIABETES_THANKS)),), edit=texts.diabetes_answered(t, answer)
        )
