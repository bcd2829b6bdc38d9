"""A watch round's bookkeeping, with the browser and the capture pipeline stood in for (the
real ones run in tests/engine/test_watch.py): an expired login profile is reported and does
not stop the rest, and a round killed after publishing is finished without capturing twice."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from somecapture.catalog import Catalog
from somecapture.errors import ProfileLoggedOutError
from somecapture.models import CaptureResult, CaptureStatus
from somecapture.options import CaptureOptions
from somecapture.watch import runner as runner_module
from somecapture.watch.runner import WatchRunner
from somecapture.watch.store import WatchStore, iso, watch_url

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
EXPIRED = ("Profile 'fb-vestvik' is not logged in on this site any more (the page shows a "
           "login form). Log in again with `somecapture login fb-vestvik`, then capture again.")


class FakeSession:
    """Stands in for BrowserSession: no browser."""

    def __init__(self, options: CaptureOptions) -> None:
        self.options = options

    async def __aenter__(self) -> FakeSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def ensure_connected(self) -> None:
        return None


class FakePipeline:
    """Stands in for CapturePipeline: each URL's result is what the test scripted."""

    calls: list[tuple[str, str | None]] = []
    script: dict[str, Any] = {}

    def __init__(self, session: Any, options: CaptureOptions, listener: Any = None, *,
                 record_catalog: bool = True) -> None:
        self.options = options

    async def capture(self, url: str, *, capture_id: str | None = None, record: Any = None,
                      previous: Any = None) -> CaptureResult:
        FakePipeline.calls.append((url, self.options.profile))
        return FakePipeline.script[url](url, capture_id)


def published(out: Path) -> Any:
    def make(url: str, capture_id: str) -> CaptureResult:
        package = out / f"pkg-{capture_id}"
        package.mkdir(parents=True)
        result = CaptureResult(url=url, capture_id=capture_id, status=CaptureStatus.COMPLETE,
                               package=package)
        result.thread = {"root": {"id": "1", "text": "Innlegg",
                                  "published_at": iso(NOW - timedelta(minutes=30))},
                         "replies": []}
        return result
    return make


def logged_out(url: str, capture_id: str) -> CaptureResult:
    return CaptureResult(url=url, capture_id=capture_id, status=CaptureStatus.FAILED,
                         error=EXPIRED, error_code=ProfileLoggedOutError.code)


@pytest.fixture()
def fakes(monkeypatch: pytest.MonkeyPatch) -> type[FakePipeline]:
    monkeypatch.setattr(runner_module, "BrowserSession", FakeSession)
    monkeypatch.setattr(runner_module, "CapturePipeline", FakePipeline)
    FakePipeline.calls = []
    FakePipeline.script = {}
    return FakePipeline


def _runner(tmp_path: Path) -> WatchRunner:
    options = CaptureOptions(out_dir=tmp_path / "out", catalog_path=tmp_path / "c.sqlite")
    return WatchRunner(options, clock=lambda: NOW)


def test_an_expired_login_is_reported_and_the_rest_goes_on(
        tmp_path: Path, fakes: type[FakePipeline]) -> None:
    runner = _runner(tmp_path)
    a, b, c = ("https://www.facebook.com/vestvik/posts/1",
               "https://www.facebook.com/vestvik/posts/2", "https://forum.example/t/3")
    for url, profile in ((a, "fb-vestvik"), (b, "fb-vestvik"), (c, None)):
        watch_url(runner.store, url, profile=profile, now=NOW - timedelta(minutes=5))
    fakes.script = {a: logged_out, b: logged_out, c: published(tmp_path / "out")}
    done = asyncio.run(runner.run_round())
    # the profile found logged out is not tried again for the next item of the round
    assert sorted(fakes.calls, key=str) == sorted([(a, "fb-vestvik"), (c, None)], key=str)
    assert [(f.url, f.code) for f in done.failed] == [
        (a, "profile_logged_out"), (b, "profile_logged_out")]
    assert all("somecapture login fb-vestvik" in f.error for f in done.failed)
    assert [p.url for p in done.published] == [c]
    items = {i.url: i for i in runner.store.items()}
    assert items[a].status == items[b].status == "login-expired"
    assert items[a].last_error == EXPIRED
    # tried again, not forgotten: at its next scheduled time (+1 h after it was added, its
    # publication being unknown), which comes before the retry an hour after the failure
    assert items[a].next_check == "2026-03-02T12:55:00Z"
    assert items[c].status == "watching" and items[c].versions == 1
    # published 30 minutes ago: the next check is at +1 h after publication
    assert items[c].next_check == "2026-03-02T12:30:00Z"


def _package(out: Path, capture_id: str, url: str) -> Path:
    folder = out / f"20260302T115900Z-forum-example-{capture_id[:4]}"
    (folder / "data").mkdir(parents=True)
    (folder / "bagit.txt").write_text("BagIt-Version: 1.0\n", "utf-8")
    (folder / "bag-info.txt").write_text(f"External-Identifier: urn:uuid:{capture_id}\n",
                                         "utf-8")
    meta = {"capture_id": capture_id, "requested_url": url, "url": url, "status": "complete",
            "captured_at": "2026-03-02T11:59:00Z",
            "thread": {"root": {"id": "1", "text": "Innlegg"}, "replies": [{"id": "c1"}]}}
    (folder / "data" / "capture-metadata.json").write_text(json.dumps(meta), "utf-8")
    return folder


def test_a_round_killed_after_publishing_is_finished_without_capturing_twice(
        tmp_path: Path, fakes: type[FakePipeline]) -> None:
    runner = _runner(tmp_path)
    out = tmp_path / "out"
    done_url, lost_url = "https://forum.example/t/1", "https://forum.example/t/2"
    for url in (done_url, lost_url):
        watch_url(runner.store, url, now=NOW - timedelta(minutes=10))
    # the killed round had noted both captures; only the first got to publish
    package = _package(out, "11111111-1111-4111-8111-111111111111", done_url)
    runner.store.update(done_url, running_capture="11111111-1111-4111-8111-111111111111",
                        running_out=str(out))
    runner.store.update(lost_url, running_capture="22222222-2222-4222-8222-222222222222",
                        running_out=str(out))
    fakes.script = {lost_url: published(out)}
    done = asyncio.run(runner.run_round())
    assert fakes.calls == [(lost_url, None)]  # the published one is not captured again
    items = {i.url: i for i in runner.store.items()}
    assert items[done_url].last_capture == "11111111-1111-4111-8111-111111111111"
    assert items[done_url].last_package == str(package)
    assert items[done_url].versions == 1 and items[done_url].running_capture is None
    assert items[lost_url].versions == 1 and items[lost_url].running_capture is None
    # reported by this round (the killed one printed nothing), and published once
    assert [p.url for p in done.published] == [done_url, lost_url]
    # the package the killed round published is in the catalogue, once
    entries = Catalog(tmp_path / "c.sqlite").entries()
    assert [e.capture_id for e in entries if e.url == done_url] == [
        "11111111-1111-4111-8111-111111111111"]
    ledger = WatchStore(runner.catalog).ledger(done_url)
    assert [(e.outcome, "interrupted" in (e.detail or "")) for e in ledger] == [
        ("published", True)]
