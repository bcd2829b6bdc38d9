"""The exception tree: the one error vocabulary of somecapture.

Each class carries a short stable ``code`` (class-level: JSON output, logs, the catalogue, the
app's headlines) and its instances the message an archivist sees: what went wrong, where, and
what to do about it. The CLI and the app print the message as is, never a traceback. Step and
navigation failures of a capture are classes here too, so a shell can tell a DNS error from a
crashed tab by type or code, never by reading the text.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator, Sequence
from pathlib import Path

from somecapture.messages import Msg


class SomecaptureError(Exception):
    """Base class: ``str(err)`` is the user-facing message (in English).

    Raised with a :class:`~somecapture.messages.Msg` (a catalogue code and its parameters),
    the shells show it in the archivist's language with advice for where they are
    (:func:`somecapture.messages.render`); ``str(err)`` stays the English text.
    """

    #: a short stable code for machines (JSON output, logs)
    code = "error"
    #: whether the same capture may succeed when tried again (timeouts, resets, 5xx, crashes)
    retryable = False

    def __init__(self, message: str = "", *, retryable: bool | None = None) -> None:
        super().__init__(message)
        if retryable is not None:
            self.retryable = retryable

    @property
    def msg(self) -> Msg | None:
        """The catalogue message this error was raised with (None: a plain English text)."""
        first = self.args[0] if self.args else None
        return first if isinstance(first, Msg) else None


class InputError(SomecaptureError):
    """A URL, list file or option given by the user is not usable."""

    code = "input"


class InvalidURLError(InputError):
    """A URL cannot be captured (wrong scheme, malformed, too long)."""

    code = "invalid_url"


class OptionsError(InputError):
    """An option has a value outside its allowed range.

    ``problems``: every bad option found at once (each a message whose ``option`` parameter
    names the option as the code knows it, e.g. ``capture_timeout_s``; the command line
    writes it as typed, ``--timeout``). ``str(err)`` is the first problem, or the message.
    """

    code = "invalid_option"

    def __init__(self, message: str = "", *, problems: Sequence[str] = (),
                 retryable: bool | None = None) -> None:
        self.problems: tuple[str, ...] = tuple(problems) or ((message,) if message else ())
        super().__init__(message or (self.problems[0] if self.problems else ""),
                         retryable=retryable)

    @classmethod
    def raise_if_any(cls, problems: Sequence[str]) -> None:
        """Raise one error for all of ``problems`` (nothing when there are none)."""
        if problems:
            raise cls(problems=problems)


class BatchBusyError(InputError):
    """The batch is being run by another somecapture process right now."""

    code = "batch_busy"


class BatchUnfinishedError(InputError):
    """A new batch was asked for while an unfinished batch of the same list file into the
    same output folder exists (resume it, or start over on purpose)."""

    # no code of its own: like any other choice the user must make, it is ``input`` (the CLI's
    # JSON, exit status and the app's headline stay what they were)


class BatchNotResumableError(InputError):
    """A batch cannot be resumed: there is none of this list and output folder, or the list
    file changed since it started."""

    # no code of its own, as for BatchUnfinishedError


class QueueAddressError(InputError):
    """A ``--queue`` address that is not a usable task-queue address (malformed, unknown
    scheme, bad port or database number)."""

    # no code of its own: like any other bad input, it is ``input``


class QueueUnreachableError(SomecaptureError):
    """The task queue (broker) cannot be reached, or the distributed batch's parts are not
    installed (``somecapture[queue]``)."""

    # no code of its own: raised only before anything starts; the command line maps it to
    # its environment status


class ClockSkewError(SomecaptureError):
    """This computer's clock differs from the task queue's by more than a worker may (its
    heartbeats would make others' running jobs look dead, or its own look alive)."""

    # no code of its own: raised only before a worker starts; the command line maps it to
    # its environment status


class OutputDirError(SomecaptureError):
    """The output directory cannot be created or written to."""

    code = "output_dir"


class BrowserNotFoundError(SomecaptureError):
    """No usable Chromium-family browser was found."""

    code = "browser_not_found"

    def __init__(self, tried: list[str]) -> None:
        self.tried = tried
        lines = "".join(f"\n  - {t}" for t in tried)
        super().__init__(Msg("error.browser_not_found", tried=lines))


class BrowserLaunchError(SomecaptureError):
    """A browser was found but did not start."""

    code = "browser_launch"


class NavigationError(SomecaptureError):
    """The page could not be loaded at all (refused, reset, an error page).

    ``retryable``: whether trying again later may help (timeouts, resets, 5xx), as opposed to
    errors that will repeat (404, DNS, certificate).
    """

    code = "navigation"


class DnsError(NavigationError):
    """The site's host name does not exist, or name look-up is unreachable."""

    code = "dns"


class TlsCertificateError(NavigationError):
    """The site's TLS certificate is not trusted, expired or for another name."""

    code = "tls_certificate"


class ProxyError(NavigationError):
    """The proxy (``--proxy`` or the computer's own) refused or could not reach the site."""

    code = "proxy"


class PrivateNetworkBlockedError(NavigationError):
    """The address is on a private or local network, which captures may not reach."""

    code = "private_network_blocked"


class LoadTimeoutError(NavigationError):
    """The page did not answer within the load budget (or the connection dropped)."""

    code = "timeout"
    retryable = True


class HttpErrorStatus(NavigationError):
    """The server answered the page's request with an error status (4xx, 5xx)."""

    code = "http_error"


class CaptureStepError(SomecaptureError):
    """A step of the capture failed in a way that leaves nothing to publish."""

    code = "capture"


class WorkerLostError(CaptureStepError):
    """The workers capturing a batch item kept stopping before they finished it (killed,
    out of memory, machine gone): it is not handed out again."""

    # the capture's own code (``capture``): a step of it never finished


class BrowserError(CaptureStepError):
    """The browser reported an error during a step (a closed target, a lost connection)."""

    code = "browser"
    retryable = True


class PageHungError(CaptureStepError):
    """The page's script runs without end: the renderer does not answer any more."""

    code = "hung"
    retryable = True


class TabCrashedError(CaptureStepError):
    """The browser tab crashed during the capture."""

    code = "crashed"
    retryable = True


class ScreenshotError(CaptureStepError):
    """No screenshot could be taken (nothing to publish without one)."""

    code = "screenshot"


class ProfileLoggedOutError(CaptureStepError):
    """A capture with a login profile found the site logged out (the session expired)."""

    code = "profile_logged_out"


class DiskError(SomecaptureError):
    """A file could not be written: the disk is full, read-only, or a file is too large."""

    code = "disk"


#: errors that mean "no room" rather than "something else went wrong with a file"
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS})


def disk_error(exc: OSError) -> DiskError:
    """The archivist's message for a file that could not be written."""
    if exc.errno not in DISK_ERRNOS:
        return DiskError(Msg("error.disk_write", detail=str(exc)))
    what = "full" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else (
        "readonly" if exc.errno == errno.EROFS else "large")
    return DiskError(Msg("error.disk_full", what=what, detail=exc.strerror or str(exc)))


class CaptureCancelledError(SomecaptureError):
    """The archivist cancelled the capture (nothing was published)."""

    code = "cancelled"


class InternalError(SomecaptureError):
    """A bug in somecapture: the message says so, the log has the traceback."""

    code = "internal"


class ProfileError(SomecaptureError):
    """A profile is missing, locked or not logged in."""

    code = "profile"


class PackageError(SomecaptureError):
    """Writing or checking a package failed."""

    code = "package"


class AlreadyPublishedError(PackageError):
    """A batch item's package was already published by another delivery of the same job (a
    distributed batch redelivers work whose worker seemed to have died): this capture is
    not published a second time. ``package`` is the package that was published."""

    # no code of its own: a distributed batch reports the published package instead

    def __init__(self, package: Path) -> None:
        self.package = package
        super().__init__(Msg("error.already_published", package=str(package)))


class PdfRenditionError(PackageError):
    """The rendition could not be made PDF/A-2b; ``problems`` says why."""

    code = "pdf"

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(Msg("error.pdf_failed", problems=list(self.problems)))


class ArkivmeldingInvalidError(PackageError):
    """An arkivmelding that does not validate against its schema or eFormidling/Fiks rules.

    Attributes:
        variant: The dialect it was checked against.
        message: The first problem, as the validator worded it (a catalogue message for
            somecapture's own checks; the XSD validator's English words for a schema error).
        line: Line number of the first problem in the XML (None if unknown).
        path: XPath of the offending element (None if unknown).
        errors: Every problem found, one formatted line each (catalogue messages).
    """

    code = "arkivmelding"

    def __init__(
        self,
        variant: str,
        message: str,
        line: int | None = None,
        path: str | None = None,
        errors: tuple[str, ...] = (),
    ) -> None:
        self.variant = variant
        self.message = message
        self.line = line
        self.path = path
        self.errors = errors or (message,)
        location: str = ""
        if line is not None or path:
            location = Msg("noark.where", line=str(line or ""), path=path or "",
                           has_line="yes" if line is not None else "no",
                           has_path="yes" if path else "no")
        super().__init__(Msg("error.arkivmelding_invalid", variant=variant, where=location,
                             message=message, more=len(self.errors) - 1))


class VerificationError(PackageError):
    """A package did not pass verification; ``problems`` names each failing file."""

    code = "verification"

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        # the problems as they are (catalogue messages): each is shown in the reader's
        # language, one a line
        super().__init__(Msg("error.verification_failed", problems=list(problems)))


def error_classes() -> Iterator[type[SomecaptureError]]:
    """Every class of the tree, base first (for shells that must know every code)."""
    todo: list[type[SomecaptureError]] = [SomecaptureError]
    while todo:
        cls = todo.pop(0)
        yield cls
        todo.extend(cls.__subclasses__())


def error_codes() -> set[str]:
    """Every ``code`` a result or an exception can carry."""
    return {cls.code for cls in error_classes()}
