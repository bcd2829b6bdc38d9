"""A capture's staging folder, and where packages go by default.

Apart from the package builder so that the pipeline can make the staging folder (which the
engine records into) without loading the packaging stack — PDF, PDF/A, XML schema,
arkivmelding — which is then imported while the browser starts and the page records.
"""

from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path

import platformdirs

from somecapture.filelock import FileLock
from somecapture.models import WorkFolder
from somecapture.package import bag
from somecapture.package.layout import (
    PUBLIC_SCREENSHOT_NAME,
    PUBLIC_WARC_NAME,
    SCREENSHOT_NAME,
    WARC_NAME,
)
from somecapture.package.machine import machine_id

log = logging.getLogger(__name__)

__all__ = ["Staging", "default_out_dir"]


def default_out_dir() -> Path:
    """``<Documents>/somecapture``: the CLI's and the app's default output folder."""
    return Path(platformdirs.user_documents_dir()) / "somecapture"


class Staging:
    """One capture's staging folder, from first byte to publication (or discard).

    ``<out>/.somecapture-staging/<capture id>/`` on the same volume as the final package, so
    publication is one atomic rename; a lock file marks it as in use, so an interrupted
    capture's folder can be told from a running one's and swept later. A distributed batch's
    capture (``publish_key``) stages in ``.somecapture-staging/host-<machine id>/`` and sweeps
    only that folder: another computer's running capture is never taken for a dead one.
    """

    def __init__(self, out_dir: Path, capture_id: str, publish_key: str | None = None) -> None:
        self.out_dir = out_dir.expanduser().resolve()
        self.capture_id = capture_id
        #: a batch item's idempotency key: published only if no other delivery of the same
        #: item published first (see :mod:`somecapture.package.claim`); None: no such check
        self.publish_key = publish_key
        #: a distributed batch's captures stage in this computer's own folder (others share
        #: the output folder, and their locks may not be visible from here)
        self.staging_root = (bag.host_staging_root(self.out_dir, machine_id()) if publish_key
                             else bag.staging_root(self.out_dir))
        self.path = self.staging_root / capture_id
        self.data_dir = self.path / "data"
        self.published: Path | None = None
        self._lock: FileLock | None = None
        #: set from the event loop when the capture is cancelled while packaging runs, and
        #: by the builder when the packaging failed: nothing is published, and reads still
        #: running stop at their next chunk
        self.cancel = threading.Event()

    def prepare(self) -> None:
        """Create the staging directory (checks the output folder is writable)."""
        bag.prepare_out_dir(self.out_dir)
        if self.publish_key is not None:
            self.staging_root.mkdir(exist_ok=True)
        removed = bag.sweep_stale_staging(self.out_dir, self.staging_root)
        if removed:
            log.info("removed %d staging folder(s) of interrupted captures in %s",
                     len(removed), self.out_dir)
        # the lock first, then the folder: a folder without its lock is never taken for ours
        self._lock = FileLock.try_acquire(bag.lock_path(self.path))
        self.data_dir.mkdir(parents=True, exist_ok=False)

    def work_folder(self) -> WorkFolder:
        """Where the engine records the capture: its WARC and screenshot are payload files."""
        return WorkFolder(warc_path=self.data_dir / WARC_NAME,
                          screenshot_path=self.data_dir / SCREENSHOT_NAME,
                          scratch_dir=self.path)

    def public_work_folder(self) -> WorkFolder:
        """Where the logged-out view is recorded (``data/public/``)."""
        return WorkFolder(warc_path=self.data_dir / PUBLIC_WARC_NAME,
                          screenshot_path=self.data_dir / PUBLIC_SCREENSHOT_NAME,
                          scratch_dir=self.path / "public-view-work")

    def discard_public_view(self) -> None:
        """Remove what a public view that could not be had whole left behind."""
        for folder in (self.data_dir / PUBLIC_WARC_NAME).parent, self.path / "public-view-work":
            shutil.rmtree(folder, ignore_errors=True)

    def discard(self) -> None:
        """Remove staging after a failure (nothing was published)."""
        if self.published is None:
            bag.discard(self.path)
        self.release()

    def release(self) -> None:
        """Drop the staging lock (after publication or discard); safe to call twice."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None
