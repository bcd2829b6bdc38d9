"""One recording: a URL opened in a fresh browser context, recorded into a work folder.

The engine records; it does not package, publish or catalogue (that is
:mod:`somecapture.pipeline`). :meth:`PageCapturer.record` opens the page behind the capture's
own guard proxy, runs the steps (navigate → settle → dismiss overlays → expand the thread →
load lazy media → screenshot → extract the thread → finish the WARC → reconcile the thread →
locate its persons on the page) and returns a frozen :class:`~somecapture.models.RecordedPage`:
the closed WARC and screenshot in the work folder, the thread, the step reports, the warnings,
the provenance and where the thread's persons are on the screenshot — or, when nothing can
be published, the same with ``failure`` set.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
import uuid
from collections.abc import Callable
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from somecapture.engine.browser import BrowserSession
from somecapture.engine.guardproxy import GuardProxy, system_proxy
from somecapture.engine.identities import LOCATE_BUDGET_S, locate_persons
from somecapture.engine.netguard import NetworkGuard
from somecapture.engine.page_steps import PageSteps
from somecapture.engine.provenance import provenance, warcinfo
from somecapture.engine.recorder import NetworkRecorder
from somecapture.engine.state import CaptureState, Listener
from somecapture.engine.steps import HUNG_MESSAGE, StepRunner
from somecapture.engine.thread_sources import reconcile_thread
from somecapture.engine.tls import OriginCertificates
from somecapture.errors import (
    DISK_ERRNOS,
    BrowserError,
    InternalError,
    PageHungError,
    ScreenshotError,
    SomecaptureError,
    TabCrashedError,
    disk_error,
)
from somecapture.messages import Msg
from somecapture.models import RecordedPage, StepStatus, WorkFolder
from somecapture.options import CaptureOptions, redact_url_credentials
from somecapture.redact import storage_secrets
from somecapture.warc.rewrite import redact_warc
from somecapture.warc.writer import CaptureWarcWriter

log = logging.getLogger(__name__)

__all__ = ["Listener", "PageCapturer"]

#: the least time worth starting the locate-persons step with
LOCATE_MIN_S = 2.0


class PageCapturer:
    """Records pages in a shared :class:`BrowserSession`, one fresh context per recording."""

    def __init__(self, session: BrowserSession, options: CaptureOptions,
                 listener: Listener | None = None) -> None:
        self.session = session
        self.options = options
        self.listener = listener
        self._closing: set[asyncio.Future[None]] = set()

    async def record(self, requested_url: str, url: str, work: WorkFolder, *,
                     capture_id: str | None = None, close_later: bool = False
                     ) -> RecordedPage:
        """Record ``url`` (the normalized form of ``requested_url``) into ``work``.

        Never raises for problems with the page or the files (they are the result's
        ``failure``); a cancellation closes the browser context and is raised again.
        ``close_later``: after a recording that succeeded, the browser context and the
        proxy close while the caller goes on (nothing recorded depends on them any more:
        the WARC is closed and its digest taken); :meth:`closed` waits for that.
        """
        state = CaptureState(self.session, self.options, self.listener,
                             capture_id or str(uuid.uuid4()), requested_url, url, work)
        recording = _Recording(state, close_later=close_later)
        try:
            return await recording.run()
        finally:
            if recording.closing is not None:
                self._closing.add(recording.closing)

    async def closed(self) -> None:
        """Wait until what recordings left closing (``close_later``) is closed. A cancel (or
        several) does not cut a close short: the context and the proxy must not outlive the
        capture; the cancel is raised once they are closed. A close that failed is logged,
        never raised (the recording it belonged to is whole)."""
        cancelled = False
        while self._closing:
            closing = self._closing.pop()
            while not closing.done():
                try:
                    await asyncio.shield(closing)
                except asyncio.CancelledError:
                    cancelled = True
                except Exception:  # noqa: BLE001 - logged below
                    break
            if not closing.cancelled() and closing.exception() is not None:
                log.warning("closing a recording's browser context failed: %r",
                            closing.exception())
        if cancelled:
            raise asyncio.CancelledError


class _Recording:
    """One recording from browser context to :class:`RecordedPage`."""

    def __init__(self, state: CaptureState, *, close_later: bool = False) -> None:
        self.state = state
        self.runner = StepRunner(state)
        self.steps = PageSteps(state)
        self.failure: SomecaptureError | None = None
        self._close_later = close_later
        #: the context and proxy closing after a recording that succeeded (close_later)
        self.closing: asyncio.Future[None] | None = None

    async def run(self) -> RecordedPage:
        s = self.state
        done = False
        try:
            try:
                await self._open()
            except PlaywrightError as exc:
                # the browser failed while the context was being made (it died, or a
                # profile's state could not be loaded): browser trouble, worth a retry
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
                raise BrowserError(Msg("error.browser_step", detail=first),
                                   retryable=True) from exc
            await self._run_steps()
            done = True
        except SomecaptureError as exc:
            self.failure = exc
        except OSError as exc:
            if exc.errno not in DISK_ERRNOS:
                s.log_failure("file error capturing", exc)
            self.failure = disk_error(exc)
        except Exception as exc:  # noqa: BLE001 - a bug must not lose the batch; log it whole
            s.log_failure("unexpected error capturing", exc)
            self.failure = InternalError(
                Msg("error.internal", error=f"{type(exc).__name__}: {exc}"))
        finally:
            finished = any(r.name == "finish-recording" and r.status is StepStatus.OK
                           for r in s.steps)
            if done and finished and self._close_later and not s.crashed:
                # recorded whole: the WARC is closed and its digest taken, so nothing waits
                # for the context and the proxy to close (tens to hundreds of ms); the
                # capturer's owner waits for it before the capture ends
                self.closing = asyncio.ensure_future(self._close())
            else:
                # also when cancelled: the context and the proxy never outlive the recording
                await self._close()
        return self._recorded()

    def _recorded(self) -> RecordedPage:
        s = self.state
        if not s.provenance:
            # finishing the recording stopped before it wrote the provenance record (budget,
            # browser error): the package still says how the capture was made
            s.provenance = provenance(s)
        return RecordedPage(
            capture_id=s.capture_id,
            requested_url=s.safe(s.requested_url),
            url=s.safe(s.url),
            started_at=s.started,
            work=s.work,
            final_url=s.final_url,
            warc_sha256=s.warc_sha256,
            screenshot=s.screenshot,
            steps=tuple(s.steps),
            warnings=tuple(s.warnings),
            thread=s.thread,
            completeness=s.completeness,
            provenance=s.provenance,
            identities=s.identities,
            secrets=frozenset(s.redactor.secrets) if s.redactor.enabled else frozenset(),
            failure=self.failure,
            retryable=s.retryable if self.failure is not None else False,
        )

    # -- set-up ---------------------------------------------------------------------------
    async def _open(self) -> None:
        """Guard proxy, browser context, page, CDP session, WARC writer and recorder."""
        s = self.state
        o = s.options
        # logged in, token-like query values of the URL are learned as secrets before anything
        # is recorded, so that every record (and every stored URL) has them redacted
        s.safe(s.requested_url)
        s.safe(s.url)
        state = None
        if o.profile:
            state = await s.session.profile_state(o.profile)
            # cookies and local storage of the profile: removed wherever they appear
            s.redactor.add_secrets(storage_secrets(state))
            s.note(Msg("note.logged_in", profile=o.profile))
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
                s.note(problem)
                s.proxy_problem = problem
        s.proxy_used = redact_url_credentials(upstream) if upstream else None
        login = ("somecapture", secrets.token_urlsafe(18))
        s.redactor.add_secret(login[1])  # never in a package, even if a header leaked
        s.proxy = GuardProxy(allow_private=o.allow_private_network, upstream=upstream,
                             bypass=bypass, login=login)
        await s.proxy.start()
        s.context = await s.session.new_context(s.proxy.url, login, options=o,
                                                storage_state=state)
        s.guard = NetworkGuard(o.allow_private_network)
        await s.guard.install(s.context)
        s.context.on("page", self._on_popup)
        # Playwright sees workers' and out-of-process frames' requests that the page's own
        # CDP session does not; they are recorded from here after the capture
        s.context.on("requestfinished", lambda request: s.pw_finished.append(request))
        s.page = await s.context.new_page()
        s.page.on("crash", self._on_crash)
        s.page.on("framenavigated", self._on_frame_navigated)
        s.page.on("dialog", self._on_dialog)
        s.page.on("download", self._on_download)
        s.cdp = await s.context.new_cdp_session(s.page)
        s.work.warc_path.parent.mkdir(parents=True, exist_ok=True)
        s.writer = CaptureWarcWriter(s.work.warc_path, warcinfo(s))
        s.recorder = NetworkRecorder(
            s.cdp, s.writer,
            max_capture_bytes=o.max_capture_bytes,
            stream_threshold_bytes=o.stream_body_threshold_bytes,
            spool_dir=s.work.scratch_dir,
            redactor=s.redactor,
            address_of=s.proxy.address_of,
            raw_head_of=s.proxy.take_head,
        )
        # listening before the first request: every HTTPS origin's chain, asked for once
        s.certificates = OriginCertificates(s.cdp, ignore_https_errors=o.ignore_https_errors)
        await s.certificates.start()
        await s.recorder.start()

    # -- the steps ------------------------------------------------------------------------
    async def _run_steps(self) -> None:
        s, o, run, page = self.state, self.state.options, self.runner.step, self.steps
        await run("navigate", page.navigate, budget_s=o.load_timeout_s + 5, required=True)
        await run("settle", page.settle, budget_s=o.settle_timeout_s)
        await run("dismiss-overlays", page.dismiss_overlays, budget_s=20, uses_page=True)
        await run("expand-thread", page.expand, budget_s=o.expand_timeout_s, uses_page=True)
        if o.profile:
            await run("check-logged-in", page.check_logged_in, budget_s=10, required=True,
                      uses_page=True)
        await run("dismiss-overlays-again", page.dismiss_overlays, budget_s=15, uses_page=True)
        await run("load-lazy-media", page.lazy_media, budget_s=o.lazy_media_timeout_s,
                  uses_page=True)
        await run("screenshot", page.screenshot, budget_s=o.screenshot_timeout_s,
                  always_run=True, uses_page=True)
        await run("extract-thread", page.extract, budget_s=30, always_run=True, uses_page=True)
        shot = next(r for r in s.steps if r.name == "screenshot")
        if s.screenshot is None and not s.hung and shot.status is StepStatus.BUDGET:
            # the screenshot ran out of time: find out (within the evidence grace) whether
            # the page is hung or only slow to lay out and paint, so the failure says which
            await self.runner.renderer_alive(until=self.runner.step_end(evidence=True))
        if s.hung and s.screenshot is None:
            # nothing to publish without a screenshot (and the renderer holds the response
            # bodies, so recording cannot finish); a page stuck once may be fine next time.
            # Stuck after its screenshot, the page is published PARTIAL (the steps it missed
            # are warnings)
            s.retryable = True
            raise PageHungError(Msg("error.hung_failed", reason=HUNG_MESSAGE))
        # a tab that crashed already: finishing the recording would wait ~13 s for requests
        # a dead renderer never finishes, only to publish nothing
        self._fail_if_crashed()
        await run("finish-recording", self._finish_recording, budget_s=30, evidence=True)
        self._fail_if_crashed()
        # the recorded responses are complete only now: the platform's own thread data
        await run("reconcile-thread", lambda budget: reconcile_thread(s, budget), budget_s=30,
                  evidence=True)
        await self._locate_persons()
        if s.screenshot is None:
            if shot.status is StepStatus.BUDGET:
                # a page still being laid out or painted: it may be done next time, or with
                # more time
                s.retryable = True
                raise ScreenshotError(Msg("error.screenshot_out_of_time",
                                          message=shot.message))
            raise ScreenshotError(Msg("error.no_screenshot"))

    async def _locate_persons(self) -> None:
        """Where the merged thread's persons are on the screenshot (the screened variant's
        masks), while the page is still open. Never a warning or a failure: what went wrong
        is kept in ``identities`` for the package to report."""
        s = self.state
        if self.runner.step_end(evidence=True) - time.monotonic() < LOCATE_MIN_S:
            # the runner would skip the step with a warning; the package says it instead
            s.identities = {"error": Msg("persons.error.no_time")}
            return
        await self.runner.step("locate-persons", lambda budget: locate_persons(s, budget),
                               budget_s=LOCATE_BUDGET_S, evidence=True)

    def _fail_if_crashed(self) -> None:
        if self.state.crashed:
            self.state.retryable = True
            raise TabCrashedError(Msg("error.tab_crashed"))

    async def _finish_recording(self, budget: float) -> str:
        """Stop recording, add the screenshot and the provenance, close the WARC."""
        s = self.state
        assert s.recorder is not None and s.writer is not None and s.page is not None
        # the full quiet window since the last network event (no action to count from)
        await self.steps.quiet_watch().full_window(0.0, min(2.0, budget / 4))
        await s.recorder.stop(timeout_s=budget / 2)
        missed = await s.recorder.record_missed(s.pw_finished)
        if missed:
            s.note(Msg("note.missed_requests", count=missed))
        stats = s.recorder.stats
        # (the byte cap has a warning of its own)
        lost = [t for t in stats.truncated
                if getattr(t["reason"], "code", None) != "body.byte_cap"]
        if lost:
            # every one named (the first ten in the warning; all in provenance.network)
            named = [Msg("warning.body_lost_item", url=s.safe(t["url"])[:120],
                         reason=t["reason"]) for t in lost[:10]]
            s.warn(Msg("warning.bodies_lost", count=len(lost), named=named,
                       more=max(0, len(lost) - 10)))
        if s.recorder.budget_exceeded:
            s.warn(Msg("warning.size_cap", bytes=s.options.max_capture_bytes,
                       count=len(stats.truncated)))
        # the browser's own requests (the site's icon for the tab) are not the page's: their
        # failure says nothing about what was archived, so it is not worth a line (the
        # provenance lists every request, these too)
        failed = [f for f in stats.failed if not _browsers_own(str(f.get("url", "")))]
        if failed:
            s.note(Msg("note.requests_failed", count=len(failed)))
        # the page's address again through the redactor: a token the page put there may have
        # been learned only now (from a request the recorder had not finished before)
        s.final_url = s.safe(s.final_url) if s.final_url else None
        page_url = s.final_url or s.safe(s.url)
        if s.work.screenshot_path.exists():
            s.writer.write_resource(
                f"urn:somecapture:{s.capture_id}:screenshot.png", "image/png",
                s.work.screenshot_path, refers_to_uri=page_url,
            )
        if s.certificates is not None:
            # the chains each HTTPS origin presented, one resource record per origin
            s.certificates.add_origins([r.url for r in s.pw_finished])
            await s.certificates.finish(min(5.0, budget / 6))
            s.certificates.write(s.writer, s.capture_id)
        # computed once: the WARC's metadata record and the package carry the same provenance
        s.provenance = provenance(s)
        s.writer.write_metadata(f"urn:somecapture:{s.capture_id}:provenance", s.provenance,
                                refers_to_uri=page_url)
        s.writer.close()
        s.warc_sha256 = s.writer.sha256_hex()
        if s.redactor.enabled and s.redactor.learn_secrets:
            # secrets learned late (a token first seen after the page holding it was
            # written) are removed from every record in a second pass
            rewrite = asyncio.ensure_future(
                asyncio.to_thread(redact_warc, s.work.warc_path, s.redactor))
            try:
                s.warc_sha256 = await asyncio.shield(rewrite)
            except asyncio.CancelledError:
                # a thread cannot be stopped midway: the WARC is replaced when it is done, so
                # nothing may read it before (packaging would hash a file being swapped)
                s.warc_sha256 = await rewrite
                raise
        return Msg("step.result.recording", records=s.writer.record_count,
                   bytes=s.writer.size_bytes)

    # -- clean-up -------------------------------------------------------------------------
    async def _close(self) -> None:
        # each part in its own finally: a second cancellation while the browser context
        # closes must still stop the proxy
        s = self.state
        try:
            await self._close_browser_side()
        finally:
            if s.proxy is not None:
                await s.proxy.close()

    async def _close_browser_side(self) -> None:
        s = self.state
        if s.recorder is not None:
            try:
                await s.recorder.stop(timeout_s=2.0)
            except Exception:  # noqa: BLE001
                log.debug("recorder stop failed", exc_info=True)
        if s.writer is not None:
            try:
                s.writer.close()
            except OSError as exc:  # a full disk: the recording already failed or fails now
                if self.failure is None:
                    self.failure = disk_error(exc)
        if s.context is not None:
            try:
                await s.context.close()
            except PlaywrightError:
                pass
            s.context = None

    # -- browser event handlers -----------------------------------------------------------
    def _on_crash(self, _page: Page) -> None:
        self.state.crashed = True
        self.state.note(Msg("note.tab_crashed"))

    def _on_frame_navigated(self, frame: Any) -> None:
        s = self.state
        if s.page is None or frame != s.page.main_frame or s.main_status is None:
            return
        url = frame.url
        if url and url != "about:blank" and s.safe(url) != s.final_url:
            s.self_navigations.append(s.safe(url))

    def _on_dialog(self, dialog: Any) -> None:
        # alert/confirm/prompt/beforeunload would block the page: dismiss and record
        self.state.dialogs.append(f"{dialog.type}: {str(dialog.message)[:200]}")
        asyncio.ensure_future(_dismiss_dialog(dialog))

    def _on_download(self, download: Any) -> None:
        # the context refuses downloads (accept_downloads=False); the archivist still needs
        # to know the page offered one: it may be the attachment the post is about
        s = self.state
        s.downloads.append({
            "url": s.safe(download.url)[:500],
            "filename": str(download.suggested_filename)[:255],
            "reason": "download refused: files the page offers are not saved during a capture",
        })
        s.note(Msg("note.download_refused", file=str(download.suggested_filename)[:120]))

    def _on_popup(self, page: Page) -> None:
        s = self.state
        if page is s.page or s.page is None:
            return
        s.popups.append(page.url)
        asyncio.ensure_future(_close_quietly(page))


def _browsers_own(url: str) -> bool:
    """A request the browser makes by itself, not the page: the site's icon for the tab
    (``/favicon.ico``, whether or not the page names one)."""
    path = url.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    return path.rsplit("/", 1)[-1].lower().startswith("favicon")


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
