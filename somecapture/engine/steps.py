"""Running a recording's named steps within their budgets.

A recording is an ordered list of named steps, each with a :class:`StepReport`. A required step
that fails ends the recording (nothing can be published); an optional step that fails or runs
out of budget leaves a warning, and the capture becomes PARTIAL. ``always_run`` steps
(screenshot, extract) run even when an earlier optional step used up the overall budget, so a
PARTIAL package still shows what was there.
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
from somecapture.models import StepReport, StepStatus

#: budget an always-run step keeps after the overall capture budget is used up
ALWAYS_RUN_GRACE_S = 30.0
#: how long the page's renderer may take to run ``1`` before it counts as hung: long enough
#: for the long tasks of heavy pages on slow machines, bounded by what is left of the budget
LIVENESS_TIMEOUT_S = 10.0
#: the shortest probe (once the overall budget is used up)
LIVENESS_MIN_S = 2.0
HUNG_MESSAGE = ("the page stopped responding (a script on it runs without end), so no "
                "screenshot or thread extract could be made")

StepBody = Callable[[float], Awaitable[str | None]]


class BudgetExceeded(Exception):
    """Raised inside a step to end it as BUDGET (what was done so far is kept).

    Not an error: the message becomes a warning, and the capture PARTIAL.
    """


class StepRunner:
    """Runs one recording's steps, each in its budget, and keeps their reports."""

    def __init__(self, state: CaptureState) -> None:
        self.state = state
        #: when the shared grace period of always-run steps ends (None: not started)
        self.grace_deadline: float | None = None

    def _budget_for(self, budget_s: float, always_run: bool) -> float | None:
        """The step's budget, or None when it is skipped for want of overall budget."""
        s = self.state
        if s.remaining_s() <= 0 and not always_run:
            return None
        if not always_run:
            return s.budget(budget_s)
        # steps that always run get their budget even after the overall deadline, up to a
        # grace period shared by all of them: a PARTIAL package still needs its screenshot
        # and provenance
        if s.remaining_s() <= 0 and self.grace_deadline is None:
            self.grace_deadline = time.monotonic() + ALWAYS_RUN_GRACE_S
        grace = (max(0.0, self.grace_deadline - time.monotonic())
                 if self.grace_deadline is not None else budget_s)
        return max(s.budget(budget_s), min(budget_s, grace), 1.0)

    async def step(
        self,
        name: str,
        fn: StepBody,
        *,
        budget_s: float,
        required: bool = False,
        always_run: bool = False,
        uses_page: bool = False,
    ) -> StepReport:
        """Run one named step within its budget and record a report.

        ``uses_page``: the step runs script in the page; it fails at once, without using its
        budget, when the renderer is hung (a busy-looping script would hold it to the end).
        A required step that does not end OK raises a :class:`SomecaptureError`.
        """
        s = self.state
        report = StepReport(name=name)
        s.steps.append(report)
        s.retryable = False
        budget = self._budget_for(budget_s, always_run)
        if budget is None:
            report.message = "overall capture budget used up"
            s.warn(f"Step '{name}' skipped: the overall capture budget "
                   f"({s.options.capture_timeout_s:.0f} s) was used up.")
            return report
        report.started_at = rfc3339(utc_now())
        s.emit(StepStarted(s.capture_id, name))
        t0 = time.monotonic()
        failure: SomecaptureError | None = None
        try:
            if uses_page and not await self.renderer_alive():
                raise PageHungError(HUNG_MESSAGE)
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
        except SomecaptureError as exc:
            report.status = StepStatus.FAILED
            report.message = str(exc)
            failure = exc
            s.retryable = exc.retryable
        except PlaywrightError as exc:
            report.status = StepStatus.FAILED
            s.retryable = True  # browser trouble (crash, closed target): try again
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            report.message = "the page crashed" if s.crashed else f"browser error: {first}"
            failure = (TabCrashedError if s.crashed else BrowserError)(report.message)
        report.duration_s = round(time.monotonic() - t0, 3)
        s.emit(StepFinished(s.capture_id, name, report.status.value, report.message,
                            report.duration_s))
        if report.status is StepStatus.BUDGET and uses_page and not always_run:
            # a page step that ran out of time: find out now whether the page is hung rather
            # than let every later step wait out its budget too
            await self.renderer_alive()
        if report.status is StepStatus.OK:
            return report
        if required:
            if report.status is StepStatus.BUDGET:
                # a required step cut short (the page never loaded) is no capture at all
                s.retryable = True
                raise LoadTimeoutError(f"{name}: {report.message}; nothing was published.",
                                       retryable=True)
            raise failure or CaptureStepError(report.message)
        if report.status is StepStatus.BUDGET:
            s.warn(f"{name}: {report.message}")
        else:
            s.warn(f"{name} failed: {report.message}")
        return report

    async def renderer_alive(self) -> bool:
        """Whether the page still runs script (False once it was found hung or crashed)."""
        s = self.state
        if s.hung or s.crashed:
            return False
        if s.page is None:
            return True
        wait_s = max(LIVENESS_MIN_S, min(LIVENESS_TIMEOUT_S, s.remaining_s()))
        try:
            await asyncio.wait_for(s.page.evaluate("1"), wait_s)
        except TimeoutError:
            s.hung = True
            s.note(f"The page stopped responding for {wait_s:.0f} s (a script runs "
                   "without end).")
            return False
        except PlaywrightError:
            return True  # closed or navigating: the step itself will say what happened
        return True
