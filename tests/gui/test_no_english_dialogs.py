"""Every dialog and message box the app can show, in bokmål and in nynorsk, shows no English
(and, in nynorsk, no bokmål).

tests/gui/test_no_english.py reads the views; this reads what pops up over them: the error
dialog (an engine error from the message catalogue, a file the system refused, a bug, the
settings file's error at start, a watch schedule that cannot be read, a file that no longer
exists or that nothing opens), the questions (quit while a capture, a list, a watch round or
a login runs; remove a login profile; capture a list again, both ways), the WACZ export's
result (a real export of a small package, and an authority that gave no stamp), the About
dialog and the file choosers (with Qt's own labels, from the Qt translations the app
installs). Each is opened the way the app opens it; a timer reads every text of the dialog
when it is up and closes it, so a blocking ``exec()`` returns.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QDialog, QPlainTextEdit, QWidget

from somecapture.batchinput import read_list_file
from somecapture.errors import SomecaptureError
from somecapture.events import CaptureFinished
from somecapture.gui import dialogs, watch_jobs
from somecapture.gui.bridge import UnfinishedBatch
from somecapture.gui.i18n import install_language
from somecapture.gui.main_window import MainWindow
from somecapture.gui.widgets.wacz_export import ask_wacz_target
from somecapture.inputs import normalize_url
from somecapture.package.seal import SealConfig, request_timestamps
from somecapture.package.wacz import WaczExport, export_wacz
from somecapture.profiles import ProfileInfo
from somecapture.watch.schedule import Schedule, ScheduleSpecError
from tests.english import plain
from tests.gui.conftest import make_package
from tests.gui.test_no_english import _english_sources, untranslated, widget_texts
from tests.norwegian import bokmal_in


class DialogReader:
    """Reads the dialogs an action opens: every text of each, then closes it."""

    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot
        self.read: list[tuple[str, list[tuple[str, str]]]] = []

    def _visible(self) -> list[QWidget]:
        # a dialog closed earlier may be gone on the C++ side while Qt still lists it
        # (deleted later): asking it anything then crashes the process (seen once in CI)
        return [w for w in QApplication.topLevelWidgets()
                if shiboken6.isValid(w) and isinstance(w, QDialog) and w.isVisible()]

    def open(self, name: str, action: Callable[[], Any], count: int = 1) -> None:
        """Run ``action`` and read the ``count`` dialogs it opens (blocking or not)."""
        before = set(self._visible())
        found: list[QWidget] = []

        def poll() -> None:
            new = [w for w in self._visible() if w not in before and w not in found]
            for dialog in new:
                found.append(dialog)
                texts = [(f"{name}: {where}", text) for where, text in widget_texts(dialog)
                         # a bug's traceback is for whoever supports the app: Python's own
                         if not (isinstance(dialog, dialogs.ErrorDialog)
                                 and where.startswith(QPlainTextEdit.__name__))]
                self.read.append((name, texts))
                dialog.reject()
            if len(found) < count:
                QTimer.singleShot(10, poll)

        QTimer.singleShot(0, poll)
        action()
        self.qtbot.waitUntil(lambda: len(found) >= count, timeout=5000)

    def texts(self) -> list[tuple[str, str]]:
        """Every text read, with where it was."""
        return [t for _name, texts in self.read for t in texts]


@pytest.fixture()
def window(qtbot, fake_bridge, app_settings, tmp_path) -> Iterator[MainWindow]:
    fake_bridge.auto["profiles"] = lambda job: [ProfileInfo(
        "facebook-oslokommune", tmp_path / "p", "2026-11-20T10:00:00+00:00", None,
        "https://www.facebook.com/login")]
    fake_bridge.auto["unfinished_batch"] = lambda job: None
    fake_bridge.auto["read_list"] = lambda job: read_list_file(Path(job.label))
    win = MainWindow(fake_bridge, app_settings)
    qtbot.addWidget(win)
    win.show()
    yield win
    install_language("en")


def _engine_errors(tmp_path: Path) -> list[BaseException]:
    """Errors the engine raises, made by the engine (each with its catalogue message)."""
    errors: list[BaseException] = []
    for address in ("ikke en adresse", "ftp://arkiv.example/fil"):
        try:
            normalize_url(address)
        except SomecaptureError as exc:
            errors.append(exc)
    try:
        export_wacz(tmp_path / "ingen-pakke", tmp_path / "a.wacz")
    except SomecaptureError as exc:
        errors.append(exc)
    for code in (errno.ENOENT, errno.EACCES, errno.ENOSPC):
        errors.append(OSError(code, "system words", str(tmp_path / "fil.txt")))
    try:
        raise RuntimeError("an unexpected bug")
    except RuntimeError as exc:
        errors.append(exc)
    return errors


def _open_every_dialog(qtbot, reader: DialogReader, window: MainWindow, bridge: Any,
                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # errors, in the error dialog
    for i, exc in enumerate(_engine_errors(tmp_path)):
        reader.open(f"error {i} {type(exc).__name__}",
                    lambda exc=exc: dialogs.show_exception(window, exc))
    reader.open("not found", lambda: dialogs.open_path(window, tmp_path / "borte"))
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda _url: False))
    reader.open("nothing opens it", lambda: dialogs.open_path(window, tmp_path))
    # a schedule the watch cannot read
    watch = window.watch_view
    watch.url_edit.setText("https://forum.example/t/1")
    watch.schedule_edit.setText("1x,3d")
    watch.add()
    with pytest.raises(ScheduleSpecError) as bad:
        Schedule.parse("1x,3d")
    reader.open("schedule", lambda: bridge.fail(bridge.last(watch_jobs.ADD), bad.value))
    # quitting while something runs: a capture, a list, a watch round, a login
    capture = window.capture_view
    capture.url_edit.setText("https://www.oslo.kommune.no/nyheter/bibliotek")
    capture.start_capture()
    reader.open("quit during a capture", window.close)
    bridge.cancelled(bridge.last("capture"))
    listing = tmp_path / "innlegg.txt"
    listing.write_text("https://www.oslo.kommune.no/a\nhttps://www.oslo.kommune.no/b\n",
                       encoding="utf-8")
    batch = window.batch_view
    batch.load_list(listing)
    qtbot.waitUntil(lambda: batch.parsed is not None and batch.unfinished_job is None)
    batch.start()
    reader.open("quit during a list", window.close)
    run = bridge.last("batch")
    bridge.emit(run, CaptureFinished("c-1", batch.model.rows[0].url, "complete",
                                     str(tmp_path), None))
    bridge.cancelled(run)
    watch.run_round(now=True)
    reader.open("quit during a watch round", window.close)
    bridge.cancelled(bridge.last(watch_jobs.ROUND))
    profiles = window.profiles_view
    qtbot.waitUntil(lambda: profiles.table.model().rowCount() == 1)
    profiles.table.selectRow(0)
    profiles.log_in_again()
    reader.open("quit during a login", window.close)
    bridge.cancelled(bridge.last("login"))
    reader.open("remove profile", profiles.remove_selected)
    # the list again: after rows were captured here, and with an unfinished run on disk
    reader.open("capture the list again", batch.start)
    bridge.auto["unfinished_batch"] = lambda job: UnfinishedBatch("b-1", True, 1, 2)
    batch.load_list(listing)
    qtbot.waitUntil(lambda: batch.unfinished is not None)
    reader.open("capture the unfinished list again", batch.start)
    # the WACZ export's result (the export itself needs a captured package: it is tested in
    # tests/packaging/test_wacz.py): written; stamped; one authority, asked for real on a
    # closed port of this computer, gave no stamp
    package = make_package(tmp_path, "20261125T120000Z-web-w")
    exporter = capture.wacz_exporter
    exporter.ask = lambda _parent, _package: tmp_path / "ut.wacz"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    failed = request_timestamps(b"datapackage", SealConfig(
        urls=(f"http://127.0.0.1:{closed}/tsa",), timeout_s=5))
    assert failed and not failed[0].ok
    granted = replace(failed[0], authority=2, info=object(), reason=None)  # (a token's)
    for name, stamps in (("WACZ exported", ()), ("WACZ stamped", (granted,)),
                         ("WACZ not stamped", (*failed, granted))):
        exporter.export(package)
        job = bridge.last("export_wacz")
        outcome = WaczExport(path=tmp_path / "ut.wacz", bytes=1234, sha256="0" * 64,
                             indexed_records=3, page_url="https://www.oslo.kommune.no/a",
                             page_ts="20261125120000", stamps=tuple(stamps))
        reader.open(name, lambda job=job, outcome=outcome: bridge.finish(job, outcome))
    # About, and the file choosers (Qt's own dialog, with our titles and filters)
    reader.open("about", window.show_about)
    reader.open("choose a list", batch.choose_file)
    settings = window.settings_view
    reader.open("choose the output folder", settings._browse_out)
    reader.open("choose a browser", settings._browse_browser)
    reader.open("export WACZ to", lambda: ask_wacz_target(window, package))


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_no_dialog_shows_english(qtbot, window, fake_bridge, app_settings, tmp_path,
                                 monkeypatch, language):
    install_language(language)
    reader = DialogReader(qtbot)
    _open_every_dialog(qtbot, reader, window, fake_bridge, tmp_path, monkeypatch)
    names = [name for name, _texts in reader.read]
    assert len(names) == len(set(names)) == 25, names  # each dialog read once
    assert all(texts for _name, texts in reader.read)
    problems = untranslated(reader.texts(), _english_sources())
    assert problems == [], "\n".join(problems)
    if language == "nn":
        bokmal = sorted({(where, plain(text)) for where, text in reader.texts()
                         if bokmal_in(plain(text).replace("ikke en adresse", " "))})
        assert bokmal == [], "\n".join(f"{where}: {text}" for where, text in bokmal)


def test_the_settings_file_error_at_start_is_norwegian(qtbot, fake_bridge, app_settings):
    """The dialog the app opens at start when config.toml cannot be read."""
    app_settings.config_file.parent.mkdir(parents=True, exist_ok=True)
    app_settings.config_file.write_text("[defaults\nout = 3\n", encoding="utf-8")
    app_settings.reload_agency()
    assert app_settings.config_error
    for language in ("nb", "nn"):
        install_language(language)
        reader = DialogReader(qtbot)
        win = MainWindow(fake_bridge, app_settings)
        qtbot.addWidget(win)
        reader.open("settings file error", win.show)
        texts = reader.texts()
        assert len(texts) >= 4
        assert untranslated(texts, _english_sources()) == []
        if language == "nn":
            assert [t for _w, t in texts if bokmal_in(t)] == []
        win.hide()
