"""The "where does it hurt" picture in the reader's language (drawn by bot/charts/foot.py)."""

from __future__ import annotations

from bot.core.i18n import Translator
from bot.features.outcomes import words


def site_picture(t: Translator) -> bytes:
    """Return the picture as PNG bytes, its title and labels in `t`'s language.

    matplotlib loads with the first picture, not with the process; call it off the event
    loop (asyncio.to_thread), as the other charts are.
    """
    from bot.charts.foot import SPOTS, render_site_picture  # matplotlib loads here

    labels = {site: t.gettext(words.SITE_LABELS[site]) for site in SPOTS}
    return render_site_picture(t.gettext(words.PICTURE_TITLE), labels)
