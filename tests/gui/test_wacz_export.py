"""'Export WACZ…' in the result panel and the history: the action is there (in Norwegian too),
asks where to save, and hands the export to the bridge (off the UI thread); its outcome is
shown. The export itself is tested in tests/packaging/test_wacz.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from somecapture.catalog import CatalogEntry
from somecapture.errors import InputError
from somecapture.gui.i18n import install_language
from somecapture.gui.widgets import wacz_export
from somecapture.gui.widgets.capture_view import CaptureView
from somecapture.gui.widgets.history_view import HistoryView
from tests.gui.conftest import make_package, make_result, open_error_dialogs


@pytest.fixture()
def chosen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    """The save dialog answers with tmp_path/out.wacz (and records what it was asked)."""
    asked: list[Path] = []

    def fake_ask(parent, package: Path) -> Path:
        asked.append(package)
        return tmp_path / "out.wacz"

    monkeypatch.setattr(wacz_export, "ask_wacz_target", fake_ask)
    # the exporters took the default at construction: patch the default argument too
    monkeypatch.setattr(wacz_export.WaczExporter.__init__, "__defaults__", (fake_ask,))
    return asked


def test_result_panel_offers_export_and_calls_the_bridge(qtbot, fake_bridge, app_settings,
                                                         tmp_path, chosen):
    view = CaptureView(fake_bridge, app_settings)
    qtbot.addWidget(view)
    view.show()
    package = make_package(tmp_path)
    view.show_result(make_result(package))
    button = view.result_panel.export_wacz_button
    assert button.isVisible() and button.isEnabled()
    assert button.text() == "Export WACZ…"
    install_language("nb")
    assert button.text() == "Eksporter WACZ …"
    install_language("en")

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    job = fake_bridge.last("export_wacz")
    args, kwargs = fake_bridge.args(job)
    assert args == (package, tmp_path / "out.wacz")
    # the save dialog already asked before an existing file is replaced
    assert kwargs == {"force": True}
    assert chosen == [package]
    with qtbot.waitSignal(view.wacz_exporter.exported) as done:
        fake_bridge.finish(job, object())
    assert done.args == [tmp_path / "out.wacz"]


def test_no_export_without_a_package(qtbot, fake_bridge, app_settings):
    view = CaptureView(fake_bridge, app_settings)
    qtbot.addWidget(view)
    view.show()
    view.show_result(make_result(None, status="failed"))
    assert not view.result_panel.export_wacz_button.isVisible()


def test_history_offers_export_and_a_refusal_is_explained(qtbot, fake_bridge, app_settings,
                                                          tmp_path, chosen):
    package = make_package(tmp_path, "p1")
    entry = CatalogEntry(
        capture_id="c-1", url="https://example.org/post/1", final_url=None, platform="Web",
        author="Oslo kommune", handle=None, title="Innlegg", case_ref=None, archivist="Kari",
        status="complete", captured_at="2026-11-21T10:00:00.000Z", post_date=None,
        package_path=str(package), warc_sha256=None, warnings=[], error=None, batch_id=None)
    fake_bridge.auto["catalog"] = lambda job: [entry]
    view = HistoryView(fake_bridge, app_settings)
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    view.table.selectRow(0)
    button = view.export_wacz_button
    assert button.isEnabled()
    install_language("nb")
    assert button.text().replace("&", "") == "Eksporter WACZ …"
    install_language("en")

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    job = fake_bridge.last("export_wacz")
    assert fake_bridge.args(job)[0][:2] == (package, tmp_path / "out.wacz")
    with qtbot.waitSignal(view.wacz_exporter.export_failed):
        fake_bridge.fail(job, InputError("'x' is not a somecapture package"))
    assert open_error_dialogs(), "the refusal is shown in a dialog"


def test_cancelling_the_save_dialog_exports_nothing(qtbot, fake_bridge, app_settings, tmp_path,
                                                    monkeypatch):
    view = CaptureView(fake_bridge, app_settings)
    qtbot.addWidget(view)
    view.wacz_exporter.ask = lambda parent, package: None
    view.show_result(make_result(make_package(tmp_path)))
    view.result_panel.export_wacz_button.click()
    assert [j for j in fake_bridge.jobs if j.kind == "export_wacz"] == []


def test_an_authority_that_did_not_stamp_the_wacz_is_said(qtbot, fake_bridge, app_settings,
                                                          tmp_path, chosen):
    """As a PARTIAL capture says what it lacks, the export says which authority gave no
    stamp over the WACZ (the file itself is written)."""
    from types import SimpleNamespace

    from PySide6.QtWidgets import QApplication, QMessageBox

    view = CaptureView(fake_bridge, app_settings)
    qtbot.addWidget(view)
    view.show()
    view.show_result(make_result(make_package(tmp_path)))
    qtbot.mouseClick(view.result_panel.export_wacz_button, Qt.MouseButton.LeftButton)
    job = fake_bridge.last("export_wacz")
    outcome = SimpleNamespace(
        stamps=(SimpleNamespace(ok=True), SimpleNamespace(ok=False)),
        stamp_problems=["tsa-2 (https://tsa.example/ts): connection refused"])
    with qtbot.waitSignal(view.wacz_exporter.exported):
        fake_bridge.finish(job, outcome)
    boxes = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QMessageBox) and w.isVisible()]
    assert boxes, "no message shown"
    text = boxes[-1].text()
    assert boxes[-1].icon() == QMessageBox.Icon.Warning
    assert "Not every time-stamp authority stamped it:" in text
    assert "tsa-2 (https://tsa.example/ts): connection refused" in text
    for box in boxes:
        box.close()
