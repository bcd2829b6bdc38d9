"""Exclusive locks on files that the operating system releases when their process dies."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any


class FileLock:
    """An exclusive lock on a file, held while some work is in progress.

    The operating system drops the lock when the process ends in any way (``kill -9``
    included), so a later run can tell a dead process's leftovers from live work of another
    process: a capture's staging folder, a running batch.
    """

    def __init__(self, path: Path, handle: Any) -> None:
        self.path = path
        self._handle = handle

    @classmethod
    def try_acquire(cls, path: Path) -> FileLock | None:
        """The lock, or None when another live process holds it."""
        handle = open(path, "a+b")  # noqa: SIM115 - held for the capture's lifetime
        if _try_lock(handle):
            return cls(path, handle)
        handle.close()
        return None

    def release(self, *, remove: bool = True) -> None:
        """Let go of the lock (and remove the lock file); safe to call twice."""
        if self._handle is None:
            return
        self._handle.close()
        self._handle = None
        if remove:
            with contextlib.suppress(OSError):
                self.path.unlink()


def _try_lock(handle: Any) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True
