"""Choose each user's next tip: no repeats within a cycle, a per-user order, and never a tip
that does not fit the user's recent pain, nor a cold or `no-diabetes` tip for a user who did
not say they are free of diabetes."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from bot.core.tips import Tip, TipSet

# How far back a check-in still counts as "recent pain": the day itself and the six before.
# A week, so one good day after a bad week does not open the loading tips.
RECENT_PAIN_DAYS = 7


class NoSuitableTip(ValueError):
    """No tip in the set may be sent to this user (each is above their pain, loading with no
    recent pain, or kept for users without diabetes).

    A loaded TipSet cannot cause this: the loader requires at least one tip with no pain range
    that is neither loading nor kept from diabetes, which fits everyone.
    """


@dataclass(frozen=True)
class Pick:
    """The tip to send next and the cycle it belongs to (the caller stores both)."""

    tip: Tip
    cycle: int


_MASK = (1 << 64) - 1


def _digest64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


@lru_cache(maxsize=4096)
def _tip_bits(tip_id: str) -> int:
    # A tip's own 64 bits, hashed once per process rather than once per user and tip.
    return _digest64(tip_id)


def order_seed(user_seed: str, cycle: int) -> int:
    """Return the 64-bit key of one user's cycle, from which each tip's place is mixed."""
    # A hash instead of random.shuffle: the order survives restarts with no stored state
    # and differs between users and between cycles.
    return _digest64(f"{user_seed}:{cycle}")


def shuffle_key(seed: int, tip_id: str) -> int:
    """Return the sort key that places tip_id within the cycle whose `order_seed` is seed.

    The splitmix64 finaliser over the two keys: a few integer operations instead of a
    cryptographic hash per tip, because the dispatcher ranks every tip for every due user.
    """
    return _mix(seed ^ _tip_bits(tip_id))


def _mix(z: int) -> int:
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def cycle_order(tips: TipSet | Iterable[Tip], user_seed: str, cycle: int) -> list[Tip]:
    """Return the tips in this user's order for the cycle, ignoring pain."""
    items = tips.tips if isinstance(tips, TipSet) else tips
    seed = order_seed(user_seed, cycle)
    return sorted(items, key=lambda tip: (shuffle_key(seed, tip.id), tip.id))


def recent_pain_since(day: date) -> date:
    """Return the first local date whose check-in still counts as recent pain on `day`."""
    return day - timedelta(days=RECENT_PAIN_DAYS - 1)


def recent_pain(checkins: Iterable[tuple[date, int]], day: date) -> int | None:
    """Return the highest score of the RECENT_PAIN_DAYS days ending on `day`, or None.

    The highest, not the latest: a loading tip waits until the whole week was low. Check-ins
    dated after `day` are ignored, so planning a past day never looks ahead.
    """
    since = recent_pain_since(day)
    return max((score for when, score in checkins if since <= when <= day), default=None)


def allowed(tip: Tip, recent_pain: int | None, has_diabetes: bool | None) -> bool:
    """Say whether the tip may be sent at all (`Tip.may_send`)."""
    return tip.may_send(recent_pain, has_diabetes)


def _pain_rank(tip: Tip, recent_pain: int | None) -> int:
    # Among allowed tips: those made for this pain first, then tips with no range, then
    # tips meant for higher pain (a rest tip on a good day is allowed, just not preferred).
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
    *,
    has_diabetes: bool | None = None,
) -> Pick:
    """Return the next tip for this user: unseen in `cycle` and allowed, or start cycle+1.

    A tip is *allowed* when it fits `recent_pain` (the pain is not above its range; with no
    recent pain, it is not a loading tip) and, if it is cold or tagged `no-diabetes`, the user
    said they do not have diabetes (`has_diabetes is False`; None is not enough). A tip that
    is not allowed is never returned, whatever else holds.

    The cycle: `seen` holds the ids already sent in `cycle`; ids no longer in the set are
    ignored and tips added since the cycle began are simply unseen. The next tip is the best
    unseen allowed tip. When there is none (every unseen tip is above the pain, or all were
    seen), cycle+1 begins and the pick is the best allowed tip of the whole set. Decision:
    tips skipped for pain are not counted as seen, they just wait; when the pain comes down
    they are unseen and allowed again in whatever cycle is running. This keeps both promises:
    a tip repeats only in a new cycle (never within one), and the rotation never stalls on a
    user whose pain keeps some tips out: once their allowed tips are used up, a new cycle
    starts. Tips kept from a user who may have diabetes are left out of every cycle likewise.

    "Best": tips whose range contains the pain first, then tips with no range, then tips for
    higher pain; the per-user hash order decides within each group, and alone when
    `recent_pain` is None.

    Raises NoSuitableTip when no tip in the set is allowed (a loaded TipSet always has one).
    """
    if isinstance(tips, TipSet):
        if not tips.tips:
            raise ValueError("cannot pick a tip from an empty set")
        # Filtered once per (pain, answer) and kept: the dispatcher picks for every due user.
        candidates: Collection[Tip] = tips.sendable(recent_pain, has_diabetes)
    else:
        items = tuple(tips)
        if not items:
            raise ValueError("cannot pick a tip from an empty set")
        candidates = [tip for tip in items if allowed(tip, recent_pain, has_diabetes)]
    if not candidates:
        raise NoSuitableTip(f"no tip may be sent at pain {recent_pain}")
    seen_ids = frozenset(seen)
    unseen = [tip for tip in candidates if tip.id not in seen_ids]
    if not unseen:
        cycle += 1
        unseen = list(candidates)
    # min() over tuples instead of a full sort or a key function: only the first tip is
    # needed, and the dispatcher picks one for every due user. Ids are unique, so the tuples
    # never compare tips themselves.
    seed = order_seed(user_seed, cycle)
    if recent_pain is None:
        *_, tip = min((_mix(seed ^ _tip_bits(t.id)), t.id, t) for t in unseen)
    else:
        ranked = (
            (_pain_rank(t, recent_pain), _mix(seed ^ _tip_bits(t.id)), t.id, t) for t in unseen
        )
        *_, tip = min(ranked)
    return Pick(tip, cycle)
