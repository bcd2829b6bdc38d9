"""One real capture of the fixture thread, checked from every side.

The capture runs once per module (it takes a few seconds); each test looks at one aspect of
the same package: status, files, bag, WARC contents, metadata, screenshot, independent tools.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import bagit
import pytest
from PIL import Image
from warcio.archiveiterator import ArchiveIterator

from somecapture.models import CaptureResult, CaptureStatus
from tests.conftest import final_packages, run_capture
from tests.fixtures.site import server as fx

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def captured(site: fx.FixtureSite, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[tuple[CaptureResult, Path]]:
    out = tmp_path_factory.mktemp("thread")
    result = run_capture(site.url("/post/1"), out)
    yield result, out


def _records(package: Path) -> list[tuple[str, str, dict[str, str], bytes, object]]:
    rows = []
    with open(package / "data" / "capture.warc", "rb") as fh:
        for rec in ArchiveIterator(fh):
            headers = dict(rec.rec_headers.headers)
            body = rec.content_stream().read()
            rows.append((rec.rec_type, headers.get("WARC-Target-URI", ""), headers, body,
                         rec.http_headers))
    return rows


def test_status_complete_and_package_published(captured: tuple[CaptureResult, Path]) -> None:
    result, out = captured
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    assert result.package is not None and result.package.is_dir()
    assert final_packages(out) == [result.package]
    # name: <UTC yyyymmddThhmmssZ>-<host>-<slug>
    assert re.fullmatch(r"\d{8}T\d{6}Z-127-0-0-1-post-1", result.package.name)
    # staging is empty after publication: nothing half-written left behind
    staging = out / ".somecapture-staging"
    assert not any(staging.iterdir())
    names = sorted(p.name for p in (result.package / "data").iterdir())
    assert names == ["arkivmelding.xml", "capture-metadata.json", "capture-metadata.schema.json",
                     "capture.warc", "screened", "screenshot.pdf", "screenshot.png"]
    # the thread has private persons: the screened variant for access requests (issue 18)
    assert [p.name for p in (result.package / "data" / "screened").iterdir()] == [
        "screenshot.pdf"]


def test_bag_is_valid_bagit_1_0(captured: tuple[CaptureResult, Path]) -> None:
    result, _ = captured
    assert result.package is not None
    bag = bagit.Bag(str(result.package))
    bag.validate()
    assert bag.version_info == (1, 0)
    assert (result.package / "bagit.txt").read_text().startswith("BagIt-Version: 1.0\n")
    assert "sha256" in bag.algorithms


def test_warcio_check_passes(captured: tuple[CaptureResult, Path]) -> None:
    result, _ = captured
    assert result.package is not None
    warc = result.package / "data" / "capture.warc"
    proc = subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v", str(warc)],
                          capture_output=True, text=True)
    # warcio has no __main__ in some versions: fall back to its console script's function
    if proc.returncode != 0 and "No module named" in proc.stderr:
        from warcio.checker import Checker

        class Args:
            inputs = [str(warc)]
            verbose = True

        assert Checker(Args()).process_all() == 0
        return
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "digest pass" in proc.stdout
    assert "fail" not in proc.stdout.lower()


def test_warc_records_every_kind_of_resource(captured: tuple[CaptureResult, Path]) -> None:
    result, _ = captured
    assert result.package is not None
    recs = _records(result.package)
    assert recs[0][0] == "warcinfo"
    info = recs[0][3].decode()
    assert "software: somecapture/" in info and "http-header-user-agent:" in info
    responses = {uri: (body, http) for kind, uri, _, body, http in recs if kind == "response"}
    requests = {uri for kind, uri, _, _, _ in recs if kind == "request"}
    base = result.final_url.rsplit("/post/1", 1)[0] if result.final_url else ""
    expected = ["/post/1", "/static/app.js", "/static/site.css", "/api/post/1",
                "/api/post/1/replies?cursor=0", "/api/post/1/replies?cursor=5",
                "/api/post/1/replies?cursor=10", "/api/post/1/replies/r3/children",
                "/embed/1", "/static/embed.css", "/img/bibliotek.png",
                "/img/lazy-native.png", "/img/lazy-observer.png"]
    for path in expected:
        assert base + path in responses, f"{path} not recorded"
        assert base + path in requests, f"request for {path} not recorded"
    # the post text is not in the HTML: it was recorded from the JSON API
    api_body = responses[base + "/api/post/1"][0].decode("utf-8")
    assert fx.ROOT_TEXT in api_body


def test_gzip_bodies_stored_decoded_with_correct_length(
    captured: tuple[CaptureResult, Path],
) -> None:
    result, _ = captured
    assert result.package is not None
    found = 0
    for kind, uri, _, body, http in _records(result.package):
        if kind != "response" or "/replies?cursor=" not in uri:
            continue
        found += 1
        assert http.get_header("Content-Encoding") is None  # type: ignore[attr-defined]
        assert http.get_header("Transfer-Encoding") is None  # type: ignore[attr-defined]
        assert int(http.get_header("Content-Length")) == len(body)  # type: ignore[attr-defined]
        data = json.loads(body)  # decoded JSON, not gzip bytes
        assert data["replies"]
    assert found == 3


def test_screenshot_and_provenance_records(captured: tuple[CaptureResult, Path]) -> None:
    result, _ = captured
    assert result.package is not None
    recs = _records(result.package)
    resources = [r for r in recs if r[0] == "resource"]
    metadata = [r for r in recs if r[0] == "metadata"]
    assert len(resources) == 1 and len(metadata) == 1
    _, uri, headers, body, _ = resources[0]
    assert uri.endswith("screenshot.png")
    assert headers["WARC-Refers-To-Target-URI"] == result.final_url
    assert body == (result.package / "data" / "screenshot.png").read_bytes()
    prov = json.loads(metadata[0][3])
    assert prov["capture_id"] == result.capture_id
    assert prov["browser"]["version"]


def test_metadata_file(captured: tuple[CaptureResult, Path]) -> None:
    result, _ = captured
    assert result.package is not None
    meta = json.loads((result.package / "data" / "capture-metadata.json").read_text("utf-8"))
    assert str(uuid.UUID(meta["capture_id"])) == meta["capture_id"]
    assert meta["tool"]["name"] == "somecapture" and meta["tool"]["version"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", meta["captured_at"])
    assert meta["requested_url"].endswith("/post/1")
    assert meta["final_url"].endswith("/post/1")
    assert meta["status"] == "complete"
    assert meta["browser"]["version"] and meta["browser"]["user_agent"]
    assert "HeadlessChrome" not in meta["browser"]["user_agent"]
    step_names = [s["name"] for s in meta["steps"]]
    assert step_names[:2] == ["navigate", "settle"] and "screenshot" in step_names
    assert all(s["status"] == "ok" for s in meta["steps"])
    files = {f["path"]: f for f in meta["files"]}
    assert set(files) == {"capture.warc", "screenshot.png", "screenshot.pdf",
                          "screened/screenshot.pdf", "capture-metadata.schema.json"}
    for name, entry in files.items():
        import hashlib

        data = (result.package / "data" / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
    assert files["screenshot.png"]["media_type"] == "image/png"
    assert "proxy" in meta["options"]


def test_thread_extract(captured: tuple[CaptureResult, Path]) -> None:
    result, _ = captured
    thread = result.thread
    assert thread["root"]["author"] == fx.ROOT_AUTHOR_NAME
    assert thread["root"]["text"] == fx.ROOT_TEXT
    ids = [r["id"] for r in thread["replies"]]
    assert len(ids) == fx.COMMENT_COUNT == 14
    assert {"r3a", "r3b"} <= set(ids)
    assert next(r for r in thread["replies"] if r["id"] == "r3a")["parent_id"] == "r3"
    r5 = next(r for r in thread["replies"] if r["id"] == "r5")
    assert r5["text"].endswith(fx.LONG_TEXT_END)  # "Se mer" was expanded
    assert result.completeness["reported"]["comments"] == 14


def test_screenshot_shows_expanded_thread(captured: tuple[CaptureResult, Path]) -> None:
    result, _ = captured
    assert result.package is not None
    with Image.open(result.package / "data" / "screenshot.png") as img:
        assert img.width == 1280
        assert img.height > 3000  # the whole thread, not one viewport
        # the consent dialog was dismissed: the top of the page is not covered by it
        assert img.getpixel((640, 10)) != (0, 0, 0)
