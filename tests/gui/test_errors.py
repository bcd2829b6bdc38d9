"""Nothing fails silently: unexpected exceptions are logged and shown with "Copy details";
known errors are shown in the user's language without a traceback."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from somecapture.errors import NavigationError
from somecapture.gui import app as gui_app
from somecapture.gui import dialogs
from somecapture.gui.i18n import install_language
from tests.gui.conftest import open_error_dialogs


@pytest.fixture()
def log_file(tmp_path: Path, qapp, monkeypatch):
    """The app's exception hook installed, logging to a temp file."""
    path = tmp_path / "somecapture.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    logging.getLogger().addHandler(handler)
    import sys

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    gui_app.install_excepthook(qapp, path)
    yield path
    logging.getLogger().removeHandler(handler)
    handler.close()
    gui_app._relay = None
    dialogs.LOG_FILE = None


def _raise_and_hook() -> None:
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError as exc:
        gui_app.handle_exception(type(exc), exc, exc.__traceback__)


def test_an_unexpected_exception_is_logged_and_shown_with_details(qtbot, log_file):
    _raise_and_hook()
    qtbot.waitUntil(lambda: bool(open_error_dialogs()))
    dialog = open_error_dialogs()[0]
    assert dialog.headline == "An unexpected error occurred"
    assert dialog.details is not None and "RuntimeError: boom in a slot" in dialog.details
    assert str(log_file) in dialog.details
    assert "boom in a slot" in log_file.read_text(encoding="utf-8")
    assert "Traceback" in log_file.read_text(encoding="utf-8")
    dialog.copy_button.click()
    clipboard = QApplication.clipboard().text()
    assert "RuntimeError: boom in a slot" in clipboard and "An unexpected error" in clipboard
    assert dialog.copy_button.text() == "Copied"


def test_an_exception_on_another_thread_reaches_the_user(qtbot, log_file):
    def work() -> None:
        raise ValueError("engine-side surprise")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(open_error_dialogs()))
    assert "engine-side surprise" in (open_error_dialogs()[0].details or "")


def test_known_errors_speak_the_users_language(qtbot):
    install_language("nb")
    dialog = dialogs.show_exception(None, NavigationError("Could not open https://x/: the "
                                                          "server refused the connection."))
    qtbot.addWidget(dialog)
    assert dialog.headline == "Siden kunne ikke åpnes"
    assert "refused" in dialog.message  # the engine's own explanation, as it is
    assert dialog.details is None
    assert dialog.copy_button.text() == "Kopier detaljer"


def test_opening_a_missing_package_says_so(qtbot, tmp_path):
    assert dialogs.open_path(None, tmp_path / "gone") is False
    dialog = open_error_dialogs()[0]
    assert dialog.headline == "Not found"
    assert "does not exist any more" in dialog.message


def test_the_app_survives_many_qt_calls(tmp_path):
    # PySide6 6.12.0 on CPython 3.11 frees a reference to None on every void Qt call; the
    # app makes None immortal when it sees that (gui.app.guard_none_refcount). Without it
    # this process aborts ("deallocating None") long before the loop ends; in a child
    # process, so that would fail this test, not end the run
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from somecapture.gui.app import create_application\n"
        "from PySide6.QtWidgets import QLabel\n"
        "app = create_application(['x'])\n"
        "label = QLabel()\n"
        "for n in range(300_000):\n"
        "    label.setText('Arkiverer …')\n"
        "print('alive')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env={**__import__("os").environ,
                                            "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "alive" in done.stdout
