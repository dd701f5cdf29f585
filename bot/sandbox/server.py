"""A local stand-in for api.telegram.org: the bot talks HTTP to {base_url}/bot{token}/{method},
tests drive the users' side and inspect what the bot sent through the Sandbox object."""

from __future__ import annotations

import asyncio
import html
import json
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from bot.clock import Clock, SystemClock
from bot.sandbox.flood import FloodControl
from bot.sandbox.models import ApiError, Call, ChatMessage, UploadedFile, bad_request
from bot.sandbox.spec import Field, decode_form_value, field_map, load_spec, validate

JSONDict = dict[str, Any]
Handler = Callable[[JSONDict], Awaitable[Any]]

# Not a secret: the sandbox accepts only this made-up token unless told otherwise.
SANDBOX_TOKEN = "123456:SANDBOX-TOKEN"  # noqa: S105
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_UPLOAD = 50 * 1024 * 1024

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is "
    "running"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"

# Edits count too: Telegram throttles edit storms exactly like sends.
FLOOD_COUNTED = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup"}
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
_TOKEN = re.compile(r"\d+:[\w-]+")
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(@\w+)?")
_BOT_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_HTML_TAG = re.compile(r"<[^>]*>")
_FAILURE_TEXT = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


def _utf16_len(text: str) -> int:
    """Measure text the way message entity offsets do."""
    return len(text.encode("utf-16-le")) // 2


def _visible_length(text: str, parse_mode: str | None) -> int:
    """Approximate the length Telegram checks, which is after entity parsing.

    Python characters, not UTF-16 code units: Telegram's own count is close to this and the
    difference only shows with astral-plane characters such as emoji. HTML markup is stripped;
    Markdown markers are counted, which makes the check slightly stricter than Telegram's.
    """
    if parse_mode and parse_mode.upper() == "HTML":
        return len(html.unescape(_HTML_TAG.sub("", text)))
    return len(text)


def _hung_up(request: web.Request) -> bool:
    """Tell whether the client closed the connection before its answer."""
    return request.transport is None or request.transport.is_closing()


def _image_size(data: bytes) -> tuple[int, int]:
    """Read width and height from a PNG header; other formats get a plausible default."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return 512, 512


class Sandbox:
    """A local Bot API server with hooks for tests; use as `async with Sandbox() as sb:`."""

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
    ) -> None:
        self.token = token
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.base_url = ""
        self.calls: list[Call] = []
        self.callback_answers: list[JSONDict] = []
        self._clock = clock or SystemClock()
        self._shutdown_timeout = shutdown_timeout
        self._spec = load_spec()
        self._flood = FloodControl(global_limit, per_chat_limit)
        self._handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "deleteWebhook": self._delete_webhook,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "sendChatAction": self._send_chat_action,
        }
        self._users: dict[int, JSONDict] = {}
        self._blocked: set[int] = set()
        self._chats: dict[int, list[ChatMessage]] = {}
        self._next_message_id: dict[int, int] = {}
        self._cursors: dict[int, int] = {}
        self._commands: dict[str, list[JSONDict]] = {}
        self._updates: list[JSONDict] = []
        self._next_update_id = 1
        self._fetched_up_to = 0
        self._poll_generation = 0
        self._queries: dict[str, tuple[int, int]] = {}
        self._answered: set[str] = set()
        self._files: dict[str, UploadedFile] = {}
        self._failures: dict[str, deque[ApiError]] = {}
        self._delays: dict[str, float] = {}
        self._update_event = asyncio.Event()
        self._message_event = asyncio.Event()
        self._inflight = 0
        self._last_activity = time.monotonic()
        self._closing = False
        self._runner: web.AppRunner | None = None

    # ----- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1 and set base_url."""
        app = web.Application(client_max_size=MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        self._closing = False
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=self._shutdown_timeout)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"

    async def stop(self) -> None:
        """Release pending long polls and shut the server down."""
        self._closing = True
        self._wake_pollers()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

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

    # ----- test hooks: the users' side -------------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str = "Test",
        *,
        username: str | None = None,
        language_code: str = "en",
    ) -> None:
        """Make a user known; their private chat has the same id."""
        user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        user["language_code"] = language_code
        self._users[user_id] = user
        self._chats.setdefault(user_id, [])

    def block(self, user_id: int) -> None:
        """Make the user block the bot: every send or edit to them answers 403."""
        self._user(user_id)
        self._blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        """Make the user unblock the bot."""
        self._blocked.discard(user_id)

    def send_text(self, user_id: int, text: str) -> int:
        """Queue a private message from the user; return its update_id.

        A leading "/command" gets a bot_command entity. As in Telegram, writing to the bot
        unblocks it.
        """
        return self._user_message(user_id, text, reply_to=None)

    def reply_to(self, user_id: int, text: str, reply_to_message_id: int) -> int:
        """Queue a message from the user that replies to an earlier message; return update_id."""
        original = self._find_message(user_id, reply_to_message_id)
        if original is None:
            raise LookupError(f"no message {reply_to_message_id} in chat {user_id}")
        return self._user_message(user_id, text, reply_to=original)

    def press_button(self, user_id: int, label: str, message_id: int | None = None) -> int:
        """Press the inline button labelled exactly `label`; return the update_id.

        Looks at the given message, or else the newest bot message in the chat that has such a
        button.
        """
        user = self._user(user_id)
        candidates = [
            m
            for m in reversed(self.messages(user_id))
            if message_id is None or m.message_id == message_id
        ]
        for message in candidates:
            for button in message.inline_buttons():
                if button.get("text") == label and "callback_data" in button:
                    query_id = f"{user_id}{self._next_update_id:08d}"
                    self._queries[query_id] = (user_id, message.message_id)
                    return self._queue_update(
                        {
                            "callback_query": {
                                "id": query_id,
                                "from": user,
                                "message": self._message_json(message),
                                "chat_instance": str(-user_id),
                                "data": button["callback_data"],
                            }
                        }
                    )
        available = "; ".join(f"{m.message_id}: {m.button_labels()}" for m in candidates[:5])
        where = f"message {message_id}" if message_id is not None else f"chat {user_id}"
        raise LookupError(
            f"no inline button {label!r} with callback_data in {where}; "
            f"buttons available (newest first): {available or 'none'}"
        )

    # ----- test hooks: faults ----------------------------------------------------------------

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
        name = self._canonical(method)
        if status == HTTPStatus.TOO_MANY_REQUESTS:
            retry_after = max(1, retry_after or 1)
            text = description or f"Too Many Requests: retry after {retry_after}"
        else:
            retry_after = None
            text = description or _FAILURE_TEXT.get(status) or HTTPStatus(status).phrase
        queue = self._failures.setdefault(name, deque())
        queue.extend(ApiError(status, text, retry_after=retry_after) for _ in range(count))

    def set_delay(self, method: str, seconds: float) -> None:
        """Wait `seconds` before handling each call of `method` (0 removes the delay)."""
        self._delays[self._canonical(method)] = seconds

    # ----- test hooks: inspection ------------------------------------------------------------

    @property
    def commands(self) -> list[JSONDict]:
        """Return the commands set for the default scope and language."""
        return list(self._commands.get(self._command_key(None, None), []))

    def commands_for(
        self, scope: JSONDict | None, language_code: str | None = None
    ) -> list[JSONDict]:
        """Return the commands set for a scope and language."""
        return list(self._commands.get(self._command_key(scope, language_code), []))

    def calls_to(self, method: str) -> list[Call]:
        """Return every call of one method, oldest first."""
        name = self._canonical(method)
        return [c for c in self.calls if c.method == name]

    def messages(self, chat_id: int) -> list[ChatMessage]:
        """Return the bot's messages in a chat, oldest first, as they are now."""
        return [m for m in self._chats.get(chat_id, []) if m.from_bot]

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
                raise TimeoutError(self._describe_wait(chat_id, timeout))
            event = self._message_event
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                continue

    async def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until every queued update was fetched and no bot call came for `quiet` seconds.

        Long polls (getUpdates) do not count as activity, or a polling bot would never settle.
        """
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            unfetched = self._unfetched()
            if not unfetched and not self._inflight and now - self._last_activity >= quiet:
                return
            if now >= deadline:
                raise TimeoutError(
                    f"sandbox not settled after {timeout}s: {len(unfetched)} updates not fetched, "
                    f"{self._inflight} calls in flight, last call {now - self._last_activity:.2f}s"
                    " ago"
                )
            await asyncio.sleep(min(0.02, quiet / 4))

    # ----- HTTP ------------------------------------------------------------------------------

    async def _not_found(self, request: web.Request) -> web.Response:
        """Answer paths outside /bot<token>/ the way Telegram does."""
        return web.json_response(ApiError(404, "Not Found").body(), status=404)

    async def _handle(self, request: web.Request) -> web.Response:
        """Answer one Bot API call and record it."""
        raw_method = request.match_info["method"]
        found = self._spec.lookup(raw_method)
        method = found[0] if found else raw_method
        counts_as_activity = method != "getUpdates"
        if counts_as_activity:
            self._inflight += 1
            self._last_activity = time.monotonic()
        params: JSONDict = {}
        try:
            try:
                self._check_token(request.match_info["token"])
                if found is None:
                    raise ApiError(404, "Not Found")
                fields = found[1]
                params = await self._read_params(request, fields)
                await self._before(method)
                handler = self._handlers.get(method)
                if handler is None:
                    raise bad_request(f"method {method} is not supported by the sandbox")
                params = validate(method, fields, params)
                result = await handler(params)
            except ApiError as error:
                status, body = error.status, error.body()
                # A long poll whose client already hung up (PTB cancels it on stop) is ended by
                # the next poll; nobody reads that 409, so it is not part of the call log.
                if not (status == HTTPStatus.CONFLICT and _hung_up(request)):
                    self._record(method, params, status, None, error.description)
            else:
                status, body = 200, {"ok": True, "result": result}
                self._record(method, params, status, result, None)
            return web.json_response(body, status=status)
        finally:
            if counts_as_activity:
                self._inflight -= 1
                self._last_activity = time.monotonic()

    def _check_token(self, token: str) -> None:
        """Refuse malformed tokens with 404 and wrong ones with 401, as Telegram does."""
        if not _TOKEN.fullmatch(token):
            raise ApiError(404, "Not Found")
        if token != self.token:
            raise ApiError(401, "Unauthorized")

    async def _read_params(self, request: web.Request, fields: tuple[Field, ...]) -> JSONDict:
        """Merge query string and body (JSON, urlencoded or multipart) into one dict."""
        known = field_map(fields)
        params: JSONDict = {k: decode_form_value(known.get(k), v) for k, v in request.query.items()}
        if not request.body_exists:
            return params
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON request body") from None
            if not isinstance(body, dict):
                raise bad_request("request body must be a JSON object")
            params.update(body)
            return params
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                data = value.file.read()
                params[key] = UploadedFile(data, value.filename, value.content_type)
            elif isinstance(value, str):
                params[key] = decode_form_value(known.get(key), value)
        return params

    async def _before(self, method: str) -> None:
        """Apply a configured delay, then any injected failure."""
        delay = self._delays.get(method, 0.0)
        if delay > 0:
            await asyncio.sleep(delay)
        queue = self._failures.get(method)
        if queue:
            raise queue.popleft()

    def _record(
        self, method: str, params: JSONDict, status: int, result: Any, description: str | None
    ) -> None:
        """Append the call to the log."""
        self.calls.append(
            Call(
                method=method,
                params=params,
                status=status,
                result=result,
                description=description,
                at=time.monotonic(),
                wall=self._clock.now(),
            )
        )

    # ----- methods ---------------------------------------------------------------------------

    async def _get_me(self, params: JSONDict) -> JSONDict:
        """Describe the bot."""
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        """Confirm updates below offset, then return pending ones, long-polling if asked."""
        offset = params.get("offset")
        if isinstance(offset, int) and offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif isinstance(offset, int) and offset < 0:
            self._updates = self._updates[offset:]
        limit = min(100, max(1, params.get("limit", 100)))
        self._poll_generation += 1
        generation = self._poll_generation
        # A new poll ends any older one that is still waiting, as on Telegram.
        self._wake_pollers()
        deadline = time.monotonic() + max(0, params.get("timeout", 0))
        while not self._updates and not self._closing:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            event = self._update_event
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                break
            if generation != self._poll_generation:
                raise ApiError(409, CONFLICT)
        batch = self._updates[:limit]
        if batch:
            self._fetched_up_to = max(self._fetched_up_to, batch[-1]["update_id"])
            self._last_activity = time.monotonic()
        return batch

    async def _delete_webhook(self, params: JSONDict) -> bool:
        """Accept (there is never a webhook); optionally drop pending updates."""
        if params.get("drop_pending_updates"):
            self._updates.clear()
            self._fetched_up_to = self._next_update_id - 1
        return True

    async def _set_my_commands(self, params: JSONDict) -> bool:
        """Validate and store the command list for its scope and language."""
        commands = []
        for item in params["commands"]:
            if not isinstance(item, dict):
                raise bad_request("can't parse BotCommand")
            command, description = item.get("command", ""), item.get("description", "")
            if not isinstance(command, str) or not _BOT_COMMAND.fullmatch(command):
                raise bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            commands.append({"command": command, "description": description})
        key = self._command_key(params.get("scope"), params.get("language_code"))
        self._commands[key] = commands
        return True

    async def _get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        """Return the stored command list for the scope and language."""
        return self.commands_for(params.get("scope"), params.get("language_code"))

    async def _send_message(self, params: JSONDict) -> JSONDict:
        """Send a text message."""
        chat_id = self._target_chat(params)
        text: str = params["text"]
        if not text.strip():
            raise bad_request("message text is empty")
        if _visible_length(text, params.get("parse_mode")) > MAX_TEXT:
            raise bad_request("message is too long")
        markup = self._check_markup(params.get("reply_markup"))
        reply_to = self._reply_target(chat_id, params)
        self._check_flood("sendMessage", chat_id)
        message = self._add_bot_message(chat_id, params, text=text, reply_markup=markup)
        message.reply_to_message_id = reply_to
        return self._message_json(message)

    async def _send_photo(self, params: JSONDict) -> JSONDict:
        """Send a photo, keeping the uploaded bytes."""
        chat_id = self._target_chat(params)
        self._check_caption(params)
        markup = self._check_markup(params.get("reply_markup"))
        file_id, upload = self._resolve_file(params["photo"], "photo")
        reply_to = self._reply_target(chat_id, params)
        self._check_flood("sendPhoto", chat_id)
        message = self._add_bot_message(
            chat_id, params, caption=params.get("caption"), reply_markup=markup
        )
        message.photo = upload.data if upload else None
        message.photo_file_id = file_id
        message.reply_to_message_id = reply_to
        return self._message_json(message)

    async def _send_document(self, params: JSONDict) -> JSONDict:
        """Send a document, keeping the uploaded bytes and file name."""
        chat_id = self._target_chat(params)
        self._check_caption(params)
        markup = self._check_markup(params.get("reply_markup"))
        file_id, upload = self._resolve_file(params["document"], "document")
        reply_to = self._reply_target(chat_id, params)
        self._check_flood("sendDocument", chat_id)
        message = self._add_bot_message(
            chat_id, params, caption=params.get("caption"), reply_markup=markup
        )
        message.document = upload.data if upload else None
        message.document_file_id = file_id
        message.file_name = upload.filename if upload else None
        message.reply_to_message_id = reply_to
        return self._message_json(message)

    async def _send_chat_action(self, params: JSONDict) -> bool:
        """Accept a valid chat action."""
        self._target_chat(params)
        if params["action"] not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    async def _edit_message_text(self, params: JSONDict) -> JSONDict:
        """Replace a text message's text and inline keyboard (omitted keyboard is removed)."""
        message = self._message_to_edit(params)
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise bad_request("message text is empty")
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        if _visible_length(text, params.get("parse_mode")) > MAX_TEXT:
            raise bad_request("message is too long")
        markup = self._check_markup(params.get("reply_markup"))
        parse_mode = params.get("parse_mode")
        if (text, parse_mode, markup) == (message.text, message.parse_mode, message.reply_markup):
            raise bad_request(NOT_MODIFIED)
        self._check_flood("editMessageText", message.chat_id)
        message.text, message.parse_mode, message.reply_markup = text, parse_mode, markup
        return self._mark_edited(message)

    async def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict:
        """Replace a message's inline keyboard (omitted keyboard is removed)."""
        message = self._message_to_edit(params)
        markup = self._check_markup(params.get("reply_markup"))
        if markup == message.reply_markup:
            raise bad_request(NOT_MODIFIED)
        self._check_flood("editMessageReplyMarkup", message.chat_id)
        message.reply_markup = markup
        return self._mark_edited(message)

    async def _answer_callback_query(self, params: JSONDict) -> bool:
        """Record the answer to a button press; each query can be answered once."""
        query_id = params["callback_query_id"]
        if query_id not in self._queries or query_id in self._answered:
            raise bad_request(QUERY_INVALID)
        self._answered.add(query_id)
        self.callback_answers.append(params)
        return True

    # ----- validation helpers ----------------------------------------------------------------

    def _target_chat(self, params: JSONDict) -> int:
        """Resolve chat_id to a known, unblocked private chat."""
        chat_id = params.get("chat_id")
        # Private chats cannot be addressed by @username, so only numeric ids can match.
        if not isinstance(chat_id, int) or chat_id not in self._users:
            raise bad_request("chat not found")
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _message_to_edit(self, params: JSONDict) -> ChatMessage:
        """Find the bot message an edit call points at."""
        if params.get("inline_message_id"):
            raise bad_request("inline messages are not supported by the sandbox")
        if "chat_id" not in params:
            raise bad_request("chat_id is empty")
        chat_id = self._target_chat(params)
        message_id = params.get("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = self._find_message(chat_id, message_id)
        if message is None:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    def _check_caption(self, params: JSONDict) -> None:
        """Refuse captions over Telegram's limit."""
        caption = params.get("caption")
        if caption and _visible_length(caption, params.get("parse_mode")) > MAX_CAPTION:
            raise bad_request("message caption is too long")

    def _check_markup(self, markup: Any) -> JSONDict | None:
        """Validate an inline keyboard's buttons; return the markup as stored."""
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard")
        if rows is None:
            return markup
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request('field "inline_keyboard" must be an Array of Array')
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                    raise bad_request("can't parse inline keyboard button")
                data = button.get("callback_data")
                if data is not None and (
                    not isinstance(data, str)
                    or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA
                ):
                    raise bad_request("BUTTON_DATA_INVALID")
                if not BUTTON_ACTIONS & button.keys():
                    raise bad_request("text buttons are unallowed in the inline keyboard")
        return markup

    def _reply_target(self, chat_id: int, params: JSONDict) -> int | None:
        """Return the id of the message being replied to, checking that it exists."""
        reply = params.get("reply_parameters")
        if not reply:
            return None
        target = reply.get("message_id")
        if reply.get("chat_id") not in (None, chat_id) or (
            not isinstance(target, int) or self._find_message(chat_id, target) is None
        ):
            if reply.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return target

    def _resolve_file(self, value: Any, kind: str) -> tuple[str, UploadedFile | None]:
        """Store an upload under a new file_id, or look up a file_id or URL sent earlier."""
        if isinstance(value, UploadedFile):
            if not value.data:
                raise bad_request("file must be non-empty")
            file_id = f"sandbox-{kind}-{len(self._files) + 1}"
            self._files[file_id] = value
            return file_id, value
        if value in self._files:
            return value, self._files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            # A URL is accepted but never fetched: nothing leaves this machine.
            return f"sandbox-url-{len(self._files) + 1}", None
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _check_flood(self, method: str, chat_id: int) -> None:
        """Answer 429 if this message would exceed the configured limits."""
        if method not in FLOOD_COUNTED:
            return
        retry_after = self._flood.check(chat_id, time.monotonic())
        if retry_after is not None:
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )

    # ----- state helpers ---------------------------------------------------------------------

    def _canonical(self, method: str) -> str:
        """Return the spec's spelling of a method name, or raise ValueError."""
        found = self._spec.lookup(method)
        if found is None:
            raise ValueError(f"{method!r} is not a Bot API method in {self._spec.version}")
        return found[0]

    def _user(self, user_id: int) -> JSONDict:
        """Return a known user or raise LookupError."""
        user = self._users.get(user_id)
        if user is None:
            raise LookupError(f"unknown user {user_id}; call add_user({user_id}) first")
        return user

    def _bot_user(self) -> JSONDict:
        """Return the bot as a Telegram User."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _chat_json(self, chat_id: int) -> JSONDict:
        """Return the private chat with a user as a Telegram Chat."""
        user = self._users[chat_id]
        chat: JSONDict = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
        if "username" in user:
            chat["username"] = user["username"]
        return chat

    def _find_message(self, chat_id: int, message_id: int) -> ChatMessage | None:
        """Find any message, the user's or the bot's, in a chat."""
        for message in self._chats.get(chat_id, []):
            if message.message_id == message_id:
                return message
        return None

    def _new_message(self, chat_id: int, *, from_bot: bool) -> ChatMessage:
        """Create the next message in a chat; ids are shared by both sides, as on Telegram."""
        message_id = self._next_message_id.get(chat_id, 0) + 1
        self._next_message_id[chat_id] = message_id
        message = ChatMessage(
            message_id=message_id,
            chat_id=chat_id,
            from_bot=from_bot,
            date=int(self._clock.now().timestamp()),
            sent_at=time.monotonic(),
        )
        self._chats.setdefault(chat_id, []).append(message)
        return message

    def _add_bot_message(
        self,
        chat_id: int,
        params: JSONDict,
        *,
        text: str | None = None,
        caption: str | None = None,
        reply_markup: JSONDict | None,
    ) -> ChatMessage:
        """Store a message the bot sent and wake next_message waiters."""
        message = self._new_message(chat_id, from_bot=True)
        message.text = text
        message.caption = caption
        message.parse_mode = params.get("parse_mode")
        message.reply_markup = reply_markup
        message.allow_paid_broadcast = bool(params.get("allow_paid_broadcast"))
        message.params = params
        self._message_event.set()
        self._message_event = asyncio.Event()
        return message

    def _mark_edited(self, message: ChatMessage) -> JSONDict:
        """Count an edit and return the edited message."""
        message.edit_count += 1
        message.edited_at = time.monotonic()
        message.edit_date = int(self._clock.now().timestamp())
        return self._message_json(message)

    def _message_json(self, message: ChatMessage, *, nested: bool = False) -> JSONDict:
        """Render a stored message as a Telegram Message object."""
        sender = self._bot_user() if message.from_bot else self._users[message.chat_id]
        result: JSONDict = {
            "message_id": message.message_id,
            "from": sender,
            "chat": self._chat_json(message.chat_id),
            "date": message.date,
        }
        if message.text is not None:
            result["text"] = message.text
        if message.entities:
            result["entities"] = message.entities
        if message.photo_file_id is not None:
            width, height = _image_size(message.photo or b"")
            result["photo"] = [
                {
                    "file_id": message.photo_file_id,
                    "file_unique_id": f"u{message.photo_file_id}",
                    "width": width,
                    "height": height,
                    "file_size": len(message.photo or b""),
                }
            ]
        if message.document_file_id is not None:
            document: JSONDict = {
                "file_id": message.document_file_id,
                "file_unique_id": f"u{message.document_file_id}",
                "file_size": len(message.document or b""),
            }
            if message.file_name:
                document["file_name"] = message.file_name
            result["document"] = document
        if message.caption is not None:
            result["caption"] = message.caption
        # Telegram echoes only inline keyboards back in Message.reply_markup.
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            result["reply_markup"] = message.reply_markup
        if message.edit_date is not None:
            result["edit_date"] = message.edit_date
        if message.reply_to_message_id is not None and not nested:
            original = self._find_message(message.chat_id, message.reply_to_message_id)
            if original is not None:
                result["reply_to_message"] = self._message_json(original, nested=True)
        return result

    def _user_message(self, user_id: int, text: str, reply_to: ChatMessage | None) -> int:
        """Store a message from the user and queue it as an update."""
        self._user(user_id)
        self._blocked.discard(user_id)
        message = self._new_message(user_id, from_bot=False)
        message.text = text
        command = _COMMAND.match(text)
        if command:
            message.entities = [
                {"type": "bot_command", "offset": 0, "length": _utf16_len(command.group())}
            ]
        if reply_to is not None:
            message.reply_to_message_id = reply_to.message_id
        return self._queue_update({"message": self._message_json(message)})

    def _queue_update(self, payload: JSONDict) -> int:
        """Append an update for getUpdates and wake a waiting long poll."""
        update_id = self._next_update_id
        self._next_update_id += 1
        self._updates.append({"update_id": update_id, **payload})
        self._wake_pollers()
        return update_id

    def _wake_pollers(self) -> None:
        """Release every getUpdates currently waiting."""
        self._update_event.set()
        self._update_event = asyncio.Event()

    def _unfetched(self) -> list[JSONDict]:
        """Return queued updates no getUpdates answer has carried yet."""
        return [u for u in self._updates if u["update_id"] > self._fetched_up_to]

    def _command_key(self, scope: Any, language_code: Any) -> str:
        """Key commands by scope and language, treating the default scope as no scope."""
        if scope in (None, {"type": "default"}):
            scope = None
        return json.dumps([scope, language_code or ""], sort_keys=True)

    def _describe_wait(self, chat_id: int, timeout: float) -> str:
        """Explain a next_message timeout with the chat's recent messages and failed calls."""
        recent = [m.describe() for m in self.messages(chat_id)[-3:]]
        failures = [
            f"{c.method} -> {c.status} {c.description}"
            for c in self.calls
            if not c.ok and c.params.get("chat_id") == chat_id
        ][-3:]
        return (
            f"no new bot message in chat {chat_id} within {timeout}s; "
            f"last messages: {recent or 'none'}; recent failed calls: {failures or 'none'}"
        )
