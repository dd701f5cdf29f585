"""The sandbox answers PTB's real HTTP client the way api.telegram.org would."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)

from bot.sandbox import Sandbox

USER = 1001
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x03" + b"\x00" * 16


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta retry_after; the int form warns, and warnings are errors."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    """Run a sandbox with one known user."""
    async with Sandbox() as sb:
        sb.add_user(USER, "Alice", username="alice")
        yield sb


@pytest.fixture
async def bot(sandbox: Sandbox) -> AsyncIterator[Bot]:
    """Give a PTB Bot that talks HTTP to the sandbox."""
    async with Bot(sandbox.token, base_url=f"{sandbox.base_url}/bot") as client:
        yield client


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    """Build a one-row inline keyboard from (label, callback_data) pairs."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in pairs]])


async def test_get_me_describes_the_bot(sandbox: Sandbox, bot: Bot) -> None:
    """getMe returns the configured bot user."""
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "FootCareSandboxBot", True)


async def test_send_message_is_recorded(sandbox: Sandbox, bot: Bot) -> None:
    """A sent message comes back as a parsed Message and shows in messages()."""
    sent = await bot.send_message(USER, "hello", reply_markup=keyboard(("Yes", "y")))
    assert sent.chat.id == USER
    assert sent.from_user is not None
    assert sent.from_user.id == 123456
    assert sent.reply_markup == keyboard(("Yes", "y"))
    [stored] = sandbox.messages(USER)
    assert (stored.message_id, stored.text, stored.button_labels()) == (
        sent.message_id,
        "hello",
        ["Yes"],
    )
    assert sandbox.calls_to("sendMessage")[0].params["chat_id"] == USER


async def test_text_limit_is_4096_characters(sandbox: Sandbox, bot: Bot) -> None:
    """4096 characters pass, 4097 get Telegram's "message is too long"."""
    await bot.send_message(USER, "x" * 4096)
    with pytest.raises(BadRequest, match=r"^Message is too long$"):
        await bot.send_message(USER, "x" * 4097)
    assert len(sandbox.messages(USER)) == 1


async def test_html_markup_does_not_count_towards_length(bot: Bot) -> None:
    """The limit applies to the text after entity parsing."""
    await bot.send_message(USER, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")


async def test_empty_text_and_missing_chat_are_rejected(bot: Bot) -> None:
    """Empty text and an unknown chat use Telegram's descriptions."""
    with pytest.raises(BadRequest, match=r"^Message text is empty$"):
        await bot.send_message(USER, "  ")
    with pytest.raises(BadRequest, match=r"^Chat not found$"):
        await bot.send_message(999, "hi")


async def test_caption_limit_is_1024(sandbox: Sandbox, bot: Bot) -> None:
    """A caption over 1024 characters is refused."""
    with pytest.raises(BadRequest, match=r"^Message caption is too long$"):
        await bot.send_photo(USER, PNG, caption="c" * 1025)
    await bot.send_photo(USER, PNG, caption="c" * 1024)


async def test_callback_data_limit_is_64_bytes(sandbox: Sandbox, bot: Bot) -> None:
    """64 bytes of callback_data pass, 65 get BUTTON_DATA_INVALID (bytes, not characters)."""
    await bot.send_message(USER, "ok", reply_markup=keyboard(("A", "d" * 64)))
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(USER, "no", reply_markup=keyboard(("A", "d" * 65)))
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(USER, "no", reply_markup=keyboard(("A", "é" * 33)))
    assert [m.text for m in sandbox.messages(USER)] == ["ok"]


async def test_blocked_user_answers_forbidden(sandbox: Sandbox, bot: Bot) -> None:
    """Sends to a user who blocked the bot fail with 403 until unblocked."""
    sandbox.block(USER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "hi")
    sandbox.unblock(USER)
    await bot.send_message(USER, "hi")


async def test_per_chat_flood_limit_answers_retry_after(bot: Bot) -> None:
    """A second message within the per-chat window gets 429 with retry_after."""
    async with Sandbox(per_chat_limit=1) as sb:
        sb.add_user(USER)
        sb.add_user(USER + 1)
        async with Bot(sb.token, base_url=f"{sb.base_url}/bot") as client:
            await client.send_message(USER, "one")
            with pytest.raises(RetryAfter) as caught:
                await client.send_message(USER, "two")
            await client.send_message(USER + 1, "other chat is fine")
    assert caught.value.retry_after == timedelta(seconds=1)
    [refused] = [c for c in sb.calls if c.status == 429]
    assert refused.description == "Too Many Requests: retry after 1"


async def test_global_flood_limit_spans_chats() -> None:
    """The global limit counts messages across all chats."""
    async with Sandbox(global_limit=2) as sb:
        for user in (1, 2, 3):
            sb.add_user(user)
        async with Bot(sb.token, base_url=f"{sb.base_url}/bot") as client:
            await client.send_message(1, "a")
            await client.send_message(2, "b")
            with pytest.raises(RetryAfter):
                await client.send_message(3, "c")


async def test_edit_text_and_not_modified(sandbox: Sandbox, bot: Bot) -> None:
    """An edit changes the stored message; repeating it gets "message is not modified"."""
    sent = await bot.send_message(USER, "v1", reply_markup=keyboard(("A", "a")))
    edited = await bot.edit_message_text("v2", USER, sent.message_id, reply_markup=keyboard())
    assert not isinstance(edited, bool)
    assert edited.edit_date is not None
    with pytest.raises(BadRequest, match=r"^Message is not modified: specified new message"):
        await bot.edit_message_text("v2", USER, sent.message_id, reply_markup=keyboard())
    [stored] = sandbox.messages(USER)
    assert (stored.text, stored.edit_count, stored.button_labels()) == ("v2", 1, [])


async def test_edit_reply_markup_and_unknown_message(sandbox: Sandbox, bot: Bot) -> None:
    """Removing a keyboard works once; editing a missing message is refused."""
    sent = await bot.send_message(USER, "q", reply_markup=keyboard(("A", "a")))
    await bot.edit_message_reply_markup(USER, sent.message_id)
    assert sandbox.messages(USER)[0].reply_markup is None
    with pytest.raises(BadRequest, match=r"^Message is not modified"):
        await bot.edit_message_reply_markup(USER, sent.message_id)
    with pytest.raises(BadRequest, match=r"^Message to edit not found$"):
        await bot.edit_message_text("x", USER, 4242)


async def test_injected_failures_then_recovery(sandbox: Sandbox, bot: Bot) -> None:
    """Injected 500 and 429 answers come first, then normal service resumes."""
    sandbox.inject_failure("sendMessage", 500)
    sandbox.inject_failure("sendMessage", 429, retry_after=7)
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(USER, "a")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "b")
    assert caught.value.retry_after == timedelta(seconds=7)
    await bot.send_message(USER, "c")
    assert [c.status for c in sandbox.calls_to("sendMessage")] == [500, 429, 200]
    assert [m.text for m in sandbox.messages(USER)] == ["c"]


async def test_delay_holds_the_answer(sandbox: Sandbox, bot: Bot) -> None:
    """set_delay makes a method answer late."""
    sandbox.set_delay("sendChatAction", 0.2)
    started = time.monotonic()
    assert await bot.send_chat_action(USER, "typing")
    assert time.monotonic() - started >= 0.2


async def test_photo_and_document_keep_bytes(sandbox: Sandbox, bot: Bot) -> None:
    """Uploaded bytes and the document's file name are kept; PTB parses the results."""
    photo_msg = await bot.send_photo(USER, PNG, caption="look")
    assert (photo_msg.photo[-1].width, photo_msg.photo[-1].height) == (2, 3)
    doc_msg = await bot.send_document(USER, b"%PDF-1.4 leaflet", filename="heel.pdf")
    assert doc_msg.document is not None
    assert doc_msg.document.file_name == "heel.pdf"
    photo, document = sandbox.messages(USER)
    assert (photo.photo, photo.caption) == (PNG, "look")
    assert (document.document, document.file_name) == (b"%PDF-1.4 leaflet", "heel.pdf")
    upload = sandbox.calls_to("sendDocument")[0].params["document"]
    assert (upload.data, upload.filename) == (b"%PDF-1.4 leaflet", "heel.pdf")
    again = await bot.send_photo(USER, photo_msg.photo[-1].file_id)
    assert sandbox.messages(USER)[-1].photo == PNG
    assert again.photo[-1].file_id == photo_msg.photo[-1].file_id


async def test_get_updates_confirms_with_offset(sandbox: Sandbox, bot: Bot) -> None:
    """Updates stay until a getUpdates offset passes them; /commands get an entity."""
    first = sandbox.send_text(USER, "/start now")
    second = sandbox.send_text(USER, "plain")
    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == [first, second]
    assert updates[0].message is not None
    assert updates[0].message.text == "/start now"
    assert updates[0].message.entities[0].type == "bot_command"
    assert [u.update_id for u in await bot.get_updates(limit=1)] == [first]
    assert [u.update_id for u in await bot.get_updates(offset=second)] == [second]
    assert await bot.get_updates(offset=second + 1) == ()


async def test_long_poll_returns_early_on_new_update(sandbox: Sandbox, bot: Bot) -> None:
    """A long poll waits, then answers as soon as an update arrives."""
    asyncio.get_running_loop().call_later(0.2, sandbox.send_text, USER, "late")
    started = time.monotonic()
    updates = await bot.get_updates(timeout=5, read_timeout=10)
    elapsed = time.monotonic() - started
    assert [u.message.text for u in updates if u.message] == ["late"]
    assert 0.15 <= elapsed < 2


async def test_press_button_gives_parsed_callback_query(sandbox: Sandbox, bot: Bot) -> None:
    """A pressed button arrives as a callback_query that can be answered once."""
    sent = await bot.send_message(USER, "pain?", reply_markup=keyboard(("3", "p:3"), ("7", "p:7")))
    sandbox.press_button(USER, "7")
    [update] = await bot.get_updates()
    query = update.callback_query
    assert query is not None
    assert query.data == "p:7"
    assert query.message is not None
    assert query.message.message_id == sent.message_id
    assert await query.answer("noted")
    with pytest.raises(BadRequest, match="Query is too old"):
        await query.answer()
    assert sandbox.callback_answers[0]["text"] == "noted"


async def test_press_button_lists_labels_when_missing(sandbox: Sandbox, bot: Bot) -> None:
    """A missing label raises LookupError naming the buttons there are."""
    await bot.send_message(USER, "pain?", reply_markup=keyboard(("3", "p:3")))
    with pytest.raises(LookupError, match=r"\['3'\]"):
        sandbox.press_button(USER, "9")


async def test_reply_to_carries_the_original(sandbox: Sandbox, bot: Bot) -> None:
    """reply_to queues a message whose reply_to_message is the bot's message."""
    sent = await bot.send_message(USER, "How is your heel?")
    sandbox.reply_to(USER, "better", sent.message_id)
    [update] = await bot.get_updates()
    assert update.message is not None
    assert update.message.reply_to_message is not None
    assert update.message.reply_to_message.text == "How is your heel?"


async def test_set_my_commands_is_recorded(sandbox: Sandbox, bot: Bot) -> None:
    """Commands set through the API are stored and read back."""
    await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("pain", "Check in")])
    assert [c["command"] for c in sandbox.commands] == ["start", "pain"]
    assert [c.command for c in await bot.get_my_commands()] == ["start", "pain"]


async def test_wrong_token_is_unauthorized(sandbox: Sandbox) -> None:
    """A well-formed but wrong token gets 401, which PTB raises as InvalidToken."""
    client = Bot("999:WRONG", base_url=f"{sandbox.base_url}/bot")
    with pytest.raises(InvalidToken, match="rejected by the server"):
        await client.initialize()
    await client.shutdown()
    assert sandbox.calls[-1].status == 401
    assert sandbox.calls[-1].description == "Unauthorized"


async def test_unsupported_and_unknown_methods(sandbox: Sandbox, bot: Bot) -> None:
    """Spec methods the sandbox lacks get 400; made-up methods get 404."""
    with pytest.raises(BadRequest, match="not supported by the sandbox"):
        await bot.send_dice(USER)
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")
    assert (sandbox.calls[-1].status, sandbox.calls[-1].description) == (404, "Not Found")


async def test_paid_broadcast_flag_is_recorded(sandbox: Sandbox, bot: Bot) -> None:
    """allow_paid_broadcast is accepted and kept on the message."""
    await bot.send_message(USER, "hi", allow_paid_broadcast=True)
    assert sandbox.messages(USER)[0].allow_paid_broadcast


async def test_next_message_waits_and_explains_timeouts(sandbox: Sandbox, bot: Bot) -> None:
    """next_message returns each bot message once and times out with context."""
    asyncio.get_running_loop().call_later(0.05, asyncio.ensure_future, bot.send_message(USER, "a"))
    assert (await sandbox.next_message(USER, timeout=2)).text == "a"
    with pytest.raises(TimeoutError, match="last messages"):
        await sandbox.next_message(USER, timeout=0.1)


async def test_unknown_user_in_hooks_raises(sandbox: Sandbox) -> None:
    """Hooks refuse users that were never added."""
    with pytest.raises(LookupError, match="add_user"):
        sandbox.send_text(5, "hi")
