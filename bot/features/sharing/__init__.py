"""Sharing the record with a clinician (issue 24): links, the opening log, the record shown.

`service` holds the capability (`Sharing`), `sections` what the record shows, one function a
section, and `tokens` the link secrets. The web page and the PDF that draw the record are
adapters (`bot/web/`, `bot/charts/record_pdf.py`).
"""

from bot.features.sharing.service import (
    MAX_LIVE_LINKS,
    Duration,
    NewLink,
    Refusal,
    Sharing,
    Visit,
    clean_name,
)

__all__ = ["MAX_LIVE_LINKS", "Duration", "NewLink", "Refusal", "Sharing", "Visit", "clean_name"]
