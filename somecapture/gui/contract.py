"""The typed contract between the app's views and the engine: :class:`EngineBridgeProtocol`.

The views never call the engine: they ask a bridge for a :class:`~somecapture.gui.bridge.Job`
and learn its outcome from the bridge's signals. :class:`~somecapture.gui.bridge.EngineBridge`
runs the real engine on its own thread; the GUI tests' ``FakeBridge`` is driven by the test.
Both satisfy this protocol (``tests/gui/test_contract.py`` compares their signatures), and the
views type their ``bridge`` with it, so a change to one side that the other does not follow
shows up in mypy or in that test, not in front of an archivist.

What each job ends with (``job_finished(job, value)``) is written on each method.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    # annotations only: importing the contract costs a view nothing at run time
    from PySide6.QtCore import SignalInstance

    from somecapture.batchinput import ParsedList
    from somecapture.gui.bridge import Job, JobFunction
    from somecapture.options import CaptureOptions, RecordOptions


class EngineBridgeProtocol(Protocol):
    """What a view may ask of the engine, and the signals that answer.

    Every signal carries the :class:`Job` first, so a view can tell its own jobs from
    others'.
    """

    @property
    def job_started(self) -> SignalInstance:
        """``(job)``: a job began running."""

    @property
    def event_received(self) -> SignalInstance:
        """``(job, event)``: a progress event (a ``somecapture.events`` value)."""

    @property
    def job_finished(self) -> SignalInstance:
        """``(job, value)``: a job ended with a value (see each method)."""

    @property
    def job_failed(self) -> SignalInstance:
        """``(job, exception)``: a job raised; SomecaptureError messages are for the user."""

    @property
    def job_cancelled(self) -> SignalInstance:
        """``(job)``: a job was cancelled and the engine has cleaned up after it."""

    def is_running(self) -> bool:
        """Whether any job is submitted and not yet ended."""

    def running_jobs(self, kind: str | None = None) -> list[Job]:
        """Jobs that have not ended, optionally only of one kind."""

    def submit(self, kind: str, fn: JobFunction, label: str = "") -> Job:
        """Run ``fn(job)`` on the engine loop; its outcome arrives as a signal."""

    def cancel(self, job: Job) -> None:
        """Ask the engine to stop ``job``; ``job_cancelled`` follows once it has cleaned up."""

    def capture(self, url: str, options: CaptureOptions,
                record: RecordOptions | None = None) -> Job:
        """Capture ``url``: events, then a ``CaptureResult``."""

    def batch(self, list_path: Path, parsed: ParsedList, options: CaptureOptions, *,
              concurrency: int | None = None, retries: int = 2, resume: bool = False) -> Job:
        """Start (``resume=False``: always a new batch) or resume a batch: a
        :class:`~somecapture.events.BatchStarted` event, the batch's events, then a
        ``BatchResult``."""

    def unfinished_batch(self, list_path: Path, parsed: ParsedList,
                         options: CaptureOptions) -> Job:
        """The unfinished batch of this list and output folder: ``UnfinishedBatch | None``."""

    def read_list(self, path: Path) -> Job:
        """Parse a batch list file: a ``ParsedList``."""

    def verify(self, package: Path) -> Job:
        """Re-check a package: a ``PackageCheck``."""

    def export_wacz(self, package: Path, target: Path, force: bool = False) -> Job:
        """Export a verified package as the WACZ file ``target`` (``force``: replace it):
        a ``WaczExport``."""

    def catalog_entries(self, catalog_path: Path | None, search: str | None = None,
                        status: str | None = None, limit: int | None = 2000) -> Job:
        """Catalogue rows, newest first: ``list[CatalogEntry]``."""

    def list_profiles(self) -> Job:
        """Login profiles: ``list[ProfileInfo]``."""

    def delete_profile(self, name: str) -> Job:
        """Delete a login profile and its session: ``None``."""

    def login(self, name: str, url: str | None, options: CaptureOptions) -> Job:
        """Open a visible browser on profile ``name`` until the user closes it:
        ``ProfileInfo``."""

    def detect_browser(self, options: CaptureOptions) -> Job:
        """Find and start the browser these options select: ``BrowserInfo``."""

    def shutdown(self, timeout_s: float = 20.0) -> None:
        """Cancel every job, close the browser and stop the engine (when the app quits)."""
