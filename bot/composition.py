"""The bot's parts wired together: the validated content it runs with and its features.

`Runtime` (bot/runtime.py) builds these at start; tests and benchmarks build them too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.clock import Clock
from bot.content.catalogs import load_catalogs, packaged_catalogs
from bot.content.countries import load_countries
from bot.content.exercises import load_exercises
from bot.content.rules import load_rules
from bot.content.tips import load_tips
from bot.content.tips_cli import default_tips_dir
from bot.core.countries import CountryBook
from bot.core.escalation import RulesConfig
from bot.core.exercises import ExerciseBook
from bot.core.i18n import Catalogs
from bot.core.outbox import WeeklyChart
from bot.core.tips import TipSet
from bot.delivery.outgoing import Renderer
from bot.features.checkins import Checkins
from bot.features.common import country_of
from bot.features.conversation import Conversation
from bot.features.daily import DailyPlan
from bot.features.my_data import MyData
from bot.features.outcomes.first_step import FirstStep
from bot.features.outcomes.foot import FootSite
from bot.features.preferences import Preferences
from bot.features.sharing import Sharing
from bot.features.sharing.chat import ShareChat
from bot.features.subscription import Subscription
from bot.features.tips import Tips
from bot.metrics import Metrics
from bot.settings import Settings
from bot.store import Store


@dataclass(frozen=True)
class Content:
    """The validated content the bot runs with."""

    tips: TipSet
    rules: RulesConfig
    # Empty by default so callers that build Content themselves keep working; an empty book
    # knows no country, and every caller then says "your local emergency number".
    countries: CountryBook = field(default_factory=CountryBook)
    # The shipped catalogues unless given, so every caller speaks both languages.
    catalogs: Catalogs = field(default_factory=packaged_catalogs)
    # The exercise programmes (issue 23): checked at start; no feature uses them yet.
    exercises: ExerciseBook | None = None


@dataclass(frozen=True)
class Features:
    """Every feature of the running bot, wired to one store, clock and content."""

    subscription: Subscription
    preferences: Preferences
    tips: Tips
    checkins: Checkins
    conversation: Conversation
    daily: DailyPlan
    my_data: MyData
    sharing: Sharing
    share_chat: ShareChat
    foot: FootSite  # issue 22: where it hurts and which foot
    first_step: FirstStep  # issue 22: this morning's first steps

    @classmethod
    def build(
        cls,
        store: Store,
        clock: Clock,
        content: Content,
        catch_up: timedelta,
        metrics: Metrics | None = None,
        public_url: str = "",
    ) -> Features:
        """Wire the features together."""
        metrics = metrics or Metrics()
        catalogs = content.catalogs
        subscription = Subscription(store, clock, content.countries, catalogs)
        preferences = Preferences(store, clock, content.countries, catalogs)
        tips = Tips(store, clock, content.tips, catalogs)
        countries = content.countries
        checkins = Checkins(
            store,
            clock,
            content.rules,
            routes=lambda user: country_of(user, countries),
            catalogs=catalogs,
            metrics=metrics,
        )
        first_step = FirstStep(store, clock, catalogs)
        sharing = Sharing(
            store,
            clock,
            content.rules,
            catalogs,
            public_url=public_url,
            on_open=metrics.share_openings.inc,
        )
        return cls(
            subscription=subscription,
            preferences=preferences,
            tips=tips,
            checkins=checkins,
            conversation=Conversation(
                store, subscription, checkins, preferences, catalogs, first_step=first_step
            ),
            daily=DailyPlan(store, clock, tips, catch_up=catch_up, metrics=metrics),
            my_data=MyData(store, clock, content.rules, catalogs, record_pdf=sharing.summary_pdf),
            sharing=sharing,
            share_chat=ShareChat(sharing, store, clock, catalogs),
            foot=FootSite(store, clock, catalogs),
            first_step=first_step,
        )


def load_content(settings: Settings) -> Content:
    """Load and validate tips, rules, countries, catalogues and exercises; raise ContentError."""
    tips = load_tips(settings.tips_dir or default_tips_dir())
    book = load_rules(
        settings.escalation_rules,
        threshold=settings.escalation_pain_threshold,
        days=settings.escalation_days,
    )
    return Content(tips, book.config, load_countries(), load_catalogs(), load_exercises())


def weekly_chart_renderer(my_data: MyData) -> Renderer:
    """Return the sender's renderer: a user's weekly chart and caption, drawn at send time."""

    async def render(user_id: int, chart: WeeklyChart) -> tuple[bytes, str] | None:
        photo = await my_data.weekly(user_id, chart.end)
        return (photo.png, photo.caption) if photo is not None else None

    return render
