"""The sharing feature: making, opening and revoking links, and the record they show."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.composition import Content
from bot.core.escalation import PainDuration
from bot.core.i18n import Language
from bot.core.outcomes import FootProfile, PainSite, Side
from bot.core.record import Facts, PainChart, Table
from bot.features.sharing import MAX_LIVE_LINKS, Duration, NewLink, Refusal, Sharing, clean_name
from bot.features.sharing.tokens import looks_like_token, token_hash
from bot.store import Store, UserPatch
from tests.features.conftest import onboard

URL = "https://care.example.org/footcare"
TODAY = date(2026, 11, 24)


@pytest.fixture
def sharing(store: Store, clock: FakeClock, content: Content) -> Sharing:
    return Sharing(store, clock, content.rules, content.catalogs, public_url=URL + "/")


async def made(sharing: Sharing, name: str = "Sam", duration: Duration = Duration.DAY) -> NewLink:
    link = await sharing.create(1, name, duration)
    assert isinstance(link, NewLink)
    return link


def database_bytes(folder: Path) -> bytes:
    """Every byte of the database, its WAL included."""
    return b"".join(p.read_bytes() for p in sorted(folder.glob("footcare.db*")))


def token_of(link: NewLink) -> str:
    return link.url.rsplit("/", 1)[1]


async def test_a_link_carries_a_fresh_256_bit_token_of_which_only_the_hash_is_stored(
    store: Store, clock: FakeClock, sharing: Sharing, tmp_path: Path
) -> None:
    await onboard(store, clock)
    first, second = await made(sharing), await made(sharing)
    assert first.url.startswith(URL + "/s/")
    token = token_of(first)
    assert looks_like_token(token)
    assert len(token) == 43  # 32 random bytes, URL-safe base64
    assert token != token_of(second)
    assert first.expires_at == clock.now() + timedelta(days=1)
    files = database_bytes(tmp_path)
    assert token.encode() not in files
    assert token_hash(token) in files


async def test_no_link_without_a_public_url_or_a_subscriber(
    store: Store, clock: FakeClock, content: Content, sharing: Sharing
) -> None:
    off = Sharing(store, clock, content.rules, content.catalogs)
    assert not off.enabled
    await onboard(store, clock)
    assert await off.create(1, "Sam", Duration.DAY) is Refusal.NOT_SET_UP
    assert await sharing.create(2, "Sam", Duration.DAY) is Refusal.NOT_SUBSCRIBED


async def test_at_most_five_live_links(store: Store, clock: FakeClock, sharing: Sharing) -> None:
    await onboard(store, clock)
    links = [await made(sharing) for _ in range(MAX_LIVE_LINKS)]
    assert await sharing.create(1, "Sam", Duration.DAY) is Refusal.TOO_MANY
    assert await sharing.revoke(1, links[0].share_id)
    assert isinstance(await sharing.create(1, "Sam", Duration.DAY), NewLink)


async def test_opening_logs_the_time_and_expiry_follows_the_clock(
    store: Store, clock: FakeClock, sharing: Sharing
) -> None:
    await onboard(store, clock)
    link = await made(sharing, duration=Duration.FORTNIGHT)
    assert await sharing.find(token_of(link)) is not None
    [listed] = await sharing.links(1)
    assert listed.openings == 0
    visit = await sharing.open(token_of(link))
    assert visit is not None
    [listed] = await sharing.links(1)
    assert (listed.openings, listed.last_opened) == (1, clock.now())
    clock.advance(timedelta(days=14))
    assert await sharing.find(token_of(link)) is None
    assert await sharing.open(token_of(link)) is None
    assert await sharing.links(1) == []


async def test_malformed_tokens_are_not_looked_up(sharing: Sharing) -> None:
    for token in ("", "short", "x" * 44, "é" * 43, "a/" * 21 + "a"):
        assert await sharing.find(token) is None
        assert await sharing.open(token) is None


async def test_revoke_all_leaves_no_live_link(
    store: Store, clock: FakeClock, sharing: Sharing
) -> None:
    await onboard(store, clock)
    links = [await made(sharing) for _ in range(3)]
    assert await sharing.revoke_all(1) == 3
    for link in links:
        assert await sharing.open(token_of(link)) is None


async def test_links_that_ended_a_month_ago_are_dropped(
    store: Store, clock: FakeClock, sharing: Sharing
) -> None:
    await onboard(store, clock)
    await made(sharing)
    clock.advance(timedelta(days=32))
    await made(sharing)
    assert len(await store.shares.for_user(1, live_only=False)) == 1


def test_names_are_cleaned_to_one_short_line() -> None:
    assert clean_name("  Sam\n\tSmith ") == "Sam Smith"
    assert clean_name("Sam\u202eevil\u200b") == "Samevil"
    assert clean_name("x" * 100) == "x" * 64
    assert clean_name("<script>alert(1)</script>") == "<script>alert(1)</script>"


async def test_a_record_with_no_data_has_no_sections(
    store: Store, clock: FakeClock, sharing: Sharing
) -> None:
    await onboard(store, clock)
    visit = await sharing.open(token_of(await made(sharing, name="")))
    assert visit is not None
    record = await sharing.record(visit.share, Language.EN)
    assert record is not None
    assert record.sections == ()
    assert record.title == "FootCare record"
    assert [label for label, _ in record.about.items] == ["Period", "Link valid until"]


async def test_the_record_has_every_section_in_both_languages(
    store: Store, clock: FakeClock, sharing: Sharing
) -> None:
    await onboard(store, clock)
    await store.users.update(
        1,
        UserPatch(
            has_diabetes=False,
            pain_duration=PainDuration.MONTHS_3_TO_12,
            pain_duration_on=TODAY - timedelta(days=10),
        ),
    )
    profile = FootProfile(site=PainSite.UNDER_HEEL, side=Side.BOTH)
    await store.outcomes.save_profile(1, profile, TODAY)
    for n in range(5):
        await store.diary.record_checkin(1, TODAY - timedelta(days=n), 7 - n)
    await store.diary.record_red_flags(1, TODAY, ["none"])
    await store.escalations.add(1, "red_flag_urgent", "urgent", TODAY, [(TODAY, 7)], reason="x")
    visit = await sharing.open(token_of(await made(sharing)))
    assert visit is not None
    english = await sharing.record(visit.share, Language.EN)
    chinese = await sharing.record(visit.share, Language.ZH)
    assert english is not None
    assert chinese is not None
    keys = ["pain", "escalations", "warning_signs", "background", "checkins"]
    assert [s.key for s in english.sections] == keys
    assert [s.key for s in chinese.sections] == keys
    pain, escalations, signs, background, checkins = english.sections
    facts, chart = pain.blocks
    assert isinstance(facts, Facts)
    assert isinstance(chart, PainChart)
    assert chart.points == tuple((TODAY - timedelta(days=n), 7 - n) for n in range(4, -1, -1))
    assert chart.marked == (TODAY,)
    assert dict(facts.items)["Average pain"] == "5.0 / 10"
    assert escalations.blocks[0] == Facts((("Tue, 24 Nov 2026", "same day: x"),))
    assert signs.blocks[0] == Facts((("Tue, 24 Nov 2026", "None of these"),))
    assert background.blocks[0] == Facts(
        (
            ("Pain had gone on", "3 to 12 months (as of Saturday 14 November)"),
            ("Where it hurts", "Under the heel"),
            ("Which foot", "Both feet"),
            ("Diabetes", "no"),
        )
    )
    [table] = checkins.blocks
    assert isinstance(table, Table)
    assert table.rows[0] == ("Tue, 24 Nov 2026", "7")
    assert chinese.title == "Sam的 FootCare 记录"
    assert english.file_stem == "footcare-record-2026-11-24"
