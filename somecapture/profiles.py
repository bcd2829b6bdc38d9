"""Login profiles: a browser profile per platform account, logged in by hand by the archivist.

``somecapture login NAME`` opens a *visible* browser on a persistent profile stored in the user
data directory; the archivist logs in there (somecapture never sees or stores a password) and
closes the window. A capture with ``--profile NAME`` then copies that profile's cookies and
local storage (of the sites the login window opened, remembered in the profile's info as
``origins``) into a fresh, isolated context (the profile itself is not used by the capture,
so captures can run in parallel and cannot change it).

This module is the profile *store* (names, folders, the info file) and starts no browser, so
options and the engine can both use it: the login window is
:func:`somecapture.engine.login.login`, reading a profile's cookies is
:func:`somecapture.engine.browser.storage_state`.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from somecapture.errors import OptionsError, ProfileError
from somecapture.messages import Msg

log = logging.getLogger(__name__)

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_INFO = "somecapture-profile.json"


def profiles_dir() -> Path:
    """``<user data dir>/profiles``."""
    return Path(platformdirs.user_data_dir("somecapture", appauthor=False)) / "profiles"


def check_profile_name(name: str) -> None:
    """Profile names are folder names: letters, digits, ``.-_``, at most 64 characters."""
    if not _NAME_RE.match(name or "") or name in (".", ".."):
        raise OptionsError(Msg("option.profile_name", name=name))


def profile_path(name: str) -> Path:
    """The browser user-data folder of profile ``name``."""
    check_profile_name(name)
    return profiles_dir() / name


@dataclass(frozen=True)
class ProfileInfo:
    """A stored profile."""

    name: str
    path: Path
    created_at: str | None
    last_used_at: str | None
    login_url: str | None
    #: the sites (``scheme://host[:port]``) the login window opened: where the profile's
    #: local storage is read from for a capture
    origins: tuple[str, ...] = ()


def _read_info(path: Path) -> dict[str, Any]:
    try:
        data = json.loads((path / _INFO).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_info(path: Path, **changes: Any) -> None:
    info = _read_info(path)
    info.update(changes)
    (path / _INFO).write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")


def list_profiles() -> list[ProfileInfo]:
    """All profiles, by name."""
    root = profiles_dir()
    if not root.is_dir():
        return []
    out = []
    for path in sorted(p for p in root.iterdir() if p.is_dir() and _NAME_RE.match(p.name)):
        info = _read_info(path)
        out.append(ProfileInfo(name=path.name, path=path, created_at=info.get("created_at"),
                               last_used_at=info.get("last_used_at"),
                               login_url=info.get("login_url"),
                               origins=tuple(_origins(info))))
    return out


def _origins(info: dict[str, Any]) -> list[str]:
    found = info.get("origins")
    return [str(o) for o in found if isinstance(o, str)] if isinstance(found, list) else []


def origin_of(url: str | None) -> str | None:
    """``scheme://host[:port]`` of an http(s) URL, else None (``about:blank``, ``data:``)."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    default = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def remember_origins(name: str, origins: list[str]) -> None:
    """Add ``origins`` (the sites a login window opened) to profile ``name``'s info."""
    path = profile_path(name)
    if not path.is_dir() or not origins:
        return
    known = _origins(_read_info(path))
    _write_info(path, origins=list(dict.fromkeys([*known, *origins])))


def profile_origins(name: str) -> list[str]:
    """Sites whose local storage a capture with profile ``name`` takes along: those the login
    window opened, and the login page's."""
    path = profile_path(name)
    info = _read_info(path)
    found = [*_origins(info), origin_of(info.get("login_url"))]
    return list(dict.fromkeys(o for o in found if o))


def delete_profile(name: str) -> None:
    """Remove a profile and everything the browser stored in it (cookies included)."""
    path = profile_path(name)
    if not path.is_dir():
        raise ProfileError(Msg("error.profile_delete_missing", name=name))
    shutil.rmtree(path)


def mark_used(name: str) -> None:
    """Note when a profile was last used for a capture."""
    path = profile_path(name)
    if path.is_dir():
        _write_info(path, last_used_at=datetime.now(UTC).isoformat(timespec="seconds"))


def _no_password_saving(path: Path) -> None:
    """Switch the browser's password manager off in a profile before its first start.

    The profile keeps the platform's session, never the password: a saved password would sit
    in the profile folder, and somecapture promises not to hold one.
    """
    prefs = path / "Default" / "Preferences"
    try:
        data = json.loads(prefs.read_text("utf-8")) if prefs.is_file() else {}
    except (OSError, ValueError):
        log.warning("profile preferences %s unreadable; left as they are", prefs)
        return
    if not isinstance(data, dict) or not isinstance(data.setdefault("profile", {}), dict):
        return
    data["credentials_enable_service"] = False
    data["profile"]["password_manager_enabled"] = False
    data["profile"]["password_manager_leak_detection"] = False
    prefs.parent.mkdir(parents=True, exist_ok=True)
    tmp = prefs.with_name(prefs.name + ".somecapture-new")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, prefs)  # never a half-written Preferences file


def prepare_for_login(name: str, url: str | None) -> Path:
    """Create profile ``name`` if needed, ready for a login window, and return its folder.

    Password saving is switched off before the browser first opens the profile; the creation
    time and the login page (``url``, opened again by "log in again") go in the profile's info.
    """
    path = profile_path(name)
    created = not path.exists()
    path.mkdir(parents=True, exist_ok=True)
    _no_password_saving(path)
    if created:
        _write_info(path, created_at=datetime.now(UTC).isoformat(timespec="seconds"))
    if url:
        _write_info(path, login_url=url)
    return path
