"""Page text in the app: progress notes, the result, the history, the batch table and error
dialogs show it without escape sequences, control characters or bidi overrides, and never as
rich text. The result object itself keeps the page's text (it is what was captured)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from somecapture.catalog import CatalogEntry
from somecapture.errors import NavigationError
from somecapture.events import CaptureMessage, StepStarted
from somecapture.gui.widgets.batch_view import BatchRow, BatchTableModel
from somecapture.gui.widgets.capture_view import CaptureView
from somecapture.gui.widgets.history_view import CatalogModel
from tests.gui.conftest import make_package, make_result, open_error_dialogs

ESC, BEL = "\x1b", "\x07"
#: a "load more" label that, printed raw, clears the screen, sets the title, erases the line
#: and writes a fake outcome; U+202E turns what follows around
LABEL = (f"Vis flere svar{ESC}[2J{ESC}]0;HACKED{BEL}{ESC}[2K{ESC}[1G"
         "COMPLETE: /fake\u202ekcah")
LABEL_SHOWN = "Vis flere svarCOMPLETE: /fakekcah"
AUTHOR = "Kari \u202eNordmann\u202c"
AUTHOR_SHOWN = "Kari Nordmann"
POST = f"Biblioteket åpner{ESC}[31m i dag{ESC}[0m 👍🏽 \x9b2J"
POST_SHOWN = "Biblioteket åpner i dag 👍🏽 "
FORBIDDEN = (ESC, BEL, "\x9b", "\u202e", "\u202c", "\b")


def _clean(text: str) -> None:
    for char in FORBIDDEN:
        assert char not in text, (char, text)


@pytest.fixture()
def view(qtbot, fake_bridge, app_settings) -> CaptureView:
    v = CaptureView(fake_bridge, app_settings)
    qtbot.addWidget(v)
    v.resize(1200, 800)
    v.show()
    qtbot.waitExposed(v)
    return v


def test_progress_note_with_a_hostile_label_is_shown_cleaned(view, fake_bridge):
    view.url_edit.setText("https://example.org/post/1")
    view.start_capture()
    job = fake_bridge.last("capture")
    fake_bridge.emit(job, StepStarted("c-1", "expand-thread"))
    fake_bridge.emit(job, CaptureMessage("c-1", f"clicked '{LABEL}' ×1"))
    message = view.progress.message
    assert message.text() == f"clicked '{LABEL_SHOWN}' ×1"
    assert message.textFormat() == Qt.TextFormat.PlainText


def test_result_panel_shows_page_text_cleaned_and_keeps_the_result(view, tmp_path: Path):
    warning = f"expand-thread: clicked '{LABEL}'\n    COMPLETE: /fake"
    result = make_result(make_package(tmp_path), "partial", warnings=[warning])
    result.thread = {"platform": "web", "root": {"author": AUTHOR, "text": POST}}
    result.completeness = {"captured_replies": 1, "reported": {"replies": 2},
                           "missing": [{"count": 1, "reason": f"behind '{LABEL}'"}]}
    view.show_result(result)
    panel = view.result_panel
    summary = panel.summary.text()
    assert f"<b>{AUTHOR_SHOWN}</b>: «{POST_SHOWN.strip()}»" in summary
    warnings = panel.warnings.text()
    # the page's line break is shown as one inside the list item, never as a new item
    assert f"<li>expand-thread: clicked '{LABEL_SHOWN}'<br>    COMPLETE: /fake</li>" in warnings
    assert panel.completeness.text().splitlines()[-1] == f"1 missing: behind '{LABEL_SHOWN}'"
    for label in (panel.summary, panel.warnings, panel.completeness):
        _clean(label.text())
    # evidence: the result the app holds is what the engine captured
    assert result.thread["root"]["text"] == POST
    assert result.warnings == [warning]


def test_a_failed_capture_with_a_hostile_server_message(view):
    error = f"The server answered 500 {ESC}]0;pwned{BEL}Intern feil\u202e for the page."
    view.show_result(make_result(None, "failed", error=error, error_code="navigation",
                                 completeness={}))
    summary = view.result_panel.summary.text()
    assert "The server answered 500 Intern feil for the page." in summary
    _clean(summary)


def test_an_error_dialog_shows_and_copies_the_message_cleaned(view, fake_bridge):
    view.url_edit.setText("https://example.org/post/1")
    view.start_capture()
    fake_bridge.fail(fake_bridge.last("capture"),
                     NavigationError(f"Page title {ESC}[2J'Ny\u202eside' did not load."))
    dialog = open_error_dialogs()[0]
    assert dialog.message == "Page title 'Nyside' did not load."
    assert dialog.full_text().endswith("Page title 'Nyside' did not load.")


def _entry(**changes: object) -> CatalogEntry:
    fields: dict[str, object] = dict(
        capture_id="c-1", url="https://example.org/post/1", final_url=None, platform="Web",
        author=AUTHOR, handle=None, title=f"Web: {AUTHOR} – {POST}", case_ref=None,
        archivist="Kari", status="partial", captured_at="2026-11-21T10:00:00.000Z",
        post_date=None, package_path=None, warc_sha256=None,
        warnings=[f"clicked '{LABEL}'"], error=None, batch_id=None)
    fields.update(changes)
    return CatalogEntry(**fields)  # type: ignore[arg-type]


def test_history_rows_show_titles_authors_and_warnings_cleaned(qtbot):
    model = CatalogModel()
    model.set_entries([_entry()])
    cell = model.index(0, CatalogModel.COLUMNS.index("title"))
    assert cell.data(Qt.ItemDataRole.DisplayRole) == f"Web: {AUTHOR_SHOWN} – {POST_SHOWN}"
    author = model.index(0, CatalogModel.COLUMNS.index("author"))
    assert author.data(Qt.ItemDataRole.DisplayRole) == AUTHOR_SHOWN
    status = model.index(0, CatalogModel.COLUMNS.index("status"))
    assert status.data(Qt.ItemDataRole.ToolTipRole) == f"clicked '{LABEL_SHOWN}'"
    # sorting uses the catalogue's value
    assert cell.data(Qt.ItemDataRole.UserRole) == f"Web: {AUTHOR} – {POST}"


def test_batch_rows_show_addresses_titles_and_errors_cleaned(qtbot):
    model = BatchTableModel()
    model.set_rows([BatchRow(line=2, url="https://example.org/post/1",
                             title=f"Tittel{ESC}]0;x{BEL} fra lista", status="failed",
                             error=f"The server answered 500 {ESC}[2JOops\u202e")])
    row = model.rows[0]
    title = model.index(0, BatchTableModel.COLUMNS.index("title"))
    details = model.index(0, BatchTableModel.COLUMNS.index("details"))
    assert title.data(Qt.ItemDataRole.DisplayRole) == "Tittel fra lista"
    assert details.data(Qt.ItemDataRole.DisplayRole) == "The server answered 500 Oops"
    assert details.data(Qt.ItemDataRole.ToolTipRole) == "The server answered 500 Oops"
    # matching engine events by URL uses the row as it is
    assert model.row_for_url(row.url) == 0
