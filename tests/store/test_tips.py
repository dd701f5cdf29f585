"""The rotation's memory: tips given per cycle, and the user's cycle moving with them."""

from __future__ import annotations

from datetime import timedelta

from bot.store import Store, TipRecord
from tests.store.conftest import DAY, due_user


async def test_record_moves_the_cycle_forward_only(store: Store) -> None:
    """A tip of a later cycle moves the user's cycle; an earlier one does not move it back."""
    await due_user(store)
    await store.tips.record(1, TipRecord("a", 0, DAY))
    await store.tips.record(1, TipRecord("b", 1, DAY + timedelta(days=1)))
    await store.tips.record(1, TipRecord("c", 0, DAY + timedelta(days=2)))
    user = await store.users.get(1)
    assert user is not None
    assert user.tip_cycle == 1
    assert await store.tips.seen(1, 0) == {"a", "c"}
    assert await store.tips.seen(1, 1) == {"b"}
    assert await store.tips.seen(1, 2) == set()


async def test_history_in_the_order_given(store: Store) -> None:
    """History is oldest first; the same tip twice in one cycle is kept once."""
    await due_user(store)
    first = TipRecord("z", 0, DAY)
    second = TipRecord("a", 0, DAY + timedelta(days=1))
    await store.tips.record(1, first)
    await store.tips.record(1, second)
    await store.tips.record(1, TipRecord("z", 0, DAY + timedelta(days=2)))
    assert await store.tips.history(1) == [first, second]
