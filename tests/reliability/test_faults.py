"""Fault injection: servers and pages that fail or misbehave, captured with a real browser.

For every fault: the right status, a clear message (no traceback), no run past the budget,
nothing under a final name for a failed capture, and what the page did listed in the
provenance of the published package.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from somecapture.engine.page_steps import PageSteps
from somecapture.models import CaptureStatus
from somecapture.options import MIB
from somecapture.package.verify import verify_package
from tests.fixtures.site.server import FAULT_DOWNLOAD_MARKER, FixtureSite
from tests.reliability.helpers import (
    BUDGET_MARGIN_S,
    TRACEBACK_MARKERS,
    Outcome,
    SharedBrowser,
    TlsFixtureSite,
    fast_options,
    final_names,
    leftover_processes,
    run_own_session,
    self_signed_cert,
    staging_leftovers,
)

pytestmark = pytest.mark.browser

Capture = Callable[..., Outcome]

#: budgets for pages that never go quiet: every waiting step runs to its end, so keep them short
BUSY = {"settle_timeout_s": 1.0, "expand_timeout_s": 2.0, "lazy_media_timeout_s": 1.0}


@pytest.fixture(scope="module")
def cap(browser: SharedBrowser, fault_site: FixtureSite,
        tmp_path_factory: pytest.TempPathFactory) -> Capture:
    """Capture a fixture path with the shared browser (each distinct capture runs once)."""
    cache: dict[Any, Outcome] = {}

    def run(path: str, **changes: Any) -> Outcome:
        key = (path, tuple(sorted(changes.items())))
        if key not in cache:
            out = tmp_path_factory.mktemp("fault") / "out"
            cache[key] = browser.capture(fault_site.url(path), out, **changes)
        return cache[key]

    return run


# -- shared checks -------------------------------------------------------------------------


def _no_traceback(text: str) -> None:
    for marker in TRACEBACK_MARKERS:
        assert marker not in text, text


def _budget_warnings_only(o: Outcome) -> None:
    """A PARTIAL capture of a busy page may only have run out of time, and must say so."""
    for warning in o.result.warnings:
        assert "budget" in warning or "stopped after" in warning, o.result.warnings


def _within_budget(o: Outcome) -> None:
    assert o.elapsed_s <= o.budget_s + BUDGET_MARGIN_S, (
        f"took {o.elapsed_s:.1f} s, budget {o.budget_s:.0f} s + {BUDGET_MARGIN_S:.0f} s")


def assert_failed(o: Outcome, *needles: str, retryable: bool | None = None) -> None:
    """FAILED, a message naming the cause, nothing published, staging cleaned up."""
    r = o.result
    assert r.status is CaptureStatus.FAILED, (r.status, r.error, r.warnings)
    assert r.package is None
    assert r.error, "a failed capture needs a message"
    _no_traceback(r.error)
    for needle in needles:
        assert needle in r.error, (needle, r.error)
    if retryable is not None:
        assert r.retryable is retryable, (r.retryable, r.error)
    assert final_names(o.out_dir) == [], "something was published for a failed capture"
    assert staging_leftovers(o.out_dir) == [], "staging was not cleaned up"
    _within_budget(o)


def assert_published(o: Outcome, *statuses: CaptureStatus) -> dict[str, Any]:
    """Published with one of ``statuses``; the package verifies; returns its metadata."""
    r = o.result
    assert r.status in statuses, (r.status, r.error, r.warnings)
    assert r.package is not None and r.package.parent == o.out_dir
    assert final_names(o.out_dir) == [r.package]
    assert staging_leftovers(o.out_dir) == []
    check = verify_package(r.package)
    assert check.ok, check.problems
    for warning in r.warnings:
        _no_traceback(warning)
    _within_budget(o)
    meta: dict[str, Any] = json.loads(
        (r.package / "data" / "capture-metadata.json").read_text("utf-8"))
    assert meta["status"] == r.status.value
    return meta


def warc_responses(package: Path) -> dict[str, tuple[int, dict[str, str], bytes]]:
    """Target URI → (status, WARC headers, body) of every response record."""
    out = {}
    with open(package / "data" / "capture.warc", "rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type == "response":
                uri = rec.rec_headers.get_header("WARC-Target-URI")
                out[uri] = (int(rec.http_headers.get_statuscode()),
                            dict(rec.rec_headers.headers), rec.content_stream().read())
    return out


def reports(site: FixtureSite, what: str | None = None) -> list[str]:
    """What pages reported to /fault/report (decoded ``what: detail``)."""
    from urllib.parse import parse_qs, urlsplit

    found = []
    for req in site.requests:
        parts = urlsplit(req.path)
        if parts.path == "/fault/report":
            q = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            if what is None or q.get("what") == what:
                found.append(f"{q.get('what')}: {q.get('detail', '')}")
    return found


# -- the server fails ------------------------------------------------------------------------


@pytest.mark.parametrize("code", [500, 502, 503])
def test_server_error_is_failed_and_retryable(cap: Capture, code: int) -> None:
    o = cap(f"/status/{code}")
    assert_failed(o, str(code), "error page", retryable=True)
    assert o.result.error_code == "http_error"


def test_refused_connection_is_failed(tmp_path: Path, browser: SharedBrowser) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    o = browser.capture(f"http://127.0.0.1:{port}/", tmp_path / "out")
    assert_failed(o, "refused", "ERR_CONNECTION_REFUSED")


def test_reset_mid_body_of_the_page_is_failed_and_retryable(cap: Capture) -> None:
    o = cap("/fault/reset-mid-body")
    assert_failed(o, retryable=True)


def test_reset_mid_body_of_the_page_is_named_at_once(cap: Capture) -> None:
    o = cap("/fault/reset-mid-body")
    assert o.result.error and "reset" in o.result.error, o.result.error
    assert o.elapsed_s < 4.0, f"took {o.elapsed_s:.1f} s for a reset after 0.2 s"


def test_reset_mid_body_of_a_subresource_is_listed(cap: Capture) -> None:
    o = cap("/fault/page-with?src=/fault/reset-mid-body%3Fkind%3Djson")
    assert_published(o, CaptureStatus.COMPLETE, CaptureStatus.PARTIAL)
    failed = o.network["failed"]
    assert any("reset-mid-body" in f["url"] and "ERR_CONNECTION_RESET" in f["reason"]
               for f in failed), failed
    # the cut response is in the WARC, marked as cut: never passed off as a whole body
    assert o.result.package is not None
    cut = [h.get("WARC-Truncated") for u, (_s, h, _b) in warc_responses(o.result.package).items()
           if "/fault/reset-mid-body?" in u]
    assert cut == ["disconnect"], cut


def test_reset_mid_body_of_a_subresource_is_not_passed_off_as_complete(cap: Capture) -> None:
    o = cap("/fault/page-with?src=/fault/reset-mid-body%3Fkind%3Djson")
    assert o.result.status is CaptureStatus.PARTIAL, (o.result.status, o.result.warnings)
    assert any("/fault/reset-mid-body" in t["url"] for t in o.network["truncated"]), (
        o.network["truncated"])


def test_slow_drip_within_the_budget_is_complete(cap: Capture) -> None:
    o = cap("/drip?seconds=2")
    assert_published(o, CaptureStatus.COMPLETE)
    assert o.result.package is not None
    body = next(b for u, (_s, _h, b) in warc_responses(o.result.package).items() if "/drip" in u)
    assert b"Drypp ferdig" in body  # the whole slow body was kept


def test_slow_drip_past_the_load_budget_is_failed_in_time(cap: Capture) -> None:
    o = cap("/drip?seconds=30", load_timeout_s=3)
    assert_failed(o, "load budget", retryable=True)
    assert o.elapsed_s < 3 + 5


def test_slow_headers_past_the_load_budget_are_failed_in_time(cap: Capture) -> None:
    o = cap("/slow?ms=20000", load_timeout_s=3)
    assert_failed(o, "load budget", retryable=True)
    assert o.elapsed_s < 3 + 5


def test_endless_page_is_failed_within_the_load_budget(cap: Capture) -> None:
    o = cap("/fault/endless?kind=html&ms=50", load_timeout_s=3)
    assert_failed(o, "load budget", retryable=True)
    assert o.elapsed_s < 3 + 5


def test_endless_subresource_ends_with_the_budget_and_is_listed(cap: Capture) -> None:
    o = cap("/fault/page-with?src=/fault/endless%3Fkind%3Dbin%26ms%3D100", **BUSY)
    # the page itself is fine; the stream is listed as unfinished
    assert_published(o, CaptureStatus.COMPLETE, CaptureStatus.PARTIAL)
    assert any("/fault/endless" in f["url"] and "still loading" in f["reason"]
               for f in o.network["failed"]), o.network["failed"]
    if o.result.status is CaptureStatus.PARTIAL:
        _budget_warnings_only(o)


def test_endless_subresource_over_the_size_cap_is_partial(cap: Capture) -> None:
    o = cap("/fault/page-with?src=/fault/endless%3Fkind%3Dbin%26ms%3D5%26chunk%3D65536",
            max_capture_bytes=1 * MIB, **BUSY)
    assert_published(o, CaptureStatus.PARTIAL)
    assert any("size cap" in w for w in o.result.warnings), o.result.warnings
    assert any("/fault/endless" in t["url"] for t in o.network["truncated"])
    assert o.network["body_bytes"] <= 1 * MIB


def test_page_over_the_size_cap_is_partial_and_marked_truncated(cap: Capture) -> None:
    o = cap("/fault/big-html?mb=3", max_capture_bytes=1 * MIB)
    assert_published(o, CaptureStatus.PARTIAL)
    assert any("size cap" in w for w in o.result.warnings), o.result.warnings
    assert o.result.package is not None
    status, headers, body = next(v for u, v in warc_responses(o.result.package).items()
                                 if "/fault/big-html" in u)
    assert status == 200 and headers.get("WARC-Truncated") == "length"
    assert len(body) <= 1 * MIB


def test_redirect_loop_is_failed(cap: Capture) -> None:
    o = cap("/r/loop")
    assert_failed(o, "redirects in a loop", retryable=False)


def test_invalid_tls_certificate_is_failed_with_the_certificate_message(
        tmp_path: Path, browser: SharedBrowser) -> None:
    cert, key = self_signed_cert(tmp_path)
    with TlsFixtureSite(cert, key) as tls:
        url = tls.url("/gzip/page")
        o = run_own_session(url, fast_options(tmp_path / "out"))
        assert_failed(o, "certificate", "--ignore-https-errors", retryable=False)
        ok = run_own_session(url, fast_options(tmp_path / "out2", ignore_https_errors=True))
        assert_published(ok, CaptureStatus.COMPLETE)
        assert ok.provenance["options"]["ignore_https_errors"] is True
    # the two browsers of this test are gone (the shared one is not theirs to close)
    assert leftover_processes(exclude=browser.owns) == []


# -- pages that never go quiet ------------------------------------------------------------


def test_polling_page_is_published_within_the_budget(cap: Capture) -> None:
    o = cap("/fault/poll?ms=200", **BUSY)
    assert_published(o, CaptureStatus.COMPLETE, CaptureStatus.PARTIAL)
    if o.result.status is CaptureStatus.PARTIAL:
        _budget_warnings_only(o)
    assert o.result.package is not None
    ticks = [u for u in warc_responses(o.result.package) if "/fault/poll/tick" in u]
    assert len(ticks) >= 3, ticks


@pytest.mark.parametrize("variant", ["open", "closed-port"])
def test_websocket_page_is_published_within_the_budget(cap: Capture, fault_site: FixtureSite,
                                                      variant: str) -> None:
    path = "/fault/websocket" if variant == "open" else "/fault/websocket?port=9"
    o = cap(path)
    assert_published(o, CaptureStatus.COMPLETE, CaptureStatus.PARTIAL)
    if o.result.status is CaptureStatus.PARTIAL:
        _budget_warnings_only(o)
    if variant == "open":
        # the socket really worked through the guard proxy (and its login)
        assert "ws: message" in reports(fault_site, "ws")


# -- hostile scripts -----------------------------------------------------------------------


def test_dialogs_are_dismissed_and_listed(cap: Capture, fault_site: FixtureSite) -> None:
    o = cap("/fault/dialogs")
    meta = assert_published(o, CaptureStatus.COMPLETE)
    dismissed = meta["provenance"]["dialogs_dismissed"]
    assert any(d.startswith("alert: Varsel fra siden") for d in dismissed), dismissed
    assert any(d.startswith("confirm: ") for d in dismissed), dismissed
    assert any(d.startswith("prompt: ") for d in dismissed), dismissed
    # the page went on after its dialogs (and print()) instead of blocking the capture
    assert "dialogs: confirm=false prompt=null" in reports(fault_site, "dialogs")


def test_popups_are_closed_and_listed(cap: Capture, fault_site: FixtureSite) -> None:
    o = cap("/fault/popup")
    meta = assert_published(o, CaptureStatus.COMPLETE)
    closed = meta["provenance"]["popups_closed"]
    assert any("popup=load" in u for u in closed), closed
    assert any("popup=click" in u for u in closed), closed
    assert o.result.final_url == fault_site.url("/fault/popup")


@pytest.mark.parametrize("variant", ["beforeunload", "beforeunload+spinning-pagehide"])
def test_page_that_blocks_unload_does_not_hold_the_capture(
        cap: Capture, fault_site: FixtureSite, variant: str) -> None:
    path = "/fault/beforeunload" + ("?spin=1" if "spin" in variant else "")
    o = cap(path)
    meta = assert_published(o, CaptureStatus.COMPLETE)
    assert any(d.startswith("beforeunload") for d in meta["provenance"]["dialogs_dismissed"])
    # dismissing the dialog keeps the page: the capture is of the page asked for
    assert o.result.thread.get("page", {}).get("url") == fault_site.url(path)


def test_page_that_navigates_away_is_still_published(cap: Capture) -> None:
    o = cap("/fault/navigate-away?ms=300")
    assert_published(o, CaptureStatus.COMPLETE, CaptureStatus.PARTIAL)


def test_page_that_navigates_away_is_not_passed_off_as_complete(
        cap: Capture, fault_site: FixtureSite) -> None:
    o = cap("/fault/navigate-away?ms=300")
    shown = o.result.thread.get("page", {}).get("url")
    assert shown == fault_site.url("/gzip/page?navigated=1")  # what the screenshot shows
    assert o.result.status is CaptureStatus.PARTIAL, o.result.status
    assert any("navigat" in w for w in o.result.warnings), o.result.warnings
    assert o.result.final_url == shown


def test_downloads_are_refused_and_never_written(cap: Capture, fault_site: FixtureSite,
                                                 tmp_path: Path) -> None:
    o = cap("/fault/download")
    assert_published(o, CaptureStatus.COMPLETE, CaptureStatus.PARTIAL)
    assert reports(fault_site, "download") == ["download: clicked"]
    # no downloaded file anywhere the browser could have put it
    places = [o.out_dir.parent, Path.home() / "Downloads", Path.cwd(),
              Path(tempfile.gettempdir())]
    names = {"setup.exe", "archive.zip", "invoice.pdf.exe"}
    for place in places:
        if not place.is_dir():
            continue
        depth0 = len(place.parts)
        for root, dirs, files in os.walk(place):
            if len(Path(root).parts) - depth0 >= 3:
                dirs[:] = []
            hit = names.intersection(files)
            assert not hit, f"downloaded file(s) {hit} in {root}"
            for name in files:
                path = Path(root) / name
                if name.startswith("playwright") or "download" in name.lower():
                    try:
                        assert FAULT_DOWNLOAD_MARKER not in path.read_bytes()[:4096]
                    except OSError:
                        pass


def test_refused_downloads_are_listed_in_provenance(cap: Capture) -> None:
    o = cap("/fault/download")
    assert o.result.package is not None
    meta = json.loads((o.result.package / "data" / "capture-metadata.json").read_text("utf-8"))
    entries = _entries(meta["provenance"])
    for name in ("setup.exe", "archive.zip", "invoice.pdf.exe"):
        # an entry naming the file and saying it was a download (besides the URL's path)
        listed = [e for e in entries if name in e
                  and "download" in e.replace("/fault/download/", "/").lower()]
        assert listed, (name, [e for e in entries if name in e])


def _entries(obj: Any, key: str = "") -> list[str]:
    """Every list item of a JSON structure as one string, prefixed by the key holding it."""
    if isinstance(obj, dict):
        return [e for k, v in obj.items() for e in _entries(v, k)]
    if isinstance(obj, list):
        return [f"{key}: {json.dumps(item, ensure_ascii=False)}" for item in obj]
    return []


def test_page_cannot_read_local_files(cap: Capture, fault_site: FixtureSite) -> None:
    o = cap("/fault/local-file")
    assert_published(o, CaptureStatus.COMPLETE, CaptureStatus.PARTIAL)
    kinds = ("file-fetch", "file-xhr", "file-iframe", "file-window-open")
    got = {r.split(":", 1)[0]: r.split(":", 1)[1].strip() for r in reports(fault_site)
           if r.split(":", 1)[0] in kinds}
    assert set(got) == set(kinds), got
    passwd = Path("/etc/passwd").read_text(errors="replace")
    hostname = Path("/etc/hostname").read_text(errors="replace").strip() \
        if Path("/etc/hostname").exists() else ""
    for what, detail in got.items():
        # "read " with nothing after it is the error page of a refused file: frame
        assert detail.startswith("blocked") or detail == "read", (what, detail)
        assert "root:" not in detail and (not hostname or hostname not in detail), (what, detail)
    assert o.result.package is not None
    for path in (o.result.package / "data").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert passwd.splitlines()[0].encode() not in data, path
    assert not any(u.startswith("file:") for u in o.provenance.get("popups_closed", []))


def test_renderer_crash_is_failed_and_retryable(
        browser: SharedBrowser, fault_site: FixtureSite, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    original = PageSteps.settle

    async def settle_then_crash(self: Any, budget: float) -> str:
        try:
            await asyncio.wait_for(self.state.cdp.send("Page.crash"), 1)
        except Exception:  # noqa: BLE001 - the CDP session dies with the renderer
            pass
        await asyncio.sleep(0.3)
        result: str = await original(self, budget)
        return result

    monkeypatch.setattr(PageSteps, "settle", settle_then_crash)
    o = browser.capture(fault_site.url("/gzip/page?crash=1"), tmp_path / "out")
    assert_failed(o, "crashed", retryable=True)
    assert o.result.error_code == "crashed"


def test_hung_page_script_is_stopped_within_the_budget(cap: Capture) -> None:
    o = cap("/fault/hang?ms=300", capture_timeout_s=5, screenshot_timeout_s=1)
    assert_failed(o, "stopped responding", retryable=True)
    assert o.result.error_code == "hung"


@pytest.mark.parametrize("stall_ms", [3000, 6000])
def test_a_long_but_finite_task_is_not_taken_for_a_hung_page(cap: Capture,
                                                              stall_ms: int) -> None:
    # heavy pages on slow machines block their renderer for seconds at a time
    o = cap(f"/fault/hang?ms=200&for={stall_ms}")
    assert_published(o, CaptureStatus.COMPLETE, CaptureStatus.PARTIAL)
    assert o.result.thread.get("page", {}).get("title") == "Henger"
