"""The Batch view: preview with problems marked, start/cancel/resume, per-row status, report."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from somecapture.batch import BatchItemResult, BatchResult
from somecapture.batchinput import read_list_file
from somecapture.events import BatchProgress, BatchStarted, CaptureFinished, CaptureStarted
from somecapture.gui.bridge import UnfinishedBatch
from somecapture.gui.main_window import MainWindow
from somecapture.gui.widgets.batch_view import BatchView
from somecapture.gui.widgets.common import STATUS_COLORS

LIST = """# posts for case 2024/123
https://example.org/post/1
https://example.org/post/2
ftp://example.org/not-a-post
https://example.org/post/1
https://example.org/post/3
"""


@pytest.fixture()
def list_file(tmp_path: Path) -> Path:
    path = tmp_path / "posts.txt"
    path.write_text(LIST, encoding="utf-8")
    return path


@pytest.fixture()
def view(qtbot, fake_bridge, app_settings) -> BatchView:
    fake_bridge.auto["read_list"] = lambda job: read_list_file(Path(job.label))
    fake_bridge.auto["unfinished_batch"] = lambda job: None
    v = BatchView(fake_bridge, app_settings)
    qtbot.addWidget(v)
    v.resize(1100, 700)
    v.show()
    return v


def _cell(view: BatchView, row: int, column: str) -> str:
    index = view.model.index(row, view.model.COLUMNS.index(column))
    return str(view.model.data(index))


def _load(qtbot, view: BatchView, path: Path) -> None:
    view.load_list(path)
    qtbot.waitUntil(lambda: view.parsed is not None and view.unfinished_job is None)


def test_preview_marks_problems_and_duplicates(qtbot, view, list_file):
    _load(qtbot, view, list_file)
    assert view.model.rowCount() == 5
    lines = [_cell(view, r, "line") for r in range(5)]
    assert lines == ["2", "3", "4", "5", "6"]
    assert _cell(view, 2, "status") == "Cannot be captured"
    assert "ftp" in _cell(view, 2, "details") or "scheme" in _cell(view, 2, "details").lower()
    problem_bg = view.model.data(view.model.index(2, 0), Qt.ItemDataRole.BackgroundRole)
    assert problem_bg == STATUS_COLORS["problem"]
    assert _cell(view, 3, "status") == "Duplicate"
    assert "line 2" in _cell(view, 3, "details")
    assert _cell(view, 0, "status") == "Ready"
    summary = view.summary.text()
    assert "3 address(es) to capture" in summary
    assert "1 line(s) cannot be captured" in summary
    assert "1 duplicate(s)" in summary
    # like the CLI: nothing starts while lines have problems, unless they are skipped
    assert not view.start_button.isEnabled()
    view.skip_check.setChecked(True)
    assert view.start_button.isEnabled()
    assert not view.resume_button.isEnabled()


def test_a_run_updates_each_row_and_ends_with_the_report(qtbot, view, fake_bridge, list_file,
                                                         tmp_path, opened):
    _load(qtbot, view, list_file)
    view.skip_check.setChecked(True)
    view.concurrency_spin.setValue(2)
    qtbot.mouseClick(view.start_button, Qt.MouseButton.LeftButton)
    job = fake_bridge.last("batch")
    args, kwargs = fake_bridge.args(job)
    assert args[0] == list_file and kwargs == {"concurrency": 2, "retries": 2, "resume": False}
    assert view.cancel_button.isEnabled() and not view.start_button.isEnabled()
    urls = [f"https://example.org/post/{n}" for n in (1, 2, 3)]
    fake_bridge.emit(job, BatchStarted("b-1", tmp_path, tuple(
        (line, url, None) for line, url in zip((2, 3, 6), urls, strict=True))))
    assert _cell(view, 0, "status") == "Waiting"
    fake_bridge.emit(job, CaptureStarted("c-1", urls[0]))
    assert _cell(view, 0, "status") == "Capturing…"
    fake_bridge.emit(job, CaptureFinished("c-1", urls[0], "complete", "/out/p1", None))
    fake_bridge.emit(job, BatchProgress("b-1", 3, 1, {"complete": 1, "partial": 0,
                                                      "failed": 0}, 12.0))
    assert _cell(view, 0, "status") == "Complete"
    assert _cell(view, 0, "details") == "p1"  # the folder name; the tooltip has the path
    tip = view.model.data(view.model.index(0, view.model.COLUMNS.index("details")),
                          Qt.ItemDataRole.ToolTipRole)
    assert tip == "/out/p1"
    assert view.progress.value() == 1 and view.progress.maximum() == 3
    assert "1 of 3 done" in view.progress_label.text()
    fake_bridge.emit(job, CaptureFinished("c-2", urls[1], "failed", None,
                                          "The server answered 404"))
    assert _cell(view, 1, "status") == "Failed"
    assert "404" in _cell(view, 1, "details")

    report = tmp_path / "batch-report-b1.csv"
    report.write_text("line,url\n")
    result = BatchResult("b-1", [
        BatchItemResult(2, urls[0], "complete", "/out/p1", [], None, "c-1", 1),
        BatchItemResult(3, urls[1], "failed", None, [], "The server answered 404", "c-2", 1),
        BatchItemResult(6, urls[2], "partial", "/out/p3", ["budget"], None, "c-3", 1),
    ], report_csv=report)
    with qtbot.waitSignal(view.batch_finished):
        fake_bridge.finish(job, result)
    assert _cell(view, 4, "status") == "Partial"
    assert "1 complete, 1 partial, 1 failed of 3" in view.report_label.text()
    assert str(report) in view.report_label.text()
    assert view.start_button.isEnabled() and not view.cancel_button.isEnabled()
    qtbot.mouseClick(view.open_report_button, Qt.MouseButton.LeftButton)
    assert opened == [str(report)]


@pytest.mark.parametrize("answer", ["no", "yes"])
def test_start_after_a_finished_run_asks_before_capturing_everything_again(
        qtbot, view, fake_bridge, list_file, tmp_path, monkeypatch, answer):
    _load(qtbot, view, list_file)
    view.skip_check.setChecked(True)
    view.start()
    job = fake_bridge.last("batch")
    url = "https://example.org/post/1"
    fake_bridge.emit(job, CaptureFinished("c-1", url, "complete", "/out/p1", None))
    result = BatchResult("b-1", [BatchItemResult(2, url, "complete", "/out/p1", [], None,
                                                 "c-1", 1)])
    with qtbot.waitSignal(view.batch_finished):
        fake_bridge.finish(job, result)
    asked: list[str] = []

    def question(_parent, title, text, *_args):
        asked.append(text)
        return (QMessageBox.StandardButton.Yes if answer == "yes"
                else QMessageBox.StandardButton.No)

    monkeypatch.setattr(QMessageBox, "question", question)
    qtbot.mouseClick(view.start_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and "1 item" in asked[0] and "again" in asked[0]
    if answer == "no":
        assert fake_bridge.last("batch") is job  # nothing started
        assert _cell(view, 0, "status") == "Complete"  # and nothing reset
    else:
        again = fake_bridge.last("batch")
        assert again is not job and fake_bridge.args(again)[1]["resume"] is False


def test_start_with_an_unfinished_run_of_the_list_asks_and_names_resume(
        qtbot, view, fake_bridge, list_file, monkeypatch):
    # e.g. after restarting the app: every row here is "pending", but 2 of 3 are captured
    fake_bridge.auto["unfinished_batch"] = lambda job: UnfinishedBatch("b-1", True, 2, 3)
    _load(qtbot, view, list_file)
    qtbot.waitUntil(lambda: view.resume_button.isEnabled())
    view.skip_check.setChecked(True)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *_a: (
        asked.append(text), QMessageBox.StandardButton.No)[1])
    qtbot.mouseClick(view.start_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and "2 of 3" in asked[0] and "Resume" in asked[0], asked
    assert [j for j in fake_bridge.jobs if j.kind == "batch"] == []  # nothing started


def test_start_of_a_fresh_list_does_not_ask(qtbot, view, fake_bridge, list_file, monkeypatch):
    _load(qtbot, view, list_file)
    view.skip_check.setChecked(True)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: pytest.fail("asked"))
    qtbot.mouseClick(view.start_button, Qt.MouseButton.LeftButton)
    assert [j.kind for j in fake_bridge.jobs].count("batch") == 1


def test_cancel_keeps_what_is_done_and_offers_resume(qtbot, view, fake_bridge, list_file):
    _load(qtbot, view, list_file)
    view.skip_check.setChecked(True)
    view.start()
    job = fake_bridge.last("batch")
    fake_bridge.emit(job, CaptureStarted("c-1", "https://example.org/post/1"))
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    assert fake_bridge.cancel_requests == [job]
    fake_bridge.auto["unfinished_batch"] = lambda j: UnfinishedBatch("b-1", True, 1, 3)
    fake_bridge.cancelled(job)
    assert _cell(view, 0, "status") == "Waiting"  # the running one was cancelled
    qtbot.waitUntil(lambda: view.resume_button.isEnabled())
    assert "1 of 3 done" in view.resume_note.text()
    qtbot.mouseClick(view.resume_button, Qt.MouseButton.LeftButton)
    assert fake_bridge.args(fake_bridge.last("batch"))[1]["resume"] is True


def test_an_unreadable_list_is_explained(qtbot, view, fake_bridge, tmp_path):
    from tests.gui.conftest import open_error_dialogs

    view.load_list(tmp_path / "missing.txt")
    qtbot.waitUntil(lambda: bool(open_error_dialogs()))
    assert "does not exist" in open_error_dialogs()[0].message
    assert view.list_path is None


def test_dropping_a_list_file_on_the_window_loads_it(qtbot, fake_bridge, app_settings,
                                                     list_file):
    fake_bridge.auto["read_list"] = lambda job: read_list_file(Path(job.label))
    fake_bridge.auto["unfinished_batch"] = lambda job: None
    window = MainWindow(fake_bridge, app_settings)
    qtbot.addWidget(window)
    window.show()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(list_file))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # PySide's only constructor
        enter = QDragEnterEvent(QPoint(300, 300), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(300, 300), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    assert window.current_view() == "batch"
    qtbot.waitUntil(lambda: window.batch_view.model.rowCount() == 5)


def test_the_replies_column_shows_captured_of_reported(qtbot, view, fake_bridge, list_file,
                                                       tmp_path):
    import json
    from types import SimpleNamespace

    from tests.gui.conftest import make_package

    _load(qtbot, view, list_file)
    view.skip_check.setChecked(True)
    view.start()
    job = fake_bridge.last("batch")
    urls = [row.url for row in view.model.rows if row.kind == "item"]
    # a published package: its metadata says what the page reported and what was captured
    package = make_package(tmp_path, "p1")
    (package / "data" / "capture-metadata.json").write_text(json.dumps({"completeness": {
        "reported": {"comments": 14}, "captured_replies": 12, "missing": []}}),
        encoding="utf-8")
    fake_bridge.emit(job, CaptureFinished("c-1", urls[0], "complete", str(package), None))
    row = view.model.rows.index(next(r for r in view.model.rows if r.url == urls[0]))
    assert _cell(view, row, "replies") == "12 / 14"
    tip = view.model.data(view.model.index(row, view.model.COLUMNS.index("replies")),
                          Qt.ItemDataRole.ToolTipRole)
    assert tip == "12 of 14 replies captured"
    # an event that carries the counts itself is taken at its word (no file read)
    finished = SimpleNamespace(replies_captured=3, replies_reported=None)
    from somecapture.gui.widgets.batch_view import _replies

    assert _replies(finished, None) == (3, None)
    # a failed row has no package and no count
    fake_bridge.emit(job, CaptureFinished("c-2", urls[1], "failed", None, "404"))
    row = view.model.rows.index(next(r for r in view.model.rows if r.url == urls[1]))
    assert _cell(view, row, "replies") == ""
    header = view.model.headerData(view.model.COLUMNS.index("replies"),
                                   Qt.Orientation.Horizontal)
    assert header == "Replies"
    fake_bridge.cancelled(job)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_a_failed_row_read_back_from_the_batch_store_is_in_the_apps_language(
        qtbot, view, fake_bridge, list_file, tmp_path, language):
    """The finished batch's rows come from the batch store (also after a resume): a failed
    row's details are the engine's message in the app's language, with the app's advice."""
    from somecapture.catalog import BatchStore, Catalog
    from somecapture.engine.navigation import explain_navigation_error
    from somecapture.gui.i18n import install_language
    from somecapture.models import CaptureResult, CaptureStatus
    from tests.english import english_in

    url = "https://example.org/post/2"
    store = BatchStore(Catalog(tmp_path / "catalog.sqlite"))
    store.create("b-1", str(list_file), "0" * 64, str(tmp_path), [(3, url, {}, "c-2")], {})
    failed = CaptureResult(url=url, capture_id="c-2", status=CaptureStatus.FAILED)
    failed.error = explain_navigation_error(url, Exception(f"net::ERR_BLOCKED_BY_CLIENT at {url}"))
    store.mark_done("b-1", 3, failed)
    [item] = store.items("b-1")
    install_language(language)
    try:
        _load(qtbot, view, list_file)
        view.skip_check.setChecked(True)
        view.start()
        job = fake_bridge.last("batch")
        with qtbot.waitSignal(view.batch_finished):
            fake_bridge.finish(job, BatchResult("b-1", [BatchItemResult(
                item.line, item.url, str(item.status), item.package_path, item.warnings,
                item.error, item.capture_id, item.attempts)]))
        details = _cell(view, 1, "details")
        assert details and english_in(details) == [], details
        # the app's advice (its setting), not the command line's flag
        assert "--allow-private-network" in str(item.error)
        assert "--allow" not in details
    finally:
        install_language("en")
