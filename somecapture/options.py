"""Every capture option in one place: name (with unit), default and a one-line doc.

Options are validated once, at the edge (``CaptureOptions(...)`` raises :class:`OptionsError`),
and recorded verbatim in provenance, minus secrets (see :meth:`CaptureOptions.for_provenance`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from somecapture.errors import OptionsError

MIB = 1024 * 1024


@dataclass(frozen=True)
class CaptureOptions:
    """Options for one capture (or every capture of a batch)."""

    #: where packages are published; ``None`` = ``<Documents>/somecapture``
    out_dir: Path | None = None
    #: explicit browser executable; ``None`` = discover (see engine.browser)
    browser_path: str | None = None
    #: run the browser without a window (the normal case; ``False`` only for debugging)
    headless: bool = True
    #: proxy URL for all browser traffic, e.g. ``http://user:pw@proxy.agency.no:8080``
    proxy: str | None = None
    #: accept invalid TLS certificates (agency TLS-inspection proxies)
    ignore_https_errors: bool = False
    #: viewport size in CSS pixels; the screenshot is this wide
    viewport_width_px: int = 1280
    viewport_height_px: int = 900
    #: locale and time zone the page sees (platforms localise labels and dates)
    locale: str = "nb-NO"
    timezone_id: str = "Europe/Oslo"
    #: budget for the main document to load (``load`` event)
    load_timeout_s: float = 45.0
    #: budget for the page to go quiet after load
    settle_timeout_s: float = 10.0
    #: how long the network must be idle to count as settled
    network_idle_ms: int = 800
    #: budget for thread expansion (scrolling, "more replies" clicks)
    expand_timeout_s: float = 90.0
    #: most "load more" clicks and scroll rounds before expansion stops (PARTIAL)
    expand_max_actions: int = 400
    #: budget for waiting for lazy images after expansion
    lazy_media_timeout_s: float = 10.0
    #: budget for taking the full-page screenshot
    screenshot_timeout_s: float = 120.0
    #: overall budget for one capture, all steps included
    capture_timeout_s: float = 600.0
    #: most response bytes recorded per capture; beyond it bodies are truncated (PARTIAL)
    max_capture_bytes: int = 1024 * MIB
    #: bodies larger than this are streamed to disk chunk by chunk instead of fetched whole
    stream_body_threshold_bytes: int = 8 * MIB
    #: force a site adapter by name (``mastodon``, ``generic``…); ``None`` = choose by URL/page
    site: str | None = None
    #: extra metadata for the records system (title, case, archivist, …), set by shells
    record: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        checks: list[tuple[str, bool, str]] = [
            ("viewport_width_px", 320 <= self.viewport_width_px <= 4096, "320–4096"),
            ("viewport_height_px", 240 <= self.viewport_height_px <= 4096, "240–4096"),
            ("load_timeout_s", 1 <= self.load_timeout_s <= 600, "1–600 s"),
            ("settle_timeout_s", 0 <= self.settle_timeout_s <= 600, "0–600 s"),
            ("network_idle_ms", 50 <= self.network_idle_ms <= 60_000, "50–60000 ms"),
            ("expand_timeout_s", 0 <= self.expand_timeout_s <= 3600, "0–3600 s"),
            ("expand_max_actions", 0 <= self.expand_max_actions <= 100_000, "0–100000"),
            ("lazy_media_timeout_s", 0 <= self.lazy_media_timeout_s <= 600, "0–600 s"),
            ("screenshot_timeout_s", 1 <= self.screenshot_timeout_s <= 1800, "1–1800 s"),
            ("capture_timeout_s", 5 <= self.capture_timeout_s <= 7200, "5–7200 s"),
            ("max_capture_bytes", self.max_capture_bytes >= MIB, "at least 1 MiB"),
            ("stream_body_threshold_bytes", self.stream_body_threshold_bytes >= 64 * 1024,
             "at least 64 KiB"),
        ]
        for name, ok, allowed in checks:
            if not ok:
                raise OptionsError(
                    f"Option {name}={getattr(self, name)!r} is out of range (allowed: {allowed})."
                )
        if self.site is not None:
            from somecapture.sites.base import available_sites

            if self.site not in available_sites():
                raise OptionsError(
                    f"Unknown site adapter {self.site!r}. Known: {', '.join(available_sites())}."
                )
        if self.proxy is not None:
            parts = urlsplit(self.proxy)
            if parts.scheme not in ("http", "https", "socks5") or not parts.hostname:
                raise OptionsError(
                    f"Proxy {redact_url_credentials(self.proxy)!r} is not a proxy URL. "
                    "Use the form http://host:port (or https://, socks5://)."
                )

    def with_changes(self, **changes: Any) -> CaptureOptions:
        """A copy with some options changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def for_provenance(self) -> dict[str, Any]:
        """All options as plain JSON data with secrets removed (proxy credentials)."""
        data: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "proxy" and value:
                value = redact_url_credentials(value)
            if isinstance(value, Path):
                value = str(value)
            data[f.name] = value
        return data


def redact_url_credentials(url: str) -> str:
    """``http://user:pw@host:1/`` → ``http://***@host:1/``; other URLs unchanged."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, f"***@{host}", parts.path, parts.query, parts.fragment))
