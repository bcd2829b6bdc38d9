"""The Watch view: threads and accounts kept archived over time.

The list shows each watched address with its status, last and next check and counts; an
address is added (a thread, or an account whose new posts are found) or removed here. While
the app is open, a timer runs the watch's due work every minute on the engine thread, as the
scheduled ``somecapture watch run --once`` does (the two never run at once: the watch lock).
Selecting a thread shows what changed in its latest version, new replies highlighted.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from somecapture.errors import SomecaptureError
from somecapture.gui import watch_jobs
from somecapture.gui.contract import EngineBridgeProtocol
from somecapture.gui.dialogs import (
    describe_exception,
    error_headline,
    show_error,
    show_exception,
)
from somecapture.gui.widgets.common import (
    STATUS_COLORS,
    heading,
    hint,
    local_time,
    plain_label,
    shown,
)
from somecapture.thread.diff import previous_version

_Index = QModelIndex | QPersistentModelIndex
# how often due work is looked for while the app is open
ROUND_INTERVAL_MS = 60_000
_NEW, _EDITED = STATUS_COLORS["complete"].name(), STATUS_COLORS["partial"].name()
_STATUS_COLOURS = {"watching": STATUS_COLORS["complete"], "failed": STATUS_COLORS["failed"],
                   "login-expired": STATUS_COLORS["failed"], "new": STATUS_COLORS["running"]}


class WatchModel(QAbstractTableModel):
    """Watched items as table rows."""

    COLUMNS = ("url", "title", "kind", "status", "last_check", "next_check", "counts")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.items: list[Any] = []

    def set_items(self, items: list[Any]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Address"), self.tr("Title"), self.tr("Kind"), self.tr("Status"),
                self.tr("Last check"), self.tr("Next check"),
                self.tr("Versions and replies"))[section]

    def status_label(self, status: str) -> str:
        """A watch status in the user's language."""
        return {"new": self.tr("Not checked yet"), "watching": self.tr("Watching"),
                "finished": self.tr("Schedule done"), "failed": self.tr("Last check failed"),
                "login-expired": self.tr("Login expired")}.get(status, status)

    def display(self, item: Any, column: str) -> str:
        """The text of one cell."""
        if column == "url":  # always the watched address (the title has its own column)
            return str(item.url)
        if column == "title":
            return str(item.title or "–")
        if column == "kind":
            return self.tr("Account") if item.kind == "account" else self.tr("Thread")
        if column == "status":
            return self.status_label(item.status)
        if column == "last_check":
            return local_time(item.last_check) or "–"
        if column == "next_check":
            return local_time(item.next_check) or "–"
        if item.kind == "account":
            return self.tr("%n post(s) found", "", item.posts_found)
        # counted words, never "versjon(er)": each count with its own plural (%n)
        versions = self.tr("%n version(s)", "", item.versions)
        replies = (self.tr("replies not counted") if item.replies is None
                   else self.tr("%n replies", "", item.replies))
        return f"{versions}, {replies}"

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return shown(self.display(item, column))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "status" and item.last_error:
                return shown(item.last_error)
            if item.title:
                return shown(f"{item.title}\n{item.url}", multiline=True)
            return shown(item.url)
        if role == Qt.ItemDataRole.BackgroundRole and column == "status":
            return _STATUS_COLOURS.get(item.status)
        return None


def changes_html(changes: dict[str, Any]) -> str:
    """A version's changes as the detail panel shows them: new replies highlighted green,
    edits with their earlier text struck through, replies no longer observed greyed (page
    text escaped and cleaned)."""
    def text(value: Any) -> str:
        return html.escape(shown(value, multiline=True)).replace("\n", "<br>")

    def who(post: dict[str, Any]) -> str:
        return text(" ".join(str(x) for x in (post.get("author"), post.get("handle")) if x))

    def block(style: str, label: str, body: str) -> str:
        return f"<p style='{style}'><b>{html.escape(label)}</b> {body}</p>"

    counts = changes.get("counts") or {}
    compared_with = previous_version(changes)
    if compared_with and changes.get("not_compared"):  # the summary says why not
        head = QCoreApplication.translate(
            "WatchChanges", "Version {version} of the thread; the previous is version "
            "{earlier} (capture {capture})").format(
            version=compared_with + 1, earlier=compared_with,
            capture=changes.get("previous_capture") or "?")
    elif compared_with:
        head = QCoreApplication.translate(
            "WatchChanges", "Version {version} of the thread, compared with version {earlier} "
            "(capture {capture})").format(
            version=compared_with + 1, earlier=compared_with,
            capture=changes.get("previous_capture") or "?")
    else:
        head = QCoreApplication.translate(
            "WatchChanges", "Compared with the previous capture ({capture})").format(
            capture=changes.get("previous_capture") or "?")
    summary = QCoreApplication.translate(
        "WatchChanges", "{new} new, {edited} edited, {gone} no longer observed").format(
        new=counts.get("new_replies", 0), edited=counts.get("edited_replies", 0),
        gone=counts.get("no_longer_observed", 0))
    if counts.get("not_read"):
        summary += QCoreApplication.translate(
            "WatchChanges", ", {count} not read (the capture was partial)").format(
            count=counts["not_read"])
    if changes.get("not_compared"):
        summary = QCoreApplication.translate(
            "WatchChanges", "Not compared: the previous capture's package could not be read "
            "({reason}).").format(reason=shown(changes["not_compared"]))
    parts = [f"<p><b>{html.escape(head)}</b><br>{html.escape(summary)}</p>"]
    if changes.get("root_no_longer_observed"):
        label = QCoreApplication.translate("WatchChanges",
                                           "The post itself is no longer observed.")
        notice = changes.get("post_unavailable")
        body = (QCoreApplication.translate("WatchChanges", "The page says: {notice}").format(
            notice=text(notice)) if notice else "")
        parts.append(block("color:#666666", label, body))
    if changes.get("root_edited"):
        label = QCoreApplication.translate("WatchChanges", "The post itself was edited:")
        parts.append(block(f"background:{_EDITED}", label,
                           f"<br><s>{text(changes.get('root_text_before'))}</s><br>"
                           f"{text(changes.get('root_text'))}"))
    label = QCoreApplication.translate("WatchChanges", "New reply:")
    earlier = QCoreApplication.translate(
        "WatchChanges", "New reply, not read by the previous capture:")
    for post in changes.get("new_replies") or []:
        parts.append(block(f"background:{_NEW}", earlier if post.get("not_read_then")
                           else label, f"{who(post)}<br>{text(post.get('text'))}"))
    label = QCoreApplication.translate("WatchChanges", "Edited reply:")
    for post in changes.get("edited_replies") or []:
        parts.append(block(f"background:{_EDITED}", label,
                           f"{who(post)}<br><s>{text(post.get('text_before'))}</s><br>"
                           f"{text(post.get('text'))}"))
    label = QCoreApplication.translate("WatchChanges", "No longer observed:")
    for post in changes.get("no_longer_observed") or []:
        parts.append(block("color:#666666", label, f"{who(post)}<br>{text(post.get('text'))}"))
    label = QCoreApplication.translate("WatchChanges", "Not read (capture partial):")
    for post in changes.get("not_read") or []:
        parts.append(block("color:#666666", label, f"{who(post)}<br>{text(post.get('text'))}"))
    if changes.get("no_longer_observed"):
        note = QCoreApplication.translate(
            "WatchChanges", "A reply no longer observed was not seen in this capture: it "
            "may have been deleted, hidden, moved or put behind a login. The previous "
            "package keeps it.")
        parts.append(f"<p><i>{html.escape(note)}</i></p>")
    return "".join(parts)


class WatchView(QWidget):
    """The watch list, with add / remove / check now, and a round every minute."""

    # a round published packages (the history refreshes)
    round_finished = Signal(object)

    def __init__(self, bridge: EngineBridgeProtocol, settings: Any,
                 parent: QWidget | None = None, *, interval_ms: int = ROUND_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.settings = settings
        self.jobs: dict[int, str] = {}
        self.round_job: Any = None
        self.last_round: Any = None
        # a round asked for with Check now (its problems are shown in a dialog; the timer's
        # only in the view, so a missing browser is not a dialog every minute)
        self.round_manual = False
        self.round_error = ""
        # the package whose changes the panel shows (or is reading)
        self.changes_of: str | None = None

        self.title_label = heading("", 1.5)
        self.intro = hint()
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("watchUrl")
        self.url_edit.returnPressed.connect(self.add)
        self.account_check = QCheckBox()
        self.account_check.setObjectName("watchAccount")
        self.schedule_edit = QLineEdit()
        self.schedule_edit.setObjectName("watchSchedule")
        self.schedule_edit.setMaximumWidth(220)
        self.schedule_edit.returnPressed.connect(self.add)
        self.add_button = QPushButton()
        self.add_button.setObjectName("watchAdd")
        self.add_button.clicked.connect(self.add)
        add_row = QHBoxLayout()
        add_row.addWidget(self.url_edit, 1)
        add_row.addWidget(self.account_check)
        add_row.addWidget(self.schedule_edit)
        add_row.addWidget(self.add_button)

        self.model = WatchModel(self)
        self.table = QTableView()
        self.table.setObjectName("watchTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((360, 80, 150, 130, 130)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())

        self.remove_button = QPushButton()
        self.remove_button.setObjectName("watchRemove")
        self.remove_button.clicked.connect(self.remove)
        self.now_button = QPushButton()
        self.now_button.setObjectName("watchNow")
        self.now_button.clicked.connect(lambda: self.run_round(now=True))
        self.round_label = plain_label(QLabel())
        self.round_label.setObjectName("watchRound")
        self.round_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.round_label, 1)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.now_button)

        self.detail_label = plain_label(QLabel())
        self.detail_label.setObjectName("watchDetail")
        self.detail_label.setWordWrap(True)
        self.changes = QTextBrowser()
        self.changes.setObjectName("watchChanges")
        self.changes.setOpenLinks(False)
        self.changes.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.intro)
        layout.addLayout(add_row)
        layout.addWidget(self.table, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.detail_label)
        layout.addWidget(self.changes, 1)

        bridge.job_finished.connect(self._on_finished)
        bridge.job_failed.connect(self._on_failed)
        bridge.job_cancelled.connect(self._on_cancelled)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(lambda: self.run_round(now=False))
        self.timer.start()
        self.retranslate()
        self._update_buttons()
        self.refresh()

    # -- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.title_label.setText(self.tr("Watch threads and accounts"))
        self.intro.setText(self.tr(
            "A watched thread is captured again 1 hour, 6 hours, 1 day, 3 days, 1 week and "
            "30 days after it was published (or on the schedule you give), and sooner when "
            "its reply count changes. A new package is published only when something "
            "changed. A watched account's new posts are found and watched. While the app is "
            "open, what is due is checked every minute."))
        self.url_edit.setPlaceholderText(self.tr("Address of a thread or an account"))
        self.account_check.setText(self.tr("&Account (watch its new posts)"))
        self.schedule_edit.setPlaceholderText(self.tr("Schedule, e.g. 1h,6h,24h,3d,7d,30d"))
        self.add_button.setText(self.tr("&Watch"))
        self.remove_button.setText(self.tr("&Remove"))
        self.now_button.setText(self.tr("Check &now"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0,
                                          len(WatchModel.COLUMNS) - 1)
        self._show_round()
        self._selected()

    def changeEvent(self, event):  # noqa: N802 - Qt override
        if event.type() == event.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- jobs -----------------------------------------------------------------------------
    def _submit(self, kind: str, fn: Any, label: str = "") -> Any:
        job = self.bridge.submit(kind, fn, label)
        self.jobs[job.id] = kind
        return job

    def refresh(self) -> None:
        """Read the watch list again (on the engine thread)."""
        self._submit(watch_jobs.LIST, watch_jobs.list_items(self.settings.catalog_path))

    def add(self) -> None:
        """Watch the address typed in."""
        url = self.url_edit.text().strip()
        if not url:
            self.url_edit.setFocus()
            return
        schedule = self.schedule_edit.text().strip() or None
        self._submit(watch_jobs.ADD, watch_jobs.add_item(
            self.settings.catalog_path, url, account=self.account_check.isChecked(),
            schedule=schedule), url)

    def selected_item(self) -> Any:
        """The watched item selected in the table, or None."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.items[rows[0].row()] if rows else None

    def remove(self) -> None:
        """Stop watching the selected address."""
        item = self.selected_item()
        if item is not None:
            self._submit(watch_jobs.REMOVE, watch_jobs.remove_item(
                self.settings.catalog_path, item.url), item.url)

    def is_running(self) -> bool:
        """Whether a round is running."""
        return self.round_job is not None

    def run_round(self, *, now: bool = False) -> None:
        """Check what is due (``now``: everything) on the engine thread, unless a round is
        running or nothing is watched."""
        if self.round_job is not None or (not now and not self.model.items):
            return
        try:
            options = self.settings.capture_options()
        except SomecaptureError as exc:
            self._round_failed(exc, manual=now)
            return
        self.round_manual, self.round_error = now, ""
        self.round_job = self._submit(watch_jobs.ROUND,
                                      watch_jobs.run_round(self.bridge, options, now=now))
        self._show_round()
        self._update_buttons()

    def _on_finished(self, job: Any, value: Any) -> None:
        kind = self.jobs.pop(job.id, None)
        if kind is None:
            return
        if kind == watch_jobs.LIST:
            selected = self.selected_item()
            selection = self.table.selectionModel()
            # the list is read again every minute: the same row stays selected without a
            # "selection changed" (which would re-read its changes and reset the panel)
            selection.blockSignals(True)
            try:
                self.model.set_items(value)
                if selected is not None:
                    for row, item in enumerate(self.model.items):
                        if item.url == selected.url:
                            self.table.selectRow(row)
            finally:
                selection.blockSignals(False)
            self._selected(refreshed=True)
        elif kind == watch_jobs.ADD:
            self.url_edit.clear()
            self.refresh()
        elif kind == watch_jobs.REMOVE:
            self.refresh()
        elif kind == watch_jobs.ROUND:
            self.round_job = None
            self.last_round = value
            self._show_round()
            self._update_buttons()
            self.refresh()
            if value.published:
                self.round_finished.emit(value)
        elif kind == watch_jobs.CHANGES:
            self._show_changes(value)

    def _on_failed(self, job: Any, exc: BaseException) -> None:
        kind = self.jobs.pop(job.id, None)
        if kind is None:
            return
        if kind == watch_jobs.ROUND:
            self.round_job = None
            self._update_buttons()
            self._round_failed(exc, manual=self.round_manual)
            return
        from somecapture.watch.schedule import ScheduleSpecError

        if isinstance(exc, ScheduleSpecError):
            self.schedule_edit.setFocus()
            self.schedule_edit.selectAll()
            show_error(self, self.tr("The schedule cannot be read"), schedule_message(exc))
            return
        show_exception(self, exc)

    def _round_failed(self, exc: BaseException, *, manual: bool) -> None:
        """A round that could not run: a dialog when asked for, else said in the view."""
        if manual:
            show_exception(self, exc)
        headline, message, _details = describe_exception(exc)
        self.round_error = f"{headline}. {shown(message)}"
        self._show_round()

    def _on_cancelled(self, job: Any) -> None:
        if self.jobs.pop(job.id, None) == watch_jobs.ROUND:
            self.round_job = None
            self._update_buttons()

    # -- showing --------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        selected = self.selected_item() is not None
        self.remove_button.setEnabled(selected)
        self.remove_button.setToolTip(
            self.tr("Stop watching the selected address (its packages are kept)") if selected
            else self.tr("Select an address in the table first."))
        if self.round_job is not None:
            why: str | None = self.tr("The watch list is being checked now.")
        elif not self.model.items:
            why = self.tr("Nothing is watched yet: add an address above.")
        else:
            why = None
        self.now_button.setEnabled(why is None)
        self.now_button.setToolTip(why or self.tr("Check every watched address now, without "
                                                  "waiting for its time"))

    def _show_round(self) -> None:
        if self.round_job is not None:
            self.round_label.setText(self.tr("Checking the watch list…"))
            return
        done = self.last_round
        if self.round_error:
            self.round_label.setText(self.tr("The watch list could not be checked: {error}")
                                     .format(error=self.round_error))
        elif done is None:
            self.round_label.setText("")
        elif done.skipped:
            self.round_label.setText(self.tr("Another watch round was running; it does the "
                                             "work."))
        else:
            text = self.tr("Last round: {checked} checked, {published} published, "
                           "{unchanged} unchanged, {failed} failed.").format(
                checked=done.checked, published=len(done.published),
                unchanged=len(done.unchanged), failed=len(done.failed))
            for failure in done.failed:
                # what went wrong in the user's language first; the engine's own words
                # (what to do, in detail) after it
                # (the error is a catalogue message: rendered, never its English string)
                text += "\n" + self.failure_headline(failure.code) + ": " + shown(
                    failure.url) + " – " + shown(failure.error)
            self.round_label.setText(text)

    def failure_headline(self, code: str) -> str:
        """A failed check's headline in the user's language (the watch's own codes, else
        the engine's)."""
        if code == "discovery":
            return self.tr("New posts could not be looked for")
        return error_headline(code)

    def _selected(self, *, refreshed: bool = False) -> None:
        """Show the selected item; ``refreshed``: the list was read again, and the changes
        shown stay unless the item has a newer package."""
        self._update_buttons()
        item = self.selected_item()
        package = item.last_package if item is not None and item.kind == "post" and \
            item.versions > 1 else None
        if not (refreshed and package is not None and package == self.changes_of):
            # another item, or a newer version of it: its changes are read (again)
            self.changes.setVisible(False)
            self.changes_of = None
        if item is None:
            self.detail_label.setText("")
            return
        lines = [shown(item.url)]
        if item.last_error:
            lines.append(self.tr("Last error: {error}").format(error=shown(item.last_error)))
        if item.last_package:
            lines.append(self.tr("Latest package: {path}").format(path=item.last_package))
        self.detail_label.setText("\n".join(lines))
        if package is not None and package != self.changes_of:
            self.changes_of = package
            self._submit(watch_jobs.CHANGES, watch_jobs.read_changes(package))

    def _show_changes(self, changes: Any) -> None:
        if not changes:
            self.changes.setVisible(False)
            return
        self.changes.setHtml(changes_html(changes))
        self.changes.setVisible(True)


def schedule_message(exc: Any) -> str:
    """A schedule the app could not read (a ``ScheduleSpecError``), said in the user's
    language and without the command line's ``--schedule``."""
    from somecapture.watch import schedule

    part = shown(exc.part)
    if exc.reason == schedule.EMPTY:
        problem = QCoreApplication.translate("WatchSchedule", "The schedule is empty.")
    elif exc.reason == schedule.NOT_A_TIME:
        problem = QCoreApplication.translate(
            "WatchSchedule", "“{part}” is not a time after publication.").format(part=part)
    elif exc.reason == schedule.NO_TIME:
        problem = QCoreApplication.translate(
            "WatchSchedule", "“{part}” is no time after publication.").format(part=part)
    elif exc.reason == schedule.TOO_LONG:
        problem = QCoreApplication.translate(
            "WatchSchedule", "“{part}” is more than ten years; give at most 3660d.").format(
            part=part)
    elif exc.reason == schedule.NOT_LATER:
        problem = QCoreApplication.translate(
            "WatchSchedule", "“{part}” is not later than the time before it.").format(
            part=part)
    elif exc.reason == schedule.TOO_MANY:
        problem = QCoreApplication.translate(
            "WatchSchedule", "The schedule has {count} times; give at most 50.").format(
            count=exc.count)
    else:
        problem = shown(exc)
    how = QCoreApplication.translate(
        "WatchSchedule", "Write the times after publication separated by commas, each later "
        "than the one before, e.g. 1h,6h,24h,3d,1w,30d (m = minutes, h = hours, d = days, "
        "w = weeks; in Norwegian also t = hours and u = weeks).")
    return f"{problem} {how}"
