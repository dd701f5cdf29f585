"""Helpers for feature tests: onboarded users (the `store` fixture is in tests/conftest.py)."""

from __future__ import annotations

from bot.clock import FakeClock
from bot.core.states import Awaiting
from bot.features.subscription import Subscription
from bot.store import Store, UserPatch
from bot.store.users import User


async def onboard(
    store: Store, clock: FakeClock, user_id: int = 1, zone: str = "Europe/London", at: str = "09:00"
) -> User:
    """Subscribe a user through the Subscription feature, as /start and its buttons would."""
    subscription = Subscription(store, clock)
    await subscription.start(user_id, user_id, "Sam", "en")
    await subscription.set_timezone(user_id, zone)
    # The country and pain-duration steps are the Preferences' and the buttons'; a user who
    # skips them goes on to the time as the buttons would take them.
    await store.users.update(user_id, UserPatch(awaiting=Awaiting.TIME))
    await subscription.set_time(user_id, at)
    user = await store.users.get(user_id)
    assert user is not None
    return user
