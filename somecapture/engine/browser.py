"""Finding and starting the browser: one browser per batch, one fresh context per capture.

Every browser start (the capture browser, the login window, reading a login profile) tries the
same candidates in the same order through :func:`launch_first`.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from playwright.async_api import (
    Browser,
    BrowserContext,
    Playwright,
    ProxySettings,
    async_playwright,
)
from playwright.async_api import Error as PlaywrightError

from somecapture.engine.guardproxy import GuardProxy
from somecapture.errors import BrowserLaunchError, BrowserNotFoundError, ProfileError
from somecapture.messages import Msg
from somecapture.options import CaptureOptions
from somecapture.profiles import mark_used, profile_origins, profile_path

log = logging.getLogger(__name__)

_T = TypeVar("_T")

#: env var with an explicit browser path; same meaning as ``--browser``
BROWSER_ENV = "SOMECAPTURE_BROWSER"

#: Chromium features switched off in capture browsers (see BASE_ARGS for why it is one list)
DISABLED_FEATURES = (
    # site isolation: cross-site iframes stay on the page's CDP session (recorder sees them)
    "IsolateOrigins", "site-per-process",
    # background traffic to Google that is no part of the page
    "NetworkTimeServiceQuerying", "OptimizationHints", "OptimizationGuideModelDownloading",
    "PreconnectToSearch", "AimEnabled", "CertificateTransparencyComponentUpdater",
    "AutofillServerCommunication", "Translate", "MediaRouter", "DialMediaRouteProvider",
    # the rest of Playwright's own list, which this switch replaces (before-unload and
    # redirect handling under interception, HTTPS upgrades, paint holding, storage)
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "PaintHolding",
    "ThirdPartyStoragePartitioning", "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin", "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
)

# Flags every capture browser gets. Background networking and component updates would send
# traffic to Google that is not part of the page (and fails on closed agency networks).
BASE_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--metrics-recording-only",
    "--no-default-browser-check",
    "--disable-breakpad",
    # QUIC would bypass a configured HTTP proxy and is not visible as HTTP/1.1 exchanges anyway.
    "--disable-quic",
    # Keep cross-site iframes in the page's renderer so the page's CDP session records their
    # traffic too (out-of-process iframes are separate targets the recorder would not see).
    "--disable-site-isolation-trials",
    # Chromium keeps only the last --disable-features switch, and this one replaces
    # Playwright's own list; so it repeats the features of that list that phone home at
    # startup (network time, optimisation hints, search preconnect, AI mode, CT and other
    # component updates) next to ours. The reliability suite fails if anything but the
    # page's own traffic leaves the browser.
    "--disable-features=" + ",".join(DISABLED_FEATURES),
    # WebRTC's STUN/TURN over UDP would bypass the guard proxy (UDP is never proxied): a
    # page could probe the local network with it. Only proxied (TCP) ICE traffic is allowed.
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--hide-scrollbars",
    "--mute-audio",
]


def _system_candidates() -> list[str]:
    """Well-known install locations of Chromium-family browsers, per OS."""
    if sys.platform == "win32":
        roots = [os.environ.get(k, "") for k in ("PROGRAMFILES", "PROGRAMFILES(X86)",
                                                  "LOCALAPPDATA")]
        rel = [r"Google\Chrome\Application\chrome.exe", r"Microsoft\Edge\Application\msedge.exe",
               r"Chromium\Application\chrome.exe"]
        return [str(Path(r) / p) for r in roots if r for p in rel]
    if sys.platform == "darwin":
        return [
            "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
            "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
            "/Applications/Chromium.app/Contents/MacOS/Chromium",
        ]
    names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
             "microsoft-edge", "microsoft-edge-stable"]
    found = [p for n in names if (p := shutil.which(n))]
    return found + ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium"]


def running_as_root() -> bool:
    """True for uid 0 on POSIX; Chromium's sandbox cannot run as root."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


@dataclass(frozen=True)
class BrowserChoice:
    """How to launch: an executable path or a Playwright channel, and how it was found."""

    how: str  # "configured", "playwright", "channel", "system"
    executable: str | None = None
    channel: str | None = None

    def describe(self) -> str:
        """Short human text, e.g. ``system: /usr/bin/chromium``."""
        return f"{self.how}: {self.executable or self.channel}"


def browser_candidates(options: CaptureOptions, pw: Playwright
                       ) -> Iterator[tuple[BrowserChoice, str]]:
    """Browsers to try, in order: configured, Playwright's, Chrome/Edge, system Chromium."""
    configured = options.browser_path or os.environ.get(BROWSER_ENV)
    if configured:
        yield BrowserChoice("configured", executable=configured), f"configured path {configured}"
        return  # an explicit choice is never silently replaced by another browser
    try:
        managed = pw.chromium.executable_path
    except PlaywrightError:
        managed = ""
    yield BrowserChoice("playwright", executable=managed), f"Playwright's Chromium ({managed})"
    for channel in ("chrome", "msedge"):
        yield BrowserChoice("channel", channel=channel), f"installed {channel} (Playwright channel)"
    for path in dict.fromkeys(_system_candidates()):
        yield BrowserChoice("system", executable=path), f"system browser {path}"


def launch_args() -> list[str]:
    """Command-line flags for the capture browser."""
    return list(BASE_ARGS)


def _first_line(exc: BaseException) -> str:
    """The first line of an error's text (Playwright appends a long call log), or its repr."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else repr(exc)


async def launch_first(
    options: CaptureOptions,
    pw: Playwright,
    launch: Callable[[BrowserChoice], Awaitable[_T]],
    *,
    catch: tuple[type[Exception], ...] = (PlaywrightError,),
    profile_locked: str | None = None,
) -> tuple[_T, BrowserChoice]:
    """``launch(choice)`` for each of :func:`browser_candidates` in turn, until one starts.

    Returns what ``launch`` returned and the candidate that started. A candidate whose
    executable is missing is skipped; one whose launch raises one of ``catch`` is noted and the
    next is tried (other errors propagate, e.g. a ``BrowserLaunchError`` raised by ``launch``).

    ``profile_locked``: the launch opens a login profile, and an error saying the profile is
    locked or in use raises :class:`ProfileError` with this message at once (every other
    browser would find the profile locked too).

    Raises :class:`BrowserNotFoundError` with what was tried when no candidate started.
    """
    tried: list[str] = []
    for choice, label in browser_candidates(options, pw):
        if choice.executable is not None and not Path(choice.executable).is_file():
            tried.append(f"{label}: not found")
            continue
        try:
            return await launch(choice), choice
        except catch as exc:
            text = str(exc).lower()
            if profile_locked is not None and ("lock" in text or "in use" in text):
                raise ProfileError(profile_locked) from None
            tried.append(f"{label}: {_first_line(exc)[:160]}")
    raise BrowserNotFoundError(tried)


#: at most this many sites' local storage is read from a profile (each is one page load
#: answered by the reader itself, a few milliseconds)
MAX_PROFILE_ORIGINS = 50


def _cookie_origins(cookies: list[dict[str, Any]]) -> list[str]:
    """Sites a profile's cookies belong to (``https://`` always, ``http://`` for cookies that
    are not secure-only); cookies carry no port, so these are the default ports'."""
    found: list[str] = []
    for cookie in cookies:
        host = str(cookie.get("domain", "")).lstrip(".")
        if not host or "/" in host:
            continue
        host = f"[{host}]" if ":" in host else host
        found.append(f"https://{host}")
        if not cookie.get("secure"):
            found.append(f"http://{host}")
    return found


async def _open_origins(context: BrowserContext, origins: list[str]) -> None:
    """Open each of ``origins`` in ``context`` with every request answered by an empty page
    here, so nothing is sent anywhere: Playwright's ``storage_state`` only reads the local
    storage of sites the context has opened, and a freshly started profile has opened none
    (it returned ``origins: []``)."""
    page = await context.new_page()

    async def empty(route: Any) -> None:
        await route.fulfill(status=200, content_type="text/html", body="<html></html>")

    try:
        await page.route("**/*", empty)
        for origin in origins[:MAX_PROFILE_ORIGINS]:
            try:
                await page.goto(origin + "/", wait_until="commit", timeout=10_000)
            except PlaywrightError as exc:
                log.info("profile storage of %s not read: %s", origin, _first_line(exc))
    finally:
        await page.close()


async def storage_state(name: str, options: CaptureOptions,
                        sink_url: str | None = None) -> dict[str, Any]:
    """Cookies, local storage and IndexedDB of login profile ``name`` (read from the profile
    headless), for the sites the login window opened and those its cookies belong to.

    Reading sends nothing: every page load is answered by the reader itself, service workers
    are blocked, and anything else the browser tries goes to ``sink_url`` (a proxy that
    refuses all) when given.

    Raises :class:`ProfileError` when there is no such profile, when it is open in a login
    window, or when no browser could open it.
    """
    path = profile_path(name)
    if not path.is_dir():
        raise ProfileError(Msg("error.no_profile", name=name))
    async with async_playwright() as pw:

        async def open_profile(choice: BrowserChoice) -> BrowserContext:
            return await pw.chromium.launch_persistent_context(
                str(path), executable_path=choice.executable, channel=choice.channel,
                headless=True, args=launch_args(), chromium_sandbox=not running_as_root(),
                service_workers="block",
                proxy={"server": sink_url, "bypass": "<-loopback>"} if sink_url else None)

        try:
            context, _choice = await launch_first(
                options, pw, open_profile, catch=(Exception,),
                profile_locked=Msg("error.profile_in_use", name=name))
        except BrowserNotFoundError:
            # for a capture the problem is the profile, whichever browsers were tried
            raise ProfileError(Msg("error.profile_unopenable", name=name)) from None
        try:
            cookies = [dict(c) for c in await context.cookies()]
            origins = list(dict.fromkeys([*profile_origins(name), *_cookie_origins(cookies)]))
            await _open_origins(context, origins)
            state = dict(await context.storage_state(indexed_db=True))
        finally:
            await context.close()
        mark_used(name)
        return state


class BrowserSession:
    """One Playwright driver and one browser, shared by the captures of a batch.

    Use as ``async with BrowserSession(options) as session: ctx = await session.new_context()``.
    """

    def __init__(self, options: CaptureOptions) -> None:
        self.options = options
        self._pw_cm: Any = None
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None
        self.choice: BrowserChoice | None = None
        self.user_agent = ""
        self._profile_states: dict[str, dict[str, Any]] = {}
        #: refuses the browser's own background traffic (see guardproxy)
        self.sink: GuardProxy | None = None

    async def __aenter__(self) -> BrowserSession:
        self._pw_cm = async_playwright()
        self.playwright = await self._pw_cm.__aenter__()
        try:
            await self._launch()
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _launch(self) -> None:
        assert self.playwright is not None
        if self.sink is None:
            self.sink = GuardProxy(refuse_all=True)
            await self.sink.start()
        playwright, sink_url = self.playwright, self.sink.url

        async def start(choice: BrowserChoice) -> Browser:
            try:
                return await playwright.chromium.launch(
                    executable_path=choice.executable,
                    channel=choice.channel,
                    headless=self.options.headless,
                    args=launch_args(),
                    # Playwright turns the sandbox off by default; keep it for normal users.
                    chromium_sandbox=not running_as_root(),
                    # the browser-wide proxy only carries the browser's own traffic (each
                    # capture's context has its own guard proxy): refused, never sent
                    proxy={"server": sink_url},
                    timeout=60_000,
                )
            except PlaywrightError as exc:
                # an explicit choice is never silently replaced by another browser
                if choice.how == "configured":
                    raise BrowserLaunchError(
                        Msg("error.browser_launch", path=str(choice.executable),
                            detail=_first_line(exc))
                    ) from None
                raise

        browser, choice = await launch_first(self.options, playwright, start)
        self.browser, self.choice = browser, choice
        self.user_agent = await self._user_agent()
        log.info("browser: %s, version %s", choice.describe(), browser.version)

    async def _user_agent(self) -> str:
        """The browser's UA without the "Headless" marker.

        Platforms serve degraded pages or block "HeadlessChrome"; the capture should see what
        a person with this browser sees. The UA actually used is recorded in provenance.
        """
        assert self.browser is not None
        cdp = await self.browser.new_browser_cdp_session()
        try:
            info = await cdp.send("Browser.getVersion")
        finally:
            await cdp.detach()
        return str(info.get("userAgent", "")).replace("HeadlessChrome/", "Chrome/")

    @property
    def version(self) -> str:
        """Browser version string, e.g. ``156.0.8078.108``."""
        return self.browser.version if self.browser else ""

    async def profile_state(self, name: str) -> dict[str, Any]:
        """The storage state (cookies, local storage) of login profile ``name``, read once per
        session."""
        if name not in self._profile_states:
            self._profile_states[name] = await storage_state(
                name, self.options, self.sink.url if self.sink is not None else None)
        return self._profile_states[name]

    async def ensure_connected(self) -> None:
        """Start the browser again if it died (crash, killed); a batch goes on."""
        if self.browser is not None and self.browser.is_connected():
            return
        log.warning("browser disconnected; starting it again")
        self.browser = None
        await self._launch()

    async def new_context(self, proxy_url: str, proxy_login: tuple[str, str] | None = None,
                          *, options: CaptureOptions | None = None,
                          **overrides: Any) -> BrowserContext:
        """A fresh, isolated context (no cookies, no cache) for one capture, all its traffic
        going through ``proxy_url`` (the capture's guard proxy, with its ``proxy_login``).

        ``options``: the capture's own (viewport, locale, time zone, TLS errors), when they
        may differ from the session's: a distributed batch's worker serves the jobs of many
        batches with one browser."""
        assert self.browser is not None
        o = options or self.options
        kwargs: dict[str, Any] = {
            "viewport": {"width": o.viewport_width_px, "height": o.viewport_height_px},
            "device_scale_factor": 1,
            "user_agent": self.user_agent or None,
            "locale": o.locale,
            "timezone_id": o.timezone_id,
            "ignore_https_errors": o.ignore_https_errors,
            # service workers answer from their own caches: the recorder would not see it
            "service_workers": "block",
            # a captured page must not put files on the archivist's machine
            "accept_downloads": False,
        }
        # "<-loopback>" removes Chromium's implicit bypass of loopback (and link-local)
        # addresses, so those too reach the guard; Playwright adds it as well, but only
        # unless an environment variable says otherwise
        proxy: ProxySettings = {"server": proxy_url, "bypass": "<-loopback>"}
        if proxy_login is not None:
            proxy["username"], proxy["password"] = proxy_login
        kwargs["proxy"] = proxy
        kwargs.update(overrides)
        return await self.browser.new_context(**kwargs)

    async def close(self) -> None:
        """Close browser and driver; safe to call twice."""
        if self.browser is not None:
            try:
                await self.browser.close()
            except PlaywrightError:
                pass
            self.browser = None
        if self.sink is not None:
            if self.sink.refused_background:
                log.info("browser background requests refused: %s",
                         ", ".join(sorted(set(self.sink.refused_background))))
            await self.sink.close()
            self.sink = None
        if self._pw_cm is not None:
            try:
                await self._pw_cm.__aexit__(None, None, None)
            except Exception:  # noqa: BLE001 - the driver may already be gone
                log.debug("playwright driver stop failed", exc_info=True)
            self._pw_cm = None
            self.playwright = None


def proxy_settings(proxy: str | None) -> ProxySettings | None:
    """Playwright's proxy dict for the login window (captures use the guard proxy);
    credentials go in their own fields, never in the server URL."""
    if not proxy:
        return None
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(proxy)
    server = f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    settings: ProxySettings = {"server": server}
    if parts.username:
        settings["username"] = unquote(parts.username)
    if parts.password:
        settings["password"] = unquote(parts.password)
    return settings
