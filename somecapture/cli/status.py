"""Exit statuses of the ``somecapture`` command (a contract: scripts and CI rely on them)."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from somecapture.errors import (
    BrowserLaunchError,
    BrowserNotFoundError,
    ClockSkewError,
    InputError,
    OutputDirError,
    QueueUnreachableError,
    SomecaptureError,
)
from somecapture.models import CaptureResult, CaptureStatus

if TYPE_CHECKING:
    # only for the annotation: the batch runner (and the engine under it) is imported when a
    # batch runs, not for every command
    from somecapture.batch import BatchResult


class ExitStatus(enum.IntEnum):
    """Exit codes; documented in the README."""

    OK = 0
    #: unexpected internal error (a bug; details in the log)
    ERROR = 1
    #: bad command line, URL or list file
    USAGE = 2
    #: at least one capture PARTIAL, none FAILED
    PARTIAL = 3
    #: at least one capture FAILED
    FAILED = 4
    #: verify found a changed, missing or extra file
    VERIFY_FAILED = 5
    #: no browser, or the output folder cannot be written
    ENVIRONMENT = 6
    #: interrupted (Ctrl-C)
    INTERRUPTED = 130


def status_for_results(results: list[CaptureResult]) -> ExitStatus:
    """Worst outcome wins: FAILED > PARTIAL > OK."""
    if any(r.status is CaptureStatus.FAILED for r in results):
        return ExitStatus.FAILED
    if any(r.status is CaptureStatus.PARTIAL for r in results):
        return ExitStatus.PARTIAL
    return ExitStatus.OK


def status_for_batch(result: BatchResult) -> ExitStatus:
    """Worst item wins: FAILED (an item failed, or was never captured: ``pending``) > PARTIAL
    > OK."""
    statuses = {i.status for i in result.items}
    if "failed" in statuses or "pending" in statuses:
        return ExitStatus.FAILED
    if "partial" in statuses:
        return ExitStatus.PARTIAL
    return ExitStatus.OK


def status_for_error(exc: SomecaptureError) -> ExitStatus:
    """Exit status for an error that stopped the command before or between captures."""
    if isinstance(exc, InputError):
        return ExitStatus.USAGE
    if isinstance(exc, BrowserNotFoundError | BrowserLaunchError | OutputDirError
                  | QueueUnreachableError | ClockSkewError):
        return ExitStatus.ENVIRONMENT
    return ExitStatus.ERROR
