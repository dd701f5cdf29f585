"""Who is asking and how often: the client address behind a trusted proxy, and a rate limit.

The address is the socket's peer unless that peer is a proxy named in SHARE_TRUSTED_PROXIES;
then it is the right-most address in X-Forwarded-For that is not itself a trusted proxy (the
one the nearest trusted proxy saw). Anything before that in the header was written by the
client and is not believed. IPv6 clients are counted by their /64, which one machine usually
holds whole.
"""

from __future__ import annotations

import ipaddress
from collections import OrderedDict
from collections.abc import Sequence

from bot.clock import Clock
from bot.settings import IPNetwork

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(
    peer: str | None, forwarded_for: Sequence[str], trusted: Sequence[IPNetwork]
) -> str:
    """Return the key the rate limit counts a request under."""
    address = _parse(peer or "")
    if address is None:
        return "unknown"
    if trusted and any(address in network for network in trusted):
        hops = [hop for header in forwarded_for for hop in header.split(",")]
        for hop in reversed(hops):
            parsed = _parse(hop)
            if parsed is None:
                break  # a garbled header: fall back on the proxy's own address
            address = parsed
            if not any(parsed in network for network in trusted):
                break
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


class RateLimit:
    """At most `limit` requests per client in each `window` seconds of the injected clock.

    Fixed windows per client, remembered for at most `clients` clients (the least recently
    seen are forgotten first), so a flood of addresses cannot grow memory without bound.
    """

    def __init__(
        self, clock: Clock, *, limit: int = 30, window: float = 60.0, clients: int = 10_000
    ) -> None:
        self._clock = clock
        self._limit = limit
        self._window = window
        self._clients = clients
        self._seen: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def allow(self, client: str) -> bool:
        """Count one request from client; say whether it is within the limit."""
        now = self._clock.now().timestamp()
        started, count = self._seen.pop(client, (now, 0))
        if now - started >= self._window or now < started:
            started, count = now, 0
        count += 1
        self._seen[client] = (started, count)
        while len(self._seen) > self._clients:
            self._seen.popitem(last=False)
        return count <= self._limit
