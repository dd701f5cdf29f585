"""Queries only tests need, kept out of the bot: raw outbox rows, the schema, row audits."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bot.store import DailyFacts, NewMessage, Store, TipRecord
from bot.store.daily import DailyCommit
from bot.store.outbox import insert_message
from bot.store.users import User


async def outbox_rows(store: Store, user_id: int | None = None) -> list[dict[str, object]]:
    """Return outbox rows as dicts in id order, all or one user's."""
    # A shared body (outbox_payloads) is shown as the row's payload.
    select = (
        "SELECT o.*, coalesce(p.body, o.payload) AS payload FROM outbox o"
        " LEFT JOIN outbox_payloads p ON p.id = o.payload_id"
    )
    if user_id is None:
        rows = await store.db.all(f"{select} ORDER BY o.id")
    else:
        rows = await store.db.all(f"{select} WHERE o.user_id = ? ORDER BY o.id", (user_id,))
    return [dict(r) for r in rows]


async def enqueue(store: Store, message: NewMessage) -> bool:
    """Add one message outside the daily commit; return whether its key was new."""
    async with store.db.transaction() as conn:
        return await insert_message(conn, message, store.db.now())


async def insert_raw_outbox(
    store: Store, user_id: int, kind: str, payload: str, key: str | None = None
) -> int:
    """Insert an outbox row with a payload exactly as given (an older or broken shape)."""
    async with store.db.transaction() as conn:
        cur = await conn.execute(
            "INSERT INTO outbox (idem_key, user_id, chat_id, kind, local_date, payload,"
            " created_at) VALUES (?, ?, ?, ?, '2026-11-24', ?, ?)",
            (key or f"raw:{kind}:{user_id}", user_id, user_id, kind, payload, store.db.now()),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid


async def schema_version(store: Store) -> int:
    """Return the applied migration number."""
    return await store.db.count("PRAGMA user_version")


async def table_columns(store: Store) -> dict[str, list[str]]:
    """Return every table and its columns (for the deletion audit)."""
    tables = await store.db.all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    result: dict[str, list[str]] = {}
    for table in tables:
        name = table["name"]
        columns = await store.db.all("SELECT name FROM pragma_table_info(?)", (name,))
        result[name] = [c["name"] for c in columns]
    return result


async def rows_mentioning(store: Store, table: str, column: str, value: int) -> int:
    """Count rows whose column equals the value or embeds it as ':value:' or ':value'."""
    columns = await table_columns(store)
    if column not in columns.get(table, []):
        raise ValueError(f"no column {table}.{column}")
    # Identifiers come from sqlite_master (checked above), never from user input.
    return await store.db.count(
        f'SELECT count(*) FROM "{table}" WHERE "{column}" = ?'  # noqa: S608
        f' OR CAST("{column}" AS TEXT) LIKE ? OR CAST("{column}" AS TEXT) LIKE ?',
        (value, f"%:{value}:%", f"%:{value}"),
    )


def raw(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Run one statement through plain sqlite3, outside the store, and commit it."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(sql, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


async def day_facts(store: Store, user_id: int, day: date) -> DailyFacts:
    """Return one user's facts for a day, reading their rotation cycle first."""
    user = await store.users.get(user_id)
    cycle = user.tip_cycle if user is not None else 0
    return (await store.daily.facts_many([(user_id, day, cycle)])).get(user_id, DailyFacts())


async def commit_day(
    store: Store,
    user: User,
    messages: Sequence[NewMessage],
    tip: TipRecord | None,
    next_due: tuple[float, date],
) -> bool:
    """Commit one user's day alone; return whether their schedule moved."""
    moved = await store.daily.commit_many([DailyCommit(user, messages, tip, next_due)])
    return user.user_id in moved
