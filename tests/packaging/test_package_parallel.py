"""Packaging in parallel (issue 21): the screened variant and the main PDF/A render at once
(each once) on a normal page and one after the other on a tall one, the package step reports
where its time went, and a file read once for its digest and its secret scan gives the same
answers as reading it twice.

The captures are real (a browser, the fixture site's thread, the whole pipeline); the renders
are observed by wrapping the builder's renderers, which still do all the work.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from somecapture.models import CaptureResult, CaptureStatus
from somecapture.options import RecordOptions
from somecapture.package import builder
from somecapture.package.layout import SCREENED_PDF_NAME
from somecapture.package.verify import verify_package
from somecapture.redact import find_secrets
from tests.conftest import run_capture
from tests.fixtures.site import server as fx

# the fixture thread's agency accounts: every other author is a private person, so a screened
# variant is made (tests/engine/test_screened_capture.py proves what it holds)
OWN = RecordOptions(own_accounts={"*": ("oslokommune", "toyenbibliotek")})


class _Renders:
    """When each render of the builder started and ended, by renderer."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.spans: dict[str, list[tuple[float, float]]] = {"main": [], "screened": []}
        self._lock = threading.Lock()
        # the screened renderer calls the main one for its own document: the builder's names
        # are wrapped, so only the builder's own calls are counted
        monkeypatch.setattr(builder, "render_capture_pdf",
                            self._wrap("main", builder.render_capture_pdf))
        monkeypatch.setattr(builder, "render_screened_pdf",
                            self._wrap("screened", builder.render_screened_pdf))

    def _wrap(self, kind: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.monotonic()
            try:
                return fn(*args, **kwargs)
            finally:
                with self._lock:
                    self.spans[kind].append((t0, time.monotonic()))
        return timed


def _capture(site: fx.FixtureSite, out: Path) -> CaptureResult:
    result = run_capture(site.url("/post/1?noconsent=1"), out, record=OWN)
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    assert result.package is not None
    assert (result.package / "data" / SCREENED_PDF_NAME).is_file()
    check = verify_package(result.package)
    assert check.ok, check.problems
    return result


@pytest.mark.browser
def test_the_two_pdfs_render_at_once_each_once(site: fx.FixtureSite, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    renders = _Renders(monkeypatch)
    result = _capture(site, tmp_path / "out")
    [(main_start, main_end)] = renders.spans["main"]
    [(screened_start, screened_end)] = renders.spans["screened"]
    # both were under way at the same moment
    assert main_start < screened_end and screened_start < main_end
    step = next(s for s in result.steps if s.name == "package")
    timings = step.details["timings_s"]
    for part in ("pdf", "screened_pdf", "warc_read_back", "metadata", "arkivmelding",
                 "bag_write", "documents_check", "bag_validate", "publish"):
        assert timings[part] >= 0, part
    # each part ran inside the step
    assert max(timings["pdf"], timings["screened_pdf"], timings["until_proved"]) \
        <= step.duration_s


@pytest.mark.browser
def test_a_tall_screenshot_renders_one_pdf_after_the_other(
        site: fx.FixtureSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above the pixel limit the renders do not hold two decoded screenshots at once."""
    monkeypatch.setattr(builder, "CONCURRENT_RENDER_MAX_PX", 0)
    renders = _Renders(monkeypatch)
    _capture(site, tmp_path / "out")
    [(main_start, _)] = renders.spans["main"]
    [(_, screened_end)] = renders.spans["screened"]
    assert main_start >= screened_end


def test_one_read_gives_the_digest_and_the_secrets(tmp_path: Path) -> None:
    """A secret that spans two read chunks is found; the digest is hashlib's of the bytes."""
    secret = "tok-5f1e2d3c4b5a69788796a5b4c3d2e1f0"
    data = b"x" * 1000 + secret.encode() + b"y" * 3000
    path = tmp_path / "file.bin"
    path.write_bytes(data)
    # 1,010 bytes a chunk: the secret starts in the first chunk and ends in the second
    digest, hits = builder.read_file(path, {secret, "not-in-the-file-0123456789"}, chunk=1010)
    assert digest == hashlib.sha256(data).hexdigest()
    assert hits == {secret} == find_secrets(data, {secret})
    assert builder.scan_file(path, {secret}, chunk=1010) == {secret}
    assert builder.read_file(path, set()) == (hashlib.sha256(data).hexdigest(), set())
