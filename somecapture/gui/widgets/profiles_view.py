"""The Profiles view: log in to a platform in a visible browser, list and remove profiles.

A login profile keeps a browser session (cookies), never a password: the archivist logs in by
hand in a browser window somecapture opens, then closes the window. Captures can then use the
profile (the Capture view's "Login profile" choice) to see what a logged-in user sees.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from somecapture.errors import SomecaptureError
from somecapture.gui import dialogs
from somecapture.gui.contract import EngineBridgeProtocol
from somecapture.gui.dialogs import error_headline, show_exception
from somecapture.gui.widgets.common import (
    STATUS_STRONG,
    heading,
    hint,
    local_time,
    plain_label,
    shown,
)


class ProfilesView(QWidget):
    """Login profiles: list, log in (new or again), remove."""

    # a profile was added, refreshed or removed (the Capture view's chooser refreshes)
    profiles_changed = Signal()

    def __init__(self, bridge: EngineBridgeProtocol, settings: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.settings = settings
        self.list_job: Any = None
        self.login_job: Any = None
        self.delete_job: Any = None
        self.profiles: list[Any] = []

        self.title_label = heading("", 1.5)
        self.intro = hint()
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("profilesTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(140)
        self.table.itemSelectionChanged.connect(self._selected)
        self.empty_label = hint()
        self.relogin_button = QPushButton()
        self.relogin_button.setObjectName("reloginProfile")
        self.relogin_button.clicked.connect(self.log_in_again)
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("removeProfile")
        self.remove_button.clicked.connect(self.remove_selected)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        row = QHBoxLayout()
        row.addWidget(self.relogin_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(self.refresh_button)

        self.new_box = QGroupBox()
        self.name_label = QLabel()
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("profileName")
        self.name_label.setBuddy(self.name_edit)
        self.url_label = QLabel()
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("profileUrl")
        self.url_label.setBuddy(self.url_edit)
        self.login_button = QPushButton()
        self.login_button.setObjectName("loginButton")
        self.login_button.clicked.connect(self.log_in)
        self.name_edit.returnPressed.connect(self.log_in)
        self.url_edit.returnPressed.connect(self.log_in)
        form = QFormLayout(self.new_box)
        form.addRow(self.name_label, self.name_edit)
        form.addRow(self.url_label, self.url_edit)
        button_row = QHBoxLayout()
        button_row.addWidget(self.login_button)
        button_row.addStretch(1)
        form.addRow("", button_row)
        self.login_status = plain_label(QLabel())
        self.login_status.setObjectName("loginStatus")
        self.login_status.setWordWrap(True)
        self.cancel_login_button = QPushButton()
        self.cancel_login_button.clicked.connect(self.cancel_login)
        status_row = QHBoxLayout()
        status_row.addWidget(self.login_status, 1)
        status_row.addWidget(self.cancel_login_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(row)
        layout.addSpacing(8)
        layout.addWidget(self.new_box)
        layout.addLayout(status_row)
        layout.addStretch(0)

        bridge.job_finished.connect(self._on_finished)
        bridge.job_failed.connect(self._on_failed)
        bridge.job_cancelled.connect(self._on_cancelled)
        self.retranslate()
        self._update()
        self.refresh()

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.title_label.setText(self.tr("Login profiles"))
        self.intro.setText(self.tr(
            "Some posts are only visible when logged in. A login profile keeps a browser "
            "session for one account. somecapture never sees your password: you log in "
            "yourself in a browser window, then close it. Choose the profile under “Login "
            "profile” when you capture."))
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Login page"),
                                              self.tr("Created"), self.tr("Last used")])
        self.table.setAccessibleName(self.tr("Login profiles"))
        self.empty_label.setText(self.tr("No login profiles yet. Create one below."))
        self.relogin_button.setText(self.tr("Log in &again"))
        self.remove_button.setText(self.tr("Re&move…"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.new_box.setTitle(self.tr("New login profile"))
        self.name_label.setText(self.tr("&Name:"))
        self.name_edit.setPlaceholderText(self.tr("e.g. facebook-oslokommune"))
        self.url_label.setText(self.tr("Login &page:"))
        self.url_edit.setPlaceholderText(self.tr("e.g. https://www.facebook.com/login"))
        self.login_button.setText(self.tr("Open browser to &log in"))
        self.cancel_login_button.setText(self.tr("Cancel"))
        if self.profiles:
            self._show(self.profiles)  # the rows' own words ("never") in the new language
        self._update()

    def changeEvent(self, event):  # noqa: N802 - Qt override
        if event.type() == event.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- listing --------------------------------------------------------------------------
    def refresh(self) -> None:
        """Ask for the list of profiles."""
        if self.list_job is None:
            self.list_job = self.bridge.list_profiles()

    def _show(self, profiles: list[Any]) -> None:
        selected = self.selected_name()
        self.profiles = list(profiles)
        self.table.setRowCount(len(self.profiles))
        for row, p in enumerate(self.profiles):
            for column, text in enumerate((p.name, getattr(p, "login_url", None) or "",
                                           local_time(p.created_at),
                                           local_time(p.last_used_at) or self.tr("never"))):
                item = QTableWidgetItem(text)
                item.setToolTip(str(p.path) if column == 0 else text)
                self.table.setItem(row, column, item)
            if p.name == selected:
                self.table.selectRow(row)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._update()

    def selected_name(self) -> str | None:
        """The selected profile's name."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.profiles):
            return None
        return str(self.profiles[rows[0].row()].name)

    def _selected(self) -> None:
        self._update()

    def _update(self) -> None:
        busy = self.login_job is not None
        has = self.selected_name() is not None
        self.empty_label.setVisible(not self.profiles)
        # why a button cannot be used now (None: it can); a greyed one says it
        why: str | None = None
        if busy:
            why = self.tr("Not while a login window is open: close it first.")
        elif not has:
            why = self.tr("Select a profile in the table first.")
        self.relogin_button.setEnabled(why is None)
        self.relogin_button.setToolTip(why or self.tr("Open the browser on this profile, e.g. "
                                                      "when the session has expired"))
        remove_why = why or (self.tr("The profile is being removed.")
                             if self.delete_job is not None else None)
        self.remove_button.setEnabled(remove_why is None)
        self.remove_button.setToolTip(remove_why or self.tr("Delete this profile and its "
                                                            "browser session"))
        self.login_button.setEnabled(not busy)
        self.new_box.setEnabled(not busy)
        self.new_box.setToolTip(self.tr("Not while a login window is open: close it first.")
                                if busy else "")
        self.cancel_login_button.setVisible(busy)
        if not busy and not self.login_status.text():
            self.login_status.setVisible(False)

    # -- logging in -----------------------------------------------------------------------
    def log_in(self) -> None:
        """Open a visible browser on the profile named in the form."""
        self._start_login(self.name_edit.text().strip(), self.url_edit.text().strip() or None)

    def log_in_again(self) -> None:
        """Open the browser on the selected profile (at its login page)."""
        name = self.selected_name()
        if name is None:
            return
        profile = next(p for p in self.profiles if p.name == name)
        self._start_login(name, getattr(profile, "login_url", None))

    def _status(self, text: str, color: str | None = None) -> None:
        # login errors may quote the login page or the browser
        self.login_status.setText(shown(text, multiline=True))
        self.login_status.setStyleSheet(f"color: {color}" if color else "")
        self.login_status.setVisible(bool(text))

    def _start_login(self, name: str, url: str | None) -> None:
        if self.login_job is not None:
            return
        from somecapture.inputs import normalize_url
        from somecapture.profiles import check_profile_name

        try:
            check_profile_name(name)
            url = normalize_url(url) if url else None
            options = self.settings.capture_options(headless=False)
        except SomecaptureError as exc:
            self._status(f"{error_headline(getattr(exc, 'code', 'input'))}: {shown(exc)}",
                         STATUS_STRONG["failed"])
            return
        self._status(self.tr("A browser window is open for profile “{name}”. Log in there, "
                             "then close the browser window to save the session.")
                     .format(name=name))
        self.login_job = self.bridge.login(name, url, options)
        self._update()

    def cancel_login(self) -> None:
        """Close the login browser without waiting for the user."""
        if self.login_job is not None:
            self.bridge.cancel(self.login_job)

    # -- removing -------------------------------------------------------------------------
    def remove_selected(self) -> None:
        """Delete the selected profile after asking."""
        name = self.selected_name()
        if name is None:
            return
        if not dialogs.ask(self, self.tr("Remove login profile"),
                           self.tr("Remove the profile “{name}”? Its browser session (cookies) "
                                   "is deleted; captures made with it are not affected.")
                           .format(name=name), self.tr("Remove"), self.tr("Keep")):
            return
        self.delete_job = self.bridge.delete_profile(name)
        self._update()

    # -- engine answers -------------------------------------------------------------------
    def _on_finished(self, job: Any, value: Any) -> None:
        if job is self.list_job:
            self.list_job = None
            self._show(value)
        elif job is self.login_job:
            self.login_job = None
            self._status(self.tr("Profile “{name}” saved. Choose it under “Login profile” when "
                                 "you capture.").format(name=job.label),
                         STATUS_STRONG["complete"])
            self.name_edit.clear()
            self.url_edit.clear()
            self.refresh()
            self.profiles_changed.emit()
        elif job is self.delete_job:
            self.delete_job = None
            self._status(self.tr("Profile “{name}” removed.").format(name=job.label))
            self.refresh()
            self.profiles_changed.emit()
        else:
            return
        self._update()

    def _on_failed(self, job: Any, exc: Any) -> None:
        if job is self.list_job:
            self.list_job = None
        elif job is self.login_job:
            self.login_job = None
            self._status("")
        elif job is self.delete_job:
            self.delete_job = None
        else:
            return
        self._update()
        show_exception(self, exc)

    def _on_cancelled(self, job: Any) -> None:
        if job is self.login_job:
            self.login_job = None
            self._status(self.tr("The login window was closed without saving."))
            self.refresh()
            self._update()


def profiles_available() -> bool:
    """Whether the engine has login profiles (``somecapture.profiles``)."""
    try:
        import somecapture.profiles  # noqa: F401
    except ImportError:
        return False
    return True


class ProfilesUnavailable(QWidget):
    """Shown instead of the Profiles view when this build has no login profiles."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = heading("")
        self.text = hint()
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.text)
        layout.addStretch(1)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.label.setText(self.tr("Login profiles are not available"))
        self.text.setText(self.tr("This version of somecapture cannot capture logged in. "
                                  "Public posts can be captured as usual."))

    def changeEvent(self, event):  # noqa: N802 - Qt override
        if event.type() == event.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
