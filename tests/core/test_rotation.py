"""Tests for per-user tip rotation: no repeats within a cycle, per-user order, pain preference."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.rotation import Pick, cycle_order, next_tip
from bot.core.tips import PainRange, Tip, TipSet

HIGH = PainRange(4, 10)
LOW = PainRange(0, 3)


def make_tip(tip_id: str, suits: PainRange | None = None) -> Tip:
    """Return a minimal valid tip."""
    return Tip(tip_id, "rest", {"en": f"Tip {tip_id}."}, ("rest",), "NHS", suits)


def make_set(count: int, suits: Sequence[PainRange | None] = ()) -> TipSet:
    """Return count tips named t0..tN, the first ones given the listed pain ranges."""
    ranges = list(suits) + [None] * (count - len(suits))
    return TipSet(tuple(make_tip(f"t{i}", ranges[i]) for i in range(count)))


class Reader:
    """One user's stored rotation state, updated the way the delivery code would."""

    def __init__(self, seed: str) -> None:
        self.seed = seed
        self.cycle = 0
        self.seen: list[str] = []
        self.history: list[Pick] = []

    def receive(self, tips: TipSet, recent_pain: int | None = None) -> Pick:
        pick = next_tip(tips, self.seed, self.cycle, self.seen, recent_pain)
        if pick.cycle != self.cycle:
            self.cycle, self.seen = pick.cycle, []
        self.seen.append(pick.tip.id)
        self.history.append(pick)
        return pick

    def cycles(self) -> dict[int, list[str]]:
        by_cycle: dict[int, list[str]] = {}
        for pick in self.history:
            by_cycle.setdefault(pick.cycle, []).append(pick.tip.id)
        return by_cycle


suits_strategy = st.one_of(
    st.none(),
    st.tuples(st.integers(0, 10), st.integers(0, 10)).map(lambda p: PainRange(min(p), max(p))),
)


@given(
    seed=st.text(max_size=20),
    suits=st.lists(suits_strategy, min_size=1, max_size=40),
    pains=st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=1, max_size=10),
)
def test_each_cycle_shows_every_tip_exactly_once(
    seed: str, suits: list[PainRange | None], pains: list[int | None]
) -> None:
    """For any seed, set size and changing pain, a cycle is a permutation of the set."""
    tips = make_set(len(suits), suits)
    reader = Reader(seed)
    for day in range(len(tips) * 3):
        reader.receive(tips, pains[day % len(pains)])
    cycles = reader.cycles()
    assert sorted(cycles) == [0, 1, 2]
    for ids in cycles.values():
        assert sorted(ids) == sorted(tips.ids)


@given(seed=st.text(max_size=20), count=st.integers(1, 40), cycle=st.integers(0, 10_000))
def test_new_cycle_starts_only_when_all_are_seen(seed: str, count: int, cycle: int) -> None:
    """The cycle stays put until the last tip is seen, then moves up by one."""
    tips = make_set(count)
    seen: list[str] = []
    for _ in range(count):
        pick = next_tip(tips, seed, cycle, seen)
        assert pick.cycle == cycle
        assert pick.tip.id not in seen
        seen.append(pick.tip.id)
    assert next_tip(tips, seed, cycle, seen).cycle == cycle + 1


def test_simulated_120_days_never_repeat_within_a_cycle() -> None:
    """Over 120 daily picks, several users each see every tip once per cycle, in own orders."""
    tips = make_set(24, [HIGH] * 5 + [LOW] * 5)
    pains = [None, 2, 7, None, 5, 0, 9]
    first_cycles: set[tuple[str, ...]] = set()
    for user in ("alice", "bob", "chen", "dana"):
        reader = Reader(user)
        for day in range(120):
            reader.receive(tips, pains[day % len(pains)])
        cycles = reader.cycles()
        assert sorted(cycles) == [0, 1, 2, 3, 4]
        for ids in cycles.values():
            assert sorted(ids) == sorted(tips.ids)
        first_cycles.add(tuple(cycles[0]))
    assert len(first_cycles) == 4


def test_orders_differ_between_users_and_cycles() -> None:
    """Each user gets a different order, and a user's order changes each cycle."""
    tips = make_set(30)
    orders = {user: [t.id for t in cycle_order(tips, user, 0)] for user in ("a", "b", "c", "d")}
    assert len({tuple(order) for order in orders.values()}) == 4
    assert orders["a"] != [t.id for t in cycle_order(tips, "a", 1)]


def test_without_pain_the_pick_follows_hash_order() -> None:
    """With no recent check-in, suits are ignored and the hash order decides."""
    tips = make_set(12, [HIGH, LOW, HIGH, LOW])
    reader = Reader("alice")
    for _ in range(12):
        reader.receive(tips, None)
    assert [p.tip.id for p in reader.history] == [t.id for t in cycle_order(tips, "alice", 0)]


def test_high_pain_picks_relief_tips_first() -> None:
    """At pain 7, every unseen {4..10} tip comes before any other tip."""
    tips = make_set(12, [HIGH, LOW, HIGH, LOW, HIGH])
    reader = Reader("alice")
    picks = [reader.receive(tips, 7).tip for _ in range(12)]
    assert [tip.suits for tip in picks[:3]] == [HIGH] * 3
    assert [tip.suits for tip in picks[3:10]] == [None] * 7
    assert [tip.suits for tip in picks[10:]] == [LOW] * 2


def test_pain_free_picks_low_pain_tips_first() -> None:
    """At pain 0, {0..3} tips come first, then tips with no range, {4..10} last."""
    tips = make_set(6, [HIGH, LOW, None, LOW])
    reader = Reader("bob")
    picks = [reader.receive(tips, 0).tip.suits for _ in range(6)]
    assert picks == [LOW, LOW, None, None, None, HIGH]


def test_pain_preference_never_repeats_a_seen_tip() -> None:
    """Once the suited tips are used up, high pain falls back to other unseen tips."""
    tips = make_set(3, [HIGH])
    seen = ["t0"]
    pick = next_tip(tips, "alice", 0, seen, recent_pain=9)
    assert pick.tip.id != "t0"
    assert pick.cycle == 0


def test_tip_added_mid_cycle_is_shown_within_the_cycle() -> None:
    """A tip added after the cycle began is picked before the cycle ends."""
    tips = make_set(10)
    reader = Reader("alice")
    for _ in range(5):
        reader.receive(tips)
    grown = TipSet((*tips.tips, make_tip("new-tip")))
    for _ in range(6):
        reader.receive(grown)
    assert reader.cycles() == {0: reader.cycles()[0]}
    assert sorted(reader.cycles()[0]) == sorted(grown.ids)


def test_removed_tip_is_ignored() -> None:
    """A seen id no longer in the set is ignored, and the cycle ends without it."""
    tips = make_set(4)
    seen = ["t0", "t1", "gone"]
    remaining = TipSet(tuple(t for t in tips.tips if t.id != "t2"))
    first = next_tip(remaining, "alice", 3, seen)
    assert first == Pick(make_tip("t3"), 3)
    assert next_tip(remaining, "alice", 3, [*seen, "t3"]).cycle == 4


def test_same_inputs_give_the_same_pick() -> None:
    """A pick depends only on its inputs, so a restart picks the same tip."""
    tips = make_set(20, [HIGH, LOW])
    reloaded = TipSet(tuple(reversed(make_set(20, [HIGH, LOW]).tips)))
    args = ("alice", 2, ["t5", "t9"], 6)
    assert next_tip(tips, *args) == next_tip(tips, *args)
    assert next_tip(tips, *args) == next_tip(reloaded, *args)


def test_accepts_a_plain_tuple_of_tips() -> None:
    """A tuple of tips works the same as a TipSet."""
    tips = make_set(8)
    assert next_tip(tips.tips, "alice", 0, []) == next_tip(tips, "alice", 0, [])


def test_empty_set_raises() -> None:
    """There is nothing to pick from an empty set."""
    with pytest.raises(ValueError, match="empty"):
        next_tip(TipSet(()), "alice", 0, [])
