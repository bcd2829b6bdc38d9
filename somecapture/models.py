"""Data that flows out of a capture: statuses, step reports, the recorded page, artifacts and
the result.

One capture's data flows one way: URL -> the engine's recording -> :class:`RecordedPage` ->
the package -> the catalogue, carried to the shells as a :class:`CaptureResult`.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from somecapture.errors import SomecaptureError
from somecapture.messages import msg_json


class CaptureStatus(enum.StrEnum):
    """Outcome of one capture.

    COMPLETE: every step ran within budget and the main document answered 2xx/3xx.
    PARTIAL: a package was published, but something is missing (budget hit, optional step
    failed); ``warnings`` says what.
    FAILED: no package was published.
    """

    COMPLETE = "complete"
    PARTIAL = "partial"
    FAILED = "failed"


class StepStatus(enum.StrEnum):
    """Outcome of one capture step."""

    OK = "ok"
    #: the step ran out of its time or size budget; what it did so far is kept
    BUDGET = "budget"
    #: the step failed; for an optional step the capture becomes PARTIAL
    FAILED = "failed"
    #: not run (an earlier required step failed, or not applicable)
    SKIPPED = "skipped"


#: every step a capture reports (:attr:`StepReport.name`, the step events), in the order they
#: run: the recording's (engine), then the pipeline's. Each is ``step.<name>`` in the message
#: catalogue, the archivist's name for it (tests/unit/test_messages.py checks both ways)
STEP_NAMES = ("navigate", "settle", "dismiss-overlays", "expand-thread", "check-logged-in",
              "dismiss-overlays-again", "load-lazy-media", "screenshot", "extract-thread",
              "finish-recording", "reconcile-thread", "locate-persons", "compare",
              "public-view", "package", "seal")


@dataclass
class StepReport:
    """What one named step did, for provenance and progress display."""

    name: str
    status: StepStatus = StepStatus.SKIPPED
    started_at: str | None = None
    duration_s: float = 0.0
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data."""
        data = asdict(self)
        data["status"] = self.status.value
        return data


@dataclass(frozen=True)
class ScreenshotInfo:
    """What the full-page screenshot holds."""

    width_px: int
    height_px: int
    #: the page's own height; larger than ``height_px`` when the screenshot was cut
    page_height_px: int
    #: how many pieces were stitched (Chromium cannot take ~16,384 px in one)
    segments: int
    clipped: bool


@dataclass(frozen=True)
class WorkFolder:
    """Where the engine writes one recording: the pipeline decides, the engine only writes.

    ``scratch_dir`` holds spooled response bodies while they stream; it must not be inside the
    folder that becomes the package's payload.
    """

    warc_path: Path
    screenshot_path: Path
    scratch_dir: Path


@dataclass(frozen=True)
class RecordedPage:
    """What the engine hands on when a recording ends: the page as it was recorded.

    The WARC and the screenshot are closed files in the work folder; nothing here is changed
    by what comes after (packaging, the catalogue). A recording that could not be had whole
    still comes back, with ``failure`` set (and the steps and warnings that explain it).
    """

    capture_id: str
    #: the URL asked for, as it may be stored (token-like query values redacted when logged in)
    requested_url: str
    #: the normalized URL that was opened, as it may be stored
    url: str
    started_at: datetime
    work: WorkFolder
    final_url: str | None = None
    #: SHA-256 of the finished WARC (after the second redaction pass, when there was one)
    warc_sha256: str = ""
    screenshot: ScreenshotInfo | None = None
    steps: tuple[StepReport, ...] = ()
    warnings: tuple[str, ...] = ()
    #: structured thread extract (root post + replies), empty when none was found
    thread: dict[str, Any] = field(default_factory=dict)
    #: what the page says it has against what was captured
    completeness: dict[str, Any] = field(default_factory=dict)
    #: how the capture was made (no secrets), the same as the WARC's metadata record
    provenance: dict[str, Any] = field(default_factory=dict)
    #: where the thread's persons are on the screenshot (engine/identities.py): what the
    #: screened variant masks; ``{"error": …}`` when the page could not be searched
    identities: dict[str, Any] = field(default_factory=dict, repr=False)
    #: session secret values the package must be scanned for (logged-in captures); never in
    #: a repr, so a debug log cannot write them
    secrets: frozenset[str] = field(default=frozenset(), repr=False)
    #: why nothing can be published from this recording (None: it can be)
    failure: SomecaptureError | None = None
    #: a failed recording that may succeed if tried again (timeouts, resets, 5xx, crashes)
    retryable: bool = False


@dataclass(frozen=True)
class Artifact:
    """A file in a published package."""

    path: str  # relative to the bag's data/ directory
    sha256: str
    size_bytes: int
    media_type: str

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {
            "path": self.path,
            "sha256": self.sha256,
            "bytes": self.size_bytes,
            "media_type": self.media_type,
        }


@dataclass
class CaptureResult:
    """One URL, one result: also when the capture failed."""

    url: str
    capture_id: str
    status: CaptureStatus = CaptureStatus.FAILED
    final_url: str | None = None
    package: Path | None = None
    artifacts: list[Artifact] = field(default_factory=list)
    steps: list[StepReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    error_code: str | None = None
    #: a FAILED capture that may succeed if tried again (timeouts, resets, 5xx, crashes)
    retryable: bool = False
    #: what the page says it has against what was captured (issue 3)
    completeness: dict[str, Any] = field(default_factory=dict)
    #: structured thread extract (root post + replies), empty when none was found
    thread: dict[str, Any] = field(default_factory=dict)
    #: capture-level metadata (timings, browser, counts) also written to the package
    provenance: dict[str, Any] = field(default_factory=dict)
    #: what was registered for the records system (title, case, archivist, journalposttype…)
    registration: dict[str, Any] = field(default_factory=dict)
    #: a re-capture of a watched thread: the capture it was compared with (issue 19)
    previous_capture: str | None = None
    #: the re-capture's ``changes`` section (see :mod:`somecapture.thread.diff`), None for a
    #: first capture
    changes: dict[str, Any] | None = None
    #: a re-capture that found the thread as the previous capture had it: nothing was
    #: published (the watch records the check in its ledger)
    unchanged: bool = False

    def to_json(self) -> dict[str, Any]:
        """The summary used by ``--json`` output and batch reports."""
        return {
            "url": self.url,
            "capture_id": self.capture_id,
            "status": self.status.value,
            "final_url": self.final_url,
            "package": str(self.package) if self.package else None,
            "warnings": list(self.warnings),
            # the same, language neutral: catalogue codes and parameters (English in "text")
            "warning_messages": [msg_json(w) for w in self.warnings],
            "error": self.error,
            "error_message": msg_json(self.error) if self.error else None,
            "error_code": self.error_code,
            "completeness": self.completeness,
        }


@dataclass(frozen=True)
class PreviousCapture:
    """The published capture a re-capture of the same thread is compared with (issue 19).

    The pipeline compares the new recording's thread with ``thread``: unchanged, nothing is
    published; changed, the package names ``capture_id`` as its ``previous_capture``, carries
    the changes, and is registered in the case of ``first_capture_id`` (its ``first_case``,
    or the new case folder that first capture asked the records system for).
    """

    capture_id: str
    #: the earlier capture's thread (``thread`` of its capture-metadata.json); None when its
    #: package could not be read (``unreadable`` says why): the re-capture is published as a
    #: version that claims no change
    thread: dict[str, Any] | None
    #: the first capture of the thread (the versions share its case)
    first_capture_id: str
    #: the case the first capture was registered in (None: it asked for a new case folder)
    first_case: str | None = None
    captured_at: str | None = None
    #: this re-capture's version number (the first capture is 1)
    version: int = 2
    #: the earlier capture's status (``complete``, ``partial``; None: not known): replies a
    #: partial one missed are not necessarily new
    status: str | None = None
    #: why the earlier capture's package could not be read (``thread`` is None)
    unreadable: str | None = None


@dataclass(frozen=True)
class UnfinishedBatch:
    """An unfinished batch of a list file into an output folder (what Resume would continue).

    A plain value, so the app can show it without importing the batch runner.
    """

    batch_id: str
    #: False when the list file changed since the batch started (it cannot be resumed)
    same_list: bool
    #: items done so far, of ``total``
    done: int
    total: int
