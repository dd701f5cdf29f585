"""Headless Chromium driven over the DevTools protocol, with nothing but aiohttp.

`Chromium` starts the system's browser (Debian's `chromium` package) with a fresh profile and
no background traffic, reads the DevTools address it prints, and speaks the protocol over one
WebSocket: `call` sends a command and returns its result, `wait` waits for an event. The
browser gets the Noto Sans SC font the charts bundle through a fontconfig file of its own, so
Chinese renders without a system CJK font.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import aiohttp

from bot.charts.common import cjk_font_path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--remote-debugging-port=0",
)
DEADLINE = 60.0  # seconds any one step may take before the test fails instead of hanging
_LISTENING = re.compile(r"DevTools listening on (ws://\S+)")

Event = dict[str, Any]


def find_chromium() -> str | None:
    """Return the browser's path, or None when it is not installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _fontconfig(folder: Path) -> Path:
    """Write a fontconfig file: the system's fonts plus the bundled Noto Sans SC."""
    font = cjk_font_path()
    extra = f"<dir>{font.parent}</dir>" if font is not None else ""
    path = folder / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"{extra}<cachedir>{folder / 'fontcache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return path


class Chromium:
    """A running headless browser and its DevTools connection."""

    def __init__(self, executable: str, folder: Path) -> None:
        self._executable = executable
        self._folder = folder
        self._process: asyncio.subprocess.Process | None = None
        self._http: aiohttp.ClientSession | None = None
        self._socket: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.events: list[Event] = []
        self._arrived = asyncio.Condition()

    async def __aenter__(self) -> Chromium:
        env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig(self._folder))}
        self._process = await asyncio.create_subprocess_exec(
            self._executable,
            *FLAGS,
            f"--user-data-dir={self._folder / 'profile'}",
            "about:blank",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
            env=env,
        )
        try:
            url = await asyncio.wait_for(self._devtools_url(), DEADLINE)
            self._http = aiohttp.ClientSession()
            self._socket = await self._http.ws_connect(url, max_msg_size=0)
            self._reader = asyncio.create_task(self._read())
        except BaseException:
            await self.__aexit__(None, None, None)
            raise
        return self

    async def _devtools_url(self) -> str:
        assert self._process is not None
        assert self._process.stderr is not None
        while line := await self._process.stderr.readline():
            found = _LISTENING.search(line.decode(errors="replace"))
            if found:
                # Keep draining stderr so the browser never blocks on a full pipe.
                asyncio.create_task(self._drain())  # noqa: RUF006
                return found.group(1)
        raise RuntimeError("chromium exited without a DevTools address")

    async def _drain(self) -> None:
        assert self._process is not None
        assert self._process.stderr is not None
        while await self._process.stderr.read(65536):
            pass

    async def _read(self) -> None:
        assert self._socket is not None
        async for message in self._socket:
            if message.type is not aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            if "id" in data:
                future = self._pending.pop(data["id"])
                if "error" in data:
                    future.set_exception(RuntimeError(f"{data['error']}"))
                else:
                    future.set_result(data.get("result", {}))
            else:
                async with self._arrived:
                    self.events.append(data)
                    self._arrived.notify_all()

    async def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command (to a page's session when given) and return its result."""
        assert self._socket is not None
        number = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[number] = future
        message: dict[str, Any] = {"id": number, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        await self._socket.send_str(json.dumps(message))
        return await asyncio.wait_for(future, DEADLINE)

    async def wait(
        self, method: str, after: int, match: Callable[[Event], bool] = lambda _: True
    ) -> Event:
        """Wait for an event named method, among those from index `after` on."""

        def found() -> Event | None:
            for event in self.events[after:]:
                if event.get("method") == method and match(event):
                    return event
            return None

        async with asyncio.timeout(DEADLINE), self._arrived:
            await self._arrived.wait_for(lambda: found() is not None)
        event = found()
        assert event is not None
        return event

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._reader is not None:
            self._reader.cancel()
        if self._http is not None:
            await self._http.close()
        if self._process is not None and self._process.returncode is None:
            self._process.terminate()
            await self._process.wait()


class Tab:
    """One page of the browser, watched for scripts, dialogs and policy violations."""

    def __init__(self, browser: Chromium, session: str) -> None:
        self.browser = browser
        self.session = session

    @classmethod
    async def open(cls, browser: Chromium) -> Tab:
        """Open a blank tab and start watching it."""
        target = await browser.call("Target.createTarget", url="about:blank")
        attached = await browser.call(
            "Target.attachToTarget", targetId=target["targetId"], flatten=True
        )
        tab = cls(browser, attached["sessionId"])
        # Debugger reports every script the page compiles; Log and Audits report what the
        # Content-Security-Policy refused. None of these runs anything in the page.
        for domain in ("Page", "DOM", "Debugger", "Log", "Audits"):
            await tab.call(f"{domain}.enable")
        return tab

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send a command to this tab."""
        return await self.browser.call(method, self.session, **params)

    def mine(self, event: Event) -> bool:
        """Tell whether an event came from this tab."""
        return event.get("sessionId") == self.session

    def seen(self, method: str) -> list[Event]:
        """Return this tab's events of one kind so far."""
        return [e for e in self.browser.events if e.get("method") == method and self.mine(e)]

    async def goto(self, url: str) -> None:
        """Load a URL and wait until the page has loaded."""
        after = len(self.browser.events)
        await self.call("Page.navigate", url=url)
        await self.browser.wait("Page.loadEventFired", after, self.mine)

    async def click(self, selector: str) -> None:
        """Press the element's middle with the mouse and wait for the page it leads to."""
        document = await self.call("DOM.getDocument")
        node = await self.call(
            "DOM.querySelector", nodeId=document["root"]["nodeId"], selector=selector
        )
        if not node["nodeId"]:
            raise AssertionError(f"nothing matches {selector!r}")
        box = await self.call("DOM.getBoxModel", nodeId=node["nodeId"])
        quad = box["model"]["content"]
        x, y = sum(quad[0::2]) / 4, sum(quad[1::2]) / 4
        after = len(self.browser.events)
        for kind in ("mousePressed", "mouseReleased"):
            await self.call(
                "Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1
            )
        await self.browser.wait("Page.loadEventFired", after, self.mine)

    async def count(self, selector: str) -> int:
        """Return how many elements match a CSS selector."""
        document = await self.call("DOM.getDocument")
        found = await self.call(
            "DOM.querySelectorAll", nodeId=document["root"]["nodeId"], selector=selector
        )
        return len(found["nodeIds"])

    async def html(self) -> str:
        """Return the document as the browser holds it now."""
        document = await self.call("DOM.getDocument")
        outer = await self.call("DOM.getOuterHTML", nodeId=document["root"]["nodeId"])
        return str(outer["outerHTML"])

    async def print_pdf(self) -> bytes:
        """Print the page as the browser would to paper, with the page's own size (A4)."""
        printed = await self.call("Page.printToPDF", preferCSSPageSize=True, printBackground=True)
        return base64.b64decode(printed["data"])
