"""What one recording knows while it runs, shared by its parts.

The step runner (:mod:`~somecapture.engine.steps`), the page steps
(:mod:`~somecapture.engine.page_steps`), the browser event handlers and the recording itself
(:mod:`~somecapture.engine.capture`) read and write this one object; when the recording ends it
becomes a frozen :class:`~somecapture.models.RecordedPage`.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from playwright.async_api import BrowserContext, CDPSession, Page

from somecapture.engine.browser import BrowserSession
from somecapture.engine.guardproxy import GuardProxy
from somecapture.engine.netguard import NetworkGuard
from somecapture.engine.recorder import NetworkRecorder
from somecapture.engine.tls import OriginCertificates
from somecapture.events import CaptureMessage, Event, safe_emit
from somecapture.messages import Msg
from somecapture.models import ScreenshotInfo, StepReport, WorkFolder
from somecapture.options import CaptureOptions
from somecapture.redact import HeaderRedactor
from somecapture.sites.base import SiteAdapter
from somecapture.sites.reader import ReaderResult
from somecapture.warc.writer import CaptureWarcWriter

Listener = Callable[[Event], None]


def utc_now() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


def rfc3339(moment: datetime) -> str:
    """``2026-11-25T13:22:27.123Z`` (UTC, milliseconds)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(eq=False)
class CaptureState:
    """State of one recording while it runs (mutable; see the module docstring)."""

    session: BrowserSession
    options: CaptureOptions
    listener: Listener | None
    capture_id: str
    requested_url: str
    #: the normalized URL that is opened
    url: str
    work: WorkFolder
    started: datetime = field(default_factory=utc_now)
    deadline: float = 0.0
    steps: list[StepReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: whether a failed recording may succeed when tried again (set by the step runner)
    retryable: bool = False
    final_url: str | None = None
    main_status: int | None = None
    thread: dict[str, Any] = field(default_factory=dict)
    completeness: dict[str, Any] = field(default_factory=dict)
    context: BrowserContext | None = None
    page: Page | None = None
    cdp: CDPSession | None = None
    recorder: NetworkRecorder | None = None
    #: the TLS certificate chains of the capture's HTTPS origins
    certificates: OriginCertificates | None = None
    writer: CaptureWarcWriter | None = None
    adapter: SiteAdapter | None = None
    screenshot: ScreenshotInfo | None = None
    guard: NetworkGuard | None = None
    proxy: GuardProxy | None = None
    proxy_used: str | None = None
    #: why the computer's own proxy could not be used (a catalogue message), or None
    proxy_problem: Msg | None = None
    warc_sha256: str = ""
    provenance: dict[str, Any] = field(default_factory=dict)
    overlays: list[dict[str, Any]] = field(default_factory=list)
    popups: list[str] = field(default_factory=list)
    #: downloads the page started, refused (nothing is saved on the archivist's machine)
    downloads: list[dict[str, str]] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    crashed: bool = False
    #: the renderer stopped answering (an endless script): page steps fail at once
    hung: bool = False
    login_wall: str | None = None
    expand_stopped: str | None = None
    #: Playwright's finished requests (workers, out-of-process frames), recorded at the end
    pw_finished: list[Any] = field(default_factory=list)
    #: main-frame URLs the page navigated to by itself after the capture's navigation
    self_navigations: list[str] = field(default_factory=list)
    #: the site adapter's extract as it came from the page (the thread's page source)
    page_extract: dict[str, Any] | None = None
    #: the final page's HTML, for the standard-markup source (read once recording is done)
    page_html: str | None = None
    #: what the generic reader of the rendered page found (the thread's second page source)
    rendered: ReaderResult | None = None
    #: the page says the post is gone: no source may put a post back
    post_unavailable: str | None = None
    #: the completeness entry for replies the page counts but did not show (recounted once
    #: the thread is merged from all sources)
    reported_missing: dict[str, Any] | None = None
    #: where the merged thread's persons are on the screenshot (the locate-persons step,
    #: :mod:`~somecapture.engine.identities`), or ``{"error": …}``
    identities: dict[str, Any] = field(default_factory=dict, repr=False)
    redactor: HeaderRedactor = field(init=False)

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.options.capture_timeout_s
        self.redactor = HeaderRedactor(enabled=not self.options.keep_credentials,
                                       learn_secrets=self.options.profile is not None)

    def safe(self, url: str) -> str:
        """``url`` as it may be stored: token-like query values redacted in logged-in
        captures (the WARC's own records are redacted the same way)."""
        return self.redactor.url(url, count=False) if url else url

    def log_failure(self, what: str, exc: BaseException) -> None:
        """Log an unexpected failure with its traceback for the log file, the address and the
        traceback redacted like everything else the capture stores (a token in the address,
        a secret in an exception's text)."""
        text = "".join(traceback.format_exception(exc))
        logging.getLogger("somecapture.engine").error(
            "%s %s\n%s", what, self.safe(self.url), self.redactor.text(text))

    def safe_list(self, items: list[dict[str, str]]) -> list[dict[str, str]]:
        """``items`` with each ``url`` made safe to store."""
        return [{**item, "url": self.safe(item.get("url", ""))} for item in items]

    def blocked(self) -> list[dict[str, str]]:
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
        """Send a progress event to the listener (a failing listener never stops a capture);
        logged in, its texts scrubbed of the secrets known so far (the terminal and the log
        never show one)."""
        safe_emit(self.listener, self.redactor.scrub_fields(event))

    def note(self, text: str) -> None:
        """Tell the archivist something while the capture runs."""
        self.emit(CaptureMessage(self.capture_id, text))

    def warn(self, text: str) -> None:
        """Something is missing or not as asked: kept in the result, which becomes PARTIAL."""
        self.warnings.append(text)
        self.note(text)

    def remaining_s(self) -> float:
        """Seconds left of the overall capture budget."""
        return max(0.0, self.deadline - time.monotonic())

    def budget(self, step_budget_s: float) -> float:
        """A step's budget, bounded by what is left of the overall one."""
        return max(0.0, min(step_budget_s, self.remaining_s()))
