"""Data that flows out of a capture: statuses, step reports, artifacts and the result."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


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

    def to_json(self) -> dict[str, Any]:
        """The summary used by ``--json`` output and batch reports."""
        return {
            "url": self.url,
            "capture_id": self.capture_id,
            "status": self.status.value,
            "final_url": self.final_url,
            "package": str(self.package) if self.package else None,
            "warnings": list(self.warnings),
            "error": self.error,
            "error_code": self.error_code,
            "completeness": self.completeness,
        }


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
