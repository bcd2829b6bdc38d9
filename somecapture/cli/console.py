"""Terminal output: progress on stderr, results (package paths) on stdout.

Every line the command writes goes through :class:`Console`, which cleans it with
:func:`~somecapture.textsafe.clean_text`: page text (button labels in step messages, titles,
URLs, replies, server and browser error texts) can never move the cursor, clear the screen,
set the window title, overwrite a line or start a line of its own. A message is one line
unless the caller says it is ``multiline`` (the tool's own multi-line texts, such as the list
of browsers tried); the progress bar's own control sequences are written separately, only on a
terminal. JSON output goes through :func:`~somecapture.textsafe.json_for_terminal`.

**Language.** The console speaks the language of the locale (``LANG=nb_NO.UTF-8`` → bokmål,
``nn_NO`` → nynorsk, else English, as git and apt do; see
:func:`~somecapture.messages.language_from_locale`): every message from the engine or the
command itself is a catalogue message, rendered with the command line's advice (the flag to
use, where the app would name its setting).
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
from somecapture.messages import (
    Msg,
    conflict_line,
    format_duration,
    format_number,
    language_from_locale,
    missing_reason,
    render,
    step_title,
)
from somecapture.models import CaptureResult, CaptureStatus
from somecapture.textsafe import clean_text, json_for_terminal


def metavar_for(name: str) -> str:
    """An option's placeholder as the usage and help show it (``FILE``), in the locale's
    language (``FIL``): the help texts name it so (``metavar.*`` in the catalogue)."""
    key = "queue" if name.startswith("redis://") else name.lower()
    return render(Msg(f"metavar.{key}"), language_from_locale(), "cli")


def shown(text: object, *, multiline: bool = False) -> str:
    """``text`` as the terminal may show it (see :func:`~somecapture.textsafe.clean_text`)."""
    return clean_text(None if text is None else str(text), multiline=multiline)


def write_line(stream: TextIO, text: object, *, multiline: bool = False) -> None:
    """Write one cleaned message and a newline to ``stream`` and flush it."""
    stream.write(shown(text, multiline=multiline) + "\n")
    stream.flush()


#: failed attempts of a batch printed one by one as they happen (the rest: the bar and the
#: report)
FAILED_LIVE_LINES = 20


class Console:
    """Prints progress and results; silent on stdout except for results."""

    def __init__(self, json_mode: bool = False, quiet: bool = False,
                 lang: str | None = None) -> None:
        self.json_mode = json_mode
        self.quiet = quiet
        self.lang = lang or language_from_locale()
        self.err = sys.stderr
        self._bar_shown = False
        self._last_progress: BatchProgress | None = None
        #: failed attempts printed one by one so far in a batch (see on_batch_event)
        self._failed_lines = 0

    def t(self, code: str, **params: Any) -> str:
        """The catalogue's text for ``code`` in the console's language."""
        return render(Msg(code, **params), self.lang, "cli")

    def show(self, value: object) -> str:
        """A message, an exception or a plain text in the console's language."""
        return render(value, self.lang, "cli")

    def _progress(self, text: str, *, multiline: bool = False) -> None:
        if not self.quiet:
            write_line(self.err, text, multiline=multiline)

    def info(self, text: str, *, multiline: bool = False) -> None:
        """A progress line (stderr); a message is rendered in the console's language."""
        self._progress(self.show(text), multiline=multiline)

    def note(self, text: str) -> None:
        """A "Note: …" line (stderr)."""
        self._progress(self.t("cli.note", text=self.show(text)))

    def skipped(self, text: str) -> None:
        """A line of input that is left out, and why (stderr, always): not an error."""
        write_line(self.err, self.t("cli.skipped", text=self.show(text)))

    def say(self, text: str) -> None:
        """A result line (stdout, unless JSON mode)."""
        if not self.json_mode:
            write_line(sys.stdout, text)

    def error(self, text: object, *, multiline: bool = False) -> None:
        """An error (stderr, always): a message, an exception or a text. ``multiline`` keeps
        the line breaks of the tool's own multi-line messages; without it the error is one
        line."""
        write_line(self.err, self.t("cli.error", text=self.show(text)), multiline=multiline)

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
            mark = (self.t(f"cli.mark.{event.status}")
                    if event.status in ("ok", "budget", "failed", "skipped") else event.status)
            detail = f" – {self.show(event.message)}" if event.message else ""
            step = step_title(event.step, self.lang, "cli")
            seconds = format_number(event.duration_s, self.lang, 1)  # 0,4 in Norwegian
            self._progress(f"    {step:<40} {mark:<10} {seconds:>6}s{detail}")
        elif isinstance(event, CaptureMessage):
            self._progress(f"    · {self.show(event.text)}")

    def on_batch_event(self, event: Event) -> None:
        """Batch progress: a live bar on a terminal, plain lines otherwise."""
        if self.quiet:
            return
        if isinstance(event, BatchProgress):
            self._last_progress = event
            if event.notice or (isinstance(event.text, Msg)
                                and event.text.code == "batch.retrying") \
                    or event.text.startswith("retrying"):
                self._line(f"  {self.show(event.text)}")
            elif self.err.isatty():
                self._draw_bar(event)
        elif isinstance(event, CaptureFinished):
            if event.status == "failed":
                # a list where everything fails (the network is down) would print a line per
                # URL: after FAILED_LIVE_LINES the bar counts them and the report lists them
                self._failed_lines += 1
                if self._failed_lines > FAILED_LIVE_LINES:
                    return
                if self._failed_lines == FAILED_LIVE_LINES:
                    self._line(self.t("cli.failed_live_cap", count=FAILED_LIVE_LINES))
                    return
            p = self._last_progress
            where = event.package or self.show(event.error or "")
            prefix = f"[{p.done + 1}/{p.total}] " if p else ""
            status = self.t(f"status.{event.status}") if event.status in (
                "complete", "partial", "failed") else event.status
            self._line(f"{prefix}{status:<12} {event.url}  {where}")

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
        eta = "" if p.eta_s is None else "  " + self.t(
            "cli.eta", duration=format_duration(p.eta_s))
        c = p.counts
        counts = self.t("cli.bar", complete=c.get("complete", 0), partial=c.get("partial", 0),
                        failed=c.get("failed", 0))
        # the counts and the estimate are the tool's own words: cleaned like any other line
        self.err.write(f"\r\x1b[2K[{'#' * filled}{'-' * (width - filled)}] {p.done}/{p.total}"
                       f"  {shown(counts)}{shown(eta)}")
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
            self.error(self.t("cli.capture_failed", url=result.url,
                              error=self.show(result.error)))
            return
        comp = result.completeness
        if comp:
            reported = comp.get("reported") or {}
            n_rep = reported.get("comments", reported.get("replies"))
            captured = comp.get("captured_replies", 0)
            line = (self.t("cli.replies_captured", captured=captured) if n_rep is None
                    else self.t("cli.replies_reported", captured=captured, reported=n_rep))
            for miss in comp.get("missing", []):
                line += "; " + self.t("cli.missing", count=miss.get("count") or "?",
                                      reason=self.show(missing_reason(miss)))
            self._progress(f"    {line}")
            for conflict in comp.get("conflicts") or []:
                if isinstance(conflict, dict):
                    self._progress(f"    {self.show(conflict_line(conflict))}")
        for warning in result.warnings:
            self._progress("    " + self.t("cli.warning", text=self.show(warning)))
        status = self.t(f"status.{result.status.value}").upper()
        self._progress("    " + self.t("cli.result_line", status=status,
                                       package=str(result.package)))
        self.say(str(result.package))

