"""The Settings view: output folder, browser, proxy, time limits, agency defaults, privacy
(the screened variant for access requests), language.

Agency defaults are saved to the config file the command line reads too (its path is shown);
time limits and the language are the app's own preferences. Nothing is saved before Save.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from somecapture.config import AgencyConfig
from somecapture.errors import OptionsError
from somecapture.gui.contract import EngineBridgeProtocol
from somecapture.gui.dialogs import error_headline, show_exception
from somecapture.gui.i18n import engine_text
from somecapture.gui.settings import default_out_dir
from somecapture.gui.widgets.common import STATUS_STRONG, heading, hint, shown
from somecapture.messages import Msg, render
from somecapture.options import CaptureOptions

ARKIVMELDING_VARIANTS = ("eformidling", "fiks", "none")


def parse_own_accounts(text: str) -> dict[str, tuple[str, ...]]:
    """``platform: handle, handle`` lines → the config's own-accounts mapping.

    Raises OptionsError naming the line that has no ``platform:``.
    """
    accounts: dict[str, tuple[str, ...]] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        platform, sep, rest = line.partition(":")
        if not sep or not platform.strip():
            raise OptionsError(QCoreApplication.translate(
                "SettingsView", "Own accounts, line {number}: write it as “platform: handle, "
                "handle” (e.g. “facebook: oslokommune”), not “{line}”.").format(
                number=number, line=line))
        handles = tuple(h.strip() for h in rest.replace(";", ",").split(",") if h.strip())
        if handles:
            key = platform.strip().lower()
            accounts[key] = accounts.get(key, ()) + handles
    return accounts


def format_own_accounts(accounts: dict[str, tuple[str, ...]]) -> str:
    """The inverse of :func:`parse_own_accounts`."""
    return "\n".join(f"{platform}: {', '.join(handles)}"
                     for platform, handles in sorted(accounts.items()))


class TrustStoreField(QWidget):
    """The agency's trust store (``[timestamp] trust``): PEM files separated by ``;``, with a
    file chooser."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setObjectName("timestampTrust")
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.browse)
        self.retranslate()

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        self.edit.setPlaceholderText(self.tr("One or more PEM files, separated by ; (empty: "
                                             "the chain each package carries)"))
        self.browse.setText(self.tr("Browse…"))

    def set_paths(self, paths: tuple[Path, ...]) -> None:
        """Show these files."""
        self.edit.setText("; ".join(str(p) for p in paths))

    def paths(self, base: Path) -> tuple[Path, ...]:
        """The files given; a relative one is ``base``'s (the config file's folder, as the
        reader takes it)."""
        return tuple(base / Path(t.strip()).expanduser() for t in self.edit.text().split(";")
                     if t.strip())

    def _browse(self) -> None:
        first = self.edit.text().split(";")[0].strip()
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Choose the trusted root certificates"),
            str(Path(first).parent) if first else str(Path.home()),
            self.tr("PEM certificates (*.pem *.crt *.cer);;All files (*)"))
        if paths:
            self.edit.setText("; ".join(paths))


def _shrinkable(combo: QComboBox) -> None:
    """A combo box whose longest item does not set the page's minimum width."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(16)


def _set_choices(combo: QComboBox, choices: tuple[tuple[str, str], ...]) -> None:
    """Fill ``combo`` with (value, text) choices, keeping the chosen value."""
    current = combo.currentData()
    combo.clear()
    for value, text in choices:
        combo.addItem(text, value)
    combo.setCurrentIndex(max(0, combo.findData(current or "")))


def _with_hint(field: QWidget, note: QLabel) -> QWidget:
    """A form field with its explanation right under it (one row of the form: a wrapped
    label in a row of its own gets a height computed for the narrowest form)."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(field)
    column.addWidget(note)
    return box


def _scrolled_column(*boxes: QWidget) -> QScrollArea:
    """The boxes in one column, scrolled vertically only.

    Two columns did not fit a 1280 px window in Norwegian (the right one was cut off behind a
    horizontal scroll bar). Every line wraps or shrinks, so the column fits any width the
    window allows; on a wide screen it stops at a readable width instead of stretching the
    fields.
    """
    content = QWidget()
    content.setObjectName("settingsContent")
    column = QVBoxLayout(content)
    for box in boxes:
        column.addWidget(box)
    column.addStretch(1)
    content.setMaximumWidth(1100)
    page = QWidget()
    page_row = QHBoxLayout(page)
    page_row.setContentsMargins(0, 0, 0, 0)
    page_row.addWidget(content, 1)
    page_row.addStretch(0)
    scroll = QScrollArea()
    scroll.setObjectName("settingsScroll")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(page)
    return scroll


def _row(*widgets: QWidget) -> QWidget:
    """The widgets side by side, the first taking the room."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    for i, w in enumerate(widgets):
        row.addWidget(w, 1 if i == 0 else 0)
    return box


class PrivacyGroup(QGroupBox):
    """``[personvern]``: the screened variant for access requests, and whether it withholds
    the citizens' texts too (issue 18)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("privacyBox")
        self.screened_check = QCheckBox()
        self.screened_check.setObjectName("screenedVariant")
        self.screen_text_check = QCheckBox()
        self.screen_text_check.setObjectName("screenText")
        # withholding the texts is a choice about the screened variant: none, no choice
        self.screened_check.toggled.connect(self.screen_text_check.setEnabled)
        # the pseudonyms are the packages' words: in the agency's målform, not the app's
        self.maalform = "nb"
        self.hint = hint()
        column = QVBoxLayout(self)
        column.addWidget(self.screened_check)
        text_row = QHBoxLayout()
        text_row.setContentsMargins(20, 0, 0, 0)  # indented: it belongs to the first
        text_row.addWidget(self.screen_text_check)
        column.addLayout(text_row)
        column.addWidget(self.hint)

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        self.setTitle(self.tr("Privacy"))
        self.screened_check.setText(self.tr("Make a screened &version for access requests"))
        self.screen_text_check.setText(self.tr("Also screen the &citizens' texts"))
        self.hint.setText(self.tr(
            "The screened version is a second PDF/A in the package (for innsyn): private "
            "persons' names, handles and profile pictures are masked and replaced by «{first}», "
            "«{second}» …; the own accounts' posts stay readable. With the citizens' texts "
            "screened, only the agency's own words are left.").format(
            first=render(Msg("screen.pseudonym", n="1"), self.maalform, "doc"),
            second=render(Msg("screen.pseudonym", n="2"), self.maalform, "doc")))

    def set_maalform(self, maalform: str | None) -> None:
        """The agency's målform (``nb``/``nn``) the pseudonyms are shown in: ``Innbygger 1``
        in bokmål, ``Innbyggjar 1`` in nynorsk, as the screened PDF writes them."""
        self.maalform = "nn" if maalform == "nn" else "nb"
        self.retranslate()

    def load(self, cfg: AgencyConfig) -> None:
        """Show the config's choices; unset means the engine's defaults (a screened variant,
        the texts left readable)."""
        self.screened_check.setChecked(cfg.screened_variant is not False)
        self.screen_text_check.setChecked(bool(cfg.screen_text))
        self.screen_text_check.setEnabled(self.screened_check.isChecked())

    # only what differs from the engine's defaults is written (as arkivmelding)
    def screened_variant(self) -> bool | None:
        """The config's ``screened_variant``: None (the default, on) or False."""
        return None if self.screened_check.isChecked() else False

    def screen_text(self) -> bool | None:
        """The config's ``screen_text``: True, or None (the default, off)."""
        return True if self.screen_text_check.isChecked() else None


class SettingsView(QWidget):
    """Edit and save settings."""

    # the language preference was saved: ("" | "nb" | "nn" | "en")
    language_changed = Signal(str)

    def __init__(self, bridge: EngineBridgeProtocol, settings: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.settings = settings
        self.detect_job: Any = None
        self._detected: Any = None
        # why the browser could not be found (rendered when shown: the language may change)
        self._detect_error: BaseException | None = None
        self._detected_once = False
        self._detect_key: tuple[Any, Any] = (None, None)

        self.title_label = heading("", 1.5)
        self.config_note = hint()
        self.config_error = QLabel()
        self.config_error.setObjectName("configError")
        self.config_error.setWordWrap(True)
        self.config_error.setStyleSheet(f"color: {STATUS_STRONG['failed']}")

        # packages
        self.out_box = QGroupBox()
        self.out_edit = QLineEdit()
        self.out_edit.setObjectName("outDir")
        self.out_browse = QPushButton()
        self.out_browse.clicked.connect(self._browse_out)
        out_row = _row(self.out_edit, self.out_browse)
        self.out_label = QLabel()
        self.out_label.setBuddy(self.out_edit)
        out_form = QFormLayout(self.out_box)
        out_form.addRow(self.out_label, out_row)

        # browser
        self.browser_box = QGroupBox()
        self.detected_label = QLabel()
        self.detected_value = QLabel()
        self.detected_value.setObjectName("detectedBrowser")
        self.detected_value.setWordWrap(True)
        self.detected_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detect_button = QPushButton()
        self.detect_button.clicked.connect(self.detect_browser)
        self.browser_edit = QLineEdit()
        self.browser_edit.setObjectName("browserPath")
        self.browser_browse = QPushButton()
        self.browser_browse.clicked.connect(self._browse_browser)
        self.browser_label = QLabel()
        self.browser_label.setBuddy(self.browser_edit)
        browser_form = QFormLayout(self.browser_box)
        browser_form.addRow(self.detected_label, _row(self.detected_value,
                                                           self.detect_button))
        browser_form.addRow(self.browser_label, _row(self.browser_edit,
                                                          self.browser_browse))

        # network
        self.net_box = QGroupBox()
        self.proxy_label = QLabel()
        self.proxy_edit = QLineEdit()
        self.proxy_edit.setObjectName("proxy")
        self.proxy_label.setBuddy(self.proxy_edit)
        self.tls_check = QCheckBox()
        self.tls_check.setObjectName("ignoreHttpsErrors")
        net_form = QFormLayout(self.net_box)
        self.private_check = QCheckBox()
        self.private_check.setObjectName("allowPrivateNetwork")
        net_form.addRow(self.proxy_label, self.proxy_edit)
        net_form.addRow("", self.tls_check)
        net_form.addRow("", self.private_check)
        # the agency's RFC 3161 authorities, one address a line: they seal every package
        self.tsa_label = QLabel()
        self.tsa_edit = QPlainTextEdit()
        self.tsa_edit.setObjectName("timestampUrls")
        self.tsa_edit.setTabChangesFocus(True)
        self.tsa_edit.setFixedHeight(60)
        self.tsa_label.setBuddy(self.tsa_edit)
        self.tsa_hint = hint()
        net_form.addRow(self.tsa_label, _with_hint(self.tsa_edit, self.tsa_hint))
        self.trust_label = QLabel()
        self.trust = TrustStoreField()  # what verify proves seals against
        self.trust_label.setBuddy(self.trust.edit)
        self.trust_hint = hint()
        net_form.addRow(self.trust_label, _with_hint(self.trust, self.trust_hint))

        # time limits
        self.time_box = QGroupBox()
        self.time_spins: dict[str, QSpinBox] = {}
        self.time_labels: dict[str, QLabel] = {}
        time_form = QFormLayout(self.time_box)
        ranges = {"load_timeout_s": (1, 600), "expand_timeout_s": (0, 3600),
                  "capture_timeout_s": (5, 7200)}
        for name, (low, high) in ranges.items():
            spin = QSpinBox()
            spin.setObjectName(name)
            spin.setRange(low, high)
            spin.setMaximumWidth(140)
            label = QLabel()
            label.setBuddy(spin)
            self.time_spins[name] = spin
            self.time_labels[name] = label
            time_form.addRow(label, spin)

        # the agency
        self.org_box = QGroupBox()
        self.org_name = QLineEdit()
        self.org_name.setObjectName("orgName")
        self.org_number = QLineEdit()
        self.org_number.setObjectName("orgNumber")
        self.org_number.setMaxLength(9)
        self.arkivdel = QLineEdit()
        self.arkivdel.setObjectName("arkivdel")
        self.archivist = QLineEdit()
        self.archivist.setObjectName("defaultArchivist")
        self.own_accounts = QPlainTextEdit()
        self.own_accounts.setObjectName("ownAccounts")
        self.own_accounts.setTabChangesFocus(True)
        self.own_accounts.setFixedHeight(80)
        self.arkivmelding = QComboBox()
        self.arkivmelding.setObjectName("arkivmelding")
        _shrinkable(self.arkivmelding)
        # the agency's målform: the language of the packages' own texts, whatever language
        # the app is shown in
        self.maalform = QComboBox()
        self.maalform.setObjectName("maalform")
        _shrinkable(self.maalform)
        self.org_labels: dict[str, QLabel] = {}
        self.own_hint = hint()
        org_form = QFormLayout(self.org_box)
        for key, widget in (("name", self.org_name), ("number", self.org_number),
                            ("arkivdel", self.arkivdel), ("archivist", self.archivist),
                            ("own", self.own_accounts), ("arkivmelding", self.arkivmelding),
                            ("maalform", self.maalform)):
            label = QLabel()
            label.setBuddy(widget)
            self.org_labels[key] = label
            org_form.addRow(label, _with_hint(widget, self.own_hint) if key == "own"
                            else widget)

        # privacy: the screened variant of every capture with private persons (issue 18)
        self.privacy_box = PrivacyGroup()
        self.maalform.currentIndexChanged.connect(
            lambda _index: self.privacy_box.set_maalform(self.maalform.currentData()))
        self.screened_check = self.privacy_box.screened_check
        self.screen_text_check = self.privacy_box.screen_text_check

        # language
        self.lang_box = QGroupBox()
        self.lang_label = QLabel()
        self.lang_combo = QComboBox()
        self.lang_combo.setObjectName("language")
        _shrinkable(self.lang_combo)
        self.lang_label.setBuddy(self.lang_combo)
        lang_form = QFormLayout(self.lang_box)
        lang_form.addRow(self.lang_label, self.lang_combo)

        # buttons
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveSettings")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton()
        self.revert_button.clicked.connect(self.load)
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedLabel")
        self.saved_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_label, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        self.scroll_area = scroll = _scrolled_column(
            self.org_box, self.out_box, self.privacy_box, self.lang_box, self.browser_box,
            self.net_box, self.time_box)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.config_note)
        layout.addWidget(self.config_error)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

        bridge.job_finished.connect(self._on_finished)
        bridge.job_failed.connect(self._on_failed)
        self.retranslate()
        self.load()

    # -- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.title_label.setText(self.tr("Settings"))
        self.config_note.setText(self.tr("Organisation, archivist, output folder, browser and "
                                         "proxy are saved in {path}, which the command line "
                                         "uses too.").format(path=self.settings.config_file))
        self.out_box.setTitle(self.tr("Packages"))
        self.out_label.setText(self.tr("&Output folder:"))
        self.out_edit.setPlaceholderText(str(default_out_dir()))
        self.out_browse.setText(self.tr("Browse…"))
        self.browser_box.setTitle(self.tr("Browser"))
        self.detected_label.setText(self.tr("Detected browser:"))
        self.detect_button.setText(self.tr("Check again"))
        self.browser_label.setText(self.tr("Use this &browser instead:"))
        self.browser_edit.setPlaceholderText(self.tr("Empty: find Chrome, Edge or Chromium "
                                                     "automatically"))
        self.browser_browse.setText(self.tr("Browse…"))
        self.net_box.setTitle(self.tr("Network"))
        self.proxy_label.setText(self.tr("&Proxy:"))
        self.proxy_edit.setPlaceholderText(self.tr("e.g. http://proxy.agency.no:8080 (empty: "
                                                   "none)"))
        self.tls_check.setText(self.tr("Accept untrusted certificates (for proxies that "
                                       "inspect TLS)"))
        self.private_check.setText(self.tr("Allow pages on the local network (intranet)"))
        self.private_check.setToolTip(self.tr("Off by default, so a captured page cannot reach "
                                              "computers on your own network"))
        self.tsa_label.setText(self.tr("&Time-stamp authorities:"))
        self.tsa_edit.setPlaceholderText("http://timestamp.example.no/tsa")
        self.tsa_hint.setText(self.tr("One address per line (RFC 3161). Each package is sealed "
                                      "with a trusted timestamp from each; empty: packages are "
                                      "not sealed."))
        self.trust_label.setText(self.tr("T&rusted time-stamp roots:"))
        self.trust.retranslate()
        self.trust_hint.setText(self.tr("Verify requires every time stamp to chain to one of "
                                        "these root certificates (the agency's trust store)."))
        self.time_box.setTitle(self.tr("Time limits (seconds)"))
        self.time_labels["load_timeout_s"].setText(self.tr("Page &load:"))
        self.time_labels["expand_timeout_s"].setText(self.tr("&Expanding the thread:"))
        self.time_labels["capture_timeout_s"].setText(self.tr("&Whole capture:"))
        self.org_box.setTitle(self.tr("Agency defaults for every capture"))
        self.org_labels["name"].setText(self.tr("Or&ganisation:"))
        self.org_labels["number"].setText(self.tr("Organisation &number:"))
        self.org_labels["arkivdel"].setText(self.tr("Ar&kivdel:"))
        self.org_labels["archivist"].setText(self.tr("&Default archivist:"))
        self.org_labels["own"].setText(self.tr("Own &accounts:"))
        self.org_labels["arkivmelding"].setText(self.tr("Arkiv&melding:"))
        self.org_name.setPlaceholderText(self.tr("e.g. Oslo kommune"))
        self.org_number.setPlaceholderText(self.tr("nine digits"))
        self.arkivdel.setPlaceholderText(self.tr("e.g. Sosiale medier"))
        self.archivist.setPlaceholderText(self.tr("Empty: the user name of whoever captures"))
        self.own_accounts.setPlaceholderText("facebook: oslokommune\nx: @oslokommune")
        self.own_hint.setText(self.tr("One platform per line. Posts from these accounts are "
                                      "registered as outgoing (U), others as incoming (I)."))
        _set_choices(self.arkivmelding, (("eformidling", self.tr("eFormidling (default)")),
                                         ("fiks", self.tr("Fiks arkiv")),
                                         ("none", self.tr("None (no arkivmelding.xml)"))))
        self.org_labels["maalform"].setText(self.tr("&Language of the packages:"))
        self.maalform.setToolTip(self.tr("The agency's målform: the language of the PDF's "
                                         "capture sheet and of arkivmelding's generated "
                                         "titles"))
        _set_choices(self.maalform, (("nb", self.tr("Bokmål (default)")),
                                     ("nn", self.tr("Nynorsk"))))
        self.privacy_box.retranslate()
        self.lang_box.setTitle(self.tr("Language"))
        self.lang_label.setText(self.tr("Lang&uage:"))
        # each language by its own name, so it is found whatever language is shown now
        _set_choices(self.lang_combo, (
            ("", self.tr("Automatic (the system's language: bokmål, nynorsk or English)")),
            ("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")))
        self.save_button.setText(self.tr("&Save"))
        self.revert_button.setText(self.tr("Undo c&hanges"))
        self._render_config_error()
        self._render_detected()

    def changeEvent(self, event):  # noqa: N802 - Qt override
        if event.type() == event.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def showEvent(self, event):  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._detected_once:
            self._detected_once = True
            self.detect_browser()

    # -- loading and saving ---------------------------------------------------------------
    def load(self) -> None:
        """Show the saved settings (discarding unsaved edits)."""
        s = self.settings
        cfg = s.agency
        self.out_edit.setText(str(cfg.out_dir) if cfg.out_dir else "")
        self.browser_edit.setText(cfg.browser or "")
        self.proxy_edit.setText(cfg.proxy or "")
        self.tls_check.setChecked(bool(cfg.ignore_https_errors))
        self.private_check.setChecked(s.allow_private_network)
        self.tsa_edit.setPlainText("\n".join(cfg.timestamp_urls))
        self.trust.set_paths(cfg.timestamp_trust)
        for name, spin in self.time_spins.items():
            spin.setValue(int(round(s.timeout(name))))
        self.org_name.setText(cfg.organisation or "")
        self.org_number.setText(cfg.organisation_number or "")
        self.arkivdel.setText(cfg.arkivdel or "")
        self.archivist.setText(cfg.archivist or "")
        self.own_accounts.setPlainText(format_own_accounts(cfg.own_accounts))
        self.arkivmelding.setCurrentIndex(
            max(0, self.arkivmelding.findData(cfg.arkivmelding or "eformidling")))
        self.maalform.setCurrentIndex(max(0, self.maalform.findData(cfg.maalform or "nb")))
        self.privacy_box.load(cfg)
        self.lang_combo.setCurrentIndex(max(0, self.lang_combo.findData(s.language)))
        self.saved_label.setText("")
        self._render_config_error()

    def agency_from_form(self) -> AgencyConfig:
        """The agency config the form describes (OptionsError for values that cannot be
        used)."""
        def text(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        number = text(self.org_number)
        if number is not None and not (len(number) == 9 and number.isdigit()):
            raise OptionsError(self.tr("The organisation number “{number}” must be nine "
                                       "digits.").format(number=number))
        out = text(self.out_edit)
        variant = self.arkivmelding.currentData() or "eformidling"
        return AgencyConfig(
            organisation=text(self.org_name), organisation_number=number,
            arkivdel=text(self.arkivdel), archivist=text(self.archivist),
            # defaults are left out of the file, so a later change of default applies
            arkivmelding=None if variant == "eformidling" else variant,
            out_dir=Path(out).expanduser() if out else None,
            proxy=text(self.proxy_edit), browser=text(self.browser_edit),
            ignore_https_errors=True if self.tls_check.isChecked() else None,
            own_accounts=parse_own_accounts(self.own_accounts.toPlainText()),
            timestamp_urls=tuple(line.strip() for line in self.tsa_edit.toPlainText().splitlines()
                                 if line.strip()),
            timestamp_trust=self.trust.paths(Path(self.settings.config_file).parent),
            # bokmål is the default: left out of the file, as arkivmelding's default is
            maalform=None if self.maalform.currentData() in (None, "nb") else "nn",
            screened_variant=self.privacy_box.screened_variant(),
            screen_text=self.privacy_box.screen_text(),
        )

    def save(self) -> bool:
        """Validate and save everything; returns whether it was saved."""
        s = self.settings
        try:
            cfg = self.agency_from_form()
            timeouts: dict[str, Any] = {name: float(spin.value())
                                         for name, spin in self.time_spins.items()}
            # the engine's own checks, before anything is written
            CaptureOptions(proxy=cfg.proxy, timestamp_urls=cfg.timestamp_urls, **timeouts)
            cfg.record_defaults()
            # a trust store verify could not use is refused here, not at the next verify
            AgencyConfig(path=s.config_file, timestamp_trust=cfg.timestamp_trust).trust_files()
        except OptionsError as exc:
            self._saved(f"{error_headline('invalid_option')}: {engine_text(exc)}", ok=False)
            return False
        try:
            s.save_agency(cfg)
        except OptionsError as exc:
            self._saved(f"{error_headline('invalid_option')}: {engine_text(exc)}", ok=False)
            return False
        except OSError as exc:
            show_exception(self, exc)
            return False
        for name, value in timeouts.items():
            s.set_timeout(name, value)
        s.allow_private_network = self.private_check.isChecked()
        language = self.lang_combo.currentData() or ""
        old_language = s.language
        s.language = language
        s.sync()
        self._render_config_error()
        self._saved(self.tr("Saved."), ok=True)
        if language != old_language:
            self.language_changed.emit(language)
        if (cfg.browser, cfg.proxy) != self._detect_key:
            self.detect_browser()
        return True

    def _saved(self, text: str, ok: bool) -> None:
        self.saved_label.setText(text)
        self.saved_label.setStyleSheet(
            f"color: {STATUS_STRONG['complete' if ok else 'failed']}")

    def _render_config_error(self) -> None:
        error = self.settings.config_error
        if error:
            self.config_error.setText(self.tr("The config file could not be read, so its "
                                              "values are not used: {error} Saving here "
                                              "replaces the file.").format(
                error=shown(error, multiline=True)))
        self.config_error.setVisible(bool(error))

    # -- browser detection ----------------------------------------------------------------
    def detect_browser(self) -> None:
        """Find and start the browser the settings select (on the engine thread)."""
        if self.detect_job is not None:
            return
        try:
            options = self.settings.capture_options()
        except OptionsError as exc:
            self._detected, self._detect_error = None, exc
            self._render_detected()
            return
        self._detect_key = (self.settings.agency.browser, self.settings.agency.proxy)
        self._detected, self._detect_error = None, None
        self.detect_job = self.bridge.detect_browser(options)
        self.detect_button.setEnabled(False)
        self._render_detected()

    def _render_detected(self) -> None:
        if self.detect_job is not None:
            self.detected_value.setText(self.tr("Looking for a browser…"))
            self.detected_value.setStyleSheet("")
        elif self._detected is not None:
            d = self._detected
            how = {"configured": self.tr("the browser chosen below"),
                   "playwright": self.tr("Chromium installed with somecapture"),
                   "channel": self.tr("installed {browser}").format(browser=d.where),
                   "system": self.tr("installed on this computer")}.get(d.how, d.how)
            self.detected_value.setText(self.tr("{path}, version {version} ({how})").format(
                path=d.where or d.description, version=d.version, how=how))
            self.detected_value.setStyleSheet("")
        elif self._detect_error is not None:
            exc = self._detect_error
            self.detected_value.setText(f"{error_headline(getattr(exc, 'code', None))}: "
                                        f"{shown(exc, multiline=True)}")
            self.detected_value.setStyleSheet(f"color: {STATUS_STRONG['failed']}")
        else:
            self.detected_value.setText(self.tr("Not checked yet"))
            self.detected_value.setStyleSheet("")

    def _on_finished(self, job: Any, value: Any) -> None:
        if job is self.detect_job:
            self.detect_job = None
            self._detected = value
            self.detect_button.setEnabled(True)
            self._render_detected()

    def _on_failed(self, job: Any, exc: Any) -> None:
        if job is self.detect_job:
            self.detect_job = None
            self._detect_error = exc
            self.detect_button.setEnabled(True)
            self._render_detected()

    # -- file choosers --------------------------------------------------------------------
    def _browse_out(self) -> None:
        start = self.out_edit.text() or str(default_out_dir())
        path = QFileDialog.getExistingDirectory(self, self.tr("Choose the output folder"),
                                                start)
        if path:
            self.out_edit.setText(path)

    def _browse_browser(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a browser program"),
                                              self.browser_edit.text() or "/")
        if path:
            self.browser_edit.setText(path)
