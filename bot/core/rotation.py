"""Choose each user's next tip: every tip once per cycle, in a per-user order, pain-aware."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from bot.core.tips import Tip, TipSet


@dataclass(frozen=True)
class Pick:
    """The tip to send next and the cycle it belongs to (the caller stores both)."""

    tip: Tip
    cycle: int


def shuffle_key(user_seed: str, cycle: int, tip_id: str) -> str:
    """Return the sort key that places tip_id within this user's cycle."""
    # A hash instead of random.shuffle: the order survives restarts with no stored state
    # and differs between users and between cycles.
    return hashlib.sha256(f"{user_seed}:{cycle}:{tip_id}".encode()).hexdigest()


def cycle_order(tips: TipSet | Iterable[Tip], user_seed: str, cycle: int) -> list[Tip]:
    """Return the tips in this user's order for the cycle, ignoring pain."""
    items = tips.tips if isinstance(tips, TipSet) else tips
    return sorted(items, key=lambda tip: (shuffle_key(user_seed, cycle, tip.id), tip.id))


def _pain_rank(tip: Tip, recent_pain: int | None) -> int:
    if recent_pain is None:
        return 0
    if tip.suits is None:
        return 1
    return 0 if tip.suits.contains(recent_pain) else 2


def next_tip(
    tips: TipSet | Iterable[Tip],
    user_seed: str,
    cycle: int,
    seen: Collection[str],
    recent_pain: int | None = None,
) -> Pick:
    """Return the next unseen tip of the cycle, starting cycle+1 once all are seen.

    `seen` holds the ids already sent in `cycle`; ids no longer in the set are ignored, and
    tips added since the cycle began are simply unseen. Among the unseen tips, those suited
    to `recent_pain` come first, then tips with no pain range, then the rest; the per-user
    hash order decides within each group, and alone when `recent_pain` is None.
    """
    items = tuple(tips.tips if isinstance(tips, TipSet) else tips)
    if not items:
        raise ValueError("cannot pick a tip from an empty set")
    seen_ids = frozenset(seen)
    unseen = [tip for tip in items if tip.id not in seen_ids]
    if not unseen:
        cycle += 1
        unseen = list(items)
    # min() instead of a full sort: only the first tip is needed, so a pick is O(n).
    tip = min(
        unseen,
        key=lambda t: (_pain_rank(t, recent_pain), shuffle_key(user_seed, cycle, t.id), t.id),
    )
    return Pick(tip, cycle)
