"""The user's own data: history needs two points, export and delete are theirs."""

from __future__ import annotations

from datetime import date, timedelta

from bot.clock import FakeClock
from bot.composition import Content
from bot.content.catalogs import packaged_catalogs
from bot.core import texts
from bot.core.escalation import RulesConfig
from bot.core.escalation_text import render_reason
from bot.core.i18n import Catalogs, Language
from bot.core.replies import Document, Outcome, Photo, Reply
from bot.core.warning_signs import RedFlag, evaluate_red_flags
from bot.features import keyboards
from bot.features.my_data import MyData
from bot.store import Store
from bot.store.users import UserPatch
from tests.features.conftest import onboard

TODAY = date(2026, 11, 24)


async def test_history_needs_two_check_ins(
    store: Store, clock: FakeClock, content: Content
) -> None:
    await onboard(store, clock)
    my_data = MyData(store, clock, content.rules)
    await store.diary.record_checkin(1, TODAY, 4)
    assert await my_data.history(1) == Outcome.reply(texts.HISTORY_TOO_SHORT)
    await store.diary.record_checkin(1, TODAY - timedelta(days=1), 5)
    [chart] = (await my_data.history(1)).messages
    assert isinstance(chart, Photo)
    assert chart.png.startswith(b"\x89PNG")


async def test_export_is_a_csv_of_the_users_days(
    store: Store, clock: FakeClock, content: Content
) -> None:
    await onboard(store, clock)
    await store.diary.record_checkin(1, TODAY, 4)
    [document] = (await MyData(store, clock, content.rules).export(1)).messages
    assert isinstance(document, Document)
    assert document.filename == f"footcare-export-{TODAY.isoformat()}.csv"
    assert f"{TODAY.isoformat()}" in document.data.decode()


async def test_a_stranger_has_nothing_stored(
    store: Store, clock: FakeClock, content: Content
) -> None:
    outcome = await MyData(store, clock, content.rules).export(99)
    assert outcome == Outcome.reply(texts.NOTHING_STORED)


async def test_delete_needs_confirmation(store: Store, clock: FakeClock, content: Content) -> None:
    await onboard(store, clock)
    my_data = MyData(store, clock, content.rules)
    assert await my_data.delete(1, confirm=False) == Outcome(edit=texts.DELETE_KEEP)
    assert await store.users.get(1) is not None
    assert await my_data.delete(1, confirm=True) == Outcome(edit=texts.DELETED)
    assert await store.users.get(1) is None


async def _chinese_user_with_an_escalation(store: Store, clock: FakeClock) -> Catalogs:
    """A zh user who reported numbness, its escalation stored with the reason as data."""
    catalogs = packaged_catalogs()
    await onboard(store, clock)
    await store.users.update(1, UserPatch(language_code="zh"))
    await store.diary.record_checkin(1, TODAY - timedelta(days=1), 5)
    await store.diary.record_checkin(1, TODAY, 8)
    fired = evaluate_red_flags({RedFlag.NUMBNESS}, [], RulesConfig())
    assert fired is not None
    await store.escalations.add(
        1, "red_flag_soon", "soon", TODAY, [], fired.reason, fired.template, dict(fired.params)
    )
    return catalogs


async def test_a_chinese_user_gets_the_summary_in_chinese_and_an_english_offer(
    store: Store, clock: FakeClock, content: Content
) -> None:
    """The summary comes in the user's language, with a button for an English copy."""
    catalogs = await _chinese_user_with_an_escalation(store, clock)
    my_data = MyData(store, clock, content.rules, catalogs)
    summary, table, offer = (await my_data.doctor_summary(1, "小明")).messages
    assert isinstance(summary, Document)
    assert isinstance(table, Document)
    assert table.data.decode().startswith("日期,疼痛分数")
    assert isinstance(offer, Reply)
    assert offer.buttons == keyboards.english_summary_buttons()
    english = (await my_data.doctor_summary(1, "小明", Language.EN)).messages
    assert len(english) == 2, "no second offer on the English copy"
    assert isinstance(english[1], Document)
    assert english[1].data.decode().startswith("date,pain_score")


async def test_stored_reasons_render_in_the_readers_language(
    store: Store, clock: FakeClock
) -> None:
    """A reason stored as data reads in Chinese or English; an older row keeps its text."""
    catalogs = await _chinese_user_with_an_escalation(store, clock)
    await store.escalations.add(1, "severe", "soon", TODAY, [], "an old reason")
    new, old = await store.escalations.for_user(1)
    zh, en = catalogs[Language.ZH], catalogs[Language.EN]
    assert (
        render_reason(zh, new.reason_key, new.reason_params, "")
        == "你报告了：发麻或针扎感、烧灼样或触电样的痛，或者麻木、感觉变迟钝"
    )
    assert render_reason(en, new.reason_key, new.reason_params, "") == new.reason
    assert old.reason_key is None
    assert render_reason(zh, old.reason_key, old.reason_params, "an old reason") == "an old reason"
