"""Starting the desktop app: QApplication, language, error handling, engine bridge, window.

``somecapture gui`` and the ``somecapture-gui`` entry point both call :func:`run`. Unexpected
exceptions anywhere (a slot on the GUI thread, the engine thread, a worker) are written to the
log file with their traceback and shown in a dialog with "Copy details": nothing fails silently.
"""

from __future__ import annotations

import ctypes
import logging
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from somecapture._version import __version__
from somecapture.gui import dialogs
from somecapture.gui.i18n import choose_language, install_language

log = logging.getLogger(__name__)

# smallest base font size (points): archivists read this all day
MIN_POINT_SIZE = 10.0

STYLE = """
QLabel[hint="true"] { color: %(hint)s; }
QListWidget#sidebar { border: none; border-right: 1px solid palette(mid);
                      background: palette(base); padding-top: 8px; font-size: 11pt; }
QListWidget#sidebar::item { padding: 6px 10px; border-radius: 6px; margin: 0 6px; }
QListWidget#sidebar::item:selected { background: palette(highlight);
                                     color: palette(highlighted-text); }
QPushButton#captureButton { font-weight: bold; padding: 4px 18px; }
QGroupBox { font-weight: bold; }
QGroupBox QLabel, QGroupBox QLineEdit, QGroupBox QCheckBox, QGroupBox QRadioButton,
QGroupBox QComboBox, QGroupBox QPushButton, QGroupBox QSpinBox,
QGroupBox QPlainTextEdit { font-weight: normal; }
"""


class _ExceptionRelay(QObject):
    """Carries an exception from any thread to the GUI thread (queued signal)."""

    raised = Signal(object)


_relay: _ExceptionRelay | None = None
_showing = False


def _show_unexpected(exc: BaseException) -> None:
    global _showing
    if _showing:
        return  # an error while showing an error: it is in the log
    _showing = True
    try:
        app = QApplication.instance()
        parent = app.activeWindow() if isinstance(app, QApplication) else None
        dialogs.show_exception(parent, exc)
    except Exception:  # noqa: BLE001 - last resort
        log.exception("could not show the error dialog")
    finally:
        _showing = False


def handle_exception(exc_type: type[BaseException], exc: BaseException,
                     tb: TracebackType | None) -> None:
    """``sys.excepthook``: log the traceback, then show it (on the GUI thread)."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if exc.__traceback__ is None and tb is not None:
        exc = exc.with_traceback(tb)
    log.error("unexpected error", exc_info=(exc_type, exc, tb))
    if _relay is not None:
        _relay.raised.emit(exc)
    else:
        sys.__excepthook__(exc_type, exc, tb)


def _thread_hook(args: Any) -> None:
    if args.exc_value is not None:
        handle_exception(args.exc_type, args.exc_value, args.exc_traceback)


def install_excepthook(app: QApplication, log_file: Path | None) -> None:
    """Route unexpected exceptions of every thread to the log file and an error dialog."""
    global _relay
    dialogs.LOG_FILE = log_file
    _relay = _ExceptionRelay(app)
    _relay.raised.connect(_show_unexpected, Qt.ConnectionType.QueuedConnection)
    sys.excepthook = handle_exception
    threading.excepthook = _thread_hook


# None, True and False were made immortal (see guard_none_refcount)
_immortal = False


def guard_none_refcount() -> bool:
    """Work around PySide6 6.12.0 on CPython 3.11: make None, True and False immortal.

    That PySide6 (its one abi3 wheel for every Python) hands back ``None`` from a wrapped Qt
    method without taking a reference, as CPython 3.12 allows, where None is immortal. On 3.11
    every call of a void Qt method (``setText``, ``setEnabled``…) frees one reference to None,
    and after some thousands of them the interpreter aborts with "deallocating None": the app
    died after minutes of use, and the test run at its end. CPython 3.12 makes None, True and
    False immortal by giving them a reference count no program reaches; the same is done here,
    once, and only when a probe shows the bug. Returns whether it was needed.
    """
    global _immortal
    if _immortal or sys.version_info >= (3, 12) or sys.implementation.name != "cpython" \
            or hasattr(sys, "gettotalrefcount"):  # done, immortal already, or a debug build
        return False
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(10):
        probe.setObjectName("probe")
    if sys.getrefcount(None) >= before:
        return False
    log.warning("PySide6 %s frees references to None it never took (a bug of its build "
                "for CPython < 3.12): None, True and False are made immortal",
                getattr(__import__("PySide6"), "__version__", "?"))
    for constant in (None, True, False):
        # ob_refcnt is the first field of every object in a release build of CPython
        ctypes.c_ssize_t.from_address(id(constant)).value += 1 << 40
    _immortal = True
    return True


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication (created once), named, with a readable font and the app's style."""
    guard_none_refcount()
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication(list(argv if argv is not None else sys.argv[:1]))
    app.setApplicationName("somecapture")
    app.setOrganizationName("somecapture")
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName("somecapture")
    font = QFont(app.font())
    if font.pointSizeF() < MIN_POINT_SIZE:
        font.setPointSizeF(MIN_POINT_SIZE)
        app.setFont(font)
    # secondary text, still readable (contrast about 7:1 on the window colour)
    light = app.palette().window().color().lightness() > 128
    style = STYLE % {"hint": "#4d4d4d" if light else "#c8c8c8"}
    if app.styleSheet() != style:
        app.setStyleSheet(style)  # once: setting it again re-polishes every widget
    return app


def run(argv: Sequence[str] | None = None) -> int:
    """Start the app and return its exit status when the window closes."""
    from somecapture.gui.bridge import EngineBridge
    from somecapture.gui.main_window import MainWindow
    from somecapture.gui.settings import AppSettings
    from somecapture.logsetup import setup_logging

    app = create_application(argv)
    log_file = setup_logging()
    install_excepthook(app, log_file)
    log.info("somecapture %s app starting", __version__)
    settings = AppSettings()
    install_language(choose_language(settings.language))
    bridge = EngineBridge()
    window = MainWindow(bridge, settings)
    app.aboutToQuit.connect(bridge.shutdown)
    window.show()
    status = app.exec()
    log.info("somecapture app closed")
    return int(status)


def entry_point() -> None:
    """The ``somecapture-gui`` entry point."""
    sys.exit(run())
