"""`python -m bot backup` and `restore` on real files: consistent copies, refusals, the lock."""

from __future__ import annotations

import asyncio
import io
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from bot.cli import EXIT_CONFIG, main
from bot.clock import SystemClock
from bot.store import Store
from bot.store.backup import latest_schema_version
from bot.store.lock import InstanceLock

DB = Path("data/footcare.db")
INSERT_USER = (
    "INSERT INTO users (user_id, chat_id, tip_seed, created_at, updated_at)"
    " VALUES (?, ?, 's', 0, 0)"
)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in an empty folder with DATABASE_PATH unset, so both commands use data/footcare.db."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_PATH", raising=False)


def run_main(argv: list[str]) -> tuple[int, str, str]:
    """Call main() and return its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def make_database(path: Path, users: range) -> None:
    """Create and migrate a FootCare database as the bot would, holding the given user ids."""

    async def create() -> None:
        store = await Store.open(path, SystemClock())
        await store.close()

    asyncio.run(create())
    add_users(path, users)


def add_users(path: Path, users: range) -> None:
    """Insert bare user rows in one transaction."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(INSERT_USER, [(u, u) for u in users])
        conn.execute("COMMIT")
    finally:
        conn.close()


def user_ids(path: Path) -> list[int]:
    """Return the user ids stored in a database file."""
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT user_id FROM users ORDER BY user_id")]
    finally:
        conn.close()


def test_backup_copies_the_database_and_prints_size_and_schema_version() -> None:
    """The copy holds the same rows, is one self-contained file, and the line says what it is."""
    make_database(DB, range(1, 4))
    code, out, err = run_main(["backup", "backups/nightly/one.db"])
    copy = Path("backups/nightly/one.db")
    assert (code, err) == (0, "")
    size = copy.stat().st_size
    assert out == (
        f"Backed up {DB} to {copy}: {size:,} bytes, schema version {latest_schema_version()}\n"
    )
    assert user_ids(copy) == [1, 2, 3]
    assert not copy.with_name("one.db-wal").exists()
    assert sorted(p.name for p in copy.parent.iterdir()) == ["one.db"]


def test_backup_refuses_to_overwrite_without_force() -> None:
    """An existing file is kept unless --force; with --force it is replaced."""
    make_database(DB, range(1, 3))
    target = Path("old.db")
    target.write_text("precious", encoding="utf-8")
    code, out, err = run_main(["backup", str(target)])
    assert (code, out) == (EXIT_CONFIG, "")
    assert err == "footcare: old.db already exists; pass --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == "precious"
    code, _, err = run_main(["backup", "--force", str(target)])
    assert (code, err) == (0, "")
    assert user_ids(target) == [1, 2]


def test_backup_without_a_database_exits_2_and_creates_nothing() -> None:
    """No database at DATABASE_PATH: one line, exit 2, and no empty database is created."""
    code, _, err = run_main(["backup", "b.db"])
    assert code == EXIT_CONFIG
    assert err == f"footcare: there is no database at {DB}\n"
    assert not DB.exists()
    assert not Path("b.db").exists()


def test_backup_while_another_connection_writes_is_a_consistent_snapshot() -> None:
    """Backups taken during a stream of two-row transactions never hold half of one."""
    make_database(DB, range(0))
    stop = threading.Event()
    written = [0]

    def write() -> None:
        conn = sqlite3.connect(DB, isolation_level=None, timeout=5)
        try:
            next_id = 1
            while not stop.is_set():
                conn.execute("BEGIN IMMEDIATE")
                for _ in range(2):
                    conn.execute(INSERT_USER, (next_id, 1))
                    next_id += 1
                conn.execute("COMMIT")
                written[0] = next_id - 1
        finally:
            conn.close()

    writer = threading.Thread(target=write)
    writer.start()
    counts = []
    try:
        deadline = time.monotonic() + 30
        while written[0] < 200:
            assert writer.is_alive(), "the writer failed"
            assert time.monotonic() < deadline, "the writer did not write"
            time.sleep(0.01)
        for n in range(6):
            code, _, err = run_main(["backup", f"during-{n}.db"])
            assert (code, err) == (0, "")
            counts.append(len(user_ids(Path(f"during-{n}.db"))))
    finally:
        stop.set()
        writer.join()
    print(f"\nbackups during writes held {counts} users; {written[0]} written in all")
    assert all(count % 2 == 0 for count in counts), counts
    assert counts == sorted(counts)
    assert counts[0] >= 200
    assert counts[-1] <= written[0]
    for n in range(6):
        conn = sqlite3.connect(f"during-{n}.db")
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        finally:
            conn.close()


def test_restore_puts_the_backup_back_and_keeps_the_replaced_database() -> None:
    """After a restore the bot opens the backup's rows; the old file is <db>.before-restore."""
    make_database(DB, range(1, 3))
    assert run_main(["backup", "b.db"])[0] == 0
    add_users(DB, range(3, 5))
    code, out, err = run_main(["restore", "b.db"])
    assert (code, err) == (0, "")
    assert out == (
        f"Restored {DB} from b.db (schema version {latest_schema_version()}); "
        f"the replaced database is {DB}.before-restore\n"
    )
    assert user_ids(DB) == [1, 2]
    assert user_ids(Path(f"{DB}.before-restore")) == [1, 2, 3, 4]

    async def reopen() -> int:
        store = await Store.open(DB, SystemClock())
        try:
            return await store.db.count("SELECT count(*) FROM users")
        finally:
            await store.close()

    assert asyncio.run(reopen()) == 2


def test_restore_keeps_what_only_the_wal_held() -> None:
    """A database left with committed rows in its -wal is kept whole in <db>.before-restore."""
    make_database(DB, range(1, 2))
    assert run_main(["backup", "b.db"])[0] == 0
    holder = sqlite3.connect(DB, isolation_level=None)  # keeps the -wal from being folded in
    try:
        holder.execute("PRAGMA wal_autocheckpoint = 0")
        holder.execute("SELECT count(*) FROM users").fetchall()
        add_users(DB, range(2, 4))
        assert Path(f"{DB}-wal").stat().st_size > 0
        # The bot is not running (no lock); a stray reader is not a bot.
        code, _, err = run_main(["restore", "b.db"])
    finally:
        holder.close()
    assert (code, err) == (0, "")
    assert user_ids(Path(f"{DB}.before-restore")) == [1, 2, 3]
    assert user_ids(DB) == [1]


def test_restore_refuses_while_the_bot_holds_the_lock() -> None:
    """With a bot running on the database, restore exits 2 with one line and changes nothing."""
    make_database(DB, range(1, 3))
    assert run_main(["backup", "b.db"])[0] == 0
    add_users(DB, range(3, 4))
    with InstanceLock(DB):
        code, out, err = run_main(["restore", "b.db"])
    assert (code, out) == (EXIT_CONFIG, "")
    assert err.startswith(f"footcare: another FootCare process is using {DB} (pid ")
    assert err.endswith("); stop it first\n")
    assert len(err.splitlines()) == 1
    assert user_ids(DB) == [1, 2, 3]
    assert not Path(f"{DB}.before-restore").exists()


@pytest.mark.parametrize("kind", ["text", "empty", "other-sqlite", "corrupt", "newer"])
def test_restore_refuses_what_is_not_a_footcare_database(kind: str) -> None:
    """Junk, an empty file, another app's SQLite file, a damaged copy or a future schema: exit 2."""
    make_database(DB, range(1, 3))
    source = Path("candidate.db")
    if kind == "text":
        source.write_text("hello\n" * 1000, encoding="utf-8")
    elif kind == "empty":
        source.touch()
    elif kind == "other-sqlite":
        conn = sqlite3.connect(source)
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("PRAGMA user_version = 3")
        conn.close()
    else:
        assert run_main(["backup", str(source)])[0] == 0
        if kind == "corrupt":
            conn = sqlite3.connect(source)
            page_size = conn.execute("PRAGMA page_size").fetchone()[0]
            sql = "SELECT rootpage FROM sqlite_master WHERE name = 'users'"
            root = conn.execute(sql).fetchone()[0]
            conn.close()
            data = bytearray(source.read_bytes())
            start = (root - 1) * page_size
            data[start + 3 : start + 8] = b"\xff" * 5  # the users page's cell count and offsets
            source.write_bytes(bytes(data))
        else:
            conn = sqlite3.connect(source)
            conn.execute(f"PRAGMA user_version = {latest_schema_version() + 1}")
            conn.close()
    before = DB.read_bytes()
    code, out, err = run_main(["restore", str(source)])
    assert (code, out) == (EXIT_CONFIG, "")
    assert len(err.splitlines()) == 1
    assert err.startswith("footcare: candidate.db ")
    assert DB.read_bytes() == before
    assert not Path(f"{DB}.before-restore").exists()
    print(f"\n{kind}: {err.strip()}")


def test_restore_of_a_missing_file_exits_2() -> None:
    """A mistyped backup path is one line, not a traceback."""
    make_database(DB, range(1, 2))
    code, _, err = run_main(["restore", "nope.db"])
    assert code == EXIT_CONFIG
    assert err == "footcare: there is no backup at nope.db\n"


def test_restore_onto_no_database_creates_it() -> None:
    """A restore on a fresh machine (no database yet) puts the backup in place."""
    make_database(Path("elsewhere.db"), range(7, 9))
    code, out, err = run_main(["restore", "elsewhere.db"])
    assert (code, err) == (0, "")
    assert out == f"Restored {DB} from elsewhere.db (schema version {latest_schema_version()})\n"
    assert user_ids(DB) == [7, 8]
    assert not Path(f"{DB}.before-restore").exists()


def test_backup_onto_the_database_itself_is_refused() -> None:
    """Even with --force, a backup never overwrites the live database."""
    make_database(DB, range(1, 2))
    code, _, err = run_main(["backup", "--force", str(DB)])
    assert code == EXIT_CONFIG
    assert err == f"footcare: {DB} is the database itself\n"
    assert user_ids(DB) == [1]
