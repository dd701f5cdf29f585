"""One bot per database: an exclusive lock on `<db>.lock`, taken by `run`, `demo` and `restore`.

Two pollers on one token fight over updates, and a restore under a running bot would swap the
file beneath its connection. The lock is `flock` on a file next to the database: the kernel
drops it when the holder's process ends for any reason, SIGKILL included, so it never goes
stale. The file itself stays (it holds the last holder's pid, for the refusal message).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from types import TracebackType


def lock_path(database: Path) -> Path:
    """Return the lock file that guards a database: `<db>.lock` beside it."""
    return database.with_name(database.name + ".lock")


class InstanceLocked(Exception):
    """Another process holds the database's lock."""

    def __init__(self, database: Path, pid: int | None) -> None:
        holder = f"pid {pid}" if pid is not None else "pid unknown"
        super().__init__(f"another FootCare process is using {database} ({holder}); stop it first")
        self.database = database
        self.pid = pid


class InstanceLock:
    """An exclusive, non-blocking lock on a database. Use `with InstanceLock(db):`."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = lock_path(database)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise InstanceLocked naming the holder's pid."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)  # not inherited by children
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _read_pid(fd)
            os.close(fd)
            raise InstanceLocked(self.database, pid) from None
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        """Let go of the lock (closing the descriptor releases it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    with contextlib.suppress(OSError, ValueError):
        return int(os.pread(fd, 32, 0).decode().strip())
    return None
