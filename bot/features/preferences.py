"""The /settings screen and its buttons, the weekly summary choice, the user's country
(/country, and its answer during onboarding), and /pause and /resume."""

from __future__ import annotations

from bot.clock import Clock
from bot.core import texts
from bot.core.callbacks import CountryChoice, LanguageChoice, SettingsChoice, SettingsItem
from bot.core.countries import NO_COUNTRY, Country, CountryBook
from bot.core.country_choice import sharing_clock
from bot.core.i18n import ENGLISH_ONLY, Catalogs, Language, Translator, is_traditional
from bot.core.replies import Outcome, Reply
from bot.core.schedule import pause_until
from bot.core.states import Awaiting
from bot.features import keyboards
from bot.features.common import before_start, country_of, subscriber, today, translator
from bot.features.outcomes.first_step import first_step_line, toggle_first_step
from bot.features.outcomes.foot import profile_lines, site_question
from bot.features.outcomes.keyboards import first_step_toggle
from bot.store import Store
from bot.store.users import User, UserPatch

MAX_PAUSE_DAYS = 30


class Preferences:
    """What a subscriber can change after onboarding."""

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

    async def speaker(self, user_id: int, telegram_code: str | None) -> Translator:
        """Return the user's translator: their stored language, else Telegram's (no row)."""
        user = await self._store.users.get(user_id)
        if user is None:
            return self._catalogs.get(telegram_code)
        return translator(user, self._catalogs)

    async def language(self, user_id: int, telegram_code: str | None = None) -> Outcome:
        """Offer the languages (/language), also before /start."""
        t = await self.speaker(user_id, telegram_code)
        return Outcome.reply(t.gettext(texts.CHOOSE_LANGUAGE), keyboards.language_buttons())

    async def choose_language(self, user_id: int, choice: LanguageChoice) -> Outcome:
        """Switch the user's language at once; the answer is already in the new one.

        Before /start the choice is kept (a row holding only it) so /start greets in it.
        """
        user = await self._store.users.get(user_id)
        code = choice.language.value
        t = self._catalogs[choice.language]
        if user is None:
            # A private chat's id is its user's id; /start stores the name and the chat.
            await self._store.users.create(user_id, user_id, "", code, before_start=True)
        else:
            await self._store.users.update(user_id, UserPatch(language_code=code))
        if before_start(user):
            return Outcome(
                edit=f"{t.gettext(texts.LANGUAGE_SET)}{t.gap}{t.gettext(texts.NOW_START)}"
            )
        return Outcome(edit=t.gettext(texts.LANGUAGE_SET))

    async def show(self, user_id: int) -> Outcome:
        """Show the user's settings with buttons to change them."""
        user = await subscriber(self._store, user_id)
        t = translator(user, self._catalogs)
        text = texts.settings_summary(
            t,
            user.timezone,
            user.send_time,
            user.paused_until,
            user.status,
            user.has_diabetes,
            weekly=user.weekly_summary,
            weekly_day=user.weekly_day,
            country=self._country_label(t, user),
            pain=texts.pain_label(t, user.pain_duration, user.pain_duration_on),
        )
        profile = await self._store.outcomes.profile(user_id)
        foot = [*profile_lines(t, profile), first_step_line(t, profile)]
        # As bullets of the list, before its closing paragraph on how to change them.
        listed, gap, closing = text.rpartition("\n\n")
        text = "\n".join([listed, *(f"• {line}" for line in foot)]) + gap + closing
        buttons = keyboards.settings_buttons(t, user.weekly_summary)
        asks = profile is not None and profile.asks_first_step
        return Outcome.reply(text, (*buttons, *first_step_toggle(t, asks=asks)))

    async def choose(
        self, user_id: int, choice: SettingsChoice, telegram_language: str | None = None
    ) -> Outcome:
        """Offer the choices behind a /settings button, or apply a weekly-summary choice."""
        user = await subscriber(self._store, user_id)
        t = translator(user, self._catalogs)
        match choice.item:
            case SettingsItem.TIME:
                return Outcome.reply(t.gettext(texts.CHOOSE_TIME), keyboards.time_buttons(t))
            case SettingsItem.ZONE:
                return Outcome.reply(t.gettext(texts.CHOOSE_ZONE), keyboards.zone_buttons(t))
            case SettingsItem.DIABETES:
                return Outcome.reply(t.gettext(texts.ASK_DIABETES), keyboards.diabetes_buttons(t))
            case SettingsItem.COUNTRY:
                return self._offer_countries(t, user, telegram_language)
            case SettingsItem.PAIN:
                return Outcome.reply(t.gettext(texts.ASK_PAIN_DURATION), keyboards.pain_buttons(t))
            case SettingsItem.SITE:
                return Outcome(await site_question(t))
            case SettingsItem.FIRST_STEP:
                return Outcome.reply(await toggle_first_step(self._store, user, t, self._clock))
            case SettingsItem.WEEKLY:
                enabled = not user.weekly_summary
                await self._store.users.update(user_id, UserPatch(weekly_summary=enabled))
                return Outcome.reply(texts.weekly_toggled(t, enabled, user.weekly_day))
            case SettingsItem.WEEKDAY if choice.weekday is None:
                return Outcome.reply(t.gettext(texts.CHOOSE_WEEKDAY), keyboards.weekday_buttons(t))
            case SettingsItem.WEEKDAY:
                day = choice.weekday
                await self._store.users.update(
                    user_id, UserPatch(weekly_day=day, weekly_summary=True)
                )
                return Outcome.reply(texts.weekly_toggled(t, True, day))

    async def country(self, user_id: int, text: str) -> Outcome:
        """Set the country from /country or typed text: a code, a name, or "other"."""
        user = await subscriber(self._store, user_id)
        t = translator(user, self._catalogs)
        if not text.strip():
            return Outcome.reply(texts.country_status(t, self._country_label(t, user)))
        if " ".join(text.split()).casefold() in texts.COUNTRY_OTHER_WORDS:
            return await self._store_country(user, NO_COUNTRY)
        found = self._countries.find(text) or self._find_in_language(t, text)
        if found is None:
            return Outcome.reply(texts.country_unknown(t, text))
        return await self._store_country(user, found.code)

    def _find_in_language(self, t: Translator, text: str) -> Country | None:
        """Find a country by its name in the user's language ("德国"), as the bot names it."""
        wanted = " ".join(text.split()).casefold()
        return next(
            (c for c in self._countries if t.country(c.code, c.name).casefold() == wanted), None
        )

    async def choose_country(self, user_id: int, choice: CountryChoice) -> Outcome:
        """Apply a country button: a country, "not listed", or "I'll type it"."""
        user = await subscriber(self._store, user_id)
        t = translator(user, self._catalogs)
        if choice.code is None:
            if user.awaiting is Awaiting.ONBOARDING_COUNTRY:
                # "Other" during onboarding: the typed name (or /country) is the answer.
                return Outcome.reply(t.gettext(texts.COUNTRY_HOW_TYPED))
            await self._store.users.update(user_id, UserPatch(awaiting=Awaiting.COUNTRY))
            return Outcome.reply(t.gettext(texts.ASK_COUNTRY_TYPED))
        if choice.code != NO_COUNTRY and self._countries.get(choice.code) is None:
            # A forged code, or a row removed from the file since the button was sent.
            return Outcome.reply(texts.country_unknown(t, choice.code))
        return await self._store_country(user, choice.code)

    async def _store_country(self, user: User, code: str) -> Outcome:
        t = translator(user, self._catalogs)
        country = self._countries.get(code)
        said = t.gettext(texts.COUNTRY_NOT_LISTED) if country is None else _confirmation(t, country)
        if user.awaiting is Awaiting.ONBOARDING_COUNTRY:
            # Onboarding goes on: the question shows the answer, then how long the pain has
            # gone on (skippable), then the daily time.
            patch = UserPatch(country=code, awaiting=Awaiting.PAIN_DURATION)
            await self._store.users.update(user.user_id, patch)
            question = Reply(t.gettext(texts.ASK_PAIN_DURATION), keyboards.pain_buttons(t))
            return Outcome((question,), edit=said)
        patch = UserPatch(country=code)
        if user.awaiting is Awaiting.COUNTRY:
            patch = UserPatch(country=code, awaiting=None)
        await self._store.users.update(user.user_id, patch)
        return Outcome.reply(said)

    def _offer_countries(self, t: Translator, user: User, telegram_language: str | None) -> Outcome:
        current = country_of(user, self._countries)
        year = self._clock.now().year
        traditional = is_traditional(telegram_language)
        offered = sharing_clock(self._countries, user.timezone, year, traditional=traditional)
        # A country is worth a button only when it is not already the answer.
        choices = [country for country in offered if country != current]
        text = texts.choose_country(t, self._country_label(t, user))
        return Outcome.reply(text, keyboards.country_buttons(t, choices))

    def _country_label(self, t: Translator, user: User) -> str:
        country = country_of(user, self._countries)
        # Choosing a zone stores its country, so "from your time zone" is a match, not a flag.
        from_zone = country is not None and country == self._countries.for_zone(user.timezone)
        name = t.country(country.code, country.name) if country else None
        return texts.country_label(t, name, from_zone=from_zone)

    async def pause(self, user_id: int, arg: str) -> Outcome:
        """Skip the next N daily deliveries (1-30)."""
        user = await subscriber(self._store, user_id, active=True)
        t = translator(user, self._catalogs)
        arg = arg.strip()
        if not arg.isdigit() or not 1 <= int(arg) <= MAX_PAUSE_DAYS:
            return Outcome.reply(t.gettext(texts.PAUSE_USAGE))
        first = user.next_due_date or today(self._clock, user)
        until = pause_until(first, int(arg))
        await self._store.users.update(user_id, UserPatch(paused_until=until))
        return Outcome.reply(texts.paused(t, until))

    async def resume(self, user_id: int) -> Outcome:
        """End a pause."""
        user = await subscriber(self._store, user_id, active=True)
        t = translator(user, self._catalogs)
        if user.paused_until is None or user.paused_until <= today(self._clock, user):
            return Outcome.reply(t.gettext(texts.NOT_PAUSED))
        await self._store.users.update(user_id, UserPatch(paused_until=None))
        return Outcome.reply(t.gettext(texts.RESUMED))


def _confirmation(t: Translator, country: Country) -> str:
    name = t.country(country.code, country.name)
    # A Chinese reader gets the line's name with what it is, in Chinese.
    line = country.urgent_name_zh if t.language is Language.ZH else country.urgent_name
    return texts.country_set(t, name, country.emergency, country.urgent, line)
