"""Error dialogs and questions, in the user's language.

Every error reaches the user: a :class:`~somecapture.errors.SomecaptureError` is shown with a
headline in the user's language and the engine's own message (which says what to do) as the
text; anything else is a bug: it is logged with its traceback and shown with "Copy details", so
the archivist can send it on. Dialogs are opened non-blocking (``open()``), so a capture that
finishes while a dialog is up still updates the window.
"""

from __future__ import annotations

import errno
import logging
import platform
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from somecapture._version import __version__
from somecapture.errors import SomecaptureError
from somecapture.gui.i18n import engine_text
from somecapture.textsafe import clean_text

log = logging.getLogger(__name__)

# where unexpected errors are logged (set by the app at start; shown in the dialog)
LOG_FILE: Path | None = None


def error_headline(code: str | None) -> str:
    """A short headline in the user's language for an error code (engine ``code`` values).

    Every code of :func:`somecapture.errors.error_codes` has its own headline (a test checks
    it, in both languages); the generic "The capture failed" is left for results without a
    code.
    """
    headlines = {
        "error": QCoreApplication.translate("Errors", "Something went wrong"),
        # what the user typed or chose
        "input": QCoreApplication.translate("Errors", "Please check what you entered"),
        "invalid_url": QCoreApplication.translate("Errors", "This address cannot be captured"),
        "invalid_option": QCoreApplication.translate(
            "Errors", "A setting has a value that cannot be used"),
        "batch_busy": QCoreApplication.translate("Errors", "This batch is already running"),
        # this computer
        "output_dir": QCoreApplication.translate("Errors", "The output folder cannot be used"),
        "browser_not_found": QCoreApplication.translate("Errors", "No browser was found"),
        "browser_launch": QCoreApplication.translate("Errors", "The browser did not start"),
        "disk": QCoreApplication.translate("Errors", "A file could not be saved"),
        # reaching the page
        "navigation": QCoreApplication.translate("Errors", "The page could not be opened"),
        "dns": QCoreApplication.translate("Errors", "The site's address was not found"),
        "tls_certificate": QCoreApplication.translate(
            "Errors", "The site's security certificate is not trusted"),
        "proxy": QCoreApplication.translate("Errors", "The proxy could not reach the site"),
        "private_network_blocked": QCoreApplication.translate(
            "Errors", "Addresses on the local network are blocked"),
        "timeout": QCoreApplication.translate("Errors", "The page took too long to answer"),
        "http_error": QCoreApplication.translate("Errors", "The server answered with an error"),
        # during the capture
        "capture": QCoreApplication.translate("Errors", "A step of the capture failed"),
        "browser": QCoreApplication.translate("Errors", "The browser had a problem"),
        "hung": QCoreApplication.translate("Errors", "The page stopped responding"),
        "crashed": QCoreApplication.translate("Errors", "The browser tab crashed"),
        "screenshot": QCoreApplication.translate("Errors", "No screenshot could be taken"),
        "profile_logged_out": QCoreApplication.translate(
            "Errors", "The login profile is no longer logged in"),
        "cancelled": QCoreApplication.translate("Errors", "The capture was cancelled"),
        "profile": QCoreApplication.translate("Errors", "Problem with the login profile"),
        # the package
        "package": QCoreApplication.translate("Errors", "The package could not be written"),
        "pdf": QCoreApplication.translate("Errors", "The PDF/A copy could not be made"),
        "arkivmelding": QCoreApplication.translate("Errors", "The arkivmelding is not valid"),
        "verification": QCoreApplication.translate(
            "Errors", "The package did not pass verification"),
        "internal": QCoreApplication.translate("Errors", "An unexpected error occurred"),
    }
    return headlines.get(code or "",
                         QCoreApplication.translate("Errors", "The capture failed"))


def describe_exception(exc: BaseException) -> tuple[str, str, str | None]:
    """(headline, message, details) for an exception: details only for unexpected ones."""
    if isinstance(exc, SomecaptureError):
        # the engine's message in the app's language, with advice for the app
        return error_headline(getattr(exc, "code", None)), engine_text(exc), None
    if isinstance(exc, OSError):
        headline = QCoreApplication.translate("Errors", "A file or folder could not be used")
        return headline, os_error_text(exc), None
    headline = QCoreApplication.translate("Errors", "An unexpected error occurred")
    message = QCoreApplication.translate(
        "Errors", "This is a bug in somecapture. Nothing half-written was published. Please "
        "send the details below to whoever supports somecapture at your agency.")
    return headline, message, format_details(exc)


def os_error_text(exc: OSError) -> str:
    """What went wrong with a file, in the user's language: the system's own words are
    English (Python does not translate them), so the common reasons are said here, with the
    file's name; others keep the system's words."""
    reasons = {
        errno.EACCES: QCoreApplication.translate("Errors", "you do not have permission to "
                                                 "use it"),
        errno.EPERM: QCoreApplication.translate("Errors", "you do not have permission to "
                                                "use it"),
        errno.ENOENT: QCoreApplication.translate("Errors", "it does not exist"),
        errno.ENOSPC: QCoreApplication.translate("Errors", "the disk is full"),
        errno.EROFS: QCoreApplication.translate("Errors", "the disk can only be read, not "
                                                "written to"),
        errno.EEXIST: QCoreApplication.translate("Errors", "it exists already"),
        errno.ENOTDIR: QCoreApplication.translate("Errors", "it is not a folder"),
        errno.EISDIR: QCoreApplication.translate("Errors", "it is a folder, not a file"),
    }
    reason = reasons.get(exc.errno or 0) or exc.strerror or str(exc)
    if exc.filename:
        return QCoreApplication.translate("Errors", "{path}: {reason}.").format(
            path=clean_text(str(exc.filename)), reason=reason)
    return reason


def format_details(exc: BaseException) -> str:
    """Version, platform and traceback: what a bug report needs."""
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    where = f"\nLog file: {LOG_FILE}" if LOG_FILE else ""
    return (f"somecapture {__version__} on {platform.system()} {platform.release()} "
            f"(Python {platform.python_version()}){where}\n\n{tb}")


class ErrorDialog(QDialog):
    """An error: headline, what to do, and (for bugs) details with a "Copy details" button."""

    def __init__(self, parent: QWidget | None, headline: str, message: str,
                 details: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(self.tr("somecapture – error"))
        self.setMinimumWidth(520)
        # error messages quote pages (titles, URLs, server and browser errors): shown, and
        # copied, cleaned of controls and bidi overrides, as plain text
        self.headline = clean_text(headline)
        self.message = clean_text(message, multiline=True)
        self.details = clean_text(details, multiline=True) or None
        headline, message, details = self.headline, self.message, self.details
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
                       .pixmap(40, 40))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        top.addWidget(icon)
        texts = QVBoxLayout()
        title = QLabel(headline)
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setObjectName("errorHeadline")
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        title.setFont(font)
        title.setWordWrap(True)
        texts.addWidget(title)
        body = QLabel(message)
        body.setTextFormat(Qt.TextFormat.PlainText)
        body.setObjectName("errorMessage")
        body.setWordWrap(True)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        texts.addWidget(body)
        top.addLayout(texts, 1)
        layout.addLayout(top)
        self.details_box: QPlainTextEdit | None = None
        if details:
            self.details_box = QPlainTextEdit(details)
            self.details_box.setReadOnly(True)
            self.details_box.setMinimumHeight(160)
            self.details_box.setAccessibleName(self.tr("Error details"))
            layout.addWidget(self.details_box)
        buttons = QHBoxLayout()
        self.copy_button = QPushButton(self.tr("Copy details"))
        self.copy_button.clicked.connect(self.copy_details)
        buttons.addWidget(self.copy_button)
        if LOG_FILE is not None and details:
            log_button = QPushButton(self.tr("Open log folder"))
            log_button.clicked.connect(self._open_log_folder)
            buttons.addWidget(log_button)
        buttons.addStretch(1)
        close = QPushButton(self.tr("Close"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        close.setFocus()

    def full_text(self) -> str:
        """Everything the dialog says, as plain text (what "Copy details" copies)."""
        parts = [self.headline, self.message]
        if self.details:
            parts.append(self.details)
        return "\n\n".join(parts)

    def copy_details(self) -> None:
        """Put the error text on the clipboard."""
        QGuiApplication.clipboard().setText(self.full_text())
        self.copy_button.setText(self.tr("Copied"))

    def _open_log_folder(self) -> None:
        if LOG_FILE is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(LOG_FILE.parent)))


# dialogs without a parent are kept alive here until closed (Python would collect them)
_open_dialogs: set[ErrorDialog] = set()


def show_error(parent: QWidget | None, headline: str, message: str,
               details: str | None = None) -> ErrorDialog:
    """Open an error dialog without blocking (returned so tests can look at it)."""
    dialog = ErrorDialog(parent, headline, message, details)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_dialogs.add(dialog)
    dialog.finished.connect(lambda _result: _open_dialogs.discard(dialog))
    log.info("error shown: %s: %s", headline, message)
    dialog.open()
    return dialog


def show_exception(parent: QWidget | None, exc: BaseException) -> ErrorDialog:
    """Show an exception in the user's language; unexpected ones with details."""
    headline, message, details = describe_exception(exc)
    return show_error(parent, headline, message, details)


def ask(parent: QWidget | None, title: str, text: str, yes: str, no: str) -> bool:
    """A yes/no question with explicit button texts (blocking: only for confirmations)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


def open_path(parent: QWidget | None, path: Path | str) -> bool:
    """Open a file or folder with the system's default application; say so if that fails."""
    target = Path(path)
    if not target.exists():
        show_error(parent, QCoreApplication.translate("Errors", "Not found"),
                   QCoreApplication.translate("Errors", "{path} does not exist any more. It "
                                              "may have been moved or deleted.")
                   .format(path=target))
        return False
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
        show_error(parent, QCoreApplication.translate("Errors", "Could not open"),
                   QCoreApplication.translate("Errors", "No application is set up to open "
                                              "{path}. Open it from your file manager.")
                   .format(path=target))
        return False
    return True
