"""The History view: the catalogue as a table, search and filter, open / verify / again."""

from __future__ import annotations

from dataclasses import replace
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


def _shown(qtbot, fake_bridge, app_settings, entries: list[CatalogEntry]) -> HistoryView:
    fake_bridge.auto["catalog"] = lambda job: entries
    v = HistoryView(fake_bridge, app_settings)
    qtbot.addWidget(v)
    v.refresh()
    qtbot.waitUntil(lambda: v.model.rowCount() == len(entries))
    return v


def _cells(view: HistoryView, capture_id: str, *columns: str) -> list[str]:
    row = next(i for i, e in enumerate(view.model.entries) if e.capture_id == capture_id)
    return [view.model.data(view.model.index(row, view.model.COLUMNS.index(c)))
            for c in columns]


def test_sender_version_and_replies_columns(qtbot, fake_bridge, app_settings):
    first = replace(_entry(1), replies_captured=12, replies_reported=14)
    # the page gave no count
    later = replace(_entry(2), previous_capture="c-1", replies_captured=13)
    third = replace(_entry(3), previous_capture="c-2")
    # its earlier versions are not in the list
    orphan = replace(_entry(4), previous_capture="c-gone")
    site = replace(_entry(5, author="", status="failed"), handle=None,
                   url="https://www.nav.no/nyheter/123")
    view = _shown(qtbot, fake_bridge, app_settings, [first, later, third, orphan, site])
    headers = [view.model.headerData(i, Qt.Orientation.Horizontal)
               for i in range(view.model.columnCount())]
    assert headers == ["Captured", "Platform", "Sender", "Title", "Version", "Replies",
                       "Status", "Case"]
    assert _cells(view, "c-1", "author", "version", "replies") == ["Oslo kommune", "1",
                                                                   "12 / 14"]
    assert _cells(view, "c-2", "version", "replies") == ["2", "13"]
    assert _cells(view, "c-3", "version", "replies") == ["3", ""]
    assert _cells(view, "c-4", "version") == ["later"]
    # no sender on the page: the site it was published on, said so in its tooltip
    assert _cells(view, "c-5", "author") == ["nav.no"]
    row = next(i for i, e in enumerate(view.model.entries) if e.capture_id == "c-5")
    tip = view.model.data(view.model.index(row, 2), Qt.ItemDataRole.ToolTipRole)
    assert "nav.no" in tip and "No sender" in tip


def test_equal_titles_of_different_pages_are_told_apart(qtbot, fake_bridge, app_settings):
    title = "Web: ukjent avsender – Tall"
    a, b = replace(_entry(1), title=title), replace(_entry(2), title=title)
    # the same page captured twice: the time and version tell them apart
    again = replace(_entry(3), title=title, url=a.url)
    view = _shown(qtbot, fake_bridge, app_settings, [a, b, again])
    titles = {e.capture_id: _cells(view, e.capture_id, "title")[0] for e in (a, b, again)}
    assert titles["c-1"] == "Web: ukjent avsender – Tall · example.org/post/1"
    assert titles["c-2"] == "Web: ukjent avsender – Tall · example.org/post/2"
    assert len(set(titles.values())) == 2


def test_a_greyed_button_says_why(qtbot, fake_bridge, app_settings, tmp_path):
    package = make_package(tmp_path, "p1")
    (package / "data" / "screenshot.pdf").unlink()
    moved = _entry(2, package=str(tmp_path / "moved-away"))
    view = _shown(qtbot, fake_bridge, app_settings,
                  [_entry(1, package=str(package)), moved, _entry(3, status="failed")])
    buttons = view._action_buttons()
    # nothing selected: every action says to select one
    assert all(not b.isEnabled() and "Select a capture" in b.toolTip() for b in buttons)
    view.table.selectRow(0)  # the failed one
    assert view.selected_entry().status == "failed"
    assert not view.open_button.isEnabled()
    assert "failed, so no package" in view.open_button.toolTip()
    assert view.again_button.isEnabled()
    view.table.selectRow(1)  # its package folder is gone
    assert "no longer at" in view.verify_button.toolTip()
    view.table.selectRow(2)  # a package without a PDF and without a screened version
    assert view.open_button.isEnabled() and view.verify_button.isEnabled()
    assert not view.pdf_button.isEnabled()
    assert view.pdf_button.toolTip() == "The package holds no PDF."
    assert "no screened version" in view.screened_button.toolTip()
    # the context menu says the same
    menu = view.context_menu()
    pdf = next(a for a in menu.actions() if a.text() == view.pdf_button.text())
    assert not pdf.isEnabled() and pdf.toolTip() == "The package holds no PDF."
    assert menu.toolTipsVisible()
