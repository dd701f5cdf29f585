"""/share and /shares as the chat feature says them, in both languages, without a doctor."""

from __future__ import annotations

import re

import pytest

from bot.clock import FakeClock
from bot.composition import Content
from bot.core.i18n import Language
from bot.core.replies import Outcome, Reply
from bot.features.sharing import Duration, Sharing
from bot.features.sharing.chat import ShareChat
from bot.store import Store, UserPatch
from tests.features.conftest import onboard

RESERVED = ("doctor", "医生", "就医")  # the words kept for escalations
# Latin a Chinese reader may see: links, commands, the user's name, product and format names.
ALLOWED = re.compile(r"https?://\S+|/[a-z_]+|Sam W\.|Sam|FootCare|PDF|Telegram")


def said(outcome: Outcome) -> list[str]:
    """Every text of an outcome: the edit, the replies and their button labels."""
    texts = [outcome.edit] if outcome.edit else []
    for message in outcome.messages:
        assert isinstance(message, Reply)
        texts.append(message.text)
        texts += [label for row in message.buttons for label, _ in row]
    return texts


@pytest.mark.parametrize("language", list(Language))
async def test_every_step_speaks_the_users_language_without_the_reserved_word(
    store: Store, clock: FakeClock, content: Content, language: Language
) -> None:
    await onboard(store, clock)
    await store.users.update(1, UserPatch(language_code=language.value))
    sharing = Sharing(store, clock, content.rules, content.catalogs, public_url="https://x.org")
    chat = ShareChat(sharing, store, clock, content.catalogs)
    texts = said(await chat.links(1))
    texts += said(await chat.start(1, "Sam"))
    texts += said(await chat.choose_name(1, "Sam", use_first=True))
    made = await chat.choose_days(1, 14)
    [link] = made.messages
    assert isinstance(link, Reply)
    assert not link.preview
    assert "https://x.org/s/" in link.text
    texts += said(made)
    texts += said(await chat.start(1, "Sam", "Sam W."))
    texts += said(await chat.choose_days(1, 1))
    texts += said(await chat.choose_days(1, 1))  # the kept name was taken: expired
    texts += said(await chat.links(1))
    newest = (await sharing.links(1))[0].share_id
    texts += said(await chat.revoke(1, newest))
    texts += said(await chat.revoke(1, newest))  # already withdrawn
    for _ in range(4):
        await sharing.create(1, "", Duration.DAY)
    texts += said(await chat.start(1, "Sam"))  # five live: refused
    off = Sharing(store, clock, content.rules, content.catalogs)
    texts += said(await ShareChat(off, store, clock, content.catalogs).start(1, "Sam"))
    assert len(set(texts)) > 15
    for text in texts:
        assert not any(word in text.lower() for word in RESERVED), text
    if language is Language.ZH:
        english = [t for t in texts if re.search(r"[A-Za-z]", ALLOWED.sub("", t))]
        assert english == []
