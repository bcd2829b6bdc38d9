"""UI language: Norwegian bokmål by default, English by setting or by an English system locale.

The rule, kept simple on purpose:

1. the language chosen in Settings (``nb`` or ``en``) wins;
2. otherwise ("Automatic"), English when the system locale's language is English and its
   country is not a Nordic one (``en_US``, ``en_GB``…), else Norwegian bokmål (``nb_NO``,
   ``nn_NO``, ``en_NO``, ``sv_SE``, ``de_DE``, ``C``… all get bokmål).

UI strings are written in English in the source (``self.tr()``); the bokmål translation is
``resources/translations/somecapture_nb.ts``, compiled to ``somecapture_nb.qm`` with
``pyside6-lrelease`` (see ``resources/translations/README.md``).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QTranslator

from somecapture.resources import resource_path

log = logging.getLogger(__name__)

_NORDIC = {QLocale.Country.Norway, QLocale.Country.Sweden, QLocale.Country.Denmark,
           QLocale.Country.Finland, QLocale.Country.Iceland,
           QLocale.Country.SvalbardAndJanMayenIslands, QLocale.Country.FaroeIslands}

# translators currently installed (kept referenced: Qt does not own them)
_installed: list[QTranslator] = []


def choose_language(setting: str, locale: QLocale | None = None) -> str:
    """``nb`` or ``en`` for a language setting (``""`` = automatic) and a system locale."""
    if setting in ("nb", "en"):
        return setting
    loc = locale if locale is not None else QLocale.system()
    if loc.language() == QLocale.Language.English and loc.territory() not in _NORDIC:
        return "en"
    return "nb"


def translation_files(language: str) -> list[str]:
    """Compiled translation files for ``language`` (none for English, the source language)."""
    if language == "en":
        return []
    folder = resource_path("translations")
    return [str(folder / f"{stem}_{language}.qm") for stem in ("somecapture", "somecapture_qt")]


def install_language(language: str) -> str:
    """Install the translators for ``language`` on the running application.

    Installing or removing a translator sends ``QEvent.LanguageChange`` to every widget; the
    views retranslate themselves on it. Returns the language actually installed (``en`` when
    the translation file is missing: an English app is better than an untranslated mix).
    """
    app = QCoreApplication.instance()
    assert app is not None, "create the QApplication first"
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    installed = "en"
    for path in translation_files(language):
        translator = QTranslator(app)
        if translator.load(path):
            app.installTranslator(translator)
            _installed.append(translator)
            installed = language
        else:
            log.warning("translation file %s not found or unreadable", path)
    QLocale.setDefault(QLocale(QLocale.Language.NorwegianBokmal, QLocale.Country.Norway)
                       if installed == "nb" else QLocale(QLocale.Language.English,
                                                         QLocale.Country.UnitedKingdom))
    # the LanguageChange events are posted: deliver them now (after the default locale is
    # set, for numbers), so every view has retranslated when this returns
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    return installed


def current_language() -> str:
    """The language installed by :func:`install_language` (``nb`` or ``en``)."""
    return "nb" if _installed else "en"
