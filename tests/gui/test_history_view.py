"""The History view: the catalogue as a table, search and filter, open / verify / again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from somecapture.catalog import CatalogEntry
from somecapture.gui.widgets.history_view import HistoryView
from somecapture.package.verify import PackageCheck
from tests.gui.conftest import make_package


def _entry(n: int, *, status: str = "complete", author: str = "Oslo kommune",
           case: str | None = None, package: str | None = None,
           platform: str = "Facebook") -> CatalogEntry:
    return CatalogEntry(
        capture_id=f"c-{n}", url=f"https://example.org/post/{n}", final_url=None,
        platform=platform, author=author, handle="@oslokommune",
        title=f"Innlegg {n} om biblioteket", case_ref=case, archivist="Kari",
        status=status, captured_at=f"2026-11-2{n}T10:00:00.000Z", post_date=None,
        package_path=package, warc_sha256=None, warnings=[], error=None, batch_id=None)


@pytest.fixture()
def entries(tmp_path: Path) -> list[CatalogEntry]:
    return [
        _entry(1, case="2024/123", package=str(make_package(tmp_path, "p1"))),
        _entry(2, status="partial", author="Bymiljøetaten"),
        _entry(3, status="failed", author="Oslo kommune", platform="X (Twitter)"),
    ]


@pytest.fixture()
def view(qtbot, fake_bridge, app_settings, entries) -> HistoryView:
    def query(job: Any) -> list[CatalogEntry]:
        _, kwargs = fake_bridge.args(job)
        found = entries
        if kwargs["search"]:
            needle = kwargs["search"].lower()
            found = [e for e in found if needle in (e.author or "").lower()
                     or needle in (e.case_ref or "") or needle in e.url]
        if kwargs["status"]:
            found = [e for e in found if e.status == kwargs["status"]]
        return found

    fake_bridge.auto["catalog"] = query
    v = HistoryView(fake_bridge, app_settings)
    qtbot.addWidget(v)
    v.show()
    v.refresh()
    qtbot.waitUntil(lambda: v.model.rowCount() == 3)
    return v


def _column(view: HistoryView, column: str) -> list[str]:
    c = view.model.COLUMNS.index(column)
    return [view.proxy.index(r, c).data() for r in range(view.proxy.rowCount())]


def test_the_catalogue_is_shown_newest_first(view, app_settings, fake_bridge):
    assert _column(view, "captured_at")[0].startswith("2026-11-23")
    assert _column(view, "status") == ["Failed", "Partial", "Complete"]
    assert _column(view, "case_ref")[-1] == "2024/123"
    assert _column(view, "platform")[0] == "X (Twitter)"
    assert fake_bridge.args(fake_bridge.last("catalog"))[0] == (app_settings.catalog_path,)
    assert "3 capture(s)" in view.count_label.text()


def test_search_and_filter_query_the_catalogue(qtbot, view, fake_bridge):
    qtbot.keyClicks(view.search_edit, "bymiljø")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    assert fake_bridge.args(fake_bridge.last("catalog"))[1]["search"] == "bymiljø"
    assert _column(view, "author") == ["Bymiljøetaten"]
    view.search_edit.clear()
    qtbot.waitUntil(lambda: view.model.rowCount() == 3)
    view.status_combo.setCurrentIndex(view.status_combo.findData("failed"))
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    assert fake_bridge.args(fake_bridge.last("catalog"))[1]["status"] == "failed"


def test_open_verify_and_capture_again(qtbot, view, fake_bridge, entries, opened):
    assert not view.open_button.isEnabled()
    view.table.selectRow(2)  # oldest: the one with a package
    assert view.selected_entry().capture_id == "c-1"
    assert view.open_button.isEnabled() and view.verify_button.isEnabled()
    assert "https://example.org/post/1" in view.detail.text()
    qtbot.mouseClick(view.open_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.pdf_button, Qt.MouseButton.LeftButton)
    package = Path(entries[0].package_path or "")
    assert opened == [str(package), str(package / "data" / "screenshot.pdf")]

    qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
    job = fake_bridge.last("verify")
    fake_bridge.finish(job, PackageCheck(path=package, checked=["bag"]))
    assert "every file is intact" in view.verify_label.text()
    from datetime import UTC, datetime

    from somecapture.package.seal_verify import SealReport, StampCheck

    qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
    untrusted = SealReport(stamps=[StampCheck(name="signatures/tsa-1.tsr", tsa="CN=Anyone",
                                              gen_time=datetime(2026, 5, 1, tzinfo=UTC))])
    fake_bridge.finish(fake_bridge.last("verify"), PackageCheck(path=package, seal=untrusted))
    assert "✔" not in view.verify_label.text() and "NOT TRUSTED" in view.verify_label.text()

    with qtbot.waitSignal(view.capture_again_requested) as signal:
        qtbot.mouseClick(view.again_button, Qt.MouseButton.LeftButton)
    assert signal.args == ["https://example.org/post/1", "Innlegg 1 om biblioteket", "2024/123"]


def test_a_capture_without_package_cannot_be_opened(view):
    view.table.selectRow(0)  # the failed one
    assert not view.open_button.isEnabled()
    assert view.again_button.isEnabled()


def test_an_empty_catalogue_says_so(qtbot, fake_bridge, app_settings):
    v = HistoryView(fake_bridge, app_settings)
    qtbot.addWidget(v)
    v.refresh()
    qtbot.waitUntil(lambda: fake_bridge.last("catalog").id not in fake_bridge.open)
    assert "No captures yet" in v.count_label.text()
