"""Settings: the view saves agency defaults to the TOML config the CLI reads, and preferences
to QSettings; the config writer round-trips everything load_config reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QGroupBox

from somecapture.config import AgencyConfig, load_config
from somecapture.errors import OptionsError
from somecapture.gui.config_writer import config_text, save_config
from somecapture.gui.settings import AppSettings, default_out_dir
from somecapture.gui.widgets.settings_view import (
    SettingsView,
    format_own_accounts,
    parse_own_accounts,
)


@pytest.fixture()
def view(qtbot, fake_bridge, app_settings) -> SettingsView:
    v = SettingsView(fake_bridge, app_settings)
    qtbot.addWidget(v)
    v.show()
    return v


def test_round_trip_through_the_config_file(qtbot, view, app_settings, tmp_path):
    view.out_edit.setText(str(tmp_path / "pakker"))
    view.browser_edit.setText("/usr/bin/chromium")
    view.proxy_edit.setText("http://proxy.oslo.kommune.no:8080")
    view.tls_check.setChecked(True)
    view.private_check.setChecked(True)
    view.time_spins["load_timeout_s"].setValue(30)
    view.time_spins["capture_timeout_s"].setValue(900)
    view.org_name.setText('Oslo kommune "Rådhuset"')
    view.org_number.setText("958935420")
    view.arkivdel.setText("Sosiale medier")
    view.archivist.setText("Kari Nordmann")
    view.own_accounts.setPlainText("facebook: oslokommune, oslo.bymiljo\nx: @oslokommune\n")
    view.arkivmelding.setCurrentIndex(view.arkivmelding.findData("fiks"))
    with qtbot.waitSignal(app_settings.changed):
        qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert view.saved_label.text() == "Saved."

    cfg = load_config(app_settings.config_file)  # what the command line reads
    assert cfg.out_dir == tmp_path / "pakker"
    assert cfg.browser == "/usr/bin/chromium"
    assert cfg.proxy == "http://proxy.oslo.kommune.no:8080"
    assert cfg.ignore_https_errors is True
    assert cfg.organisation == 'Oslo kommune "Rådhuset"'
    assert cfg.organisation_number == "958935420"
    assert cfg.arkivdel == "Sosiale medier"
    assert cfg.archivist == "Kari Nordmann"
    assert cfg.arkivmelding == "fiks"
    assert cfg.own_accounts == {"facebook": ("oslokommune", "oslo.bymiljo"),
                                "x": ("@oslokommune",)}

    # a fresh start reads the same values back, and the engine options follow them
    again = AppSettings(QSettings(app_settings.qsettings.fileName(),
                                  QSettings.Format.IniFormat),
                        config_file=app_settings.config_file)
    options = again.capture_options()
    assert options.load_timeout_s == 30 and options.capture_timeout_s == 900
    assert options.out_dir == tmp_path / "pakker"
    assert options.proxy == "http://proxy.oslo.kommune.no:8080"
    assert options.ignore_https_errors and options.browser_path == "/usr/bin/chromium"
    assert options.allow_private_network
    assert options.record.organisation_number == "958935420"
    assert options.record.arkivmelding == "fiks"
    assert options.record.is_own_account("facebook", "@oslokommune")


def test_bad_values_are_explained_and_nothing_is_written(qtbot, view, app_settings):
    view.org_number.setText("12345")
    assert view.save() is False
    assert "nine digits" in view.saved_label.text()
    assert not app_settings.config_file.exists()
    view.org_number.clear()
    view.proxy_edit.setText("proxy.agency.no")
    assert view.save() is False
    assert "not a proxy URL" in view.saved_label.text()
    view.proxy_edit.clear()
    view.own_accounts.setPlainText("oslokommune")
    assert view.save() is False
    assert "platform: handle" in view.saved_label.text()


def test_time_stamp_authorities_are_saved_for_the_command_line_too(qtbot, view, app_settings):
    view.tsa_edit.setPlainText("http://tsa.one.example/tsa\n\n  https://tsa.two.example/  \n")
    assert view.save() is True
    cfg = load_config(app_settings.config_file)
    assert cfg.timestamp_urls == ("http://tsa.one.example/tsa", "https://tsa.two.example/")
    assert app_settings.capture_options().timestamp_urls == cfg.timestamp_urls
    view.load()
    assert view.tsa_edit.toPlainText() == "http://tsa.one.example/tsa\nhttps://tsa.two.example/"
    view.tsa_edit.setPlainText("ftp://not.a.tsa/")
    assert view.save() is False
    assert "Time-stamp authority" in view.saved_label.text()
    assert load_config(app_settings.config_file).timestamp_urls == cfg.timestamp_urls


def test_trust_store_is_saved_for_verify(qtbot, view, app_settings, tmp_path):
    roots = tmp_path / "roots.pem"
    roots.write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    view.trust.edit.setText(f"  {roots} ")
    assert view.save() is True
    assert load_config(app_settings.config_file).timestamp_trust == (roots,)
    view.load()
    assert view.trust.edit.text() == str(roots)
    view.trust.edit.setText(str(tmp_path / "missing.pem"))
    assert view.save() is False
    assert "[timestamp] trust" in view.saved_label.text()
    assert "missing.pem" in view.saved_label.text()
    assert load_config(app_settings.config_file).timestamp_trust == (roots,)


def test_undo_changes_shows_the_saved_values(view, app_settings):
    app_settings.save_agency(AgencyConfig(organisation="Bergen kommune"))
    view.load()
    view.org_name.setText("Something else")
    view.revert_button.click()
    assert view.org_name.text() == "Bergen kommune"


def test_the_language_setting_switches_the_ui(qtbot, fake_bridge, app_settings):
    from somecapture.gui.main_window import MainWindow

    window = MainWindow(fake_bridge, app_settings)
    qtbot.addWidget(window)
    view = window.settings_view
    # four choices, each language under its own name
    assert [view.lang_combo.itemData(i) for i in range(view.lang_combo.count())] == [
        "", "nb", "nn", "en"]
    assert view.lang_combo.itemText(2) == "Norsk nynorsk"
    view.lang_combo.setCurrentIndex(view.lang_combo.findData("nb"))
    with qtbot.waitSignal(view.language_changed):
        assert view.save()
    assert app_settings.language == "nb"
    assert window.sidebar.item(0).text() == "Arkiver"
    assert window.capture_view.capture_button.text() == "Arkiver"
    assert view.save_button.text() == "&Lagre"
    view.lang_combo.setCurrentIndex(view.lang_combo.findData("nn"))
    with qtbot.waitSignal(view.language_changed):
        assert view.save()
    assert app_settings.language == "nn"
    assert window.sidebar.item(4).text() == "Innstillingar"
    assert view.lang_combo.currentData() == "nn"  # the choice survives its retranslation
    # the next start of the app reads it back
    again = AppSettings(app_settings.qsettings, config_file=app_settings.config_file)
    assert again.language == "nn"


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_settings_fit_the_window_without_sideways_scrolling(qtbot, fake_bridge, app_settings,
                                                          language):
    from somecapture.gui.i18n import install_language
    from somecapture.gui.main_window import MainWindow

    install_language(language)
    window = MainWindow(fake_bridge, app_settings)
    qtbot.addWidget(window)
    window.resize(1280, 820)
    window.show()
    window.show_view("settings")
    qtbot.waitUntil(lambda: window.settings_view.isVisible())
    qtbot.wait(50)
    view = window.settings_view
    scroll = view.scroll_area
    viewport = scroll.viewport().width()
    page = scroll.widget()
    assert scroll.horizontalScrollBar().maximum() == 0
    assert page.minimumSizeHint().width() <= viewport
    # every box is wholly inside the visible width (nothing cut off at the right)
    for box in page.findChildren(QGroupBox):
        right = box.mapTo(page, box.rect().topRight()).x()
        assert right <= viewport, (box.title(), right, viewport)
    install_language("en")


def test_the_detected_browser_is_shown(qtbot, view, fake_bridge):
    qtbot.waitUntil(lambda: "version 140" in view.detected_value.text())
    assert "/usr/bin/chromium" in view.detected_value.text()


def test_a_broken_config_file_is_reported_not_fatal(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[organisation\nname = 1\n", encoding="utf-8")
    settings = AppSettings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
                           config_file=path)
    assert settings.config_error and "not valid TOML" in settings.config_error
    assert settings.agency == AgencyConfig()
    assert settings.capture_options().record.organisation is None


def test_config_writer_escapes_and_round_trips(tmp_path):
    cfg = AgencyConfig(organisation='Etat "A" \\ B\tC', archivist="Ærlig Østby",
                       out_dir=Path("/data/somecapture"), ignore_https_errors=False,
                       own_accounts={"*": ("oslokommune",), "face book": ("a",)})
    back = save_config(cfg, tmp_path / "sub" / "config.toml")
    assert back.organisation == cfg.organisation
    assert back.archivist == "Ærlig Østby"
    assert back.ignore_https_errors is False
    assert back.own_accounts == {"*": ("oslokommune",), "face book": ("a",)}
    assert back.path == tmp_path / "sub" / "config.toml"
    assert not list((tmp_path / "sub").glob(".*.tmp"))


def test_config_writer_never_replaces_a_file_with_one_the_reader_rejects(tmp_path):
    path = tmp_path / "config.toml"
    save_config(AgencyConfig(organisation="Oslo kommune"), path)
    before = path.read_text(encoding="utf-8")
    with pytest.raises(OptionsError) as info:
        save_config(AgencyConfig(arkivmelding="fax"), path)
    assert str(path) in str(info.value) and ".tmp" not in str(info.value)
    assert path.read_text(encoding="utf-8") == before
    assert config_text(AgencyConfig()).startswith("# somecapture")


def test_own_accounts_text_round_trip():
    accounts = parse_own_accounts("Facebook: a, b\n# comment\n\nx: @c; @d\n")
    assert accounts == {"facebook": ("a", "b"), "x": ("@c", "@d")}
    assert parse_own_accounts(format_own_accounts(accounts)) == accounts


def test_default_out_dir_matches_the_engine():
    from somecapture.package.builder import default_out_dir as engine_default

    assert default_out_dir() == engine_default()


def test_privacy_settings_round_trip_and_reach_the_captures(qtbot, view, app_settings):
    from somecapture.gui.widgets.capture_view import CaptureView

    # the engine's defaults: a screened variant, the citizens' texts left readable
    assert view.screened_check.isChecked() and not view.screen_text_check.isChecked()
    assert view.screen_text_check.isEnabled()
    view.screened_check.setChecked(False)
    assert not view.screen_text_check.isEnabled()  # no variant, nothing to choose
    view.screened_check.setChecked(True)
    view.screen_text_check.setChecked(True)
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    text = app_settings.config_file.read_text(encoding="utf-8")
    assert "[personvern]\nscreen_text = true\n" in text and "screened_variant" not in text
    cfg = load_config(app_settings.config_file)  # what the command line reads
    assert (cfg.screened_variant, cfg.screen_text) == (None, True)

    view.screened_check.setChecked(False)
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    cfg = load_config(app_settings.config_file)
    assert (cfg.screened_variant, cfg.screen_text) == (False, True)

    # a fresh start shows what the file says, and captures get it
    again = AppSettings(QSettings(app_settings.qsettings.fileName(),
                                  QSettings.Format.IniFormat),
                        config_file=app_settings.config_file)
    fresh = SettingsView(view.bridge, again)
    qtbot.addWidget(fresh)
    assert not fresh.screened_check.isChecked() and fresh.screen_text_check.isChecked()
    assert not fresh.screen_text_check.isEnabled()
    record = again.capture_options().record  # what a batch captures with
    assert (record.screened_variant, record.screen_text) == (False, True)
    capture = CaptureView(view.bridge, again)
    qtbot.addWidget(capture)
    capture.url_edit.setText("https://example.org/post/1")
    capture.title_edit.setText("Innlegg")  # the form's values merge into the defaults
    capture.start_capture()
    (_, options, record), _ = view.bridge.args(view.bridge.last("capture"))
    assert record.title == "Innlegg"
    assert (record.screened_variant, record.screen_text) == (False, True)
    assert options.record == record

    # back to the defaults: the section is left out of the file again
    view.screened_check.setChecked(True)
    view.screen_text_check.setChecked(False)
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert "[personvern]" not in app_settings.config_file.read_text(encoding="utf-8")
    record = app_settings.capture_options().record
    assert (record.screened_variant, record.screen_text) == (True, False)


def test_privacy_settings_in_bokmal(view):
    from somecapture.gui.i18n import install_language

    install_language("nb")
    assert view.privacy_box.title() == "Personvern"
    assert view.screened_check.text().replace("&", "") == "Lag skjermet versjon for innsyn"
    assert view.screen_text_check.text().replace("&", "") == "Skjerm også innbyggernes tekster"


def test_config_writer_round_trips_the_privacy_section(tmp_path):
    for variant, text in ((False, None), (True, True), (None, False)):
        back = save_config(AgencyConfig(screened_variant=variant, screen_text=text),
                           tmp_path / "config.toml")
        assert (back.screened_variant, back.screen_text) == (variant, text)


def test_config_writer_keeps_every_agency_setting(tmp_path):
    # every field the reader knows, set: saving from the app must never drop one (a field
    # added to AgencyConfig without a line in the writer fails here)
    import dataclasses

    trust = tmp_path / "roots.pem"
    trust.write_text("-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n")
    values = dict(
        organisation="Nordre Vestvik kommune", organisation_number="958935420",
        arkivdel="Sosiale medier", archivist="Kari Nordmann", arkivmelding="fiks",
        out_dir=tmp_path / "pakkar", proxy="http://proxy.example.no:8080",
        browser="/usr/bin/chromium", ignore_https_errors=True,
        own_accounts={"facebook": ("vestvik",)}, timestamp_urls=("http://tsa.example.no",),
        timestamp_trust=(trust,), maalform="nn", screened_variant=False, screen_text=True)
    fields = {f.name for f in dataclasses.fields(AgencyConfig)} - {"path"}
    assert set(values) == fields, "a new agency setting: give it a value here and a line " \
                                  "in config_writer.config_text"
    back = save_config(AgencyConfig(**values), tmp_path / "config.toml")
    assert {name: getattr(back, name) for name in values} == values


def test_the_packages_language_is_an_agency_setting(qtbot, view, app_settings):
    assert view.maalform.currentData() == "nb"  # bokmål unless the agency says otherwise
    view.maalform.setCurrentIndex(view.maalform.findData("nn"))
    assert view.save()
    assert load_config(app_settings.config_file).maalform == "nn"
    assert app_settings.capture_options().record.maalform == "nn"
    view.load()
    assert view.maalform.currentData() == "nn"
    # back to bokmål: the default is left out of the file
    view.maalform.setCurrentIndex(view.maalform.findData("nb"))
    assert view.save()
    assert "maalform" not in app_settings.config_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("app_language", ["nb", "nn", "en"])
def test_the_privacy_hint_names_the_pseudonyms_in_the_agencys_maalform(view, app_language):
    """The screened PDF writes «Innbyggjar 1» for a nynorsk agency: the hint says what the
    package will say, whatever language the app is shown in (issue 22)."""
    from somecapture.gui.i18n import install_language
    from somecapture.package.screening import pseudonym

    install_language(app_language)
    try:
        for maalform, other in (("nn", "nb"), ("nb", "nn")):
            view.maalform.setCurrentIndex(view.maalform.findData(maalform))
            hint = view.privacy_box.hint.text()
            assert f"«{pseudonym(1, maalform)}», «{pseudonym(2, maalform)}»" in hint, hint
            assert pseudonym(1, other) not in hint
    finally:
        install_language("en")
