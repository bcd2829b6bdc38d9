"""Small shared pieces: status names and colours, step names, dates, labelled rows."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont, QIcon
from PySide6.QtWidgets import QFrame, QLabel, QWidget

from somecapture.gui.i18n import current_language, engine_text
from somecapture.messages import Msg, step_title
from somecapture.package.layout import METADATA_NAME, SCREENED_PDF_NAME
from somecapture.resources import resource_path
from somecapture.textsafe import clean_text

# background colours for statuses (light, readable with black text)
STATUS_COLORS = {
    "complete": QColor("#d8f0dc"),
    "partial": QColor("#fcefc7"),
    "failed": QColor("#f8d7da"),
    "running": QColor("#dbe8fb"),
    "problem": QColor("#f8d7da"),
    "duplicate": QColor("#eeeeee"),
}
# strong colours for badges and marks
STATUS_STRONG = {
    "complete": "#1e7b34",
    "partial": "#9a6700",
    "failed": "#b42318",
    "running": "#1f5fbf",
}


def shown(text: object, *, multiline: bool = False) -> str:
    """Text from a page, or from an error or warning that quotes one, as a widget shows it.

    An engine message (a ``Msg``, an exception raised with one, or the JSON of one) is
    rendered in the app's language first (:func:`~somecapture.gui.i18n.engine_text`), so
    every error and warning the app shows comes from the message catalogue.

    Qt does not act on terminal escapes, but it does apply bidi overrides (U+202E makes a
    label read backwards), shows zero-width tricks invisibly and draws control characters as
    boxes. :func:`~somecapture.textsafe.clean_text` removes them; ordinary text (æøå, emoji,
    RTL scripts) is shown as it is. Only what is shown is cleaned: the result, the catalogue
    and the package keep the page's text unchanged. Without ``multiline`` the text is one line.
    """
    if isinstance(text, Msg | BaseException | Mapping):
        text = engine_text(text)
    return clean_text(None if text is None else str(text), multiline=multiline)


def plain_label(label: QLabel) -> QLabel:
    """Make ``label`` show its text as plain text, never as rich text: a label that shows page
    text must not render ``<a href>`` or ``<img>`` from it (Qt guesses rich text from a
    leading tag otherwise)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def status_text(status: str | None) -> str:
    """A capture status in the user's language."""
    names = {
        "complete": QCoreApplication.translate("Status", "Complete"),
        "partial": QCoreApplication.translate("Status", "Partial"),
        "failed": QCoreApplication.translate("Status", "Failed"),
        "running": QCoreApplication.translate("Status", "Capturing…"),
        "pending": QCoreApplication.translate("Status", "Waiting"),
        "ready": QCoreApplication.translate("Status", "Ready"),
        "cancelled": QCoreApplication.translate("Status", "Cancelled"),
    }
    return names.get(status or "", status or "")


def step_text(step: str) -> str:
    """A capture step's name in the user's language, from the message catalogue (the names
    the command line and the PDF use too; unknown steps as the engine names them)."""
    return step_title(step, current_language(), "app")


# the steps of an ordinary capture, in order (for the progress bar; unknown steps still show)
CAPTURE_STEPS = ("navigate", "settle", "dismiss-overlays", "expand-thread",
                 "dismiss-overlays-again", "load-lazy-media", "screenshot", "extract-thread",
                 "finish-recording", "reconcile-thread", "locate-persons", "package", "seal")


def step_status_text(status: str) -> str:
    """A step outcome in the user's language."""
    names = {
        "ok": QCoreApplication.translate("Steps", "done"),
        "budget": QCoreApplication.translate("Steps", "stopped at its time limit"),
        "failed": QCoreApplication.translate("Steps", "failed"),
        "skipped": QCoreApplication.translate("Steps", "skipped"),
    }
    return names.get(status, status)


def local_time(stamp: str | None) -> str:
    """An RFC 3339 UTC time as local ``yyyy-mm-dd hh:mm`` (empty for None)."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def icon(name: str) -> QIcon:
    """An icon from ``resources/icons`` (an empty icon when the file is missing)."""
    path = resource_path("icons", f"{name}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()


def heading(text: str, scale: float = 1.35) -> QLabel:
    """A bold heading label."""
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def hint(text: str = "") -> QLabel:
    """A secondary, wrapped explanation label."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setProperty("hint", True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.LinksAccessibleByMouse)
    return label


def separator(parent: QWidget | None = None) -> QFrame:
    """A thin horizontal line."""
    line = QFrame(parent)
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


def screened_pdf(package: Path) -> Path | None:
    """The package's screened variant (``data/screened/screenshot.pdf``), when it has one.

    The place is the package layout's, not the metadata's ``file``: a path from a file in the
    package is never opened.
    """
    path = package / "data" / SCREENED_PDF_NAME
    return path if path.is_file() else None


def _metadata(package: Path) -> dict[str, Any] | None:
    """A package's ``capture-metadata.json``, or None when it cannot be read."""
    try:
        data = json.loads((package / "data" / METADATA_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _count_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 \
        else None


def replies_of(completeness: Any) -> tuple[int | None, int | None]:
    """(replies captured, replies the page reports) of a capture's ``completeness`` facts;
    None where not known (the page reports comments, or replies, or nothing)."""
    if not isinstance(completeness, dict):
        return None, None
    reported = completeness.get("reported")
    reported = reported if isinstance(reported, dict) else {}
    said = _count_or_none(reported.get("comments"))
    if said is None:
        said = _count_or_none(reported.get("replies"))
    return _count_or_none(completeness.get("captured_replies")), said


def read_replies(package: Path) -> tuple[int | None, int | None]:
    """:func:`replies_of` a published package (from its metadata file)."""
    data = _metadata(package)
    return replies_of(data.get("completeness") if data is not None else None)


def read_screening(package: Path) -> dict[str, Any] | None:
    """The ``screening`` facts of a package's ``capture-metadata.json`` (counts, problems),
    or None when it has none or the file cannot be read."""
    data = _metadata(package)
    screening = data.get("screening") if data is not None else None
    return screening if isinstance(screening, dict) else None
