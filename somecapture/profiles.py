"""Login profiles: a browser profile per platform account, logged in by hand by the archivist.

``somecapture login NAME`` opens a *visible* browser on a persistent profile stored in the user
data directory; the archivist logs in there (somecapture never sees or stores a password) and
closes the window. A capture with ``--profile NAME`` then copies that profile's cookies and
local storage into a fresh, isolated context (the profile itself is not used by the capture,
so captures can run in parallel and cannot change it).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from somecapture.errors import OptionsError, ProfileError

log = logging.getLogger(__name__)

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_INFO = "somecapture-profile.json"


def profiles_dir() -> Path:
    """``<user data dir>/profiles``."""
    return Path(platformdirs.user_data_dir("somecapture", appauthor=False)) / "profiles"


def check_profile_name(name: str) -> None:
    """Profile names are folder names: letters, digits, ``.-_``, at most 64 characters."""
    if not _NAME_RE.match(name or "") or name in (".", ".."):
        raise OptionsError(
            f"Profile name {name!r} is not allowed: use letters, digits, '.', '-' and '_' "
            "(e.g. facebook-oslokommune)."
        )


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
                               login_url=info.get("login_url")))
    return out


def delete_profile(name: str) -> None:
    """Remove a profile and everything the browser stored in it (cookies included)."""
    path = profile_path(name)
    if not path.is_dir():
        raise ProfileError(f"There is no profile called {name!r}. "
                           "`somecapture profiles` lists them.")
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


async def login(
    name: str,
    url: str | None,
    options: Any,
    *,
    headless: bool = False,
    on_ready: Callable[[Any], Awaitable[None]] | None = None,
) -> ProfileInfo:
    """Open a browser on profile ``name`` at ``url`` and wait until its window is closed.

    ``on_ready(page)`` runs once the page is open (tests use it to log in by script, with
    ``headless=True``; it must close the context when done).
    """
    from playwright.async_api import async_playwright

    from somecapture.engine.browser import (
        browser_candidates,
        launch_args,
        proxy_settings,
        running_as_root,
    )

    path = profile_path(name)
    created = not path.exists()
    path.mkdir(parents=True, exist_ok=True)
    _no_password_saving(path)
    if created:
        _write_info(path, created_at=datetime.now(UTC).isoformat(timespec="seconds"))
    if url:
        _write_info(path, login_url=url)
    async with async_playwright() as pw:
        context = None
        tried = []
        for choice, label in browser_candidates(options, pw):
            if choice.executable is not None and not Path(choice.executable).is_file():
                tried.append(f"{label}: not found")
                continue
            try:
                context = await pw.chromium.launch_persistent_context(
                    str(path), executable_path=choice.executable, channel=choice.channel,
                    headless=headless, args=launch_args(),
                    chromium_sandbox=not running_as_root(), viewport=None,
                    locale=options.locale, timezone_id=options.timezone_id,
                    # the archivist logs in over the agency's network, like any browsing
                    proxy=proxy_settings(options.proxy),
                )
                break
            except Exception as exc:  # noqa: BLE001 - try the next browser
                if "lock" in str(exc).lower() or "in use" in str(exc).lower():
                    raise ProfileError(
                        f"Profile {name!r} is open in another window or capture. Close it "
                        "and try again.") from None
                tried.append(f"{label}: {str(exc).splitlines()[0][:160]}")
        if context is None:
            from somecapture.errors import BrowserNotFoundError

            raise BrowserNotFoundError(tried)
        page = context.pages[0] if context.pages else await context.new_page()
        if url:
            await page.goto(url)
        if on_ready is not None:
            await on_ready(page)
        else:
            await context.wait_for_event("close", timeout=0)
        try:
            await context.close()
        except Exception:  # noqa: BLE001 - already closed by the user
            pass
    return next(p for p in list_profiles() if p.name == name)


async def storage_state(name: str, options: Any) -> dict[str, Any]:
    """Cookies and local storage of profile ``name`` (read from the profile headless)."""
    from playwright.async_api import async_playwright

    from somecapture.engine.browser import browser_candidates, launch_args, running_as_root

    path = profile_path(name)
    if not path.is_dir():
        raise ProfileError(f"There is no profile called {name!r}. Create it with "
                           f"`somecapture login {name} --url <login page>`.")
    async with async_playwright() as pw:
        for choice, _label in browser_candidates(options, pw):
            if choice.executable is not None and not Path(choice.executable).is_file():
                continue
            try:
                context = await pw.chromium.launch_persistent_context(
                    str(path), executable_path=choice.executable, channel=choice.channel,
                    headless=True, args=launch_args(), chromium_sandbox=not running_as_root())
            except Exception as exc:  # noqa: BLE001
                if "lock" in str(exc).lower() or "in use" in str(exc).lower():
                    raise ProfileError(f"Profile {name!r} is open in a login window; close "
                                       "it before capturing.") from None
                continue
            try:
                state = dict(await context.storage_state(indexed_db=True))
            finally:
                await context.close()
            mark_used(name)
            return state
    raise ProfileError(f"Could not open profile {name!r} with any browser.")
