"""The agency's defaults, kept in a TOML file in the user's config directory.

Example (``somecapture config`` prints the path)::

    [organisation]
    name = "Oslo kommune"
    number = "958935420"
    arkivdel = "Sosiale medier"

    [defaults]
    archivist = "Kari Nordmann"
    arkivmelding = "eformidling"     # or "fiks", "none"
    out_dir = "~/Documents/somecapture"
    proxy = "http://proxy.oslo.kommune.no:8080"

    [own_accounts]                   # the agency's accounts: their posts are journalposttype U
    facebook = ["oslokommune"]
    x = ["@oslokommune"]
    "*" = ["oslokommune"]            # any platform

    [archive]
    maalform = "nb"                  # the agency's målform: "nb" (bokmål) or "nn" (nynorsk);
                                     # the language of each package's own texts (the PDF's
                                     # sheet, the arkivmelding's generated titles)

    [personvern]                     # the screened variant for access requests (innsyn)
    screened_variant = true          # false: no screened variant
    screen_text = false              # true: also withhold private persons' texts

    [timestamp]                      # RFC 3161 authorities that seal every package, in order
    urls = ["http://timestamp.example.no/tsa"]
    trust = "~/tsa-roots.pem"        # roots a seal must chain to in verify (or a list of files)

``trust`` is what ``somecapture verify`` and the app's verify use when ``--trust`` is not
given; a relative path is taken from the config file's folder. It is checked when used, not
when the file is read, so a moved trust store never stops a capture.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from somecapture.errors import OptionsError
from somecapture.messages import Msg
from somecapture.options import RecordOptions, check_timestamp_url

_SECTIONS: dict[str, set[str]] = {
    "organisation": {"name", "number", "arkivdel"},
    "defaults": {"archivist", "arkivmelding", "out_dir", "proxy", "browser",
                 "ignore_https_errors"},
    "own_accounts": set(),
    "timestamp": {"urls", "trust"},
    "personvern": {"screened_variant", "screen_text"},
    "archive": {"maalform"},
}


def config_path() -> Path:
    """``<user config dir>/config.toml``."""
    return Path(platformdirs.user_config_dir("somecapture", appauthor=False)) / "config.toml"


@dataclass(frozen=True)
class AgencyConfig:
    """What the config file says (every field optional)."""

    path: Path | None = None
    organisation: str | None = None
    organisation_number: str | None = None
    arkivdel: str | None = None
    archivist: str | None = None
    arkivmelding: str | None = None
    out_dir: Path | None = None
    proxy: str | None = None
    browser: str | None = None
    ignore_https_errors: bool | None = None
    own_accounts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: time-stamp authorities that seal every package (``[timestamp] urls``)
    timestamp_urls: tuple[str, ...] = ()
    #: PEM files of the roots a seal must chain to in verify (``[timestamp] trust``)
    timestamp_trust: tuple[Path, ...] = ()
    #: ``[archive] maalform``: the language of the packages' own texts (``nb``, ``nn``)
    maalform: str | None = None
    #: ``[personvern]``: make the screened variant; withhold private persons' texts in it
    screened_variant: bool | None = None
    screen_text: bool | None = None

    def trust_files(self) -> tuple[Path, ...]:
        """:attr:`timestamp_trust`, each checked to be a readable PEM file with a certificate.

        Raises :class:`OptionsError` naming the config key and what to do.
        """
        where = self.path or config_path()
        for path in self.timestamp_trust:
            try:
                text = path.read_bytes()
            except OSError as exc:
                problem, detail = ("missing", "") if isinstance(exc, FileNotFoundError) \
                    else ("unreadable", exc.strerror or str(exc))
            else:
                if b"-----BEGIN CERTIFICATE-----" in text:
                    continue
                problem, detail = "no_pem", ""
            raise OptionsError(_in(where, Msg("config.trust_bad", path=str(path),
                                              problem=problem, detail=detail)))
        return self.timestamp_trust

    def record_defaults(self) -> RecordOptions:
        """Record options with the agency's defaults filled in."""
        values: dict[str, Any] = {
            "organisation": self.organisation,
            "organisation_number": self.organisation_number,
            "arkivdel": self.arkivdel,
            "archivist": self.archivist,
            "own_accounts": dict(self.own_accounts),
        }
        if self.arkivmelding:
            values["arkivmelding"] = self.arkivmelding
        if self.maalform:
            values["maalform"] = self.maalform
        for key in ("screened_variant", "screen_text"):
            if getattr(self, key) is not None:
                values[key] = getattr(self, key)
        return RecordOptions(**values)


def _str(section: str, key: str, value: Any, where: Path) -> str:
    if not isinstance(value, str):
        raise OptionsError(_in(where, Msg("config.not_text", section=section, key=key,
                                          value=repr(value))))
    return value


def load_config(path: Path | None = None) -> AgencyConfig:
    """Read the config file; a missing file gives empty defaults, a broken one a clear error."""
    where = path or config_path()
    if not where.is_file():
        if path is not None:
            raise OptionsError(Msg("config.missing", file=str(where)))
        return AgencyConfig()
    try:
        data = tomllib.loads(where.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        # the reader's own (English) words are quoted; where it stopped is said in the
        # archivist's language
        text = str(exc)
        at = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", text)
        if at is not None:
            raise OptionsError(Msg("config.not_toml_at", file=str(where), line=int(at[1]),
                                   column=int(at[2]), detail=text[:at.start()])) from None
        raise OptionsError(Msg("config.not_toml", file=str(where), detail=text)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OptionsError(Msg("config.unreadable", file=str(where), detail=str(exc))) from None
    for section, value in data.items():
        if section not in _SECTIONS:
            raise OptionsError(_in(where, Msg("config.unknown_section", section=section,
                                              known=", ".join(sorted(_SECTIONS)))))
        if not isinstance(value, dict):
            raise OptionsError(_in(where, Msg("config.not_a_section", section=section)))
        allowed = _SECTIONS[section]
        for key in value:
            if allowed and key not in allowed:
                raise OptionsError(_in(where, Msg("config.unknown_key", key=key,
                                                  section=section,
                                                  known=", ".join(sorted(allowed)))))
    org = data.get("organisation", {})
    defaults = data.get("defaults", {})
    own: dict[str, tuple[str, ...]] = {}
    for platform, handles in data.get("own_accounts", {}).items():
        if isinstance(handles, str):
            handles = [handles]
        if not isinstance(handles, list) or not all(isinstance(h, str) for h in handles):
            raise OptionsError(_in(where, Msg("config.own_accounts_list", platform=platform)))
        own[platform.lower()] = tuple(handles)
    tsa_urls = data.get("timestamp", {}).get("urls", [])
    if isinstance(tsa_urls, str):
        tsa_urls = [tsa_urls]
    if not isinstance(tsa_urls, list) or not all(isinstance(u, str) for u in tsa_urls):
        raise OptionsError(_in(where, Msg("config.tsa_list")))
    for url in tsa_urls:
        try:
            check_timestamp_url(url)
        except OptionsError as exc:
            raise OptionsError(_in(where, Msg("config.in_section", section="timestamp",
                                              problem=exc.msg or str(exc)))) from None
    trust = data.get("timestamp", {}).get("trust", [])
    if isinstance(trust, str):
        trust = [trust]
    if not isinstance(trust, list) or not all(isinstance(t, str) and t.strip() for t in trust):
        raise OptionsError(_in(where, Msg("config.trust_path")))
    ihe = defaults.get("ignore_https_errors")
    if ihe is not None and not isinstance(ihe, bool):
        raise OptionsError(_in(where, Msg("config.bool", section="defaults",
                                          key="ignore_https_errors")))
    personvern = data.get("personvern", {})
    for key, value in personvern.items():
        if not isinstance(value, bool):
            raise OptionsError(_in(where, Msg("config.bool", section="personvern", key=key)))
    out_dir = defaults.get("out_dir")
    cfg = AgencyConfig(
        path=where,
        organisation=_str("organisation", "name", org["name"], where) if "name" in org else None,
        organisation_number=_str("organisation", "number", org["number"], where)
        if "number" in org else None,
        arkivdel=_str("organisation", "arkivdel", org["arkivdel"], where)
        if "arkivdel" in org else None,
        archivist=_str("defaults", "archivist", defaults["archivist"], where)
        if "archivist" in defaults else None,
        arkivmelding=_str("defaults", "arkivmelding", defaults["arkivmelding"], where)
        if "arkivmelding" in defaults else None,
        out_dir=Path(_str("defaults", "out_dir", out_dir, where)).expanduser()
        if out_dir is not None else None,
        proxy=_str("defaults", "proxy", defaults["proxy"], where)
        if "proxy" in defaults else None,
        browser=_str("defaults", "browser", defaults["browser"], where)
        if "browser" in defaults else None,
        ignore_https_errors=ihe,
        own_accounts=own,
        timestamp_urls=tuple(tsa_urls),
        timestamp_trust=tuple(where.parent / Path(t).expanduser() for t in trust),
        maalform=_str("archive", "maalform", data["archive"]["maalform"], where)
        if "maalform" in data.get("archive", {}) else None,
        screened_variant=personvern.get("screened_variant"),
        screen_text=personvern.get("screen_text"),
    )
    try:
        cfg.record_defaults()
    except OptionsError as exc:
        raise OptionsError(_in(where, exc.msg or str(exc))) from None
    return cfg


def _in(where: Path, problem: str) -> Msg:
    """A problem of the config file ``where``, naming the file."""
    return Msg("config.in_file", file=str(where), problem=problem)
