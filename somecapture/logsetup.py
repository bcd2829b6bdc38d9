"""The log file: where it is and how it is set up, shared by the command line and the app.

It sits beside the base modules (not in the CLI) so the desktop app can set up logging without
importing the command line.
"""

from __future__ import annotations

import logging
from pathlib import Path

import platformdirs


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
