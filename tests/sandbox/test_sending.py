"""sendMessage, sendPhoto, sendDocument and sendChatAction with Telegram's limits and errors."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden

from bot.sandbox import Sandbox
from tests.sandbox.conftest import PNG, USER, keyboard


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


async def test_paid_broadcast_flag_is_recorded(sandbox: Sandbox, bot: Bot) -> None:
    """allow_paid_broadcast is accepted and kept on the message."""
    await bot.send_message(USER, "hi", allow_paid_broadcast=True)
    assert sandbox.messages(USER)[0].allow_paid_broadcast
