"""The web adapter: the share listener that shows a shared record to a clinician (issue 24).

`server` is the aiohttp listener (routes, privacy headers, limits), `page` the HTML, `limits`
the client address and rate limit. The record itself comes from `bot.features.sharing`.
"""
