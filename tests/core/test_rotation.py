"""Tests for per-user tip rotation: no repeats within a cycle, per-user order, the pain filter
(a tip made for lower pain is never chosen, a loading tip waits for a check-in), and cold or
`no-diabetes` tips only for users who said they do not have diabetes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.rotation import (
    NoSuitableTip,
    Pick,
    cycle_order,
    next_tip,
    recent_pain,
    recent_pain_since,
)
from bot.core.tips import COLD_TAG, NO_DIABETES_TAG, PainRange, Source, Tip, TipSet

HIGH = PainRange(4, 10)
LOW = PainRange(0, 3)


NHS = Source("NHS", "https://www.nhs.uk/")


def make_tip(
    tip_id: str,
    suits: PainRange | None = None,
    *,
    cold: bool = False,
    no_diabetes: bool = False,
    loading: bool = False,
) -> Tip:
    """Return a minimal valid tip, tagged `cold`, `no-diabetes` or `running` when asked."""
    tags = ("running",) if loading else ("rest",)
    tags += (COLD_TAG,) * cold + (NO_DIABETES_TAG,) * no_diabetes
    return Tip(tip_id, "rest", {"en": f"Tip {tip_id}."}, tags, NHS, suits)


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

    def receive(
        self, tips: TipSet, recent_pain: int | None = None, *, has_diabetes: bool | None = None
    ) -> Pick:
        pick = next_tip(
            tips, self.seed, self.cycle, self.seen, recent_pain, has_diabetes=has_diabetes
        )
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
    pains=st.lists(st.sampled_from([None, 0]), min_size=1, max_size=10),
)
def test_each_cycle_shows_every_tip_exactly_once(
    seed: str, suits: list[PainRange | None], pains: list[int | None]
) -> None:
    """While no tip is filtered out (no pain, or 0), every cycle is a permutation of the set."""
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
    """Over 120 daily picks with changing pain, several users each see no tip twice in a cycle,
    never a tip made for lower pain, and their own order; a cycle ends only when no unseen tip
    fits the pain of that day."""
    tips = make_set(24, [HIGH] * 5 + [LOW] * 5)
    pains = [None, 2, 7, None, 5, 0, 9]
    first_cycles: set[tuple[str, ...]] = set()
    for user in ("alice", "bob", "chen", "dana"):
        reader = Reader(user)
        for day in range(120):
            pain = pains[day % len(pains)]
            before = (reader.cycle, set(reader.seen))
            pick = reader.receive(tips, pain)
            assert pick.tip.fits(pain)
            if pick.cycle != before[0]:
                unseen = [t for t in tips.tips if t.id not in before[1]]
                assert not any(t.fits(pain) for t in unseen), "a cycle ended with a tip to give"
        cycles = reader.cycles()
        assert len(cycles) >= 4
        for ids in cycles.values():
            assert len(ids) == len(set(ids)), "a tip repeated within a cycle"
            # Only the low-pain tips can be skipped, and only on a painful day.
            assert set(tips.ids) - set(ids) <= {t.id for t in tips.tips if t.suits == LOW}
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


def test_high_pain_picks_relief_tips_first_and_never_low_pain_tips() -> None:
    """At pain 7, the {4..10} tips come first, then tips with no range, and the {0..3} tips
    never: once the rest are seen, a new cycle starts instead of reaching for them."""
    tips = make_set(12, [HIGH, LOW, HIGH, LOW, HIGH])
    reader = Reader("alice")
    picks = [reader.receive(tips, 7) for _ in range(13)]
    assert [p.tip.suits for p in picks[:3]] == [HIGH] * 3
    assert [p.tip.suits for p in picks[3:10]] == [None] * 7
    assert [p.cycle for p in picks[:10]] == [0] * 10
    assert picks[10].cycle == 1
    assert [p.tip.suits for p in picks[10:]] == [HIGH] * 3
    assert LOW not in {p.tip.suits for p in picks}


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


# --- The pain filter and the diabetes rule, as properties -----------------------------------

pains_strategy = st.one_of(st.none(), st.integers(0, 10))


@st.composite
def tip_sets(draw: st.DrawFn) -> TipSet:
    """A random set of 1-30 tips with random ranges (or none), some cold, some kept from
    diabetes, some loading."""
    count = draw(st.integers(1, 30))
    return TipSet(
        tuple(
            make_tip(
                f"t{i}",
                draw(suits_strategy),
                cold=draw(st.booleans()),
                no_diabetes=draw(st.booleans()),
                loading=draw(st.booleans()),
            )
            for i in range(count)
        )
    )


diabetes_strategy = st.sampled_from([None, False, True])


def above_its_range(tip: Tip, pain: int | None) -> bool:
    """Say whether pain is above the tip's range (the tip was made for lower pain)."""
    return pain is not None and tip.suits is not None and pain > tip.suits.max


def sendable(tip: Tip, pain: int | None, has_diabetes: bool | None) -> bool:
    """The rule, written out independently of bot.core: not above its range, no running tip
    without a recent check-in, and a cold or no-diabetes tip only to a user who said no."""
    if above_its_range(tip, pain) or (pain is None and "running" in tip.tags):
        return False
    kept = COLD_TAG in tip.tags or NO_DIABETES_TAG in tip.tags
    return not kept or has_diabetes is False


@given(
    tips=tip_sets(),
    seed=st.text(max_size=10),
    cycle=st.integers(0, 1000),
    seen_mask=st.lists(st.booleans(), max_size=30),
    pain=pains_strategy,
    has_diabetes=diabetes_strategy,
)
def test_a_pick_is_never_above_its_range_nor_cold_with_diabetes(
    tips: TipSet,
    seed: str,
    cycle: int,
    seen_mask: list[bool],
    pain: int | None,
    has_diabetes: bool | None,
) -> None:
    """Whatever the set, the seen ids, the cycle, the pain and the diabetes answer: the tip
    chosen may be sent (not above its range, not loading without a check-in, not cold or
    no-diabetes unless the user said no), is unseen if the cycle stays, and a new cycle starts
    only when no unseen tip may be sent. A plain tuple of the same tips picks the same."""
    seen = [tip.id for tip, hit in zip(tips.tips, seen_mask, strict=False) if hit]
    may_send = [t for t in tips.tips if sendable(t, pain, has_diabetes)]
    if not may_send:
        with pytest.raises(NoSuitableTip):
            next_tip(tips, seed, cycle, seen, pain, has_diabetes=has_diabetes)
        return
    pick = next_tip(tips, seed, cycle, seen, pain, has_diabetes=has_diabetes)
    assert sendable(pick.tip, pain, has_diabetes)
    assert pick == next_tip(tips.tips, seed, cycle, seen, pain, has_diabetes=has_diabetes)
    if pick.cycle == cycle:
        assert pick.tip.id not in seen
    else:
        assert pick.cycle == cycle + 1
        assert all(t.id in seen for t in may_send)


@given(
    tips=tip_sets(),
    seed=st.text(max_size=10),
    pains=st.lists(pains_strategy, min_size=1, max_size=60),
    has_diabetes=diabetes_strategy,
)
def test_day_after_day_no_repeat_within_a_cycle_and_never_stuck(
    tips: TipSet, seed: str, pains: list[int | None], has_diabetes: bool | None
) -> None:
    """Over a run of days with changing pain: every pick may be sent that day, no tip repeats
    within a cycle, and whenever a cycle ends no unseen tip could have been sent that day."""
    reader = Reader(seed)
    for pain in pains:
        if not any(sendable(t, pain, has_diabetes) for t in tips.tips):
            continue  # nothing may be sent at this pain; the loader rules out such a set
        cycle, seen = reader.cycle, set(reader.seen)
        pick = reader.receive(tips, pain, has_diabetes=has_diabetes)
        assert sendable(pick.tip, pain, has_diabetes)
        if pick.cycle == cycle:
            assert pick.tip.id not in seen
        else:
            assert pick.cycle == cycle + 1
            assert all(t.id in seen for t in tips.tips if sendable(t, pain, has_diabetes))
    for ids in reader.cycles().values():
        assert len(ids) == len(set(ids))


def test_diabetes_user_never_gets_a_cold_tip() -> None:
    """Cold tips are left out for a user with diabetes and sent to a user who said no."""
    tips = TipSet((make_tip("ice", HIGH, cold=True), make_tip("rest", HIGH), make_tip("shoes")))
    with_diabetes, without = Reader("alice"), Reader("alice")
    for _ in range(10):
        with_diabetes.receive(tips, 8, has_diabetes=True)
        without.receive(tips, 8, has_diabetes=False)
    assert "ice" not in {p.tip.id for p in with_diabetes.history}
    assert "ice" in {p.tip.id for p in without.history}
    # Two tips per cycle for the user with diabetes: the cold one does not hold a cycle open.
    assert {len(ids) for ids in with_diabetes.cycles().values()} == {2}


@pytest.mark.parametrize("tag", ["cold", "no_diabetes"])
def test_a_user_who_skipped_the_diabetes_question_gets_no_cold_or_no_diabetes_tip(
    tag: str,
) -> None:
    """No answer may hide diabetes: over many cycles, a cold or no-diabetes tip never comes."""
    kept = make_tip("kept", **{tag: True})
    tips = TipSet((kept, make_tip("rest", HIGH), make_tip("shoes")))
    reader = Reader("alice")
    for day in range(12):
        reader.receive(tips, [None, 2, 8][day % 3], has_diabetes=None)
    assert "kept" not in {p.tip.id for p in reader.history}
    assert len(reader.cycles()) >= 5


def test_only_a_no_to_diabetes_opens_the_kept_tips() -> None:
    """The answer decides: no -> the cold and no-diabetes tips may come; yes or none -> not."""
    tips = TipSet((make_tip("ice", cold=True), make_tip("infection", no_diabetes=True)))
    for answer in (None, True):
        with pytest.raises(NoSuitableTip):
            next_tip(tips, "alice", 0, [], None, has_diabetes=answer)
    picks = {
        next_tip(tips, "alice", 0, seen, None, has_diabetes=False).tip.id
        for seen in ([], ["ice"], ["infection"])
    }
    assert picks == {"ice", "infection"}


def test_loading_tips_wait_for_a_recent_check_in() -> None:
    """With no check-in in the window a loading tip is never picked, however many cycles go
    by; a recent low score lets it through, and a high one keeps it out."""
    run = make_tip("run", LOW, loading=True)
    tips = TipSet((run, make_tip("rest"), make_tip("shoes")))
    reader = Reader("alice")
    for _ in range(9):
        reader.receive(tips, None)
    assert "run" not in {p.tip.id for p in reader.history}
    assert next_tip(tips, "alice", 0, [], 2).tip.id == "run"
    assert next_tip(tips, "alice", 0, [], 4).tip.id != "run"
    assert not run.fits(None)
    assert make_tip("rest-tip", HIGH).fits(None)


def test_skipped_tips_are_not_counted_as_seen() -> None:
    """A low-pain tip skipped on painful days is still unseen when the pain comes down."""
    tips = make_set(3, [LOW])
    reader = Reader("alice")
    reader.receive(tips, 8)
    reader.receive(tips, 8)
    assert "t0" not in reader.seen
    pick = reader.receive(tips, 1)
    assert pick == Pick(tips.tips[0], 0)


def test_nothing_to_send_raises() -> None:
    """If every tip is above the pain, nothing may be sent: say so rather than pick one."""
    tips = make_set(3, [LOW, LOW, LOW])
    with pytest.raises(NoSuitableTip):
        next_tip(tips, "alice", 0, [], 9)
    with pytest.raises(NoSuitableTip):
        next_tip(TipSet((make_tip("ice", cold=True),)), "alice", 0, [], None, has_diabetes=True)


def test_the_range_maximum_is_allowed_and_one_above_is_not() -> None:
    """The filter is inclusive: pain 3 may get a {0..3} tip, pain 4 may not."""
    tips = make_set(2, [LOW])
    assert next_tip(tips, "alice", 0, ["t1"], 3).tip.id == "t0"
    assert next_tip(tips, "alice", 0, ["t1"], 4) == Pick(tips.tips[1], 1)


# --- Recent pain: the highest check-in of the day and the six before --------------------------

DAY = date(2025, 3, 10)


def test_recent_pain_is_the_highest_score_of_the_last_seven_days() -> None:
    """A bad day earlier in the week outweighs a good one today; any day of the seven counts."""
    assert recent_pain([(DAY - timedelta(days=6), 8), (DAY, 1)], DAY) == 8
    assert recent_pain([(DAY - timedelta(days=2), 2), (DAY - timedelta(days=1), 6)], DAY) == 6
    assert recent_pain([(DAY - timedelta(days=5), 3)], DAY) == 3
    assert recent_pain([(DAY, 7)], DAY) == 7


def test_older_or_later_check_ins_do_not_count() -> None:
    """Seven days back is too old; a check-in dated after the day is ignored."""
    assert recent_pain([(DAY - timedelta(days=7), 9)], DAY) is None
    assert recent_pain([(DAY - timedelta(days=7), 9), (DAY, 2)], DAY) == 2
    assert recent_pain([(DAY + timedelta(days=1), 9)], DAY) is None
    assert recent_pain([], DAY) is None
    assert recent_pain_since(DAY) == DAY - timedelta(days=6)
