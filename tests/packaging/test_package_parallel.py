"""Packaging in parallel (issue 21): the WARC is read back while the PDFs render, each PDF is
rendered once (the screened variant first, then the main PDF/A, whose sheet depends on it), the
package step reports where its time went, and a file read once for its digest and its secret
scan gives the same answers as reading it twice.

The capture is real (a browser, the fixture site's thread, the whole pipeline); the renderers
and the WARC read-back are observed by wrapping the builder's names, which still do the work.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from somecapture.models import CaptureStatus
from somecapture.options import RecordOptions
from somecapture.package import builder
from somecapture.package.layout import SCREENED_PDF_NAME
from somecapture.package.verify import verify_package
from somecapture.redact import find_secrets
from somecapture.warc.verify import WarcCheck
from tests.conftest import run_capture
from tests.fixtures.site import server as fx

# the fixture thread's agency accounts: every other author is a private person, so a screened
# variant is made (tests/engine/test_screened_capture.py proves what it holds)
OWN = RecordOptions(own_accounts={"*": ("oslokommune", "toyenbibliotek")})


class _Spans:
    """When each call of the wrapped builder names started and ended."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
        self.spans: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
        self._lock = threading.Lock()
        for name in names:
            # the screened renderer calls the main one for its own document: only the
            # builder's own calls go through the builder's names
            monkeypatch.setattr(builder, name, self._wrap(name, getattr(builder, name)))

    def _wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.monotonic()
            try:
                return fn(*args, **kwargs)
            finally:
                with self._lock:
                    self.spans[name].append((t0, time.monotonic()))
        return timed


@pytest.mark.browser
def test_the_warc_is_read_back_while_the_pdfs_render(site: fx.FixtureSite, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _Spans(monkeypatch, "render_screened_pdf", "render_capture_pdf", "check_warc")
    result = run_capture(site.url("/post/1?noconsent=1"), tmp_path / "out", record=OWN)
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    assert result.package is not None
    assert (result.package / "data" / SCREENED_PDF_NAME).is_file()
    check = verify_package(result.package)
    assert check.ok, check.problems
    [(screened_start, screened_end)] = calls.spans["render_screened_pdf"]
    [(main_start, main_end)] = calls.spans["render_capture_pdf"]
    [(warc_start, _)] = calls.spans["check_warc"]
    # each PDF once, the variant first (the main PDF's sheet says whether it failed)
    assert screened_end <= main_start
    # the read-back began before the renders were done
    assert warc_start < main_end
    step = next(s for s in result.steps if s.name == "package")
    timings = step.details["timings_s"]
    for part in ("pdf", "screened_pdf", "warc_read_back", "metadata", "arkivmelding",
                 "bag_write", "documents_check", "bag_validate", "publish", "until_proved"):
        assert 0 <= timings[part] <= step.duration_s, part


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


@pytest.mark.browser
def test_a_failed_packaging_stops_the_reads_and_publishes_nothing(
        site: fx.FixtureSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The main PDF fails while the WARC is still being read back: the read-back stops at its
    next record (it does not read a long WARC to its end for nothing), the failure is the
    capture's, and nothing is published or left staged."""
    read_back: list[WarcCheck] = []
    real_check = builder.check_warc
    started = threading.Event()

    def slow_check(path: Path, name: str | None = None,
                   stop: threading.Event | None = None) -> WarcCheck:
        started.set()
        assert stop is not None
        # the read-back is slower than the renders here (a multi-GB WARC): it starts once
        # the packaging has failed, as such a read would still be going
        stop.wait(30)
        check = real_check(path, name, stop)
        read_back.append(check)
        return check

    def failing_pdf(*args: Any, **kwargs: Any) -> Any:
        started.wait(30)
        raise builder.PackageError("the PDF could not be made (test)")

    monkeypatch.setattr(builder, "check_warc", slow_check)
    monkeypatch.setattr(builder, "render_capture_pdf", failing_pdf)
    out = tmp_path / "out"
    t0 = time.monotonic()
    result = run_capture(site.url("/post/1?noconsent=1"), out)
    assert time.monotonic() - t0 < 60
    assert result.status is CaptureStatus.FAILED, result.status
    assert "the PDF could not be made" in (result.error or "")
    [check] = read_back
    # stopped before its first record: not a single record read after the failure
    assert check.records == 0 and [p.code for p in check.problems] == ["package.cancelled"]
    assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == []
    staging = out / ".somecapture-staging"
    assert not staging.exists() or list(staging.iterdir()) == []
