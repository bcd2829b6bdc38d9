"""Running a recording's named steps within their budgets.

A recording is an ordered list of named steps, each with a :class:`StepReport`. A required step
that fails ends the recording (nothing can be published); an optional step that fails or runs
out of budget leaves a warning, and the capture becomes PARTIAL.

**The overall budget is a ceiling** (``capture_timeout_s``, ``--timeout``; issue 16). A step's
own budget is always cut to what the ceiling leaves it:

* the page steps (navigate, settle, overlays, expand, lazy media) end
  :func:`always_run_reserve` seconds before the ceiling: that time is kept for the
  ``always_run`` page steps (screenshot, extract), so a PARTIAL package still shows what was
  there;
* the ``always_run`` page steps end at the ceiling;
* only the steps that keep what was recorded (``evidence``: closing the WARC with its
  screenshot and provenance, reconciling the thread from it) may run past it, within
  :data:`RECORDING_GRACE_S`; packaging (:mod:`somecapture.pipeline`) follows, and the
  screenshot is kept small enough for it to fit in the rest of :data:`EVIDENCE_GRACE_S`
  (see :mod:`~somecapture.engine.screenshot`).

So a capture ends within ``capture_timeout_s + EVIDENCE_GRACE_S`` (15 s), counted from the
moment the capture starts (a command's browser start and stop, a second or two, come on top).
A page whose renderer stops answering (an endless script, a DOM too large to lay out) is found
by a liveness probe before each page step, whose time counts against the same ceiling.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from playwright.async_api import Error as PlaywrightError

from somecapture.engine.state import CaptureState, rfc3339, utc_now
from somecapture.errors import (
    BrowserError,
    CaptureStepError,
    LoadTimeoutError,
    PageHungError,
    SomecaptureError,
    TabCrashedError,
)
from somecapture.events import StepFinished, StepStarted
from somecapture.messages import Msg, codes, message_of
from somecapture.models import StepReport, StepStatus

#: the most a capture runs past its overall budget, for the steps that keep what was
#: recorded (closing the WARC, reconciling, packaging); documented for ``--timeout``
EVIDENCE_GRACE_S = 15.0
#: the part of that grace the recording's own evidence steps may use (finish-recording,
#: reconcile-thread); the rest is packaging's
RECORDING_GRACE_S = 8.0
#: time kept at the end of the overall budget for the screenshot and the extract: at most
#: this long, and at most :data:`ALWAYS_RUN_RESERVE_SHARE` of the budget
ALWAYS_RUN_RESERVE_S = 15.0
ALWAYS_RUN_RESERVE_SHARE = 0.25
#: how long the page's renderer may take to run ``1`` before it counts as hung: long enough
#: for the long tasks of heavy pages on slow machines, bounded by what is left of the budget
LIVENESS_TIMEOUT_S = 10.0
#: the shortest probe (once the step's share of the budget is used up)
LIVENESS_MIN_S = 2.0
HUNG_MESSAGE = Msg("error.hung")

StepBody = Callable[[float], Awaitable[str | None]]


def _step(name: str) -> str:
    """A step's name for a message: the archivist's words for it when the catalogue has them
    (the English text in logs and metadata), else its code name."""
    return Msg(f"step.{name}") if f"step.{name}" in codes("en") else name


def always_run_reserve(capture_timeout_s: float) -> float:
    """Seconds at the end of the overall budget kept for the screenshot and the extract."""
    return min(ALWAYS_RUN_RESERVE_S, capture_timeout_s * ALWAYS_RUN_RESERVE_SHARE)


class BudgetExceeded(Exception):
    """Raised inside a step to end it as BUDGET (what was done so far is kept).

    Not an error: the message becomes a warning, and the capture PARTIAL.
    """


class StepRunner:
    """Runs one recording's steps, each in its budget, and keeps their reports."""

    def __init__(self, state: CaptureState) -> None:
        self.state = state

    def step_end(self, *, always_run: bool = False, evidence: bool = False) -> float:
        """When a step of this kind must be over (``time.monotonic()``): see the module
        text."""
        s = self.state
        if evidence:
            return s.deadline + RECORDING_GRACE_S
        if always_run:
            return s.deadline
        return s.deadline - always_run_reserve(s.options.capture_timeout_s)

    def _budget_for(self, budget_s: float, end: float) -> float | None:
        """The step's budget, or None when it is skipped for want of overall budget."""
        left = end - time.monotonic()
        # under a second is no use to any step: skipped, and said so
        return min(budget_s, left) if left >= 1.0 else None

    async def step(
        self,
        name: str,
        fn: StepBody,
        *,
        budget_s: float,
        required: bool = False,
        always_run: bool = False,
        evidence: bool = False,
        uses_page: bool = False,
    ) -> StepReport:
        """Run one named step within its budget and record a report.

        ``always_run``: a page step that runs even when the steps before it failed (the
        screenshot, the extract), with time kept for it (see the module text).
        ``evidence``: a step that keeps what was recorded; it may use the grace after the
        overall budget. ``uses_page``: the step runs script in the page; it fails at once,
        without using its budget, when the renderer is hung (a busy-looping script would
        hold it to the end). A required step that does not end OK raises a
        :class:`SomecaptureError`.
        """
        s = self.state
        report = StepReport(name=name)
        s.steps.append(report)
        s.retryable = False
        end = self.step_end(always_run=always_run, evidence=evidence)
        budget = self._budget_for(budget_s, end)
        if budget is None:
            report.message = Msg("step.result.budget_used_up")
            s.warn(Msg("warning.step_skipped", step=_step(name),
                       seconds=round(s.options.capture_timeout_s),
                       kept="no" if always_run or evidence else "yes",
                       reserve=round(always_run_reserve(s.options.capture_timeout_s))))
            return report
        report.started_at = rfc3339(utc_now())
        s.emit(StepStarted(s.capture_id, name))
        t0 = time.monotonic()
        failure: SomecaptureError | None = None
        try:
            if uses_page:
                if not await self.renderer_alive(until=end):
                    raise PageHungError(HUNG_MESSAGE)
                # the probe's time is the step's
                budget = max(0.5, min(budget, end - time.monotonic()))
            async with asyncio.timeout(budget):
                message = await fn(budget)
            report.status = StepStatus.OK
            report.message = message or ""
        except BudgetExceeded as exc:
            report.status = StepStatus.BUDGET
            report.message = message_of(exc)
        except TimeoutError:
            report.status = StepStatus.BUDGET
            report.message = Msg("step.result.stopped_after", seconds=round(budget))
        except SomecaptureError as exc:
            report.status = StepStatus.FAILED
            report.message = message_of(exc)
            failure = exc
            s.retryable = exc.retryable
        except PlaywrightError as exc:
            report.status = StepStatus.FAILED
            s.retryable = True  # browser trouble (crash, closed target): try again
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            report.message = (Msg("error.page_crashed") if s.crashed
                              else Msg("error.browser_step", detail=first))
            failure = (TabCrashedError if s.crashed else BrowserError)(report.message)
        report.duration_s = round(time.monotonic() - t0, 3)
        s.emit(StepFinished(s.capture_id, name, report.status.value, report.message,
                            report.duration_s))
        if report.status is StepStatus.BUDGET and uses_page and not always_run:
            # a page step that ran out of time: find out now whether the page is hung rather
            # than let every later step wait out its budget too (within the time kept for
            # the screenshot: a hung page has no use for it)
            await self.renderer_alive(until=self.step_end(always_run=True))
        if report.status is StepStatus.OK:
            return report
        if required:
            if report.status is StepStatus.BUDGET:
                # a required step cut short (the page never loaded) is no capture at all
                s.retryable = True
                raise LoadTimeoutError(Msg("error.required_step_budget", step=_step(name),
                                           message=report.message), retryable=True)
            raise failure or CaptureStepError(report.message)
        if report.status is StepStatus.BUDGET:
            s.warn(Msg("warning.step_budget", step=_step(name), message=report.message))
        else:
            s.warn(Msg("warning.step_failed", step=_step(name), message=report.message))
        return report

    async def renderer_alive(self, until: float | None = None) -> bool:
        """Whether the page still runs script (False once it was found hung or crashed).

        The probe waits :data:`LIVENESS_TIMEOUT_S`, less when ``until`` (``time.monotonic()``,
        default: the overall deadline) comes sooner, never under :data:`LIVENESS_MIN_S`.
        """
        s = self.state
        if s.hung or s.crashed:
            return False
        if s.page is None:
            return True
        end = s.deadline if until is None else until
        # Chromium hands a large body over on the renderer's main thread (seconds per 100
        # MiB): the page runs no script meanwhile, but it is not hung — wait for it first
        while s.recorder is not None and s.recorder.handing_over_large_body and \
                time.monotonic() < end - LIVENESS_MIN_S:
            await asyncio.sleep(0.2)
        left = end - time.monotonic()
        wait_s = max(LIVENESS_MIN_S, min(LIVENESS_TIMEOUT_S, left))
        try:
            await asyncio.wait_for(s.page.evaluate("1"), wait_s)
        except TimeoutError:
            s.hung = True
            s.note(Msg("note.page_stopped_responding", seconds=round(wait_s)))
            return False
        except PlaywrightError:
            return True  # closed or navigating: the step itself will say what happened
        return True
