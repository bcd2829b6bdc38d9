"""The Watch view: the list with its checks and counts, add and remove, a round on a timer
on the engine thread, and a version's changes with new replies highlighted."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Qt

from somecapture.catalog import Catalog
from somecapture.gui import watch_jobs
from somecapture.gui.i18n import install_language
from somecapture.gui.widgets.watch_view import WatchView
from somecapture.watch.runner import FailedCheck, PublishedVersion, WatchRound
from somecapture.watch.store import WatchItem, WatchStore
from tests.gui.conftest import open_error_dialogs

THREAD = WatchItem(url="https://forum.example/t/1", kind="post", schedule="1h,6h,1d",
                   added_at="2026-03-02T08:00:00Z", status="watching",
                   next_check="2026-03-02T09:00:00Z", last_check="2026-03-02T08:05:00Z",
                   versions=2, replies=4, checks=3, title="Web: Bydel Vestvik – Storgata",
                   last_package="/arkiv/20260302T080500Z-forum-example-t-1")
ACCOUNT = WatchItem(url="https://forum.example/@vestvik", kind="account", schedule="1h",
                    added_at="2026-03-02T08:00:00Z", status="login-expired", posts_found=5,
                    last_error="Profile 'forum' is not logged in any more. Log in again "
                    "with `somecapture login forum`.")
CHANGES = {
    "previous_capture": "0b6f2c1e", "version": 2, "root_edited": False,
    "counts": {"new_replies": 1, "edited_replies": 1, "no_longer_observed": 1},
    "new_replies": [{"author": "Anne Lie", "handle": "@annel", "text": "Og syklene?"}],
    "edited_replies": [{"author": "Ola Hansen", "handle": "@olah", "text": "Ny tekst",
                        "text_before": "Gammel <b>tekst</b>"}],
    "no_longer_observed": [{"author": "Per Berg", "handle": "@perb", "text": "Borte"}],
}


def _view(qtbot: Any, bridge: Any, settings: Any, items: list[WatchItem]) -> WatchView:
    bridge.auto[watch_jobs.LIST] = lambda job: list(items)
    view = WatchView(bridge, settings, interval_ms=50)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.model.rowCount() == len(items))
    return view


def test_the_list_shows_status_checks_and_counts(qtbot, fake_bridge, app_settings):
    view = _view(qtbot, fake_bridge, app_settings, [ACCOUNT, THREAD])
    model = view.model
    rows = [[model.data(model.index(r, c)) for c in range(model.columnCount())]
            for r in range(model.rowCount())]
    assert rows[0][:4] == ["https://forum.example/@vestvik", "–", "Account", "Login expired"]
    assert rows[0][6] == "5 post(s) found"
    # a captured thread: its address stays in "Address", the title has its own column
    assert rows[1][:4] == ["https://forum.example/t/1", "Web: Bydel Vestvik – Storgata",
                           "Thread", "Watching"]
    assert rows[1][6] == "2 version(s), 4 replies"
    assert rows[1][4] and rows[1][5]  # last and next check, in local time
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Address"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Title"
    assert model.data(model.index(1, 0), role=3) == (  # ToolTipRole: title and address
        "Web: Bydel Vestvik – Storgata\nhttps://forum.example/t/1")
    # the expired login says what to do where the status is
    tip = model.data(model.index(0, 3), role=3)  # ToolTipRole
    assert "somecapture login forum" in tip


def test_add_and_remove_go_to_the_engine_thread(qtbot, fake_bridge, app_settings, tmp_path):
    view = _view(qtbot, fake_bridge, app_settings, [])
    view.url_edit.setText("forum.example/t/9")
    view.account_check.setChecked(True)
    view.schedule_edit.setText("2h,2d")
    view.add_button.click()
    job = fake_bridge.last(watch_jobs.ADD)
    # the job function is the real one: run it as the engine thread would
    (_fn,), _ = fake_bridge.args(job)
    item, added = asyncio.run(_fn(job))
    assert added and (item.url, item.kind, item.schedule) == (
        "https://forum.example/t/9", "account", "2h,2d")
    # the item is in the app's catalogue
    assert [i.url for i in WatchStore(Catalog(app_settings.catalog_path)).items()] == [
        "https://forum.example/t/9"]
    fake_bridge.finish(job, (item, True))
    assert view.url_edit.text() == ""

    view.model.set_items([item])
    view.table.selectRow(0)
    view.remove_button.click()
    removal = fake_bridge.last(watch_jobs.REMOVE)
    assert removal.label == "https://forum.example/t/9"


def test_a_bad_address_is_shown_not_added(qtbot, fake_bridge, app_settings):
    view = _view(qtbot, fake_bridge, app_settings, [])
    view.url_edit.setText("file:///etc/passwd")
    view.add_button.click()
    job = fake_bridge.last(watch_jobs.ADD)
    (_fn,), _ = fake_bridge.args(job)
    try:
        asyncio.run(_fn(job))
    except Exception as exc:  # noqa: BLE001 - the bridge reports what the job raised
        fake_bridge.fail(job, exc)
    else:
        raise AssertionError("a file: URL was watched")
    qtbot.waitUntil(lambda: bool(open_error_dialogs()))
    assert "file: scheme" in open_error_dialogs()[0].message
    assert view.url_edit.text() == "file:///etc/passwd"  # kept, to be corrected


def _run_add(fake_bridge: Any) -> Any:
    """Run the add job the view submitted as the engine thread would; report its end."""
    job = fake_bridge.last(watch_jobs.ADD)
    (_fn,), _ = fake_bridge.args(job)
    try:
        value = asyncio.run(_fn(job))
    except Exception as exc:  # noqa: BLE001 - the bridge reports what the job raised
        fake_bridge.fail(job, exc)
        return exc
    fake_bridge.finish(job, value)
    return value


def test_a_schedule_in_norwegian_units_is_added_with_enter(qtbot, fake_bridge, app_settings):
    view = _view(qtbot, fake_bridge, app_settings, [])
    view.url_edit.setText("forum.example/t/10")
    view.schedule_edit.setText("1t,6t,1u")
    qtbot.keyClick(view.schedule_edit, Qt.Key.Key_Return)  # Enter adds, as the button
    item, added = _run_add(fake_bridge)
    assert added and item.schedule == "1h,6h,1w"
    assert view.url_edit.text() == ""  # cleared after "Watch"
    assert not open_error_dialogs()


def test_a_bad_schedule_is_said_in_bokmaal_without_the_command_line(
        qtbot, fake_bridge, app_settings):
    view = _view(qtbot, fake_bridge, app_settings, [])
    install_language("nb")
    try:
        view.url_edit.setText("forum.example/t/11")
        view.schedule_edit.setText("1t,6x")
        view.add_button.click()
        _run_add(fake_bridge)
        qtbot.waitUntil(lambda: bool(open_error_dialogs()))
        dialog = open_error_dialogs()[0]
        assert dialog.headline == "Planen kan ikke leses"
        assert dialog.message.startswith("«6x» er ikke en tid etter publisering. Skriv tidene")
        assert "t = timer" in dialog.message and "--schedule" not in dialog.message
        assert view.url_edit.text() == "forum.example/t/11"  # kept, to be corrected
    finally:
        install_language("en")


def test_a_round_runs_on_the_timer_and_reports(qtbot, fake_bridge, app_settings):
    view = _view(qtbot, fake_bridge, app_settings, [THREAD])
    qtbot.waitUntil(lambda: fake_bridge.running_jobs(watch_jobs.ROUND) != [])
    assert view.is_running() and "Checking" in view.round_label.text()
    assert not view.now_button.isEnabled()
    job = fake_bridge.last(watch_jobs.ROUND)
    finished: list[Any] = []
    view.round_finished.connect(finished.append)
    done = WatchRound(checked=2, published=[PublishedVersion(
        url=THREAD.url, package="/arkiv/p2", capture_id="c2", status="complete",
        previous="c1", new_replies=1)], failed=[FailedCheck(
            ACCOUNT.url, "Log in again with `somecapture login forum`.", "profile_logged_out")])
    fake_bridge.finish(job, done)
    assert not view.is_running()
    text = view.round_label.text()
    assert "2 checked, 1 published, 0 unchanged, 1 failed" in text
    # what went wrong in the user's words first, the engine's detail after it
    assert ("The login profile is no longer logged in: https://forum.example/@vestvik – Log "
            "in again with `somecapture login forum`.") in text
    assert finished == [done]  # the history refreshes
    # only one round at a time: the timer fires again, one new round (not two)
    qtbot.waitUntil(lambda: len([j for j in fake_bridge.jobs
                                 if j.kind == watch_jobs.ROUND]) == 2)
    qtbot.wait(150)
    assert len(fake_bridge.running_jobs(watch_jobs.ROUND)) == 1


def test_the_latest_versions_changes_with_new_replies_highlighted(
        qtbot, fake_bridge, app_settings):
    fake_bridge.auto[watch_jobs.CHANGES] = lambda job: CHANGES
    view = _view(qtbot, fake_bridge, app_settings, [THREAD])
    view.timer.stop()
    view.table.selectRow(0)
    qtbot.waitUntil(lambda: view.changes.isVisibleTo(view))
    shown = view.changes.toHtml()
    plain = view.changes.toPlainText()
    assert "Version 2 of the thread, compared with version 1 (capture 0b6f2c1e" in plain
    assert "1 new, 1 edited, 1 no longer observed" in plain
    assert "New reply: Anne Lie @annel" in " ".join(plain.split())
    # highlighted: the new reply's paragraph has the "complete" green behind it
    assert "#d8f0dc" in shown
    # page text is text, never markup
    assert "Gammel <b>tekst</b>" in plain
    assert "deleted" in plain and "Deleted reply" not in plain


def test_a_round_that_cannot_run_is_said_in_the_view_not_a_dialog_a_minute(
        qtbot, fake_bridge, app_settings):
    from somecapture.errors import BrowserLaunchError

    view = _view(qtbot, fake_bridge, app_settings, [THREAD])
    qtbot.waitUntil(lambda: fake_bridge.running_jobs(watch_jobs.ROUND) != [])
    view.timer.stop()
    missing = BrowserLaunchError("The configured browser /opt/x did not start.")
    fake_bridge.fail(fake_bridge.last(watch_jobs.ROUND), missing)
    assert open_error_dialogs() == []
    assert view.round_label.text() == ("The watch list could not be checked: The browser did "
                                       "not start. The configured browser /opt/x did not "
                                       "start.")
    # asked for with Check now, the same problem is a dialog
    view.now_button.click()
    fake_bridge.fail(fake_bridge.last(watch_jobs.ROUND), missing)
    qtbot.waitUntil(lambda: bool(open_error_dialogs()))


def test_the_minute_refresh_keeps_the_changes_shown(qtbot, fake_bridge, app_settings):
    fake_bridge.auto[watch_jobs.CHANGES] = lambda job: CHANGES
    view = _view(qtbot, fake_bridge, app_settings, [THREAD])
    view.timer.stop()
    view.table.selectRow(0)
    qtbot.waitUntil(lambda: view.changes.isVisibleTo(view))
    view.changes.verticalScrollBar().setValue(0)
    asked = len([j for j in fake_bridge.jobs if j.kind == watch_jobs.CHANGES])
    shown = view.changes.toHtml()
    # the list is read again (as every minute): same item, same latest package
    view.refresh()
    qtbot.waitUntil(lambda: not fake_bridge.running_jobs(watch_jobs.LIST))
    qtbot.wait(50)
    assert len([j for j in fake_bridge.jobs if j.kind == watch_jobs.CHANGES]) == asked
    assert view.changes.isVisibleTo(view) and view.changes.toHtml() == shown
    assert view.selected_item().url == THREAD.url
    # a newer version of it: its changes are read
    newer = WatchItem(**{**THREAD.__dict__, "versions": 3,
                         "last_package": "/arkiv/20260302T100500Z-forum-example-t-1"})
    fake_bridge.auto[watch_jobs.LIST] = lambda job: [newer]
    view.refresh()
    qtbot.waitUntil(lambda: len([j for j in fake_bridge.jobs
                                 if j.kind == watch_jobs.CHANGES]) == asked + 1)


def test_the_changes_of_a_partial_capture_and_a_post_gone(qtbot, fake_bridge, app_settings):
    from PySide6.QtGui import QTextDocument

    from somecapture.gui.widgets.watch_view import changes_html

    doc = QTextDocument()
    doc.setHtml(changes_html({
        "previous_capture": "0b6f2c1e", "version": 3, "root_edited": False,
        "root_no_longer_observed": True, "post_unavailable": "Innholdet er fjernet",
        "counts": {"new_replies": 1, "edited_replies": 0, "no_longer_observed": 0,
                   "not_read": 1},
        "new_replies": [{"author": "Liv", "handle": "@liv", "text": "Tidlig",
                         "not_read_then": True}],
        "not_read": [{"author": "Per Berg", "handle": "@perb", "text": "Bak «vis mer»"}]}))
    plain = " ".join(doc.toPlainText().split())
    assert "1 new, 0 edited, 0 no longer observed, 1 not read (the capture was partial)" in plain
    assert "The post itself is no longer observed. The page says: Innholdet er fjernet" in plain
    assert "New reply, not read by the previous capture: Liv @liv Tidlig" in plain
    assert "Not read (capture partial): Per Berg @perb Bak «vis mer»" in plain


def test_failed_checks_have_a_bokmaal_headline(qtbot, fake_bridge, app_settings):
    from somecapture.gui.i18n import install_language

    install_language("nb")
    view = _view(qtbot, fake_bridge, app_settings, [ACCOUNT])
    view.timer.stop()
    view.last_round = WatchRound(checked=2, failed=[
        FailedCheck(ACCOUNT.url, "Profile 'forum' is not logged in on this site any more.",
                    "profile_logged_out"),
        FailedCheck(ACCOUNT.url, "https://forum.example/@vestvik answered 503", "discovery")])
    view._show_round()
    lines = view.round_label.text().splitlines()
    assert lines[0] == "Siste runde: 2 kontrollert, 0 lagret, 0 uendret, 2 mislyktes."
    assert lines[1].startswith("Innloggingsprofilen er ikke lenger innlogget: "
                               "https://forum.example/@vestvik – Profile 'forum'")
    assert lines[2].startswith("Kunne ikke se etter nye innlegg: https://forum.example/@vestvik")


def test_a_version_not_compared_names_the_previous_version_without_claiming_a_comparison(
        qtbot):
    from somecapture.gui.widgets.watch_view import changes_html

    html_text = changes_html({"previous_capture": "0b6f2c1e", "version": 3,
                              "not_compared": "its package is gone", "counts": {}})
    assert "Version 3 of the thread; the previous is version 2 (capture 0b6f2c1e)" in html_text
    assert "compared with version" not in html_text
    assert "Not compared" in html_text


def test_a_failed_checks_engine_message_is_in_the_apps_language(qtbot, fake_bridge,
                                                               app_settings):
    """A failed check's error is the engine's catalogue message: the round's report renders
    it (in nynorsk, with the app's advice), never its English string."""
    from somecapture.engine.navigation import explain_navigation_error
    from tests.english import english_in

    install_language("nn")
    try:
        view = _view(qtbot, fake_bridge, app_settings, [THREAD])
        view.timer.stop()
        error = explain_navigation_error(THREAD.url, Exception(
            f"net::ERR_BLOCKED_BY_CLIENT at {THREAD.url}"))
        view.last_round = WatchRound(checked=1, failed=[
            FailedCheck(THREAD.url, error, "navigation")])
        view._show_round()
        failure = view.round_label.text().splitlines()[1]
        assert THREAD.url in failure and english_in(failure) == [], failure
        assert "--allow" in str(error) and "--allow" not in failure
    finally:
        install_language("en")
