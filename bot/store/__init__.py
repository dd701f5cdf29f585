"""SQLite persistence: the source of truth for users, schedules, check-ins and the outbox.

`Store` opens the one connection (`bot.store.base.Database`) and holds one repository per
aggregate: `users`, `diary`, `tips`, `escalations`, `outbox`, `broadcasts`, `stats`, `inbox`
(updates from Telegram until handled), `shares` (links to a clinician's view) and `daily` (the
daily commit, the one transaction that spans aggregates). Every SQL statement of
the bot lives in this package, all parameterised.
"""

from __future__ import annotations

from pathlib import Path

from bot.clock import Clock
from bot.store.base import Database, StorageFault, StorageUnavailable
from bot.store.broadcasts import Broadcast, BroadcastCounts, Broadcasts
from bot.store.daily import Daily, DailyFacts
from bot.store.diary import Diary
from bot.store.escalations import Escalations, StoredEscalation
from bot.store.inbox import Arrival, Inbox, Unhandled
from bot.store.outbox import NewMessage, Outbox, OutboxRow
from bot.store.outcomes import Outcomes
from bot.store.shares import LiveShare, ShareLink, Shares
from bot.store.stats import Stats
from bot.store.tips import TipRecord, Tips
from bot.store.users import UNSET, Unset, User, UserPatch, Users

__all__ = [
    "UNSET",
    "Arrival",
    "Broadcast",
    "BroadcastCounts",
    "DailyFacts",
    "LiveShare",
    "NewMessage",
    "OutboxRow",
    "ShareLink",
    "StorageFault",
    "StorageUnavailable",
    "Store",
    "StoredEscalation",
    "TipRecord",
    "Unhandled",
    "Unset",
    "User",
    "UserPatch",
]


class Store:
    """The open database and its repositories. Open with `await Store.open(path, clock)`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.users = Users(db)
        self.diary = Diary(db)
        self.tips = Tips(db)
        self.escalations = Escalations(db)
        self.outbox = Outbox(db)
        self.broadcasts = Broadcasts(db)
        self.stats = Stats(db)
        self.daily = Daily(db)
        self.outcomes = Outcomes(db)  # issue 22: site, side, first-step pain, activities
        self.inbox = Inbox(db)
        self.shares = Shares(db)

    @classmethod
    async def open(cls, path: Path, clock: Clock) -> Store:
        """Open (creating if needed) and migrate the database at path."""
        return cls(await Database.open(path, clock))

    async def ping(self) -> None:
        """Ask the database a trivial question; raise if it cannot answer."""
        await self.db.one("SELECT 1")

    async def close(self) -> None:
        """Close the connection."""
        await self.db.close()
