"""`backup` and `restore`: consistent copies of the live database through SQLite's backup API.

A backup reads one snapshot in a single step (`Connection.backup` with every page at once), so
it is consistent even while the bot writes: in WAL mode the running bot is never blocked, and
the copy holds every transaction committed before it began and none after. The copy is a
single self-contained file (journal mode DELETE, no -wal beside it). A restore refuses anything
that is not a sound FootCare database, keeps the database it replaces as `<db>.before-restore`
and must run with the bot stopped (the caller holds `bot.store.lock.InstanceLock`).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.store.base import BUSY_TIMEOUT_MS, migrations

# Tables every FootCare schema has had since the first migration.
REQUIRED_TABLES = frozenset({"users", "checkins", "tip_deliveries", "escalations", "outbox"})


class BackupError(Exception):
    """A backup or restore was refused; the message is one line for the operator."""


@dataclass(frozen=True)
class CopyInfo:
    """What was written: the file, its size in bytes and its schema version."""

    path: Path
    size: int
    schema_version: int


def latest_schema_version() -> int:
    """Return the schema version this FootCare migrates to."""
    return max(number for number, _ in migrations())


def before_restore_path(database: Path) -> Path:
    """Return where a restore keeps the database it replaced."""
    return database.with_name(database.name + ".before-restore")


def backup(database: Path, target: Path, *, force: bool = False) -> CopyInfo:
    """Copy the live database to target; refuse to overwrite unless force."""
    if not database.is_file():
        raise BackupError(f"there is no database at {database}")
    if target.is_dir():
        raise BackupError(f"{target} is a directory; give a file name")
    if target.exists() and target.resolve() == database.resolve():
        raise BackupError(f"{target} is the database itself")
    if target.exists() and not force:
        raise BackupError(f"{target} already exists; pass --force to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        source = _connect(database, "rw")
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open {database}: {exc}") from None
    try:
        return _copy(source, target, label=str(database))
    finally:
        source.close()


def restore(database: Path, source: Path) -> CopyInfo:
    """Put a backup in place of the database; the bot must be stopped (hold the lock)."""
    if not source.is_file():
        raise BackupError(f"there is no backup at {source}")
    if database.exists() and source.resolve() == database.resolve():
        raise BackupError(f"{source} is the database itself")
    staging = database.with_name(f".{database.name}.restoring")
    try:
        backup_conn = _connect(source, "ro")
    except sqlite3.Error as exc:
        raise BackupError(f"{source} is not a FootCare database: {exc}") from None
    try:
        info = _copy(backup_conn, staging, label=str(source))
    finally:
        backup_conn.close()
    try:
        if database.exists():
            _keep_replaced(database)
        # A -wal left beside the old file would be replayed into the restored one.
        for suffix in ("-wal", "-shm"):
            database.with_name(database.name + suffix).unlink(missing_ok=True)
        os.replace(staging, database)
    finally:
        staging.unlink(missing_ok=True)
    return CopyInfo(database, info.size, info.schema_version)


def _keep_replaced(database: Path) -> None:
    """Save the current database (with what its -wal holds) as `<db>.before-restore`."""
    kept = before_restore_path(database)
    try:
        current = _connect(database, "rw")
        try:
            _copy(current, kept, label=str(database), check=False)
        finally:
            current.close()
    except (sqlite3.Error, BackupError):
        # Unreadable (that may be why it is being restored): keep its bytes as they are.
        shutil.copyfile(database, kept)
        wal = database.with_name(database.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, kept.with_name(kept.name + "-wal"))


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    # mode=rw/ro never creates a missing file, unlike a plain connect.
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
    return conn


def _copy(source: sqlite3.Connection, target: Path, *, label: str, check: bool = True) -> CopyInfo:
    """Back source up into target through a temporary file beside it; return what was written."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        copy = sqlite3.connect(temporary, isolation_level=None)
        try:
            try:
                source.backup(copy)  # pages=-1: one step, one snapshot
            except sqlite3.DatabaseError as exc:
                raise BackupError(f"{label} is not a FootCare database: {exc}") from None
            copy.execute("PRAGMA journal_mode = DELETE")
            version = inspect(copy, label) if check else _user_version(copy)
        finally:
            copy.close()
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return CopyInfo(target, target.stat().st_size, version)


def inspect(conn: sqlite3.Connection, label: str) -> int:
    """Check a database is a sound FootCare one; return its schema version or raise."""
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        version = _user_version(conn)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{label} is not a FootCare database: {exc}") from None
    if problems != ["ok"]:
        raise BackupError(f"{label} fails SQLite's integrity check: {problems[0]}")
    if version < 1 or not tables >= REQUIRED_TABLES:
        raise BackupError(f"{label} is not a FootCare database (no FootCare tables)")
    latest = latest_schema_version()
    if version > latest:
        raise BackupError(
            f"{label} has schema version {version}, newer than this FootCare's {latest}"
        )
    return version


def _user_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0]) if row else 0
