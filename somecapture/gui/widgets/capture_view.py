"""The Capture view: paste an address, press Enter, see what was captured.

The address field has focus when the app opens; Enter (or the Capture button) starts the
capture with the metadata fields as they are (all optional). While it runs the panel shows
the steps and a Cancel button; afterwards the status, completeness, warnings, the screenshot
and buttons to open the package, open the PDF and verify it; when the package has a screened
variant, a switch shows its screenshot in the same preview.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from somecapture.errors import OptionsError, SomecaptureError
from somecapture.events import CaptureMessage, StepFinished, StepStarted
from somecapture.gui.contract import EngineBridgeProtocol
from somecapture.gui.dialogs import error_headline, open_path, show_exception
from somecapture.gui.i18n import engine_text
from somecapture.gui.widgets.common import (
    STATUS_STRONG,
    heading,
    hint,
    plain_label,
    screened_pdf,
    shown,
)
from somecapture.gui.widgets.result_panel import ProgressPanel, ResultPanel
from somecapture.gui.widgets.screenshot_view import ScreenshotView
from somecapture.gui.widgets.wacz_export import WaczExporter
from somecapture.inputs import normalize_url


class CaptureView(QWidget):
    """URL, metadata, progress, result and screenshot of one capture at a time."""

    # a capture ended with a result (the history refreshes): (CaptureResult)
    capture_finished = Signal(object)

    def __init__(self, bridge: EngineBridgeProtocol, settings: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.settings = settings
        self.job: Any = None
        self.verify_job: Any = None
        self.profiles_job: Any = None
        self._cancelled_note = False

        # -- the address row ------------------------------------------------------------
        self.problem_label = plain_label(QLabel())
        self.problem_label.setObjectName("problemLabel")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(f"color: {STATUS_STRONG['failed']}")
        self.problem_label.setVisible(False)
        self.title_label = heading("", 1.5)
        self.intro = hint()
        self.url_label = QLabel()
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("urlEdit")
        self.url_edit.setClearButtonEnabled(True)
        self.url_edit.setMinimumHeight(34)
        self.url_label.setBuddy(self.url_edit)
        self.url_edit.returnPressed.connect(self.start_capture)
        self.url_edit.textEdited.connect(lambda _t: self.problem_label.setVisible(False))
        self.capture_button = QPushButton()
        self.capture_button.setObjectName("captureButton")
        self.capture_button.setDefault(True)
        self.capture_button.setMinimumHeight(34)
        self.capture_button.setMinimumWidth(120)
        self.capture_button.clicked.connect(self.start_capture)
        url_row = QHBoxLayout()
        url_row.addWidget(self.url_edit, 1)
        url_row.addWidget(self.capture_button)

        # -- metadata for the records system --------------------------------------------
        self.meta_box = QGroupBox()
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("titleEdit")
        self.case_edit = QLineEdit()
        self.case_edit.setObjectName("caseEdit")
        self.archivist_edit = QLineEdit()
        self.archivist_edit.setObjectName("archivistEdit")
        self.journalpost_radio = QRadioButton()
        self.journalpost_radio.setChecked(True)
        self.arkivnotat_radio = QRadioButton()
        self.kind_group = QButtonGroup(self)
        self.kind_group.addButton(self.journalpost_radio)
        self.kind_group.addButton(self.arkivnotat_radio)
        kind_row = QHBoxLayout()
        kind_row.setContentsMargins(0, 0, 0, 0)
        kind_row.addWidget(self.journalpost_radio)
        kind_row.addWidget(self.arkivnotat_radio)
        kind_row.addStretch(1)
        self.kind_widget = QWidget()
        self.kind_widget.setLayout(kind_row)
        self.screening_edit = QLineEdit()
        self.screening_edit.setObjectName("screeningEdit")
        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("profileCombo")
        self.profile_combo.currentIndexChanged.connect(self._profile_changed)
        self.also_public_check = QCheckBox()
        self.also_public_check.setEnabled(False)
        self.form = QFormLayout(self.meta_box)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form_labels: dict[str, QLabel] = {}
        for key, widget in (("title", self.title_edit), ("case", self.case_edit),
                            ("archivist", self.archivist_edit), ("kind", self.kind_widget),
                            ("screening", self.screening_edit),
                            ("profile", self.profile_combo),
                            ("public", self.also_public_check)):
            label = QLabel()
            label.setBuddy(self.journalpost_radio if key == "kind" else widget)
            self.form_labels[key] = label
            self.form.addRow(label, widget)

        # -- progress / result ----------------------------------------------------------
        self.welcome = QLabel()
        self.welcome.setWordWrap(True)
        self.welcome.setObjectName("welcome")
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.progress = ProgressPanel()
        self.progress.cancel_requested.connect(self.cancel_capture)
        self.result_panel = ResultPanel()
        self.result_panel.open_folder_requested.connect(lambda p: open_path(self, p))
        self.result_panel.open_pdf_requested.connect(
            lambda p: open_path(self, Path(p) / "data" / "screenshot.pdf"))
        self.result_panel.verify_requested.connect(self.verify_package)
        self.result_panel.open_screened_requested.connect(lambda p: open_path(self, p))
        self.result_panel.preview_requested.connect(self.show_variant)
        self.wacz_exporter = WaczExporter(self.bridge, self)
        self.result_panel.export_wacz_requested.connect(self.wacz_exporter.export)
        self.status_stack = QStackedWidget()
        self.status_stack.addWidget(self.welcome)
        self.status_stack.addWidget(self.progress)
        self.status_stack.addWidget(self.result_panel)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        left_layout.addWidget(self.meta_box)
        left_layout.addSpacing(6)
        left_layout.addWidget(self.status_stack, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(left)
        self.left, self.left_scroll = left, scroll

        self.screenshot = ScreenshotView()
        self.screenshot.setObjectName("screenshotPreview")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(self.screenshot)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.intro)
        layout.addWidget(self.url_label)
        layout.addLayout(url_row)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.splitter, 1)

        self.setTabOrder(self.url_edit, self.capture_button)
        self.setTabOrder(self.capture_button, self.result_panel.open_folder_button)
        self.setTabOrder(self.result_panel.open_folder_button, self.result_panel.open_pdf_button)
        self.setTabOrder(self.result_panel.open_pdf_button, self.result_panel.verify_button)
        self.setTabOrder(self.result_panel.verify_button, self.result_panel.original_button)
        self.setTabOrder(self.result_panel.original_button, self.result_panel.screened_button)
        self.setTabOrder(self.result_panel.screened_button,
                         self.result_panel.open_screened_button)
        self.setTabOrder(self.result_panel.open_screened_button, self.title_edit)
        chain = [self.title_edit, self.case_edit, self.archivist_edit, self.journalpost_radio,
                 self.arkivnotat_radio, self.screening_edit, self.profile_combo,
                 self.also_public_check]
        for a, b in zip(chain, chain[1:], strict=False):
            self.setTabOrder(a, b)
        cancel = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        cancel.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        cancel.activated.connect(self.cancel_capture)

        bridge.event_received.connect(self._on_event)
        bridge.job_finished.connect(self._on_finished)
        bridge.job_failed.connect(self._on_failed)
        bridge.job_cancelled.connect(self._on_cancelled)
        settings.changed.connect(self.apply_defaults)
        self._profile_names: list[str] = []
        self.apply_defaults()
        self.retranslate()
        self.refresh_profiles()

    # -- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.title_label.setText(self.tr("Capture a post"))
        self.intro.setText(self.tr("Paste the address of a post and press Enter. somecapture "
                                   "opens it, expands the whole thread and saves it as a "
                                   "verified package for the archive."))
        self.url_label.setText(self.tr("&Address of the post:"))
        self.url_edit.setPlaceholderText(self.tr("https://www.facebook.com/… (paste the "
                                                 "address here)"))
        self.url_edit.setAccessibleName(self.tr("Address of the post"))
        self.capture_button.setText(self.tr("Capture"))
        self.capture_button.setToolTip(self.tr("Capture the post and its thread (Enter)"))
        self.meta_box.setTitle(self.tr("Registration in the records system (optional)"))
        labels = {
            "title": self.tr("&Title:"),
            "case": self.tr("&Case number:"),
            "archivist": self.tr("Arc&hivist:"),
            "kind": self.tr("Register as:"),
            "screening": self.tr("&Screening (legal basis):"),
            "profile": self.tr("&Login profile:"),
            "public": "",
        }
        for key, text in labels.items():
            self.form_labels[key].setText(text)
        self.title_edit.setPlaceholderText(self.tr("Automatic: platform, author and first "
                                                   "words"))
        self.case_edit.setPlaceholderText(self.tr("e.g. 2024/123"))
        self.archivist_edit.setPlaceholderText(self.tr("Your name (default: your user name)"))
        self.journalpost_radio.setText(self.tr("Journalpost"))
        self.arkivnotat_radio.setText(self.tr("Arkivnotat"))
        self.journalpost_radio.setToolTip(self.tr("Journalført document: incoming, or outgoing "
                                                  "for the agency's own accounts"))
        self.arkivnotat_radio.setToolTip(self.tr("Archived without being journalført"))
        self.screening_edit.setPlaceholderText(self.tr("e.g. Offl. § 13 jf. fvl. § 13 (empty: "
                                                       "not screened)"))
        self.also_public_check.setText(self.tr("Also capture the public (logged-out) view"))
        self._fill_profiles(self._profile_names)
        self.welcome.setText(self.tr(
            "<p><b>How it works</b></p><ol><li>Copy the address of the post from your browser."
            "</li><li>Paste it above and press <b>Enter</b>.</li><li>Wait a moment: the "
            "result and a screenshot appear here.</li></ol><p>Fill in the case number and "
            "other registration details above if you have them; everything else is "
            "automatic.</p>"))
        self.welcome.setTextFormat(Qt.TextFormat.RichText)
        # never clip the form: the left column is at least as wide as its widest line
        # (which depends on the language)
        self.left_scroll.setMinimumWidth(self.left.minimumSizeHint().width()
                                         + self.left_scroll.verticalScrollBar().sizeHint().width())

    def changeEvent(self, event):  # noqa: N802 - Qt override
        if event.type() == event.Type.LanguageChange:
            self.retranslate()
            self.progress.retranslate()
            self.result_panel.retranslate()
        super().changeEvent(event)

    def apply_defaults(self) -> None:
        """Show the agency's defaults (archivist) as the fields' starting values."""
        archivist = self.settings.agency.archivist or ""
        if not self.archivist_edit.isModified():
            self.archivist_edit.setText(archivist)

    def focus_url(self) -> None:
        """Put the cursor in the address field, with its text selected."""
        self.url_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.url_edit.selectAll()

    def set_url(self, url: str, title: str | None = None, case: str | None = None) -> None:
        """Fill in the form for another capture of ``url`` (History's "Capture again")."""
        self.url_edit.setText(url)
        if title is not None:
            self.title_edit.setText(title)
        if case is not None:
            self.case_edit.setText(case)
        self.focus_url()

    # -- profiles -------------------------------------------------------------------------
    def refresh_profiles(self) -> None:
        """Ask for the list of login profiles (the chooser fills when it arrives)."""
        self.profiles_job = self.bridge.list_profiles()

    def _fill_profiles(self, names: list[str]) -> None:
        current = self.selected_profile()
        self._profile_names = list(names)
        self.profile_combo.blockSignals(True)
        self.profile_combo.clear()
        self.profile_combo.addItem(self.tr("Not logged in (public view)"), None)
        for name in names:
            self.profile_combo.addItem(name, name)
        index = self.profile_combo.findData(current) if current else 0
        self.profile_combo.setCurrentIndex(max(0, index))
        self.profile_combo.blockSignals(False)
        self._profile_changed()

    def selected_profile(self) -> str | None:
        """The chosen login profile, or None for a public capture."""
        data = self.profile_combo.currentData()
        return str(data) if data else None

    def _profile_changed(self, *_args: Any) -> None:
        has = self.selected_profile() is not None
        self.also_public_check.setEnabled(has)
        if not has:
            self.also_public_check.setChecked(False)
        # greyed, it says why
        self.also_public_check.setToolTip(
            self.tr("Also archive the page as someone who is not logged in sees it")
            if has else self.tr("Choose a login profile first: without one, the capture is "
                                "the public view already."))

    # -- capturing ------------------------------------------------------------------------
    def is_capturing(self) -> bool:
        """Whether a capture started here is running."""
        return self.job is not None

    def _problem(self, text: str) -> None:
        # the message may quote what was pasted
        self.problem_label.setText(shown(text, multiline=True))
        self.problem_label.setVisible(True)

    def start_capture(self) -> None:
        """Validate the form and hand the capture to the engine."""
        if self.job is not None:
            return
        self.problem_label.setVisible(False)
        try:
            url = normalize_url(self.url_edit.text())
        except SomecaptureError as exc:
            self._problem(f"{error_headline('invalid_url')}: {engine_text(exc)}")
            self.focus_url()
            return
        try:
            record = self.settings.record_defaults().merged(
                title=self.title_edit.text().strip() or None,
                case=self.case_edit.text().strip() or None,
                archivist=self.archivist_edit.text().strip() or None,
                arkivnotat=True if self.arkivnotat_radio.isChecked() else None,
                screening=self.screening_edit.text().strip() or None,
            )
            profile = self.selected_profile()
            options = self.settings.capture_options(
                record=record, profile=profile,
                also_public=bool(profile and self.also_public_check.isChecked()))
        except OptionsError as exc:
            self._problem(f"{error_headline('input')}: {engine_text(exc)}")
            return
        self.job = self.bridge.capture(url, options, record)
        self._cancelled_note = False
        self.capture_button.setEnabled(False)
        self.url_edit.setReadOnly(True)
        self.meta_box.setEnabled(False)
        self.progress.start(url)
        self.status_stack.setCurrentWidget(self.progress)
        self.screenshot.clear(self.tr("The screenshot appears here when the capture is done."))
        self.progress.cancel_button.setFocus()

    def cancel_capture(self) -> None:
        """Ask the engine to stop the running capture."""
        if self.job is None:
            return
        self.progress.cancelling()
        self.bridge.cancel(self.job)

    def _end(self) -> None:
        self.job = None
        self.progress.stop()
        self.capture_button.setEnabled(True)
        self.url_edit.setReadOnly(False)
        self.meta_box.setEnabled(True)

    def _on_event(self, job: Any, event: Any) -> None:
        if job is not self.job:
            return
        if isinstance(event, StepStarted):
            self.progress.step_started(event.step)
        elif isinstance(event, StepFinished):
            self.progress.step_finished(event.step, event.status, event.duration_s)
        elif isinstance(event, CaptureMessage):
            self.progress.note(event.text)

    def _on_finished(self, job: Any, value: Any) -> None:
        if job is self.verify_job:
            self.verify_job = None
            self.result_panel.show_verification(value)
            return
        if job is self.profiles_job:
            self.profiles_job = None
            self._fill_profiles([p.name for p in value])
            return
        if job is not self.job:
            return
        self._end()
        self.show_result(value)
        self.capture_finished.emit(value)

    def show_result(self, result: Any) -> None:
        """Show a finished capture (result panel and screenshot)."""
        self.result_panel.show_result(result)
        self.status_stack.setCurrentWidget(self.result_panel)
        shot = Path(result.package) / "data" / "screenshot.png" if result.package else None
        if shot is not None and shot.is_file():
            self.screenshot.load(shot)
        else:
            self.screenshot.clear(self.tr("No screenshot: nothing was published."))
        self.focus_url()

    def show_variant(self, variant: str) -> None:
        """Show the shown package's screenshot as captured ("original") or in its screened
        variant ("screened"), at the same place (the result panel's switch)."""
        package = self.result_panel.package()
        if package is None:
            return
        pdf = screened_pdf(package)
        if variant == "screened" and pdf is not None:
            self.screenshot.load_screened(pdf, keep_position=True)
            return
        shot = package / "data" / "screenshot.png"
        if shot.is_file():
            self.screenshot.load(shot, keep_position=True)

    def _on_failed(self, job: Any, exc: Any) -> None:
        if job is self.verify_job:
            self.verify_job = None
            self.result_panel.verification_failed(engine_text(exc))
            return
        if job is self.profiles_job:
            self.profiles_job = None
            self._fill_profiles([])
            show_exception(self, exc)
            return
        if job is not self.job:
            return
        self._end()
        self.status_stack.setCurrentWidget(self.welcome)
        self.screenshot.clear()
        show_exception(self, exc)

    def _on_cancelled(self, job: Any) -> None:
        if job is self.verify_job:
            self.verify_job = None
            return
        if job is not self.job:
            return
        self._end()
        self._problem(self.tr("The capture was cancelled. Nothing was published."))
        self.status_stack.setCurrentWidget(self.welcome)
        self.screenshot.clear()
        self.focus_url()

    def verify_package(self, package: Path) -> None:
        """Re-check the shown package on the engine thread."""
        self.result_panel.verifying()
        self.verify_job = self.bridge.verify(Path(package))
