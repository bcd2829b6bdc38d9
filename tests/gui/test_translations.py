"""Translations: bokmål by default, complete, compiled, and switchable while running."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from somecapture.gui.i18n import choose_language, current_language, install_language
from somecapture.gui.widgets.common import status_text
from somecapture.resources import resource_path

TS = resource_path("translations", "somecapture_nb.ts")
ROOT = Path(__file__).resolve().parents[2]


def _messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    tree = ET.parse(path)
    out = {}
    for ctx in tree.getroot():
        name = ctx.findtext("name") or ""
        for m in ctx.findall("message"):
            out[(name, m.findtext("source") or "")] = m
    return out


@pytest.mark.parametrize(("setting", "locale", "expected"), [
    ("nb", QLocale("en_US"), "nb"),
    ("en", QLocale("nb_NO"), "en"),
    ("", QLocale("nb_NO"), "nb"),
    ("", QLocale("nn_NO"), "nb"),
    ("", QLocale("en_NO"), "nb"),  # English language, Norwegian region: a Norwegian office
    ("", QLocale("sv_SE"), "nb"),
    ("", QLocale("de_DE"), "nb"),
    ("", QLocale("en_US"), "en"),
    ("", QLocale("en_GB"), "en"),
])
def test_language_choice(setting, locale, expected):
    assert choose_language(setting, locale) == expected


def test_every_string_is_translated():
    messages = _messages(TS)
    assert len(messages) > 200
    unfinished = [src for (ctx, src), m in messages.items()
                  if m.find("translation").get("type") == "unfinished"
                  # plural messages keep their text in <numerusform> children
                  or not "".join(m.find("translation").itertext()).strip()]
    assert unfinished == []


def test_placeholders_survive_translation():
    import re

    for (ctx, src), m in _messages(TS).items():
        tr = m.findtext("translation") or ""
        assert sorted(re.findall(r"\{\w+\}", src)) == sorted(re.findall(r"\{\w+\}", tr)), (
            ctx, src, tr)


@pytest.mark.skipif(not shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent)),
                    reason="pyside6-lupdate not installed")
def test_the_ts_file_has_every_string_of_the_code(tmp_path):
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "somecapture" / "gui").rglob("*.py"))
    subprocess.run([str(Path(sys.executable).with_name("pyside6-lupdate")), *sources, "-ts",
                    str(fresh), "-no-obsolete", "-locations", "none"], check=True,
                   capture_output=True)
    in_code = set(_messages(fresh))
    in_ts = set(_messages(TS))
    assert in_code - in_ts == set(), "run resources/translations/update_translations.py"
    assert in_ts - in_code == set(), "obsolete strings: run update_translations.py"


@pytest.mark.skipif(not shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent)),
                    reason="pyside6-lrelease not installed")
def test_the_compiled_files_match_the_sources(tmp_path):
    for ts in (TS, resource_path("translations", "somecapture_qt_nb.ts")):
        fresh = tmp_path / ts.with_suffix(".qm").name
        subprocess.run([str(Path(sys.executable).with_name("pyside6-lrelease")), str(ts),
                        "-qm", str(fresh)], check=True, capture_output=True)
        assert ts.with_suffix(".qm").read_bytes() == fresh.read_bytes(), (
            f"recompile {ts.name}: run resources/translations/update_translations.py")


def test_bokmal_is_installed_and_used(qtbot):
    assert install_language("nb") == "nb"
    assert current_language() == "nb"
    assert status_text("complete") == "Fullstendig"
    assert status_text("partial") == "Delvis"
    assert status_text("failed") == "Mislyktes"
    assert install_language("en") == "en"
    assert status_text("complete") == "Complete"


def test_the_norwegian_capture_view(qtbot, fake_bridge, app_settings):
    from somecapture.gui.main_window import MainWindow

    install_language("nb")
    window = MainWindow(fake_bridge, app_settings)
    qtbot.addWidget(window)
    view = window.capture_view
    assert [window.sidebar.item(i).text() for i in range(5)] == [
        "Fang", "Liste", "Historikk", "Profiler", "Innstillinger"]
    assert view.capture_button.text() == "Fang"
    assert view.form_labels["case"].text() == "&Saksnummer:"
    assert view.form_labels["archivist"].text() == "Ar&kivar:"
    assert view.journalpost_radio.text() == "Journalpost"
    assert view.arkivnotat_radio.text() == "Arkivnotat"
    assert "hjemmel" in view.form_labels["screening"].text()
    # switching back retranslates every view in place
    install_language("en")
    assert view.capture_button.text() == "Capture"
    assert window.sidebar.item(1).text() == "Batch"
