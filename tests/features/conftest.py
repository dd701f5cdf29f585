"""Fixtures for feature tests: a real SQLite file, the fake clock, and onboarded users."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.features.subscription import Subscription
from bot.store import Store
from bot.store.users import User


@pytest.fixture
async def store(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Store]:
    """A migrated database in a temp dir."""
    opened = await Store.open(tmp_path / "footcare.db", clock)
    yield opened
    await opened.close()


async def onboard(
    store: Store, clock: FakeClock, user_id: int = 1, zone: str = "Europe/London", at: str = "09:00"
) -> User:
    """Subscribe a user through the Subscription feature, as /start and its buttons would."""
    subscription = Subscription(store, clock)
    await subscription.start(user_id, user_id, "Sam", "en")
    await subscription.set_timezone(user_id, zone)
    await subscription.set_time(user_id, at)
    user = await store.users.get(user_id)
    assert user is not None
    return user
