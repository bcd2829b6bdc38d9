"""What a capture did: live progress while it runs, then the result with its package.

When the package has a screened variant (issue 18: private persons masked, for access
requests), the result says what was screened and offers a switch between the original and the
screened screenshot in the preview, so the archivist checks it before the package is sent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer, QLocale, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from somecapture.gui.dialogs import error_headline
from somecapture.gui.widgets.common import (
    CAPTURE_STEPS,
    STATUS_COLORS,
    STATUS_STRONG,
    heading,
    hint,
    plain_label,
    read_screening,
    screened_pdf,
    shown,
    status_text,
    step_status_text,
    step_text,
)
from somecapture.messages import Msg, conflict_line, missing_reason

_MARKS = {"ok": "✔", "budget": "⚠", "failed": "✖", "skipped": "–", "running": "▸"}

_SWITCH_STYLE = """
QPushButton#showOriginal, QPushButton#showScreened {
    padding: 4px 14px; border: 1px solid palette(mid); background: palette(button);
    color: palette(button-text); }
QPushButton#showOriginal { border-top-left-radius: 4px; border-bottom-left-radius: 4px; }
QPushButton#showScreened { border-left: none; border-top-right-radius: 4px;
    border-bottom-right-radius: 4px; }
QPushButton#showOriginal:checked, QPushButton#showScreened:checked {
    background: palette(highlight); color: palette(highlighted-text); }
QPushButton#showOriginal:focus, QPushButton#showScreened:focus {
    border: 2px solid palette(dark); }
"""


class ProgressPanel(QWidget):
    """Live progress of one capture: the steps with their outcome, a bar, and Cancel."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading("")
        self.url_label = plain_label(QLabel())
        self.url_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.url_label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, len(CAPTURE_STEPS))
        self.bar.setTextVisible(False)
        self.steps = QListWidget()
        self.steps.setObjectName("captureSteps")
        self.steps.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.steps.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # room for every step without a scroll bar, no more
        rows = len(CAPTURE_STEPS) + 1
        self.steps.setFixedHeight(self.steps.fontMetrics().height() * rows + 16)
        # engine notes quote the page (button labels, warnings): plain text, cleaned
        self.message = plain_label(hint())
        self.elapsed_label = hint()
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancelCapture")
        self.cancel_button.clicked.connect(self._cancel)
        row = QHBoxLayout()
        row.addWidget(self.elapsed_label, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.url_label)
        layout.addWidget(self.bar)
        layout.addWidget(self.steps)
        layout.addWidget(self.message)
        layout.addLayout(row)
        layout.addStretch(1)
        self._items: dict[str, QListWidgetItem] = {}
        self._states: dict[str, tuple[str, float | None]] = {}
        self._clock = QElapsedTimer()
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.title.setText(self.tr("Capturing…"))
        self.cancel_button.setText(self.tr("Cancel") if self.cancel_button.isEnabled()
                                   else self.tr("Cancelling…"))
        self.cancel_button.setToolTip(self.tr("Stop the capture (Esc). Nothing is published."))
        self.steps.setAccessibleName(self.tr("Capture steps"))
        for step in self._items:
            self._render(step)
        self._tick()

    def start(self, url: str) -> None:
        """A capture of ``url`` began."""
        self.url_label.setText(shown(url))
        self.steps.clear()
        self._items.clear()
        self._states.clear()
        self.bar.setValue(0)
        self.message.setText("")
        self.cancel_button.setEnabled(True)
        self.retranslate()
        self._clock.start()
        self._ticker.start()
        self._tick()

    def stop(self) -> None:
        """The capture ended."""
        self._ticker.stop()

    def step_started(self, step: str) -> None:
        """A named step began."""
        if step not in self._items:
            self._items[step] = QListWidgetItem()
            self.steps.addItem(self._items[step])
        self._states[step] = ("running", None)
        self._render(step)
        self.steps.scrollToItem(self._items[step])

    def step_finished(self, step: str, status: str, duration_s: float) -> None:
        """A named step ended."""
        if step not in self._items:
            self.step_started(step)
        self._states[step] = (status, duration_s)
        self._render(step)
        done = sum(1 for s, _ in self._states.values() if s != "running")
        self.bar.setMaximum(max(len(CAPTURE_STEPS), len(self._states)))
        self.bar.setValue(min(done, self.bar.maximum()))

    def note(self, text: str) -> None:
        """A message from the engine (in English, as the engine speaks), with the page text it
        quotes cleaned."""
        self.message.setText(shown(text))

    def cancelling(self) -> None:
        """Cancel was pressed: wait for the engine to clean up."""
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText(self.tr("Cancelling…"))

    def steps_text(self) -> list[str]:
        """The step lines as shown (for tests and screen readers)."""
        return [self.steps.item(i).text() for i in range(self.steps.count())]

    def _render(self, step: str) -> None:
        status, duration = self._states.get(step, ("running", None))
        text = f"{_MARKS.get(status, '•')}  {step_text(step)}"
        if status != "running":
            # "1,2 s" in Norwegian: the number as the language writes it
            seconds = QLocale().toString(float(duration or 0), "f", 1)
            text += f"  ({step_status_text(status)}, {seconds} s)"
        else:
            text += " …"
        item = self._items[step]
        item.setText(text)
        if status in ("budget", "failed"):
            item.setForeground(Qt.GlobalColor.darkRed if status == "failed"
                               else Qt.GlobalColor.darkYellow)

    def _cancel(self) -> None:
        self.cancelling()
        self.cancel_requested.emit()

    def _tick(self) -> None:
        if not self._clock.isValid():
            self.elapsed_label.setText("")
            return
        seconds = self._clock.elapsed() // 1000
        self.elapsed_label.setText(self.tr("Time: {time}").format(
            time=f"{seconds // 60}:{seconds % 60:02d}"))


class ResultPanel(QWidget):
    """The outcome of a capture: status, completeness, warnings, and its package."""

    open_folder_requested = Signal(object)   # Path
    open_pdf_requested = Signal(object)      # Path
    verify_requested = Signal(object)        # Path
    export_wacz_requested = Signal(object)   # Path
    open_screened_requested = Signal(object)  # Path of the screened PDF
    # the archivist switched the preview: "original" | "screened"
    preview_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: Any = None
        #: the preview the switch stands at: "original" | "screened"
        self.variant = "original"
        #: the shown package's ``screening`` facts (None: it has none)
        self.screening: dict[str, Any] | None = None
        self.badge = QLabel()
        self.badge.setObjectName("statusBadge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        font = self.badge.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.badge.setFont(font)
        self.summary = QLabel()
        self.summary.setObjectName("resultSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.completeness = plain_label(QLabel())
        self.completeness.setObjectName("completeness")
        self.completeness.setWordWrap(True)
        cfont = self.completeness.font()
        cfont.setBold(True)
        self.completeness.setFont(cfont)
        self.registration = plain_label(hint())
        self.registration.setObjectName("registration")
        self.warnings = QLabel()
        self.warnings.setObjectName("warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        self.warnings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.package_label = plain_label(hint())
        self.package_label.setObjectName("packagePath")
        self.open_folder_button = QPushButton()
        self.open_folder_button.setObjectName("openFolder")
        self.open_pdf_button = QPushButton()
        self.open_pdf_button.setObjectName("openPdf")
        self.verify_button = QPushButton()
        self.verify_button.setObjectName("verify")
        self.open_folder_button.clicked.connect(lambda: self._emit(self.open_folder_requested))
        self.open_pdf_button.clicked.connect(lambda: self._emit(self.open_pdf_requested))
        self.verify_button.clicked.connect(lambda: self._emit(self.verify_requested))
        self.export_wacz_button = QPushButton()
        self.export_wacz_button.setObjectName("exportWacz")
        self.export_wacz_button.clicked.connect(
            lambda: self._emit(self.export_wacz_requested))
        self.verify_label = plain_label(QLabel())
        self.verify_label.setObjectName("verifyResult")
        self.verify_label.setWordWrap(True)
        self.verify_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_folder_button)
        buttons.addWidget(self.open_pdf_button)
        buttons.addWidget(self.verify_button)
        buttons.addWidget(self.export_wacz_button)
        buttons.addStretch(1)

        # the screened variant: original / screened switch for the preview, facts, problems
        self.screened_box = QGroupBox()
        self.screened_box.setObjectName("screenedBox")
        self.original_button = QPushButton()
        self.original_button.setObjectName("showOriginal")
        self.screened_button = QPushButton()
        self.screened_button.setObjectName("showScreened")
        self.variant_group = QButtonGroup(self)
        self.variant_group.setExclusive(True)
        for number, button in enumerate((self.original_button, self.screened_button)):
            button.setCheckable(True)
            button.setAutoDefault(False)
            self.variant_group.addButton(button, number)
        self.original_button.setChecked(True)
        self.variant_group.idClicked.connect(
            lambda number: self._choose(("original", "screened")[number]))
        self.open_screened_button = QPushButton()
        self.open_screened_button.setObjectName("openScreenedPdf")
        self.open_screened_button.clicked.connect(self._open_screened)
        self.screening_facts = plain_label(QLabel())
        self.screening_facts.setObjectName("screeningFacts")
        self.screening_facts.setWordWrap(True)
        self.screening_facts.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.screening_warning = plain_label(QLabel())
        self.screening_warning.setObjectName("screeningWarning")
        self.screening_warning.setWordWrap(True)
        self.screening_warning.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.screening_warning.setStyleSheet(f"color: {STATUS_STRONG['failed']}; "
                                             "font-weight: bold")
        self.screening_limits = plain_label(hint())
        self.screening_limits.setObjectName("screeningLimits")
        switch = QHBoxLayout()
        switch.setSpacing(0)  # one segmented control, not two buttons
        switch.addWidget(self.original_button)
        switch.addWidget(self.screened_button)
        self.switch_row = QWidget()
        # the chosen side must be plain to see: which screenshot is shown is the whole point
        self.switch_row.setStyleSheet(_SWITCH_STYLE)
        switch_row = QHBoxLayout(self.switch_row)
        switch_row.setContentsMargins(0, 0, 0, 0)
        switch_row.addLayout(switch)
        switch_row.addStretch(1)
        switch_row.addWidget(self.open_screened_button)
        screened = QVBoxLayout(self.screened_box)
        screened.addWidget(self.switch_row)
        screened.addWidget(self.screening_facts)
        screened.addWidget(self.screening_warning)
        screened.addWidget(self.screening_limits)
        self.screened_box.setVisible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.badge)
        layout.addWidget(self.summary)
        layout.addWidget(self.completeness)
        layout.addWidget(self.registration)
        layout.addWidget(self.warnings)
        layout.addSpacing(6)
        layout.addWidget(self.package_label)
        layout.addLayout(buttons)
        layout.addWidget(self.screened_box)
        layout.addWidget(self.verify_label)
        layout.addStretch(1)
        self._verify_state: tuple[str, Any] | None = None
        self.retranslate()

    # -- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.open_folder_button.setText(self.tr("Open package folder"))
        self.open_folder_button.setToolTip(self.tr("Show the package's files in your file "
                                                   "manager"))
        self.open_pdf_button.setText(self.tr("Open PDF"))
        self.open_pdf_button.setToolTip(self.tr("Open the PDF/A rendition of the page"))
        self.verify_button.setText(self.tr("Verify package"))
        self.verify_button.setToolTip(self.tr("Check every checksum: is the package still "
                                              "exactly what was captured?"))
        self.export_wacz_button.setText(self.tr("Export WACZ…"))
        self.export_wacz_button.setToolTip(self.tr("Save the capture as a WACZ file for "
                                                   "ReplayWeb.page or pywb (only a verified "
                                                   "package is exported)"))
        self.screened_box.setTitle(self.tr("Screened version for access requests"))
        self.original_button.setText(self.tr("Original"))
        self.original_button.setToolTip(self.tr("Show the screenshot as it was captured"))
        self.screened_button.setText(self.tr("Screened version"))
        self.screened_button.setToolTip(self.tr("Show the screenshot of the screened PDF, with "
                                                "private persons masked: check it before the "
                                                "package is sent"))
        self.open_screened_button.setText(self.tr("Open screened PDF"))
        self.open_screened_button.setToolTip(self.tr("Open the screened PDF/A (what is handed "
                                                     "out on an access request)"))
        if self.result is not None:
            self.show_result(self.result, keep_verify=True)

    # -- showing a result -----------------------------------------------------------------
    def package(self) -> Path | None:
        """The shown result's package folder, if one was published."""
        if self.result is None or self.result.package is None:
            return None
        return Path(self.result.package)

    def show_result(self, result: Any, *, keep_verify: bool = False) -> None:
        """Show a :class:`~somecapture.models.CaptureResult`."""
        self.result = result
        status = str(getattr(result.status, "value", result.status))
        marks = {"complete": "✔", "partial": "⚠", "failed": "✖"}
        self.badge.setText(f"{marks.get(status, '')}  {status_text(status)}")
        self.badge.setStyleSheet(
            f"QLabel#statusBadge {{ background: {STATUS_COLORS[status].name()}; color: "
            f"{STATUS_STRONG[status]}; border-radius: 6px; padding: 6px 12px; }}"
            if status in STATUS_STRONG else "")
        self.badge.setAccessibleName(self.tr("Status: {status}").format(
            status=status_text(status)))
        self.summary.setText(self._summary(result, status))
        completeness = self.completeness_text(result)
        self.completeness.setText(completeness)
        self.completeness.setVisible(bool(completeness))
        registration = self._registration(result)
        self.registration.setText(registration)
        self.registration.setVisible(bool(registration))
        warnings = list(result.warnings or [])
        if warnings:
            items = "".join(f"<li>{_html(w)}</li>" for w in warnings)
            title = self.tr("Warnings")
            self.warnings.setText(f"<b>{_html(title)}</b><ul style='margin:0'>{items}</ul>")
        self.warnings.setVisible(bool(warnings))
        package = self.package()
        if package is not None:
            self.package_label.setText(self.tr("Package: {path}").format(path=shown(package)))
        else:
            self.package_label.setText(self.tr("Nothing was published."))
        has_pdf = package is not None and (package / "data" / "screenshot.pdf").is_file()
        self.open_folder_button.setEnabled(package is not None)
        self.open_pdf_button.setEnabled(has_pdf)
        self.open_pdf_button.setToolTip(self.tr("Open the PDF/A rendition of the page")
                                        if has_pdf else self.tr("The package holds no PDF."))
        self.verify_button.setEnabled(package is not None)
        self.export_wacz_button.setEnabled(package is not None)
        for b in (self.open_folder_button, self.open_pdf_button, self.verify_button,
                  self.export_wacz_button):
            b.setVisible(package is not None)
        # a new result starts at the original, as the preview does; a retranslation keeps it
        self._render_screening(package, reset=not keep_verify)
        if keep_verify and self._verify_state is not None:
            self._render_verify()
        else:
            self._verify_state = None
            self.verify_label.setText("")
            self.verify_label.setVisible(False)

    # -- the screened variant -------------------------------------------------------------
    def screened_pdf(self) -> Path | None:
        """The shown package's screened PDF, when it has one."""
        package = self.package()
        return screened_pdf(package) if package is not None else None

    def screening_text(self, screening: dict[str, Any]) -> str:
        """"4 private persons screened (Innbygger 1–4) · 57 masks" — the facts in a line."""
        persons = _count(screening.get("private_persons"))
        line = self.tr("%n private person(s) screened", "", persons)
        if screening.get("pseudonyms"):
            # the pseudonyms as the PDF writes them ("Innbygger 1–4"): not translated
            line += f" ({shown(screening['pseudonyms'])})"
        parts = [line, self.tr("%n mask(s)", "", _total(screening.get("masks")))]
        in_text = _total(screening.get("masked_in_text"))
        if in_text:
            parts.append(self.tr("%n replaced in the text", "", in_text))
        if screening.get("screen_text"):
            parts.append(self.tr("the citizens' texts are screened too"))
        return " · ".join(parts)

    def _render_screening(self, package: Path | None, *, reset: bool) -> None:
        screening = read_screening(package) if package is not None else None
        pdf = screened_pdf(package) if package is not None else None
        self.screening = screening
        self.screened_box.setVisible(screening is not None or pdf is not None)
        if reset or pdf is None:
            self.variant = "original"
            self.original_button.setChecked(True)
        self.switch_row.setVisible(pdf is not None)
        facts = self.screening_text(screening) if screening is not None and pdf else ""
        self.screening_facts.setText(facts)
        self.screening_facts.setVisible(bool(facts))
        if screening is not None:
            # the kinds as the catalogue names them (the package's keys are English codes)
            kinds = ", ".join(f"{shown(Msg('screen.kind', kind=str(k)))} {_count(v)}"
                              for k, v in sorted((screening.get("masks") or {}).items()))
            tips = [self.tr("Masks by kind: {kinds}").format(kinds=kinds)] if kinds else []
            if screening.get("read_back"):
                tips.append(self.tr("Read back with: {reader}").format(
                    reader=shown(screening["read_back"])))
            self.screening_facts.setToolTip("\n".join(tips))
        warning = ""
        if pdf is None:
            problems = [shown(p) for p in (screening or {}).get("problems") or []]
            if not problems:
                problems = [self.tr("the package holds no screened PDF")]
            warning = self.tr("No screened version: {problems}; screen the PDF by hand before "
                              "it is handed out.").format(problems="; ".join(problems))
        self.screening_warning.setText(warning)
        self.screening_warning.setVisible(bool(warning))
        # what the screening cannot catch (names inside images): the package says it in the
        # agency's målform, the app in its own language (the same catalogue text)
        limits = (shown(Msg("screen.cannot_catch"))
                  if pdf is not None and (screening or {}).get("cannot_catch") else "")
        self.screening_limits.setText(limits)
        self.screening_limits.setVisible(bool(limits))

    def show_variant(self, variant: str) -> None:
        """Set the switch to ``variant`` ("original" | "screened") and ask for that preview
        (nothing happens when the package has no screened PDF)."""
        if variant == "screened" and self.screened_pdf() is None:
            return
        (self.screened_button if variant == "screened" else self.original_button
         ).setChecked(True)
        self._choose(variant)

    def _choose(self, variant: str) -> None:
        if variant != self.variant:
            self.variant = variant
            self.preview_requested.emit(variant)

    def _open_screened(self) -> None:
        pdf = self.screened_pdf()
        if pdf is not None:
            self.open_screened_requested.emit(pdf)

    def _summary(self, result: Any, status: str) -> str:
        if status == "failed":
            return (f"<b>{_html(error_headline(result.error_code))}</b><br>"
                    f"{_html(result.error or '')}")
        root = (result.thread or {}).get("root") or {}
        who = root.get("author") or ""
        if root.get("handle"):
            who = f"{who} ({root['handle']})" if who else root["handle"]
        # cleaned before it is shortened: the 160 characters are ones that show
        text = " ".join(shown(root.get("text")).split())
        if len(text) > 160:
            text = text[:157].rsplit(" ", 1)[0] + " …"
        title = (result.registration or {}).get("title")
        if who or text:
            line = f"<b>{_html(who)}</b>" + (f": «{_html(text)}»" if text else "")
        else:
            line = _html(title or result.final_url or result.url)
        if status == "partial":
            line += "<br>" + _html(self.tr("A package was published, but something may be "
                                           "missing: see the warnings."))
        return line

    def completeness_text(self, result: Any) -> str:
        """"14 of 14 comments" — what the page reports against what was captured."""
        comp = result.completeness or {}
        captured = comp.get("captured_replies")
        if captured is None:
            return ""
        reported = comp.get("reported") or {}
        lines = []
        if isinstance(reported.get("comments"), int):
            lines.append(self.tr("{captured} of {reported} comments").format(
                captured=captured, reported=reported["comments"]))
        elif isinstance(reported.get("replies"), int):
            lines.append(self.tr("{captured} of {reported} replies").format(
                captured=captured, reported=reported["replies"]))
        else:
            lines.append(self.tr("{captured} replies captured (the page does not say how many "
                                 "there are)").format(captured=captured))
        for item in comp.get("missing") or []:
            count = item.get("count")
            # why, from the message catalogue by its code (older packages: as recorded)
            reason = shown(missing_reason(item)) if isinstance(item, dict) else ""
            if count:
                lines.append(self.tr("{count} missing: {reason}").format(count=count,
                                                                          reason=reason))
            elif reason:
                lines.append(self.tr("Missing: {reason}").format(reason=reason))
        # posts left out of the thread as probable misreadings, and why (the catalogue's
        # words, by the entry's reason code)
        lines += [shown(conflict_line(item)) for item in comp.get("conflicts") or []
                  if isinstance(item, dict)]
        return "\n".join(lines)

    def _registration(self, result: Any) -> str:
        reg = result.registration or {}
        if not reg:
            return ""
        parts = []
        if reg.get("kind") == "arkivnotat":
            parts.append(self.tr("Registered as arkivnotat"))
        elif reg.get("kind") == "journalpost":
            kind = {"I": self.tr("incoming"), "U": self.tr("outgoing")}.get(
                reg.get("journalposttype") or "", "")
            parts.append(self.tr("Registered as journalpost ({direction})").format(
                direction=kind) if kind else self.tr("Registered as journalpost"))
        if reg.get("case"):
            parts.append(self.tr("case {case}").format(case=shown(reg["case"])))
        if reg.get("archivist"):
            parts.append(self.tr("archivist {name}").format(name=shown(reg["archivist"])))
        if reg.get("screening"):
            parts.append(self.tr("screened: {basis}").format(basis=shown(reg["screening"])))
        return " · ".join(parts)

    # -- verification ---------------------------------------------------------------------
    def verifying(self) -> None:
        """A verification is running."""
        self._verify_state = ("running", None)
        self.verify_button.setEnabled(False)
        self._render_verify()

    def show_verification(self, check: Any) -> None:
        """Show a :class:`~somecapture.package.verify.PackageCheck`."""
        self._verify_state = ("done", check)
        self.verify_button.setEnabled(self.package() is not None)
        self._render_verify()

    def verification_failed(self, message: str) -> None:
        """The check itself could not run."""
        self._verify_state = ("error", message)
        self.verify_button.setEnabled(self.package() is not None)
        self._render_verify()

    def _render_verify(self) -> None:
        assert self._verify_state is not None
        state, value = self._verify_state
        self.verify_label.setVisible(True)
        if state == "running":
            self.verify_label.setStyleSheet("")
            self.verify_label.setText(self.tr("Verifying the package…"))
        elif state == "error":
            self.verify_label.setStyleSheet(f"color: {STATUS_STRONG['failed']}")
            self.verify_label.setText(self.tr("The package could not be verified: {message}")
                                      .format(message=shown(value, multiline=True)))
        elif value.ok and _untrusted_seal(value):
            # a seal no trust store proved: anyone can make one, so no ✔
            self.verify_label.setStyleSheet(f"color: {STATUS_STRONG['partial']}")
            self.verify_label.setText(self.tr(
                "⚠ The files match their checksums and the seal ({checks}), but the seal is "
                "NOT TRUSTED: its chain ends in a root the package carries itself, and anyone "
                "can make such a seal. Choose the agency's trusted roots under Settings → "
                "Network → Trusted time-stamp roots to prove who sealed it.")
                .format(checks="; ".join(shown(c) for c in value.checked))
                + self._seal_line(value))
        elif value.ok:
            self.verify_label.setStyleSheet(f"color: {STATUS_STRONG['complete']}")
            self.verify_label.setText(self.tr("✔ Verified: every file is intact ({checks}).")
                                      .format(checks="; ".join(shown(c) for c in value.checked))
                                      + self._seal_line(value))
        else:
            self.verify_label.setStyleSheet(f"color: {STATUS_STRONG['failed']}")
            # a tampered package's file names are anyone's text
            problems = "\n".join(f"• {shown(p)}" for p in value.problems)
            self.verify_label.setText(self.tr("✖ The package has changed since it was "
                                              "captured:") + "\n" + problems
                                      + self._seal_line(value))

    def _seal_line(self, check: Any) -> str:
        """The seal in words (sealed when, by whom; or unsealed), as ``verify`` says it."""
        summary = getattr(check, "seal_summary", None)
        if not summary:
            return ""
        # the verifier's words, from the message catalogue; the authority's name in them comes
        # from the token: anyone's text, cleaned
        notes = "".join(f"\n{shown(n)}" for n in getattr(check, "notes", None) or [])
        return "\n" + shown(summary) + notes

    def _emit(self, signal: Any) -> None:
        package = self.package()
        if package is not None:
            signal.emit(package)


def _count(value: Any) -> int:
    """A count from the metadata (anything else is 0: the file is the package's, not ours)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _total(counts: Any) -> int:
    """The sum of a ``{kind: count}`` object of the metadata."""
    return sum(_count(v) for v in counts.values()) if isinstance(counts, dict) else 0


def _untrusted_seal(check: Any) -> bool:
    """True when the package is sealed but no trust store proved the seal's chain."""
    seal = getattr(check, "seal", None)
    return bool(seal is not None and seal.sealed and not seal.trusted)


def _html(text: object) -> str:
    """Page text (authors, post text, titles, URLs, errors, warnings) for a rich-text label:
    cleaned (:func:`shown`), then escaped, line breaks as ``<br>``."""
    return (shown(text, multiline=True).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace("\n", "<br>"))
