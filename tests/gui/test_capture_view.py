"""The Capture view against the fake bridge: one action captures, progress shows, the result
panel shows status, completeness and the package buttons."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from somecapture.errors import BrowserNotFoundError
from somecapture.events import CaptureMessage, StepFinished, StepStarted
from somecapture.gui.main_window import MainWindow
from somecapture.gui.widgets.capture_view import CaptureView
from somecapture.package.verify import PackageCheck
from somecapture.profiles import ProfileInfo
from tests.gui.conftest import make_package, make_result, open_error_dialogs


@pytest.fixture()
def view(qtbot, fake_bridge, app_settings) -> CaptureView:
    v = CaptureView(fake_bridge, app_settings)
    qtbot.addWidget(v)
    v.resize(1200, 800)
    v.show()
    qtbot.waitExposed(v)
    return v


def test_url_field_has_focus_when_the_app_opens(qtbot, fake_bridge, app_settings):
    window = MainWindow(fake_bridge, app_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.focusWidget() is window.capture_view.url_edit)
    assert window.current_view() == "capture"


def test_enter_captures_and_the_result_panel_shows_the_package(qtbot, view, fake_bridge,
                                                               tmp_path, opened):
    qtbot.keyClicks(view.url_edit, "https://example.org/post/1")
    qtbot.keyClick(view.url_edit, Qt.Key.Key_Return)
    job = fake_bridge.last("capture")
    (url, options, record), _ = fake_bridge.args(job)
    assert url == "https://example.org/post/1"
    assert options.out_dir is not None and record is options.record
    assert view.status_stack.currentWidget() is view.progress
    assert not view.capture_button.isEnabled()

    fake_bridge.emit(job, StepStarted("c-1", "navigate"))
    fake_bridge.emit(job, StepFinished("c-1", "navigate", "ok", "HTTP 200", 1.24))
    fake_bridge.emit(job, StepStarted("c-1", "expand-thread"))
    fake_bridge.emit(job, CaptureMessage("c-1", "clicked 'Vis flere svar' 3 times"))
    lines = view.progress.steps_text()
    assert lines[0].startswith("✔  Opening the page") and "1.2 s" in lines[0]
    assert "Opening all replies" in lines[1]  # the catalogue's step name
    assert "Vis flere svar" in view.progress.message.text()
    assert view.progress.bar.value() == 1

    package = make_package(tmp_path)
    with qtbot.waitSignal(view.screenshot.image_loaded, timeout=10_000):
        fake_bridge.finish(job, make_result(package))
    panel = view.result_panel
    assert view.status_stack.currentWidget() is panel
    assert "Complete" in panel.badge.text()
    assert panel.completeness.text() == "23 of 23 comments"
    assert "Oslo kommune" in panel.summary.text()
    assert "case 2024/123" in panel.registration.text()
    assert str(package) in panel.package_label.text()
    assert view.capture_button.isEnabled() and not view.url_edit.isReadOnly()
    assert view.screenshot.has_image()
    assert view.screenshot.original_size().height() == 2400

    qtbot.mouseClick(panel.open_folder_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.open_pdf_button, Qt.MouseButton.LeftButton)
    assert opened == [str(package), str(package / "data" / "screenshot.pdf")]

    qtbot.mouseClick(panel.verify_button, Qt.MouseButton.LeftButton)
    verify = fake_bridge.last("verify")
    assert fake_bridge.args(verify)[0] == (package,)
    assert "Verifying" in panel.verify_label.text()
    fake_bridge.finish(verify, PackageCheck(path=package, checked=["bag manifests"]))
    assert "every file is intact" in panel.verify_label.text()


def test_verification_problems_are_listed(qtbot, view, fake_bridge, tmp_path):
    package = make_package(tmp_path)
    view.show_result(make_result(package))
    view.verify_package(package)
    fake_bridge.finish(fake_bridge.last("verify"), PackageCheck(
        path=package, problems=["data/screenshot.png: checksum changed"]))
    assert "has changed" in view.result_panel.verify_label.text()
    assert "data/screenshot.png: checksum changed" in view.result_panel.verify_label.text()


def test_an_invalid_address_is_explained_and_nothing_starts(qtbot, view, fake_bridge):
    qtbot.keyClicks(view.url_edit, "ftp://example.org/file")
    qtbot.keyClick(view.url_edit, Qt.Key.Key_Return)
    assert not [j for j in fake_bridge.jobs if j.kind == "capture"]
    assert view.problem_label.isVisible()
    assert "cannot be captured" in view.problem_label.text()
    qtbot.keyClicks(view.url_edit, "x")
    assert not view.problem_label.isVisible()


def test_metadata_goes_into_the_record(qtbot, view, fake_bridge, app_settings):
    view.url_edit.setText("https://example.org/post/1")
    view.title_edit.setText("Innlegg om biblioteket")
    view.case_edit.setText("2024/123")
    view.archivist_edit.setText("Kari Nordmann")
    view.arkivnotat_radio.setChecked(True)
    view.screening_edit.setText("Offl. § 13 jf. fvl. § 13")
    qtbot.mouseClick(view.capture_button, Qt.MouseButton.LeftButton)
    (_, options, record), _ = fake_bridge.args(fake_bridge.last("capture"))
    assert record.title == "Innlegg om biblioteket"
    assert record.case == "2024/123"
    assert record.archivist == "Kari Nordmann"
    assert record.arkivnotat is True
    assert record.effective_access_code() == "13"
    assert not view.meta_box.isEnabled()


def test_metadata_the_engine_rejects_is_explained(qtbot, view, fake_bridge):
    view.url_edit.setText("https://example.org/post/1")
    view.screening_edit.setText("because")
    qtbot.mouseClick(view.capture_button, Qt.MouseButton.LeftButton)
    assert not [j for j in fake_bridge.jobs if j.kind == "capture"]
    assert "access code" in view.problem_label.text()


def test_cancel_stops_the_capture(qtbot, view, fake_bridge):
    view.url_edit.setText("https://example.org/post/1")
    view.start_capture()
    job = fake_bridge.last("capture")
    qtbot.mouseClick(view.progress.cancel_button, Qt.MouseButton.LeftButton)
    assert fake_bridge.cancel_requests == [job]
    assert not view.progress.cancel_button.isEnabled()
    fake_bridge.cancelled(job)
    assert view.capture_button.isEnabled()
    assert "cancelled" in view.problem_label.text()
    assert view.status_stack.currentWidget() is view.welcome


def test_a_failed_capture_says_why(qtbot, view, fake_bridge):
    view.url_edit.setText("https://example.org/post/404")
    view.start_capture()
    result = make_result(None, "failed", error="The server answered 404 Not Found for "
                         "https://example.org/post/404.", error_code="navigation",
                         completeness={})
    fake_bridge.finish(fake_bridge.last("capture"), result)
    panel = view.result_panel
    assert "Failed" in panel.badge.text()
    assert "The page could not be opened" in panel.summary.text()
    assert "404" in panel.summary.text()
    assert "Nothing was published" in panel.package_label.text()
    assert not panel.open_folder_button.isVisible()
    assert not view.screenshot.has_image()


def test_a_partial_capture_shows_warnings_and_what_is_missing(qtbot, view, fake_bridge,
                                                              tmp_path):
    result = make_result(make_package(tmp_path), "partial", warnings=[
        "expand-thread: stopped after its 90 s budget"])
    result.completeness = {"reported": {"comments": 23}, "captured_replies": 20,
                           "missing": [{"count": 3, "reason": "budget: time budget reached"}]}
    view.show_result(result)
    panel = view.result_panel
    assert "Partial" in panel.badge.text()
    assert panel.completeness.text().splitlines() == [
        "20 of 23 comments", "3 missing: budget: time budget reached"]
    assert panel.warnings.isVisible() and "90 s budget" in panel.warnings.text()


def test_an_engine_error_opens_a_dialog(qtbot, view, fake_bridge):
    view.url_edit.setText("https://example.org/post/1")
    view.start_capture()
    fake_bridge.fail(fake_bridge.last("capture"), BrowserNotFoundError(["system: not found"]))
    dialogs = open_error_dialogs()
    assert len(dialogs) == 1
    assert dialogs[0].headline == "No browser was found"
    # advice for where the archivist is: the app's setting, not the command line's flag
    assert "Settings → Browser" in dialogs[0].message
    assert "--browser" not in dialogs[0].message
    assert dialogs[0].details is None  # a known problem: no traceback for the user
    assert view.capture_button.isEnabled()


def test_the_profile_chooser_lists_profiles_and_selects_one(qtbot, fake_bridge, app_settings):
    fake_bridge.auto["profiles"] = lambda job: [ProfileInfo(
        "facebook-oslo", Path("/p/facebook-oslo"), None, None, None)]
    view = CaptureView(fake_bridge, app_settings)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.profile_combo.count() == 2)
    assert not view.also_public_check.isEnabled()
    view.profile_combo.setCurrentIndex(1)
    assert view.also_public_check.isEnabled()
    view.also_public_check.setChecked(True)
    view.url_edit.setText("https://example.org/post/1")
    view.start_capture()
    (_, options, _), _ = fake_bridge.args(fake_bridge.last("capture"))
    assert options.profile == "facebook-oslo" and options.also_public


def test_capture_again_from_history_fills_the_form(qtbot, fake_bridge, app_settings):
    window = MainWindow(fake_bridge, app_settings)
    qtbot.addWidget(window)
    window.show_view("history")
    window.capture_again("https://example.org/post/9", "Tittel", "2024/9")
    assert window.current_view() == "capture"
    assert window.capture_view.url_edit.text() == "https://example.org/post/9"
    assert window.capture_view.case_edit.text() == "2024/9"


def test_verification_shows_the_seal_in_words(qtbot, view, fake_bridge, tmp_path):
    from datetime import UTC, datetime

    from somecapture.package.seal_verify import SealReport, StampCheck

    package = make_package(tmp_path)
    view.show_result(make_result(package))
    view.verify_package(package)
    fake_bridge.finish(fake_bridge.last("verify"), PackageCheck(path=package, seal=SealReport()))
    assert "unsealed: no trusted timestamp" in view.result_panel.verify_label.text()
    view.verify_package(package)
    stamp = StampCheck(name="signatures/tsa-1.tsr",
                       gen_time=datetime(2026, 5, 1, 9, 30, tzinfo=UTC), tsa="CN=Test TSA",
                       problems=["tagmanifest-sha256.txt: changed since it was stamped"])
    fake_bridge.finish(fake_bridge.last("verify"), PackageCheck(
        path=package, problems=stamp.problems, seal=SealReport(stamps=[stamp])))
    text = view.result_panel.verify_label.text()
    assert "tagmanifest-sha256.txt: changed since" in text
    assert "sealed 2026-05-01 09:30:00 UTC by CN=Test TSA (NOT PROVED)" in text


def test_an_untrusted_seal_gets_no_tick(qtbot, view, fake_bridge, tmp_path):
    from datetime import UTC, datetime

    from somecapture.package.seal_verify import SealReport, StampCheck

    package = make_package(tmp_path)
    view.show_result(make_result(package))
    when = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
    view.verify_package(package)
    fake_bridge.finish(fake_bridge.last("verify"), PackageCheck(
        path=package, checked=["bag"], notes=["recorded from the package itself when adopted"],
        seal=SealReport(stamps=[StampCheck(name="signatures/tsa-1.tsr", gen_time=when,
                                           tsa="CN=Anyone")])))
    text = view.result_panel.verify_label.text()
    assert "✔" not in text and "NOT TRUSTED" in text
    assert "anyone can make such a token" in text  # the library's summary, too
    assert "recorded from the package itself when adopted" in text
    view.verify_package(package)
    fake_bridge.finish(fake_bridge.last("verify"), PackageCheck(
        path=package, checked=["bag"],
        seal=SealReport(stamps=[StampCheck(name="signatures/tsa-1.tsr", gen_time=when,
                                           tsa="CN=Real TSA", trusted_by="CN=Root in a.pem")])))
    text = view.result_panel.verify_label.text()
    assert text.startswith("✔") and "NOT TRUSTED" not in text
