"""'Export WACZ…': asks where to save, exports on the engine thread, says how it went.

One object per view (the result panel's capture view, the history view): the view calls
:meth:`WaczExporter.export` with a package folder. The export itself is
:func:`somecapture.package.wacz.export_wacz`, run by the bridge off the UI thread like verify;
the view stays usable while a large WARC is copied.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from somecapture.gui.contract import EngineBridgeProtocol
from somecapture.gui.dialogs import show_exception
from somecapture.gui.widgets.common import shown

# (parent, package) -> the chosen WACZ path, or None when the user cancelled
AskTarget = Callable[[QWidget, Path], Path | None]


def ask_wacz_target(parent: QWidget, package: Path) -> Path | None:
    """A save dialog for the WACZ file, proposing ``<package name>.wacz`` beside the package.

    The dialog itself asks before replacing an existing file, so a path it returns may be
    replaced."""
    name, _ = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("WaczExporter", "Export WACZ"),
        str(package.parent / f"{package.name}.wacz"),
        QCoreApplication.translate("WaczExporter", "WACZ web archive (*.wacz)"))
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".wacz" else path.with_name(path.name + ".wacz")


class WaczExporter(QObject):
    """Runs 'Export WACZ…' for a view; ``exported(path)`` / ``export_failed(message)`` follow
    each export (the tests listen to them; the user sees a message box)."""

    exported = Signal(object)      # Path of the written WACZ
    export_failed = Signal(str)

    def __init__(self, bridge: EngineBridgeProtocol, parent: QWidget,
                 ask: AskTarget = ask_wacz_target) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.view = parent
        self.ask = ask
        self.jobs: dict[int, Path] = {}
        bridge.job_finished.connect(self._on_finished)
        bridge.job_failed.connect(self._on_failed)

    def busy(self) -> bool:
        """Whether an export of this view is running."""
        return bool(self.jobs)

    def export(self, package: Path | str) -> None:
        """Ask where, then export ``package`` on the engine thread."""
        package = Path(package)
        target = self.ask(self.view, package)
        if target is None:
            return
        # the save dialog has asked before an existing file is replaced
        job = self.bridge.export_wacz(package, target, force=True)
        self.jobs[job.id] = target

    def _on_finished(self, job: Any, value: Any) -> None:
        target = self.jobs.pop(job.id, None)
        if target is None:
            return
        self.exported.emit(target)
        box = QMessageBox(self.view)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("WACZ exported"))
        text = self.tr("The WACZ file was saved: {path}\nIt was made from the verified "
                       "package and opens in ReplayWeb.page or pywb.").format(path=shown(target))
        problems = list(getattr(value, "stamp_problems", []) or [])
        granted = sum(1 for t in getattr(value, "stamps", ()) if t.ok)
        if problems:
            # the file is written, but not as sealed as asked: said, like a PARTIAL capture
            box.setIcon(QMessageBox.Icon.Warning)
            text += "\n\n" + self.tr("Not every time-stamp authority stamped it:") + "\n" + \
                "\n".join(shown(p) for p in problems)
        elif granted:
            text += "\n\n" + self.tr("Time-stamped by %n authority(ies).", "", granted)
        box.setText(text)
        box.setModal(False)
        box.show()

    def _on_failed(self, job: Any, exc: Any) -> None:
        if self.jobs.pop(job.id, None) is None:
            return
        self.export_failed.emit(shown(exc))
        show_exception(self.view, exc)
