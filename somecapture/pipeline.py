"""One capture, start to end: record → package → catalogue.

This is the only place that sequences them. The engine records a page into a staging folder
and hands back a :class:`~somecapture.models.RecordedPage`; the package builder turns it into a
proved, published package; the catalogue remembers it. Each arrow points one way: nothing
downstream writes back into what came before it. Single captures, batches, the CLI and the
app all capture through :class:`CapturePipeline`.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import importlib
import logging
import shutil
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from somecapture.catalog import record_in_catalog
from somecapture.engine.browser import BrowserSession
from somecapture.engine.capture import Listener, PageCapturer
from somecapture.engine.page_steps import post_unavailable_notice, replies_missing
from somecapture.engine.state import rfc3339, utc_now
from somecapture.engine.steps import RECORDING_GRACE_S
from somecapture.errors import (
    DISK_ERRNOS,
    CaptureCancelledError,
    DiskError,
    InternalError,
    SomecaptureError,
    disk_error,
)
from somecapture.events import (
    CaptureFinished,
    CaptureMessage,
    CaptureStarted,
    StepFinished,
    StepStarted,
    safe_emit,
)
from somecapture.inputs import normalize_url
from somecapture.messages import Msg
from somecapture.models import (
    CaptureResult,
    CaptureStatus,
    PreviousCapture,
    RecordedPage,
    StepReport,
    StepStatus,
)
from somecapture.options import CaptureOptions, RecordOptions
from somecapture.package.screening import ScreeningPlan, plan_screening, screening_warnings
from somecapture.package.seal import SealConfig, SealOutcome
from somecapture.package.staging import Staging, default_out_dir
from somecapture.redact import HeaderRedactor
from somecapture.thread.diff import change_summary_msg, diff_threads, not_compared

if TYPE_CHECKING:
    from somecapture.package.builder import PublishedPackage

log = logging.getLogger(__name__)

__all__ = ["CapturePipeline", "Listener", "capture_url", "out_dir_for", "warm_packaging"]

#: share of the capture budget the logged-out view (``--also-public``) may take
PUBLIC_VIEW_SHARE = 0.5


_BUILDER = "somecapture.package.builder"
_warm_lock = threading.Lock()
_warm_started = False


def warm_packaging() -> None:
    """Start importing the packaging stack (PDF, PDF/A, schemas, arkivmelding: about half a
    second) in a thread, once per process, so that it loads while the browser starts and the
    page records instead of before. Shells call it before they start the browser."""
    global _warm_started
    with _warm_lock:
        if _warm_started or _BUILDER in sys.modules:
            return
        _warm_started = True
    threading.Thread(target=_import_builder, name="somecapture-import", daemon=True).start()


def _import_builder() -> None:
    try:
        importlib.import_module(_BUILDER)
        # and the PDF fonts parsed (once per process), which the first PDF would wait for
        importlib.import_module("somecapture.package.pdf").warm_fonts()
    except Exception:  # noqa: BLE001 - imported again where it is used, failing there in full
        log.debug("importing the packaging stack ahead of time failed", exc_info=True)


class CapturePipeline:
    """Captures URLs in a shared :class:`BrowserSession`: record, package, catalogue."""

    def __init__(
        self,
        session: BrowserSession,
        options: CaptureOptions,
        listener: Listener | None = None,
        *,
        record_catalog: bool = True,
    ) -> None:
        warm_packaging()
        self.session = session
        self.options = options
        self.listener = listener
        #: False when the caller records results itself (batches, with their batch id)
        self.record_catalog = record_catalog

    async def capture(self, url: str, *, capture_id: str | None = None,
                      record: RecordOptions | None = None,
                      previous: PreviousCapture | None = None,
                      publish_key: str | None = None,
                      on_browser_done: Callable[[], None] | None = None,
                      before_packaging: Callable[[], Awaitable[None]] | None = None
                      ) -> CaptureResult:
        """Capture one URL; never raises for capture problems (they are in the result).

        ``record`` replaces ``options.record`` for this capture (batch rows carry their own
        title, case, archivist). ``previous``: a re-capture of a watched thread, compared
        with that earlier capture once recorded: unchanged, nothing is published
        (``result.unchanged``); changed, the package is a new version naming it.
        ``publish_key``: the batch item's idempotency key; the package is published only if
        no other capture of the same key was (a distributed batch may deliver an item twice),
        else the capture fails and publishes nothing.
        ``on_browser_done``: called once, as soon as the capture no longer uses the browser
        (its recording, and its logged-out view, are done; packaging has not started; its
        browser context may still be closing, for a few hundred ms), or when the capture ends
        before that: a batch starts its next recording then, while this capture packages.
        ``before_packaging``: awaited before the package step begins (a batch lets the next
        capture's browser context and page load start first).
        """
        run = _PipelineRun(self, url, capture_id or str(uuid.uuid4()),
                           record or self.options.record, previous, publish_key,
                           on_browser_done, before_packaging)
        result = await run.run()
        if self.record_catalog:
            await asyncio.to_thread(record_in_catalog, self.options, result)
        return result


class _PipelineRun:
    """One URL through the pipeline."""

    def __init__(self, pipeline: CapturePipeline, url: str, capture_id: str,
                 record: RecordOptions, previous: PreviousCapture | None = None,
                 publish_key: str | None = None,
                 on_browser_done: Callable[[], None] | None = None,
                 before_packaging: Callable[[], Awaitable[None]] | None = None) -> None:
        self.pipeline = pipeline
        self.publish_key = publish_key
        self._on_browser_done = on_browser_done
        self._before_packaging = before_packaging
        self.options = pipeline.options
        self.previous = previous
        if previous is not None:
            # the versions of a thread share the first capture's case: its case, or (none
            # given then) the new case folder it asked for, which the arkivmelding names
            self.record = dataclasses.replace(record, case=previous.first_case)
        else:
            self.record = record
        self.url = url
        #: logged in, what leaves the pipeline (result, events, catalogue, package) is
        #: scrubbed of the session's secrets: credential-like URL parameters, and every
        #: secret the recording learned, in any stored form (see redact.py)
        self.redactor = HeaderRedactor(enabled=not self.options.keep_credentials,
                                       learn_secrets=self.options.profile is not None)
        self.result = CaptureResult(url=self.redactor.url(url, count=False),
                                    capture_id=capture_id)
        self.started = time.monotonic()
        self.staging: Staging | None = None
        #: records the page; closes its browser context while the packaging runs
        self._capturer: PageCapturer | None = None

    def emit(self, event: Any) -> None:
        safe_emit(self.pipeline.listener, self.redactor.scrub_fields(event))

    def _browser_done(self) -> None:
        """Tell the caller, once, that this capture no longer uses the browser."""
        callback, self._on_browser_done = self._on_browser_done, None
        if callback is not None:
            try:
                callback()
            except Exception:  # noqa: BLE001 - the caller's bookkeeping must not lose the capture
                log.exception("the browser-done callback failed")

    async def run(self) -> CaptureResult:
        result = self.result
        self.emit(CaptureStarted(result.capture_id, result.url))
        # what the archivist asked for, kept also when the capture fails (catalogue, app)
        result.registration = {k: v for k, v in (
            ("title", self.record.title), ("case", self.record.case),
            ("archivist", self.record.archivist)) if v}
        try:
            normalized = normalize_url(self.url)
            self.staging = Staging(out_dir_for(self.options), result.capture_id,
                                   self.publish_key)
            self.staging.prepare()
            self._capturer = PageCapturer(self.pipeline.session, self.options,
                                          self.pipeline.listener)
            recorded = await self._capturer.record(
                self.url, normalized, self.staging.work_folder(),
                capture_id=result.capture_id, close_later=True)
            if not (self.options.also_public and self.options.profile):
                self._browser_done()  # no logged-out view follows: the browser is free now
            recorded = self._take(recorded)
            if recorded.failure is not None:
                raise recorded.failure
            # a watched thread's re-capture: the same thread as before is checked, not
            # published again
            publish = self.previous is None or self._compare(recorded)
            public_view = None
            if publish and self.options.also_public and self.options.profile:
                public_view = await self._public_view(normalized)
            # nothing after this point uses the browser
            self._browser_done()
            screening = self._screening_plan(recorded) if publish else None
            degraded = any(r.status is not StepStatus.OK for r in result.steps)
            result.status = (CaptureStatus.PARTIAL if degraded or result.warnings
                             else CaptureStatus.COMPLETE)
            if publish:
                if self._before_packaging is not None:
                    await self._before_packaging()
                await self._package(recorded, public_view, screening)
        except SomecaptureError as exc:
            self._fail(exc)
        except asyncio.CancelledError:
            self._fail(CaptureCancelledError(Msg("error.cancelled")))
            self._discard()
            raise
        except OSError as exc:
            if exc.errno not in DISK_ERRNOS:
                log.error("file error capturing %s: %s", result.url,
                          self.redactor.text(_traceback_text(exc)))
            self._fail(disk_error(exc))
        except Exception as exc:  # noqa: BLE001 - a bug must not lose the batch; log it whole
            # the traceback goes to the log as text the redactor has seen: an exception's
            # message may quote the page's URL or a value the page sent
            log.error("unexpected error capturing %s: %s", result.url,
                      self.redactor.text(_traceback_text(exc)))
            self._fail(InternalError(Msg("error.internal", error=f"{type(exc).__name__}: {exc}")))
        finally:
            self._browser_done()
            self._discard()
            # also (above all) when the capture failed: the catalogue, the terminal and the
            # app get the result only as it may be stored
            self._scrub_result()
            if self._capturer is not None:
                # the recording's context and proxy, closing since it ended, are closed
                # before the capture is: nothing of it outlives the capture (last: the
                # clean-up above holds even when this wait is cancelled)
                await self._capturer.closed()
        self.emit(CaptureFinished(
            result.capture_id, result.url, result.status.value,
            str(result.package) if result.package else None, result.error,
        ))
        return result

    def _compare(self, recorded: RecordedPage) -> bool:
        """Compare the recording's thread with the previous capture's (a watched thread's
        re-capture): True when it changed and a new version is to be published. The outcome
        is a step of its own, so the published version's metadata says what it was compared
        with."""
        previous = self.previous
        assert previous is not None
        result = self.result
        report = StepReport(name="compare", status=StepStatus.OK, started_at=rfc3339(utc_now()))
        partial = bool(result.warnings) or any(r.status is not StepStatus.OK
                                               for r in result.steps)
        result.previous_capture = previous.capture_id
        if previous.thread is None:
            # its package is gone or unreadable: a version all the same (the thread is
            # archived), claiming no change it cannot know
            reason = previous.unreadable or Msg("watch.prev.unknown")
            result.changes = self._version_of(previous, not_compared(reason))
            report.message = Msg("step.result.not_compared", previous=previous.capture_id,
                                 reason=reason)
            result.steps.append(report)
            self.emit(StepFinished(result.capture_id, "compare", "ok", report.message, 0.0))
            return True
        unavailable = post_unavailable_notice(recorded.completeness)
        changes = diff_threads(
            previous.thread, recorded.thread, partial=partial,
            # fewer replies than the page has: those missing were not read, not gone
            incomplete=replies_missing(recorded.completeness),
            previous_partial=previous.status == CaptureStatus.PARTIAL.value,
            previous_captured_at=previous.captured_at, post_unavailable=unavailable)
        counts = changes.counts()
        if not changes.changed:
            result.unchanged = True
            report.message = Msg("step.result.unchanged", previous=previous.capture_id)
            if unavailable:
                # never "as before" without saying it: the post was not there then either
                report.message = Msg("step.result.still_unavailable", text=unavailable)
        else:
            result.changes = self._version_of(previous, changes.to_json())
            report.message = Msg("step.result.compared", previous=previous.capture_id,
                                 summary=change_summary_msg(changes.to_json()))
        report.details = dict(counts)
        result.steps.append(report)
        self.emit(StepFinished(result.capture_id, "compare", "ok", report.message, 0.0))
        return changes.changed

    def _version_of(self, previous: PreviousCapture, changes: dict[str, Any]
                    ) -> dict[str, Any]:
        """The metadata's ``changes``: which capture this version follows, and what changed
        (scrubbed of the session's secrets)."""
        return {
            "previous_capture": previous.capture_id,
            "previous_captured_at": previous.captured_at,
            "first_capture": previous.first_capture_id,
            "version": previous.version,
            **self.redactor.scrub(changes),
        }

    def _take(self, recorded: RecordedPage) -> RecordedPage:
        """The recording's facts into the result (which the shells and catalogue read); the
        recording is returned with its stored texts scrubbed of every secret it learned."""
        self.redactor.add_secrets(recorded.secrets)
        recorded = replace(recorded, **{
            name: self.redactor.scrub(getattr(recorded, name))
            for name in ("requested_url", "url", "final_url", "warnings", "thread",
                         "completeness", "provenance")})
        recorded = replace(recorded, steps=tuple(self.redactor.scrub_fields(step)
                                                 for step in recorded.steps))
        r = self.result
        r.url = recorded.requested_url
        r.final_url = recorded.final_url
        r.steps = list(recorded.steps)
        r.warnings = list(recorded.warnings)
        r.thread = recorded.thread
        r.completeness = recorded.completeness
        r.retryable = recorded.retryable
        return recorded

    def _scrub_result(self) -> None:
        """The result with every text field scrubbed of the session's secrets."""
        r, red = self.result, self.redactor
        r.url = red.url(r.url, count=False)
        r.final_url = red.url(r.final_url, count=False) if r.final_url else r.final_url
        r.error = red.text(r.error) if r.error else r.error
        r.warnings = red.scrub(r.warnings)
        r.steps = [red.scrub_fields(step) for step in r.steps]
        r.thread, r.completeness = red.scrub(r.thread), red.scrub(r.completeness)
        r.provenance, r.registration = red.scrub(r.provenance), red.scrub(r.registration)

    def _fail(self, error: SomecaptureError) -> None:
        self.result.status = CaptureStatus.FAILED
        # the catalogue message when there is one (the shells render it); else the text
        self.result.error = error.msg or str(error)
        self.result.error_code = error.code
        self.result.package = None

    def _discard(self) -> None:
        """Give up the staging folder: removed unless published, its lock released."""
        if self.staging is None:
            return
        if self.result.status is CaptureStatus.FAILED or self.result.unchanged:
            self.staging.discard()
        self.staging.release()

    # -- the logged-out view ----------------------------------------------------------------
    async def _public_view(self, normalized: str) -> dict[str, Any] | None:
        """Record the same URL logged out, in a fresh context, into ``data/public/``: what
        any citizen could see, next to what the agency's account saw.

        An ordinary second recording; like an optional step, a failure or a spent budget
        leaves a warning (the capture becomes PARTIAL) and no public view.
        """
        assert self.staging is not None
        name = "public-view"
        report = StepReport(name=name)
        result = self.result
        result.steps.append(report)
        remaining = self.options.capture_timeout_s - (time.monotonic() - self.started)
        if remaining <= 0:
            report.message = Msg("step.result.budget_used_up")
            self._warn(Msg("warning.step_skipped", step=Msg(f"step.{name}"),
                           seconds=round(self.options.capture_timeout_s), kept="no",
                           reserve=0))
            return None
        budget = min(self.options.capture_timeout_s * PUBLIC_VIEW_SHARE, remaining)
        report.started_at = rfc3339(utc_now())
        self.emit(StepStarted(result.capture_id, name))
        t0 = time.monotonic()
        # its own ceiling inside the share, so its steps end by themselves (keeping what they
        # recorded) before the hard stop below; the recording may run RECORDING_GRACE_S past it
        options = self.options.with_changes(
            profile=None, also_public=False,
            capture_timeout_s=max(5.0, budget - RECORDING_GRACE_S))
        public: RecordedPage | None = None
        work = self.staging.public_work_folder()
        work.scratch_dir.mkdir(parents=True, exist_ok=True)
        try:
            async with asyncio.timeout(budget):
                public = await PageCapturer(self.pipeline.session, options, None).record(
                    self.url, normalized, work)
        except TimeoutError:
            report.status = StepStatus.BUDGET
            report.message = Msg("step.result.stopped_after", seconds=round(budget))
        else:
            if isinstance(public.failure, DiskError | InternalError):
                # a full disk or a bug is no missing public view: the capture fails, as the
                # main recording would
                raise public.failure
            if public.failure is not None:
                report.status = StepStatus.FAILED
                report.message = public.failure.msg or str(public.failure)
            else:
                report.status = StepStatus.OK
                replies = len((public.thread or {}).get("replies") or [])
                report.message = Msg("step.result.public_view", replies=replies)
        finally:
            # spooled bodies of the public recording are not part of the package
            shutil.rmtree(work.scratch_dir, ignore_errors=True)
        report.duration_s = round(time.monotonic() - t0, 3)
        self.emit(StepFinished(result.capture_id, name, report.status.value, report.message,
                               report.duration_s))
        if report.status is not StepStatus.OK or public is None:
            self.staging.discard_public_view()
            self._warn(Msg("warning.step_budget" if report.status is StepStatus.BUDGET
                           else "warning.step_failed", step=Msg(f"step.{name}"),
                           message=report.message))
            return None
        return self.redactor.scrub({
            "final_url": public.final_url,
            "warc_sha256": public.warc_sha256,
            "thread": public.thread,
            "completeness": public.completeness,
            "warnings": list(public.warnings),
            "steps": [r.to_json() for r in public.steps],
        })

    def _warn(self, text: str) -> None:
        self.result.warnings.append(text)
        self.emit(CaptureMessage(self.result.capture_id, text))

    def _screening_plan(self, recorded: RecordedPage) -> ScreeningPlan | None:
        """Plan the screened variant (None when it is turned off); what stops it is a
        warning now, so the capture is PARTIAL and says why."""
        if not self.record.screened_variant:
            return None
        try:
            plan = plan_screening(self.result.thread, recorded.identities,
                                  recorded.screenshot, self.record,
                                  screen_text=self.record.screen_text,
                                  changes=self.result.changes)
        except Exception as exc:  # noqa: BLE001 - a bug in screening must not lose the capture
            log.error("planning the screened variant failed: %s", type(exc).__name__)
            plan = ScreeningPlan([], {}, self.record.screen_text, unplanned=True,
                                 language=self.record.maalform)
            plan.problems.append(Msg("screening.not_planned", kind=type(exc).__name__))
        if plan.needed:
            for text in screening_warnings(plan.problems):
                self._warn(text)
        return plan

    # -- packaging ----------------------------------------------------------------------------
    async def _package(self, recorded: RecordedPage, public_view: dict[str, Any] | None,
                       screening: ScreeningPlan | None = None) -> None:
        """Build, prove and publish the package (in a thread: hashing, PDF, validation)."""
        assert self.staging is not None
        result = self.result
        report = StepReport(name="package")
        result.steps.append(report)
        self.emit(StepStarted(result.capture_id, "package"))
        t0 = time.monotonic()
        report.started_at = rfc3339(utc_now())
        result.provenance = recorded.provenance
        # every text of the result the package is built from (metadata, arkivmelding,
        # bag-info, the folder's name) is scrubbed of all the secrets the recording learned
        self._scrub_result()
        # loaded in a thread since the capture began (warm_packaging); waits for it if it is
        # still loading, without blocking the event loop
        builders = await asyncio.to_thread(importlib.import_module, _BUILDER)
        builder = builders.PackageBuilder(self.staging, recorded,
                                          SealConfig.from_options(self.options))
        # the builder reads a snapshot: steps and warnings are not changed while it runs
        snapshot = replace(result, steps=list(result.steps), warnings=list(result.warnings))
        planned = len(screening.problems) if screening is not None else 0
        task = asyncio.ensure_future(asyncio.to_thread(
            builder.build_and_publish, snapshot, self.record, public_view, screening))
        package: PublishedPackage
        try:
            package = await asyncio.shield(task)
        except asyncio.CancelledError:
            # the packaging thread cannot be interrupted: tell it not to publish, wait for it,
            # and report the truth (published before the cancel arrived, or not at all)
            self.staging.cancel.set()
            with contextlib.suppress(Exception):
                await task
            if self.staging.published is None:
                raise
            package = task.result()
        result.package = package.path
        result.artifacts = list(package.artifacts)
        result.registration = package.registration
        if screening is not None and screening.needed and screening.problems[planned:]:
            # the variant failed its read-back: the package says so (see builder), and so do we
            for text in screening_warnings(screening.problems[planned:]):
                self._warn(text)
            if result.status is CaptureStatus.COMPLETE:
                result.status = CaptureStatus.PARTIAL
        report.status = StepStatus.OK
        report.duration_s = round(time.monotonic() - t0, 3)
        report.message = str(package.path)
        # where the step's time went (PDFs, read-backs, bag…; parts that ran at once overlap)
        report.details = {"timings_s": dict(package.timings)}
        self.emit(StepFinished(result.capture_id, "package", "ok", str(package.path),
                               report.duration_s))
        if package.seal is not None:
            self._sealed(package.seal)

    def _sealed(self, seal: SealOutcome) -> None:
        """The seal, made inside the package step before publication, as its own step. An
        authority that gave no token makes the capture PARTIAL (the package is published all
        the same); the outcome, tokens included, goes to the provenance and the catalogue: the
        package's metadata, under the stamp, can hold only the intent."""
        result = self.result
        result.provenance = {**result.provenance, "seal": seal.to_json(tokens=True)}
        status = {"sealed": StepStatus.OK, "unsealed": StepStatus.SKIPPED}.get(
            seal.status, StepStatus.FAILED)
        report = StepReport(name="seal", status=status, message=seal.summary(),
                            duration_s=seal.seconds)
        result.steps.append(report)
        self.emit(StepFinished(result.capture_id, "seal", status.value, report.message,
                               seal.seconds))
        for problem in seal.problems():
            self._warn(problem)
        if seal.problems() and result.status is CaptureStatus.COMPLETE:
            result.status = CaptureStatus.PARTIAL


async def capture_url(
    url: str, options: CaptureOptions, listener: Listener | None = None,
    record: RecordOptions | None = None,
) -> CaptureResult:
    """Capture one URL with its own browser session (for one-off use and scripts).

    Problems with the URL or the page come back in the result (status FAILED); a missing
    browser raises :class:`~somecapture.errors.BrowserNotFoundError` since no capture can run.
    """
    warm_packaging()
    async with BrowserSession(options) as session:
        return await CapturePipeline(session, options, listener).capture(url, record=record)


def _traceback_text(exc: BaseException) -> str:
    """An exception with its traceback, as the log file keeps it."""
    return "".join(traceback.format_exception(exc)).rstrip()


def out_dir_for(options: CaptureOptions) -> Path:
    """Where packages go for these options."""
    return options.out_dir or default_out_dir()
