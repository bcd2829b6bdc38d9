"""The Batch view: capture every address of a list file, resumably.

Choose a list file (or drop it on the window); every row is shown before anything starts, with
problems and duplicates marked, as ``somecapture batch`` checks it. Start runs the batch; Cancel
stops it keeping what is done; Resume finishes an interrupted batch of the same list without
capturing anything twice. Each row shows its status as it goes, and the report's path at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from somecapture.batchinput import ParsedList
from somecapture.errors import OptionsError
from somecapture.events import BatchProgress, BatchStarted, CaptureFinished, CaptureStarted
from somecapture.gui.contract import EngineBridgeProtocol
from somecapture.gui.dialogs import open_path, show_exception
from somecapture.gui.widgets.batch_status import BatchStatusPanel
from somecapture.gui.widgets.common import (
    STATUS_COLORS,
    STATUS_STRONG,
    heading,
    hint,
    plain_label,
    read_replies,
    shown,
    status_text,
)
from somecapture.models import UnfinishedBatch

if TYPE_CHECKING:
    # the batch runner imports the engine: the GUI thread imports it only once the engine
    # thread has (see _on_finished)
    from somecapture.batch import BatchResult
    from somecapture.gui.bridge import Job
    from somecapture.options import CaptureOptions

_T = TypeVar("_T")


def _expect(value: object, cls: type[_T], job: Job) -> _T:
    """``value`` as the type the bridge contract promises for ``job``; anything else is a bug
    (raised, so the app shows it with its details instead of a half-updated view)."""
    if not isinstance(value, cls):
        raise TypeError(f"{job!r} ended with {type(value).__name__}, not {cls.__name__}")
    return value

_Index = QModelIndex | QPersistentModelIndex

@dataclass
class BatchRow:
    """One line of the list as shown."""

    line: int
    url: str
    title: str = ""
    case: str = ""
    # ``item`` (will be captured), ``problem`` (cannot be) or ``duplicate`` (captured once)
    kind: str = "item"
    reason: str = ""
    # ready | pending | running | complete | partial | failed
    status: str = "ready"
    package: str = ""
    error: str = ""
    #: replies captured, and how many the page reports (None: not known)
    replies: int | None = None
    replies_reported: int | None = None


def _replies(value: object, package: str | None) -> tuple[int | None, int | None]:
    """(captured, reported) of an engine event or batch item: its own numbers when it has
    them, else the published package's metadata (read when the row ends)."""
    captured = getattr(value, "replies_captured", None)
    reported = getattr(value, "replies_reported", None)
    if isinstance(captured, int):
        return captured, reported if isinstance(reported, int) else None
    return read_replies(Path(package)) if package else (None, None)


class BatchTableModel(QAbstractTableModel):
    """The rows of a list file and their statuses."""

    COLUMNS = ("line", "url", "title", "case", "status", "replies", "details")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[BatchRow] = []
        self._by_url: dict[str, int] = {}

    def set_rows(self, rows: list[BatchRow]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self.rows = sorted(rows, key=lambda r: r.line)
        self._by_url = {r.url: i for i, r in enumerate(self.rows) if r.kind == "item"}
        self.endResetModel()

    def row_for_url(self, url: str) -> int | None:
        """The row index of an item by its (normalised) URL."""
        return self._by_url.get(url)

    def update(self, index: int, **changes: Any) -> None:
        """Change a row's fields and repaint it."""
        row = self.rows[index]
        for key, value in changes.items():
            setattr(row, key, value)
        self.dataChanged.emit(self.index(index, 0), self.index(index, len(self.COLUMNS) - 1))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.ToolTipRole and self.COLUMNS[section] == "replies":
            return self.tr("Replies captured of the replies the page reports")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        names = (self.tr("Line"), self.tr("Address"), self.tr("Title"), self.tr("Case"),
                 self.tr("Status"), self.tr("Replies"), self.tr("Details"))
        return names[section]

    def replies_text(self, row: BatchRow) -> str:
        """"12 / 14": replies captured of those the page reports ("" before the row ends)."""
        if row.replies is None:
            return ""
        if row.replies_reported is None:
            return str(row.replies)
        return f"{row.replies} / {row.replies_reported}"

    def status_label(self, row: BatchRow) -> str:
        """A row's status in the user's language."""
        if row.kind == "problem":
            return self.tr("Cannot be captured")
        if row.kind == "duplicate":
            return self.tr("Duplicate")
        return status_text(row.status)

    def details(self, row: BatchRow, full: bool = False) -> str:
        """What to know about a row: the problem, the package (its folder name; the whole
        path when ``full``) or the error."""
        if row.kind in ("problem", "duplicate"):
            return row.reason
        if row.error:
            return row.error
        if row.package:
            return row.package if full else Path(row.package).name
        return ""

    def _status_key(self, row: BatchRow) -> str:
        return row.kind if row.kind != "item" else row.status

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = self.COLUMNS[index.column()]
        # addresses, titles and errors come from the list file and the pages: shown cleaned
        # (the row keeps them as they are, to match the engine's events by URL)
        if role == Qt.ItemDataRole.ToolTipRole and column == "details":
            return shown(self.details(row, full=True))
        if role == Qt.ItemDataRole.ToolTipRole and column == "replies":
            if row.replies is not None and row.replies_reported is not None:
                return self.tr("{captured} of {reported} replies captured").format(
                    captured=row.replies, reported=row.replies_reported)
            if row.replies is not None:
                return self.tr("{captured} replies captured (the page does not say how many "
                               "there are)").format(captured=row.replies)
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == "line":
                return str(row.line)
            if column == "url":
                return shown(row.url)
            if column == "title":
                return shown(row.title)
            if column == "case":
                return shown(row.case)
            if column == "status":
                return self.status_label(row)
            if column == "replies":
                return self.replies_text(row)
            return shown(self.details(row))
        if role == Qt.ItemDataRole.BackgroundRole:
            color = STATUS_COLORS.get(self._status_key(row))
            if color is not None:
                return color
        if role == Qt.ItemDataRole.ForegroundRole and column == "status":
            strong = STATUS_STRONG.get("failed" if row.kind == "problem"
                                       else self._status_key(row))
            if strong:
                from PySide6.QtGui import QColor

                return QColor(strong)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("line", "replies"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _row_table(model: BatchTableModel) -> QTableView:
    """A read-only table of the list's rows, selected a whole row at a time."""
    table = QTableView()
    table.setObjectName("batchTable")
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(False)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return table


class BatchView(QWidget):
    """List file → preview → run with per-row status → report."""

    # a batch ended (the history refreshes)
    batch_finished = Signal(object)

    def __init__(self, bridge: EngineBridgeProtocol, settings: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.settings = settings
        self.list_path: Path | None = None
        self.parsed: ParsedList | None = None
        self.unfinished: UnfinishedBatch | None = None
        self.read_job: Job | None = None
        self.unfinished_job: Job | None = None
        self.job: Job | None = None
        self._last_progress: BatchProgress | None = None
        self._stopped = False
        self.out_dir: Path | None = None

        self.title_label = heading("", 1.5)
        self.intro = hint()
        self.file_label = QLabel()
        self.file_label.setObjectName("listFile")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton()
        self.choose_button.setObjectName("chooseList")
        self.choose_button.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.file_label, 1)
        self.summary = QLabel()
        self.summary.setObjectName("listSummary")
        self.summary.setWordWrap(True)
        self.problems_label = plain_label(QLabel())
        self.problems_label.setObjectName("listProblems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet(f"color: {STATUS_STRONG['failed']}")
        self.problems_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems_label.setVisible(False)
        self.resume_note = QLabel()
        self.resume_note.setObjectName("resumeNote")
        self.resume_note.setWordWrap(True)
        self.resume_note.setVisible(False)

        self.skip_check = QCheckBox()
        self.skip_check.setObjectName("skipInvalid")
        self.skip_check.toggled.connect(self._update_buttons)
        self.concurrency_label = QLabel()
        self.concurrency_spin = QSpinBox()
        self.concurrency_spin.setObjectName("concurrency")
        self.concurrency_spin.setRange(0, 16)
        self.concurrency_spin.setValue(settings.concurrency or 0)
        self.concurrency_label.setBuddy(self.concurrency_spin)
        self.start_button = QPushButton()
        self.start_button.setObjectName("startBatch")
        self.start_button.clicked.connect(lambda: self.start(resume=False))
        self.resume_button = QPushButton()
        self.resume_button.setObjectName("resumeBatch")
        self.resume_button.clicked.connect(lambda: self.start(resume=True))
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancelBatch")
        self.cancel_button.clicked.connect(self.cancel)
        controls = QHBoxLayout()
        controls.addWidget(self.skip_check)
        controls.addSpacing(16)
        controls.addWidget(self.concurrency_label)
        controls.addWidget(self.concurrency_spin)
        controls.addStretch(1)
        controls.addWidget(self.start_button)
        controls.addWidget(self.resume_button)
        controls.addWidget(self.cancel_button)

        self.model = BatchTableModel(self)
        self.table = _row_table(self.model)
        self.table.doubleClicked.connect(self._open_row)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._row_selected())
        self.model.dataChanged.connect(lambda *_a: self._row_selected())
        self.row_detail = plain_label(QLabel())
        self.row_detail.setObjectName("batchRowDetail")
        self.row_detail.setWordWrap(True)
        self.row_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.row_detail.setVisible(False)

        self.status_panel = BatchStatusPanel(lambda: self.out_dir or self.settings.out_dir())
        # the parts tests and the main window reach for by name
        self.progress = self.status_panel.progress
        self.progress_label = self.status_panel.progress_label
        self.report_label = self.status_panel.report_label
        self.open_report_button = self.status_panel.open_report_button

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.intro)
        layout.addLayout(file_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.resume_note)
        layout.addLayout(controls)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.row_detail)
        layout.addWidget(self.status_panel)

        bridge.event_received.connect(self._on_event)
        bridge.job_finished.connect(self._on_finished)
        bridge.job_failed.connect(self._on_failed)
        bridge.job_cancelled.connect(self._on_cancelled)
        self.retranslate()
        self._update_buttons()

    @property
    def result(self) -> BatchResult | None:
        """The finished batch (None before it ends, and for a new list)."""
        return self.status_panel.result

    # -- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.title_label.setText(self.tr("Capture a list of posts"))
        self.intro.setText(self.tr(
            "A list file has one address per line (plain text, # starts a comment), or is a "
            "CSV file with a url column and optional title, case, archivist and note columns. "
            "Choose one, or drop it on this window. Nothing starts before you press Start."))
        self.choose_button.setText(self.tr("&Choose list file…"))
        if self.list_path is None:
            self.file_label.setText(self.tr("No list file chosen yet."))
        self.skip_check.setText(self.tr("&Skip lines that cannot be captured"))
        self.concurrency_label.setText(self.tr("Captures at the &same time:"))
        self.concurrency_spin.setSpecialValueText(self.tr("Automatic"))
        self.start_button.setText(self.tr("S&tart"))
        self.resume_button.setText(self.tr("&Resume"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.status_panel.retranslate()
        self.table.setAccessibleName(self.tr("Rows of the list file"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0,
                                          len(BatchTableModel.COLUMNS) - 1)
        self._render_summary()
        self._render_resume_note()
        self._render_progress()
        self.status_panel.render_report()
        self._update_buttons()

    def changeEvent(self, event):  # noqa: N802 - Qt override
        if event.type() == event.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- loading a list -------------------------------------------------------------------
    def choose_file(self) -> None:
        """Ask for a list file."""
        start = str(self.settings.value("batch/last_dir", "") or Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a list file"), start,
            self.tr("List files (*.txt *.csv *.tsv *.list);;All files (*)"))
        if path:
            self.load_list(Path(path))

    def is_running(self) -> bool:
        """Whether a batch started here is running."""
        return self.job is not None

    def load_list(self, path: Path) -> None:
        """Read and check ``path`` (on the engine thread); the preview follows."""
        if self.job is not None:
            return
        self.settings.set_value("batch/last_dir", str(path.parent))
        self.list_path = path
        self.parsed = None
        self.unfinished = None
        self._last_progress = None
        self._stopped = False
        self.file_label.setText(str(path))
        self.summary.setText(self.tr("Reading the list…"))
        self.model.set_rows([])
        self.status_panel.clear()
        self.read_job = self.bridge.read_list(path)
        self._update_buttons()

    def _show_parsed(self, parsed: ParsedList) -> None:
        self.parsed = parsed
        rows = [BatchRow(line=i.line, url=i.url, title=i.title or "", case=i.case or "")
                for i in parsed.items]
        rows += [BatchRow(line=p.line, url=p.text, kind="problem", reason=p.reason,
                          status="problem") for p in parsed.problems]
        rows += [BatchRow(line=d.line, url=d.url, kind="duplicate", status="duplicate",
                          reason=self.tr("same address as line {line}; captured once")
                          .format(line=d.first_line)) for d in parsed.duplicates]
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        header.resizeSection(1, min(max(header.sectionSize(1), 200), 460))
        header.resizeSection(2, min(header.sectionSize(2), 260))
        # room for "123 / 145" before any row has its count (sized to the header otherwise)
        replies = BatchTableModel.COLUMNS.index("replies")
        header.resizeSection(replies, max(header.sectionSize(replies),
                                          self.table.fontMetrics().horizontalAdvance("000 / 000")
                                          + 16))
        self._render_summary()
        self._update_buttons()
        if parsed.items:
            self._check_unfinished()

    def _options(self) -> CaptureOptions:
        options: CaptureOptions = self.settings.capture_options()
        return options

    def _check_unfinished(self) -> None:
        if self.list_path is None or self.parsed is None:
            return  # called after a list was read; nothing to ask about otherwise
        try:
            options = self._options()
        except OptionsError:
            return  # Start shows the problem
        self.unfinished_job = self.bridge.unfinished_batch(self.list_path, self.parsed, options)

    # -- running --------------------------------------------------------------------------
    def start(self, resume: bool = False) -> None:
        """Start a new batch of the loaded list, or resume the unfinished one."""
        if self.parsed is None or self.job is not None or self.list_path is None:
            return
        try:
            options = self._options()
        except OptionsError as exc:
            show_exception(self, exc)
            return
        if not resume and not self._confirm_new_run():
            return
        concurrency = self.concurrency_spin.value() or None
        self.settings.concurrency = concurrency
        for index, row in enumerate(self.model.rows):
            if row.kind == "item":
                self.model.update(index, status="pending", package="", error="",
                                  replies=None, replies_reported=None)
        self._stopped = False
        self._last_progress = None
        self.status_panel.begin(len(self.parsed.items), self.tr("Starting the browser…"))
        self.job = self.bridge.batch(self.list_path, self.parsed, options,
                                     concurrency=concurrency, resume=resume)
        self._update_buttons()

    def _confirm_new_run(self) -> bool:
        """Start makes a new batch: every item is captured again, next to the packages that
        exist. Ask first when some were captured (in this window, or by an unfinished batch
        of this list), so a list is not archived twice by one click."""
        captured = sum(1 for row in self.model.rows
                       if row.kind == "item" and row.status in ("complete", "partial"))
        if self.unfinished is not None and self.unfinished.same_list:
            text = self.tr("An unfinished run of this list into this folder exists (%1 of %2 "
                           "done). Resume captures only the rest; Start captures every item "
                           "again, as new packages next to the existing ones. Start anyway?"
                           ).replace("%1", str(self.unfinished.done)) \
                .replace("%2", str(self.unfinished.total))
        elif captured:
            text = self.tr("%n item(s) of this list were already captured in this window. "
                           "Start captures every item again, as new packages next to the "
                           "existing ones.", "", captured)
        else:
            return True
        answer = QMessageBox.question(
            self, self.tr("Capture the list again?"), text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def cancel(self) -> None:
        """Stop the batch; what is done is kept."""
        if self.job is None:
            return
        self.cancel_button.setEnabled(False)
        self.status_panel.set_progress_text(self.tr(
            "Stopping… (captures in progress are cancelled, finished ones are kept)"))
        self.bridge.cancel(self.job)

    def _on_event(self, job: Job, event: object) -> None:
        if job is not self.job:
            return
        if isinstance(event, BatchStarted):
            self.out_dir = event.out_dir
            for _line, url, status in event.rows:
                index = self.model.row_for_url(url)
                if index is not None:
                    self.model.update(index, status=status or "pending")
        elif isinstance(event, CaptureStarted):
            index = self.model.row_for_url(event.url)
            if index is not None:
                self.model.update(index, status="running", error="", package="",
                                  replies=None, replies_reported=None)
                self.table.scrollTo(self.model.index(index, 0))
        elif isinstance(event, CaptureFinished):
            index = self.model.row_for_url(event.url)
            if index is not None:
                captured, reported = _replies(event, event.package)
                self.model.update(index, status=event.status, package=event.package or "",
                                  error=event.error or "", replies=captured,
                                  replies_reported=reported)
        elif isinstance(event, BatchProgress):
            self._last_progress = event
            self._render_progress()

    def _on_finished(self, job: Job, value: object) -> None:
        # the job says what was asked (an unfinished-batch query may answer None, and a
        # view's jobs must be told from other views'); the contract says the value's type
        if job is self.read_job:
            self.read_job = None
            self._show_parsed(_expect(value, ParsedList, job))
        elif job is self.unfinished_job:
            self.unfinished_job = None
            self.unfinished = None if value is None else _expect(value, UnfinishedBatch, job)
            self._render_resume_note()
            self._update_buttons()
        elif job is self.job:
            # already imported by the engine thread that made the result: no start-up cost
            from somecapture.batch import BatchResult

            result = _expect(value, BatchResult, job)
            self.job = None
            self.status_panel.result = result
            for item in result.items:
                index = self.model.row_for_url(item.url)
                if index is not None:
                    row = self.model.rows[index]
                    captured, reported = ((row.replies, row.replies_reported)
                                          if row.package == (item.package or "")
                                          and row.replies is not None
                                          else _replies(item, item.package))
                    self.model.update(index, status=item.status, package=item.package or "",
                                      error=item.error or "", replies=captured,
                                      replies_reported=reported)
            self.unfinished = None
            self._render_resume_note()
            self._render_progress()
            self.status_panel.render_report()
            self._update_buttons()
            self.batch_finished.emit(result)

    def _on_failed(self, job: Job, exc: BaseException) -> None:
        if job is self.read_job:
            self.read_job = None
            self.list_path = None
            self.summary.setText("")
            self.file_label.setText(self.tr("No list file chosen yet."))
            show_exception(self, exc)
        elif job is self.unfinished_job:
            self.unfinished_job = None
            show_exception(self, exc)
        elif job is self.job:
            self.job = None
            self._mark_unfinished_rows()
            self.status_panel.set_progress_text(self.tr("The batch stopped because of an error."))
            show_exception(self, exc)
            self._check_unfinished()
        else:
            return
        self._update_buttons()

    def _on_cancelled(self, job: Job) -> None:
        if job is not self.job:
            return
        self.job = None
        self._stopped = True
        self._mark_unfinished_rows()
        self._render_progress()
        self._update_buttons()
        self._check_unfinished()
        self.batch_finished.emit(None)

    def _mark_unfinished_rows(self) -> None:
        for index, row in enumerate(self.model.rows):
            if row.kind == "item" and row.status == "running":
                self.model.update(index, status="pending")

    # -- rendering ------------------------------------------------------------------------
    def _render_summary(self) -> None:
        parsed = self.parsed
        if parsed is None:
            if self.read_job is None:
                self.summary.setText("")
            self.problems_label.setVisible(False)
            return
        # counted words with their own plurals (%n), never "adresse(r)"
        parts = [self.tr("%n address(es) to capture", "", len(parsed.items))]
        if parsed.problems:
            parts.append(self.tr("%n line(s) cannot be captured (marked red)", "",
                                 len(parsed.problems)))
        if parsed.duplicates:
            parts.append(self.tr("%n duplicate(s), captured once", "", len(parsed.duplicates)))
        self.summary.setText(" · ".join(parts))
        lines = [self.tr("Line {line}: {reason}").format(line=p.line, reason=shown(p.reason))
                 for p in parsed.problems[:5]]
        if len(parsed.problems) > 5:
            lines.append(self.tr("… and {count} more (see the table)").format(
                count=len(parsed.problems) - 5))
        if parsed.problems and not self.skip_check.isChecked() and self.job is None:
            lines.append(self.tr("Fix these lines in the list file and choose it again, or "
                                 "tick “Skip lines that cannot be captured”."))
        self.problems_label.setText("\n".join(lines))
        self.problems_label.setVisible(bool(lines))

    def _render_resume_note(self) -> None:
        u = self.unfinished
        if u is None:
            self.resume_note.setVisible(False)
            return
        if u.same_list:
            self.resume_note.setText(self.tr(
                "This list has an unfinished batch ({done} of {total} done). Resume captures "
                "the rest; Start begins a new batch from the top.").format(done=u.done,
                                                                            total=u.total))
        else:
            self.resume_note.setText(self.tr(
                "This list has an unfinished batch, but the file has changed since, so it "
                "cannot be resumed. Start begins a new batch."))
        self.resume_note.setVisible(True)

    def _render_progress(self) -> None:
        self.status_panel.render_progress(self._last_progress, stopped=self._stopped,
                                          running=self.job is not None)

    def _row_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.row_detail.setVisible(False)
            return
        row = self.model.rows[rows[0].row()]
        detail = self.model.details(row, full=True)
        text = self.tr("Line {line}: {url}").format(line=row.line, url=shown(row.url))
        if detail:
            text += "\n" + shown(detail)
        self.row_detail.setText(text)
        self.row_detail.setVisible(True)

    def _update_buttons(self) -> None:
        for widget, (why, tip) in _control_states(self).items():
            widget.setEnabled(why is None)
            widget.setToolTip(why or tip)  # a greyed control says why
        if self.parsed is not None:
            self._render_summary()

    # -- opening --------------------------------------------------------------------------
    def _open_row(self, index: QModelIndex) -> None:
        row = self.model.rows[index.row()]
        if row.package:
            open_path(self, row.package)


def _control_states(view: BatchView) -> dict[QWidget, tuple[str | None, str]]:
    """Each control of the Batch view: (why it cannot be used now, or None; what it does).

    The texts keep the view's translation context ("BatchView"), written out in each call:
    pyside6-lupdate finds only literal ``QCoreApplication.translate`` calls.
    """
    running = view.job is not None
    parsed = view.parsed
    busy = QCoreApplication.translate("BatchView", "Not while a batch is running.")
    no_list = QCoreApplication.translate("BatchView", "Choose a list file first.")
    start_why: str | None = None
    if running:
        start_why = busy
    elif parsed is None:
        start_why = no_list
    elif not parsed.items:
        start_why = QCoreApplication.translate(
            "BatchView", "The list has no address that can be captured.")
    elif parsed.problems and not view.skip_check.isChecked():
        start_why = QCoreApplication.translate(
            "BatchView", "Some lines cannot be captured: fix them in the list file, or tick "
            "“Skip lines that cannot be captured”.")
    resume_why: str | None = None
    if running:
        resume_why = busy
    elif parsed is None:
        resume_why = no_list
    elif view.unfinished is None:
        resume_why = QCoreApplication.translate(
            "BatchView", "This list has no unfinished batch to resume.")
    elif not view.unfinished.same_list:
        resume_why = QCoreApplication.translate(
            "BatchView", "The list file has changed since its batch started, so that batch "
            "cannot be resumed.")
    idle = None if running else QCoreApplication.translate("BatchView", "No batch is running.")
    return {
        view.start_button: (start_why, QCoreApplication.translate(
            "BatchView", "Capture every address of the list")),
        view.resume_button: (resume_why, QCoreApplication.translate(
            "BatchView", "Capture the rest of an interrupted batch of this list; nothing is "
            "captured twice")),
        view.cancel_button: (idle, QCoreApplication.translate(
            "BatchView", "Stop the batch. Finished captures are kept; Resume captures the "
            "rest.")),
        view.choose_button: (busy if running else None, QCoreApplication.translate(
            "BatchView", "Choose the list file to capture")),
        view.skip_check: (busy if running else None, QCoreApplication.translate(
            "BatchView", "Capture the other lines and leave out those that cannot be "
            "captured")),
        view.concurrency_spin: (busy if running else None, QCoreApplication.translate(
            "BatchView", "Automatic: suited to this computer (one per processor core, at "
            "most 4)")),
    }
