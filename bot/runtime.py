"""Start and stop the whole bot: store, service, Telegram application, dispatcher and sender.

`python -m bot run`, the demo and the end-to-end tests all go through this one object, so what
the tests exercise is what production runs.
"""

from __future__ import annotations

import logging
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType

from telegram import BotCommand
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes, Job, Updater

from bot.app import LimiterFactory, build_application, build_bot, paid_rate, rate_limiter
from bot.clock import Clock, SystemClock
from bot.content.catalogs import load_catalogs, packaged_catalogs
from bot.content.countries import load_countries
from bot.content.rules import load_rules
from bot.content.tips import load_tips
from bot.content.tips_cli import default_tips_dir
from bot.core import texts
from bot.core.countries import CountryBook
from bot.core.escalation import RulesConfig
from bot.core.i18n import Catalogs, Language
from bot.core.outbox import WeeklyChart
from bot.core.tips import TipSet
from bot.delivery.monitor import BroadcastMonitor
from bot.delivery.ratelimit import FloodGate
from bot.delivery.sender import Renderer, Sender, SenderOptions
from bot.features.admin import Admin
from bot.features.checkins import Checkins
from bot.features.common import country_of
from bot.features.conversation import Conversation
from bot.features.daily import DailyPlan, Dispatcher
from bot.features.my_data import MyData
from bot.features.preferences import Preferences
from bot.features.subscription import Subscription
from bot.features.tips import Tips
from bot.health import HealthServer, HealthSource
from bot.logs import load_log_key
from bot.metrics import Metrics
from bot.settings import Settings
from bot.store import StorageUnavailable, Store
from bot.telegram.admin_handlers import AdminHandlers
from bot.telegram.buttons import ButtonHandlers
from bot.telegram.guard import Guard
from bot.telegram.handlers import UserHandlers
from bot.telegram.report_handlers import ReportHandlers
from bot.telegram.respond import Responder
from bot.webhook import ALLOWED_UPDATES, listen, start_webhook, webhook_secret

log = logging.getLogger(__name__)

DISPATCH_INTERVAL = 30.0  # seconds between dispatcher ticks
PROGRESS_INTERVAL = 3.0  # seconds between edits of a broadcast's progress message
HEALTHY_TICKS = 3  # /healthz fails once the dispatcher has missed this many intervals
# Finished outbox rows are kept this long: a daily key can only recur on its own day, and
# /stats counts the last week's check-in prompts.
PRUNE_AFTER = timedelta(days=8)
# The dispatcher wakes at the earliest next send, but never sooner than this after a tick (a
# user whose dispatch failed stays due and must not spin the loop).
MIN_DISPATCH_WAIT = 0.5


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

    @classmethod
    def build(
        cls,
        store: Store,
        clock: Clock,
        content: Content,
        catch_up: timedelta,
        metrics: Metrics | None = None,
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
        return cls(
            subscription=subscription,
            preferences=preferences,
            tips=tips,
            checkins=checkins,
            conversation=Conversation(store, subscription, checkins, preferences, catalogs),
            daily=DailyPlan(store, clock, tips, catch_up=catch_up, metrics=metrics),
            my_data=MyData(store, clock, content.rules, catalogs),
        )


def load_content(settings: Settings) -> Content:
    """Load and validate tips, rules, countries and catalogues; raise ContentError on a problem."""
    tips = load_tips(settings.tips_dir or default_tips_dir())
    book = load_rules(
        settings.escalation_rules,
        threshold=settings.escalation_pain_threshold,
        days=settings.escalation_days,
    )
    return Content(tips, book.config, load_countries(), load_catalogs())


class Runtime:
    """The running bot. Use `async with Runtime(settings) as bot:` or start()/stop()."""

    def __init__(
        self,
        settings: Settings,
        clock: Clock | None = None,
        *,
        content: Content | None = None,
        sender_options: SenderOptions | None = None,
        poll_timeout: int = 10,
        dispatch_interval: float = DISPATCH_INTERVAL,
        progress_interval: float = PROGRESS_INTERVAL,
        health_port: int | None = None,
        wake_at_due: bool = True,
        limiter: LimiterFactory = rate_limiter,
        webhook_socket: socket.socket | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self._content = content
        self._sender_options = sender_options
        self._poll_timeout = poll_timeout
        # Tests pass 0 to serve health on a free port without a HEALTH_PORT setting.
        self._health_port_override = health_port
        # Tests hand a socket already bound to a free port; the bot binds WEBHOOK_PORT itself.
        self._webhook_socket = webhook_socket
        self._dispatch_interval = dispatch_interval
        # Tests with a fake clock tick by hand; the real bot also wakes at each due time.
        self._wake_at_due = wake_at_due
        self._due_job: Job[ContextTypes.DEFAULT_TYPE] | None = None
        self._due_at = 0.0  # time.monotonic() of the armed run
        self._limiter = limiter
        self._store: Store | None = None
        self._app: Application | None = None
        self._features: Features | None = None
        self._dispatcher: Dispatcher | None = None
        self._sender: Sender | None = None
        self._monitor: BroadcastMonitor | None = None
        self._progress_interval = progress_interval
        self.metrics = Metrics()
        self.last_dispatch: datetime | None = None
        self._health: HealthServer | None = None

    @property
    def store(self) -> Store:
        """Return the open store."""
        if self._store is None:
            raise RuntimeError("the bot is not running")
        return self._store

    @property
    def features(self) -> Features:
        """Return the features."""
        if self._features is None:
            raise RuntimeError("the bot is not running")
        return self._features

    @property
    def dispatcher(self) -> Dispatcher:
        """Return the dispatcher."""
        if self._dispatcher is None:
            raise RuntimeError("the bot is not running")
        return self._dispatcher

    @property
    def monitor(self) -> BroadcastMonitor:
        """Return the broadcast progress monitor."""
        if self._monitor is None:
            raise RuntimeError("the bot is not running")
        return self._monitor

    @property
    def sender(self) -> Sender:
        """Return the sender."""
        if self._sender is None:
            raise RuntimeError("the bot is not running")
        return self._sender

    @property
    def health(self) -> HealthServer:
        """Return the health and metrics server (only when HEALTH_PORT is set)."""
        if self._health is None:
            raise RuntimeError("the health endpoint is not running")
        return self._health

    async def start(self) -> None:
        """Open the database, connect to the Bot API and begin polling and delivering."""
        try:
            await self._start()
        except BaseException:
            # Close whatever was opened, or aiosqlite's thread keeps a failed process alive.
            await self.stop()
            raise

    async def _start(self) -> None:
        content = self._content or load_content(self.settings)
        self._store = await Store.open(Path(self.settings.database_path), self.clock)
        # Log lines name users by a keyed hash; the key sits next to the database (0600).
        load_log_key(Path(self.settings.database_path))
        requeued = await self._store.outbox.requeue_in_flight()
        if requeued:
            log.warning("Requeued %d messages left in flight by the last run", requeued)
        catch_up = timedelta(hours=self.settings.catch_up_hours)
        features = Features.build(self._store, self.clock, content, catch_up, self.metrics)
        self._features = features
        self._dispatcher = Dispatcher(features.daily, self._store, self.clock)
        # Shared: a 429 seen anywhere holds every sender and reply.
        gate = FloodGate(self.metrics.rate_limited.inc)
        bot = build_bot(self.settings, gate, self._limiter)
        self._sender = Sender(
            self._store,
            bot,
            self._sender_options,
            renderer=self._renderer(features.my_data),
            gate=gate,
            metrics=self.metrics,
        )
        # Paying for broadcasts only makes sense when the rate is above the free 30/s.
        paid = paid_rate(self.settings) is not None
        admin = Admin(self._store, self.clock, self.settings.admin_ids, paid=paid)
        self._monitor = BroadcastMonitor(admin, self._store, bot, self._progress_interval)
        sender = self._sender
        responder = Responder(features.preferences.speaker)
        app = build_application(
            bot,
            UserHandlers(
                features.subscription,
                features.preferences,
                features.tips,
                features.checkins,
                features.conversation,
                responder,
            ),
            ButtonHandlers(
                features.subscription, features.preferences, features.checkins, responder
            ),
            ReportHandlers(features.my_data, responder),
            AdminHandlers(
                admin,
                self._monitor,
                wake_sender=sender.wake,
                last_send_error=lambda: sender.last_error,
                speaker=features.preferences.speaker,
            ),
            Guard(features.subscription.refused, features.subscription.returned, content.catalogs),
            observe_update=self.metrics.update_seconds.observe,
        )
        self._app = app
        await app.initialize()
        await self._register_commands(app, content.catalogs)
        await app.start()
        if app.job_queue is None:
            raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
        # One recurring dispatcher for all users, never one job per user (see ARCHITECTURE).
        app.job_queue.run_repeating(
            self._tick,
            interval=self._dispatch_interval,
            first=0.5,
            name="dispatcher",
            job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
        )
        if self._wake_at_due:
            # A changed time, zone, pause or resubscription may bring someone's next send
            # forward; look again at once rather than at the next periodic tick.
            self._store.users.on_schedule_change = lambda: self._arm_dispatch(0.0)
        self._sender.start()
        self._monitor.start()
        if self.settings.health_port or self._health_port_override is not None:
            await self._start_health()
        if app.updater is None:
            raise RuntimeError("the application has no updater")
        await self._start_updates(app.updater)
        log.info("FootCare is running")

    async def _start_updates(self, updater: Updater) -> None:
        """Receive updates by webhook when WEBHOOK_URL is set, else by long polling."""
        settings = self.settings
        if not settings.webhook_url:
            # PTB calls deleteWebhook before polling, so coming back from webhook mode just works.
            await updater.start_polling(
                poll_interval=0.0, timeout=self._poll_timeout, allowed_updates=ALLOWED_UPDATES
            )
            return
        sock, self._webhook_socket = self._webhook_socket, None
        if sock is None:
            sock = listen(settings.webhook_host, settings.webhook_port)
        await start_webhook(updater, settings.webhook_url, webhook_secret(settings), sock)

    async def _start_health(self) -> None:
        started = self.clock.now()
        source = HealthSource(
            store=lambda: self.store,
            clock=self.clock,
            last_dispatch=lambda: self.last_dispatch,
            max_dispatch_age=timedelta(seconds=HEALTHY_TICKS * self._dispatch_interval),
            metrics=self.metrics,
            started=started,
        )
        port = self.settings.health_port
        if self._health_port_override is not None:
            port = self._health_port_override
        self._health = HealthServer(source, self.settings.health_host, port)
        await self._health.start()

    @staticmethod
    def _renderer(my_data: MyData) -> Renderer:
        async def render(user_id: int, chart: WeeklyChart) -> tuple[bytes, str] | None:
            photo = await my_data.weekly(user_id, chart.end)
            return (photo.png, photo.caption) if photo is not None else None

        return render

    async def _register_commands(self, app: Application, catalogs: Catalogs) -> None:
        try:
            # The default menu is English; Telegram shows the zh one to zh-* clients.
            await app.bot.set_my_commands([BotCommand(n, d) for n, d in texts.COMMANDS])
            zh = catalogs[Language.ZH]
            await app.bot.set_my_commands(
                [BotCommand(n, zh.gettext(d)) for n, d in texts.COMMANDS],
                language_code=Language.ZH.value,
            )
        except TelegramError as exc:
            # The menu is a convenience; the bot works without it.
            log.warning("Could not register the command menu: %s", exc)

    async def _tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await self.tick()
        except StorageUnavailable:
            # A full or read-only database: the store logged it once; the due users stay due
            # and the next tick (one interval on, no sooner) tries again.
            return

    async def tick(self) -> int:
        """Run the dispatcher once and wake the sender; return rows enqueued."""
        added = await self.dispatcher.tick()
        self.last_dispatch = self.clock.now()
        self.metrics.dispatcher_last_run.set(self.last_dispatch.timestamp())
        if added:
            self.sender.wake()
        await self.store.outbox.prune(self.clock.now() - PRUNE_AFTER)
        if self._wake_at_due:
            following = await self.store.users.next_due()
            if following is not None:
                self._arm_dispatch((following - self.clock.now()).total_seconds())
        return added

    def _arm_dispatch(self, delay: float) -> None:
        """Run the dispatcher once after `delay` seconds, unless a run is already due sooner.

        The periodic tick covers anything further away than its interval.
        """
        app = self._app
        if app is None or app.job_queue is None or delay >= self._dispatch_interval:
            return
        at = time.monotonic() + max(delay, MIN_DISPATCH_WAIT)
        if self._due_job is not None:
            if self._due_at <= at:
                return
            self._due_job.schedule_removal()
        self._due_at = at
        self._due_job = app.job_queue.run_once(
            self._due_tick, when=at - time.monotonic(), name="dispatcher-due"
        )

    async def _due_tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        self._due_job = None
        await self.tick()

    async def stop(self) -> None:
        """Stop polling, let in-flight sends finish, close everything."""
        if self._health is not None:
            await self._health.stop()
            self._health = None
        app = self._app
        if app is not None and app.updater is not None and app.updater.running:
            await app.updater.stop()
        if self._monitor is not None:
            await self._monitor.stop()
        if self._sender is not None:
            await self._sender.stop()
        if app is not None:
            if app.running:
                await app.stop()
            await app.shutdown()
        if self._store is not None:
            if self._sender is not None:
                # Sends cut off after the grace go back to 'pending' now, not at the next start.
                await self._store.outbox.requeue_in_flight()
            await self._store.close()
        self._app = None
        self._store = None
        self._monitor = None
        self._sender = None
        log.info("FootCare stopped")

    async def __aenter__(self) -> Runtime:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()
