"""Budgets that hold (issue 16 item 5) and local limits named (item 8).

Hostile pages on a server on 127.0.0.1, captured with the default step budgets (screenshot
120 s, expand 90 s, load 45 s…) under a short overall ``capture_timeout_s``: the overall
budget is a ceiling for the whole capture; only the steps that keep what was recorded may run
past it, within ``EVIDENCE_GRACE_S`` (see :mod:`somecapture.engine.steps`). Each capture must
end within ceiling + grace (+ a margin for a loaded machine), report the page for what it is
(PARTIAL with a screenshot, or FAILED with a plain message) and leave nothing running.

Before the fix, measured on a loaded 2-core machine: at ``capture_timeout_s`` 20 a page that
never fires ``load`` failed after 23 s as "navigate: stopped after its 18 s budget; nothing was
published", and a 200,000 px page ran 69 s (the screenshot, always run, got its whole 120 s
budget: 40 s; packaging 15 s); the busy and huge-DOM pages were already FAILED as hung in
~13 s. A 300 KiB response head was "the server sent an empty response", code ``timeout``,
retryable.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from somecapture.engine.steps import EVIDENCE_GRACE_S
from somecapture.models import CaptureResult, CaptureStatus
from somecapture.options import CaptureOptions
from somecapture.pipeline import CapturePipeline
from tests.reliability.helpers import (
    TRACEBACK_MARKERS,
    SharedBrowser,
    cli,
    final_names,
    leftover_processes,
    staging_leftovers,
)

pytestmark = pytest.mark.browser

#: the overall budget of these captures (short, to keep the suite's time down)
CEILING_S = 20.0
#: room for a loaded 2-core CI machine (closing the context, the catalogue, scheduling)
LOAD_MARGIN_S = 6.0

# -- the hostile site -----------------------------------------------------------------------------

_ROW = "'<div class=\"r\"><span>' + 'x'.repeat(80) + '</span></div>'"
PAGES = {
    # a script that never yields: the renderer's main thread is busy for good
    "/busy": ("Opptatt", "<p>Denne siden henger.</p>",
              "addEventListener('load', () => setTimeout(() => { for (;;) {} }, 300));"),
    # ~55 MB of markup added in one task: the main thread is busy building and laying it out
    "/bigdom": ("Stor DOM", "<p>Stor side.</p>",
                "addEventListener('load', () => setTimeout(() => {\n"
                f"  const row = {_ROW};\n"
                "  for (let k = 0; k < 50; k++) {\n"
                "    const parts = []; for (let i = 0; i < 10000; i++) parts.push(row);\n"
                "    document.body.insertAdjacentHTML('beforeend', parts.join(''));\n"
                "  }\n"
                "}, 300));"),
    # 200,000 px of costly paint (a gradient under a blur): a huge, slow screenshot
    "/tall": ("Høy side", "<style>div.b{height:2000px;background:repeating-linear-gradient("
              "45deg,#c33 0 3px,#33c 3px 7px);filter:blur(2px)}</style><p>Høy side.</p>",
              "document.write('<div class=\"b\"></div>'.repeat(100));"),
    # a frame whose document never ends: no `load` event, ever
    "/drip": ("Drypp", "<p>Drypp.</p><iframe src=\"/never\"></iframe>", ""),
}
#: a response head over the tool's 256 KiB limit (300 headers of 1 KiB)
BIG_HEAD = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
            + b"".join(b"X-Fyll-%d: %s\r\n" % (i, b"a" * 1000) for i in range(300))
            + b"Content-Length: 5\r\nConnection: close\r\n\r\nhallo")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Site

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib's name
        path = self.path.split("?", 1)[0]
        self.server.hits.append(path)
        if path == "/big-head":
            self.wfile.write(BIG_HEAD)
            return
        if path == "/never":
            self._drip_forever()
            return
        if path not in PAGES:
            self.send_error(404)
            return
        title, body, script = PAGES[path]
        html = (f"<!doctype html><html lang=nb><meta charset=utf-8><title>{title}</title>"
                f"<body>{body}<script>{script}</script></body></html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(html)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(html)

    def _drip_forever(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        with contextlib.suppress(OSError):
            while not self.server.stopping.wait(0.5):
                self.wfile.write(b"d\r\n<p>drypp</p>\n\r\n")
                self.wfile.flush()


class _Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hits: list[str] = []
        self.stopping = threading.Event()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@pytest.fixture(scope="module")
def site() -> Iterator[_Site]:
    server = _Site()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()


# -- capturing ------------------------------------------------------------------------------------


def _options(out: Path, **changes: Any) -> CaptureOptions:
    """The default step budgets (the point of these tests), a short overall budget."""
    return CaptureOptions(**{
        "out_dir": out, "capture_timeout_s": CEILING_S, "allow_private_network": True,
        "catalog_path": out.parent / "catalog.sqlite", **changes})


def _capture(browser: SharedBrowser, url: str, out: Path) -> tuple[CaptureResult, float]:
    """One capture with the shared browser; cancelled (and failed) well past the ceiling."""
    pipeline = CapturePipeline(browser.session, _options(out))
    hard_stop = CEILING_S + EVIDENCE_GRACE_S + 60

    async def run() -> CaptureResult:
        return await asyncio.wait_for(pipeline.capture(url), hard_stop)

    t0 = time.monotonic()
    result = browser.loop.run_until_complete(run())
    elapsed = time.monotonic() - t0
    contexts = browser.session.browser.contexts if browser.session.browser else []
    assert not contexts, f"{len(contexts)} browser context(s) left open"
    assert browser.renderers(wait_s=5.0) == [], "a renderer was left running"
    return result, elapsed


def _within_ceiling(elapsed: float, result: CaptureResult) -> None:
    limit = CEILING_S + EVIDENCE_GRACE_S + LOAD_MARGIN_S
    assert elapsed <= limit, (
        f"took {elapsed:.1f} s; ceiling {CEILING_S:.0f} s + grace {EVIDENCE_GRACE_S:.0f} s "
        f"+ {LOAD_MARGIN_S:.0f} s margin: {[(s.name, s.duration_s) for s in result.steps]}")


def _plain(text: str) -> None:
    for marker in TRACEBACK_MARKERS:
        assert marker not in text, text


def _failed_as_hung(result: CaptureResult, out: Path) -> None:
    assert result.status is CaptureStatus.FAILED, (result.status, result.warnings)
    assert result.error_code == "hung", result.error
    assert result.error and "stopped responding" in result.error
    assert "main thread" in result.error, result.error
    _plain(result.error)
    assert result.retryable
    assert final_names(out) == [] and staging_leftovers(out) == []


def _published_with_screenshot(result: CaptureResult, out: Path) -> Path:
    assert result.status is CaptureStatus.PARTIAL, (result.status, result.error,
                                                    result.warnings)
    assert result.package is not None and final_names(out) == [result.package]
    shot = result.package / "data" / "screenshot.png"
    assert shot.is_file() and shot.stat().st_size > 0
    for warning in result.warnings:
        _plain(warning)
    return result.package


# -- the hostile pages ----------------------------------------------------------------------------


def test_busy_looping_script_is_failed_as_hung_within_the_ceiling(
        browser: SharedBrowser, site: _Site, tmp_path: Path) -> None:
    result, elapsed = _capture(browser, site.url("/busy"), tmp_path / "out")
    _failed_as_hung(result, tmp_path / "out")
    _within_ceiling(elapsed, result)


@pytest.mark.slow
def test_page_building_a_huge_dom_is_reported_for_what_it_is_within_the_ceiling(
        browser: SharedBrowser, site: _Site, tmp_path: Path) -> None:
    result, elapsed = _capture(browser, site.url("/bigdom"), tmp_path / "out")
    # a fast machine may get through the DOM and its screenshot; a slow one finds the page
    # busy: either is the truth, said plainly
    if result.status is CaptureStatus.FAILED and result.error_code == "screenshot":
        # the page answered the liveness probe but could not be painted in the time left:
        # slow, not hung, and said so
        assert result.error and "still being laid out or painted" in result.error
        assert "stopped after its" in result.error, result.error
        _plain(result.error)
        assert result.retryable
        assert final_names(tmp_path / "out") == [] and staging_leftovers(tmp_path / "out") == []
    elif result.status is CaptureStatus.FAILED:
        _failed_as_hung(result, tmp_path / "out")
    else:
        _published_with_screenshot(result, tmp_path / "out")
    _within_ceiling(elapsed, result)


@pytest.mark.slow
def test_huge_screenshot_is_cut_to_the_ceiling_and_published(
        browser: SharedBrowser, site: _Site, tmp_path: Path) -> None:
    result, elapsed = _capture(browser, site.url("/tall"), tmp_path / "out")
    _published_with_screenshot(result, tmp_path / "out")
    cut = [w for w in result.warnings if "screenshot was cut at" in w]
    assert cut, result.warnings
    # cut for time (the budget named) or at the tool's own height limit, never silently
    assert "time budget" in cut[0] or "this tool's limit" in cut[0], cut
    _within_ceiling(elapsed, result)


@pytest.mark.slow
def test_sub_resource_that_never_ends_is_published_partial_within_the_ceiling(
        browser: SharedBrowser, site: _Site, tmp_path: Path) -> None:
    result, elapsed = _capture(browser, site.url("/drip"), tmp_path / "out")
    _published_with_screenshot(result, tmp_path / "out")
    assert any("did not finish loading" in w for w in result.warnings), result.warnings
    _within_ceiling(elapsed, result)


@pytest.mark.slow
@pytest.mark.parametrize(("timeout", "wall"), [
    (CEILING_S, CEILING_S + EVIDENCE_GRACE_S + LOAD_MARGIN_S),
    # the issue's own figure: "a capture with --timeout 60 never runs past 75 s wall time"
    (60.0, 75.0),
])
def test_the_cli_timeout_is_a_ceiling(browser: SharedBrowser, site: _Site, tmp_path: Path,
                                      timeout: float, wall: float) -> None:
    # the whole command, browser start and stop included, as the archivist times it
    run = cli("capture", site.url("/tall"), "--timeout", f"{timeout:.0f}", "--out",
              str(tmp_path / "out"), "--allow-private-network", "--json",
              env={"XDG_STATE_HOME": str(tmp_path / "state"),
                   "XDG_DATA_HOME": str(tmp_path / "data")},
              timeout=timeout + EVIDENCE_GRACE_S + 90)
    _plain(run.stderr)
    result = json.loads(run.stdout)["results"][0]
    assert result["status"] == "partial", (result, run.stderr[-2000:])
    assert run.elapsed_s <= wall, (f"the command took {run.elapsed_s:.1f} s", run.stderr[-3000:])
    assert leftover_processes(exclude=browser.owns) == []


# -- local limits ---------------------------------------------------------------------------------


def test_response_head_over_the_limit_is_named_and_not_retried(
        browser: SharedBrowser, site: _Site, tmp_path: Path) -> None:
    before = site.hits.count("/big-head")
    result, elapsed = _capture(browser, site.url("/big-head"), tmp_path / "out")
    assert result.status is CaptureStatus.FAILED
    assert result.error and "larger than this tool's 256 KiB limit" in result.error, result.error
    assert "empty response" not in result.error
    _plain(result.error)
    assert result.retryable is False, "a limit of the tool is hit again on every attempt"
    assert site.hits.count("/big-head") - before == 1, "asked the server more than once"
    assert final_names(tmp_path / "out") == []
    _within_ceiling(elapsed, result)
