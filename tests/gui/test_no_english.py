"""Every view of the app, in bokmål and in nynorsk, shows no English.

The app is put in the states an archivist sees (a capture's steps and result with warnings,
a list with problems and finished rows, the history with a failed and a complete capture, the
watch list, login profiles, settings), then every text of every widget is read: labels,
buttons, tooltips, placeholders, accessible names, group titles, combo items, list items,
table headers and cells, the history's context menu, the window title. A text fails when it
is an English source string of the app left untranslated, or when it holds an English word
(a small list of words that are not Norwegian too). Names that are the same in every
language (WARC, PDF/A, BagIt, Noark, ReplayWeb.page…), addresses, paths and quoted names
(«url», the CSV's column names) are not words to translate.

The engine's own messages (errors, warnings, step names, list problems) are made by the
engine here, as catalogue messages, so this also checks that the app renders them in its
language through the message catalogue.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTextBrowser,
    QWidget,
)

from somecapture.batchinput import read_list_file
from somecapture.catalog import CatalogEntry
from somecapture.errors import SomecaptureError
from somecapture.events import CaptureFinished, StepFinished, StepStarted
from somecapture.gui.i18n import install_language
from somecapture.gui.main_window import MainWindow
from somecapture.inputs import normalize_url
from somecapture.messages import Msg, conflict_line, render
from somecapture.package.verify import verify_package
from somecapture.profiles import ProfileInfo
from somecapture.resources import resource_path
from somecapture.thread.post import ThreadPost
from somecapture.thread.reconcile import reconcile
from somecapture.watch.store import WatchItem
from tests.english import english_in, plain
from tests.gui.conftest import make_package, make_result
from tests.norwegian import bokmal_in


def _english_sources() -> dict[str, str]:
    """The app's English source strings (mnemonics removed) that a translation changes,
    with the context they are in."""
    out: dict[str, str] = {}
    for language in ("nb", "nn"):
        tree = ET.parse(resource_path("translations", f"somecapture_{language}.ts"))
        for ctx in tree.getroot():
            for m in ctx.findall("message"):
                source = m.findtext("source") or ""
                translation = "".join((m.find("translation") or ET.Element("x")).itertext())
                if translation.strip() and translation != source and len(source) > 3:
                    out[plain(source)] = ctx.findtext("name") or ""
    return out


def _model_texts(model: QAbstractItemModel, where: str) -> Iterator[tuple[str, str]]:
    for column in range(model.columnCount()):
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = model.headerData(column, Qt.Orientation.Horizontal, role)
            if value:
                yield f"{where} header {column}", str(value)
        for row in range(model.rowCount()):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(model.index(row, column), role)
                if isinstance(value, str) and value:
                    yield f"{where} cell {row},{column}", value


def widget_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every text ``root`` and its children show."""
    for widget in [root, *root.findChildren(QWidget)]:
        where = f"{type(widget).__name__} {widget.objectName()}".strip()
        for text in (widget.toolTip(), widget.accessibleName(), widget.whatsThis(),
                     widget.statusTip()):
            if text:
                yield where, text
        if widget.isWindow() and widget.windowTitle():
            yield f"{where} title", widget.windowTitle()
        if isinstance(widget, QLabel | QAbstractButton) and widget.text():
            yield where, widget.text()
        if isinstance(widget, QGroupBox) and widget.title():
            yield where, widget.title()
        if isinstance(widget, QLineEdit | QPlainTextEdit) and widget.placeholderText():
            yield f"{where} placeholder", widget.placeholderText()
        if isinstance(widget, QTextBrowser) and widget.toPlainText():
            yield where, widget.toPlainText()
        if isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield f"{where} item {i}", widget.itemText(i)
        if isinstance(widget, QAbstractSpinBox) and widget.specialValueText():
            yield where, widget.specialValueText()
        if isinstance(widget, QListWidget):
            for i in range(widget.count()):
                item = widget.item(i)
                yield f"{where} item {i}", item.text()
                if item.toolTip():
                    yield f"{where} item {i} tooltip", item.toolTip()
        elif isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView) \
                and widget.model() is not None:  # (a header shows its view's model)
            yield from _model_texts(widget.model(), where)


def untranslated(texts: list[tuple[str, str]], sources: dict[str, str]) -> list[str]:
    """The texts that are English: a source string as it is, or with English words."""
    problems = []
    for where, text in texts:
        read = plain(text)
        if read in sources:
            problems.append(f"{where}: untranslated {read!r}")
            continue
        words = english_in(text)
        if words:
            problems.append(f"{where}: English {words} in {read!r}")
    return problems


# -- the app in the states an archivist sees ---------------------------------------------------

def _entries(tmp_path: Path) -> list[CatalogEntry]:
    package = make_package(tmp_path, "20261125T120000Z-web-post-1")
    try:
        normalize_url("ikke en adresse")
    except SomecaptureError as exc:  # the engine's own error, as the catalogue stores it
        bad_address = exc.args[0]
    return [
        CatalogEntry(
            capture_id="c-1", url="https://www.oslo.kommune.no/nyheter/bibliotek",
            final_url=None, platform="Web", author="Oslo kommune", handle="@oslokommune",
            title="Nytt bibliotek på Tøyen", case_ref="2024/1187", archivist="Kari Nordmann",
            status="complete", captured_at="2026-11-25T12:00:00Z", post_date=None,
            package_path=str(package), warc_sha256=None,
            warnings=[Msg("warning.not_in_catalogue", detail="disken er full")], error=None,
            batch_id=None, replies_captured=14, replies_reported=14),
        CatalogEntry(
            capture_id="c-2", url="https://www.oslo.kommune.no/nyheter/bibliotek",
            final_url=None, platform="Web", author="Oslo kommune", handle="@oslokommune",
            title="Nytt bibliotek på Tøyen", case_ref="2024/1187", archivist="Kari Nordmann",
            status="complete", captured_at="2026-11-26T12:00:00Z", post_date=None,
            package_path=str(package), warc_sha256=None, warnings=[], error=None,
            batch_id=None, previous_capture="c-1", replies_captured=15, replies_reported=16),
        CatalogEntry(
            capture_id="c-3", url="https://kommune.example/side", final_url=None,
            platform=None, author=None, handle=None, title=None, case_ref=None,
            archivist="Kari Nordmann", status="failed", captured_at="2026-11-25T13:00:00Z",
            post_date=None, package_path=None, warc_sha256=None, warnings=[],
            error=bad_address, batch_id=None),
    ]


def _conflicts() -> list[dict[str, Any]]:
    """A post one reading of the page had with another's words under another name, as the
    reconciliation records it (``completeness.conflicts``)."""
    words = "Brøytebilen har ikke vært i gata vår på tre dager nå, og ingen svarer"
    other = "Hos oss kom den i går kveld, men bare på den ene siden av gata"
    root = ThreadPost(id="p", source="page-selectors", author="Oslo kommune", text="Brøyting")
    lead = (root, [(ThreadPost(id=rid, source="page-selectors", author=who, text=text,
                               parent_id="p"), {})
                   for rid, who, text in (("r1", "Kari", words), ("r2", "Ola", other))])
    reader = (None, [(ThreadPost(id="reader-0", source="page-reader", author="Kari",
                                 text=other, parent_id="p"), {})])
    conflicts = reconcile("https://www.oslo.kommune.no/p/1", [lead, reader], [],
                          page_blocks=2).conflicts
    assert conflicts
    return conflicts


def _watch_items() -> list[WatchItem]:
    return [WatchItem(url="https://forum.example/t/1", kind="post", schedule="1h,6h,1d",
                      added_at="2026-03-02T08:00:00Z", status="watching",
                      next_check="2026-03-02T09:00:00Z", last_check="2026-03-02T08:05:00Z",
                      versions=2, replies=4, checks=3, title="Bydel Vestvik – Storgata",
                      last_package="/arkiv/20260302T080500Z-forum-example-t-1"),
            WatchItem(url="https://forum.example/@vestvik", kind="account", schedule="1h",
                      added_at="2026-03-02T08:00:00Z", status="new", posts_found=1)]


@pytest.fixture()
def window(qtbot, fake_bridge, app_settings, tmp_path) -> Iterator[MainWindow]:
    fake_bridge.auto["catalog"] = lambda job: _entries(tmp_path)
    fake_bridge.auto["watch_list"] = lambda job: _watch_items()
    fake_bridge.auto["profiles"] = lambda job: [ProfileInfo(
        "facebook-oslokommune", tmp_path / "p", "2026-11-20T10:00:00+00:00", None,
        "https://www.facebook.com/login")]
    fake_bridge.auto["read_list"] = lambda job: read_list_file(Path(job.label))
    fake_bridge.auto["unfinished_batch"] = lambda job: None
    yield from shown_window(qtbot, fake_bridge, app_settings)


def shown_window(qtbot, bridge: Any, settings: Any) -> Iterator[MainWindow]:
    """The main window at the size the Norwegian layout must fit (1280 × 820), shown for a
    fixture to yield; the app back in English afterwards."""
    win = MainWindow(bridge, settings)
    qtbot.addWidget(win)
    win.resize(1280, 820)
    win.show()
    yield win
    install_language("en")


def _archivist_states(qtbot, window: MainWindow, bridge: Any, tmp_path: Path) -> None:
    """Every view with something in it, as after a morning's work."""
    # a capture: steps, then a result with a warning
    capture = window.capture_view
    capture.url_edit.setText("https://www.oslo.kommune.no/nyheter/bibliotek")
    capture.start_capture()
    job = bridge.last("capture")
    for step in ("navigate", "settle", "expand-thread", "screenshot", "package"):
        bridge.emit(job, StepStarted("c-9", step))
        bridge.emit(job, StepFinished("c-9", step, "ok", "", 1.0))
    package = make_package(tmp_path, "20261127T120000Z-web-post-9")
    result = make_result(package, "partial", warnings=[
        Msg("warning.not_in_catalogue", detail="disken er full")])
    result.completeness = {"reported": {"comments": 16}, "captured_replies": 14, "missing": [
        {"count": 2, "reason_code": "not_loaded", "reason": "2 replies did not load"},
        {"count": None, "reason_code": "control_left", "where": "Vis flere svar",
         "reason": "a 'more' control was still on the page"}], "conflicts": _conflicts()}
    bridge.finish(job, result)
    # and verified: what was checked and the seal's summary, as the verifier words them
    check = verify_package(package)
    capture.verify_package(package)
    bridge.finish(bridge.last("verify"), check)
    # a list with a line that is no address, a duplicate, and finished rows
    listing = tmp_path / "innlegg.txt"
    listing.write_text("https://www.oslo.kommune.no/a\nikke en adresse\n"
                       "https://www.oslo.kommune.no/b\nhttps://www.oslo.kommune.no/a\n",
                       encoding="utf-8")
    batch = window.batch_view
    batch.load_list(listing)
    qtbot.waitUntil(lambda: batch.parsed is not None and batch.unfinished_job is None)
    batch.skip_check.setChecked(True)
    batch.start()
    run = bridge.last("batch")
    bridge.emit(run, CaptureFinished("c-10", batch.model.rows[0].url, "complete",
                                     str(package), None))
    batch.table.selectRow(1)
    bridge.cancelled(run)  # stopped by the archivist: finished rows are kept
    # the history: a row selected; the watch list: a thread selected
    history = window.history_view
    qtbot.waitUntil(lambda: history.model.rowCount() == 3)
    history.table.selectRow(0)
    watch = window.watch_view
    qtbot.waitUntil(lambda: watch.model.rowCount() == 2)
    watch.table.selectRow(1)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_no_view_shows_english(qtbot, window, fake_bridge, tmp_path, language):
    install_language(language)
    _archivist_states(qtbot, window, fake_bridge, tmp_path)
    sources = _english_sources()
    texts: list[tuple[str, str]] = []
    for name, view in window.views.items():
        window.show_view(name)
        qtbot.wait(10)
        texts += [(f"{name}: {where}", text) for where, text in widget_texts(view)]
    texts += [(f"main: {where}", text) for where, text in widget_texts(window.sidebar)]
    texts.append(("main: title", window.windowTitle()))
    texts += [("main: status bar", window.out_label.text())]
    menu = window.history_view.context_menu()
    texts += [(f"history menu: {a.text()}", t) for a in menu.actions()
              for t in (a.text(), a.toolTip()) if t]
    assert len(texts) > 300  # the scan reached the views' contents
    problems = untranslated(texts, sources)
    assert problems == [], "\n".join(problems)
    if language == "nn":
        # nynorsk all through: no bokmål word either (a page's own words are quoted; the
        # list's line that is no address is the archivist's own, shown as typed)
        typed = "ikke en adresse"
        bokmal = sorted({(where, plain(text)) for where, text in texts
                         if bokmal_in(plain(text).replace(typed, " "))})
        assert bokmal == [], "\n".join(f"{where}: {text}" for where, text in bokmal)
    # the completeness the archivist reads names the post left out of the thread and the
    # replies not opened, from the catalogue by their codes
    completeness = window.capture_view.result_panel.completeness.text()
    assert all(render(conflict_line(c), language, "app") in completeness
               for c in _conflicts())
    assert "«Vis flere svar»" in completeness
    # numbers as the language writes them: a step's seconds with a decimal comma
    steps = window.capture_view.progress.steps_text()
    assert steps and all("1,0 s" in line for line in steps)


def test_the_detector_finds_english(qtbot):
    # the scan above passes because the app is translated, not because it sees nothing
    sources = _english_sources()
    assert untranslated([("x", "&Open package folder")], sources)
    assert english_in("Kan ikkje arkiverast: the page could not be opened") == [
        "the", "page", "could"]
    assert english_in("Pakke: /arkiv/capture/page.warc · «url» · ReplayWeb.page") == []
    assert english_in("Eksporter WACZ for pywb") == []


def test_every_verify_problem_reads_in_nynorsk(tmp_path):
    import pikepdf

    package = make_package(tmp_path)
    with pikepdf.new() as pdf:  # a readable PDF that is no PDF/A
        pdf.add_blank_page()
        pdf.save(package / "data" / "screenshot.pdf")
    check = verify_package(package)
    assert check.problems
    english = {str(p): english_in(render(p, "nn", "app")) for p in check.problems}
    assert not any(english.values()), english
