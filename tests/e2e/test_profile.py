"""The bot introduces itself before /start, and t.me/<bot>?start=zh picks the language.
Neither depends on how updates arrive, so one update mode is enough."""

from __future__ import annotations

from bot.core.i18n import Language
from bot.runtime import Runtime
from bot.sandbox import Sandbox
from bot.telegram.profile import DESCRIPTION, SHORT_DESCRIPTION
from tests.conftest import POLLING, BotFactory
from tests.e2e.chat import Chat

UPDATE_MODES = (POLLING,)


async def test_start_sets_both_descriptions_in_both_languages_once(
    make_bot: BotFactory, sandbox: Sandbox
) -> None:
    """The sandbox records both methods for the default (English) and zh; a restart with the
    same texts sets nothing."""
    bot = await make_bot()
    for method in ("setMyDescription", "setMyShortDescription"):
        assert [c.params.get("language_code") for c in sandbox.calls_to(method)] == [None, "zh"]
    assert sandbox.description() == DESCRIPTION
    assert sandbox.short_description() == SHORT_DESCRIPTION
    assert sandbox.description("zh") != DESCRIPTION
    assert "脚跟" in sandbox.description("zh")
    await bot.stop()
    await make_bot()
    assert len(sandbox.calls_to("setMyDescription")) == 2


async def test_a_zh_deep_link_starts_an_english_speaker_in_chinese(
    bot: Runtime, sandbox: Sandbox
) -> None:
    """`/start zh` (what t.me/<bot>?start=zh sends) wins over an English Telegram app."""
    chat = Chat(sandbox, 801, language_code="en")
    [welcome] = await chat.say("/start zh")
    assert "你好" in (welcome.text or "")
    user = await bot.store.users.get(chat.user_id)
    assert user is not None
    assert user.language_code == Language.ZH


async def test_an_en_deep_link_starts_a_chinese_speaker_in_english(
    bot: Runtime, sandbox: Sandbox
) -> None:
    chat = Chat(sandbox, 802, language_code="zh-hans")
    [welcome] = await chat.say("/start en")
    assert (welcome.text or "").startswith("Hi, Sam!")


async def test_a_deep_link_switches_someone_already_subscribed(
    bot: Runtime, sandbox: Sandbox
) -> None:
    """A subscriber who follows a ?start=zh link hears Chinese from then on."""
    chat = Chat(sandbox, 803)
    await chat.onboard()
    [answer] = await chat.say("/start zh")
    assert "订阅" in (answer.text or "")
    user = await bot.store.users.get(chat.user_id)
    assert user is not None
    assert user.language_code == Language.ZH


async def test_another_start_parameter_is_ignored(bot: Runtime, sandbox: Sandbox) -> None:
    chat = Chat(sandbox, 804)
    [welcome] = await chat.say("/start from-a-poster")
    assert (welcome.text or "").startswith("Hi, Sam!")
