"""Sharing end to end: /share through the sandbox, the page through an HTTP client against the
bot's own share listener, /shares, withdrawal, expiry by the injected clock and /delete."""

from __future__ import annotations

import re
from datetime import date, timedelta

import aiohttp
import pytest

from bot.clock import FakeClock
from bot.core.callbacks import DeleteChoice, ShareDaysChoice, ShareNameChoice, ShareRevoke
from bot.features.sharing.chat import NOT_SET_UP
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.sandbox.models import ChatMessage
from tests.conftest import POLLING, BotFactory
from tests.e2e.chat import Chat, buttons
from tests.web.reading import pdf_text, read_page

# What differs in webhook mode is how updates arrive, which tests/e2e/test_webhook.py covers.
UPDATE_MODES = (POLLING,)
USER = 2401
PUBLIC_URL = "https://care.example.org/footcare"
TODAY = date(2026, 11, 24)
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
async def bot(make_bot: BotFactory) -> Runtime:
    """The bot with its share listener on a free port."""
    return await make_bot(share=True, public_url=PUBLIC_URL)


@pytest.fixture
async def http() -> aiohttp.ClientSession:
    async with aiohttp.ClientSession() as session:
        yield session  # type: ignore[misc]


def local(bot: Runtime, message: ChatMessage) -> str:
    """Return the link in a message, pointed at the listener on this machine."""
    found = re.search(r"https://\S+", message.text or "")
    assert found is not None, message.text
    return found.group(0).replace(PUBLIC_URL, f"http://127.0.0.1:{bot.share.port}/footcare")


async def share(chat: Chat, name: str | None = None, days: int = 14) -> ChatMessage:
    """Go through /share (first name, or `/share NAME`) and return the link's message."""
    if name is None:
        await chat.say("/share")
        await chat.tap(ShareNameChoice(first_name=True), expect=1)
    else:
        await chat.say(f"/share {name}")
    [link] = await chat.tap(ShareDaysChoice(days), expect=1)
    return link


def text_of(sandbox: Sandbox, message: ChatMessage) -> str | None:
    """Return a message's text as it is now, after any edits."""
    [now] = [m for m in sandbox.messages(USER) if m.message_id == message.message_id]
    return now.text


async def status(http: aiohttp.ClientSession, url: str, method: str = "GET") -> int:
    async with http.request(method, url) as response:
        await response.read()
        return response.status


async def test_share_view_list_and_withdraw(
    bot: Runtime, sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    chat = Chat(sandbox, USER, first_name="Sam")
    await chat.onboard()
    for n in range(5):
        await bot.store.diary.record_checkin(USER, TODAY - timedelta(days=n), 6 - n)
    [intro] = await chat.say("/share")
    assert "Anyone with the link can see your record until it expires" in (intro.text or "")
    assert buttons(intro) == ["Show “Sam”", "No name"]
    [question] = await chat.tap(ShareNameChoice(first_name=True), expect=1)
    assert buttons(question) == ["1 day", "14 days", "90 days"]
    assert chat.texts()[-2] == "Name on the page: Sam."
    [link] = await chat.tap(ShareDaysChoice(14), expect=1)
    assert link.params["link_preview_options"] == {"is_disabled": True}
    assert "Tue 8 Dec 07:00" in (link.text or "")  # 14 days on, London time
    url = local(bot, link)

    async with http.get(url) as response:
        landing = read_page(await response.text())
    assert "View record" in landing.text
    assert "Sam" not in landing.text
    async with http.post(url, data={"lang": "en"}) as response:
        english = read_page(await response.text())
    assert dict(english.facts)["Name"] == "Sam"
    assert ("Tue, 24 Nov 2026", "6") in english.rows
    visit = next(
        v for tag, n, v in english.attributes if tag == "input" and n == "value" and v.isdigit()
    )
    async with http.post(url, data={"lang": "zh", "visit": visit}) as response:
        chinese = read_page(await response.text())
    assert dict(chinese.facts)["姓名"] == "Sam"

    [listing] = await chat.say("/shares")
    assert "Opened 1 time, last Tue 24 Nov 07:00." in (listing.text or "")
    assert buttons(listing) == ["Withdraw 1"]
    await chat.tap(lambda c: isinstance(c, ShareRevoke))
    assert chat.last().text == "Link withdrawn: it no longer opens. /shares lists the rest."
    assert await status(http, url) == 404
    assert await status(http, url, "POST") == 404
    [empty] = await chat.say("/shares")
    assert empty.text == "You have no live share links. /share makes one."


async def test_a_typed_name_is_shown_as_text(
    bot: Runtime, sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard()
    link = await share(chat, SCRIPT, days=1)
    url = local(bot, link)
    async with http.post(url) as response:
        html = await response.text()
    assert "<script" not in html
    assert dict(read_page(html).facts)["Name"] == SCRIPT
    async with http.post(url, data={"format": "pdf"}) as response:
        assert f"FootCare record of {SCRIPT}" in pdf_text(await response.read())


async def test_a_link_expires_by_the_injected_clock(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock, http: aiohttp.ClientSession
) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard()
    url = local(bot, await share(chat, days=1))
    clock.advance(timedelta(days=1) - timedelta(seconds=1))
    assert await status(http, url) == 200
    clock.advance(timedelta(seconds=1))
    assert await status(http, url) == 404
    [empty] = await chat.say("/shares")
    assert empty.text == "You have no live share links. /share makes one."


async def test_delete_leaves_no_live_link_and_no_row(
    bot: Runtime, sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard()
    urls = [local(bot, await share(chat)) for _ in range(2)]
    await chat.say("/delete")
    await chat.tap(DeleteChoice(confirm=True))
    for url in urls:
        assert await status(http, url) == 404
    for table in ("shares", "share_openings", "share_drafts"):
        assert await bot.store.db.count(f"SELECT count(*) FROM {table}") == 0  # noqa: S608


async def test_five_live_links_at_most(bot: Runtime, sandbox: Sandbox) -> None:
    chat = Chat(sandbox, USER)
    await chat.onboard()
    for _ in range(5):
        await share(chat)
    [refused] = await chat.say("/share")
    assert refused.text == (
        "You already have 5 live links, the most there can be. Withdraw one with /shares first."
    )
    [listing] = await chat.say("/shares")
    assert buttons(listing) == [f"Withdraw {n}" for n in range(1, 6)]


async def test_an_old_days_button_makes_no_link(
    bot: Runtime, sandbox: Sandbox, clock: FakeClock
) -> None:
    """The chosen name waits an hour for the second answer, and serves one link only."""
    chat = Chat(sandbox, USER)
    await chat.onboard()
    await chat.say("/share")
    [first] = await chat.tap(ShareNameChoice(first_name=False), expect=1)
    await share(chat)  # a second /share, answered to the end, takes the kept name
    await chat.tap(ShareDaysChoice(90))  # the first question's button, pressed late
    expired = "That question has expired. Send /share to start again."
    assert text_of(sandbox, first) == expired
    await chat.say("/share")
    [late] = await chat.tap(ShareNameChoice(first_name=False), expect=1)
    clock.advance(timedelta(hours=1, seconds=1))
    await chat.tap(ShareDaysChoice(1))
    assert text_of(sandbox, late) == expired
    assert len(await bot.store.shares.for_user(USER)) == 1


async def test_share_says_so_when_sharing_is_not_set_up(
    make_bot: BotFactory, sandbox: Sandbox
) -> None:
    await make_bot()
    chat = Chat(sandbox, USER)
    await chat.onboard()
    [reply] = await chat.say("/share")
    assert reply.text == NOT_SET_UP
