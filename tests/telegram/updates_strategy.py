"""Hypothesis strategies for what Telegram can deliver to the bot (issue 14): updates built from
the Bot API type table (bot_api_types.json), and the odd and hostile ones a bot meets: edited
messages, channel posts, group messages, inline queries, forged and foreign button data, very
long, right-to-left, emoji and empty text, commands addressed to a bot by name, media without
text, forwards.

Every update is one Telegram could really send to this bot: private messages come from users
the sandbox knows (so replies can reach them); button presses go on a real bot message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from hypothesis import strategies as st

from bot.core import callbacks
from bot.core.callbacks import (
    CheckinAnswer,
    CountryChoice,
    DeleteChoice,
    DiabetesAnswer,
    DiabetesChoice,
    DoctorSummaryRequest,
    LanguageChoice,
    RedFlagAnswer,
    SettingsChoice,
    SettingsItem,
    ShareDaysChoice,
    ShareNameChoice,
    ShareRevoke,
    TimeChoice,
    WarningSignsRequest,
    ZoneChoice,
)
from bot.core.i18n import Language
from bot.core.warning_signs import RedFlag
from bot.sandbox.models import JSONDict
from tests.telegram.bot_api_types import load_types

# Nested objects below this depth get their required fields only, so updates stay small.
MAX_DEPTH = 3
MAX_TEXT = 4096  # Telegram's limit for a message's text
TIMESTAMP = st.integers(min_value=0, max_value=2**31 - 1)
# Bot API ids fit in 52 bits; chats of groups and channels are negative.
USER_ID = st.integers(min_value=1, max_value=2**52)
GROUP_ID = st.integers(min_value=-(2**52), max_value=-1)
_ARRAY = "Array of "
_TIMESTAMP_FIELD = re.compile(r"(^|_)date$")
_ID_FIELD = re.compile(r"(^|_)id$")
# The Update fields whose value is a Message.
MESSAGE_UPDATES = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_message",
    "edited_business_message",
    "guest_message",
)


@dataclass(frozen=True)
class Cast:
    """Who can write to the bot: users the sandbox knows (their private chat id is their id)."""

    users: tuple[int, ...]
    bot_username: str
    today: date  # every user's local date at the fake clock's time


@dataclass(frozen=True)
class RawUpdate:
    """An update pushed as is (Sandbox.push_update)."""

    kind: str
    update: JSONDict


@dataclass(frozen=True)
class Press:
    """A press of a button carrying `data` on the newest bot message in the user's chat."""

    kind: str
    user_id: int
    data: str
    # No button the bot sends carries this data, so the press must change nothing.
    forged: bool


Injection = RawUpdate | Press


# ----- objects from the type table ----------------------------------------------------------


def _scalar(type_name: str, field: JSONDict) -> st.SearchStrategy[Any] | None:
    values = field.get("values")
    match type_name:
        case "Integer":
            if _TIMESTAMP_FIELD.search(field["name"]):
                return TIMESTAMP
            # Ids take 52 bits; other numbers (durations, sizes, counts) fit in 31.
            bits = 52 if _ID_FIELD.search(field["name"]) else 31
            return st.integers(-(2**bits), 2**bits)
        case "Float":
            return st.floats(allow_nan=False, allow_infinity=False, width=32)
        case "String":
            return st.sampled_from(values) if values else st.text(max_size=30)
        case "Boolean":
            return st.booleans()
        case "True":
            return st.just(True)
    return None


def _value(type_name: str, field: JSONDict, depth: int) -> st.SearchStrategy[Any]:
    if type_name.startswith(_ARRAY):
        item = _value(type_name.removeprefix(_ARRAY), field, depth)
        return st.lists(item, max_size=2)
    scalar = _scalar(type_name, field)
    if scalar is not None:
        return scalar
    return objects(type_name, depth)


def _field(field: JSONDict, depth: int) -> st.SearchStrategy[Any]:
    return st.one_of([_value(t, field, depth) for t in field["types"]])


@cache
def objects(type_name: str, depth: int = 0) -> st.SearchStrategy[JSONDict]:
    """Objects of a Bot API type: every required field and, near the top, a few optional ones."""
    spec = load_types()[type_name]
    if spec["subtypes"]:
        # A union may hold scalars and itself (RichText: a String or an Array of RichText);
        # deep down, only its scalars, so every object ends.
        members = [{"name": type_name, "types": [sub]} for sub in spec["subtypes"]]
        scalars = [m for m in members if _scalar(m["types"][0], m) is not None]
        if depth >= MAX_DEPTH and scalars:
            members = scalars
        return st.deferred(lambda: st.one_of([_field(m, depth + 1) for m in members]))
    fields = spec["fields"]
    required = [f for f in fields if f["required"]]
    optional = [f for f in fields if not f["required"]] if depth < MAX_DEPTH else []

    @st.composite
    def build(draw: st.DrawFn) -> JSONDict:
        chosen = (
            draw(st.lists(st.sampled_from(optional), max_size=3, unique_by=_name))
            if optional
            else []
        )
        return {f["name"]: draw(_field(f, depth + 1)) for f in [*required, *chosen]}

    return build()


def _name(field: JSONDict) -> str:
    return str(field["name"])


# ----- the people and chats in an update ----------------------------------------------------


def user_json(user_id: int, language: str = "en") -> JSONDict:
    """Return a Telegram User."""
    return {"id": user_id, "is_bot": False, "first_name": "Fuzz", "language_code": language}


def private_chat(user_id: int) -> JSONDict:
    """Return the private chat with a user."""
    return {"id": user_id, "type": "private", "first_name": "Fuzz"}


@st.composite
def _group_chat(draw: st.DrawFn, kind: str | None = None) -> JSONDict:
    chat_type = kind or draw(st.sampled_from(["group", "supergroup"]))
    return {"id": draw(GROUP_ID), "type": chat_type, "title": draw(st.text(max_size=20))}


@st.composite
def _place(draw: st.DrawFn, cast: Cast) -> tuple[JSONDict | None, JSONDict]:
    """Return (sender, chat): a known user in their private chat, anyone in a group, or a
    channel (no sender)."""
    where = draw(st.sampled_from(["private", "private", "group", "channel"]))
    if where == "private":
        user_id = draw(st.sampled_from(cast.users))
        return user_json(user_id), private_chat(user_id)
    if where == "group":
        sender = draw(st.one_of(st.sampled_from(cast.users), USER_ID))
        return user_json(sender), draw(_group_chat())
    return None, draw(_group_chat("channel"))


def _with_place(message: JSONDict, sender: JSONDict | None, chat: JSONDict) -> JSONDict:
    message = {**message, "chat": chat}
    message.pop("from", None)
    message.pop("business_connection_id", None)  # a business message is another bot's chat
    if sender is not None:
        message["from"] = sender
    else:
        message["sender_chat"] = chat
    return message


@st.composite
def spec_updates(draw: st.DrawFn, cast: Cast) -> RawUpdate:
    """An update of any type the table lists, its people and chats made real for this bot."""
    fields = [f for f in load_types()["Update"]["fields"] if not f["required"]]
    field = draw(st.sampled_from(fields))
    name = field["name"]
    value = draw(_field(field, depth=1))
    if name in MESSAGE_UPDATES:
        sender, chat = draw(_place(cast))
        value = _with_place(value, sender, chat)
        if name.startswith("edited"):
            value["edit_date"] = draw(TIMESTAMP)
    elif name == "callback_query":
        # A press on an inline-mode message, or on one too old for the bot to see: a press
        # on a message the bot can see is a Press, made on a real one.
        user_id = draw(st.sampled_from(cast.users))
        value = {**value, "from": user_json(user_id)}
        if "message" in value or "inline_message_id" not in value:
            value.pop("message", None)
            value["message"] = {"chat": private_chat(user_id), "message_id": 1, "date": 0}
    return RawUpdate(f"spec {name}", {name: value})


# ----- text of every shape ------------------------------------------------------------------

RTL = ["שלום, כואב לי העקב", "مرحبا، كعبي يؤلمني", "‏7‏", "\u202eevil\u202c"]
EMOJI = ["🦶", "👣🔥", "👨‍👩‍👧‍👦", "🏳️‍🌈", "7️⃣", "😀" * 50]
ANSWERS = [
    "7",
    "0",
    "10",
    "11",
    "-1",
    "7.5",
    "٧",
    "seven",
    "Europe/Berlin",
    "Mars/Olympus",
    "09:00",
    "25:61",
    "yes",
    "DE",
    "zh",
    "  ",
    "\n",
    "\x00",
    "doctor",
]
COMMANDS = [
    "start",
    "help",
    "stop",
    "tip",
    "checkin",
    "warning",
    "settings",
    "time",
    "timezone",
    "country",
    "language",
    "pause",
    "resume",
    "history",
    "export",
    "delete",
    "broadcast",
    "broadcast_cancel",
    "stats",
    "nosuchcommand",
    "START",
]
ARGUMENTS = [
    "",
    " 07:30",
    " 99:99",
    " Europe/Paris",
    " Nowhere/Else",
    " 3",
    " -4",
    " 100000",
    " DE",
    " other",
    " 🦶",
    " " + "x" * 300,
]


@st.composite
def command_text(draw: st.DrawFn, cast: Cast) -> str:
    """A command, sometimes addressed to this bot or another by name, with odd arguments."""
    command = draw(st.sampled_from(COMMANDS))
    addressee = draw(st.sampled_from(["", f"@{cast.bot_username}", "@OtherBot"]))
    return f"/{command}{addressee}{draw(st.sampled_from(ARGUMENTS))}"


def texts(cast: Cast) -> st.SearchStrategy[str]:
    """Text of every kind: answers, commands, RTL, emoji, empty, very long, random."""
    long_text = st.builds(
        lambda piece, length: (piece * length)[:length],
        st.sampled_from(["a", "🦶", "ش", "heel pain "]),
        st.integers(min_value=MAX_TEXT - 10, max_value=MAX_TEXT),
    )
    return st.one_of(
        st.sampled_from(ANSWERS),
        command_text(cast),
        st.sampled_from(RTL + EMOJI),
        st.just(""),
        long_text,
        st.text(max_size=200),
    )


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def text_message(user_id: int, message_id: int, when: int, text: str) -> JSONDict:
    """Return a user's text message in their private chat; a leading command gets its entity."""
    message: JSONDict = {
        "message_id": message_id,
        "from": user_json(user_id),
        "chat": private_chat(user_id),
        "date": when,
        "text": text,
    }
    command = re.match(r"/\w+(@\w+)?", text)
    if command:
        length = _utf16_len(command.group())
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return message


# ----- hand-made odd updates ----------------------------------------------------------------


@st.composite
def private_texts(draw: st.DrawFn, cast: Cast, *, edited: bool = False) -> RawUpdate:
    """A user's message (or an edit of an earlier one) in their private chat."""
    user_id = draw(st.sampled_from(cast.users))
    message = text_message(user_id, draw(st.integers(1, 10**6)), draw(TIMESTAMP), draw(texts(cast)))
    if edited:
        message["edit_date"] = message["date"] + draw(st.integers(1, 3600))
        return RawUpdate("edited message", {"edited_message": message})
    return RawUpdate("private text", {"message": message})


@st.composite
def group_messages(draw: st.DrawFn, cast: Cast) -> RawUpdate:
    """A message in a group or supergroup, often a command addressed to this bot."""
    sender = draw(st.one_of(st.sampled_from(cast.users), USER_ID))
    chat = draw(_group_chat())
    text = draw(st.one_of(command_text(cast), texts(cast)))
    message = {
        **text_message(sender, draw(st.integers(1, 10**6)), draw(TIMESTAMP), text),
        "chat": chat,
    }
    key = draw(st.sampled_from(["message", "edited_message"]))
    return RawUpdate(f"{chat['type']} message", {key: message})


@st.composite
def channel_posts(draw: st.DrawFn, cast: Cast) -> RawUpdate:
    """A post in a channel the bot was added to (no sender user)."""
    chat = draw(_group_chat("channel"))
    text = draw(texts(cast))
    post = {
        "message_id": draw(st.integers(1, 10**6)),
        "sender_chat": chat,
        "chat": chat,
        "date": draw(TIMESTAMP),
        "text": text,
    }
    key = draw(st.sampled_from(["channel_post", "edited_channel_post"]))
    return RawUpdate("channel post", {key: post})


@st.composite
def inline_queries(draw: st.DrawFn, cast: Cast) -> RawUpdate:
    """Someone typing @bot in any chat."""
    sender = draw(st.one_of(st.sampled_from(cast.users), USER_ID))
    query = {
        "id": str(draw(st.integers(1, 10**12))),
        "from": user_json(sender),
        "query": draw(texts(cast).map(lambda t: t[:256])),
        "offset": "",
    }
    return RawUpdate("inline query", {"inline_query": query})


MEDIA: dict[str, JSONDict] = {
    "photo": {"photo": [{"file_id": "p1", "file_unique_id": "up1", "width": 90, "height": 90}]},
    "sticker": {
        "sticker": {
            "file_id": "s1",
            "file_unique_id": "us1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    },
    "document": {"document": {"file_id": "d1", "file_unique_id": "ud1", "file_name": "x.pdf"}},
    "voice": {"voice": {"file_id": "v1", "file_unique_id": "uv1", "duration": 3}},
    "location": {"location": {"latitude": 51.5, "longitude": -0.12}},
    "contact": {"contact": {"phone_number": "+440000", "first_name": "Fuzz"}},
    "dice": {"dice": {"emoji": "🎲", "value": 6}},
}


@st.composite
def media_messages(draw: st.DrawFn, cast: Cast) -> RawUpdate:
    """A photo, sticker, voice note, ... in a private chat, with or without a caption."""
    user_id = draw(st.sampled_from(cast.users))
    kind = draw(st.sampled_from(sorted(MEDIA)))
    message = {
        "message_id": draw(st.integers(1, 10**6)),
        "from": user_json(user_id),
        "chat": private_chat(user_id),
        "date": draw(TIMESTAMP),
        **MEDIA[kind],
    }
    if kind in ("photo", "document", "voice") and draw(st.booleans()):
        message["caption"] = draw(texts(cast))[:1024]
    return RawUpdate("media", {"message": message})


@st.composite
def forwards(draw: st.DrawFn, cast: Cast) -> RawUpdate:
    """A forwarded message: from another user, a hidden user or a channel."""
    update = draw(private_texts(cast))
    origin = draw(
        st.sampled_from(
            [
                {"type": "user", "date": 1, "sender_user": user_json(99, "de")},
                {"type": "hidden_user", "date": 1, "sender_user_name": "Someone"},
                {
                    "type": "channel",
                    "date": 1,
                    "message_id": 5,
                    "chat": {"id": -1001, "type": "channel", "title": "News"},
                },
            ]
        )
    )
    message = {**update.update["message"], "forward_origin": origin}
    return RawUpdate("forward", {"message": message})


# ----- button data --------------------------------------------------------------------------


def genuine_data(cast: Cast) -> st.SearchStrategy[str]:
    """Data the bot's own buttons carry (pressing one may change the database)."""
    days = st.sampled_from([cast.today, cast.today - timedelta(days=1)])
    payloads = st.one_of(
        st.builds(CheckinAnswer, days, st.integers(0, 10)),
        st.builds(RedFlagAnswer, days, st.sampled_from(RedFlag)),
        # A warning sign never closes: one under an old question is a genuine press too.
        st.builds(
            RedFlagAnswer,
            st.integers(2, 4000).map(lambda n: cast.today - timedelta(days=n)),
            st.sampled_from([f for f in RedFlag if f is not RedFlag.NONE]),
        ),
        st.builds(WarningSignsRequest, days),
        st.builds(ZoneChoice, st.sampled_from([None, "Europe/London", "Asia/Shanghai"])),
        st.builds(TimeChoice, st.sampled_from([None, "08:00", "21:30"])),
        st.builds(CountryChoice, st.sampled_from([None, "GB", "CN"])),
        st.builds(DiabetesChoice, st.sampled_from(DiabetesAnswer)),
        st.builds(SettingsChoice, st.sampled_from(SettingsItem)),
        st.builds(DeleteChoice, st.booleans()),
        st.builds(DoctorSummaryRequest, st.sampled_from([None, *Language])),
        st.builds(LanguageChoice, st.sampled_from(Language)),
        st.builds(ShareNameChoice, st.booleans()),
        st.builds(ShareDaysChoice, st.sampled_from(callbacks.SHARE_DAYS)),
        st.builds(ShareRevoke, st.integers(1, 5)),
    )
    return payloads.map(callbacks.encode)


def _fits(data: str) -> bool:
    return 0 < len(data.encode("utf-8")) <= callbacks.MAX_BYTES


def forged_data(cast: Cast) -> st.SearchStrategy[str]:
    """Data no button of this bot carries for this user: out-of-range scores, dates of another
    user's day (or none at all), unknown prefixes, values no button offers, junk."""
    day = st.one_of(
        st.integers(2, 4000).map(lambda n: cast.today - timedelta(days=n)),
        st.integers(1, 4000).map(lambda n: cast.today + timedelta(days=n)),
    )
    any_day = st.one_of(day, st.just(cast.today))
    iso = day.map(date.isoformat)
    flag = st.sampled_from([f.value for f in RedFlag])
    shaped = st.one_of(
        st.builds(
            "ci:{}:{}".format,
            any_day.map(date.isoformat),
            st.sampled_from(["11", "-1", "99", "7.5", "", "x"]),
        ),
        st.builds("ci:{}:{}".format, iso, st.integers(0, 10)),
        # A date not reached yet with any answer, or "none" on an old question.
        st.builds(
            "rf:{}:{}".format,
            st.integers(1, 4000).map(lambda n: (cast.today + timedelta(days=n)).isoformat()),
            flag,
        ),
        st.builds("rf:{}:none".format, iso),
        st.builds(
            "rf:{}:{}".format, any_day.map(date.isoformat), st.sampled_from(["", "gout", "NONE"])
        ),
        st.builds("ws:{}".format, iso),
        st.sampled_from(
            [
                "ci:2026-02-30:5",
                "ci:not-a-date:5",
                "ci::5",
                "ci",
                "rf:",
                "ws:",
                "ws:yesterday",
                "tz:",
                "tz:Mars/Olympus",
                "tz:../../etc/passwd",
                "time:25:99",
                "time:7",
                "cty:QQ",  # no such country (ZZ is the "not listed" button)
                "cty:gb",
                "dia:maybe",
                "set:",
                "set:weekday:9",
                "set:time:1",
                "set:nothing",
                "bc:send:1",
                "bc:cancel:1",
                "bc:send:-1",
                "bc:launch:1",
                "del:maybe",
                "del:",
                "doc:",
                "doc:summary:xx",
                "lang:xx",
                "lang:",
                ":",
                "::",
                "zz:1",
                "CI:2026-11-24:5",
            ]
        ),
    )
    junk = st.one_of(
        st.text(min_size=1, max_size=64).filter(_fits),
        st.binary(min_size=64, max_size=64).map(lambda b: b.decode("latin-1")).filter(_fits),
        st.binary(min_size=64, max_size=64)
        .map(lambda b: b.decode("utf-8", "replace"))
        .filter(_fits),
    )
    return st.one_of(shaped, junk.filter(lambda data: callbacks.decode(data) is None))


@st.composite
def presses(draw: st.DrawFn, cast: Cast, *, forged: bool) -> Press:
    """A press on the newest bot message: with data the bot's buttons carry, or forged."""
    user_id = draw(st.sampled_from(cast.users))
    if forged:
        return Press("forged callback", user_id, draw(forged_data(cast)), forged=True)
    return Press("genuine callback", user_id, draw(genuine_data(cast)), forged=False)


def injections(cast: Cast) -> st.SearchStrategy[Injection]:
    """Anything Telegram could deliver to the bot, odd and hostile kinds weighted in."""
    return st.one_of(
        spec_updates(cast),
        private_texts(cast),
        private_texts(cast, edited=True),
        group_messages(cast),
        channel_posts(cast),
        inline_queries(cast),
        media_messages(cast),
        forwards(cast),
        presses(cast, forged=False),
        # Weighted: each forged press also checks that the database did not change.
        presses(cast, forged=True),
        presses(cast, forged=True),
        presses(cast, forged=True),
    )
