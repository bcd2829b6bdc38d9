"""Writing the agency config file (``config.toml``) that :mod:`somecapture.config` reads.

The app edits the same file the command line reads, so both agree on the organisation, the
archivist and the output folder. The file is written atomically (temporary file, read back with
:func:`~somecapture.config.load_config`, then renamed over the old one), so a crash or a value
the reader would reject never leaves a broken config behind.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from somecapture.config import AgencyConfig, load_config
from somecapture.errors import OptionsError
from somecapture.messages import Msg

_HEADER = ("# somecapture agency settings, written by the somecapture app.\n"
           "# The command line reads the same file: `somecapture config` shows its path.\n")

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_string(value: str) -> str:
    """A TOML basic string: quoted, with backslash, quote and control characters escaped."""
    out = []
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _key(name: str) -> str:
    return name if _BARE_KEY.match(name) else toml_string(name)


def config_text(cfg: AgencyConfig) -> str:
    """The TOML text for ``cfg`` (only the values that are set)."""
    lines = [_HEADER]
    org = [("name", cfg.organisation), ("number", cfg.organisation_number),
           ("arkivdel", cfg.arkivdel)]
    if any(v for _, v in org):
        lines.append("[organisation]")
        lines += [f"{k} = {toml_string(v)}" for k, v in org if v]
        lines.append("")
    defaults: list[str] = []
    for key, value in (("archivist", cfg.archivist), ("arkivmelding", cfg.arkivmelding),
                       ("out_dir", str(cfg.out_dir) if cfg.out_dir else None),
                       ("proxy", cfg.proxy), ("browser", cfg.browser)):
        if value:
            defaults.append(f"{key} = {toml_string(value)}")
    if cfg.ignore_https_errors is not None:
        defaults.append(f"ignore_https_errors = {'true' if cfg.ignore_https_errors else 'false'}")
    if defaults:
        lines.append("[defaults]")
        lines += defaults
        lines.append("")
    accounts = {k: v for k, v in cfg.own_accounts.items() if v}
    if accounts:
        lines.append("[own_accounts]")
        for platform, handles in sorted(accounts.items()):
            items = ", ".join(toml_string(h) for h in handles)
            lines.append(f"{_key(platform)} = [{items}]")
        lines.append("")
    if cfg.maalform:
        # the language of the packages' own texts (PDF capture sheet, arkivmelding titles)
        lines += ["[archive]", f"maalform = {toml_string(cfg.maalform)}", ""]
    personvern = [(k, v) for k, v in (("screened_variant", cfg.screened_variant),
                                      ("screen_text", cfg.screen_text)) if v is not None]
    if personvern:
        lines.append("[personvern]")
        lines += [f"{k} = {'true' if v else 'false'}" for k, v in personvern]
        lines.append("")
    if cfg.timestamp_urls or cfg.timestamp_trust:
        lines.append("[timestamp]")
        if cfg.timestamp_urls:
            lines.append(f"urls = [{', '.join(toml_string(u) for u in cfg.timestamp_urls)}]")
        if cfg.timestamp_trust:
            files = [toml_string(str(t)) for t in cfg.timestamp_trust]
            lines.append(f"trust = {files[0]}" if len(files) == 1
                         else f"trust = [{', '.join(files)}]")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def save_config(cfg: AgencyConfig, path: Path) -> AgencyConfig:
    """Write ``cfg`` to ``path`` atomically; returns what :func:`load_config` reads back.

    Raises :class:`~somecapture.errors.OptionsError` (nothing is changed) when the values would
    not be accepted by the reader, and ``OSError`` when the folder cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(config_text(cfg))
            fh.flush()
            os.fsync(fh.fileno())
        try:
            check = load_config(tmp)  # the reader must accept it before it replaces anything
        except OptionsError as exc:
            # the reader names the file it read: the one being saved, not its temporary copy
            # (a catalogue message keeps its code, so it is still shown in the app's language)
            def real(text: str) -> str:
                return text.replace(str(tmp), str(path))
            message = exc.args[0] if exc.args else ""
            raise OptionsError(message.map_params(real) if isinstance(message, Msg)
                               else real(str(exc))) from None
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return AgencyConfig(**{**check.__dict__, "path": path})
