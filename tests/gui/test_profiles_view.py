"""The Profiles view: list, log in (visible browser), remove after asking."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from somecapture.gui.main_window import MainWindow
from somecapture.gui.widgets import profiles_view
from somecapture.gui.widgets.profiles_view import ProfilesUnavailable, ProfilesView
from somecapture.profiles import ProfileError, ProfileInfo
from tests.gui.conftest import open_error_dialogs


def _profile(name: str, url: str | None = "https://www.facebook.com/login") -> ProfileInfo:
    return ProfileInfo(name, Path("/profiles") / name, "2026-11-20T10:00:00+00:00",
                       None, url)


@pytest.fixture()
def profiles() -> list[ProfileInfo]:
    return [_profile("facebook-oslo"), _profile("x-oslo", None)]


@pytest.fixture()
def view(qtbot, fake_bridge, app_settings, profiles) -> ProfilesView:
    fake_bridge.auto["profiles"] = lambda job: list(profiles)
    v = ProfilesView(fake_bridge, app_settings)
    qtbot.addWidget(v)
    v.show()
    qtbot.waitUntil(lambda: v.table.rowCount() == 2)
    return v


def test_profiles_are_listed(view):
    assert view.table.item(0, 0).text() == "facebook-oslo"
    assert view.table.item(0, 1).text() == "https://www.facebook.com/login"
    assert view.table.item(0, 3).text() == "never"
    assert not view.empty_label.isVisible()
    assert not view.remove_button.isEnabled()


def test_log_in_opens_a_visible_browser_and_saves_the_profile(qtbot, view, fake_bridge,
                                                              profiles):
    qtbot.keyClicks(view.name_edit, "reddit-oslo")
    qtbot.keyClicks(view.url_edit, "https://www.reddit.com/login")
    qtbot.mouseClick(view.login_button, Qt.MouseButton.LeftButton)
    job = fake_bridge.last("login")
    (name, url, options), _ = fake_bridge.args(job)
    assert (name, url) == ("reddit-oslo", "https://www.reddit.com/login")
    assert options.headless is False
    assert "Log in there, then close the browser window" in view.login_status.text()
    assert not view.login_button.isEnabled() and view.cancel_login_button.isVisible()

    profiles.append(_profile("reddit-oslo"))
    with qtbot.waitSignal(view.profiles_changed):
        fake_bridge.finish(job, profiles[-1])
    assert "saved" in view.login_status.text()
    qtbot.waitUntil(lambda: view.table.rowCount() == 3)
    assert view.login_button.isEnabled()


def test_a_bad_profile_name_is_explained(qtbot, view, fake_bridge):
    view.name_edit.setText("../etc")
    view.log_in()
    assert not [j for j in fake_bridge.jobs if j.kind == "login"]
    assert "not allowed" in view.login_status.text()


def test_login_can_be_cancelled(qtbot, view, fake_bridge):
    view.name_edit.setText("facebook-oslo")
    view.log_in()
    job = fake_bridge.last("login")
    qtbot.mouseClick(view.cancel_login_button, Qt.MouseButton.LeftButton)
    assert fake_bridge.cancel_requests == [job]
    fake_bridge.cancelled(job)
    assert "closed without saving" in view.login_status.text()


def test_remove_asks_first(qtbot, view, fake_bridge, answers):
    view.table.selectRow(1)
    assert view.remove_button.isEnabled()
    answers.append(False)
    view.remove_selected()
    assert not [j for j in fake_bridge.jobs if j.kind == "delete_profile"]
    answers.append(True)
    view.remove_selected()
    job = fake_bridge.last("delete_profile")
    assert fake_bridge.args(job)[0] == ("x-oslo",)
    with qtbot.waitSignal(view.profiles_changed):
        fake_bridge.finish(job, None)
    assert "removed" in view.login_status.text()


def test_a_locked_profile_is_reported(qtbot, view, fake_bridge):
    view.table.selectRow(0)
    view.log_in_again()
    job = fake_bridge.last("login")
    assert fake_bridge.args(job)[0][1] == "https://www.facebook.com/login"
    fake_bridge.fail(job, ProfileError("Profile 'facebook-oslo' is open in another window."))
    assert open_error_dialogs()[0].headline == "Problem with the login profile"


def test_the_capture_view_follows_profile_changes(qtbot, fake_bridge, app_settings, profiles):
    fake_bridge.auto["profiles"] = lambda job: list(profiles)
    window = MainWindow(fake_bridge, app_settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.capture_view.profile_combo.count() == 3)
    profiles.pop()
    window.profiles_view.profiles_changed.emit()
    qtbot.waitUntil(lambda: window.capture_view.profile_combo.count() == 2)


def test_without_profiles_support_the_view_says_so(qtbot, fake_bridge, app_settings,
                                                   monkeypatch):
    monkeypatch.setattr("somecapture.gui.main_window.profiles_available", lambda: False)
    window = MainWindow(fake_bridge, app_settings)
    qtbot.addWidget(window)
    assert isinstance(window.profiles_view, ProfilesUnavailable)
    assert "not available" in window.profiles_view.label.text()
    assert profiles_view.profiles_available()
