"""How a recording was made, for the WARC and the package (never a secret)."""

from __future__ import annotations

import platform
import sys
from importlib import metadata as importlib_metadata
from typing import Any

from somecapture._version import __version__
from somecapture.engine.state import CaptureState, rfc3339
from somecapture.messages import msg_json


def dist_version(name: str) -> str:
    """The installed version of a distribution, or ``unknown``."""
    try:
        return importlib_metadata.version(name)
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


def warcinfo(state: CaptureState) -> dict[str, str]:
    """The WARC's ``warcinfo`` record: what made the file, and how bodies are stored."""
    s = state.session
    return {
        "software": f"somecapture/{__version__} (+playwright/{dist_version('playwright')}"
        f", warcio/{dist_version('warcio')})",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
        "warc-format/warc-1.1/",
        "description": f"somecapture capture {state.capture_id} of "
        f"{state.safe(state.url)}",
        "browser": f"{s.choice.describe() if s.choice else ''}; version {s.version}",
        "http-header-user-agent": s.user_agent,
        "operating-system": f"{platform.system()} {platform.release()} "
        f"({platform.machine()})",
        "http-bodies": "as decoded by the browser: Content-Encoding and Transfer-Encoding "
        "removed, Content-Length set to the stored length",
        "redaction": "session secrets replaced by " + (
            "REDACTED-BY-SOMECAPTURE" if state.redactor.enabled else "nothing (kept on request)"
        ),
    }

def provenance(state: CaptureState) -> dict[str, Any]:
    """Everything about how the capture was made (no secrets).

    Computed once, when the recording is finished: the WARC's metadata record and the
    package's metadata carry this same object.
    """
    s = state.session
    stats = state.recorder.stats if state.recorder else None
    return {
        "capture_id": state.capture_id,
        "tool": {"name": "somecapture", "version": __version__},
        "started_at": rfc3339(state.started),
        "requested_url": state.safe(state.requested_url),
        "normalized_url": state.safe(state.url),
        "final_url": state.final_url,
        "main_document_status": state.main_status,
        "browser": {
            "found_as": s.choice.how if s.choice else None,
            "executable": (s.choice.executable or s.choice.channel) if s.choice else None,
            "version": s.version,
            "user_agent": s.user_agent,
            "headless": state.options.headless,
        },
        "environment": {
            "os": f"{platform.system()} {platform.release()}",
            "machine": platform.machine(),
            "python": sys.version.split()[0],
            "playwright": dist_version("playwright"),
            "warcio": dist_version("warcio"),
        },
        "options": state.options.for_provenance(),
        "adapter": state.adapter.name if state.adapter else None,
        "overlays": state.overlays,
        "dialogs_dismissed": state.dialogs,
        "popups_closed": [state.safe(u) for u in state.popups],
        "downloads_refused": state.downloads[:200],
        "network": {
            "requests": stats.requests,
            "responses_recorded": stats.responses_written,
            "body_bytes": stats.body_bytes,
            "streamed_bodies": stats.streamed,
            "failed": state.safe_list(stats.failed[:200]),
            "blocked": state.safe_list(state.blocked()[:200]),
            # every connection went through somecapture's guard proxy, then this one
            "upstream_proxy": state.proxy_used,
            # why the computer's own proxy was not used: the message's code, parameters and
            # English text (language neutral, as the package's warnings are kept)
            "upstream_proxy_problem": (msg_json(state.proxy_problem)
                                       if state.proxy_problem else None),
            # all of them, also beyond the 200 listed
            "blocked_total": len(state.blocked())
            + (state.proxy.blocked_dropped if state.proxy else 0),
            "truncated": state.safe_list(stats.truncated[:200]),
            # every body's stored bytes against what the browser received (issue 16)
            "body_check": {**stats.body_check(),
                           "mismatched": state.safe_list(stats.body_check()["mismatched"])},
        } if stats else {},
        # the certificate chain each HTTPS origin presented (issue 17), as recorded in the WARC
        "tls": state.certificates.summary() if state.certificates else None,
        "redaction": state.redactor.report(),
        "session": {
            "logged_in": state.options.profile is not None,
            "profile": state.options.profile,
            "credentials_kept": state.options.keep_credentials,
        },
        "screenshot": (
            {"width_px": state.screenshot.width_px, "height_px": state.screenshot.height_px,
             "page_height_px": state.screenshot.page_height_px,
             "segments": state.screenshot.segments}
            if state.screenshot else None
        ),
        "steps": [r.to_json() for r in state.steps],
    }
