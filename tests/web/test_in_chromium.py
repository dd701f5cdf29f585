"""The share page in a real browser: headless Chromium from the system's packages.

Opt-in, because it needs the browser and takes several seconds: `make browser-test` (which
sets FOOTCARE_BROWSER_TEST=1) runs it; the README says how to install Chromium. It checks that
the page renders in English and Chinese, that "View record" works without script, that it
prints to an A4 PDF holding the page's figures, and that the browser compiles no script on it.
"""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.web.cdp import Chromium, Tab, find_chromium
from tests.web.conftest import Site, seed_user
from tests.web.reading import pdf_text, read_page, squash

SCRIPT = "<script>alert(1)</script>"

pytestmark = pytest.mark.skipif(
    os.environ.get("FOOTCARE_BROWSER_TEST") != "1",
    reason="browser test: run with `make browser-test`",
)


@pytest.fixture
async def tab(tmp_path: Path) -> AsyncIterator[Tab]:
    """A tab of a fresh headless Chromium."""
    executable = find_chromium()
    if executable is None:
        pytest.fail("Chromium is not installed: apt-get install -y chromium (see the README)")
    async with Chromium(executable, tmp_path) as browser:
        yield await Tab.open(browser)


def refused(tab: Tab) -> list[object]:
    """What the Content-Security-Policy blocked on the tab, as the browser reported it."""
    issues = [
        e["params"]["issue"]
        for e in tab.seen("Audits.issueAdded")
        if e["params"]["issue"]["code"] == "ContentSecurityPolicyIssue"
    ]
    logged = [
        e["params"]["entry"]["text"]
        for e in tab.seen("Log.entryAdded")
        if "Content Security Policy" in e["params"]["entry"]["text"]
    ]
    return [*issues, *logged]


async def test_the_watch_sees_scripts_and_refusals(tab: Tab) -> None:
    """The instruments can fail: a page with scripts is seen, and so is a refused one."""
    await tab.goto("data:text/html,<title>t</title><script>document.title='ran'</script>")
    assert tab.seen("Debugger.scriptParsed")
    blocked = (
        "data:text/html,<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'\">"
        "<script>document.title='ran'</script>"
    )
    await tab.goto(blocked)
    assert refused(tab)


async def test_the_record_renders_prints_and_runs_no_script(site: Site, tab: Tab) -> None:
    await seed_user(site.store)
    link = await site.link(SCRIPT)
    await tab.goto(site.url(link) + "?lang=en")
    landing = read_page(await tab.html())
    assert "View record" in landing.text
    assert not landing.facts

    await tab.click("button.primary")
    english = read_page(await tab.html())
    assert dict(english.facts)["Name"] == SCRIPT
    assert len(english.rows) == 20
    assert await tab.count("script") == 0
    assert await tab.count("img") == 1
    printed = await tab.print_pdf()
    sizes = {
        (round(p.mediabox.width), round(p.mediabox.height))
        for p in PdfReader(io.BytesIO(printed)).pages
    }
    assert sizes == {(595, 842)}  # A4 in points
    text = squash(pdf_text(printed))
    for label, value in english.facts:
        assert squash(label + value) in text, (label, value)
    for row in english.rows:
        assert squash("".join(row)) in text, row
    assert "ViewrecordDownloadPDF" not in text  # the buttons are not printed

    await tab.click("button[name=lang]")
    chinese = read_page(await tab.html())
    assert "自我报告的记录，不是临床评估" in chinese.text
    assert dict(chinese.facts)["姓名"] == SCRIPT
    text = squash(pdf_text(await tab.print_pdf()))
    assert squash("自我报告的记录，不是临床评估") in text
    for row in chinese.rows:
        assert squash("".join(row)) in text, row

    assert tab.seen("Debugger.scriptParsed") == []
    assert tab.seen("Page.javascriptDialogOpening") == []
    assert refused(tab) == []
    [shared] = await site.store.shares.for_user(1)
    assert shared.openings == 1  # the language switch continued the visit
