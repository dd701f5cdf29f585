"""Escalations as stored: the rule, the scores that triggered it, the reason, counts by rule."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from bot.store import Store, StoredEscalation
from tests.store.conftest import DAY, START, due_user


async def test_add_and_read_back(store: Store) -> None:
    """An escalation keeps its scores (as ISO date, score) and reason, oldest first."""
    await due_user(store)
    scores = [(DAY - timedelta(days=1), 7), (DAY, 8)]
    await store.escalations.add(1, "severe", "soon", DAY, scores, "Pain of 7 or more")
    await store.escalations.add(1, "diabetes", "prompt", DAY, [(DAY, 5)])
    assert await store.escalations.for_user(1) == [
        StoredEscalation(
            "severe",
            "soon",
            DAY,
            [("2026-11-23", 7), ("2026-11-24", 8)],
            START.timestamp(),
            "Pain of 7 or more",
        ),
        StoredEscalation("diabetes", "prompt", DAY, [("2026-11-24", 5)], START.timestamp()),
    ]
    assert await store.escalations.for_user(2) == []


async def test_counts_since(store: Store, clock: FakeClock) -> None:
    """Counts per rule include only escalations at or after the instant."""
    await due_user(store)
    await store.escalations.add(1, "severe", "soon", DAY, [(DAY, 8)])
    clock.advance(timedelta(days=10))
    await store.escalations.add(1, "severe", "soon", DAY, [(DAY, 8)])
    await store.escalations.add(1, "persistent", "routine", DAY, [(DAY, 5)])
    assert await store.escalations.counts_since(clock.now() - timedelta(days=7)) == {
        "severe": 1,
        "persistent": 1,
    }
    assert await store.escalations.counts_since(START) == {"severe": 2, "persistent": 1}
