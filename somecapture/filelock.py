"""Exclusive locks on files that the operating system releases when their process dies."""

from __future__ import annotations

import contextlib
import errno
import logging
import sys
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# what "another process holds the lock" looks like; any other error means the file system
# cannot lock at all (NFS without lockd, some SMB/FUSE mounts)
_BUSY = {errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK}


class FileLock:
    """An exclusive lock on a file, held while some work is in progress.

    The operating system drops the lock when the process ends in any way (``kill -9``
    included), so a later run can tell a dead process's leftovers from live work of another
    process: a capture's staging folder, a running batch. Where the file system cannot lock,
    the lock is granted with ``supported`` False: the work goes on, and nobody may take such
    a lock as proof that the other side is gone.
    """

    def __init__(self, path: Path, handle: Any, *, supported: bool = True) -> None:
        self.path = path
        self.supported = supported
        self._handle = handle

    @classmethod
    def try_acquire(cls, path: Path) -> FileLock | None:
        """The lock, or None when another live process holds it."""
        handle = open(path, "a+b")  # noqa: SIM115 - held for the work's lifetime
        try:
            if sys.platform == "win32":
                import msvcrt

                handle.seek(0)  # the same byte every process locks (append mode opens at EOF)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in _BUSY:
                handle.close()
                return None
            log.warning("cannot lock %s (%s); going on without the lock", path, exc)
            return cls(path, handle, supported=False)
        return cls(path, handle)

    def release(self, *, remove: bool = True) -> None:
        """Let go of the lock (and remove the lock file); safe to call twice."""
        if self._handle is None:
            return
        if sys.platform == "win32" and self.supported:
            import msvcrt

            with contextlib.suppress(OSError):  # released at once, not "eventually"
                self._handle.seek(0)
                msvcrt.locking(self._handle.fileno(), msvcrt.LK_UNLCK, 1)
        self._handle.close()
        self._handle = None
        if remove and self.supported:
            with contextlib.suppress(OSError):
                self.path.unlink()
