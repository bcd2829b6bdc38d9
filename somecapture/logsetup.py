"""The log file: where it is and how it is set up, shared by the command line and the app.

It sits beside the base modules (not in the CLI) so the desktop app can set up logging without
importing the command line.
"""

from __future__ import annotations

import logging
from pathlib import Path

import platformdirs

from somecapture.textsafe import clean_text

#: continuation lines of a record (a traceback, a multi-line message) start with this, so
#: every line at the left margin is the start of a record the tool wrote
CONTINUATION = "    "


class SafeFormatter(logging.Formatter):
    """A formatter whose output is safe to read in a terminal or pager (``tail -f``,
    ``less -R``) and cannot be forged.

    Page text reaches log records through messages and exception texts (button labels, URLs,
    browser and server errors). The whole formatted record is passed through
    :func:`~somecapture.textsafe.clean_text` (escape sequences, control characters, bidi
    overrides, lone surrogates), and every line after the first is indented with
    :data:`CONTINUATION`, so a line break inside page text cannot start what looks like a new
    record (``2026-01-01 … INFO …: COMPLETE``). Tracebacks stay readable, indented.
    """

    def format(self, record: logging.LogRecord) -> str:
        """The record as one entry: first line at the margin, the rest indented."""
        text = clean_text(super().format(record), multiline=True)
        return text.replace("\n", "\n" + CONTINUATION)


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
    handler.setFormatter(SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._somecapture = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
