"""The About dialog: version, where things are stored, and the licences of what is bundled."""

from __future__ import annotations

import platform
from importlib import metadata

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from somecapture._version import __version__

# bundled components: (what, distribution name for the version or None, licence); the words
# around the names ("fonts", "free use") are translated when shown, the names are not
COMPONENTS: list[tuple[str, str | None, str]] = [
    ("Python", None, "PSF License"),
    ("Qt / PySide6", "PySide6-Essentials", "LGPL-3.0"),
    ("Playwright (Python)", "playwright", "Apache-2.0"),
    (str(QT_TRANSLATE_NOOP("AboutDialog", "Playwright driver incl. Node.js")), None,
     "Apache-2.0 / MIT"),
    ("warcio", "warcio", "Apache-2.0"),
    ("bagit-python", "bagit", "CC0-1.0"),
    ("Pillow", "pillow", "MIT-CMU (HPND)"),
    ("lxml (libxml2, libxslt)", "lxml", "BSD-3-Clause / MIT"),
    ("jsonschema", "jsonschema", "MIT"),
    ("fpdf2", "fpdf2", "LGPL-3.0"),
    ("pikepdf (qpdf)", "pikepdf", "MPL-2.0 / Apache-2.0"),
    ("fontTools", "fonttools", "MIT"),
    ("platformdirs", "platformdirs", "MIT"),
    (str(QT_TRANSLATE_NOOP("AboutDialog", "DejaVu fonts")), None,
     str(QT_TRANSLATE_NOOP("AboutDialog", "Bitstream Vera licence + public domain"))),
    (str(QT_TRANSLATE_NOOP("AboutDialog", "sRGB ICC profile (sRGB2014)")), None,
     str(QT_TRANSLATE_NOOP("AboutDialog", "International Color Consortium, free use"))),
    ("eFormidling arkivmelding XSD (Digdir)", None, "Apache-2.0"),
    ("Fiks Arkiv V1 XSD (KS)", None, "MIT"),
]


def _version(dist: str | None) -> str:
    if dist is None:
        return ""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


class AboutDialog(QDialog):
    """Version and licences; the browser is not bundled and so not listed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About somecapture"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "<h2>somecapture {version}</h2>"
            "<p>Archives social-media posts in their context: the thread, the replies, who "
            "said what and when, as a verified package for the records system.</p>"
            "<p>Python {python} · {system}</p>"
            "<p>The browser is not part of somecapture: it uses the Chrome, Edge or Chromium "
            "installed on this computer.</p>").format(
                version=__version__, python=platform.python_version(),
                system=f"{platform.system()} {platform.release()}"))
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(intro)
        layout.addWidget(QLabel(self.tr("Bundled components and their licences:")))
        table = QTableWidget(len(COMPONENTS), 3)
        table.setHorizontalHeaderLabels([self.tr("Component"), self.tr("Version"),
                                         self.tr("Licence")])
        for row, (name, dist, licence) in enumerate(COMPONENTS):
            version = platform.python_version() if name == "Python" else _version(dist)
            for col, text in enumerate((QCoreApplication.translate("AboutDialog", name),
                                        version,
                                        QCoreApplication.translate("AboutDialog", licence))):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                table.setItem(row, col, item)
        table.verticalHeader().setVisible(False)
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        table.setMinimumWidth(620)
        table.setMinimumHeight(360)
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
