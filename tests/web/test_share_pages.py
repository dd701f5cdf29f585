"""The share listener over HTTP: landing, record, language, visits, 404s, headers, escaping."""

from __future__ import annotations

import base64
import hashlib
import logging
from datetime import timedelta

import aiohttp
import pytest

from bot.features.sharing import Duration
from bot.web.server import Limits
from tests.web.conftest import TODAY, USER, Site, seed_user
from tests.web.reading import pdf_text, read_page, squash

SCRIPT = "<script>alert(1)</script>"


async def fetch(
    site: Site, method: str, url: str, **kwargs: object
) -> tuple[int, dict[str, str], bytes]:
    """Return status, headers (without Date) and body of one request."""
    async with site.http.request(method, url, **kwargs) as response:  # type: ignore[arg-type]
        body = await response.read()
        headers = {k: v for k, v in response.headers.items() if k != "Date"}
        return response.status, headers, body


async def view(site: Site, url: str, **form: str) -> str:
    status, _, body = await fetch(site, "POST", url, data=form)
    assert status == 200
    return body.decode()


async def test_the_landing_page_shows_no_data_and_counts_nothing(site: Site) -> None:
    await seed_user(site.store)
    link = await site.link("Sam Smith")
    status, _, body = await fetch(site, "GET", site.url(link))
    assert status == 200
    page = read_page(body.decode())
    assert "View record" in page.text
    assert "Sam" not in page.text
    assert not page.facts
    assert not page.rows
    assert "img" not in page.tags
    [(form_method,)] = [
        (v,) for tag, name, v in page.attributes if (tag, name) == ("form", "method")
    ]
    assert form_method == "post"
    [shared] = await site.store.shares.for_user(USER)
    assert shared.openings == 0
    assert site.openings() == 0


async def test_view_record_shows_the_record_and_logs_one_opening(site: Site) -> None:
    await seed_user(site.store)
    link = await site.link("Sam Smith")
    page = read_page(await view(site, site.url(link), lang="en"))
    facts = dict(page.facts)
    assert facts["Name"] == "Sam Smith"
    assert facts["Period"] == "Mon, 26 Oct 2026 to Tue, 24 Nov 2026"
    assert facts["Check-ins"] == "20 of 30 days"
    assert facts["Latest"] == "0 on Tue, 24 Nov 2026"
    assert facts["Diabetes"] == "yes"
    assert facts["Sat, 21 Nov 2026"] == "within days: three high days"
    assert facts["Sun, 22 Nov 2026"] == "Tingling, burning or numbness"
    assert len(page.rows) == 20
    assert page.rows[0] == ("Tue, 24 Nov 2026", "0")
    assert "Self-reported record, not a clinical assessment." in page.text
    [image] = [v for tag, name, v in page.attributes if (tag, name) == ("img", "src")]
    assert base64.b64decode(image.removeprefix("data:image/png;base64,")).startswith(b"\x89PNG")
    [shared] = await site.store.shares.for_user(USER)
    assert (shared.openings, shared.last_opened) == (1, site.clock.now())
    assert site.openings() == 1
    assert b"footcare_share_openings_total 1.0" in site.metrics.exposition()


async def test_the_period_follows_the_check_ins(site: Site) -> None:
    """The period starts at the first check-in of the last 90 days, a month back at least."""
    await seed_user(site.store)
    link = await site.link()
    page = read_page(await view(site, site.url(link)))
    assert dict(page.facts)["Period"] == "Mon, 26 Oct 2026 to Tue, 24 Nov 2026"
    await site.store.diary.record_checkin(USER, TODAY - timedelta(days=200), 5)
    await site.store.diary.record_checkin(USER, TODAY - timedelta(days=60), 5)
    page = read_page(await view(site, site.url(link)))
    assert dict(page.facts)["Period"] == "Fri, 25 Sept 2026 to Tue, 24 Nov 2026"
    assert len(page.rows) == 21


async def test_chinese_by_choice_and_by_the_browsers_language(site: Site) -> None:
    await seed_user(site.store)
    link = await site.link("小明")
    chosen = read_page(await view(site, site.url(link), lang="zh"))
    assert "自我报告的记录，不是临床评估" in chosen.text
    assert dict(chosen.facts)["糖尿病"] == "有"
    assert ("2026年11月24日周二", "0") in chosen.rows
    headers = {"Accept-Language": "fr;q=0.9, zh-CN;q=0.8, en;q=0.5"}
    status, _, body = await fetch(site, "POST", site.url(link), headers=headers)
    assert status == 200
    assert read_page(body.decode()).text == chosen.text
    status, _, landing = await fetch(site, "GET", site.url(link), headers=headers)
    assert "查看记录" in read_page(landing.decode()).text
    status, _, landing = await fetch(site, "GET", site.url(link) + "?lang=en", headers=headers)
    assert "View record" in read_page(landing.decode()).text


async def test_a_language_switch_and_the_pdf_continue_the_visit(site: Site) -> None:
    await seed_user(site.store)
    link = await site.link()
    page = read_page(await view(site, site.url(link)))
    [visit] = {v for tag, name, v in page.attributes if tag == "input" and name == "value"} - {
        "en",
        "zh",
    }
    site.clock.advance(timedelta(minutes=10))
    await view(site, site.url(link), lang="zh", visit=visit)
    status, headers, _ = await fetch(
        site, "POST", site.url(link), data={"format": "pdf", "visit": visit}
    )
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"
    [shared] = await site.store.shares.for_user(USER)
    assert shared.openings == 1
    assert site.openings() == 1
    # Past the visit's window, or naming an opening that is not this link's, counts anew.
    site.clock.advance(timedelta(minutes=21))
    await view(site, site.url(link), visit=visit)
    other = await site.link()
    await view(site, site.url(other), visit=visit)
    await view(site, site.url(other), visit="99999999999999999999999")
    counts = {s.share_id: s.openings for s in await site.store.shares.for_user(USER)}
    assert sorted(counts.values()) == [2, 2]
    assert site.openings() == 4


@pytest.mark.parametrize("limits", [Limits(requests_per_minute=1000)])
async def test_unknown_expired_and_revoked_tokens_get_identical_404s(site: Site) -> None:
    await seed_user(site.store)
    expired = await site.link(days=Duration.DAY)
    revoked = await site.link()
    live = await site.link(days=Duration.QUARTER)
    assert await site.sharing.revoke(USER, revoked.share_id)
    site.clock.advance(timedelta(days=1))
    token = live.url.rsplit("/", 1)[1]
    unknown = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
    answers = set()
    for url in (
        site.url(expired),
        site.url(revoked),
        site.url("/s/" + unknown),
        site.url("/s/short"),
        site.url("/s/" + "x" * 100),
        site.url("/"),
        site.url("/s/"),
        site.url(live) + "/more",
        f"http://127.0.0.1:{site.server.port}/",
    ):
        for method in ("GET", "POST", "PUT", "DELETE"):
            status, headers, body = await fetch(site, method, url)
            answers.add((status, tuple(sorted(headers.items())), body))
    [(status, header_items, body)] = answers
    assert status == 404
    assert dict(header_items)["Cache-Control"].startswith("no-store")
    assert b"SamSmith" not in squash(body.decode()).encode()
    # The live link still opens, and the 404s counted no opening.
    status, _, _ = await fetch(site, "GET", site.url(live))
    assert status == 200
    assert site.openings() == 0


async def test_a_deleted_user_leaves_no_page(site: Site) -> None:
    await seed_user(site.store)
    link = await site.link()
    await site.store.users.delete(USER)
    status, _, body = await fetch(site, "GET", site.url(link))
    assert status == 404
    assert (await fetch(site, "POST", site.url(link)))[2] == body


async def test_user_words_are_text_in_the_page_and_in_the_pdf(site: Site) -> None:
    await seed_user(site.store)
    link = await site.link(SCRIPT)
    html = await view(site, site.url(link))
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = read_page(html)
    assert dict(page.facts)["Name"] == SCRIPT
    assert "script" not in page.tags
    status, _, pdf = await fetch(site, "POST", site.url(link), data={"format": "pdf"})
    assert status == 200
    assert f"FootCare record of {SCRIPT}" in pdf_text(pdf)


async def test_the_pdf_holds_the_same_figures_as_the_page(site: Site) -> None:
    await seed_user(site.store)
    link = await site.link()
    for lang in ("en", "zh"):
        page = read_page(await view(site, site.url(link), lang=lang))
        status, headers, pdf = await fetch(
            site, "POST", site.url(link), data={"format": "pdf", "lang": lang}
        )
        assert status == 200
        assert headers["Content-Disposition"] == (
            'attachment; filename="footcare-record-2026-11-24.pdf"'
        )
        text = squash(pdf_text(pdf))
        assert page.facts
        for label, value in page.facts:
            assert squash(label + value) in text, (lang, label, value)
        for row in page.rows:
            assert squash("".join(row)) in text, (lang, row)
        assert squash(page.sections["escalations"].split(" ", 1)[0]) in text


async def test_every_response_carries_the_privacy_headers(site: Site) -> None:
    await seed_user(site.store)
    link = await site.link()
    responses = [
        await fetch(site, "GET", site.url(link)),
        await fetch(site, "POST", site.url(link)),
        await fetch(site, "POST", site.url(link), data={"format": "pdf"}),
        await fetch(site, "GET", site.url("/s/unknown")),
    ]
    for _, headers, _ in responses:
        assert headers["Cache-Control"] == "no-store, max-age=0"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert "noindex" in headers["X-Robots-Tag"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Server"] == "FootCare"
        policy = headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy
        assert "unsafe" not in policy
        assert "script-src" not in policy  # default-src 'none' covers it


async def test_the_page_loads_nothing_and_its_style_matches_the_policy(site: Site) -> None:
    await seed_user(site.store)
    link = await site.link()
    for method in ("GET", "POST"):
        _, headers, body = await fetch(site, method, site.url(link))
        page = read_page(body.decode())
        [style] = page.styles
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"style-src 'sha256-{digest}'" in headers["Content-Security-Policy"]
        assert "script" not in page.tags
        assert not any(name.startswith("on") for _, name, _ in page.attributes)
        for tag, name, value in page.attributes:
            if name in ("src", "href", "action"):
                assert value.startswith(("data:image/png;base64,", "?lang=")), (tag, value)


async def test_sections_without_data_are_left_out(site: Site) -> None:
    await seed_user(site.store, data=False)
    page = read_page(await view(site, site.url(await site.link(""))))
    assert page.sections == {}
    assert [label for label, _ in page.facts] == ["Period", "Link valid until"]
    assert "img" not in page.tags
    assert "FootCare record" in page.text


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_reserved_word_appears_only_with_the_escalations(site: Site, lang: str) -> None:
    """ "Doctor" (医生) is for escalations: the page says it only in their section."""
    await seed_user(site.store)
    page = read_page(await view(site, site.url(await site.link()), lang=lang))
    outside = page.text.replace(page.sections["escalations"], "")
    for word in ("doctor", "医生", "就医"):
        assert word not in outside.lower()
    if lang == "zh":
        assert "医护人员" in page.text


async def test_nothing_of_the_token_or_the_record_is_logged(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await seed_user(site.store)
    link = await site.link("Sam Smith")
    token = link.url.rsplit("/", 1)[1]
    await fetch(site, "GET", site.url(link))
    await view(site, site.url(link))
    await fetch(site, "POST", site.url(link), data={"format": "pdf"})
    await fetch(site, "GET", site.url("/s/" + token[:-1] + "x"))
    everything = "\n".join(record.getMessage() for record in caplog.records)
    # DEBUG may show data (aiosqlite's statements); never a token, whose hash is all SQL sees.
    assert token not in everything
    assert token[:12] not in everything
    shown = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert shown  # the link's creation, at least
    for secret in ("Sam Smith", "three high days", "/s/", "numbness"):
        assert all(secret not in line for line in shown)


async def test_a_large_request_is_refused(site: Site) -> None:
    await seed_user(site.store)
    link = await site.link()
    status, headers, body = await fetch(site, "POST", site.url(link), data={"lang": "x" * 5000})
    assert status == 413
    assert "Request too large" in body.decode()
    assert headers["Cache-Control"].startswith("no-store")
    assert site.openings() == 0
    with pytest.raises(aiohttp.ClientResponseError) as refused:
        async with site.http.get(site.url(link), headers={"X-Big": "y" * 10_000}) as r:
            r.raise_for_status()
    assert refused.value.status in (400, 431)


@pytest.mark.parametrize("limits", [Limits(requests_per_minute=3)])
async def test_requests_are_rate_limited_per_client(site: Site) -> None:
    await seed_user(site.store)
    link = await site.link()
    for _ in range(3):
        assert (await fetch(site, "GET", site.url(link)))[0] == 200
    status, headers, body = await fetch(site, "POST", site.url(link))
    assert status == 429
    assert headers["Retry-After"] == "60"
    assert headers["Cache-Control"].startswith("no-store")
    assert "Too many requests" in body.decode()
    assert site.openings() == 0
    site.clock.advance(timedelta(seconds=60))
    assert (await fetch(site, "GET", site.url(link)))[0] == 200


@pytest.mark.parametrize(
    ("limits", "trusted_proxies"), [(Limits(requests_per_minute=2), ("127.0.0.0/8",))]
)
async def test_a_trusted_proxys_forwarded_address_is_the_client(site: Site) -> None:
    await seed_user(site.store)
    url = site.url(await site.link())

    async def status(forwarded: str) -> int:
        return (await fetch(site, "GET", url, headers={"X-Forwarded-For": forwarded}))[0]

    assert await status("198.51.100.1") == 200
    assert await status("198.51.100.1") == 200
    assert await status("198.51.100.1") == 429
    # What the client wrote before the proxy's entry is not believed.
    assert await status("203.0.113.50, 198.51.100.1") == 429
    assert await status("198.51.100.2") == 200
    # A trusted proxy's own hop is skipped; the address before it is the client.
    assert await status("198.51.100.3, 127.0.0.2") == 200
    assert await status("198.51.100.3, 127.0.0.2") == 200
    assert await status("198.51.100.3") == 429


@pytest.mark.parametrize("limits", [Limits(requests_per_minute=2)])
async def test_forwarded_addresses_are_ignored_from_an_untrusted_peer(site: Site) -> None:
    await seed_user(site.store)
    url = site.url(await site.link())
    answers = [
        (await fetch(site, "GET", url, headers={"X-Forwarded-For": f"198.51.100.{n}"}))[0]
        for n in range(3)
    ]
    assert answers == [200, 200, 429]
