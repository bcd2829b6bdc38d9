"""The lower part of the Batch view: progress while a batch runs, the report when it ends.

Its texts are the ones the Batch view always showed there (translation context
``BatchStatusPanel``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from somecapture.events import BatchProgress
from somecapture.gui.dialogs import open_path
from somecapture.gui.widgets.common import plain_label, shown
from somecapture.messages import Msg

if TYPE_CHECKING:
    from somecapture.batch import BatchResult


class BatchStatusPanel(QWidget):
    """Progress bar, counts and ETA; then the report with buttons to open it and the folder."""

    def __init__(self, out_dir: Callable[[], Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # the folder "Open output folder" opens (the batch's, or the configured one)
        self._out_dir = out_dir
        self.result: BatchResult | None = None
        self.progress = QProgressBar()
        self.progress.setObjectName("batchProgress")
        self.progress.setFormat("%v / %m")
        self.progress_label = plain_label(QLabel())
        self.progress_label.setObjectName("batchCounts")
        self.progress_label.setWordWrap(True)
        self.report_label = plain_label(QLabel())
        self.report_label.setObjectName("batchReport")
        self.report_label.setWordWrap(True)
        self.report_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_report_button = QPushButton()
        self.open_report_button.setObjectName("openReport")
        self.open_report_button.clicked.connect(self._open_report)
        self.open_folder_button = QPushButton()
        self.open_folder_button.setObjectName("openOutFolder")
        self.open_folder_button.clicked.connect(lambda: open_path(self, self._out_dir()))
        report_row = QHBoxLayout()
        report_row.addWidget(self.report_label, 1)
        report_row.addWidget(self.open_report_button)
        report_row.addWidget(self.open_folder_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)
        layout.addLayout(report_row)
        self.set_report_visible(False)
        self.progress.setVisible(False)

    def retranslate(self) -> None:
        """Set the buttons' texts in the current language."""
        self.open_report_button.setText(self.tr("Open report"))
        self.open_folder_button.setText(self.tr("Open output folder"))

    def begin(self, total: int, text: str) -> None:
        """A batch starts: an empty bar of ``total`` rows, no report."""
        self.result = None
        self.set_report_visible(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(0)
        self.set_progress_text(text)

    def clear(self) -> None:
        """A new list: no progress, no report."""
        self.result = None
        self.set_report_visible(False)
        self.progress.setVisible(False)
        self.set_progress_text("")

    def render_progress(self, p: BatchProgress | None, *, stopped: bool,
                        running: bool) -> None:
        """Counts, ETA and retries of the last progress event."""
        if p is None:
            if stopped:
                self.set_progress_text(self.tr("Stopped. Finished captures are kept; "
                                               "Resume captures the rest."))
            return
        self.progress.setVisible(True)
        self.progress.setRange(0, max(1, p.total))
        self.progress.setValue(p.done)
        counts = p.counts
        text = self.tr("{done} of {total} done · complete {complete} · partial {partial} · "
                   "failed {failed}").format(
            done=p.done, total=p.total, complete=counts.get("complete", 0),
            partial=counts.get("partial", 0), failed=counts.get("failed", 0))
        if p.eta_s is not None and p.done < p.total and running:
            minutes = max(1, round(p.eta_s / 60))
            text += " · " + self.tr("about {minutes} min left").format(minutes=minutes)
        if isinstance(p.text, Msg) or p.notice:
            # a retry or a notice from the catalogue: it says what happens itself (it may
            # quote the failure, which may quote the page: cleaned)
            text += "\n" + shown(p.text)
        elif p.text.startswith("retrying"):
            text += "\n" + self.tr("Trying again: {detail}").format(detail=shown(p.text))
        if stopped:
            text += "\n" + self.tr("Stopped. Finished captures are kept; Resume captures the rest.")
        self.set_progress_text(text)

    def render_report(self) -> None:
        """The finished batch's counts and report path (hidden while there is none)."""
        r = self.result
        if r is None:
            self.set_report_visible(False)
            return
        text = self.tr("Finished: {complete} complete, {partial} partial, {failed} failed of "
                   "{total}.").format(complete=r.count("complete"),
                                      partial=r.count("partial"), failed=r.count("failed"),
                                      total=len(r.items))
        if r.report_csv:
            text += "\n" + self.tr("Report: {path}").format(path=shown(r.report_csv))
        self.report_label.setText(text)
        self.set_report_visible(True)
        self.set_progress_text("")  # the report says it all

    def set_report_visible(self, visible: bool) -> None:
        """Show or hide the report line and its buttons."""
        self.report_label.setVisible(visible)
        self.open_report_button.setVisible(visible)
        self.open_folder_button.setVisible(visible)

    def set_progress_text(self, text: str) -> None:
        """The line under the bar (hidden when empty)."""
        self.progress_label.setText(text)
        self.progress_label.setVisible(bool(text))

    def _open_report(self) -> None:
        if self.result is not None and self.result.report_csv:
            open_path(self, self.result.report_csv)
