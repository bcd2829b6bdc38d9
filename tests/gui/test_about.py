"""The About dialog names the version and the licence of every bundled component."""

from __future__ import annotations

from typing import Any

from somecapture import __version__
from somecapture.gui.about import COMPONENTS, AboutDialog


def test_about_lists_version_and_licences(qtbot: Any) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    from PySide6.QtWidgets import QLabel, QTableWidget

    grid = dialog.findChild(QTableWidget)
    assert grid is not None and grid.rowCount() == len(COMPONENTS)
    names = [grid.item(r, 0).text() for r in range(grid.rowCount())]
    licences = [grid.item(r, 2).text() for r in range(grid.rowCount())]
    assert "Qt / PySide6" in names and "LGPL-3.0" in licences
    playwright_row = names.index("Playwright (Python)")
    assert grid.item(playwright_row, 1).text()  # a real version number from the metadata
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert __version__ in texts
