"""Foot-care tips as frozen values: one tip, its source, its optional pain range, the set, and
who may be sent a tip: its pain range, whether it adds load, and whether it suits diabetes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

DEFAULT_LANG = "en"

# A tip tagged `cold` uses ice or cold (packs, frozen peas, a cold can). Only users who said they
# do not have diabetes get these: reduced sensation can hide a cold burn, and a user who skipped
# the question may have diabetes (docs/clinical/tips.md).
COLD_TAG = "cold"
# A tip tagged `no-diabetes` says something too weak or wrong for a foot with diabetes (the
# general infection tip: with diabetes a hot, red, swollen foot is urgent). Sent to the same
# users as cold tips; a tip worded for diabetes says the rest.
NO_DIABETES_TAG = "no-diabetes"
# A tip with any of these as a tag or as its topic asks the foot to take more load: it must say
# which pain it is for (`suits`), and it waits until a recent check-in shows that pain.
LOADING = frozenset(
    {"running", "jumping", "strengthening", "heel-raises", "loading", "return-to-sport"}
)


@dataclass(frozen=True)
class Source:
    """The page a tip comes from: a human title and the URL of the page that says it."""

    title: str
    url: str

    @property
    def label(self) -> str:
        """Return the source as shown under a tip: `Title - URL`."""
        return f"{self.title} - {self.url}"

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class PainRange:
    """An inclusive range of pain scores (0-10) a tip is most useful for."""

    min: int
    max: int

    def __post_init__(self) -> None:
        if not 0 <= self.min <= self.max <= 10:
            raise ValueError(f"pain range must satisfy 0 <= min <= max <= 10, got {self}")

    def contains(self, score: int) -> bool:
        """Return whether score lies within the range, ends included."""
        return self.min <= score <= self.max


@dataclass(frozen=True)
class Tip:
    """One short, sourced tip with its text in one or more languages."""

    id: str
    topic: str
    # Excluded from the hash because a mapping is not hashable; equality still compares it.
    text: Mapping[str, str] = field(hash=False)
    tags: tuple[str, ...]
    source: Source
    suits: PainRange | None = None

    def __post_init__(self) -> None:
        if DEFAULT_LANG not in self.text:
            raise ValueError(f"tip {self.id!r} has no {DEFAULT_LANG!r} text")
        # Copy into a read-only view so the caller's dict cannot change a frozen tip later.
        object.__setattr__(self, "text", MappingProxyType(dict(self.text)))
        object.__setattr__(self, "tags", tuple(self.tags))

    def text_for(self, lang: str = DEFAULT_LANG) -> str:
        """Return the text in lang, or the English text when lang is missing."""
        return self.text.get(lang) or self.text[DEFAULT_LANG]

    @property
    def is_cold(self) -> bool:
        """Say whether the tip uses ice or cold (tagged `cold`)."""
        return COLD_TAG in self.tags

    @property
    def is_loading(self) -> bool:
        """Say whether the tip asks the foot to take more load (a LOADING tag or topic)."""
        return self.topic in LOADING or not LOADING.isdisjoint(self.tags)

    @property
    def only_without_diabetes(self) -> bool:
        """Say whether only users who said they do not have diabetes may get the tip."""
        return self.is_cold or NO_DIABETES_TAG in self.tags

    def fits(self, recent_pain: int | None) -> bool:
        """Say whether the tip may be sent at this recent pain: not when it is above the range.

        A tip with no range fits every known pain; a range whose minimum is above the pain
        still fits (a rest tip on a good day does no harm). With no recent pain, a loading tip
        does not fit (nothing shows the foot is ready for more load) and every other tip does.
        """
        if recent_pain is None:
            return not self.is_loading
        return self.suits is None or recent_pain <= self.suits.max

    def may_send(self, recent_pain: int | None, has_diabetes: bool | None) -> bool:
        """Say whether the tip may be sent to a user with this recent pain and diabetes answer.

        It must fit the pain, and a cold or `no-diabetes` tip goes only to a user who said
        they do not have diabetes (`has_diabetes is False`): None, a skipped question, may
        hide diabetes.
        """
        return self.fits(recent_pain) and (has_diabetes is False or not self.only_without_diabetes)


@dataclass(frozen=True)
class TipSet:
    """Every tip the bot can send, in file order, with ids unique."""

    tips: tuple[Tip, ...]
    _by_id: Mapping[str, Tip] = field(init=False, repr=False, compare=False, hash=False)
    # What `sendable` returned per (recent pain, diabetes answer): at most 12 x 3 entries.
    _sendable: dict[tuple[int | None, bool | None], tuple[Tip, ...]] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "tips", tuple(self.tips))
        index: dict[str, Tip] = {}
        for tip in self.tips:
            if tip.id in index:
                raise ValueError(f"duplicate tip id {tip.id!r}")
            index[tip.id] = tip
        object.__setattr__(self, "_by_id", MappingProxyType(index))
        object.__setattr__(self, "_sendable", {})

    def __len__(self) -> int:
        return len(self.tips)

    def sendable(self, recent_pain: int | None, has_diabetes: bool | None) -> tuple[Tip, ...]:
        """Return the tips that may be sent at this pain and diabetes answer, in file order.

        Kept per pair because the dispatcher asks for every due user and few pairs exist.
        """
        key = (recent_pain, has_diabetes)
        found = self._sendable.get(key)
        if found is None:
            found = tuple(tip for tip in self.tips if tip.may_send(recent_pain, has_diabetes))
            self._sendable[key] = found
        return found

    def by_id(self, tip_id: str) -> Tip | None:
        """Return the tip with this id, or None if the set has none."""
        return self._by_id.get(tip_id)

    @property
    def ids(self) -> tuple[str, ...]:
        """Return every tip id in file order."""
        return tuple(tip.id for tip in self.tips)

    def topics(self) -> dict[str, list[Tip]]:
        """Return the tips grouped by topic, topics and tips both in file order."""
        groups: dict[str, list[Tip]] = {}
        for tip in self.tips:
            groups.setdefault(tip.topic, []).append(tip)
        return groups
