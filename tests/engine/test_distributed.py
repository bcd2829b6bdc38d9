"""Distributed batches with a real broker and real workers: a redis-server on a free loopback
port and three ``somecapture worker`` processes (concurrency 1 each), shared by the module.

A worker is killed with ``kill -9`` mid-capture: its job is handed to another worker within
the redelivery time, and every URL ends with exactly one valid package; the same job
delivered twice publishes once; the broker restarted mid-batch (losing its data) pauses the
batch with a message and it finishes; a submitter killed and resumed collects what the
workers finished meanwhile.
"""

from __future__ import annotations

import collections
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest

from somecapture.distributed.address import parse_queue_url
from somecapture.distributed.jobs import job_for
from somecapture.distributed.store import BatchChannel, client_for, make_broker, send
from somecapture.options import CaptureOptions
from somecapture.package.verify import verify_package
from tests.conftest import final_packages
from tests.fixtures.site import server as fx

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: the redelivery time the workers are given (seconds)
REDELIVER_AFTER_S = 4.0
#: what the submitter is told besides --queue and --out (fixture site on loopback)
CAPTURE_ARGS = ["--allow-private-network", "--no-timestamp", "--no-screened-variant",
                "--timeout", "60"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


@dataclass
class Redis:
    """A redis-server of the test's own, without persistence (a restart loses everything)."""

    port: int
    folder: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed: ./dev test installs it (Debian's "
                        "redis-server package)")
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = client_for(parse_queue_url(self.url))

        def answers() -> bool:
            try:
                return bool(client.ping())
            except Exception:  # noqa: BLE001 - not up yet
                return False

        _wait(answers, 20, "redis-server to start")
        client.close()

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None


@dataclass
class Worker:
    proc: subprocess.Popen[bytes]
    log: Path

    def text(self) -> str:
        return self.log.read_text("utf-8", errors="replace")

    def kill9(self) -> None:
        # the worker, its Playwright driver and its browser, without warning
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)


@dataclass
class Cluster:
    redis: Redis
    out: Path
    folder: Path
    workers: list[Worker] = field(default_factory=list)

    def spawn(self, queue: str | None = None) -> Worker:
        log = self.folder / f"worker-{len(self.workers) + 1}.log"
        handle: IO[bytes] = open(log, "wb")  # noqa: SIM115 - the worker's lifetime
        proc = subprocess.Popen(
            [sys.executable, "-m", "somecapture", "worker", "--queue", queue or self.redis.url,
             "--out", str(self.out), "--concurrency", "1", "--allow-private-network",
             "--redeliver-after", str(REDELIVER_AFTER_S)],
            stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
        worker = Worker(proc, log)
        self.workers.append(worker)
        return worker

    def live(self) -> list[Worker]:
        return [w for w in self.workers if w.proc.poll() is None]

    def logs(self) -> str:
        return "\n".join(w.text() for w in self.workers)

    def submit(self, urls: list[str], name: str, *extra: str) -> subprocess.Popen[str]:
        listing = self.folder / f"{name}.txt"
        listing.write_text("\n".join(urls) + "\n", "utf-8")
        err = open(self.folder / f"{name}.err", "w")  # noqa: SIM115 - the submitter's
        return subprocess.Popen(
            [sys.executable, "-m", "somecapture", "batch", str(listing), "--queue",
             self.redis.url, "--out", str(self.out), "--json", *CAPTURE_ARGS, *extra],
            stdout=subprocess.PIPE, stderr=err, text=True, start_new_session=True)

    def submitter_err(self, name: str) -> str:
        return (self.folder / f"{name}.err").read_text("utf-8", errors="replace")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    folder = tmp_path_factory.mktemp("distributed")
    redis = Redis(_free_port(), folder)
    redis.start()
    group = Cluster(redis, folder / "shared-out", folder)
    try:
        for _ in range(3):
            group.spawn()
        _wait(lambda: all("ready" in w.text() for w in group.workers), 90,
              "three workers to start their browsers")
        yield group
    finally:
        for worker in group.live():
            with_timeout_stop(worker)
        redis.kill()


def with_timeout_stop(worker: Worker) -> None:
    """SIGTERM (the graceful stop), then SIGKILL if it does not end."""
    try:
        os.killpg(worker.proc.pid, signal.SIGTERM)
        worker.proc.wait(30)
    except (subprocess.TimeoutExpired, ProcessLookupError):
        with_kill(worker)


def with_kill(worker: Worker) -> None:
    try:
        worker.kill9()
    except ProcessLookupError:
        pass


def _packages_by_url(out: Path) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = collections.defaultdict(list)
    for package in final_packages(out):
        meta = json.loads((package / "data" / "capture-metadata.json").read_text("utf-8"))
        found[meta["requested_url"]].append(package)
    return found


def _finish(proc: subprocess.Popen[str], timeout: float = 240) -> tuple[int, dict[str, Any]]:
    stdout, _ = proc.communicate(timeout=timeout)
    return proc.returncode, json.loads(stdout) if stdout.strip() else {}


def test_a_worker_killed_mid_capture_loses_nothing_and_publishes_nothing_twice(
        cluster: Cluster, site: fx.FixtureSite) -> None:
    slow = site.url("/slow?ms=6000&n=kill")
    urls = [site.url(f"/gzip/page?n={n}") for n in range(6)]
    urls += [site.url("/status/404"), site.url("/post/1?noconsent=1&n=kill"), slow]
    proc = cluster.submit(urls, "kill")
    try:
        # the slow page is the last line: when a worker takes it, the others are (nearly)
        # idle, so what is measured is the redelivery, not a queue of other work
        victim = _wait(lambda: next((w for w in cluster.live()
                                     if f"capturing {slow}" in w.text()), None),
                       180, "a worker to take the slow page")
        time.sleep(1.0)  # mid-capture: the page answers after 6 s
        victim.kill9()
        killed_at = time.monotonic()
        others = [w for w in cluster.live() if w is not victim]
        _wait(lambda: any(f"capturing {slow}" in w.text() for w in others), 60,
              "another worker to take the killed worker's job")
        redelivery_s = time.monotonic() - killed_at
        code, data = _finish(proc)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    print(f"\nredelivery after kill -9: {redelivery_s:.1f} s "
          f"(--redeliver-after {REDELIVER_AFTER_S:g})")
    assert redelivery_s <= REDELIVER_AFTER_S + 5, redelivery_s
    # the same exit status as a local batch with one failed line (status_for_batch): 4
    assert code == 4, cluster.submitter_err("kill")
    by_url = {r["url"]: r for r in data["results"]}
    assert sorted(by_url) == sorted(urls)
    assert by_url[site.url("/status/404")]["status"] == "failed"
    assert "404" in by_url[site.url("/status/404")]["error"]
    assert all(by_url[u]["status"] in ("complete", "partial") for u in urls
               if "404" not in u), data
    # exactly one package per captured URL, each one valid, none half-written
    packages = _packages_by_url(cluster.out)
    for url in urls:
        if "404" in url:
            assert url not in packages
            continue
        assert len(packages[url]) == 1, (url, packages[url])
        check = verify_package(packages[url][0])
        assert check.ok, check.problems
        assert by_url[url]["package"] == str(packages[url][0])
    # the report accounts for every line
    report = json.loads(next(cluster.out.glob(
        f"batch-report-{data['batch_id'][:8]}.json")).read_text("utf-8"))
    assert sorted(r["line"] for r in report["results"]) == list(range(1, len(urls) + 1))
    assert report["failed"] == 1 and report["pending"] == 0
    # the killed worker's staging folder was swept by a later capture into the same folder
    # (a distributed capture stages in its computer's own folder, host-<machine id>)
    staging = cluster.out / ".somecapture-staging"
    hosts = [p for p in staging.iterdir() if p.is_dir() and p.name.startswith("host-")]
    assert len(hosts) == 1, list(staging.iterdir())
    left = [p for folder in (staging, hosts[0]) for p in folder.iterdir()
            if p.is_dir() and p not in hosts]
    assert not left, left
    # a replacement for the next tests
    cluster.spawn()
    _wait(lambda: len([w for w in cluster.live() if "ready" in w.text()]) >= 3, 90,
          "a replacement worker")


def test_the_same_job_delivered_twice_publishes_one_package(
        cluster: Cluster, site: fx.FixtureSite) -> None:
    url = site.url("/slow?ms=1500&n=dup")
    options = CaptureOptions(allow_private_network=True, timestamp=False,
                             capture_timeout_s=60)
    options = options.with_changes(record=options.record.merged(screened_variant=False))
    job = job_for("dup-batch", 1, url, {}, options, retries=0, retry_backoff_s=1)
    address = parse_queue_url(cluster.redis.url)
    broker = make_broker(address, judges_workers=False)
    send(broker, job)
    send(broker, job)
    _wait(lambda: sum("line 1 of batch dup-batc: " in line and "capturing" not in line
                      for line in cluster.logs().splitlines()) >= 2, 90,
          "both deliveries to end")
    ends = [line for line in cluster.logs().splitlines()
            if "line 1 of batch dup-batc: " in line and "capturing" not in line]
    assert len([e for e in ends if "already published as" in e]) == 1, ends
    assert len([e for e in ends if "complete" in e or "partial" in e]) == 1, ends
    # two workers captured it (at the same time), one package was published
    takers = [w for w in cluster.live() if f"capturing {url}" in w.text()]
    assert len(takers) == 2
    assert len(_packages_by_url(cluster.out)[url]) == 1
    results = BatchChannel(client_for(address), "dup-batch").results()
    assert list(results) == [1] and not results[1]["already_published"]
    broker.client.close()


def test_a_broker_restart_pauses_the_batch_and_it_finishes(
        cluster: Cluster, site: fx.FixtureSite) -> None:
    urls = [site.url(f"/gzip/page?n=restart{n}") for n in range(3)]
    proc = cluster.submit(urls, "restart")
    try:
        _wait(lambda: any(f"capturing {u}" in cluster.logs() for u in urls), 90,
              "a worker to start the batch")
        cluster.redis.kill()
        _wait(lambda: "cannot be reached" in cluster.submitter_err("restart"), 30,
              "the submitter to say the queue is away")
        time.sleep(1.0)
        cluster.redis.start()  # empty: every job it held is lost, and is sent again
        code, data = _finish(proc)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    err = cluster.submitter_err("restart")
    assert code == 0, err
    assert "the batch waits and continues when it is back" in err
    assert "is back after" in err and "Traceback" not in err
    assert sorted(r["url"] for r in data["results"]) == sorted(urls)
    assert all(r["status"] == "complete" for r in data["results"]), data
    packages = _packages_by_url(cluster.out)
    assert all(len(packages[u]) == 1 for u in urls), {u: packages[u] for u in urls}


def test_a_killed_submitter_resumed_collects_what_the_workers_finished(
        cluster: Cluster, site: fx.FixtureSite) -> None:
    urls = [site.url(f"/gzip/page?n=resume{n}") for n in range(3)]
    proc = cluster.submit(urls, "resume")
    _wait(lambda: any(f"capturing {u}" in cluster.logs() for u in urls), 90,
          "the jobs to be sent")
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)
    # the workers go on without the submitter
    _wait(lambda: all(len(_packages_by_url(cluster.out).get(u, [])) == 1 for u in urls), 120,
          "the workers to finish the batch")
    # resumed here without the queue, the workers' captures would be made a second time
    local = subprocess.run([sys.executable, "-m", "somecapture", "batch",
                            str(cluster.folder / "resume.txt"), "--out", str(cluster.out),
                            "--resume", *CAPTURE_ARGS], capture_output=True, text=True,
                           timeout=60)
    assert local.returncode == 2 and "resume it with --queue" in local.stderr, local.stderr
    resumed = cluster.submit(urls, "resume", "--resume")
    code, data = _finish(resumed, 120)
    assert code == 0, cluster.submitter_err("resume")
    assert sorted(r["url"] for r in data["results"]) == sorted(urls)
    assert all(r["status"] == "complete" and r["attempts"] == 1 for r in data["results"])
    packages = _packages_by_url(cluster.out)
    assert [r["package"] for r in data["results"]] == [str(packages[u][0]) for u in urls]
    # recorded in the submitter's catalogue as a local batch records them
    listed = subprocess.run([sys.executable, "-m", "somecapture", "list", "--json",
                             "--search", "resume"], capture_output=True, text=True, check=True)
    catalogued = {c["url"]: c for c in json.loads(listed.stdout)["captures"]}
    assert all(catalogued[u]["batch_id"] == data["batch_id"] for u in urls)
    assert all(catalogued[u]["warc_sha256"] for u in urls)


def _send_one(cluster: Cluster, batch_id: str, url: str, **changes: Any) -> BatchChannel:
    options = CaptureOptions(allow_private_network=True, timestamp=False, **changes)
    address = parse_queue_url(cluster.redis.url)
    broker = make_broker(address, judges_workers=False)
    send(broker, job_for(batch_id, 1, url, {}, options, retries=0, retry_backoff_s=1))
    broker.client.close()
    return BatchChannel(client_for(address), batch_id)


def test_a_worker_without_the_named_login_profile_refuses_the_job(
        cluster: Cluster, site: fx.FixtureSite) -> None:
    channel = _send_one(cluster, "profile-batch", site.url("/gzip/page?n=profile"),
                        profile="not-on-this-worker")
    results = _wait(channel.results, 30, "the worker's answer")
    assert results[1]["status"] == "failed" and results[1]["error_code"] == "profile"
    assert "somecapture login not-on-this-worker" in results[1]["error"]
    assert results[1]["attempt"] == 1  # refused, not retried


def test_an_item_whose_workers_keep_dying_is_failed_not_handed_out_for_ever(
        cluster: Cluster, site: fx.FixtureSite) -> None:
    address = parse_queue_url(cluster.redis.url)
    channel = BatchChannel(client_for(address), "poison-batch")
    # three earlier deliveries started and never ended (their workers were killed)
    channel.client.hset(channel.inflight_key, "1", 3)
    _send_one(cluster, "poison-batch", site.url("/gzip/page?n=poison"))
    results = _wait(channel.results, 30, "the worker's answer")
    assert results[1]["status"] == "failed" and "stopped 3 times" in results[1]["error"]
    assert site.url("/gzip/page?n=poison") not in _packages_by_url(cluster.out)


def test_a_stopping_worker_finishes_its_capture_and_a_second_stop_hands_it_back(
        cluster: Cluster, site: fx.FixtureSite) -> None:
    """SIGTERM: the capture in progress finishes and its result is sent; SIGINT twice: the
    capture stops at once and its job goes back to the queue for another worker. (A queue of
    its own, database 1, so the module's workers do not take these jobs.)"""
    queue = cluster.redis.url[:-1] + "1"
    address = parse_queue_url(queue)
    broker = make_broker(address, judges_workers=False)
    options = CaptureOptions(allow_private_network=True, timestamp=False)
    finishing, handing_back = (site.url("/slow?ms=2000&n=term"),
                               site.url("/slow?ms=4000&n=int"))
    first = cluster.spawn(queue)
    _wait(lambda: "ready" in first.text(), 60, "a worker on queue 1")
    send(broker, job_for("stop-batch", 1, finishing, {}, options, 0, 1))
    _wait(lambda: f"capturing {finishing}" in first.text(), 30, "the first capture")
    first.proc.send_signal(signal.SIGTERM)
    assert first.proc.wait(60) == 0
    channel = BatchChannel(client_for(address), "stop-batch")
    assert channel.results()[1]["status"] == "complete", first.text()
    second = cluster.spawn(queue)
    _wait(lambda: "ready" in second.text(), 60, "a second worker on queue 1")
    send(broker, job_for("stop-batch", 2, handing_back, {}, options, 0, 1))
    _wait(lambda: f"capturing {handing_back}" in second.text(), 30, "the second capture")
    second.proc.send_signal(signal.SIGINT)
    time.sleep(0.3)
    second.proc.send_signal(signal.SIGINT)
    assert second.proc.wait(30) == 0
    assert "the job goes back to the queue" in second.text()
    assert 2 not in channel.results()
    third = cluster.spawn(queue)
    _wait(lambda: 2 in channel.results(), 60, "a third worker to capture the handed-back job")
    assert channel.results()[2]["status"] == "complete"
    assert channel.results()[2]["attempt"] == 1  # handed back, not a failed attempt
    with_timeout_stop(third)
    broker.client.close()
