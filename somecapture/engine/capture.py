"""One capture: URL → recorded page → verified, published package.

A capture is an ordered list of named steps, each with a :class:`StepReport`. A required step
that fails makes the capture FAILED (nothing is published); an optional step that fails or runs
out of budget makes it PARTIAL with a warning. ``always_run`` steps (screenshot, extract) run
even when an earlier optional step used up its budget, so a PARTIAL package still shows what
was there.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import platform
import secrets
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

from playwright.async_api import BrowserContext, CDPSession, Page, Response
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from somecapture._version import __version__
from somecapture.catalog import record_in_catalog
from somecapture.engine.browser import BrowserSession
from somecapture.engine.guardproxy import GuardProxy, system_proxy
from somecapture.engine.netguard import NetworkGuard
from somecapture.engine.recorder import NetworkRecorder
from somecapture.engine.screenshot import ScreenshotInfo, full_page_png
from somecapture.errors import NavigationError, SomecaptureError
from somecapture.events import (
    CaptureFinished,
    CaptureMessage,
    CaptureStarted,
    Event,
    StepFinished,
    StepStarted,
    safe_emit,
)
from somecapture.inputs import normalize_url
from somecapture.models import CaptureResult, CaptureStatus, StepReport, StepStatus
from somecapture.options import CaptureOptions, RecordOptions, redact_url_credentials
from somecapture.package import bag
from somecapture.package.builder import PackageBuilder, default_out_dir
from somecapture.package.layout import SCREENSHOT_NAME, WARC_NAME
from somecapture.redact import HeaderRedactor
from somecapture.sites.base import SiteAdapter
from somecapture.sites.registry import adapter_for_page
from somecapture.warc.rewrite import redact_warc
from somecapture.warc.writer import CaptureWarcWriter

log = logging.getLogger(__name__)

Listener = Callable[[Event], None]

#: pause after each expansion round before checking for network quiet
EXPAND_REACTION_S = 0.3
#: budget an always-run step keeps after the overall capture budget is used up
ALWAYS_RUN_GRACE_S = 30.0
#: how long the page's renderer may take to run ``1`` before it counts as hung: long enough
#: for the long tasks of heavy pages on slow machines, bounded by what is left of the budget
LIVENESS_TIMEOUT_S = 10.0
#: the shortest probe (once the overall budget is used up)
LIVENESS_MIN_S = 2.0
HUNG_MESSAGE = ("the page stopped responding (a script on it runs without end), so no "
                "screenshot or thread extract could be made")


class StepFailed(Exception):
    """Raised inside a step to end it as FAILED with a user-facing message."""

    def __init__(self, message: str, code: str = "capture") -> None:
        super().__init__(message)
        self.code = code


class BudgetExceeded(Exception):
    """Raised inside a step to end it as BUDGET (what was done so far is kept)."""


# Chromium network error codes → what an archivist can do about them.
_NET_ERRORS = {
    "ERR_NAME_NOT_RESOLVED": "the host name does not exist or DNS is unreachable",
    "ERR_CONNECTION_REFUSED": "the server refused the connection",
    "ERR_CONNECTION_RESET": "the connection was reset",
    "ERR_CONNECTION_CLOSED": "the server closed the connection",
    "ERR_CONNECTION_TIMED_OUT": "the server did not answer in time",
    "ERR_TIMED_OUT": "the server did not answer in time",
    "ERR_ADDRESS_UNREACHABLE": "the address is unreachable from this network",
    "ERR_INTERNET_DISCONNECTED": "this computer is offline",
    "ERR_PROXY_CONNECTION_FAILED": "the proxy did not accept the connection (check --proxy)",
    "ERR_TUNNEL_CONNECTION_FAILED": "the proxy could not reach the site (check --proxy)",
    "ERR_SOCKS_CONNECTION_FAILED": "the SOCKS proxy could not reach the site (check --proxy)",
    "ERR_PROXY_AUTH_UNSUPPORTED": "the proxy refused the login (check --proxy)",
    "ERR_CERT_AUTHORITY_INVALID": "the site's TLS certificate is not trusted "
    "(behind a TLS-inspecting proxy, use --ignore-https-errors)",
    "ERR_CERT_COMMON_NAME_INVALID": "the site's TLS certificate is for another host name",
    "ERR_CERT_DATE_INVALID": "the site's TLS certificate has expired or is not yet valid",
    "ERR_SSL_PROTOCOL_ERROR": "the TLS handshake failed",
    "ERR_TOO_MANY_REDIRECTS": "the page redirects in a loop",
    "ERR_ABORTED": "the page load was aborted (a download, or the page navigated away)",
    "ERR_EMPTY_RESPONSE": "the server sent an empty response",
    "ERR_CONTENT_LENGTH_MISMATCH": "the connection ended before the whole page was sent",
    "ERR_INCOMPLETE_CHUNKED_ENCODING": "the connection ended before the whole page was sent",
    "ERR_INVALID_RESPONSE": "the server sent an invalid response",
    "ERR_BLOCKED_BY_CLIENT": "the address is on a private or local network, which captured "
    "pages may not reach (for an intranet page, use --allow-private-network)",
    "ERR_UNSAFE_PORT": "the port is one browsers refuse to use",
}


#: what the browser reports when the guard proxy refused or could not make a connection
_PROXY_MASKED = ("ERR_TUNNEL_CONNECTION_FAILED", "ERR_EMPTY_RESPONSE",
                 "ERR_PROXY_CONNECTION_FAILED", "ERR_CONNECTION_CLOSED")

_TRANSIENT_NET_ERRORS = {"ERR_CONNECTION_RESET", "ERR_CONNECTION_CLOSED", "ERR_TIMED_OUT",
                         "ERR_CONNECTION_TIMED_OUT", "ERR_EMPTY_RESPONSE",
                         "ERR_NETWORK_CHANGED", "ERR_INTERNET_DISCONNECTED",
                         "ERR_PROXY_CONNECTION_FAILED", "ERR_HTTP2_PROTOCOL_ERROR",
                         "ERR_CONTENT_LENGTH_MISMATCH", "ERR_INCOMPLETE_CHUNKED_ENCODING"}


def is_transient(exc: Exception) -> bool:
    """Whether a failed ``page.goto`` may succeed when tried again."""
    text = str(exc)
    return isinstance(exc, PlaywrightTimeoutError) or any(c in text for c in _TRANSIENT_NET_ERRORS)


def navigation_error_code(exc: Exception) -> str:
    """A stable code for shells that give their own advice (the app, JSON output)."""
    text = str(exc)
    if "ERR_BLOCKED_BY_CLIENT" in text:
        return "private_network_blocked"
    if "ERR_CERT_" in text or "ERR_SSL_" in text:
        return "tls_certificate"
    if "ERR_NAME_NOT_RESOLVED" in text:
        return "dns"
    if "ERR_PROXY" in text or "ERR_TUNNEL" in text:
        return "proxy"
    if is_transient(exc):
        return "timeout"
    return "navigation"


def explain_navigation_error(url: str, exc: Exception) -> str:
    """A user-facing sentence for a failed ``page.goto``."""
    text = str(exc)
    for code, meaning in _NET_ERRORS.items():
        if code in text:
            return f"Could not open {url}: {meaning} (net::{code})."
    if isinstance(exc, PlaywrightTimeoutError) or "Timeout" in text:
        return f"Could not open {url}: no response within the load budget."
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return f"Could not open {url}: {first}"


def _now() -> datetime:
    return datetime.now(UTC)


def rfc3339(moment: datetime) -> str:
    """``2026-11-25T13:22:27.123Z`` (UTC, milliseconds)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _dist_version(name: str) -> str:
    try:
        return importlib_metadata.version(name)
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


class Capturer:
    """Runs captures in a shared :class:`BrowserSession`, one fresh context per capture."""

    def __init__(
        self,
        session: BrowserSession,
        options: CaptureOptions,
        listener: Listener | None = None,
        *,
        record_catalog: bool = True,
    ) -> None:
        self.session = session
        self.options = options
        self.listener = listener
        #: False when the caller records results itself (batches, with their batch id)
        self.record_catalog = record_catalog

    async def capture(self, url: str, *, capture_id: str | None = None,
                      record: RecordOptions | None = None) -> CaptureResult:
        """Capture one URL; never raises for capture problems (they are in the result).

        ``record`` replaces ``options.record`` for this capture (batch rows carry their own
        title, case, archivist).
        """
        run = _CaptureRun(self, url, capture_id or str(uuid.uuid4()),
                          record or self.options.record)
        result = await run.run()
        if self.record_catalog:
            await asyncio.to_thread(record_in_catalog, self.options, result)
        return result


class _CaptureRun:
    """State of one capture while it runs."""

    def __init__(self, capturer: Capturer, url: str, capture_id: str,
                 record: RecordOptions) -> None:
        self.capturer = capturer
        self.session = capturer.session
        self.options = capturer.options
        self.listener = capturer.listener
        self.requested_url = url
        self.url = url
        self.record = record
        self.result = CaptureResult(url=url, capture_id=capture_id)
        self.started = _now()
        self.deadline = time.monotonic() + self.options.capture_timeout_s
        self.context: BrowserContext | None = None
        self.page: Page | None = None
        self.cdp: CDPSession | None = None
        self.recorder: NetworkRecorder | None = None
        self.writer: CaptureWarcWriter | None = None
        self.adapter: SiteAdapter | None = None
        self.builder: PackageBuilder | None = None
        self.screenshot: ScreenshotInfo | None = None
        self.overlays: list[dict[str, Any]] = []
        self.popups: list[str] = []
        #: downloads the page started, refused (nothing is saved on the archivist's machine)
        self.downloads: list[dict[str, str]] = []
        self.dialogs: list[str] = []
        self.crashed = False
        #: the renderer stopped answering (an endless script): page steps fail at once
        self.hung = False
        self.main_status: int | None = None
        self.login_wall: str | None = None
        self.expand_stopped: str | None = None
        self.redactor = HeaderRedactor(enabled=not self.options.keep_credentials,
                                       learn_secrets=self.options.profile is not None)
        self.warc_sha256 = ""
        #: the logged-out view captured alongside a logged-in one (``--also-public``)
        self.public_view: dict[str, Any] | None = None
        self.guard: NetworkGuard | None = None
        self.proxy: GuardProxy | None = None
        self.proxy_used: str | None = None
        self.proxy_problem: str | None = None
        self.pw_finished: list[Any] = []
        self.grace_deadline: float | None = None
        #: main-frame URLs the page navigated to by itself after the capture's navigation
        self.self_navigations: list[str] = []

    # -- helpers --------------------------------------------------------------------------
    def _safe(self, url: str) -> str:
        """``url`` as it may be stored: token-like query values redacted in logged-in
        captures (the WARC's own records are redacted the same way)."""
        return self.redactor.url(url, count=False) if url else url

    def _safe_list(self, items: list[dict[str, str]]) -> list[dict[str, str]]:
        return [{**item, "url": self._safe(item.get("url", ""))} for item in items]

    def _blocked(self) -> list[dict[str, str]]:
        """Requests refused for the private-network rule: first requests seen by the route
        guard, then what only the guard proxy saw (redirect hops, other connections)."""
        listed = list(self.guard.blocked) if self.guard else []
        seen = {item["url"] for item in listed}
        for item in self.proxy.blocked if self.proxy else []:
            if item["url"] not in seen:
                seen.add(item["url"])
                listed.append(item)
        return listed

    def emit(self, event: Event) -> None:
        safe_emit(self.listener, event)

    def note(self, text: str) -> None:
        self.emit(CaptureMessage(self.result.capture_id, text))

    def warn(self, text: str) -> None:
        self.result.warnings.append(text)
        self.note(text)

    def remaining_s(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def budget(self, step_budget_s: float) -> float:
        return max(0.0, min(step_budget_s, self.remaining_s()))

    async def step(
        self,
        name: str,
        fn: Callable[[float], Awaitable[str | None]],
        *,
        budget_s: float,
        required: bool = False,
        always_run: bool = False,
        uses_page: bool = False,
    ) -> StepReport:
        """Run one named step within its budget and record a report.

        ``uses_page``: the step runs script in the page; it fails at once, without using its
        budget, when the renderer is hung (a busy-looping script would hold it to the end).
        """
        report = StepReport(name=name)
        self.result.steps.append(report)
        code = "crashed" if self.crashed else "browser"
        self.result.retryable = False
        if self.remaining_s() <= 0 and not always_run:
            report.message = "overall capture budget used up"
            self.warn(f"Step '{name}' skipped: the overall capture budget "
                      f"({self.options.capture_timeout_s:.0f} s) was used up.")
            return report
        # steps that always run get their budget even after the overall deadline, up to a
        # grace period: a PARTIAL package still needs its screenshot and provenance
        if always_run:
            # one grace period, shared by all always-run steps, once the budget is used up
            if self.remaining_s() <= 0 and self.grace_deadline is None:
                self.grace_deadline = time.monotonic() + ALWAYS_RUN_GRACE_S
            grace = (max(0.0, self.grace_deadline - time.monotonic())
                     if self.grace_deadline is not None else budget_s)
            budget = max(self.budget(budget_s), min(budget_s, grace), 1.0)
        else:
            budget = self.budget(budget_s)
        report.started_at = rfc3339(_now())
        self.emit(StepStarted(self.result.capture_id, name))
        t0 = time.monotonic()
        try:
            if uses_page and not await self._renderer_alive():
                raise StepFailed(HUNG_MESSAGE, "hung")
            async with asyncio.timeout(budget):
                message = await fn(budget)
            report.status = StepStatus.OK
            report.message = message or ""
        except BudgetExceeded as exc:
            report.status = StepStatus.BUDGET
            report.message = str(exc)
        except TimeoutError:
            report.status = StepStatus.BUDGET
            report.message = f"stopped after its {budget:.0f} s budget"
        except (StepFailed, SomecaptureError) as exc:
            report.status = StepStatus.FAILED
            report.message = str(exc)
            code = getattr(exc, "code", "capture")
            self.result.retryable = bool(getattr(exc, "retryable", False))
        except PlaywrightError as exc:
            report.status = StepStatus.FAILED
            self.result.retryable = True  # browser trouble (crash, closed target): try again
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            report.message = "the page crashed" if self.crashed else f"browser error: {first}"
        report.duration_s = round(time.monotonic() - t0, 3)
        self.emit(StepFinished(self.result.capture_id, name, report.status.value,
                               report.message, report.duration_s))
        if report.status is StepStatus.BUDGET and uses_page and not always_run:
            # a page step that ran out of time: find out now whether the page is hung rather
            # than let every later step wait out its budget too
            await self._renderer_alive()
        if report.status is not StepStatus.OK:
            if required:
                if report.status is StepStatus.BUDGET:
                    # a required step cut short (the page never loaded) is no capture at all
                    self.result.retryable = True
                    raise StepFailed(f"{name}: {report.message}; nothing was published.",
                                     "timeout")
                raise StepFailed(report.message, code)
            if report.status is StepStatus.BUDGET:
                self.warn(f"{name}: {report.message}")
            elif report.status is StepStatus.FAILED:
                self.warn(f"{name} failed: {report.message}")
        return report

    async def _renderer_alive(self) -> bool:
        """Whether the page still runs script (False once it was found hung or crashed)."""
        if self.hung or self.crashed:
            return False
        if self.page is None:
            return True
        wait_s = max(LIVENESS_MIN_S, min(LIVENESS_TIMEOUT_S, self.remaining_s()))
        try:
            await asyncio.wait_for(self.page.evaluate("1"), wait_s)
        except TimeoutError:
            self.hung = True
            self.note(f"The page stopped responding for {wait_s:.0f} s (a script runs "
                      "without end).")
            return False
        except PlaywrightError:
            return True  # closed or navigating: the step itself will say what happened
        return True

    # -- the capture ----------------------------------------------------------------------
    async def run(self) -> CaptureResult:
        self.emit(CaptureStarted(self.result.capture_id, self.requested_url))
        # what the archivist asked for, kept also when the capture fails (catalogue, app)
        self.result.registration = {k: v for k, v in (
            ("title", self.record.title), ("case", self.record.case),
            ("archivist", self.record.archivist)) if v}
        try:
            self.url = normalize_url(self.requested_url)
            # logged in, token-like URL parameters never reach the record (see _safe)
            self.result.url = self._safe(self.requested_url)
            out_dir = self.options.out_dir or default_out_dir()
            self.builder = PackageBuilder(out_dir, self.result.capture_id, self._safe(self.url),
                                          self.started)
            self.builder.prepare()
            await self._record_page()
            if self.options.also_public and self.options.profile:
                await self.step("public-view", self._public_view,
                                budget_s=self.options.capture_timeout_s / 2)
            await self._package()
        except (StepFailed, SomecaptureError) as exc:
            self._fail(str(exc), getattr(exc, "code", "capture"))
        except asyncio.CancelledError:
            self._fail("The capture was cancelled.", "cancelled")
            await self._cleanup()
            raise
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS):
                self._fail(_disk_message(exc), "disk")
            else:
                log.exception("file error capturing %s", self.url)
                self._fail(f"A file could not be written ({exc}). Nothing was published.",
                           "disk")
        except Exception as exc:  # noqa: BLE001 - a bug must not lose the batch; log it whole
            log.exception("unexpected error capturing %s", self.url)
            self._fail(f"Unexpected error ({type(exc).__name__}: {exc}). "
                       "This is a bug in somecapture; the log file has details.", "internal")
        finally:
            await self._cleanup()
        self.emit(CaptureFinished(
            self.result.capture_id, self.requested_url, self.result.status.value,
            str(self.result.package) if self.result.package else None, self.result.error,
        ))
        return self.result

    def _fail(self, message: str, code: str) -> None:
        self.result.status = CaptureStatus.FAILED
        self.result.error = message
        self.result.error_code = code
        self.result.package = None

    async def _cleanup(self) -> None:
        # each part in its own finally: a second cancellation while the browser context
        # closes must still stop the proxy and give up the staging folder and its lock
        try:
            await self._close_browser_side()
        finally:
            try:
                if self.proxy is not None:
                    await self.proxy.close()
            finally:
                if self.builder is not None:
                    if self.result.status is CaptureStatus.FAILED:
                        self.builder.discard()
                    self.builder.release()

    async def _close_browser_side(self) -> None:
        if self.recorder is not None:
            try:
                await self.recorder.stop(timeout_s=2.0)
            except Exception:  # noqa: BLE001
                log.debug("recorder stop failed", exc_info=True)
        if self.writer is not None:
            try:
                self.writer.close()
            except OSError as exc:  # a full disk: the capture already failed or fails now
                if self.result.status is not CaptureStatus.FAILED or not self.result.error:
                    self._fail(_disk_message(exc), "disk")
        if self.context is not None:
            try:
                await self.context.close()
            except PlaywrightError:
                pass
            self.context = None

    async def _record_page(self) -> None:
        assert self.builder is not None
        o = self.options
        state = None
        if o.profile:
            state = await self.session.profile_state(o.profile)
            for value in _state_secrets(state):
                self.redactor.add_secret(value)
            self.note(f"Logged in with profile {o.profile}")
        # every connection of the capture goes through its own guard proxy: each redirect
        # hop and worker request is checked, and connected to the address that was checked
        upstream: str | None
        bypass: Callable[[str], bool] | None
        if o.proxy:
            upstream, bypass = o.proxy, None
        else:
            # no proxy configured: the one this computer is set up with, as the browser
            # itself would use it (environment, Windows or macOS settings)
            upstream, bypass, problem = system_proxy()
            if problem:
                self.note(problem)
                self.proxy_problem = problem
        self.proxy_used = redact_url_credentials(upstream) if upstream else None
        login = ("somecapture", secrets.token_urlsafe(18))
        self.redactor.add_secret(login[1])  # never in a package, even if a header leaked
        self.proxy = GuardProxy(allow_private=o.allow_private_network, upstream=upstream,
                                bypass=bypass, login=login)
        await self.proxy.start()
        self.context = await self.session.new_context(self.proxy.url, login,
                                                      storage_state=state)
        self.guard = NetworkGuard(o.allow_private_network)
        await self.guard.install(self.context)
        self.context.on("page", self._on_popup)
        # Playwright sees workers' and out-of-process frames' requests that the page's own
        # CDP session does not; they are recorded from here after the capture
        self.context.on("requestfinished", lambda request: self.pw_finished.append(request))
        self.page = await self.context.new_page()
        self.page.on("crash", self._on_crash)
        self.page.on("framenavigated", self._on_frame_navigated)
        self.page.on("dialog", self._on_dialog)
        self.page.on("download", self._on_download)
        self.cdp = await self.context.new_cdp_session(self.page)
        self.writer = CaptureWarcWriter(self.builder.warc_path, self._warcinfo())
        self.recorder = NetworkRecorder(
            self.cdp, self.writer,
            max_capture_bytes=o.max_capture_bytes,
            stream_threshold_bytes=o.stream_body_threshold_bytes,
            spool_dir=self.builder.staging,
            redactor=self.redactor,
            address_of=self.proxy.address_of,
        )
        await self.recorder.start()

        await self.step("navigate", self._navigate, budget_s=o.load_timeout_s + 5, required=True)
        await self.step("settle", self._settle, budget_s=o.settle_timeout_s)
        await self.step("dismiss-overlays", self._dismiss_overlays, budget_s=20, uses_page=True)
        await self.step("expand-thread", self._expand, budget_s=o.expand_timeout_s,
                        uses_page=True)
        if o.profile:
            await self.step("check-logged-in", self._check_logged_in, budget_s=10, required=True,
                            uses_page=True)
        await self.step("dismiss-overlays-again", self._dismiss_overlays, budget_s=15,
                        uses_page=True)
        await self.step("load-lazy-media", self._lazy_media, budget_s=o.lazy_media_timeout_s,
                        uses_page=True)
        await self.step("screenshot", self._screenshot, budget_s=o.screenshot_timeout_s,
                        always_run=True, uses_page=True)
        await self.step("extract-thread", self._extract, budget_s=30, always_run=True,
                        uses_page=True)
        if self.hung:
            # nothing to publish without a screenshot (and the renderer holds the response
            # bodies, so recording cannot finish); a page stuck once may be fine next time
            self.result.retryable = True
            raise StepFailed(f"The capture failed: {HUNG_MESSAGE}. Nothing was published.",
                             "hung")
        # a tab that crashed already: finishing the recording would wait ~13 s for requests
        # a dead renderer never finishes, only to publish nothing
        self._fail_if_crashed()
        await self.step("finish-recording", self._finish_recording, budget_s=30,
                        always_run=True)
        self._fail_if_crashed()
        if self.screenshot is None:
            raise StepFailed("No screenshot could be taken; nothing was published.", "screenshot")

    def _fail_if_crashed(self) -> None:
        if self.crashed:
            self.result.retryable = True
            raise StepFailed("The browser tab crashed during the capture; nothing was published.",
                             "crashed")

    # -- browser event handlers -----------------------------------------------------------
    def _on_crash(self, _page: Page) -> None:
        self.crashed = True
        self.note("The browser tab crashed.")

    def _on_frame_navigated(self, frame: Any) -> None:
        if self.page is None or frame != self.page.main_frame or self.main_status is None:
            return
        url = frame.url
        if url and url != "about:blank" and self._safe(url) != self.result.final_url:
            self.self_navigations.append(self._safe(url))

    def _on_dialog(self, dialog: Any) -> None:
        # alert/confirm/prompt/beforeunload would block the page: dismiss and record
        self.dialogs.append(f"{dialog.type}: {str(dialog.message)[:200]}")
        asyncio.ensure_future(_dismiss_dialog(dialog))

    def _on_download(self, download: Any) -> None:
        # the context refuses downloads (accept_downloads=False); the archivist still needs
        # to know the page offered one: it may be the attachment the post is about
        self.downloads.append({
            "url": self._safe(download.url)[:500],
            "filename": str(download.suggested_filename)[:255],
            "reason": "download refused: files the page offers are not saved during a capture",
        })
        self.note(f"Download refused: {str(download.suggested_filename)[:120]}")

    def _on_popup(self, page: Page) -> None:
        if page is self.page or self.page is None:
            return
        self.popups.append(page.url)
        asyncio.ensure_future(_close_quietly(page))

    # -- steps ----------------------------------------------------------------------------
    async def _navigate(self, budget: float) -> str:
        assert self.page is not None and self.recorder is not None
        started = time.monotonic()
        try:
            response = await self._goto_unless_document_fails(
                min(budget, self.options.load_timeout_s))
        except PlaywrightError as exc:
            cause: Exception = exc
            failure = None
            if self.proxy is not None and any(code in str(exc) for code in _PROXY_MASKED):
                # through the guard proxy the browser only sees "tunnel failed" or an empty
                # response; the proxy knows what really happened (DNS, refused, private…) to
                # the page's own request (its first URL or a redirect hop)
                failure = self.proxy.first_failure_since(
                    started, self.recorder.main_chain or [self.url])
            if failure is not None:
                cause = Exception(f"net::{failure.net_error}")
            message = explain_navigation_error(self.url, cause)
            if failure is not None and failure.detail:
                message = f"{message.removesuffix('.')} — {failure.detail[:300]}."
            if not self.options.proxy:
                # the proxy in question is the computer's own, not a --proxy
                message = message.replace("(check --proxy)", "(check the proxy settings)")
            error = NavigationError(message, retryable=is_transient(cause))
            error.code = navigation_error_code(cause)
            raise error from None
        final_url = self.page.url
        self.result.final_url = self._safe(final_url)
        if final_url.startswith("chrome-error://"):
            raise NavigationError(f"Could not open {self.url}: the browser showed an error page.")
        if response is None:
            raise NavigationError(f"Could not open {self.url}: no response was received.")
        self.main_status = response.status
        if response.status >= 400:
            http_error = NavigationError(
                f"The server answered {response.status} {response.status_text or ''} for "
                f"{final_url}. An error page is not a capture of the post; check the URL "
                "(the post may have been deleted or made private)."
                .replace("  ", " "),
                retryable=response.status in (429, 500, 502, 503, 504),
            )
            http_error.code = "http_error"
            raise http_error
        try:
            await self.page.wait_for_load_state("load", timeout=max(1.0, self.budget(
                self.options.load_timeout_s)) * 1000)
        except PlaywrightTimeoutError:
            self.warn("The page did not finish loading (load event) within the load budget; "
                      "continuing with what had loaded.")
        return f"HTTP {response.status}, final URL {self.result.final_url}"

    async def _goto_unless_document_fails(self, timeout_s: float) -> Response | None:
        """``page.goto`` that ends as soon as the page's own request fails.

        A document cut off after its headers (a reset) never reaches DOMContentLoaded, and
        the browser would keep ``goto`` waiting for the whole load budget; the recorder sees
        the failure at once.
        """
        assert self.page is not None and self.recorder is not None
        goto = asyncio.ensure_future(self.page.goto(
            self.url, wait_until="domcontentloaded", timeout=timeout_s * 1000))
        failed = asyncio.ensure_future(self.recorder.main_failed.wait())
        try:
            await asyncio.wait({goto, failed}, return_when=asyncio.FIRST_COMPLETED)
        except BaseException:
            # cancelled (budget, user): take the navigation down too, quietly
            goto.cancel()
            with contextlib.suppress(BaseException):
                await goto
            raise
        finally:
            failed.cancel()
        if goto.done():
            return goto.result()
        goto.cancel()
        with contextlib.suppress(asyncio.CancelledError, PlaywrightError):
            await goto
        raise PlaywrightError(f"net::{self.recorder.main_failure.removeprefix('net::')}")

    async def _wait_network_idle(self, budget: float) -> bool:
        assert self.recorder is not None
        idle_s = self.options.network_idle_ms / 1000
        deadline = time.monotonic() + budget
        while time.monotonic() < deadline:
            if self.recorder.idle_for_s() >= idle_s:
                return True
            await asyncio.sleep(0.05)
        return False

    async def _settle(self, budget: float) -> str:
        # stop waiting just before the step's own timeout: a busy network is not a failure
        quiet = await self._wait_network_idle(max(0.0, budget - 0.25))
        # the page may keep polling or hold a websocket: that is normal, not a defect
        return "network idle" if quiet else "network still busy; continuing"

    async def _ensure_adapter(self) -> SiteAdapter:
        assert self.page is not None
        if self.adapter is None:
            self.adapter = await adapter_for_page(self.url, self.page, self.options.site)
            self.note(f"Site adapter: {self.adapter.name} ({self.adapter.platform})")
        return self.adapter

    async def _dismiss_overlays(self, budget: float) -> str:
        assert self.page is not None
        adapter = await self._ensure_adapter()
        actions = await adapter.dismiss_overlays(self.page)
        if actions:
            self.overlays.extend(actions)
            await self._wait_network_idle(min(3.0, budget / 2))
            # consent managers often open a second layer or a login nag after the first click
            more = await adapter.dismiss_overlays(self.page)
            self.overlays.extend(more)
            actions += more
        return "; ".join(f"{a['action']} {a['kind']}: {a['detail']}" for a in actions) or "none"

    async def _expand(self, budget: float) -> str:
        assert self.page is not None
        adapter = await self._ensure_adapter()
        deadline = time.monotonic() + budget
        max_actions = self.options.expand_max_actions
        actions = 0
        rounds = 0
        stable = 0
        last_height = -1
        last_items = -1
        clicked_total: dict[str, int] = {}
        while True:
            if time.monotonic() >= deadline - 1:
                self.expand_stopped = "time budget (expand_timeout_s) reached"
                raise BudgetExceeded(
                    f"thread expansion stopped after {budget:.0f} s with content still loading "
                    f"({actions} actions); some replies may be missing"
                )
            if actions >= max_actions:
                self.expand_stopped = "action limit (expand_max_actions) reached"
                raise BudgetExceeded(
                    f"thread expansion stopped after {actions} actions (expand_max_actions); "
                    "some replies may be missing"
                )
            r = await adapter.expand_round(self.page)
            rounds += 1
            actions += max(1, len(r.clicked))
            for label in r.clicked:
                clicked_total[label] = clicked_total.get(label, 0) + 1
            # give scroll/click handlers time to react (debounced scroll listeners,
            # IntersectionObserver callbacks) before judging whether the network is quiet
            await asyncio.sleep(EXPAND_REACTION_S)
            await self._wait_network_idle(min(5.0, max(0.5, deadline - time.monotonic() - 1)))
            grew = r.height != last_height or r.items != last_items
            last_height, last_items = r.height, r.items
            if not r.clicked and not grew:
                stable += 1
                if stable >= 2:
                    break
            else:
                stable = 0
        await self._note_login_wall(adapter)
        summary = ", ".join(f"'{k}' ×{v}" for k, v in clicked_total.items()) or "no clicks"
        return f"{rounds} rounds; clicked {summary}"

    async def _note_login_wall(self, adapter: SiteAdapter) -> None:
        """Record, and warn about, the first login wall seen on the page."""
        assert self.page is not None
        if self.login_wall is not None:
            return
        wall = await adapter.login_wall(self.page)
        if wall:
            self.login_wall = wall
            self.warn(f"The platform shows a {wall}; replies behind it were not captured.")

    async def _check_logged_in(self, budget: float) -> str:
        """With a profile, a login wall means the session expired: never a silent public
        capture passed off as a logged-in one."""
        assert self.page is not None
        adapter = await self._ensure_adapter()
        wall = await adapter.logged_out(self.page)
        if wall:
            raise StepFailed(
                f"Profile {self.options.profile!r} is not logged in on this site any more "
                f"(the page shows a {wall}). Log in again with `somecapture login "
                f"{self.options.profile}`, then capture again.", "profile_logged_out")
        return f"logged in (profile {self.options.profile})"

    async def _public_view(self, budget: float) -> str:
        """Capture the same URL logged out, in a fresh context, into ``data/public/``: what
        any citizen could see, next to what the agency's account saw."""
        assert self.builder is not None
        work = self.builder.staging / "public-view-work"
        options = self.options.with_changes(profile=None, also_public=False, out_dir=work)
        sub = _CaptureRun(Capturer(self.session, options, None, record_catalog=False),
                          self.url, str(uuid.uuid4()), self.record)
        sub.url = self.url
        sub.builder = PackageBuilder(work, sub.result.capture_id, self.url, _now())
        sub.builder.prepare()
        try:
            await sub._record_page()
            target = self.builder.data_dir / "public"
            target.mkdir()
            (sub.builder.data_dir / WARC_NAME).rename(target / WARC_NAME)
            (sub.builder.data_dir / SCREENSHOT_NAME).rename(target / SCREENSHOT_NAME)
        finally:
            sub.result.status = CaptureStatus.PARTIAL  # keep cleanup from reporting failure
            await sub._cleanup()
            sub.builder.release()
            bag.discard(work)
        replies = len((sub.result.thread or {}).get("replies") or [])
        self.public_view = {
            "final_url": sub.result.final_url,
            "warc_sha256": sub.warc_sha256,
            "thread": sub.result.thread,
            "completeness": sub.result.completeness,
            "warnings": sub.result.warnings,
            "steps": [r.to_json() for r in sub.result.steps],
        }
        return f"public view: {replies} replies visible without logging in"

    async def _lazy_media(self, budget: float) -> str:
        """Scroll through the page a viewport at a time so lazy images load, then wait."""
        assert self.page is not None
        step = self.options.viewport_height_px
        height = int(await self.page.evaluate("document.scrollingElement.scrollHeight"))
        deadline = time.monotonic() + budget
        y = 0
        while y < height and time.monotonic() < deadline - 1:
            await self.page.evaluate("y => window.scrollTo(0, y)", y)
            await asyncio.sleep(0.05)
            y += step
            height = int(await self.page.evaluate("document.scrollingElement.scrollHeight"))
        pending = await self.page.evaluate(_WAIT_IMAGES_JS, max(0.5, deadline - time.monotonic()
                                                                - 0.5) * 1000)
        await self._wait_network_idle(max(0.0, min(3.0, deadline - time.monotonic())))
        await self.page.evaluate("window.scrollTo(0, 0)")
        if pending:
            raise BudgetExceeded(f"{pending} image(s) had not loaded when the budget ran out")
        return "all images loaded"

    async def _screenshot(self, budget: float) -> str:
        assert self.page is not None and self.cdp is not None and self.builder is not None
        if self.crashed:
            raise StepFailed("the page crashed")
        adapter = await self._ensure_adapter()
        if self.self_navigations:
            # the page left the post by itself: say so, and name what is captured
            self.warn(f"The page navigated away by itself to {self.self_navigations[-1]}; the "
                      "screenshot and extract show that page, the WARC holds both.")
            self.result.final_url = self.self_navigations[-1]
            self.self_navigations.clear()
        await adapter.before_screenshot(self.page)
        await self.page.evaluate("window.scrollTo(0, 0)")
        self.screenshot = await full_page_png(
            self.page, self.cdp, self.builder.data_dir / SCREENSHOT_NAME,
            self.options.viewport_width_px,
        )
        s = self.screenshot
        if s.clipped:
            self.warn(f"The page is {s.page_height_px:,} px tall; the screenshot was cut at "
                      f"{s.height_px:,} px.")
        return f"{s.width_px}×{s.height_px} px in {s.segments} segment(s)"

    async def _extract(self, budget: float) -> str:
        assert self.page is not None
        if self.crashed:
            raise StepFailed("the page crashed")
        adapter = await self._ensure_adapter()
        data = await adapter.extract(self.page)
        for part in (data.get("root"), data.get("page")):
            if isinstance(part, dict) and isinstance(part.get("url"), str):
                part["url"] = self._safe(part["url"])
        root = data.get("root")
        replies = data.get("replies") or []
        # a 200 page that only says the post is gone: its metadata is not the post
        unavailable = None if replies else await adapter.unavailable(self.page)
        if unavailable:
            root = None
        self.result.thread = {
            "platform": data.get("platform"),
            "adapter": data.get("adapter"),
            "source": None if unavailable else data.get("source"),
            "root": root,
            "replies": replies,
            "page": data.get("page"),
        }
        reported = data.get("reported") or {}
        missing: list[dict[str, Any]] = []
        self.result.completeness = {
            "reported": reported,
            "captured_replies": len(replies),
            "missing": missing,
        }
        reported_n = reported.get("comments")
        if reported_n is None:  # 0 is a count, not a missing one
            reported_n = reported.get("replies")
        # the wall may appear only after expansion: check again on the final page
        await self._note_login_wall(adapter)
        if unavailable:
            self.warn(f"The page says the post is not available: \u201c{unavailable}\u201d. "
                      "The package records that page; there was no post or thread to capture.")
            missing.append({"count": reported_n if isinstance(reported_n, int) else None,
                            "reason": f"post unavailable: {unavailable}"})
        elif isinstance(reported_n, int) and reported_n > len(replies):
            if self.expand_stopped:
                reason = f"budget: {self.expand_stopped}"
            elif self.login_wall:
                reason = self.login_wall  # already reads "login wall (…)"
            else:
                reason = "not shown on the page (hidden, deleted or filtered by the platform)"
            missing.append({"count": reported_n - len(replies), "reason": reason})
        elif self.login_wall:
            missing.append({"count": None, "reason": self.login_wall})
        unexpanded = data.get("unexpanded") or []
        for item in unexpanded:
            missing.append({"count": item.get("count"), "reason": item.get("reason"),
                            "where": item.get("where")})
        if unexpanded:
            self.warn(f"{len(unexpanded)} 'more' control(s) were still on the page after "
                      f"expansion (e.g. “{unexpanded[0].get('where')}”): some replies may be "
                      "missing.")
        if unavailable:
            return f"post unavailable: {unavailable}"
        if root is None:
            return "no post found on the page"
        if not replies and reported_n is None and data.get("source") != "selectors":
            return "no comment thread found on the page (root post from page metadata)"
        return f"root post and {len(replies)} replies" + (
            f" (page reports {reported_n})" if reported_n is not None else "")

    async def _finish_recording(self, budget: float) -> str:
        assert self.recorder is not None and self.writer is not None
        assert self.builder is not None and self.page is not None
        await self._wait_network_idle(min(2.0, budget / 4))
        await self.recorder.stop(timeout_s=budget / 2)
        missed = await self.recorder.record_missed(self.pw_finished)
        if missed:
            self.note(f"{missed} request(s) from workers or separate frames recorded.")
        stats = self.recorder.stats
        lost = [t for t in stats.truncated if "byte cap" not in t["reason"]]
        if lost:
            self.warn(f"{len(lost)} response bod{'y' if len(lost) == 1 else 'ies'} could not be "
                      f"recorded whole (first: {self._safe(lost[0]['url'])[:120]}: "
                      f"{lost[0]['reason']}).")
        if self.recorder.budget_exceeded:
            self.warn(f"The capture reached its size cap ({self.options.max_capture_bytes:,} "
                      f"bytes); {len(stats.truncated)} response(s) were truncated.")
        if stats.failed:
            self.note(f"{len(stats.failed)} request(s) failed or did not finish.")
        page_url = self.result.final_url or self._safe(self.url)
        shot = self.builder.data_dir / SCREENSHOT_NAME
        if shot.exists():
            self.writer.write_resource(
                f"urn:somecapture:{self.result.capture_id}:screenshot.png", "image/png", shot,
                refers_to_uri=page_url,
            )
        self.writer.write_metadata(
            f"urn:somecapture:{self.result.capture_id}:provenance",
            self.provenance(), refers_to_uri=page_url,
        )
        self.writer.close()
        self.warc_sha256 = self.writer.sha256_hex()
        if self.redactor.enabled and self.redactor.learn_secrets:
            # secrets learned late (a token first seen after the page holding it was
            # written) are removed from every record in a second pass
            self.warc_sha256 = await asyncio.to_thread(
                redact_warc, self.builder.warc_path, self.redactor)
        return f"{self.writer.record_count} WARC records, {self.writer.size_bytes:,} bytes"

    # -- provenance -----------------------------------------------------------------------
    def _warcinfo(self) -> dict[str, str]:
        s = self.session
        return {
            "software": f"somecapture/{__version__} (+playwright/{_dist_version('playwright')}"
            f", warcio/{_dist_version('warcio')})",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
            "warc-format/warc-1.1/",
            "description": f"somecapture capture {self.result.capture_id} of "
            f"{self._safe(self.url)}",
            "browser": f"{s.choice.describe() if s.choice else ''}; version {s.version}",
            "http-header-user-agent": s.user_agent,
            "operating-system": f"{platform.system()} {platform.release()} "
            f"({platform.machine()})",
            "http-bodies": "as decoded by the browser: Content-Encoding and Transfer-Encoding "
            "removed, Content-Length set to the stored length",
            "redaction": "session secrets replaced by " + (
                "REDACTED-BY-SOMECAPTURE" if self.redactor.enabled else "nothing (kept on request)"
            ),
        }

    def provenance(self) -> dict[str, Any]:
        """Everything about how the capture was made (no secrets)."""
        s = self.session
        stats = self.recorder.stats if self.recorder else None
        return {
            "capture_id": self.result.capture_id,
            "tool": {"name": "somecapture", "version": __version__},
            "started_at": rfc3339(self.started),
            "requested_url": self._safe(self.requested_url),
            "normalized_url": self._safe(self.url),
            "final_url": self.result.final_url,
            "main_document_status": self.main_status,
            "browser": {
                "found_as": s.choice.how if s.choice else None,
                "executable": (s.choice.executable or s.choice.channel) if s.choice else None,
                "version": s.version,
                "user_agent": s.user_agent,
                "headless": self.options.headless,
            },
            "environment": {
                "os": f"{platform.system()} {platform.release()}",
                "machine": platform.machine(),
                "python": sys.version.split()[0],
                "playwright": _dist_version("playwright"),
                "warcio": _dist_version("warcio"),
            },
            "options": self.options.for_provenance(),
            "adapter": self.adapter.name if self.adapter else None,
            "overlays": self.overlays,
            "dialogs_dismissed": self.dialogs,
            "popups_closed": [self._safe(u) for u in self.popups],
            "downloads_refused": self.downloads[:200],
            "network": {
                "requests": stats.requests,
                "responses_recorded": stats.responses_written,
                "body_bytes": stats.body_bytes,
                "streamed_bodies": stats.streamed,
                "failed": self._safe_list(stats.failed[:200]),
                "blocked": self._safe_list(self._blocked()[:200]),
                # every connection went through somecapture's guard proxy, then this one
                "upstream_proxy": self.proxy_used,
                "upstream_proxy_problem": self.proxy_problem,
                # all of them, also beyond the 200 listed
                "blocked_total": len(self._blocked())
                + (self.proxy.blocked_dropped if self.proxy else 0),
                "truncated": self._safe_list(stats.truncated[:200]),
            } if stats else {},
            "redaction": self.redactor.report(),
            "session": {
                "logged_in": self.options.profile is not None,
                "profile": self.options.profile,
                "credentials_kept": self.options.keep_credentials,
            },
            "screenshot": (
                {"width_px": self.screenshot.width_px, "height_px": self.screenshot.height_px,
                 "page_height_px": self.screenshot.page_height_px,
                 "segments": self.screenshot.segments}
                if self.screenshot else None
            ),
            "steps": [r.to_json() for r in self.result.steps],
        }

    # -- packaging ------------------------------------------------------------------------
    async def _package(self) -> None:
        assert self.builder is not None and self.writer is not None
        degraded = any(r.status is not StepStatus.OK for r in self.result.steps)
        self.result.status = CaptureStatus.PARTIAL if (degraded or self.result.warnings) \
            else CaptureStatus.COMPLETE
        report = StepReport(name="package")
        self.result.steps.append(report)
        self.emit(StepStarted(self.result.capture_id, "package"))
        t0 = time.monotonic()
        report.started_at = rfc3339(_now())
        self.result.provenance = self.provenance()
        # packaging is CPU and disk work (hashing, PDF, validation): keep the event loop free
        secrets = set(self.redactor.secrets) if self.redactor.enabled else set()
        task = asyncio.ensure_future(asyncio.to_thread(
            self.builder.build_and_publish, self.result, self.warc_sha256, self.options,
            self.record, secrets, self.public_view,
        ))
        try:
            package = await asyncio.shield(task)
        except asyncio.CancelledError:
            # the packaging thread cannot be interrupted: tell it not to publish, wait for it,
            # and report the truth (published before the cancel arrived, or not at all)
            self.builder.cancel.set()
            with contextlib.suppress(Exception):
                await task
            if self.builder.published is None:
                raise
            package = self.builder.published
        report.status = StepStatus.OK
        report.duration_s = round(time.monotonic() - t0, 3)
        report.message = str(package)
        self.result.package = package
        self.emit(StepFinished(self.result.capture_id, "package", "ok", str(package),
                               report.duration_s))


_WAIT_IMAGES_JS = """async (ms) => {
  const deadline = Date.now() + ms;
  const pending = () => [...document.images].filter(i => i.src && !i.complete).length;
  while (pending() > 0 && Date.now() < deadline) await new Promise(r => setTimeout(r, 100));
  return pending();
}"""


def _disk_message(exc: OSError) -> str:
    what = "The disk is full" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else (
        "The output folder is read-only" if exc.errno == errno.EROFS
        else "A file grew larger than this system allows")
    return (f"{what} ({exc.strerror or exc}); nothing was published. Free some space or "
            "choose another output folder, then capture again.")


def _state_secrets(state: dict[str, Any]) -> list[str]:
    """Secret values of a profile's storage state: cookie values and token-like local storage
    values (a value without spaces, 16+ characters)."""
    values = [str(c.get("value", "")) for c in state.get("cookies", [])]
    for origin in state.get("origins", []):
        for item in origin.get("localStorage", []):
            value = str(item.get("value", ""))
            if len(value) >= 16 and " " not in value:
                values.append(value)
    return values


async def _dismiss_dialog(dialog: Any) -> None:
    try:
        await dialog.dismiss()
    except PlaywrightError:
        pass


async def _close_quietly(page: Page) -> None:
    try:
        await page.close()
    except PlaywrightError:
        pass


async def capture_url(
    url: str, options: CaptureOptions, listener: Listener | None = None,
    record: RecordOptions | None = None,
) -> CaptureResult:
    """Capture one URL with its own browser session (for one-off use and scripts).

    Problems with the URL or the page come back in the result (status FAILED); a missing
    browser raises :class:`~somecapture.errors.BrowserNotFoundError` since no capture can run.
    """
    async with BrowserSession(options) as session:
        return await Capturer(session, options, listener).capture(url, record=record)


def out_dir_for(options: CaptureOptions) -> Path:
    """Where packages go for these options."""
    return options.out_dir or default_out_dir()
