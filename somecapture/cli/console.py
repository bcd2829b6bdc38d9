"""Terminal output: progress on stderr, results (package paths) on stdout.

Every line the command writes goes through :class:`Console`, which cleans it with
:func:`~somecapture.textsafe.clean_text`: page text (button labels in step messages, titles,
URLs, replies, server and browser error texts) can never move the cursor, clear the screen,
set the window title, overwrite a line or start a line of its own. A message is one line
unless the caller says it is ``multiline`` (the tool's own multi-line texts, such as the list
of browsers tried); the progress bar's own control sequences are written separately, only on a
terminal. JSON output goes through :func:`~somecapture.textsafe.json_for_terminal`.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from somecapture.events import (
    BatchProgress,
    CaptureFinished,
    CaptureMessage,
    Event,
    StepFinished,
    StepStarted,
)
from somecapture.models import CaptureResult, CaptureStatus
from somecapture.textsafe import clean_text, json_for_terminal


def shown(text: object, *, multiline: bool = False) -> str:
    """``text`` as the terminal may show it (see :func:`~somecapture.textsafe.clean_text`)."""
    return clean_text(None if text is None else str(text), multiline=multiline)


def write_line(stream: TextIO, text: object, *, multiline: bool = False) -> None:
    """Write one cleaned message and a newline to ``stream`` and flush it."""
    stream.write(shown(text, multiline=multiline) + "\n")
    stream.flush()


class Console:
    """Prints progress and results; silent on stdout except for results."""

    def __init__(self, json_mode: bool = False, quiet: bool = False) -> None:
        self.json_mode = json_mode
        self.quiet = quiet
        self.err = sys.stderr
        self._bar_shown = False
        self._last_progress: BatchProgress | None = None

    def _progress(self, text: str, *, multiline: bool = False) -> None:
        if not self.quiet:
            write_line(self.err, text, multiline=multiline)

    def info(self, text: str, *, multiline: bool = False) -> None:
        """A progress line (stderr)."""
        self._progress(text, multiline=multiline)

    def say(self, text: str) -> None:
        """A result line (stdout, unless JSON mode)."""
        if not self.json_mode:
            write_line(sys.stdout, text)

    def error(self, text: str, *, multiline: bool = False) -> None:
        """An error (stderr, always). ``multiline`` keeps the line breaks of the tool's own
        multi-line messages; without it the error is one line."""
        write_line(self.err, f"Error: {text}", multiline=multiline)

    def json(self, value: Any) -> None:
        """Machine output (stdout): JSON whose strings keep the page's exact text, with every
        character a terminal could act on escaped."""
        # not through clean_text: that would change the data; the escapes make it safe
        sys.stdout.write(json_for_terminal(value, indent=2) + "\n")
        sys.stdout.flush()

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

    def on_batch_event(self, event: Event) -> None:
        """Batch progress: a live bar on a terminal, plain lines otherwise."""
        if self.quiet:
            return
        if isinstance(event, BatchProgress):
            self._last_progress = event
            if event.notice or event.text.startswith("retrying"):
                self._line(f"  {event.text}")
            elif self.err.isatty():
                self._draw_bar(event)
        elif isinstance(event, CaptureFinished):
            p = self._last_progress
            where = event.package or event.error or ""
            prefix = f"[{p.done + 1}/{p.total}] " if p else ""
            self._line(f"{prefix}{event.status:<8} {event.url}  {where}")

    def _line(self, text: str) -> None:
        if self._bar_shown:
            # the tool's own sequence (return, erase the line), never page text
            self.err.write("\r\x1b[2K")
            self._bar_shown = False
        write_line(self.err, text)
        if self._last_progress is not None and self.err.isatty():
            self._draw_bar(self._last_progress)

    def _draw_bar(self, p: BatchProgress) -> None:
        width = 30
        filled = int(width * p.done / p.total) if p.total else width
        eta = "" if p.eta_s is None else f"  ETA {_duration(p.eta_s)}"
        c = p.counts
        self.err.write(f"\r\x1b[2K[{'#' * filled}{'-' * (width - filled)}] {p.done}/{p.total}"
                       f"  complete {c.get('complete', 0)}  partial {c.get('partial', 0)}"
                       f"  failed {c.get('failed', 0)}{eta}")
        self.err.flush()
        self._bar_shown = True

    def end_progress(self) -> None:
        """Finish the progress bar line."""
        if self._bar_shown:
            self.err.write("\n")
            self.err.flush()
            self._bar_shown = False

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


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"
