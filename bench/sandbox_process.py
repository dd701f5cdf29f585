"""The sandbox in its own process, so the bot and the peers it is measured against do not share a
core (and an event loop) with the server that timestamps their calls.

`python bench/sandbox_process.py` serves the Bot API on one port and a small JSON control API on
another (users, presses, call log) and prints both URLs as one JSON line; `SandboxProcess`
starts it and talks to the control API. Bench-only: the bot and the tests never use it.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from types import TracebackType
from typing import Any, Self

import aiohttp
from aiohttp import web

from bot.sandbox import Sandbox

JSON = dict[str, Any]


def _call_row(call: Any) -> JSON:
    """Keep only what the benches read of a call: when, how it went, and whom it addressed."""
    result = call.result if isinstance(call.result, dict) else {}
    return {
        "method": call.method,
        "at": call.at,
        "status": call.status,
        "chat_id": call.params.get("chat_id"),
        "message_id": call.params.get("message_id") or result.get("message_id"),
        "query_id": call.params.get("callback_query_id"),
        "paid": bool(call.params.get("allow_paid_broadcast")),
        "text": call.params.get("text"),
    }


def control_app(sandbox: Sandbox) -> web.Application:
    """Return the control API over the sandbox's public driver methods."""

    async def users(request: web.Request) -> web.Response:
        for user_id in (await request.json())["ids"]:
            sandbox.add_user(user_id, f"U{user_id}")
        return web.json_response({"ok": True})

    async def text(request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response({"update_id": sandbox.send_text(body["user_id"], body["text"])})

    async def press(request: web.Request) -> web.Response:
        # All presses of one request are queued in one go: "at the same moment".
        pressed = []
        for p in (await request.json())["presses"]:
            update_id = sandbox.press_callback(p["user_id"], p["data"], p.get("message_id"))
            pressed.append({"update_id": update_id, "at": time.monotonic()})
        return web.json_response({"pressed": pressed})

    async def messages(request: web.Request) -> web.Response:
        chat_id = int(request.query["chat_id"])
        rows = [
            {"message_id": m.message_id, "text": m.text, "reply_markup": m.reply_markup}
            for m in sandbox.messages(chat_id)
        ]
        return web.json_response({"messages": rows})

    async def calls(request: web.Request) -> web.Response:
        method = request.query.get("method")
        since = int(request.query.get("since", "0"))
        log = sandbox.calls
        rows = [_call_row(c) for c in log[since:] if method is None or c.method == method]
        return web.json_response({"calls": rows, "next": len(log)})

    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_post("/users", users)
    app.router.add_post("/text", text)
    app.router.add_post("/press", press)
    app.router.add_get("/messages", messages)
    app.router.add_get("/calls", calls)
    return app


async def serve() -> None:
    """Serve until stdin closes (the parent exited or closed it)."""
    async with Sandbox() as sandbox:
        runner = web.AppRunner(control_app(sandbox), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        line = {"api": sandbox.base_url, "control": f"http://{host}:{port}", "token": sandbox.token}
        print(json.dumps(line), flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)
        await runner.cleanup()


class SandboxProcess:
    """A sandbox served by a child process; `async with SandboxProcess() as sb:`."""

    def __init__(self) -> None:
        self.base_url = ""
        self.token = ""
        self._control = ""
        self._proc: asyncio.subprocess.Process | None = None
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Self:
        """Start the child and wait for its URLs."""
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        self._proc = await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=env,
        )
        assert self._proc.stdout is not None
        ready = json.loads(await self._proc.stdout.readline())
        self.base_url, self._control, self.token = ready["api"], ready["control"], ready["token"]
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=600))
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the control session and let the child exit."""
        if self._session is not None:
            await self._session.close()
        if self._proc is not None:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            await self._proc.wait()

    def cpu_seconds(self) -> float | None:
        """Return the CPU time (user + system) the child has used so far."""
        if self._proc is None:
            return None
        with open(f"/proc/{self._proc.pid}/stat") as stat:
            # Fields 14 and 15 (utime, stime), counted after the parenthesised command name.
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def _post(self, path: str, body: JSON) -> JSON:
        assert self._session is not None
        async with self._session.post(self._control + path, json=body) as response:
            response.raise_for_status()
            answer: JSON = await response.json()
            return answer

    async def _get(self, path: str, **query: str) -> JSON:
        assert self._session is not None
        async with self._session.get(self._control + path, params=query) as response:
            response.raise_for_status()
            answer: JSON = await response.json()
            return answer

    async def add_users(self, ids: list[int]) -> None:
        """Make these users known to the sandbox."""
        await self._post("/users", {"ids": ids})

    async def send_text(self, user_id: int, text: str) -> int:
        """Queue a message from a user; return its update_id."""
        return int((await self._post("/text", {"user_id": user_id, "text": text}))["update_id"])

    async def press(self, presses: list[JSON]) -> list[JSON]:
        """Queue button presses ({user_id, data, message_id}) at once; return update ids."""
        pressed: list[JSON] = (await self._post("/press", {"presses": presses}))["pressed"]
        return pressed

    async def messages(self, chat_id: int) -> list[JSON]:
        """Return the bot's messages in a chat as they are now."""
        rows: list[JSON] = (await self._get("/messages", chat_id=str(chat_id)))["messages"]
        return rows

    async def calls(self, method: str | None = None, since: int = 0) -> tuple[list[JSON], int]:
        """Return logged calls (of one method) from index `since`, and the next index."""
        query = {"since": str(since)} | ({"method": method} if method else {})
        answer = await self._get("/calls", **query)
        return answer["calls"], int(answer["next"])


class InlineSandbox:
    """The same interface over a sandbox in this process, to compare against SandboxProcess."""

    def __init__(self) -> None:
        self._sandbox = Sandbox()
        self.base_url = ""
        self.token = self._sandbox.token

    async def __aenter__(self) -> Self:
        """Start the server."""
        await self._sandbox.start()
        self.base_url = self._sandbox.base_url
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server."""
        await self._sandbox.stop()

    def cpu_seconds(self) -> float | None:
        """Return None: this sandbox's CPU time is part of this process's."""
        return None

    async def add_users(self, ids: list[int]) -> None:
        """Make these users known to the sandbox."""
        for user_id in ids:
            self._sandbox.add_user(user_id, f"U{user_id}")

    async def send_text(self, user_id: int, text: str) -> int:
        """Queue a message from a user; return its update_id."""
        return self._sandbox.send_text(user_id, text)

    async def press(self, presses: list[JSON]) -> list[JSON]:
        """Queue button presses ({user_id, data, message_id}) at once; return update ids."""
        return [
            {
                "update_id": self._sandbox.press_callback(
                    p["user_id"], p["data"], p.get("message_id")
                ),
                "at": time.monotonic(),
            }
            for p in presses
        ]

    async def messages(self, chat_id: int) -> list[JSON]:
        """Return the bot's messages in a chat as they are now."""
        return [
            {"message_id": m.message_id, "text": m.text, "reply_markup": m.reply_markup}
            for m in self._sandbox.messages(chat_id)
        ]

    async def calls(self, method: str | None = None, since: int = 0) -> tuple[list[JSON], int]:
        """Return logged calls (of one method) from index `since`, and the next index."""
        log = self._sandbox.calls
        rows = [_call_row(c) for c in log[since:] if method is None or c.method == method]
        return rows, len(log)


if __name__ == "__main__":
    asyncio.run(serve())
