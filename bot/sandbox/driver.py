"""The test-facing Sandbox: a local stand-in for api.telegram.org whose users tests play, and
whose record of what the bot sent they inspect."""

from __future__ import annotations

import asyncio
import time
from types import TracebackType
from typing import Self

from bot.clock import Clock, SystemClock
from bot.sandbox.delivery import Deliverer, Delivery
from bot.sandbox.faults import Faults
from bot.sandbox.methods.commands import CommandMethods
from bot.sandbox.methods.editing import EditingMethods
from bot.sandbox.methods.profile import ProfileMethods
from bot.sandbox.methods.sending import SendingMethods
from bot.sandbox.methods.updates import UpdateMethods
from bot.sandbox.methods.webhook import WebhookMethods
from bot.sandbox.models import Call, ChatMessage, JSONDict
from bot.sandbox.spec import load_spec
from bot.sandbox.transport import Transport
from bot.sandbox.world import BotIdentity, World

# Not a secret: the sandbox accepts only this made-up token unless told otherwise.
SANDBOX_TOKEN = "123456:SANDBOX-TOKEN"  # noqa: S105


class Sandbox:
    """A local Bot API server with hooks for tests; use as `async with Sandbox() as sb:`.

    The bot talks HTTP to {base_url}/bot{token}/{method}; tests act as users through this object.
    """

    def __init__(
        self,
        token: str = SANDBOX_TOKEN,
        *,
        bot_id: int = 123456,
        bot_username: str = "FootCareSandboxBot",
        bot_first_name: str = "FootCare",
        global_limit: float | None = None,
        per_chat_limit: float | None = None,
        clock: Clock | None = None,
        shutdown_timeout: float = 1.0,
        webhook_retry_interval: float = 0.05,
        host: str = "127.0.0.1",
        port: int = 0,
        first_update_id: int = 1,
    ) -> None:
        spec = load_spec()
        clock = clock or SystemClock()
        # Where it listens: a free port of loopback for tests; a container's service sets both.
        self._address = (host, port)
        self._spec = spec
        self._world = World(
            BotIdentity(bot_id, bot_username, bot_first_name), clock, first_update_id
        )
        self._faults = Faults(spec, global_limit, per_chat_limit)
        self._commands = CommandMethods()
        self._profile = ProfileMethods()
        self._editing = EditingMethods(self._world, self._faults)
        self._webhook = WebhookMethods(self._world, clock)
        self._deliverer = Deliverer(
            self._world.updates, self._webhook, retry_interval=webhook_retry_interval
        )
        handlers = {
            **UpdateMethods(self._world, lambda: self._webhook.active).handlers(),
            **self._webhook.handlers(),
            **self._commands.handlers(),
            **self._profile.handlers(),
            **SendingMethods(self._world, self._faults).handlers(),
            **self._editing.handlers(),
        }
        self._transport = Transport(
            token,
            spec,
            clock,
            handlers=handlers,
            before=self._faults.before,
            shutdown_timeout=shutdown_timeout,
        )
        # How many of each chat's bot messages next_message() has returned.
        self._cursors: dict[int, int] = {}

    # ----- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen (on a free port of 127.0.0.1 unless told otherwise) and set base_url."""
        self._world.updates.closing = False
        await self._transport.start(*self._address)
        await self._deliverer.start()

    async def stop(self) -> None:
        """Release pending long polls and shut the server down."""
        self._world.updates.closing = True
        self._world.updates.wake()
        await self._deliverer.stop()
        await self._transport.stop()

    async def __aenter__(self) -> Self:
        """Start the server."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server."""
        await self.stop()

    # ----- what the bot sees -----------------------------------------------------------------

    @property
    def token(self) -> str:
        """Return the only token the server accepts."""
        return self._transport.token

    @property
    def base_url(self) -> str:
        """Return the server's http://host:port once started, else ""."""
        return self._transport.base_url

    @property
    def bot_id(self) -> int:
        """Return the bot's user id."""
        return self._world.bot.id

    @property
    def bot_username(self) -> str:
        """Return the bot's username."""
        return self._world.bot.username

    @property
    def bot_first_name(self) -> str:
        """Return the bot's first name."""
        return self._world.bot.first_name

    # ----- the users' side -------------------------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str = "Test",
        *,
        username: str | None = None,
        language_code: str = "en",
    ) -> None:
        """Make a user known; their private chat has the same id."""
        self._world.add_user(user_id, first_name, username, language_code)

    def block(self, user_id: int) -> None:
        """Make the user block the bot: every send or edit to them answers 403."""
        self._world.block(user_id)

    def unblock(self, user_id: int) -> None:
        """Make the user unblock the bot."""
        self._world.unblock(user_id)

    def send_text(self, user_id: int, text: str) -> int:
        """Queue a private message from the user; return its update_id.

        A leading "/command" gets a bot_command entity. As in Telegram, writing to the bot
        unblocks it.
        """
        return self._world.add_user_message(user_id, text, reply_to=None)

    def reply_to(self, user_id: int, text: str, reply_to_message_id: int) -> int:
        """Queue a message from the user that replies to an earlier message; return update_id."""
        original = self._world.find_message(user_id, reply_to_message_id)
        if original is None:
            raise LookupError(f"no message {reply_to_message_id} in chat {user_id}")
        return self._world.add_user_message(user_id, text, reply_to=original)

    def press_button(self, user_id: int, label: str, message_id: int | None = None) -> int:
        """Press the inline button labelled exactly `label`; return the update_id.

        Looks at the given message, or else the newest bot message in the chat that has such a
        button.
        """
        return self._world.press_button(user_id, "text", label, message_id)

    def press_callback(self, user_id: int, data: str, message_id: int | None = None) -> int:
        """Press the inline button whose callback_data is exactly `data`; return the update_id.

        Looks where press_button does. Unlike a label, callback data stays the same whatever
        language the bot speaks.
        """
        return self._world.press_button(user_id, "callback_data", data, message_id)

    def forge_callback(self, user_id: int, data: str) -> int:
        """Send a callback query with any data, as a modified client could; return update_id."""
        return self._world.forge_callback(user_id, data)

    async def forge_webhook_post(self, user_id: int, text: str, secret: str | None) -> Delivery:
        """POST a message from the user straight to the bot's webhook with `secret` in the
        X-Telegram-Bot-Api-Secret-Token header (None: without it), as anyone who learns the URL
        could; the update is not queued, and the delivery is recorded. Needs a webhook set."""
        if self._webhook.registration is None:
            raise LookupError("no webhook is set")
        message = self._world.user_message(user_id, text, reply_to=None)
        update = {"update_id": self._world.updates.take_id(), "message": message}
        return await self._deliverer.post(update, secret, forged=True)

    def push_update(self, update: JSONDict) -> int:
        """Queue any update as Telegram would deliver it (update_id is added); return update_id.

        For what the other methods cannot make: edited messages, channel posts, group messages,
        inline queries. A callback query's id becomes answerable, as Telegram allows.
        """
        query = update.get("callback_query")
        if isinstance(query, dict):
            message = query.get("message") or {}
            self._world.queries[str(query["id"])] = (
                query["from"]["id"],
                message.get("message_id", 0),
            )
        return self._world.updates.push(update)

    # ----- faults ----------------------------------------------------------------------------

    def inject_failure(
        self,
        method: str,
        status: int,
        count: int = 1,
        *,
        retry_after: int | None = None,
        description: str | None = None,
    ) -> None:
        """Make the next `count` calls of `method` fail with `status`; 429 gets retry_after."""
        self._faults.inject_failure(
            method, status, count, retry_after=retry_after, description=description
        )

    def set_delay(self, method: str, seconds: float) -> None:
        """Wait `seconds` before handling each call of `method` (0 removes the delay)."""
        self._faults.set_delay(method, seconds)

    # ----- inspection ------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """Return the log of every HTTP call the bot made, oldest first."""
        return self._transport.calls

    @property
    def webhook_url(self) -> str:
        """Return the URL updates are posted to, or "" while the bot polls."""
        registration = self._webhook.registration
        return registration.url if registration is not None else ""

    @property
    def webhook_secret(self) -> str | None:
        """Return the secret the registered webhook expects, if any."""
        registration = self._webhook.registration
        return registration.secret_token if registration is not None else None

    @property
    def deliveries(self) -> list[Delivery]:
        """Return every webhook POST (the sandbox's own and forged ones), oldest first."""
        return self._deliverer.deliveries

    @property
    def callback_answers(self) -> list[JSONDict]:
        """Return the parameters of every accepted answerCallbackQuery, oldest first."""
        return self._editing.callback_answers

    @property
    def commands(self) -> list[JSONDict]:
        """Return the commands set for the default scope and language."""
        return self._commands.commands_for(None, None)

    def commands_for(
        self, scope: JSONDict | None, language_code: str | None = None
    ) -> list[JSONDict]:
        """Return the commands set for a scope and language."""
        return self._commands.commands_for(scope, language_code)

    def description(self, language_code: str = "") -> str:
        """Return the bot's description as users of a language see it ("": the default)."""
        return self._profile.description(language_code)

    def short_description(self, language_code: str = "") -> str:
        """Return the bot's short description as users of a language see it."""
        return self._profile.short_description(language_code)

    def calls_to(self, method: str) -> list[Call]:
        """Return every call of one method, oldest first."""
        name = self._spec.canonical(method)
        return [c for c in self.calls if c.method == name]

    def messages(self, chat_id: int) -> list[ChatMessage]:
        """Return the bot's messages in a chat, oldest first, as they are now."""
        return self._world.bot_messages(chat_id)

    # A timeout argument rather than asyncio.timeout(): the TimeoutError then says what arrived.
    async def next_message(self, chat_id: int, timeout: float = 5.0) -> ChatMessage:  # noqa: ASYNC109
        """Return the chat's next bot message not yet returned here, waiting up to timeout."""
        deadline = time.monotonic() + timeout
        while True:
            sent = self.messages(chat_id)
            cursor = self._cursors.get(chat_id, 0)
            if cursor < len(sent):
                self._cursors[chat_id] = cursor + 1
                return sent[cursor]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(
                    _describe_wait(self.messages(chat_id), self.calls, chat_id, timeout)
                )
            await self._world.wait_for_bot_message(remaining)

    def idle(self) -> bool:
        """Tell whether the bot has taken every queued update and no call of its is running.

        An update counts as taken once confirmed: by the offset of the bot's next getUpdates,
        which python-telegram-bot sends only after queueing the batch, or by a 2xx webhook
        answer, which it gives only after queueing the update. A test that then waits for the
        bot's own update queue knows every update was handled, without waiting for quiet.
        """
        return self._world.updates.first_pending() is None and self._transport.inflight == 0

    async def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until every queued update was fetched and no bot call came for `quiet` seconds.

        Long polls (getUpdates) do not count as activity, or a polling bot would never settle.
        """
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            unfetched = self._world.updates.unfetched()
            inflight = self._transport.inflight
            # Handing out updates counts too: the bot is about to act on them.
            last = max(self._transport.last_activity, self._world.updates.last_fetch)
            if not unfetched and not inflight and now - last >= quiet:
                return
            if now >= deadline:
                raise TimeoutError(
                    f"sandbox not settled after {timeout}s: {len(unfetched)} updates not fetched, "
                    f"{inflight} calls in flight, last call {now - last:.2f}s ago"
                )
            await asyncio.sleep(min(0.02, quiet / 4))


def _describe_wait(
    messages: list[ChatMessage], calls: list[Call], chat_id: int, timeout: float
) -> str:
    """Explain a next_message timeout with the chat's recent messages and failed calls."""
    recent = [m.describe() for m in messages[-3:]]
    failures = [
        f"{c.method} -> {c.status} {c.description}"
        for c in calls
        if not c.ok and c.params.get("chat_id") == chat_id
    ][-3:]
    return (
        f"no new bot message in chat {chat_id} within {timeout}s; "
        f"last messages: {recent or 'none'}; recent failed calls: {failures or 'none'}"
    )
