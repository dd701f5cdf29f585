"""The HTTP side of the sandbox: serves /bot<token>/<method> like api.telegram.org, reads the
parameters in every encoding PTB uses, answers in Telegram's JSON shape and logs each call."""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable, Mapping
from http import HTTPStatus
from typing import Any

from aiohttp import web

from bot.clock import Clock
from bot.sandbox.methods import Handler
from bot.sandbox.models import ApiError, Call, JSONDict, UploadedFile, bad_request
from bot.sandbox.spec import ApiSpec, Field, decode_form_value, field_map, validate

MAX_UPLOAD = 50 * 1024 * 1024
_TOKEN = re.compile(r"\d+:[\w-]+")


def _hung_up(request: web.Request) -> bool:
    """Tell whether the client closed the connection before its answer."""
    return request.transport is None or request.transport.is_closing()


class Transport:
    """An aiohttp server (on a free port of 127.0.0.1 unless told) that routes Bot API calls to
    handlers by method name."""

    def __init__(
        self,
        token: str,
        spec: ApiSpec,
        clock: Clock,
        *,
        handlers: Mapping[str, Handler],
        before: Callable[[str], Awaitable[None]],
        shutdown_timeout: float,
    ) -> None:
        self.token = token
        self.base_url = ""
        self.calls: list[Call] = []
        # Calls other than getUpdates being answered now, and when one last began or ended.
        self.inflight = 0
        self.last_activity = time.monotonic()
        self._spec = spec
        self._clock = clock
        self._handlers = dict(handlers)
        self._before = before
        self._shutdown_timeout = shutdown_timeout
        self._runner: web.AppRunner | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on host:port (0: a free port) and set base_url."""
        app = web.Application(client_max_size=MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=self._shutdown_timeout)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"

    async def stop(self) -> None:
        """Shut the server down; calls still waiting get the shutdown timeout to finish."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _not_found(self, request: web.Request) -> web.Response:
        """Answer paths outside /bot<token>/ the way Telegram does."""
        return web.json_response(ApiError(404, "Not Found").body(), status=404)

    async def _handle(self, request: web.Request) -> web.Response:
        """Answer one Bot API call and record it."""
        raw_method = request.match_info["method"]
        found = self._spec.lookup(raw_method)
        method = found[0] if found else raw_method
        # Long polls are not activity, or a polling bot would never let settle() return.
        counts_as_activity = method != "getUpdates"
        if counts_as_activity:
            self.inflight += 1
            self.last_activity = time.monotonic()
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
                self.inflight -= 1
                self.last_activity = time.monotonic()

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
