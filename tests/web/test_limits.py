"""The client address behind trusted proxies, and the per-client rate limit."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta

from bot.clock import FakeClock
from bot.web.limits import RateLimit, client_address

PROXY = (ipaddress.ip_network("10.0.0.0/8"),)


def test_the_peer_is_the_client_when_no_proxy_is_trusted() -> None:
    assert client_address("203.0.113.7", ["198.51.100.1"], ()) == "203.0.113.7"
    assert client_address("203.0.113.7", ["198.51.100.1"], PROXY) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_last_untrusted_hop_is_the_client() -> None:
    assert client_address("10.0.0.2", ["1.1.1.1, 198.51.100.1"], PROXY) == "198.51.100.1"
    assert client_address("10.0.0.2", ["198.51.100.1, 10.0.0.9"], PROXY) == "198.51.100.1"
    assert client_address("10.0.0.2", ["198.51.100.1", "10.0.0.9"], PROXY) == "198.51.100.1"
    assert client_address("10.0.0.2", [], PROXY) == "10.0.0.2"
    assert client_address("10.0.0.2", ["not-an-address"], PROXY) == "10.0.0.2"


def test_ipv6_clients_count_by_their_64() -> None:
    assert client_address("2001:db8:1:2::5", [], ()) == "2001:db8:1:2::/64"
    assert client_address("2001:db8:1:2:ffff::9", [], ()) == "2001:db8:1:2::/64"
    assert client_address("::ffff:203.0.113.7", [], ()) == "203.0.113.7"
    assert client_address(None, [], ()) == "unknown"


def test_the_limit_is_per_client_per_window() -> None:
    clock = FakeClock(datetime(2026, 11, 24, tzinfo=UTC))
    limit = RateLimit(clock, limit=2, window=60)
    assert [limit.allow("a") for _ in range(3)] == [True, True, False]
    assert limit.allow("b")
    clock.advance(timedelta(seconds=59))
    assert not limit.allow("a")
    clock.advance(timedelta(seconds=1))
    assert limit.allow("a")


def test_memory_is_bounded_by_forgetting_the_least_recent_client() -> None:
    clock = FakeClock(datetime(2026, 11, 24, tzinfo=UTC))
    limit = RateLimit(clock, limit=1, window=60, clients=2)
    assert limit.allow("a")
    assert limit.allow("b")
    assert limit.allow("c")  # "a" is forgotten
    assert limit.allow("a")
    assert not limit.allow("c")
