"""Command line: `python -m bot run [--webhook] | demo [--language en|zh] | backup PATH [--force] |
restore PATH | tips check [DIR] | tips list [DIR] | countries check [FILE] |
exercises check [FILE] | exercises sheet [PNG]`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import os
import signal
import sys
from pathlib import Path
from typing import TextIO

from bot.content import countries, exercises_cli
from bot.content.tips_cli import check, default_tips_dir, list_tips
from bot.content.yamlfile import ContentError
from bot.core.i18n import Language
from bot.logs import setup_logging
from bot.settings import (
    Settings,
    SettingsError,
    configured_tips_dir,
    load_settings,
    terminal_language,
)
from bot.store.backup import BackupError, backup, before_restore_path, restore
from bot.store.lock import InstanceLock, InstanceLocked

EXIT_CONFIG = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="FootCare: daily heel and foot care tips and pain check-ins on Telegram.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser(
        "run", help="run the bot against Telegram (long polling, or a webhook); needs BOT_TOKEN"
    )
    run.add_argument(
        "--webhook",
        action="store_true",
        help="receive updates by webhook (also on whenever WEBHOOK_URL is set); needs WEBHOOK_URL",
    )
    demo = commands.add_parser(
        "demo", help="chat with the bot in this terminal through a local sandbox"
    )
    demo.add_argument(
        "--language",
        choices=[language.value for language in Language],
        help="the language you chat in (default: the terminal's, from LC_ALL or LANG)",
    )
    backup = commands.add_parser(
        "backup", help="copy the database (safe while the bot runs) to PATH"
    )
    backup.add_argument("path", type=Path, help="the backup file to write")
    backup.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    restore = commands.add_parser(
        "restore", help="put a backup back in place of the database (the bot must be stopped)"
    )
    restore.add_argument("path", type=Path, help="the backup file to restore")
    tips = commands.add_parser("tips", help="check or list the tips content")
    tip_commands = tips.add_subparsers(dest="tips_command", required=True, metavar="ACTION")
    for name, text in (("check", "validate the tips (exit 1 on problems)"), ("list", "list tips")):
        action = tip_commands.add_parser(name, help=text)
        action.add_argument(
            "directory", nargs="?", type=Path, help="tips folder (default: $TIPS_DIR, else tips/)"
        )
    places = commands.add_parser("countries", help="check the countries file")
    place_commands = places.add_subparsers(
        dest="countries_command", required=True, metavar="ACTION"
    )
    action = place_commands.add_parser("check", help="validate the countries (exit 1 on problems)")
    action.add_argument(
        "file", nargs="?", type=Path, help="countries YAML file (default: the packaged one)"
    )
    _exercises_parser(commands)
    return parser


def _exercises_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("exercises", help="check the exercise programmes, draw pictures")
    actions = parser.add_subparsers(dest="exercises_command", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="validate the exercises (exit 1 on problems)")
    check.add_argument("file", nargs="?", type=Path, help="exercises YAML (default: the packaged)")
    sheet = actions.add_parser("sheet", help="draw every exercise picture on one PNG")
    sheet.add_argument(
        "path", nargs="?", type=Path, help="the PNG to write (default: docs/exercise-pictures.png)"
    )


async def _run_until_signalled(settings: Settings) -> None:
    from bot.runtime import Runtime  # imported late: `tips check` must not need Telegram

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    async with Runtime(settings):
        await stop.wait()


def _copy_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`backup PATH` (any time) and `restore PATH` (bot stopped), on the DATABASE_PATH of `run`."""
    try:
        settings = load_settings(require_token=False)
    except SettingsError as exc:
        return _fail(err, str(exc))
    database = settings.database_path
    try:
        if args.command == "backup":
            info = backup(database, args.path, force=args.force)
            out.write(
                f"Backed up {database} to {info.path}: {info.size:,} bytes, "
                f"schema version {info.schema_version}\n"
            )
            return 0
        with InstanceLock(database):  # held throughout: no bot may start mid-restore
            replaced = database.exists()
            info = restore(database, args.path)
        kept = f"; the replaced database is {before_restore_path(database)}" if replaced else ""
        out.write(
            f"Restored {database} from {args.path} (schema version {info.schema_version}){kept}\n"
        )
        return 0
    except (BackupError, InstanceLocked) as exc:
        return _fail(err, str(exc))
    except OSError as exc:
        return _fail(err, f"{args.command} failed: {exc}")


def _exercise_sheet(path: Path, out: TextIO, err: TextIO) -> int:
    """Draw every exercise picture with its caption on one PNG (docs/ by default)."""
    try:
        captions = exercises_cli.sheet_captions()
    except ContentError as exc:
        err.write(f"footcare: content is invalid:\n{exc}\n")
        return 1
    from bot.charts.exercise_pictures import contact_sheet  # late: matplotlib for this only

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(contact_sheet(captions))
    out.write(f"Wrote {len(captions)} pictures to {path}\n")
    return 0


def _fail(err: TextIO, message: str) -> int:
    err.write(f"footcare: {message}\n")
    return EXIT_CONFIG


def main(argv: list[str] | None = None, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Parse arguments, validate settings once, and run the chosen command."""
    args = _parser().parse_args(argv)
    # Opt in to python-telegram-bot's timedelta time periods now, as v23 will require.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    if args.command == "tips":
        # TIPS_DIR matters in a regular (non-editable) install, where default_tips_dir() is absent.
        try:
            directory = args.directory or configured_tips_dir() or default_tips_dir()
        except SettingsError as exc:
            return _fail(err, str(exc))
        if args.tips_command == "check":
            return check(directory, out)
        return list_tips(directory, out)
    if args.command == "countries":
        code, report = countries.check_report(args.file)
        print(report, file=out)
        return code
    if args.command == "exercises":
        if args.exercises_command == "check":
            return exercises_cli.check(args.file, out)
        return _exercise_sheet(args.path or exercises_cli.default_sheet_path(), out, err)
    if args.command in ("backup", "restore"):
        return _copy_command(args, out, err)
    try:
        # The demo keeps its own database so trying it never touches real subscribers.
        settings = load_settings(
            require_token=args.command == "run",
            default_database="data/footcare.db" if args.command == "run" else "data/demo.db",
        )
    except SettingsError as exc:
        return _fail(err, str(exc))
    if args.command == "run" and args.webhook and not settings.webhook_url:
        return _fail(
            err, "WEBHOOK_URL is not set (--webhook needs the public HTTPS URL Telegram posts to)"
        )
    if args.command == "demo" and settings.database_path.name != "demo.db":
        # DATABASE_PATH (set in the Docker image or .env) names the real database: put the
        # demo's own file beside it rather than writing the demo user into it.
        demo_db = settings.database_path.with_name("demo.db")
        settings = dataclasses.replace(settings, database_path=demo_db)
    if args.command == "demo":
        # The demo's sandbox must never post to the real bot's public WEBHOOK_URL (from .env),
        # nor take its port: the demo always polls its own sandbox.
        settings = dataclasses.replace(settings, webhook_url="")
    # The demo's terminal is a chat transcript: keep routine INFO lines out of it.
    level = (
        "WARNING" if args.command == "demo" and settings.log_level == "INFO" else settings.log_level
    )
    setup_logging(level, [settings.bot_token.reveal()], err)
    try:
        # One bot per database: two pollers on one token fight over the updates.
        with InstanceLock(settings.database_path):
            # The demo user's Telegram language: the flag, else the terminal's locale.
            language = getattr(args, "language", None) or terminal_language()
            return _run_or_demo(args.command, settings, out, err, language)
    except InstanceLocked as exc:
        return _fail(err, str(exc))


def _run_or_demo(
    command: str, settings: Settings, out: TextIO, err: TextIO, language: str = "en"
) -> int:
    try:
        if command == "run":
            from telegram.error import InvalidToken, NetworkError  # late: see _run_until_signalled

            try:
                asyncio.run(_run_until_signalled(settings))
            except InvalidToken:
                # python-telegram-bot's message repeats the token: never let it reach stderr.
                return _fail(err, "BOT_TOKEN was rejected by Telegram (check it with @BotFather)")
            except NetworkError as exc:
                # Startup could not reach the Bot API at all; the message carries no token.
                return _fail(
                    err, f"cannot reach TELEGRAM_API_URL {settings.telegram_api_url}: {exc}"
                )
            except SettingsError as exc:
                # A setting only found wrong at start, such as a HEALTH_PORT already in use.
                return _fail(err, str(exc))
            return 0
        from bot.demo import run_demo

        return asyncio.run(run_demo(settings, out, language=language))
    except ContentError as exc:
        err.write(f"footcare: content is invalid, refusing to start:\n{exc}\n")
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 0
