"""The share pages as HTML: the landing page, the record, and the fixed error pages.

Every piece of text goes through `_e` (html.escape with quotes), the user's own words
included; nothing is ever inserted unescaped except the fixed markup written here. The pages
load nothing from elsewhere and need no script: the only style is the inline sheet below,
allowed by its hash in the Content-Security-Policy, and the chart is a PNG in a data: URL.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape

from bot.core.i18n import Language, Translator
from bot.core.record import Block, Facts, Note, PainChart, Record, Table

# The whole style sheet. Print: A4 with 15 mm margins, no buttons, no section split badly.
CSS = """
:root{color-scheme:light}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans SC",
"PingFang SC","Microsoft YaHei",sans-serif;color:#111;background:#fff;margin:0}
main{max-width:46rem;margin:0 auto;padding:1rem}
.bar{display:flex;gap:.5rem;justify-content:flex-end;flex-wrap:wrap;max-width:46rem;
margin:0 auto;padding:.75rem 1rem 0}
.bar form{margin:0}
button,.switch{font:inherit;padding:.4rem .9rem;border:1px solid #1f4e79;border-radius:.3rem;
background:#fff;color:#1f4e79;text-decoration:none;cursor:pointer}
.primary{background:#1f4e79;color:#fff;font-size:1.1rem;padding:.6rem 1.4rem}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0;overflow-wrap:anywhere}
h2{font-size:1.2rem;margin:1.6rem 0 .4rem;border-bottom:1px solid #ccc}
.notice{font-style:italic;background:#f3f6fa;border-left:4px solid #1f4e79;padding:.5rem .8rem}
dl{display:grid;grid-template-columns:minmax(8rem,14rem) 1fr;gap:.2rem 1rem;margin:.4rem 0}
dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
figure{margin:.8rem 0}img{max-width:100%;height:auto}
figcaption,.note{color:#444;font-size:.9rem}
table{border-collapse:collapse;margin:.4rem 0}
th,td{text-align:left;padding:.15rem 1.2rem .15rem 0;border-bottom:1px solid #eee}
th{color:#444;font-weight:600}
.hint{color:#444;font-size:.9rem;margin-top:2rem}
@page{size:A4;margin:15mm}
@media print{.bar,.hint{display:none}main{max-width:none;padding:0}body{font-size:11pt}
h2{break-after:avoid}figure,tr,dl>*{break-inside:avoid}}
""".strip()

CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode("ascii")
# default-src 'none' forbids scripts, frames, fonts, fetches and everything not named here.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{CSS_HASH}'; img-src data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

_HTML_LANG = {Language.EN: "en", Language.ZH: "zh-Hans"}
# Each language names itself on the switch, whatever language the page is in.
_OWN_NAME = {Language.EN: "English", Language.ZH: "中文"}


def _e(text: str) -> str:
    return escape(text, quote=True)


def _document(t: Translator, title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_HTML_LANG[t.language]}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="robots" content="noindex,nofollow,noarchive">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def landing_page(t: Translator) -> str:
    """Return the page a link opens first: no data at all, one button that asks for it."""
    others = "".join(
        f'<a class="switch" href="?lang={lang.value}" hreflang="{_HTML_LANG[lang]}"'
        f' lang="{_HTML_LANG[lang]}">{_e(_OWN_NAME[lang])}</a>'
        for lang in Language
        if lang is not t.language
    )
    title = t.gettext("A FootCare record was shared with you")
    who = t.gettext(
        "Someone shared their heel and foot pain record from FootCare, a self-care app, with"
        " you as a health professional."
    )
    what = t.gettext(
        "It is a self-reported record, not a clinical assessment. Opening it is logged for the"
        " person who shared it (the time only)."
    )
    button = t.gettext("View record")
    body = (
        f'<nav class="bar">{others}</nav><main>'
        f"<h1>{_e(title)}</h1><p>{_e(who)}</p><p>{_e(what)}</p>"
        '<form method="post">'
        f'<input type="hidden" name="lang" value="{t.language.value}">'
        f'<button class="primary" type="submit">{_e(button)}</button>'
        "</form></main>"
    )
    return _document(t, title, body)


def record_page(record: Record, visit: int, charts: dict[int, bytes]) -> str:
    """Return the record as a page; `charts` holds each PainChart's PNG by block index."""
    t = record.t
    visit_field = f'<input type="hidden" name="visit" value="{visit:d}">'
    switch = "".join(
        '<form method="post">'
        f"{visit_field}"
        f'<button type="submit" name="lang" value="{lang.value}" lang="{_HTML_LANG[lang]}">'
        f"{_e(_OWN_NAME[lang])}</button></form>"
        for lang in Language
        if lang is not t.language
    )
    pdf = t.gettext("Download PDF")
    download = (
        '<form method="post">'
        f'{visit_field}<input type="hidden" name="lang" value="{t.language.value}">'
        f'<button type="submit" name="format" value="pdf">{_e(pdf)}</button></form>'
    )
    parts = [
        f'<nav class="bar">{switch}{download}</nav><main>',
        f"<h1>{_e(record.title)}</h1>",
        f'<p class="notice">{_e(record.notice)}</p>',
        _facts(record.about),
    ]
    index = 0
    for section in record.sections:
        parts.append(f'<section class="{_e(section.key)}"><h2>{_e(section.heading)}</h2>')
        for block in section.blocks:
            parts.append(_block(block, charts.get(index)))
            index += 1
        parts.append("</section>")
    hint = t.gettext("To print, use your browser's print command: the page fits A4.")
    parts.append(f'<p class="hint">{_e(hint)}</p></main>')
    return _document(t, record.title, "".join(parts))


def chart_blocks(record: Record) -> dict[int, PainChart]:
    """Return the record's charts by block index, the numbering `record_page` uses."""
    blocks = [block for section in record.sections for block in section.blocks]
    return {n: block for n, block in enumerate(blocks) if isinstance(block, PainChart)}


def _block(block: Block, png: bytes | None) -> str:
    if isinstance(block, Facts):
        return _facts(block)
    if isinstance(block, Table):
        head = "".join(f'<th scope="col">{_e(c)}</th>' for c in block.columns)
        rows = "".join(
            "<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>" for row in block.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    if isinstance(block, PainChart):
        if png is None:
            return f'<p class="note">{_e(block.description)}</p>'
        data = base64.b64encode(png).decode("ascii")
        return (
            f'<figure><img src="data:image/png;base64,{data}" alt="{_e(block.description)}"'
            ' width="1200" height="675"></figure>'
        )
    if isinstance(block, Note):
        return f'<p class="note">{_e(block.text)}</p>'
    raise TypeError(f"no HTML for {type(block).__name__}")


def _facts(facts: Facts) -> str:
    items = "".join(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>" for label, value in facts.items)
    return f"<dl>{items}</dl>"


def _fixed(title: str, lines: tuple[str, ...]) -> bytes:
    """A page that is the same bytes for every request: both languages, nothing variable."""
    body = "".join(f"<p>{_e(line)}</p>" for line in lines)
    return _document(Translator(), title, f"<main><h1>{_e(title)}</h1>{body}</main>").encode()


# English and Chinese side by side: these pages must not depend on anything in the request.
NOT_FOUND = _fixed(
    "Not found · 未找到",
    (
        "This link is not valid: it may have expired or been withdrawn by the person who"
        " shared it.",
        "此链接无效：可能已过期，或已被分享者撤回。",
    ),
)
TOO_MANY = _fixed(
    "Too many requests · 请求过多",
    ("Please wait a minute and try again.", "请稍等一分钟再试。"),
)
TOO_LARGE = _fixed("Request too large · 请求过大", ("The request was refused.", "请求被拒绝。"))
UNAVAILABLE = _fixed(
    "Busy · 繁忙",
    ("The page could not be made just now. Please try again.", "页面暂时无法生成，请再试一次。"),
)
