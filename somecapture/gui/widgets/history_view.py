"""The History view: the catalogue of captures, searchable, with open / verify / capture again.

Every action is a button under the table and an entry of the row's context menu; a package's
screened variant (issue 18) can be opened when the package has one.

The catalogue is queried on the engine thread (SQLite, one query per search) and shown newest
first; the table sorts by any column. Search matches address, title, author, handle, platform
and case, as ``somecapture list --search`` does.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from somecapture.gui.contract import EngineBridgeProtocol
from somecapture.gui.dialogs import open_path, show_exception
from somecapture.gui.widgets.common import (
    STATUS_COLORS,
    STATUS_STRONG,
    heading,
    hint,
    local_time,
    plain_label,
    screened_pdf,
    shown,
    status_text,
)
from somecapture.gui.widgets.wacz_export import WaczExporter

_Index = QModelIndex | QPersistentModelIndex


def _host(url: str | None) -> str:
    """The host name of an address (``www.`` left off), or ""."""
    host = urlsplit(url or "").hostname or ""
    return host[4:] if host.startswith("www.") else host


def _short_address(url: str) -> str:
    """``host/path`` of an address, without scheme, query or a trailing slash."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return (host + parts.path).rstrip("/") or url


class CatalogModel(QAbstractTableModel):
    """Catalogue entries as table rows."""

    COLUMNS = ("captured_at", "platform", "author", "title", "version", "replies", "status",
               "case_ref")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.entries: list[Any] = []
        self._versions: dict[str, int | None] = {}
        self._same_title: set[str] = set()

    def set_entries(self, entries: list[Any]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self.entries = list(entries)
        self._versions = self._count_versions(self.entries)
        titles = Counter(self._base_title(e) for e in self.entries)
        # titles shared by captures of different addresses: the address tells them apart
        by_title: dict[str, set[str]] = {}
        for e in self.entries:
            by_title.setdefault(self._base_title(e), set()).add(e.final_url or e.url)
        self._same_title = {t for t, n in titles.items() if n > 1 and len(by_title[t]) > 1}
        self.endResetModel()

    @staticmethod
    def _count_versions(entries: list[Any]) -> dict[str, int | None]:
        """Each capture's version: the catalogue's number when it has one, else counted
        along ``previous_capture`` (None when an earlier version is not among ``entries``)."""
        by_id = {e.capture_id: e for e in entries}
        versions: dict[str, int | None] = {}

        def version(entry: Any, depth: int = 0) -> int | None:
            known = getattr(entry, "version", None)
            if isinstance(known, int) and known > 0:
                return known
            if not entry.previous_capture:
                return 1
            earlier = by_id.get(entry.previous_capture)
            if earlier is None or depth > 1000:
                return None
            if earlier.capture_id not in versions:
                versions[earlier.capture_id] = version(earlier, depth + 1)
            before = versions[earlier.capture_id]
            return None if before is None else before + 1

        for entry in entries:
            versions[entry.capture_id] = version(entry)
        return versions

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = {"author": self.tr("Who published the post (for a web page without a "
                                      "named sender: the site)"),
                    "version": self.tr("A watched thread is archived again when it changes: "
                                       "version 1 is the first capture"),
                    "replies": self.tr("Replies captured of the replies the page reports")}
            return tips.get(self.COLUMNS[section])
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Captured"), self.tr("Platform"), self.tr("Sender"), self.tr("Title"),
                self.tr("Version"), self.tr("Replies"), self.tr("Status"),
                self.tr("Case"))[section]

    @staticmethod
    def _base_title(entry: Any) -> str:
        return str(entry.title or entry.final_url or entry.url)

    def sender_of(self, entry: Any) -> tuple[str, bool]:
        """(who sent the post, whether it is the site rather than a named sender)."""
        if entry.author or entry.handle:
            return str(entry.author or entry.handle), False
        return _host(entry.final_url or entry.url), True

    def title(self, entry: Any) -> str:
        """The title, with the address when other captures of other addresses share it."""
        title = self._base_title(entry)
        if title in self._same_title and entry.title:
            return f"{title} · {_short_address(entry.final_url or entry.url)}"
        return title

    def version(self, entry: Any) -> int | None:
        """The capture's version of its thread (1: the first capture), None: not known."""
        return self._versions.get(entry.capture_id, 1)

    @staticmethod
    def replies(entry: Any) -> tuple[int | None, int | None]:
        """(replies captured, replies the page reports), None where not known."""
        captured = getattr(entry, "replies_captured", None)
        reported = getattr(entry, "replies_reported", None)
        return (captured if isinstance(captured, int) else None,
                reported if isinstance(reported, int) else None)

    def display(self, entry: Any, column: str) -> str:
        """The text shown for one cell."""
        if column == "captured_at":
            return local_time(entry.captured_at)
        if column == "platform":
            return str(entry.platform or "")
        if column == "author":
            return self.sender_of(entry)[0]
        if column == "title":
            return self.title(entry)
        if column == "version":
            number = self.version(entry)
            return str(number) if number is not None else self.tr("later")
        if column == "replies":
            captured, reported = self.replies(entry)
            if captured is None:
                return ""
            return f"{captured} / {reported}" if reported is not None else str(captured)
        if column == "status":
            return status_text(entry.status)
        return str(entry.case_ref or "")

    def tooltip(self, entry: Any, column: str) -> str:
        """The tooltip of one cell."""
        if column == "status" and (entry.error or entry.warnings):
            return (shown(entry.error) if entry.error
                    else "\n".join(shown(w) for w in entry.warnings))
        if column == "title":
            return shown(entry.url)
        if column == "author":
            name, is_site = self.sender_of(entry)
            if is_site and name:
                return self.tr("No sender was found on the page: the site it was published "
                               "on, {site}").format(site=shown(name))
        if column == "version" and self.version(entry) is None:
            return self.tr("A later version of a watched thread (its earlier versions are "
                           "not in this list)")
        if column == "replies":
            captured, reported = self.replies(entry)
            if captured is not None and reported is not None:
                return self.tr("{captured} of {reported} replies captured").format(
                    captured=captured, reported=reported)
            if captured is not None:
                return self.tr("{captured} replies captured (the page does not say how many "
                               "there are)").format(captured=captured)
        return shown(self.display(entry, column))

    def sort_key(self, entry: Any, column: str) -> Any:
        """The value a column sorts by (times sort as text in RFC 3339)."""
        if column == "version":
            return self.version(entry) or 0
        if column == "replies":
            return self.replies(entry)[0] or -1
        if column == "author":
            return self.sender_of(entry)[0]
        return getattr(entry, column) or ""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        column = self.COLUMNS[index.column()]
        # titles, authors, URLs, errors and warnings are page text: shown cleaned; the sort
        # key (UserRole) keeps the catalogue's value
        if role == Qt.ItemDataRole.DisplayRole:
            return shown(self.display(entry, column))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(entry, column)
        if role == Qt.ItemDataRole.UserRole:
            return self.sort_key(entry, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("version", "replies"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == "author" and self.sender_of(entry)[1]:
            # the site, not a named sender: set apart (the tooltip says so)
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and column == "status":
            return STATUS_COLORS.get(entry.status)
        if role == Qt.ItemDataRole.ForegroundRole and column == "status":
            strong = STATUS_STRONG.get(entry.status)
            return QColor(strong) if strong else None
        return None


class HistoryView(QWidget):
    """The catalogue as a table."""

    # "Capture again" was chosen: (url, title, case)
    capture_again_requested = Signal(str, str, str)

    def __init__(self, bridge: EngineBridgeProtocol, settings: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.settings = settings
        self.query_job: Any = None
        self.verify_jobs: dict[int, Path] = {}
        self._pending_refresh = False

        self.title_label = heading("", 1.5)
        self.search_label = QLabel()
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("historySearch")
        self.search_edit.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search_edit)
        self.status_label = QLabel()
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("historyStatus")
        self.status_label.setBuddy(self.status_combo)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.status_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        top = QHBoxLayout()
        top.addWidget(self.search_label)
        top.addWidget(self.search_edit, 1)
        top.addSpacing(12)
        top.addWidget(self.status_label)
        top.addWidget(self.status_combo)
        top.addWidget(self.refresh_button)

        self.model = CatalogModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView()
        self.table.setObjectName("historyTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.open_folder())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

        self.count_label = hint()
        self.detail = plain_label(hint())
        self.detail.setObjectName("historyDetail")
        self.open_button = QPushButton()
        self.open_button.setObjectName("historyOpen")
        self.open_button.clicked.connect(self.open_folder)
        self.pdf_button = QPushButton()
        self.pdf_button.clicked.connect(self.open_pdf)
        self.screened_button = QPushButton()
        self.screened_button.setObjectName("historyOpenScreened")
        self.screened_button.clicked.connect(self.open_screened)
        self.verify_button = QPushButton()
        self.verify_button.setObjectName("historyVerify")
        self.verify_button.clicked.connect(self.verify)
        self.export_wacz_button = QPushButton()
        self.export_wacz_button.setObjectName("historyExportWacz")
        self.wacz_exporter = WaczExporter(bridge, self)
        self.export_wacz_button.clicked.connect(self.export_wacz)
        self.again_button = QPushButton()
        self.again_button.setObjectName("historyAgain")
        self.again_button.clicked.connect(self.capture_again)
        self.verify_label = QLabel()
        self.verify_label.setObjectName("historyVerifyResult")
        self.verify_label.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in self._action_buttons():
            buttons.addWidget(b)
        buttons.addSpacing(12)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        buttons.addWidget(self.count_label, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.detail)
        layout.addWidget(self.verify_label)

        bridge.job_finished.connect(self._on_finished)
        bridge.job_failed.connect(self._on_failed)
        self.retranslate()
        self._selected()

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.title_label.setText(self.tr("Captures"))
        self.search_label.setText(self.tr("&Search:"))
        self.search_edit.setPlaceholderText(self.tr("Address, title, author, platform or case "
                                                    "number"))
        self.status_label.setText(self.tr("S&tatus:"))
        current = self.status_combo.currentData()
        self.status_combo.blockSignals(True)
        self.status_combo.clear()
        self.status_combo.addItem(self.tr("All"), "")
        for status in ("complete", "partial", "failed"):
            self.status_combo.addItem(status_text(status), status)
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(current or "")))
        self.status_combo.blockSignals(False)
        self.refresh_button.setText(self.tr("&Refresh"))
        self.open_button.setText(self.tr("&Open package folder"))
        self.pdf_button.setText(self.tr("Open &PDF"))
        self.screened_button.setText(self.tr("Open scr&eened version"))
        self.verify_button.setText(self.tr("&Verify"))
        self.export_wacz_button.setText(self.tr("Export &WACZ…"))
        self.again_button.setText(self.tr("Capture &again"))
        self.table.setAccessibleName(self.tr("Captures, newest first"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0,
                                          len(CatalogModel.COLUMNS) - 1)
        self._render_count()
        self._selected()

    def changeEvent(self, event):  # noqa: N802 - Qt override
        if event.type() == event.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- querying -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Query the catalogue with the current search and filter."""
        if self.query_job is not None:
            self._pending_refresh = True  # run again when the current query is back
            return
        self.query_job = self.bridge.catalog_entries(
            self.settings.catalog_path, self.search_edit.text().strip() or None,
            self.status_combo.currentData() or None)

    def _on_finished(self, job: Any, value: Any) -> None:
        if job is self.query_job:
            self.query_job = None
            selected = self.selected_entry()
            self.model.set_entries(value)
            self.table.resizeColumnsToContents()
            header = self.table.horizontalHeader()
            header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
            if selected is not None:
                self._select(selected.capture_id)
            self._render_count()
            self._selected()
            if self._pending_refresh:
                self._pending_refresh = False
                self.refresh()
        elif job.id in self.verify_jobs:
            path = self.verify_jobs.pop(job.id)
            summary = getattr(value, "seal_summary", None)
            # the verifier's words, from the message catalogue (they quote the seal's token)
            seal = f"\n{shown(summary)}" if summary else ""
            seal += "".join(f"\n{shown(n)}" for n in getattr(value, "notes", None) or [])
            report = getattr(value, "seal", None)
            if value.ok and report is not None and report.sealed and not report.trusted:
                # a seal no trust store proved: anyone can make one, so no ✔
                self.verify_label.setStyleSheet(f"color: {STATUS_STRONG['partial']}")
                self.verify_label.setText(self.tr(
                    "⚠ {path}: the files match their checksums and the seal, but the seal "
                    "is NOT TRUSTED: its chain ends in a root the package carries itself, "
                    "and anyone can make such a seal. Choose the agency's trusted roots under "
                    "Settings → Network → Trusted time-stamp roots to prove who sealed it.")
                    .format(path=path.name) + seal)
            elif value.ok:
                self.verify_label.setStyleSheet(f"color: {STATUS_STRONG['complete']}")
                self.verify_label.setText(self.tr("✔ {path}: every file is intact.")
                                          .format(path=path.name) + seal)
            else:
                self.verify_label.setStyleSheet(f"color: {STATUS_STRONG['failed']}")
                self.verify_label.setText(self.tr("✖ {path} has changed since it was "
                                                  "captured:").format(path=path.name) + "\n"
                                          + "\n".join(f"• {shown(p)}" for p in value.problems)
                                          + seal)

    def _on_failed(self, job: Any, exc: Any) -> None:
        if job is self.query_job:
            self.query_job = None
            self._pending_refresh = False
            show_exception(self, exc)
        elif job.id in self.verify_jobs:
            path = self.verify_jobs.pop(job.id)
            self.verify_label.setStyleSheet(f"color: {STATUS_STRONG['failed']}")
            self.verify_label.setText(self.tr("{path} could not be verified: {message}")
                                      .format(path=path.name, message=shown(exc)))

    def _render_count(self) -> None:
        n = self.model.rowCount()
        if n == 0 and not self.search_edit.text() and not self.status_combo.currentData():
            self.count_label.setText(self.tr("No captures yet. Captures appear here as soon "
                                             "as they are done."))
        else:
            self.count_label.setText(self.tr("%n capture(s)", "", n))

    # -- selection and actions ------------------------------------------------------------
    def selected_entry(self) -> Any:
        """The selected catalogue entry, or None."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        source = self.proxy.mapToSource(rows[0])
        return self.model.entries[source.row()]

    def _select(self, capture_id: str) -> None:
        for row, entry in enumerate(self.model.entries):
            if entry.capture_id == capture_id:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                self.table.selectRow(index.row())
                return

    def _tooltips(self) -> dict[QPushButton, str]:
        """What each action button does (its tooltip while it can be used)."""
        return {
            self.open_button: self.tr("Show the package's files in your file manager "
                                      "(double-click a row does the same)"),
            self.pdf_button: self.tr("Open the PDF/A rendition of the page"),
            self.screened_button: self.tr("Open the screened PDF, with private persons "
                                          "masked (for access requests)"),
            self.verify_button: self.tr("Check every checksum: is the package still exactly "
                                        "what was captured?"),
            self.export_wacz_button: self.tr("Save the capture as a WACZ file for "
                                             "ReplayWeb.page or pywb (only a verified package "
                                             "is exported)"),
            self.again_button: self.tr("Capture the same address again, with the same title "
                                       "and case"),
        }

    def disabled_reasons(self, entry: Any) -> dict[QPushButton, str | None]:
        """Why each action button cannot be used for ``entry`` (None: it can): a greyed
        button always says why, in its tooltip."""
        if entry is None:
            why = self.tr("Select a capture in the table first.")
            return dict.fromkeys(self._action_buttons(), why)
        package = self._package(entry)
        no_package: str | None = None
        if package is None:
            no_package = (self.tr("This capture failed, so no package was published.")
                          if entry.status == "failed"
                          else self.tr("No package of this capture is known."))
        elif not package.is_dir():
            no_package = self.tr("The package folder is no longer at {path}: it was moved or "
                                 "deleted.").format(path=shown(package))
        no_pdf = no_package
        no_screened = no_package
        if package is not None and no_package is None:
            if not (package / "data" / "screenshot.pdf").is_file():
                no_pdf = self.tr("The package holds no PDF.")
            if screened_pdf(package) is None:
                no_screened = self.tr("This capture has no screened version (the page showed "
                                      "no private persons, or screened versions were turned "
                                      "off under Settings).")
        return {self.open_button: no_package, self.pdf_button: no_pdf,
                self.screened_button: no_screened, self.verify_button: no_package,
                self.export_wacz_button: no_package, self.again_button: None}

    def _selected(self) -> None:
        entry = self.selected_entry()
        tips = self._tooltips()
        for button, why in self.disabled_reasons(entry).items():
            button.setEnabled(why is None)
            button.setToolTip(why or tips[button])
        if entry is None:
            self.detail.setText(self.tr("Select a capture to open its package, verify it, "
                                        "export it or capture it again."))
            return
        # one line per item: page text in them cannot start a line of its own
        lines = [shown(entry.url)]
        if entry.package_path:
            lines.append(self.tr("Package: {path}").format(path=shown(entry.package_path)))
        if entry.error:
            lines.append(self.tr("Error: {message}").format(message=shown(entry.error)))
        for warning in entry.warnings[:5]:
            lines.append(self.tr("Warning: {message}").format(message=shown(warning)))
        self.detail.setText("\n".join(lines))

    @staticmethod
    def _package(entry: Any) -> Path | None:
        if entry is None or not entry.package_path:
            return None
        return Path(entry.package_path)

    def open_folder(self) -> None:
        """Open the selected capture's package folder."""
        package = self._package(self.selected_entry())
        if package is not None:
            open_path(self, package)

    def open_pdf(self) -> None:
        """Open the selected capture's PDF."""
        package = self._package(self.selected_entry())
        if package is not None:
            open_path(self, package / "data" / "screenshot.pdf")

    def open_screened(self) -> None:
        """Open the selected capture's screened PDF (private persons masked), if it has one."""
        package = self._package(self.selected_entry())
        pdf = screened_pdf(package) if package is not None else None
        if pdf is not None:
            open_path(self, pdf)

    def _action_buttons(self) -> tuple[QPushButton, ...]:
        return (self.open_button, self.pdf_button, self.screened_button, self.verify_button,
                self.export_wacz_button, self.again_button)

    def context_menu(self) -> QMenu:
        """The selected row's actions as a menu: the buttons' texts, enabled as they are."""
        self._selected()  # the files may have changed since the row was selected
        menu = QMenu(self)
        menu.setToolTipsVisible(True)  # a greyed entry says why, as its button does
        for button in self._action_buttons():
            action = menu.addAction(button.text())
            action.setEnabled(button.isEnabled())
            action.setToolTip(button.toolTip())
            action.triggered.connect(button.click)
        return menu

    def _context_menu(self, pos: Any) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        menu = self.context_menu()
        menu.exec(self.table.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def verify(self) -> None:
        """Re-check the selected package (on the engine thread)."""
        package = self._package(self.selected_entry())
        if package is None:
            return
        self.verify_label.setStyleSheet("")
        self.verify_label.setText(self.tr("Verifying {path}…").format(path=package.name))
        job = self.bridge.verify(package)
        self.verify_jobs[job.id] = package

    def export_wacz(self) -> None:
        """Export the selected package as a WACZ file (asks where; runs on the engine thread)."""
        package = self._package(self.selected_entry())
        if package is not None:
            self.wacz_exporter.export(package)

    def capture_again(self) -> None:
        """Hand the selected capture's address (and title, case) to the Capture view."""
        entry = self.selected_entry()
        if entry is not None:
            self.capture_again_requested.emit(entry.url, entry.title or "", entry.case_ref or "")
