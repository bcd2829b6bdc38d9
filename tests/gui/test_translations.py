"""Translations: bokmål and nynorsk, complete, compiled, chosen from the locale, switchable
while running, and Qt's own dialogs in the same language."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QFileInfo, QLocale, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QFileDialog,
    QFileIconProvider,
    QLabel,
    QMessageBox,
    QTreeView,
)

from somecapture.gui.i18n import (
    LANGUAGES,
    choose_language,
    current_language,
    install_language,
    qt_translations_dir,
)
from somecapture.gui.widgets.common import status_text
from somecapture.resources import resource_path

ROOT = Path(__file__).resolve().parents[2]
FOLDER = resource_path("translations")
APP_TS = {lang: FOLDER / f"somecapture_{lang}.ts" for lang in ("nb", "nn")}
QT_TS = {lang: FOLDER / f"somecapture_qt_{lang}.ts" for lang in ("nb", "nn")}


def _messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    tree = ET.parse(path)
    out = {}
    for ctx in tree.getroot():
        name = ctx.findtext("name") or ""
        for m in ctx.findall("message"):
            out[(name, m.findtext("source") or "")] = m
    return out


def _texts(message: ET.Element) -> list[str]:
    """A message's translation(s): one text, or each plural form."""
    tr = message.find("translation")
    assert tr is not None
    forms = tr.findall("numerusform")
    return [f.text or "" for f in forms] if forms else [tr.text or ""]


@pytest.mark.parametrize(("setting", "locale", "expected"), [
    # the setting wins
    ("nb", QLocale("en_US"), "nb"),
    ("nn", QLocale("en_US"), "nn"),
    ("nn", QLocale("nb_NO"), "nn"),
    ("en", QLocale("nb_NO"), "en"),
    # automatic: the system locale
    ("", QLocale("nb_NO"), "nb"),
    ("", QLocale("no_NO"), "nb"),
    ("", QLocale("no"), "nb"),
    ("", QLocale("nn_NO"), "nn"),
    ("", QLocale("en_NO"), "nb"),  # English language, Norwegian region: a Norwegian office
    ("", QLocale("sv_SE"), "nb"),
    ("", QLocale("de_DE"), "nb"),
    ("", QLocale("en_US"), "en"),
    ("", QLocale("en_GB"), "en"),
    # a setting the app does not know (an older or hand-edited file): automatic
    ("de", QLocale("nn_NO"), "nn"),
])
def test_language_choice(setting, locale, expected):
    assert choose_language(setting, locale) == expected


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_string_is_translated(language):
    messages = _messages(APP_TS[language])
    assert len(messages) > 400
    unfinished = [src for (ctx, src), m in messages.items()
                  if m.find("translation").get("type") == "unfinished"
                  or not all(t.strip() for t in _texts(m))]
    assert unfinished == []


def test_both_languages_have_the_same_strings():
    assert set(_messages(APP_TS["nb"])) == set(_messages(APP_TS["nn"]))


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_placeholders_survive_translation(language):
    for (ctx, src), m in _messages(APP_TS[language]).items():
        wanted = sorted(re.findall(r"\{\w+\}|%\d", src))
        for text in _texts(m):
            assert sorted(re.findall(r"\{\w+\}|%\d", text)) == wanted, (ctx, src, text)
            if m.get("numerus") == "yes":
                assert "%n" in text, (ctx, src, text)


def _words(language: str) -> list[tuple[str, str]]:
    return [(word.lower(), text) for m in _messages(APP_TS[language]).values()
            for text in _texts(m) for word in re.findall(r"[A-Za-zÆØÅæøå]+", text)]


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_capture_is_archiving_not_catching(language):
    # archivists archive ("arkivere"); "fange/fangst" for capture reads as a calque
    catching = [(w, t) for w, t in _words(language) if w.startswith("fang")]
    assert catching == []


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_app_and_the_catalogue_use_one_word_for_the_watch(language):
    """The watch list is the «oppfølgingsliste» and a look at it a «kontroll» in the app, as
    in the message catalogue the CLI and the engine speak (issue 22): never «overvåking»
    (surveillance of people) nor «sjekk» («sjekksum», a checksum, is another word)."""
    from somecapture.messages import catalogue

    other = re.compile(r"overv[åa]k|sjekk(?!sum)", re.IGNORECASE)
    app = sorted({t for _w, t in _words(language) if other.search(t)})
    texts = sorted(key for key, text in catalogue(language).items() if other.search(text))
    assert app == [] and texts == []
    assert any("oppfølgingslist" in t.lower() for _w, t in _words(language))
    assert any("oppfølgingslist" in t for t in catalogue(language).values())


def test_nynorsk_has_no_bokmal_words():
    # forms that are bokmål only; each has its own nynorsk word ("ikkje", "kva", "frå"…):
    # the list the message catalogue is checked with too (tests/norwegian.py)
    from tests.norwegian import BOKMAL_ONLY

    found = sorted({w for w, _t in _words("nn") if w in BOKMAL_ONLY})
    assert found == []


def test_nynorsk_uses_the_e_infinitive_as_the_message_catalogue_does():
    # "å opne", never "å opna" ("opna", "lagra" are right as participles: "er lagra")
    texts = [t for m in _messages(APP_TS["nn"]).values() for t in _texts(m)]
    a_infinitives = sorted({m for t in texts
                            for m in re.findall(r"\bå\s+([a-zæøå]{3,}a)\b", t)})
    assert a_infinitives == []
    assert any(re.search(r"\bå\s+[a-zæøå]+e\b", t) for t in texts)


@pytest.mark.skipif(not shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent)),
                    reason="pyside6-lupdate not installed")
def test_the_ts_files_have_every_string_of_the_code(tmp_path):
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "somecapture" / "gui").rglob("*.py"))
    subprocess.run([str(Path(sys.executable).with_name("pyside6-lupdate")), *sources, "-ts",
                    str(fresh), "-no-obsolete", "-locations", "none"], check=True,
                   capture_output=True)
    in_code = set(_messages(fresh))
    for language, ts in APP_TS.items():
        in_ts = set(_messages(ts))
        assert in_code - in_ts == set(), f"{language}: run update_translations.py"
        assert in_ts - in_code == set(), f"{language}: obsolete strings: run " \
                                         "update_translations.py"


@pytest.mark.skipif(not shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent)),
                    reason="pyside6-lrelease not installed")
def test_the_compiled_files_match_the_sources(tmp_path):
    for ts in (*APP_TS.values(), *QT_TS.values()):
        fresh = tmp_path / ts.with_suffix(".qm").name
        subprocess.run([str(Path(sys.executable).with_name("pyside6-lrelease")), str(ts),
                        "-qm", str(fresh)], check=True, capture_output=True)
        assert ts.with_suffix(".qm").read_bytes() == fresh.read_bytes(), (
            f"recompile {ts.name}: run resources/translations/update_translations.py")


def test_bokmal_and_nynorsk_are_installed_and_used(qtbot):
    assert LANGUAGES == ("nb", "nn", "en")
    assert install_language("nb") == "nb"
    assert current_language() == "nb"
    assert [status_text(s) for s in ("complete", "partial", "failed")] == [
        "Fullstendig", "Delvis", "Mislyktes"]
    assert QLocale().language() == QLocale.Language.NorwegianBokmal
    assert install_language("nn") == "nn"
    assert current_language() == "nn"
    assert status_text("failed") == "Mislukka"
    assert QLocale().language() == QLocale.Language.NorwegianNynorsk
    assert install_language("en") == "en"
    assert current_language() == "en"
    assert status_text("complete") == "Complete"


def test_the_norwegian_capture_view(qtbot, fake_bridge, app_settings):
    from somecapture.gui.main_window import MainWindow

    install_language("nb")
    window = MainWindow(fake_bridge, app_settings)
    qtbot.addWidget(window)
    view = window.capture_view
    assert [window.sidebar.item(i).text() for i in range(6)] == [
        "Arkiver", "Liste", "Historikk", "Profiler", "Innstillinger", "Oppfølging"]
    assert view.capture_button.text() == "Arkiver"
    assert view.form_labels["case"].text() == "&Saksnummer:"
    assert view.form_labels["archivist"].text() == "Ar&kivar:"
    assert view.journalpost_radio.text() == "Journalpost"
    assert view.arkivnotat_radio.text() == "Arkivnotat"
    assert "hjemmel" in view.form_labels["screening"].text()
    # switching retranslates every view in place
    install_language("nn")
    assert [window.sidebar.item(i).text() for i in range(6)] == [
        "Arkiver", "Liste", "Historikk", "Profilar", "Innstillingar", "Oppfølging"]
    assert view.title_label.text() == "Arkiver eit innlegg"
    assert "heimel" in view.form_labels["screening"].text()
    install_language("en")
    assert view.capture_button.text() == "Capture"
    assert window.sidebar.item(1).text() == "Batch"


# -- Qt's own widgets ---------------------------------------------------------------------------

def _qt_file_dialog_texts(qtbot) -> dict[str, str]:
    """Every text of Qt's own (not the desktop's) file dialog: labels, buttons, tooltips,
    the file list's column headers and context menu, by where they are."""
    dialog = QFileDialog(None, "x", str(Path.home()))
    qtbot.addWidget(dialog)  # closed and deleted after the test, not at interpreter exit
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    texts: dict[str, str] = {}
    for label in dialog.findChildren(QLabel):
        texts[f"label {label.objectName()}"] = label.text()
    for number, button in enumerate(dialog.findChildren(QAbstractButton)):
        name = button.objectName() or f"button {number}"
        texts[f"{name} text"] = button.text()
        texts[f"{name} tooltip"] = button.toolTip()
    for view in dialog.findChildren(QTreeView):
        model = view.model()
        for column in range(model.columnCount()):
            texts[f"header {column}"] = str(model.headerData(column, Qt.Orientation.Horizontal))
    for action in dialog.findChildren(QAction):
        texts[f"action {action.objectName()}"] = action.text()
    return {key: text for key, text in texts.items() if text}


@pytest.mark.parametrize(("language", "look_in", "file_type", "yes"), [
    ("nb", "&Se i:", "Fil&type:", "&Ja"),
    ("nn", "&Leit i:", "Filer av &typen:", "&Ja"),
])
def test_qt_dialogs_speak_the_app_language(qtbot, language, look_in, file_type, yes):
    install_language("en")
    english = _qt_file_dialog_texts(qtbot)
    install_language(language)
    texts = _qt_file_dialog_texts(qtbot)
    assert texts["label lookInLabel"] == look_in
    assert texts["label fileTypeLabel"] == file_type
    # every text of the dialog is translated (Qt renames its strings now and then: a new
    # one shows here, not in front of an archivist); "Type" is Norwegian too
    same = {key: text for key, text in texts.items()
            if english.get(key) == text and text not in ("Type",)}
    assert same == {}
    assert len(texts) >= 15
    # the file list's Type column for a folder (the types of files are the system's MIME
    # database's words, in the system's language)
    assert QFileIconProvider().type(QFileInfo(str(Path.home()))) == "Mappe"
    box = QMessageBox(QMessageBox.Icon.Question, "t", "q",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    assert box.button(QMessageBox.StandardButton.Yes).text() == yes
    assert box.button(QMessageBox.StandardButton.No).text() == "&Nei"
    install_language("en")


def test_nynorsk_qt_strings_use_the_app_infinitive(qtbot):
    install_language("nn")
    assert (qt_translations_dir() / "qtbase_nn.qm").is_file()
    # Qt's own nynorsk says "Opna"/"Lagra": the app's override says it as the app does
    assert QCoreApplication.translate("QPlatformTheme", "Open") == "Opne"
    assert QCoreApplication.translate("QFileDialog", "Save As") == "Lagre som"
    # and everything else is Qt's nynorsk
    assert QCoreApplication.translate("QFileSystemModel", "Date Modified") == "Sist endra"


def _qm_messages(path: Path) -> list[tuple[str, str]]:
    """(context, source) of every message of a compiled .qm file (its format: a magic
    number, then tagged sections; the messages section is a run of tagged fields)."""
    data = path.read_bytes()
    assert data[:16] == bytes.fromhex("3cb86418caef9c95cd211cbf60a1bddd")
    pos, messages = 16, b""
    while pos < len(data):
        tag, length = data[pos], struct.unpack(">I", data[pos + 1:pos + 5])[0]
        if tag == 0x69:
            messages = data[pos + 5:pos + 5 + length]
        pos += 5 + length
    out: list[tuple[str, str]] = []
    fields: dict[int, str] = {}
    p = 0
    while p < len(messages):
        tag = messages[p]
        p += 1
        if tag == 1:  # end of a message
            out.append((fields.get(7, ""), fields.get(6, "")))
            fields = {}
        elif tag in (3, 6, 7, 8):  # translation, source, context, comment
            length = struct.unpack(">I", messages[p:p + 4])[0]
            p += 4
            if length == 0xFFFFFFFF:
                length = 0
            if tag != 3:
                fields[tag] = messages[p:p + length].decode("utf-8")
            p += length
    return out


# the Qt widgets the app shows: Qt's file dialog, message boxes and standard buttons, the
# context menus of text fields, spin boxes and scroll bars, and the image reader's errors (a
# screenshot the preview cannot show says why)
SHOWN_QT_CONTEXTS = {"QFileDialog", "QFileSystemModel", "QPlatformTheme", "QGnomeTheme",
                     "QAbstractFileIconProvider", "QImageReader",
                     "QDialogButtonBox", "QMessageBox", "QLineEdit", "QWidgetTextControl",
                     "QAbstractSpinBox", "QScrollBar", "QUnicodeControlCharacterMenu"}


def test_bokmal_covers_every_qt_string_the_app_can_show(qtbot):
    # Qt has no bokmål: ours must translate whatever Qt's nynorsk translates in these widgets
    wanted = {(ctx, src) for ctx, src in _qm_messages(qt_translations_dir() / "qtbase_nn.qm")
              if ctx in SHOWN_QT_CONTEXTS and "About Qt" not in src and "Qt is a C++" not in src}
    assert len(wanted) > 100
    install_language("nb")
    untranslated = sorted(
        (ctx, src) for ctx, src in wanted
        if QCoreApplication.translate(ctx, src) == src and not src.startswith(("Alt+", "OK"))
        and src not in ("Type", "Alias", "Status", "&OK", "&HTML:", "Show "))
    assert untranslated == []
    assert QCoreApplication.translate("QFileDialog", "Directory:") == "Mappe:"
