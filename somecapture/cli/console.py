"""Terminal output: progress on stderr, results (package paths) on stdout."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import platformdirs

from somecapture.events import (
    CaptureMessage,
    Event,
    StepFinished,
    StepStarted,
)
from somecapture.models import CaptureResult, CaptureStatus


def log_dir() -> Path:
    """Per-user log folder (also shown in error messages)."""
    return Path(platformdirs.user_log_dir("somecapture", appauthor=False))


def setup_logging() -> Path:
    """Log to ``<user log dir>/somecapture.log`` (details for bug reports), not the terminal."""
    path = log_dir() / "somecapture.log"
    root = logging.getLogger()
    if any(getattr(h, "_somecapture", False) for h in root.handlers):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._somecapture = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


class Console:
    """Prints progress and results; silent on stdout except for results."""

    def __init__(self, json_mode: bool = False, quiet: bool = False) -> None:
        self.json_mode = json_mode
        self.quiet = quiet
        self.err = sys.stderr

    def _progress(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.err, flush=True)

    def info(self, text: str) -> None:
        """A progress line (stderr)."""
        self._progress(text)

    def say(self, text: str) -> None:
        """A result line (stdout, unless JSON mode)."""
        if not self.json_mode:
            print(text, flush=True)

    def error(self, text: str) -> None:
        """An error (stderr, always)."""
        print(f"Error: {text}", file=self.err, flush=True)

    def begin(self, index: int, total: int, url: str) -> None:
        """A capture starts."""
        self._progress(f"[{index}/{total}] {url}")

    def on_event(self, event: Event) -> None:
        """Progress listener for the engine."""
        if isinstance(event, StepStarted):
            return
        if isinstance(event, StepFinished):
            mark = {"ok": "ok", "budget": "budget", "failed": "FAILED"}.get(event.status,
                                                                            event.status)
            detail = f" – {event.message}" if event.message else ""
            self._progress(f"    {event.step:<24} {mark:<7} {event.duration_s:6.1f}s{detail}")
        elif isinstance(event, CaptureMessage):
            self._progress(f"    · {event.text}")

    def result(self, result: CaptureResult) -> None:
        """Final lines for one capture."""
        if result.status is CaptureStatus.FAILED:
            self.error(f"{result.url}: FAILED – {result.error}")
            return
        comp = result.completeness
        if comp:
            reported = comp.get("reported") or {}
            n_rep = reported.get("comments", reported.get("replies"))
            shown = f"{comp.get('captured_replies', 0)} replies captured"
            if n_rep is not None:
                shown += f", page reports {n_rep}"
            for miss in comp.get("missing", []):
                shown += f"; missing {miss.get('count', '?')}: {miss.get('reason')}"
            self._progress(f"    {shown}")
        for warning in result.warnings:
            self._progress(f"    warning: {warning}")
        self._progress(f"    {result.status.value.upper()}: {result.package}")
        self.say(str(result.package))
