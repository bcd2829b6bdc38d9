"""The exception tree. Each leaf carries the message an archivist sees.

A message says what went wrong, where, and what to do about it; the CLI and GUI print it as is,
never a traceback.
"""

from __future__ import annotations


class SomecaptureError(Exception):
    """Base class: ``str(err)`` is the user-facing message."""

    #: a short stable code for machines (JSON output, logs)
    code = "error"


class InputError(SomecaptureError):
    """A URL, list file or option given by the user is not usable."""

    code = "input"


class InvalidURLError(InputError):
    """A URL cannot be captured (wrong scheme, malformed, too long)."""

    code = "invalid_url"


class OptionsError(InputError):
    """An option has a value outside its allowed range."""

    code = "invalid_option"


class BatchBusyError(InputError):
    """The batch is being run by another somecapture process right now."""

    code = "batch_busy"


class OutputDirError(SomecaptureError):
    """The output directory cannot be created or written to."""

    code = "output_dir"


class BrowserNotFoundError(SomecaptureError):
    """No usable Chromium-family browser was found."""

    code = "browser_not_found"

    def __init__(self, tried: list[str]) -> None:
        self.tried = tried
        lines = "\n".join(f"  - {t}" for t in tried)
        super().__init__(
            "No Chromium-based browser was found. Tried:\n"
            f"{lines}\n"
            "Fix: install Google Chrome, Microsoft Edge or Chromium "
            "(Debian/Ubuntu: `sudo apt-get install chromium`), or point somecapture at a "
            "browser with --browser PATH or the SOMECAPTURE_BROWSER environment variable."
        )


class BrowserLaunchError(SomecaptureError):
    """A browser was found but did not start."""

    code = "browser_launch"


class NavigationError(SomecaptureError):
    """The page could not be loaded at all (DNS, refused, TLS, HTTP error page)."""

    code = "navigation"

    def __init__(self, message: str, retryable: bool = False) -> None:
        super().__init__(message)
        #: whether trying again later may help (timeouts, resets, 5xx), as opposed to
        #: errors that will repeat (404, DNS, certificate)
        self.retryable = retryable


class PackageError(SomecaptureError):
    """Writing or checking a package failed."""

    code = "package"


class VerificationError(PackageError):
    """A package did not pass verification; ``problems`` names each failing file."""

    code = "verification"

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Package verification failed:\n" + "\n".join(f"  - {p}" for p in problems))
