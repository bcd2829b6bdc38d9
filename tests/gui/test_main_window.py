"""The main window: six views, keyboard switching, quitting safely, a broken config reported."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QShortcut

from somecapture.gui.main_window import VIEWS, MainWindow
from somecapture.gui.settings import AppSettings
from tests.gui.conftest import open_error_dialogs


def test_six_views_and_keyboard_switching(qtbot, fake_bridge, app_settings):
    window = MainWindow(fake_bridge, app_settings)
    qtbot.addWidget(window)
    window.show()
    assert [window.sidebar.item(i).text() for i in range(window.sidebar.count())] == [
        "Capture", "Batch", "History", "Profiles", "Settings", "Watch"]
    shortcuts = {s.key().toString(): s for s in window.findChildren(QShortcut)}
    for number, name in reversed(list(enumerate(VIEWS, 1))):
        # offscreen windows never become active, so Qt would not dispatch the key itself
        shortcuts[f"Ctrl+{number}"].activated.emit()
        assert window.current_view() == name
    assert str(app_settings.out_dir()) in window.out_label.text()


def test_quitting_during_a_capture_asks_first(qtbot, fake_bridge, app_settings, answers):
    window = MainWindow(fake_bridge, app_settings)
    qtbot.addWidget(window)
    window.show()
    window.capture_view.url_edit.setText("https://example.org/post/1")
    window.capture_view.start_capture()
    answers.append(False)
    window.close()
    assert window.isVisible()
    answers.append(True)
    window.close()
    assert not window.isVisible()
    assert app_settings.value("window/geometry") is not None


def test_quitting_when_idle_does_not_ask(qtbot, fake_bridge, app_settings, answers):
    window = MainWindow(fake_bridge, app_settings)
    qtbot.addWidget(window)
    window.show()
    window.close()  # `answers` is empty: a question would fail the test
    assert not window.isVisible()


def test_a_broken_config_file_is_shown_when_the_app_opens(qtbot, fake_bridge, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[defaults]\narchivist = 3\n", encoding="utf-8")
    settings = AppSettings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
                           config_file=config)
    window = MainWindow(fake_bridge, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(open_error_dialogs()))
    dialog = open_error_dialogs()[0]
    assert dialog.headline == "The settings file has an error"
    assert "archivist must be a text" in dialog.message
    assert window.settings_view.config_error.isVisible() or not window.settings_view.isVisible()
