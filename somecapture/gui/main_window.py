"""The main window: a sidebar with the six views. Composition only; the views do the work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from somecapture._version import __version__
from somecapture.gui import dialogs
from somecapture.gui.contract import EngineBridgeProtocol
from somecapture.gui.i18n import choose_language, engine_text, install_language
from somecapture.gui.widgets.batch_view import BatchView
from somecapture.gui.widgets.capture_view import CaptureView
from somecapture.gui.widgets.common import icon
from somecapture.gui.widgets.history_view import HistoryView
from somecapture.gui.widgets.profiles_view import (
    ProfilesUnavailable,
    ProfilesView,
    profiles_available,
)
from somecapture.gui.widgets.settings_view import SettingsView
from somecapture.gui.widgets.watch_view import WatchView

# the watch came last (issue 19): Ctrl+1 … Ctrl+5 keep the views they always had
VIEWS = ("capture", "batch", "history", "profiles", "settings", "watch")


class MainWindow(QMainWindow):
    """Sidebar + stacked views + status bar."""

    def __init__(self, bridge: EngineBridgeProtocol, settings: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.settings = settings
        self.setObjectName("mainWindow")
        self.setWindowIcon(icon("somecapture"))
        self.setAcceptDrops(True)

        self.capture_view = CaptureView(bridge, settings)
        self.batch_view = BatchView(bridge, settings)
        self.history_view = HistoryView(bridge, settings)
        self.profiles_view: QWidget = (ProfilesView(bridge, settings) if profiles_available()
                                       else ProfilesUnavailable())
        self.settings_view = SettingsView(bridge, settings)
        self.watch_view = WatchView(bridge, settings)
        self.views: dict[str, QWidget] = {
            "capture": self.capture_view, "batch": self.batch_view,
            "history": self.history_view, "profiles": self.profiles_view,
            "settings": self.settings_view, "watch": self.watch_view,
        }

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setIconSize(QSize(22, 22))
        self.sidebar.setFixedWidth(180)
        self.sidebar.setSpacing(2)
        self.stack = QStackedWidget()
        for name in VIEWS:
            item = QListWidgetItem(icon(name), "")
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setSizeHint(QSize(160, 40))
            self.sidebar.addItem(item)
            self.stack.addWidget(self.views[name])
        self.sidebar.currentRowChanged.connect(self._row_changed)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.out_label = QLabel()
        self.out_label.setObjectName("outDirLabel")
        self.statusBar().addWidget(self.out_label, 1)
        self.version_label = QPushButton(f"somecapture {__version__}")
        self.version_label.setFlat(True)
        self.version_label.clicked.connect(self.show_about)
        self.statusBar().addPermanentWidget(self.version_label)
        about_shortcut = QShortcut(QKeySequence("F1"), self)
        about_shortcut.activated.connect(self.show_about)

        # composition: what one view does that another shows
        self.capture_view.capture_finished.connect(lambda _r: self.history_view.refresh())
        self.batch_view.batch_finished.connect(lambda _r: self.history_view.refresh())
        self.watch_view.round_finished.connect(lambda _r: self.history_view.refresh())
        self.history_view.capture_again_requested.connect(self.capture_again)
        if isinstance(self.profiles_view, ProfilesView):
            self.profiles_view.profiles_changed.connect(self.capture_view.refresh_profiles)
        self.settings.changed.connect(self._render_status)
        self.settings_view.language_changed.connect(self.set_language)

        for number, name in enumerate(VIEWS, 1):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda n=name: self.show_view(n))

        self.retranslate()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 820)
        self.sidebar.setCurrentRow(0)
        self.history_view.refresh()

    # -- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.setWindowTitle(self.tr("somecapture – archive social media posts"))
        names = {"capture": self.tr("Capture"), "batch": self.tr("Batch"),
                 "history": self.tr("History"), "profiles": self.tr("Profiles"),
                 "settings": self.tr("Settings"), "watch": self.tr("Watch")}
        tips = {"capture": self.tr("Capture one post (Ctrl+1)"),
                "batch": self.tr("Capture a list of posts (Ctrl+2)"),
                "history": self.tr("Everything captured so far (Ctrl+3)"),
                "profiles": self.tr("Log in to platforms (Ctrl+4)"),
                "settings": self.tr("Output folder, browser, agency defaults, language (Ctrl+5)"),
                "watch": self.tr("Threads and accounts captured again over time (Ctrl+6)")}
        for row in range(self.sidebar.count()):
            item = self.sidebar.item(row)
            name = item.data(Qt.ItemDataRole.UserRole)
            item.setText(names[name])
            item.setToolTip(tips[name])
        self.sidebar.setAccessibleName(self.tr("Views"))
        self._render_status()

    def changeEvent(self, event):  # noqa: N802 - Qt override
        if event.type() == event.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_language(self, setting: str) -> None:
        """Switch the UI language now (every view retranslates itself)."""
        install_language(choose_language(setting))

    def _render_status(self) -> None:
        self.out_label.setText(self.tr("Packages are saved in {path}").format(
            path=self.settings.out_dir()))

    # -- navigation -----------------------------------------------------------------------
    def show_about(self) -> None:
        """Version and licences of the bundled components (F1 or the version in the corner)."""
        from somecapture.gui.about import AboutDialog

        AboutDialog(self).exec()

    def show_view(self, name: str) -> None:
        """Switch to a view by name (``capture``, ``batch``, ``history``, ``profiles``,
        ``settings``, ``watch``)."""
        self.sidebar.setCurrentRow(VIEWS.index(name))

    def current_view(self) -> str:
        """The name of the view shown."""
        return VIEWS[self.stack.currentIndex()]

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        if VIEWS[row] == "capture":
            QTimer.singleShot(0, self.capture_view.focus_url)

    def capture_again(self, url: str, title: str, case: str) -> None:
        """Fill the Capture view from a history entry and show it."""
        self.show_view("capture")
        self.capture_view.set_url(url, title or None, case or None)

    def showEvent(self, event):  # noqa: N802 - Qt override
        super().showEvent(event)
        if not getattr(self, "_shown_once", False):
            self._shown_once = True
            QTimer.singleShot(0, self.capture_view.focus_url)
            if self.settings.config_error:
                QTimer.singleShot(0, lambda: dialogs.show_error(
                    self, self.tr("The settings file has an error"),
                    self.tr("{error}\n\nThe app uses its defaults until the file is fixed "
                            "(or saved again under Settings).").format(
                        error=engine_text(self.settings.config_error))))

    # -- drag and drop --------------------------------------------------------------------
    def dragEnterEvent(self, event):  # noqa: N802 - Qt override
        mime = event.mimeData()
        if mime.hasUrls() or (mime.hasText() and mime.text().strip().startswith("http")):
            event.acceptProposedAction()

    def dropEvent(self, event):  # noqa: N802 - Qt override
        mime = event.mimeData()
        urls: list[QUrl] = mime.urls() if mime.hasUrls() else []
        files = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
        if files:
            self.show_view("batch")
            self.batch_view.load_list(files[0])
            event.acceptProposedAction()
            return
        web = [u.toString() for u in urls if u.scheme() in ("http", "https")]
        text = web[0] if web else (mime.text().strip() if mime.hasText() else "")
        if text:
            self.show_view("capture")
            self.capture_view.set_url(text)
            event.acceptProposedAction()

    # -- closing --------------------------------------------------------------------------
    def busy_description(self) -> str | None:
        """What would be lost by quitting now, or None."""
        if self.capture_view.is_capturing():
            return self.tr("A capture is running. If you quit, it is cancelled and nothing "
                           "is published.")
        if self.batch_view.is_running():
            return self.tr("A batch is running. If you quit, it stops; finished captures are "
                           "kept and Resume captures the rest later.")
        if self.watch_view.is_running():
            return self.tr("The watch list is being checked. If you quit, the check stops; "
                           "the next check finishes it.")
        if self.bridge.running_jobs("login"):
            return self.tr("A login window is open. If you quit, it is closed without saving.")
        return None

    def closeEvent(self, event):  # noqa: N802 - Qt override
        busy = self.busy_description()
        if busy and not dialogs.ask(self, self.tr("Quit somecapture?"), busy,
                                    self.tr("Quit"), self.tr("Keep working")):
            event.ignore()
            return
        self.settings.set_value("window/geometry", self.saveGeometry())
        self.settings.sync()
        event.accept()
