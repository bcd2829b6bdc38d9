"""UI language: Norwegian bokmål, Norwegian nynorsk or English, by setting or system locale.

The rule, kept simple on purpose:

1. the language chosen in Settings (``nb``, ``nn`` or ``en``) wins;
2. otherwise ("Automatic") the system locale decides: nynorsk (``nn_NO``) → nynorsk;
   English with a country outside the Nordics (``en_US``, ``en_GB``…) → English; everything
   else → bokmål (``nb_NO``, ``no``, ``en_NO``, ``sv_SE``, ``de_DE``, ``C``…): the app is
   made for Norwegian records offices, and English in Norway is still a Norwegian office.

UI strings are written in English in the source (``self.tr()``); the translations are
``resources/translations/somecapture_nb.ts`` and ``somecapture_nn.ts``, compiled to ``.qm``
with ``pyside6-lrelease`` (see ``resources/translations/README.md``).

Qt's own widgets (the file dialog's "Look in", standard buttons, a text field's menu) are
translated too. Qt ships nynorsk (``qtbase_nn.qm``, loaded from PySide6's translations
folder, which PyInstaller's Qt hook bundles) but no bokmål: ``somecapture_qt_nb.ts`` is our
own bokmål for the strings of those widgets, and ``somecapture_qt_nn.ts`` overrides the few
of Qt's nynorsk strings that use the a-infinitive ("Opna", "Lagra"), so the dialogs speak
the same nynorsk as the app (e-infinitive: "Opne", "Lagre").
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from somecapture.messages import render
from somecapture.resources import resource_path

log = logging.getLogger(__name__)

#: the app's languages: Norwegian bokmål, Norwegian nynorsk, English (the source language)
LANGUAGES = ("nb", "nn", "en")

_NORDIC = {QLocale.Country.Norway, QLocale.Country.Sweden, QLocale.Country.Denmark,
           QLocale.Country.Finland, QLocale.Country.Iceland,
           QLocale.Country.SvalbardAndJanMayenIslands, QLocale.Country.FaroeIslands}

# the locale numbers and dates are written in, per language
_LOCALES = {
    "nb": (QLocale.Language.NorwegianBokmal, QLocale.Country.Norway),
    "nn": (QLocale.Language.NorwegianNynorsk, QLocale.Country.Norway),
    "en": (QLocale.Language.English, QLocale.Country.UnitedKingdom),
}

# translators currently installed (kept referenced: Qt does not own them, nor does a parent)
_installed: list[QTranslator] = []
_current = "en"


def choose_language(setting: str, locale: QLocale | None = None) -> str:
    """``nb``, ``nn`` or ``en`` for a language setting (``""`` = automatic) and a system
    locale (the system's own when None)."""
    if setting in LANGUAGES:
        return setting
    loc = locale if locale is not None else QLocale.system()
    if loc.language() == QLocale.Language.NorwegianNynorsk:
        return "nn"
    if loc.language() == QLocale.Language.English and loc.territory() not in _NORDIC:
        return "en"
    return "nb"


def qt_translations_dir() -> Path:
    """Where Qt's own translations are (PySide6's, or the bundle's copy of them)."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def translation_files(language: str) -> list[str]:
    """Compiled translation files for ``language``, in the order they are installed (a file
    installed later wins where two translate the same string). None for English."""
    if language not in ("nb", "nn"):
        return []
    folder = resource_path("translations")
    qt_base = [str(qt_translations_dir() / "qtbase_nn.qm")] if language == "nn" else []
    return [*qt_base, str(folder / f"somecapture_qt_{language}.qm"),
            str(folder / f"somecapture_{language}.qm")]


def install_language(language: str) -> str:
    """Install the translators for ``language`` on the running application.

    Installing or removing a translator sends ``QEvent.LanguageChange`` to every widget; the
    views retranslate themselves on it. Returns the language actually installed (``en`` when
    the app's own translation file is missing: an English app is better than an untranslated
    mix). A missing file of Qt's own is logged; the app's texts are still translated.
    """
    global _current
    app = QCoreApplication.instance()
    assert app is not None, "create the QApplication first"
    for old in _installed:
        app.removeTranslator(old)
    # dropped here: a translator has no Qt parent, so a language switch leaves none behind
    _installed.clear()
    installed = "en"
    for path in translation_files(language):
        translator = QTranslator()
        if translator.load(path):
            app.installTranslator(translator)
            _installed.append(translator)
            if Path(path).name == f"somecapture_{language}.qm":
                installed = language
        else:
            log.warning("translation file %s not found or unreadable", path)
    if installed == "en":
        for translator in _installed:  # Qt's dialogs alone in Norwegian: not a language
            app.removeTranslator(translator)
        _installed.clear()
    _current = installed
    QLocale.setDefault(QLocale(*_LOCALES[installed]))
    # the LanguageChange events are posted: deliver them now (after the default locale is
    # set, for numbers), so every view has retranslated when this returns
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    return installed


def current_language() -> str:
    """The language installed by :func:`install_language` (``nb``, ``nn`` or ``en``)."""
    return _current


def engine_text(value: Any) -> str:
    """An engine message in the app's language, with the advice an app user can follow
    (its settings, not the command line's options): a ``Msg``, an exception raised with one,
    the JSON of one (as metadata and reports store it) or a plain text (returned as it is)."""
    return render(value, _current, "app")
