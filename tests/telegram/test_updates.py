"""The update processor: users side by side, each user's updates in arrival order."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from bot.telegram.updates import PerUserUpdateProcessor


def update(update_id: int, user_id: int) -> Update:
    """Build a text message update from one user."""
    user = User(user_id, "U", is_bot=False)
    message = Message(
        update_id, datetime(2026, 11, 24, tzinfo=UTC), Chat(user_id, "private"), from_user=user
    )
    return Update(update_id, message=message)


async def test_one_users_updates_keep_their_order() -> None:
    """A slow first update of a user finishes before that user's fast second one starts."""
    processor = PerUserUpdateProcessor()
    order: list[str] = []

    async def handle(name: str, delay: float) -> None:
        order.append(f"start {name}")
        await asyncio.sleep(delay)
        order.append(f"end {name}")

    async with processor:
        await asyncio.gather(
            processor.process_update(update(1, 7), handle("a", 0.05)),
            processor.process_update(update(2, 7), handle("b", 0)),
        )
    assert order == ["start a", "end a", "start b", "end b"]


async def test_different_users_run_side_by_side() -> None:
    """A slow update of one user does not hold up another user's update."""
    processor = PerUserUpdateProcessor()
    order: list[str] = []

    async def handle(name: str, delay: float) -> None:
        order.append(f"start {name}")
        await asyncio.sleep(delay)
        order.append(f"end {name}")

    async with processor:
        await asyncio.gather(
            processor.process_update(update(1, 7), handle("slow", 0.05)),
            processor.process_update(update(2, 8), handle("fast", 0)),
        )
    assert order.index("end fast") < order.index("end slow")
