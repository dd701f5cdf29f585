"""What Telegram shows about the bot before anyone writes to it, in English and Chinese.

The description fills the empty chat above the Start button; the short description is on the
bot's profile and next to a shared link. Both are set at start for the default language
(English) and for `zh` clients, only where Telegram's copy differs from ours, so a restart
costs four reads and no write. `t.me/<bot>?start=zh` (or `=en`) picks the language at /start
(`deep_link_language`).
"""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError

from bot.core.i18n import N_, Catalogs, Language

log = logging.getLogger(__name__)

# Telegram allows 512 characters here and 120 in the short one (checked by a test).
DESCRIPTION = N_(
    "FootCare helps adults with heel and foot pain from exercise, such as plantar fasciitis "
    "and Achilles pain. Every day, at a time you choose, it sends one short self-care tip "
    "with its source and asks how your pain is from 0 to 10. If the pain stays high, gets "
    "worse or a warning sign appears, it tells you plainly to get it checked. It is not "
    "medical advice and cannot diagnose you. Tap Start to begin."
)
SHORT_DESCRIPTION = N_(
    "A daily self-care tip and a 0-10 pain check-in for heel and foot pain from exercise."
)
# The default description, and the one for clients set to Chinese.
LANGUAGES = ((None, Language.EN), (Language.ZH.value, Language.ZH))


def deep_link_language(args: list[str] | None) -> Language | None:
    """Return the language a `?start=zh` or `?start=en` link names, else None."""
    if not args or len(args) != 1:
        return None
    try:
        return Language(args[0].lower())
    except ValueError:
        return None  # some other start parameter: ignored


async def introduce(bot: Bot, catalogs: Catalogs) -> int:
    """Set the description and short description where Telegram's differ; return how many
    were set. Like the command menu, a convenience: a failure is a WARNING, not a stop."""
    changed = 0
    try:
        for code, language in LANGUAGES:
            t = catalogs[language]
            description = t.gettext(DESCRIPTION)
            current = await bot.get_my_description(language_code=code)
            if current.description != description:
                await bot.set_my_description(description, language_code=code)
                changed += 1
            short = t.gettext(SHORT_DESCRIPTION)
            current_short = await bot.get_my_short_description(language_code=code)
            if current_short.short_description != short:
                await bot.set_my_short_description(short, language_code=code)
                changed += 1
    except TelegramError as exc:
        log.warning("Could not set the bot's description: %s", exc)
    if changed:
        log.info("Set %d of the bot's descriptions", changed)
    return changed
