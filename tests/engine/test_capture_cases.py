"""Real captures of the fixture site's special routes: redirects, errors, tall pages, caps."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PIL import Image
from warcio.archiveiterator import ArchiveIterator

from somecapture.engine.browser import BrowserSession
from somecapture.engine.capture import PageCapturer
from somecapture.models import CaptureStatus, WorkFolder
from somecapture.options import MIB
from tests.conftest import fast_options, final_packages, run_capture
from tests.fixtures.site import server as fx

pytestmark = pytest.mark.browser


def _responses(package: Path) -> list[tuple[str, int, dict[str, str]]]:
    out = []
    with open(package / "data" / "capture.warc", "rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type == "response":
                out.append((rec.rec_headers.get_header("WARC-Target-URI"),
                            int(rec.http_headers.get_statuscode()),
                            dict(rec.rec_headers.headers)))
    return out


def test_redirect_chain_is_kept(site: fx.FixtureSite, tmp_path: Path) -> None:
    result = run_capture(site.url("/r/chain?noconsent=1"), tmp_path, expand_timeout_s=5)
    assert result.status is CaptureStatus.COMPLETE, result.error
    assert result.final_url == site.url("/post/1?noconsent=1")
    assert result.package is not None
    got = {(uri, status) for uri, status, _ in _responses(result.package)}
    assert (site.url("/r/chain?noconsent=1"), 301) in got
    assert (site.url("/r/chain/2?noconsent=1"), 302) in got
    assert (site.url("/post/1?noconsent=1"), 200) in got


@pytest.mark.parametrize("status", [404, 500])
def test_http_error_page_is_failed_and_publishes_nothing(
    site: fx.FixtureSite, tmp_path: Path, status: int
) -> None:
    result = run_capture(site.url(f"/status/{status}"), tmp_path)
    assert result.status is CaptureStatus.FAILED
    assert result.error is not None and str(status) in result.error
    assert result.package is None
    assert final_packages(tmp_path) == []
    staging = tmp_path / ".somecapture-staging"
    assert not staging.exists() or not any(staging.iterdir())


def test_redirect_loop_is_failed_with_clear_message(site: fx.FixtureSite, tmp_path: Path) -> None:
    result = run_capture(site.url("/r/loop"), tmp_path)
    assert result.status is CaptureStatus.FAILED
    assert result.error is not None and "redirects in a loop" in result.error
    assert final_packages(tmp_path) == []


def test_unreachable_host_is_failed(tmp_path: Path) -> None:
    # a loopback port nothing listens on: the connection is refused at once
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run_capture(f"http://127.0.0.1:{port}/post", tmp_path)
    assert result.status is CaptureStatus.FAILED
    assert result.error is not None and "refused" in result.error
    assert result.error_code == "navigation"
    assert final_packages(tmp_path) == []


def test_tall_page_is_stitched_whole(site: fx.FixtureSite, tmp_path: Path) -> None:
    height = 40_000
    result = run_capture(site.url(f"/tall?height={height}"), tmp_path, expand_timeout_s=5)
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    assert result.package is not None
    with Image.open(result.package / "data" / "screenshot.png") as img:
        assert img.size == (1280, height)
        rgb = img.convert("RGB")
        for k in range(height // 1000):
            # three points per band: no band repeated, shifted or missing
            for dy in (3, 500, 996):
                assert rgb.getpixel((1200, k * 1000 + dy)) == fx.band_color(k), (k, dy)


def test_byte_cap_truncates_and_makes_partial(site: fx.FixtureSite, tmp_path: Path) -> None:
    # a generous settle budget: the 12 MB body must finish loading before the capture ends,
    # also on a busy machine (settling ends as soon as the network is idle)
    result = run_capture(site.url("/page-with-huge?mb=12"), tmp_path, max_capture_bytes=4 * MIB,
                         stream_body_threshold_bytes=1 * MIB, settle_timeout_s=60)
    assert result.status is CaptureStatus.PARTIAL, (result.error, result.warnings,
                                                    result.provenance.get("network"))
    assert any("size cap" in w for w in result.warnings), (result.warnings,
                                                           result.provenance.get("network"))
    assert result.package is not None
    huge = [r for r in _responses(result.package) if "/huge?" in r[0]]
    assert huge and huge[0][2].get("WARC-Truncated") == "length"


def test_large_body_is_streamed_whole(site: fx.FixtureSite, tmp_path: Path) -> None:
    # paced (20 ms per MiB, ~0.5 s in all): the recorder asks to stream after 2 MiB, and a
    # loopback transfer at full speed can be over before that request is answered
    result = run_capture(site.url("/page-with-huge?mb=24&pace=20"), tmp_path,
                         stream_body_threshold_bytes=2 * MIB, settle_timeout_s=60)
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    assert result.provenance["network"]["streamed_bodies"] >= 1
    assert result.package is not None
    with open(result.package / "data" / "capture.warc", "rb") as fh:
        for rec in ArchiveIterator(fh):
            uri = rec.rec_headers.get_header("WARC-Target-URI") or ""
            if rec.rec_type == "response" and "/huge?" in uri:
                body = rec.content_stream().read()
                break
        else:
            raise AssertionError("huge response not recorded")
    assert len(body) == 24 * MIB
    assert body[:512] == bytes(range(256)) * 2  # the fixture's repeating pattern, in order
    assert body[-256:] == bytes(range(256))
    # the stored-vs-received check ran on every response and found nothing short
    check = result.provenance["network"]["body_check"]
    assert check["responses_checked"] >= 2 and check["mismatched"] == []
    assert check["largest_body_stored_whole"] == 24 * MIB


def test_worker_requests_are_recorded(site: fx.FixtureSite, tmp_path: Path) -> None:
    """A dedicated worker's fetches are not on the page's CDP session; they must still be in
    the WARC, or replay would silently lack the data."""
    result = run_capture(site.url("/p/worker/"), tmp_path, expand_timeout_s=5)
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    assert result.package is not None
    uris = {uri for uri, _, _ in _responses(result.package)}
    assert site.url("/p/worker/w.js") in uris
    assert site.url("/p/worker/api/from-worker.json") in uris


def _record_twice(site: fx.FixtureSite, tmp_path: Path) -> dict[str, object]:
    """One recording that succeeds and one that fails (a 404), each with ``close_later``, in
    one browser: what was left closing after each, and the contexts open at each point."""
    options = fast_options(tmp_path / "packages")

    def work(name: str) -> WorkFolder:
        folder = WorkFolder(warc_path=tmp_path / name / "capture.warc",
                            screenshot_path=tmp_path / name / "screenshot.png",
                            scratch_dir=tmp_path / name / "scratch")
        folder.scratch_dir.mkdir(parents=True)
        return folder

    async def go() -> dict[str, object]:
        seen: dict[str, object] = {}
        async with BrowserSession(options) as session:
            assert session.browser is not None
            good = PageCapturer(session, options)
            url = site.url("/post/1?noconsent=1")
            recorded = await good.record(url, url, work("good"), close_later=True)
            seen["good_failure"] = recorded.failure
            seen["good_pending"] = len(good._closing)
            # the WARC is whole before the context has closed
            seen["good_warc_records"] = len(_responses_of(recorded.work.warc_path))
            await good.closed()
            seen["good_contexts_after"] = len(session.browser.contexts)
            bad = PageCapturer(session, options)
            missing = site.url("/status/404")
            recorded = await bad.record(missing, missing, work("bad"), close_later=True)
            seen["bad_failure"] = recorded.failure
            seen["bad_pending"] = len(bad._closing)
            seen["bad_contexts"] = len(session.browser.contexts)
        return seen

    return asyncio.run(go())


def _responses_of(warc: Path) -> list[str]:
    with warc.open("rb") as fh:
        return [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(fh)
                if r.rec_type == "response"]


def test_a_whole_recording_closes_its_context_while_the_caller_goes_on(
        site: fx.FixtureSite, tmp_path: Path) -> None:
    """close_later: after a recording that succeeded, the context closes in the background
    (the caller waits for it with ``closed()``); after a failed one it is closed before
    ``record`` returns, as always."""
    seen = _record_twice(site, tmp_path)
    assert seen["good_failure"] is None
    assert seen["good_pending"] == 1
    assert isinstance(seen["good_warc_records"], int) and seen["good_warc_records"] > 1
    assert seen["good_contexts_after"] == 0
    assert seen["bad_failure"] is not None
    assert seen["bad_pending"] == 0 and seen["bad_contexts"] == 0
