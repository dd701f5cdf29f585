"""The composition root: builds the python-telegram-bot Application and registers handlers.

It never starts polling, so tests build exactly the application that runs in production.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot, BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    ExtBot,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.core import texts
from bot.core.callbacks import Action, matches
from bot.core.i18n import Catalogs, Language
from bot.delivery.ratelimit import FloodAwareRateLimiter, FloodGate, RateLimitArgs
from bot.settings import MAX_FREE_RATE, Settings
from bot.telegram import handlers
from bot.telegram.admin_handlers import AdminHandlers
from bot.telegram.buttons import ButtonHandlers
from bot.telegram.guard import Guard
from bot.telegram.handlers import UserHandlers
from bot.telegram.outcome_handlers import OutcomeHandlers
from bot.telegram.report_handlers import ReportHandlers
from bot.telegram.share_handlers import ShareHandlers
from bot.telegram.transport import AiohttpRequest
from bot.telegram.updates import PerUserUpdateProcessor

log = logging.getLogger(__name__)

FLOOD_RETRIES = 2

# Builds the bot-wide limiter; bench/bench_ratelimit.py passes the old spacing one to compare.
LimiterFactory = Callable[[Settings, FloodGate], BaseRateLimiter[RateLimitArgs]]


def free_rate(settings: Settings) -> float:
    """Return the rate for everything that is not a paid broadcast."""
    return min(settings.send_rate_limit, MAX_FREE_RATE)


def paid_rate(settings: Settings) -> float | None:
    """Return the paid broadcasts' share of SEND_RATE_LIMIT, or None when they are off.

    Free messages keep up to 30/s (daily messages and replies must not wait behind a big
    broadcast); paid broadcasts get the rest, so the two together never exceed the limit.
    """
    share = settings.send_rate_limit - free_rate(settings)
    return share if settings.paid_broadcast and share > 0 else None


def rate_limiter(settings: Settings, gate: FloodGate) -> FloodAwareRateLimiter:
    """Build the bot-wide limiter: at most SEND_RATE_LIMIT messages in any one-second window."""
    return FloodAwareRateLimiter(
        free_rate(settings), paid_rate=paid_rate(settings), max_retries=FLOOD_RETRIES, gate=gate
    )


# HTTP connections to the Bot API: the sender's workers, handler replies and the broadcast
# monitor at once (getUpdates has its own).
CONNECTIONS = 32


def build_bot(
    settings: Settings,
    gate: FloodGate,
    limiter: LimiterFactory = rate_limiter,
    *,
    requests: tuple[BaseRequest, BaseRequest] | None = None,
) -> ExtBot[RateLimitArgs]:
    """Build the Bot API client: the sandbox or Telegram, behind the bot-wide rate limiter.

    `requests` are the transports for everything else and for getUpdates; the caller that
    passes them closes them too (PTB's Bot.shutdown skips a bot whose start failed).
    """
    request, get_updates_request = requests or (AiohttpRequest(CONNECTIONS), AiohttpRequest(1))
    return ExtBot(
        settings.bot_token.reveal(),
        base_url=settings.api_base_url,
        base_file_url=f"{settings.telegram_api_url.rstrip('/')}/file/bot",
        rate_limiter=limiter(settings, gate),
        # aiohttp rather than PTB's default httpx: a fraction of the CPU per request
        # (docs/PERFORMANCE.md), and a pool for the sender's workers and the handlers' replies
        # (a Bot built by hand gets one connection).
        request=request,
        get_updates_request=get_updates_request,
    )


def build_application(
    bot: ExtBot[RateLimitArgs],
    h: UserHandlers,
    b: ButtonHandlers,
    reports: ReportHandlers,
    admin: AdminHandlers,
    guard: Guard,
    *,
    shares: ShareHandlers | None = None,
    outcomes: OutcomeHandlers | None = None,
    observe_update: Callable[[float], object] | None = None,
    handled: Callable[[int], Awaitable[object]] | None = None,
    update_queue: asyncio.Queue[object] | None = None,
) -> Application:
    """Build the Application with every handler registered, each behind the guard.

    It has no Updater: updates reach `Application.update_queue` through the inbox
    (bot/telegram/inbox.py), from our own polling loop or webhook server.
    """
    builder = ApplicationBuilder().bot(bot).updater(None)
    if update_queue is not None:
        builder = builder.update_queue(update_queue)
    app = (
        builder
        # Users are served side by side; each user's own updates stay in order, and each is
        # marked handled in the inbox before the user's next one starts.
        .concurrent_updates(PerUserUpdateProcessor(observe=observe_update, handled=handled)).build()
    )
    # New messages only: an edited "/delete" or "7" must not run again (see `h.edited`).
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    # Before any handler: a blocked user who writes again is active again.
    app.add_handler(TypeHandler(Update, guard.seen), group=-1)
    registered = [
        CommandHandler("start", h.start, filters=private),
        CommandHandler("stop", h.stop, filters=private),
        CommandHandler("help", h.help, filters=private),
        CommandHandler("tip", h.tip, filters=private),
        CommandHandler("checkin", h.checkin, filters=private),
        CommandHandler("warning", h.warning, filters=private),
        CommandHandler("settings", h.settings, filters=private),
        CommandHandler("time", h.time, filters=private),
        CommandHandler("timezone", h.timezone, filters=private),
        CommandHandler("country", h.country, filters=private),
        CommandHandler("language", h.language, filters=private),
        CommandHandler("pause", h.pause, filters=private),
        CommandHandler("resume", h.resume, filters=private),
        CommandHandler("history", reports.history, filters=private),
        CommandHandler("export", reports.export, filters=private),
        CommandHandler("delete", reports.delete, filters=private),
        *(_share_handlers(shares, private) if shares is not None else ()),
        *(_outcome_handlers(outcomes, private) if outcomes is not None else ()),
        # Admin commands check ADMIN_IDS themselves and answer anyone else exactly like
        # an unknown command, so their existence is not revealed.
        CommandHandler("broadcast", admin.broadcast, filters=private),
        CommandHandler("broadcast_cancel", admin.broadcast_cancel, filters=private),
        CommandHandler("stats", admin.stats, filters=private),
        # One handler per button action (bot/core/callbacks.py); anything no action
        # claims, forged or from an older version, gets a short notice.
        CallbackQueryHandler(b.checkin, pattern=matches(Action.CHECKIN)),
        CallbackQueryHandler(b.red_flag, pattern=matches(Action.RED_FLAG)),
        CallbackQueryHandler(b.warning_signs, pattern=matches(Action.WARNING_SIGNS)),
        CallbackQueryHandler(b.zone, pattern=matches(Action.ZONE)),
        CallbackQueryHandler(b.time, pattern=matches(Action.TIME)),
        CallbackQueryHandler(b.country, pattern=matches(Action.COUNTRY)),
        CallbackQueryHandler(b.pain, pattern=matches(Action.PAIN)),
        CallbackQueryHandler(b.diabetes, pattern=matches(Action.DIABETES)),
        CallbackQueryHandler(b.settings, pattern=matches(Action.SETTINGS)),
        CallbackQueryHandler(b.language, pattern=matches(Action.LANGUAGE)),
        CallbackQueryHandler(reports.delete_choice, pattern=matches(Action.DELETE)),
        CallbackQueryHandler(reports.doctor_summary, pattern=matches(Action.DOCTOR_SUMMARY)),
        CallbackQueryHandler(admin.button, pattern=matches(Action.BROADCAST)),
        CallbackQueryHandler(b.unknown),
        # Order matters: known commands above, then any other command, then plain text,
        # then everything else (stickers, photos), so every message gets an answer.
        MessageHandler(filters.COMMAND & private, h.unknown_command),
        MessageHandler(filters.TEXT & private, h.text),
        MessageHandler(filters.ALL & private, h.other),
        MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.ChatType.PRIVATE, h.edited),
    ]
    # A 403 or an outlasted 429 is handled in the guard; only the unexpected reaches `error`.
    for handler in registered:
        handler.callback = guard.wrap(handler.callback)
    app.add_handlers(registered)
    app.add_error_handler(handlers.error)
    return app


def _share_handlers(
    shares: ShareHandlers, private: filters.BaseFilter
) -> list[CommandHandler[Any, Any] | CallbackQueryHandler[Any, Any]]:
    """/share, /shares and their buttons (issue 24), before the catch-all handlers."""
    return [
        CommandHandler("share", shares.share, filters=private),
        CommandHandler("shares", shares.shares, filters=private),
        CallbackQueryHandler(shares.name, pattern=matches(Action.SHARE_NAME)),
        CallbackQueryHandler(shares.days, pattern=matches(Action.SHARE_DAYS)),
        CallbackQueryHandler(shares.revoke, pattern=matches(Action.SHARE_REVOKE)),
    ]


def _outcome_handlers(
    outcomes: OutcomeHandlers, private: filters.BaseFilter
) -> list[CommandHandler[Any, Any] | CallbackQueryHandler[Any, Any]]:
    """My record, where it hurts, which foot, the joints question, first steps (issue 22)."""
    return [
        CommandHandler("record", outcomes.record, filters=private),
        CallbackQueryHandler(outcomes.site, pattern=matches(Action.SITE)),
        CallbackQueryHandler(outcomes.side, pattern=matches(Action.SIDE)),
        CallbackQueryHandler(outcomes.joints, pattern=matches(Action.JOINTS)),
        CallbackQueryHandler(outcomes.first_step, pattern=matches(Action.FIRST_STEP)),
    ]


async def register_commands(bot: Bot, catalogs: Catalogs) -> None:
    """Register the command menu, English by default and Chinese for zh-* clients."""
    try:
        await bot.set_my_commands([BotCommand(n, d) for n, d in texts.COMMANDS])
        zh = catalogs[Language.ZH]
        await bot.set_my_commands(
            [BotCommand(n, zh.gettext(d)) for n, d in texts.COMMANDS],
            language_code=Language.ZH.value,
        )
    except TelegramError as exc:
        # The menu is a convenience; the bot works without it.
        log.warning("Could not register the command menu: %s", exc)
