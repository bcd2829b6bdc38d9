"""Exit statuses of the ``somecapture`` command (a contract: scripts and CI rely on them)."""

from __future__ import annotations

import enum

from somecapture.errors import (
    BrowserLaunchError,
    BrowserNotFoundError,
    InputError,
    OutputDirError,
    SomecaptureError,
)
from somecapture.models import CaptureResult, CaptureStatus


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


def status_for_error(exc: SomecaptureError) -> ExitStatus:
    """Exit status for an error that stopped the command before or between captures."""
    if isinstance(exc, InputError):
        return ExitStatus.USAGE
    if isinstance(exc, BrowserNotFoundError | BrowserLaunchError | OutputDirError):
        return ExitStatus.ENVIRONMENT
    return ExitStatus.ERROR
