"""The app's settings: UI preferences in QSettings, agency defaults in the shared TOML config.

Agency defaults (organisation, arkivdel, archivist, own accounts, arkivmelding variant, output
folder, proxy, browser) live in the config file the command line reads too
(:mod:`somecapture.config`), so the app and ``somecapture capture`` agree. What only the app
uses (language, time limits, concurrency, window layout) lives in QSettings.

:meth:`AppSettings.capture_options` builds :class:`CaptureOptions` the way the CLI's
``options_from_args`` does: config defaults, then the app's own values.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QObject, QSettings, Signal

from somecapture.config import AgencyConfig, config_path, load_config
from somecapture.errors import OptionsError
from somecapture.gui.config_writer import save_config
from somecapture.gui.i18n import LANGUAGES
from somecapture.options import CaptureOptions, RecordOptions

log = logging.getLogger(__name__)

# time limits the Settings view offers, with their defaults (CaptureOptions' own)
TIMEOUT_DEFAULTS = {
    "load_timeout_s": CaptureOptions.load_timeout_s,
    "expand_timeout_s": CaptureOptions.expand_timeout_s,
    "capture_timeout_s": CaptureOptions.capture_timeout_s,
}


def default_out_dir() -> Path:
    """``<Documents>/somecapture``, as :func:`somecapture.package.builder.default_out_dir`
    (not imported here: that module pulls in the PDF stack, too slow for the GUI thread)."""
    return Path(platformdirs.user_documents_dir()) / "somecapture"


class AppSettings(QObject):
    """Preferences and agency defaults, with change notification."""

    # agency defaults or preferences were saved
    changed = Signal()

    def __init__(self, qsettings: QSettings | None = None, config_file: Path | None = None,
                 catalog_path: Path | None = None, parent: QObject | None = None, *,
                 extra_options: dict[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.qsettings = qsettings if qsettings is not None else QSettings(
            "somecapture", "somecapture")
        self.config_file = config_file or config_path()
        # the catalogue the app reads and the engine writes (None = the user's default)
        self.catalog_path = catalog_path
        # options not offered in the UI (tests and scripted screenshots use short budgets)
        self.extra_options = dict(extra_options or {})
        # the config file's problem, when it could not be read (shown to the user)
        self.config_error: str | None = None
        self.agency = self.reload_agency()

    # -- agency defaults (TOML) -----------------------------------------------------------
    def reload_agency(self) -> AgencyConfig:
        """Read the config file; a broken file gives empty defaults and ``config_error``."""
        self.config_error = None
        if not self.config_file.is_file():
            self.agency = AgencyConfig()
            return self.agency
        try:
            self.agency = load_config(self.config_file)
        except OptionsError as exc:
            log.warning("config file problem: %s", exc)
            # the message itself (a catalogue message is rendered when shown, in the
            # language the app has then)
            self.config_error = exc.args[0] if exc.args and isinstance(exc.args[0], str) \
                else str(exc)
            self.agency = AgencyConfig()
        return self.agency

    def save_agency(self, cfg: AgencyConfig) -> None:
        """Write the agency defaults to the config file (atomically, validated)."""
        self.agency = save_config(cfg, self.config_file)
        self.config_error = None
        self.changed.emit()

    # -- UI preferences (QSettings) -------------------------------------------------------
    def _get(self, key: str, default: Any) -> Any:
        value = self.qsettings.value(key, default)
        return default if value is None else value

    def _float(self, key: str, default: float) -> float:
        try:
            return float(self._get(key, default))
        except (TypeError, ValueError):
            return default

    @property
    def language(self) -> str:
        """``nb``, ``nn``, ``en``, or ``""`` for automatic (see :func:`somecapture.gui.i18n`)."""
        value = str(self._get("ui/language", "") or "")
        return value if value in LANGUAGES else ""

    @language.setter
    def language(self, value: str) -> None:
        self.qsettings.setValue("ui/language", value if value in LANGUAGES else "")

    def timeout(self, name: str) -> float:
        """A time limit in seconds (``load_timeout_s``, ``expand_timeout_s``,
        ``capture_timeout_s``)."""
        return self._float(f"capture/{name}", float(TIMEOUT_DEFAULTS[name]))

    def set_timeout(self, name: str, seconds: float) -> None:
        """Store a time limit (validated when options are built)."""
        if name not in TIMEOUT_DEFAULTS:
            raise KeyError(name)
        self.qsettings.setValue(f"capture/{name}", float(seconds))

    @property
    def allow_private_network(self) -> bool:
        """Let captured pages reach private/local addresses (intranet pages)."""
        value = self._get("capture/allow_private_network", False)
        return value is True or str(value).lower() in ("true", "1")

    @allow_private_network.setter
    def allow_private_network(self, value: bool) -> None:
        self.qsettings.setValue("capture/allow_private_network", bool(value))

    @property
    def concurrency(self) -> int | None:
        """Parallel captures in a batch; None = suited to this machine."""
        value = self._get("batch/concurrency", 0)
        try:
            n = int(value)
        except (TypeError, ValueError):
            return None
        return n if n > 0 else None

    @concurrency.setter
    def concurrency(self, value: int | None) -> None:
        self.qsettings.setValue("batch/concurrency", int(value or 0))

    def value(self, key: str, default: Any = None) -> Any:
        """Any other UI preference (window geometry, last folder)."""
        return self._get(key, default)

    def set_value(self, key: str, value: Any) -> None:
        """Store a UI preference."""
        self.qsettings.setValue(key, value)

    def sync(self) -> None:
        """Write preferences to disk now."""
        self.qsettings.sync()

    # -- options for the engine -----------------------------------------------------------
    def out_dir(self) -> Path:
        """Where packages go."""
        return (self.agency.out_dir or default_out_dir()).expanduser()

    def record_defaults(self) -> RecordOptions:
        """Record options with the agency's defaults."""
        return self.agency.record_defaults()

    def capture_options(self, **changes: Any) -> CaptureOptions:
        """Capture options: config defaults, the app's time limits, then ``changes``.

        Raises :class:`OptionsError` (a user-facing message) for values out of range.
        """
        cfg = self.agency
        values: dict[str, Any] = {name: self.timeout(name) for name in TIMEOUT_DEFAULTS}
        values["record"] = cfg.record_defaults()
        values["out_dir"] = self.out_dir()
        if cfg.proxy:
            values["proxy"] = cfg.proxy
        if cfg.ignore_https_errors:
            values["ignore_https_errors"] = True
        if cfg.browser:
            values["browser_path"] = cfg.browser
        if self.allow_private_network:
            values["allow_private_network"] = True
        if cfg.timestamp_urls:
            values["timestamp_urls"] = cfg.timestamp_urls
        if self.catalog_path is not None:
            values["catalog_path"] = self.catalog_path
        values.update(self.extra_options)
        values.update(changes)
        return CaptureOptions(**values)
