"""Start and stop the whole bot: store, service, Telegram application, dispatcher and sender.

`python -m bot run`, the demo and the end-to-end tests all go through this one object, so what
the tests exercise is what production runs.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from telegram.ext import Application

from bot.app import (
    CONNECTIONS,
    LimiterFactory,
    build_application,
    build_bot,
    paid_rate,
    rate_limiter,
    register_commands,
)
from bot.clock import Clock, SystemClock
from bot.composition import Content, Features, load_content, weekly_chart_renderer
from bot.delivery.monitor import BroadcastMonitor
from bot.delivery.ratelimit import FloodGate
from bot.delivery.sender import Sender, SenderOptions
from bot.delivery.timer import DispatchTimer
from bot.features.admin import Admin
from bot.features.daily import Dispatcher
from bot.health import HealthServer, HealthSource
from bot.logs import load_log_key
from bot.metrics import Metrics
from bot.settings import Settings
from bot.store import StorageUnavailable, Store
from bot.telegram.admin_handlers import AdminHandlers
from bot.telegram.buttons import ButtonHandlers
from bot.telegram.guard import Guard
from bot.telegram.handlers import UserHandlers
from bot.telegram.inbox import UpdateInbox
from bot.telegram.outcome_handlers import OutcomeHandlers
from bot.telegram.polling import Poller
from bot.telegram.profile import introduce
from bot.telegram.report_handlers import ReportHandlers
from bot.telegram.respond import Responder
from bot.telegram.share_handlers import ShareHandlers
from bot.telegram.status import WebhookStatus
from bot.telegram.transport import AiohttpRequest
from bot.web.server import ShareServer, share_server
from bot.webhook import (
    ALLOWED_UPDATES,
    RejectionLog,
    WebhookServer,
    listen,
    register,
    webhook_secret,
)

log = logging.getLogger(__name__)

DISPATCH_INTERVAL = 30.0  # seconds between dispatcher ticks
PROGRESS_INTERVAL = 3.0  # seconds between edits of a broadcast's progress message
HEALTHY_TICKS = 3  # /healthz fails once the dispatcher has missed this many intervals
# Finished outbox rows are kept this long: a daily key can only recur on its own day, and
# /stats counts the last week's check-in prompts.
PRUNE_AFTER = timedelta(days=8)
# Handled inbox rows are kept this long to recognise Telegram's repeats; Telegram keeps an
# update it could not deliver for 24 hours at most.
INBOX_KEEP = timedelta(hours=48)


T = TypeVar("T")


def _running(part: T | None, refusal: str = "the bot is not running") -> T:
    if part is None:
        raise RuntimeError(refusal)
    return part


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
        share_port: int | None = None,
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
        self._share_port_override = share_port  # the same for the share listener
        # Tests hand a socket already bound to a free port; the bot binds WEBHOOK_PORT itself.
        self._webhook_socket = webhook_socket
        self._dispatch_interval = dispatch_interval
        # Tests with a fake clock tick by hand; the real bot also wakes at each due time.
        self._wake_at_due = wake_at_due
        self._timer: DispatchTimer | None = None
        self._limiter = limiter
        self._store: Store | None = None
        self._app: Application | None = None
        self._features: Features | None = None
        self._dispatcher: Dispatcher | None = None
        self._sender: Sender | None = None
        self._monitor: BroadcastMonitor | None = None
        self._inbox: UpdateInbox | None = None
        self._receiver: Poller | WebhookServer | None = None
        # The Bot API transports, closed at stop even when the start failed half-way.
        self._requests: tuple[AiohttpRequest, AiohttpRequest] | None = None
        self._progress_interval = progress_interval
        self.metrics = Metrics()
        self.last_dispatch: datetime | None = None
        self._health: HealthServer | None = None
        self._telegram: WebhookStatus | None = None
        self._share: ShareServer | None = None

    @property
    def store(self) -> Store:
        """Return the open store."""
        return _running(self._store)

    @property
    def features(self) -> Features:
        """Return the features."""
        return _running(self._features)

    @property
    def dispatcher(self) -> Dispatcher:
        """Return the dispatcher."""
        return _running(self._dispatcher)

    @property
    def monitor(self) -> BroadcastMonitor:
        """Return the broadcast progress monitor."""
        return _running(self._monitor)

    @property
    def sender(self) -> Sender:
        """Return the sender."""
        return _running(self._sender)

    @property
    def share(self) -> ShareServer:
        """Return the share page listener (only when SHARE_PORT is set)."""
        return _running(self._share, "the share listener is not running")

    @property
    def health(self) -> HealthServer:
        """Return the health and metrics server (only when HEALTH_PORT is set)."""
        return _running(self._health, "the health endpoint is not running")

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
        features = Features.build(
            self._store,
            self.clock,
            content,
            catch_up,
            self.metrics,
            public_url=self.settings.public_url,
        )
        self._features = features
        self._dispatcher = Dispatcher(features.daily, self._store, self.clock)
        # Shared: a 429 seen anywhere holds every sender and reply.
        gate = FloodGate(self.metrics.rate_limited.inc)
        self._requests = (AiohttpRequest(CONNECTIONS), AiohttpRequest(1))
        bot = build_bot(self.settings, gate, self._limiter, requests=self._requests)
        queue: asyncio.Queue[object] = asyncio.Queue()
        inbox = UpdateInbox(self._store, queue, bot, self.metrics)
        self._inbox = inbox
        self._sender = Sender(
            self._store,
            bot,
            self._sender_options,
            renderer=weekly_chart_renderer(features.my_data),
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
            shares=ShareHandlers(features.share_chat, responder),
            outcomes=OutcomeHandlers(
                features.foot, features.first_step, features.my_data, responder
            ),
            observe_update=self.metrics.update_seconds.observe,
            handled=inbox.handled,
            update_queue=queue,
        )
        self._app = app
        self._telegram = WebhookStatus(bot, self.clock, self.metrics)
        await app.initialize()
        await register_commands(app.bot, content.catalogs)
        await introduce(app.bot, content.catalogs)
        inbox.start()
        await app.start()
        # What the last run stored but did not handle goes first, before anything new.
        await inbox.replay()
        if app.job_queue is None:
            raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
        self._timer = DispatchTimer(app.job_queue, self._guarded_tick, self._dispatch_interval)
        self._timer.start()
        if self._wake_at_due:
            # A changed time, zone, pause or resubscription may bring someone's next send
            # forward; look again at once rather than at the next periodic tick.
            self._store.users.on_schedule_change = lambda: self._arm(0.0)
        self._sender.start()
        self._monitor.start()
        if self.settings.health_port or self._health_port_override is not None:
            await self._start_health()
        if self.settings.share_port or self._share_port_override is not None:
            self._share = share_server(
                self.settings,
                features.sharing,
                content.catalogs,
                self.clock,
                self.metrics,
                port=self._share_port_override,
            )
            await self._share.start()
        await self._start_updates(app, inbox)
        log.info("FootCare is running")

    async def _start_updates(self, app: Application, inbox: UpdateInbox) -> None:
        """Receive updates by webhook when WEBHOOK_URL is set, else by long polling."""
        settings = self.settings
        if not settings.webhook_url:
            # The poller deletes a webhook first, so coming back from webhook mode just works.
            poller = Poller(
                app.bot, inbox, timeout=self._poll_timeout, allowed_updates=ALLOWED_UPDATES
            )
            self._receiver = poller
            await poller.start()
            return
        sock, self._webhook_socket = self._webhook_socket, None
        if sock is None:
            sock = listen(settings.webhook_host, settings.webhook_port)
        secret = webhook_secret(settings)
        server = WebhookServer(
            sock,
            settings.webhook_url,
            secret,
            app.bot,
            inbox,
            RejectionLog(self.clock, self.metrics),
        )
        self._receiver = server
        # Listening before setWebhook: a delivery Telegram makes at once finds the server.
        await server.start()
        await register(app.bot, settings.webhook_url, secret)

    async def _start_health(self) -> None:
        started = self.clock.now()
        source = HealthSource(
            store=lambda: self.store,
            clock=self.clock,
            last_dispatch=lambda: self.last_dispatch,
            max_dispatch_age=timedelta(seconds=HEALTHY_TICKS * self._dispatch_interval),
            metrics=self.metrics,
            started=started,
            telegram=self._telegram.view if self._telegram is not None else None,
        )
        port = self.settings.health_port
        if self._health_port_override is not None:
            port = self._health_port_override
        self._health = HealthServer(source, self.settings.health_host, port)
        await self._health.start()

    async def _guarded_tick(self) -> None:
        try:
            await self.tick()
        except StorageUnavailable:
            # A full or read-only database: the store logged it once; the due users stay due
            # and the next run tries again.
            return

    async def tick(self) -> int:
        """Run the dispatcher once and wake the sender; return rows enqueued."""
        added = await self.dispatcher.tick()
        self.last_dispatch = self.clock.now()
        self.metrics.dispatcher_last_run.set(self.last_dispatch.timestamp())
        if added:
            self.sender.wake()
        await self.store.outbox.prune(self.clock.now() - PRUNE_AFTER)
        await self.store.inbox.prune(self.clock.now() - INBOX_KEEP)
        if self._wake_at_due:
            following = await self.store.users.next_due()
            if following is not None:
                self._arm((following - self.clock.now()).total_seconds())
        return added

    def _arm(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.arm(delay)

    async def stop(self) -> None:
        """Stop polling, let in-flight sends finish, close everything."""
        # A start refused before the database opened (bad content) stopped nothing: saying
        # "stopped" would add a second line to the one that names the problem.
        opened = self._store is not None
        if self._health is not None:
            await self._health.stop()
            self._health = None
        if self._share is not None:
            await self._share.stop()
            self._share = None
        app = self._app
        if self._receiver is not None:
            await self._receiver.stop()
            self._receiver = None
        if self._webhook_socket is not None:
            self._webhook_socket.close()  # a start that failed before the server took it
            self._webhook_socket = None
        if self._monitor is not None:
            await self._monitor.stop()
        if self._sender is not None:
            await self._sender.stop()
        if app is not None:
            if app.running:
                # Handles every update already queued, then stops.
                await app.stop()
            await app.shutdown()
        if self._inbox is not None:
            # After the application: the updates it handled while stopping are marked too.
            await self._inbox.stop()
            self._inbox = None
        if self._requests is not None:
            # PTB's shutdown skips a bot whose start failed (Telegram unreachable), which
            # would leave both sessions open: "Unclosed client session" at exit.
            for request in self._requests:
                await request.shutdown()
            self._requests = None
        if self._store is not None:
            if self._sender is not None:
                # Sends cut off after the grace go back to 'pending' now, not at the next start.
                await self._store.outbox.requeue_in_flight()
            await self._store.close()
        self._app = None
        self._timer = None
        self._store = None
        self._monitor = None
        self._sender = None
        if opened:
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
