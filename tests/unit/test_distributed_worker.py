"""The worker's handling of one delivery, without a broker (a fake Redis): a worker whose
browser cannot be started hands its job back and stops fetching; any other unexpected error
ends the delivery with a failed result (the submitter never waits for ever)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dramatiq
import fakeredis
import pytest

from somecapture.distributed.address import parse_queue_url
from somecapture.distributed.jobs import job_for, result_from_summary
from somecapture.distributed.store import BatchChannel
from somecapture.distributed.worker import QueueWorker
from somecapture.errors import BrowserLaunchError
from somecapture.messages import render
from somecapture.models import CaptureResult
from somecapture.options import CaptureOptions


class _DeadBrowser:
    """A browser that was killed and cannot be started again (out of memory)."""

    async def ensure_connected(self) -> None:
        raise BrowserLaunchError("Chromium could not be started: out of memory")


class _BadBrowser:
    async def ensure_connected(self) -> None:
        raise RuntimeError("a bug somewhere below")


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[QueueWorker]:
    said: list[str] = []
    w = QueueWorker(parse_queue_url("redis://127.0.0.1:1/0"),
                    CaptureOptions(out_dir=tmp_path / "out"), say=said.append)
    w.said = said  # type: ignore[attr-defined]
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    w._loop = loop
    w._client = fakeredis.FakeRedis()
    yield w
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


def _body(tmp_path: Path) -> dict[str, Any]:
    return job_for("batch-1", 1, "https://example.no/p", {}, CaptureOptions(
        out_dir=tmp_path / "submitter"), 1, 1.0).to_json()


def test_a_worker_whose_browser_cannot_start_hands_the_job_back_and_stops(
        worker: QueueWorker, tmp_path: Path) -> None:
    worker._session = _DeadBrowser()  # type: ignore[assignment]
    with pytest.raises(dramatiq.Retry) as retry:
        worker._perform(_body(tmp_path))
    assert retry.value.delay == 0
    channel = BatchChannel(worker._client, "batch-1")
    assert channel.results() == {}  # no failed result: a healthy worker captures it
    assert worker._stop.is_set()
    assert isinstance(worker.broken, BrowserLaunchError)
    said = "\n".join(worker.said)  # type: ignore[attr-defined]
    assert "takes no more jobs" in said and "out of memory" in said
    assert "goes back to the queue" in said
    # the delivery ended (not counted as lost)
    assert int(worker._client.hget(channel.inflight_key, "1")) == 0


def test_an_unexpected_error_in_a_delivery_is_a_failed_result(
        worker: QueueWorker, tmp_path: Path) -> None:
    worker._session = _BadBrowser()  # type: ignore[assignment]
    worker._perform(_body(tmp_path))
    results = BatchChannel(worker._client, "batch-1").results()
    assert results[1]["status"] == "failed"
    assert results[1]["error_code"] == "internal"
    assert "a bug somewhere below" in results[1]["error"]
    assert not worker._stop.is_set()


class _ClockedRedis:
    """A Redis server whose clock reads ``now``."""

    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> tuple[int, int]:
        return int(self.now), int(round((self.now % 1) * 1e6))


def test_a_worker_whose_clock_is_ahead_of_the_queues_does_not_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from somecapture.cli.status import ExitStatus, status_for_error
    from somecapture.distributed import store
    from somecapture.distributed import worker as worker_module
    from somecapture.errors import ClockSkewError

    server_now = 1_800_000_000.0
    # within a quarter of the redelivery time (30 s → 7.5 s): fine, either way
    assert store.check_clock(_ClockedRedis(server_now), 30.0,
                             local_now=server_now + 7.0) == pytest.approx(7.0)
    assert store.check_clock(_ClockedRedis(server_now), 30.0,
                             local_now=server_now - 7.0) == pytest.approx(-7.0)
    with pytest.raises(ClockSkewError) as err:
        store.check_clock(_ClockedRedis(server_now), 30.0, local_now=server_now + 8.0)
    assert "8.0 s ahead" in str(err.value) and "--redeliver-after" in str(err.value)
    assert "NTP" in str(err.value)
    assert status_for_error(err.value) == ExitStatus.ENVIRONMENT
    # the worker checks before it takes anything: its own clock against the server's
    monkeypatch.setattr(store, "require_engine", lambda: None)
    fake = fakeredis.FakeRedis()
    monkeypatch.setattr(fake, "time", lambda: _ClockedRedis(time.time() - 60).time())
    monkeypatch.setattr(worker_module, "client_for", lambda _address: fake)
    monkeypatch.setattr(worker_module, "check_reachable", lambda _address: None)
    w = QueueWorker(parse_queue_url("redis://127.0.0.1:1/0"),
                    CaptureOptions(out_dir=tmp_path / "out"), redeliver_after_s=30.0)
    with pytest.raises(ClockSkewError):
        w.run()
    assert not (tmp_path / "out").exists()


def test_the_stale_claim_time_is_the_workers_option(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from somecapture.cli.main import main
    from somecapture.package import claim

    monkeypatch.setattr(claim, "STALE_CLAIM_S", claim.STALE_CLAIM_S)  # restored after
    QueueWorker(parse_queue_url("redis://127.0.0.1:1/0"),
                CaptureOptions(out_dir=tmp_path / "out"), stale_claim_s=45)
    assert claim.STALE_CLAIM_S == 45
    code = main(["worker", "--queue", "redis://127.0.0.1:1/0", "--out", str(tmp_path / "o"),
                 "--stale-claim-after", "3"])
    assert code == 2
    assert "--stale-claim-after: 3 is out of range" in capsys.readouterr().err


def _summary(status: str, package: str | None, worker: str) -> dict[str, Any]:
    return {"status": status, "package": package, "worker": worker, "url": "u",
            "capture_id": worker}


def test_the_first_result_stays_unless_a_later_one_has_the_package() -> None:
    channel = BatchChannel(fakeredis.FakeRedis(), "b")
    assert channel.finish(1, _summary("failed", None, "w1"))
    assert not channel.finish(1, _summary("failed", None, "w2"))  # a second failure: no
    assert channel.results()[1]["worker"] == "w1"
    # a slower delivery published after the failure was written: its package wins
    assert channel.finish(1, _summary("complete", "pkg", "w3"))
    assert not channel.finish(1, _summary("complete", "pkg", "w4"))  # 'already published'
    assert channel.results()[1]["worker"] == "w3"


class _NoBrowser:
    async def ensure_connected(self) -> None:
        raise AssertionError("this delivery must not capture")


def test_a_delivery_of_a_finished_item_captures_nothing(
        worker: QueueWorker, tmp_path: Path) -> None:
    worker._session = _NoBrowser()  # type: ignore[assignment]
    channel = BatchChannel(worker._client, "batch-1")
    channel.finish(1, _summary("failed", None, "earlier"))
    worker._perform(_body(tmp_path))
    assert channel.results()[1]["worker"] == "earlier"
    assert channel.started() == {}  # not begun


def test_a_published_item_is_already_published_even_after_lost_deliveries(
        worker: QueueWorker, tmp_path: Path) -> None:
    from somecapture.distributed.jobs import Job
    from somecapture.distributed.store import MAX_LOST_DELIVERIES
    from somecapture.package import claim

    worker._session = _NoBrowser()  # type: ignore[assignment]
    body = _body(tmp_path)
    job = Job.from_json(body)
    out = worker.out_dir
    (out / "pkg").mkdir(parents=True)
    (out / "pkg" / "bag-info.txt").write_text("External-Identifier: urn:uuid:c1\n")
    claim.claims_dir(out).mkdir()
    claim._claim_path(out, job.key).write_text(json.dumps(claim.Claim(
        key=job.key, capture_id="c1", name="pkg", package="pkg", host="m", pid=1).to_json()))
    channel = BatchChannel(worker._client, "batch-1")
    worker._client.hset(channel.inflight_key, "1", MAX_LOST_DELIVERIES)  # died after publishing
    worker._perform(body)
    result = channel.results()[1]
    assert result["package"] == "pkg" and result["already_published"] is True


def test_the_submitter_records_a_package_published_after_a_failure(tmp_path: Path) -> None:
    from somecapture.batch import open_batch
    from somecapture.batchinput import parse_list_bytes
    from somecapture.distributed.jobs import item_key
    from somecapture.distributed.submit import QueuedBatchRunner
    from somecapture.package import claim

    out = tmp_path / "out"
    runner = QueuedBatchRunner(CaptureOptions(out_dir=out, catalog_path=tmp_path / "c.sqlite"),
                               queue=parse_queue_url("redis://127.0.0.1:1/0"))
    listing = tmp_path / "l.txt"
    listing.write_text("https://example.org/1\n", "utf-8")
    opened = open_batch(runner, parse_list_bytes(listing.read_bytes(), str(listing)), listing,
                        resume=False, new=False)
    (state,) = runner.store.items(opened.batch_id)
    failed = CaptureResult(url=state.url, capture_id="failed-one")
    failed.error, failed.error_code = "timed out", "timeout"
    runner.store.mark_done(opened.batch_id, 1, failed)
    (out / "pkg").mkdir(parents=True)
    (out / "pkg" / "bag-info.txt").write_text("External-Identifier: urn:uuid:c1\n")
    key = item_key(opened.batch_id, 1, state.url)
    claim.claims_dir(out).mkdir()
    claim._claim_path(out, key).write_text(json.dumps(claim.Claim(
        key=key, capture_id="c1", name="pkg", package="pkg", host="m", pid=1).to_json()))
    runner._recheck_failed(opened.batch_id, {1: state})
    (after,) = runner.store.items(opened.batch_id)
    assert after.status == "complete" and after.package_path == str(out / "pkg")


def test_a_worker_refuses_a_job_asking_for_a_safeguard_it_does_not_allow(
        worker: QueueWorker, tmp_path: Path) -> None:
    worker._session = _NoBrowser()  # type: ignore[assignment]
    body = job_for("batch-1", 1, "https://example.no/p", {}, CaptureOptions(
        allow_private_network=True), 2, 1.0).to_json()
    worker._perform(body)  # not retried: a result at once
    result = BatchChannel(worker._client, "batch-1").results()[1]
    assert result["status"] == "failed" and result["error_code"] == "invalid_option"
    assert "worker --allow-private-network" in result["error"]
    assert not result["retryable"]


def _package(folder: Path, capture_id: str) -> None:
    (folder / "data").mkdir(parents=True)
    (folder / "bagit.txt").write_text("BagIt-Version: 1.0\n")
    (folder / "bag-info.txt").write_text(f"External-Identifier: urn:uuid:{capture_id}\n")
    (folder / "tagmanifest-sha256.txt").write_text("0" * 64 + "  bag-info.txt\n")
    (folder / "data" / "capture-metadata.json").write_text(json.dumps({
        "capture_id": capture_id, "requested_url": "https://example.org/1",
        "status": "complete", "captured_at": "2026-12-07T09:00:00Z", "files": []}))


def test_a_result_read_from_a_package_keeps_its_seal_and_an_attempt(tmp_path: Path) -> None:
    import hashlib

    from somecapture.batch import open_batch
    from somecapture.batchinput import parse_list_bytes
    from somecapture.distributed.jobs import item_key, result_from_package, result_summary
    from somecapture.distributed.submit import QueuedBatchRunner
    from somecapture.package import claim

    out = tmp_path / "out"
    _package(out / "pkg", "c1")
    tagmanifest = hashlib.sha256((out / "pkg" / "tagmanifest-sha256.txt").read_bytes())
    result = result_from_package(out / "pkg", "https://example.org/1")
    summary = result_summary(result, attempt=1, worker="w")
    assert summary["seal"]["tagmanifest_sha256"] == tagmanifest.hexdigest()
    assert summary["seal"]["status"] == "unsealed"  # no time stamps in this package
    # collected from the claims (the queue lost the result): recorded with its seal, and
    # at least one attempt
    runner = QueuedBatchRunner(CaptureOptions(out_dir=out, catalog_path=tmp_path / "c.sqlite"),
                               queue=parse_queue_url("redis://127.0.0.1:1/0"))
    listing = tmp_path / "l.txt"
    listing.write_text("https://example.org/1\n", "utf-8")
    opened = open_batch(runner, parse_list_bytes(listing.read_bytes(), str(listing)), listing,
                        resume=False, new=False)
    (state,) = runner.store.items(opened.batch_id)
    key = item_key(opened.batch_id, 1, state.url)
    claim.claims_dir(out).mkdir()
    claim._claim_path(out, key).write_text(json.dumps(claim.Claim(
        key=key, capture_id="c1", name="pkg", package="pkg", host="m", pid=1).to_json()))
    pending = {1: state}
    finished: list[int] = []
    runner._progress = types.SimpleNamespace(  # type: ignore[assignment]
        finished=lambda line, _result: finished.append(line))
    runner._from_claims(opened.batch_id, pending)
    assert finished == [1]
    assert pending == {}
    (after,) = runner.store.items(opened.batch_id)
    assert after.attempts == 1 and after.package_path == str(out / "pkg")
    (entry,) = runner.catalog.entries()
    assert entry.seal_status == "unsealed"


def test_a_stopping_worker_waits_for_the_longest_budget_of_its_jobs(
        worker: QueueWorker) -> None:
    import concurrent.futures

    own = worker.options.capture_timeout_s
    assert worker.stop_wait_s() == own + 120  # nothing running: its own budget
    long_job: concurrent.futures.Future[Any] = concurrent.futures.Future()
    short_job: concurrent.futures.Future[Any] = concurrent.futures.Future()
    worker._running[long_job] = own + 1200  # a batch given a longer --timeout
    worker._running[short_job] = 30
    assert worker.stop_wait_s() == own + 1200 + 120


def test_a_workers_lines_and_a_refused_jobs_error_are_said_in_the_archivists_language(
        worker: QueueWorker, tmp_path: Path) -> None:
    """The worker's console lines are catalogue messages (its console renders them in the
    locale's language), and a refused job's error travels to the submitter as a message:
    its catalogue and app show it in the archivist's language."""
    worker._session = _DeadBrowser()  # type: ignore[assignment]
    with pytest.raises(dramatiq.Retry):
        worker._perform(_body(tmp_path))
    said = [render(line, "nn", "cli") for line in worker.said]  # type: ignore[attr-defined]
    assert said[0] == "linje 1 i køyring batch-1: arkiverer https://example.no/p (forsøk 1)"
    assert said[1].startswith(f"arbeidaren {worker.name} kan ikkje arkivere her (")
    assert said[1].endswith("; han tek ikkje fleire jobbar og stoppar. Jobbane går tilbake "
                            "til køen for dei andre arbeidarane. Rett opp nettlesaren eller "
                            "utmappa på denne datamaskina og start arbeidaren på nytt.")
    assert said[2] == "linje 1 i køyring batch-1: ikkje arkivert her; jobben går tilbake til køen"

    refused = QueueWorker(parse_queue_url("redis://127.0.0.1:1/0"),
                          CaptureOptions(out_dir=tmp_path / "out2"), say=lambda _t: None)
    refused._client, refused._session = worker._client, _NoBrowser()  # type: ignore[assignment]
    body = job_for("batch-2", 1, "https://example.no/p", {}, CaptureOptions(
        allow_private_network=True), 2, 1.0).to_json()
    refused._perform(body)
    result = result_from_summary(BatchChannel(worker._client, "batch-2").results()[1],
                                 tmp_path)
    assert render(result.error, "nb", "app") == (
        f"Kjøringen ber om --allow-private-network, som arbeideren {refused.name} ikke "
        "tillater. Start arbeiderne som kan arkivere slike kjøringer, med «somecapture worker "
        "--allow-private-network ...», eller kjør listen uten det valget.")
